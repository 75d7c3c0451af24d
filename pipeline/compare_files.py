"""Compare two workbooks: validate both, line them up (pipeline.compare), write the changes files.

What `eqplan compare` and `eqplan build --since` run. Each workbook is
checked first, as `build` checks one: errors stop with that workbook's
report (exit code 1), an unreadable file with its own error (exit code 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.compare import Comparison, compare
from pipeline.errors import WorkbookInvalid
from pipeline.io import OutputSet, output_path, refuse_overwriting_inputs, safe_filename
from pipeline.model import Framework, Plan
from pipeline.sources import Source
from pipeline.validate import Report, validate_workbook


@dataclass
class ChangesFiles:
    """The changes document and workbook `eqplan compare -o` wrote."""

    docx: Path
    xlsx: Path


def checked_plan(source: Source, framework: Framework | None, role: str) -> tuple[Plan, Report]:
    """The plan in a workbook with no errors; raise WorkbookInvalid with its report otherwise.

    role names the workbook in the message ("previous", "current").
    """
    validation = validate_workbook(source, framework=framework)
    report, plan = validation.report, validation.plan
    if not report.valid or plan is None:
        raise WorkbookInvalid(
            f"The {role} workbook has errors, so the two reports were not compared.\n\n"
            f"{report.to_text()}\n",
            hint=f"Fix the errors in the {role} workbook and run the command again.",
        )
    return plan, report


def compare_workbooks(
    previous: Source, current: Source, framework: Framework | None = None
) -> Comparison:
    """Validate both workbooks and compare the previous report's plan with the current one."""
    before, _ = checked_plan(previous, framework, "previous")
    after, _ = checked_plan(current, framework, "current")
    return compare(before, after)


def since_previous(
    since: Source | None, current: Plan, framework: Framework | None = None
) -> Comparison | None:
    """The comparison of the previous report's workbook (validated) with current; None without one."""
    if since is None:
        return None
    previous, _ = checked_plan(since, framework, "previous")
    return compare(previous, current)


def write_changes(
    comparison: Comparison,
    out_dir: Path,
    name: str,
    inputs: list[Path | None],
) -> ChangesFiles:
    """Write `<name>-changes.docx` and `<name>-changes.xlsx` into out_dir, together, atomically."""
    from pipeline.render.changes_docx import write_changes_docx
    from pipeline.render.changes_xlsx import write_changes_workbook
    from pipeline.view_changes import build_changes_view

    stem = safe_filename(name)
    files = ChangesFiles(
        output_path(out_dir, f"{stem}-changes.docx"), output_path(out_dir, f"{stem}-changes.xlsx")
    )
    refuse_overwriting_inputs([files.docx, files.xlsx], inputs)
    changes = build_changes_view(comparison)
    with OutputSet(inputs) as outputs:
        write_changes_docx(changes, outputs.stage(files.docx))
        write_changes_workbook(changes, outputs.stage(files.xlsx))
        outputs.commit()
    return files
