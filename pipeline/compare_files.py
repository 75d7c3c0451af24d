"""Compare two workbooks: validate both, line them up (pipeline.compare), write the changes files.

What `eqplan compare` and `eqplan build --since` run. Each workbook is
checked first, as `build` checks one: errors stop with that workbook's
report (exit code 1), an unreadable file with its own error (exit code 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline import problems
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
    refuse_comparing_split(report, role)
    if not report.valid or plan is None:
        raise WorkbookInvalid(
            f"The {role} workbook has errors, so the two reports were not compared.\n\n"
            f"{report.to_text()}\n",
            hint=f"Fix the errors in the {role} workbook and run the command again.",
        )
    return plan, report


def refuse_comparing_split(report: Report, role: str) -> None:
    """Stop when the workbook is one owner's, made by eqplan split: compared with a whole
    plan, every other action would show as removed or new.

    validate_workbook found it (other_sheets.made_by_split) and said so in the report
    (SPLIT_WORKBOOK), so the file is not read again. The words are compare's own, and so is
    the exit code (1, as for a workbook with errors): other_sheets.refuse_split_workbook
    says what taking it for the plan would lose instead."""
    if any(p.is_kind(problems.SPLIT_WORKBOOK) for p in report.problems):
        raise WorkbookInvalid(
            f"The {role} workbook ({report.path}) was made by eqplan split: it holds only the "
            "actions sent to one owner or section, so comparing it with a whole plan would "
            "show every other action as removed or new.",
            hint="Give the plan's own workbook. To bring the owners' updates into the plan, "
            "use eqplan merge.",
            code="SPLIT_WORKBOOK",
        )


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
    language: str = "en",
) -> list[ChangesFiles]:
    """Write `<name>-changes.docx` and `<name>-changes.xlsx` into out_dir, together, atomically.

    language is `en`, `cy` (`<name>-cy-changes…`) or `both`: the Welsh pair then the English
    (`<name>-cy-changes…`, `<name>-en-changes…`), named as `eqplan build --language` names
    its documents. One ChangesFiles per language, in that order.
    """
    from pipeline.i18n import language_stem, languages_for, use_language
    from pipeline.render.changes_docx import write_changes_docx
    from pipeline.render.changes_xlsx import write_changes_workbook
    from pipeline.view_changes import build_changes_view

    stem = safe_filename(name)
    languages = languages_for(language)
    every = {}
    for lang in languages:
        named = language_stem(stem, lang, language)
        every[lang] = ChangesFiles(
            output_path(out_dir, f"{named}-changes.docx"),
            output_path(out_dir, f"{named}-changes.xlsx"),
        )
    refuse_overwriting_inputs([p for f in every.values() for p in (f.docx, f.xlsx)], inputs)
    with OutputSet(inputs) as outputs:
        for lang, files in every.items():
            with use_language(lang):
                changes = build_changes_view(comparison)
                write_changes_docx(changes, outputs.stage(files.docx))
                write_changes_workbook(changes, outputs.stage(files.xlsx))
        outputs.commit()
    return list(every.values())
