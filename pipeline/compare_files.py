"""Compare two workbooks: validate both, line them up (pipeline.compare), write the changes files.

What `eqplan compare` and `eqplan build --since` run. Each workbook is
checked first, as `build` checks one: errors stop with that workbook's
report (exit code 1), an unreadable file with its own error (exit code 2).
A previous report not earlier than the current one is a PREVIOUS_NOT_EARLIER
warning on the comparison (order_problems), never a silent heading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline import problems
from pipeline.compare import Comparison, compare
from pipeline.errors import WorkbookInvalid
from pipeline.formats import format_date
from pipeline.i18n import N_, _, current_language, use_language
from pipeline.io import OutputSet, output_path, refuse_overwriting_inputs, safe_filename
from pipeline.model import Framework, Plan
from pipeline.sources import InputFile, Source
from pipeline.validate import Report, Validation, validate_workbook
from pipeline.workbook import layout

#: Why a previous report not earlier than the current one misleads (PREVIOUS_NOT_EARLIER).
LATER = N_(
    "the previous report is dated after the current one, so every change would be shown backwards"
)
SAME_DATE = N_(
    "both are as at the same date, so 'Progress since the last report' would show the changes "
    "made within the current report, not those since the last one"
)
SAME_WORKBOOK = N_(
    "they are the same workbook, so 'Progress since the last report' would compare the current "
    "report with itself"
)


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
    previous: Source, current: Source, framework: Framework | None = None, language: str = "en"
) -> Comparison:
    """Validate both workbooks and compare the previous report's plan with the current one
    (its problems worded in language: the report's, or English for JSON)."""
    before, earlier = checked_plan(previous, framework, "previous")
    after, now = checked_plan(current, framework, "current")
    return compare_reports(before, after, (earlier.path, now.path), language=language)


def since_previous(
    since: Source | None,
    current: Validation,
    framework: Framework | None = None,
    language: str = "en",
) -> tuple[Comparison | None, Report | None]:
    """`--since`: the previous report's workbook (validated) compared with current's plan, and
    the previous workbook's own report (its warnings are counted under current's); (None, None)
    without one. The comparison's problems say, in language, if it is not an earlier report
    than current."""
    if since is None or current.plan is None:
        return None, None
    previous, report = checked_plan(since, framework, "previous")
    names = (report.path, current.report.path)
    same = _same_workbook(since, current.source)
    compared = compare_reports(
        previous, current.plan, names, since=True, same_workbook=same, language=language
    )
    return compared, report


def compare_reports(
    previous: Plan,
    current: Plan,
    names: tuple[str, str],
    *,
    since: bool = False,
    same_workbook: bool = False,
    language: str | None = None,
) -> Comparison:
    """compare(), with the warnings about the two workbooks given (names: as messages name
    them, previous first; worded in language, else the one in use): see order_problems."""
    comparison = compare(previous, current)
    with use_language(language or current_language()):
        comparison.problems = order_problems(
            comparison, *names, since=since, same_workbook=same_workbook
        )
    return comparison


def order_problems(
    comparison: Comparison,
    previous: str,
    current: str,
    *,
    since: bool = False,
    same_workbook: bool = False,
) -> list[problems.Problem]:
    """PREVIOUS_NOT_EARLIER, at current's report date, when the previous report is dated after
    the current one (given the wrong way round?). With since (`--since`: the plan's section
    "Progress since the last report") also when it is as at the same date, or is the current
    workbook itself. `eqplan compare` of two workbooks as at the same date is a merge's before
    and after, so it is not reported. A plan with no report date (the Plan sheet requires one;
    only a script can compare such a plan) cannot be placed, so only the same workbook is said."""
    before = comparison.previous.details.report_date
    after = comparison.current.details.report_date
    if since and same_workbook:
        detail = SAME_WORKBOOK
    elif before is not None and after is not None and before > after:
        detail = LATER
    elif since and before is not None and before == after:
        detail = SAME_DATE
    else:
        return []
    details = comparison.current.details
    found = problems.PREVIOUS_NOT_EARLIER.at(
        details.sheet or layout.PLAN_SHEET,
        details.cells.get("report_date", ""),
        previous=previous,
        previous_date=format_date(before) if before else _("no report date"),
        current=current,
        current_date=format_date(after) if after else _("no report date"),
        detail=_(detail),
    )
    return [replace(found, source=current)]


def _same_workbook(given: Source, current: InputFile | None) -> bool:
    """True when the previous workbook given is the current one: the same file on disk, or
    the same bytes for two uploads."""
    if isinstance(given, InputFile):
        given = given.path if given.path is not None else given.data or b""
    if current is None:
        return False
    if isinstance(given, str | os.PathLike) and current.path is not None:
        try:
            return os.path.samefile(given, current.path)
        except OSError:
            return False
    return isinstance(given, bytes) and given == current.data


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
    from pipeline.i18n import language_stem, languages_for
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
    refuse_overwriting_inputs(
        [p for f in every.values() for p in (f.docx, f.xlsx)],
        inputs,
        hint="Choose another output folder with -o, or rename the previous report's workbook.",
    )
    with OutputSet(inputs) as outputs:
        for lang, files in every.items():
            with use_language(lang):
                changes = build_changes_view(comparison)
                write_changes_docx(changes, outputs.stage(files.docx))
                write_changes_workbook(changes, outputs.stage(files.xlsx))
        outputs.commit()
    return list(every.values())
