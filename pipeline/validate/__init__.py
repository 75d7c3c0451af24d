"""Validation: read a workbook, build the plan and check it, reporting every problem in one pass."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline import problems
from pipeline.errors import WorkbookUnreadable
from pipeline.gc_pause import paused_gc
from pipeline.i18n import current_language, use_framework_words, use_language
from pipeline.input_checks import open_workbook
from pipeline.model import Framework, Plan
from pipeline.problem_types import Problem
from pipeline.sources import InputFile, Source
from pipeline.validate.checks import check
from pipeline.validate.report import Report
from pipeline.validate.welsh_checks import check_welsh
from pipeline.workbook import RawWorkbook, build_plan, layout, read_workbook
from pipeline.workbook.other_sheets import made_by_split
from pipeline.workbook.welsh_reader import welsh_without_english

__all__ = ["Report", "Validation", "check", "validate_raw", "validate_workbook"]


@dataclass
class Validation:
    """The outcome of validating a workbook: the plan (if one could be built) and the report.

    source is the workbook as read; pass it on (to write_annotated, build)
    rather than the stream, which has been read to its end.
    """

    plan: Plan | None
    report: Report
    source: InputFile | None = None


@paused_gc()
def validate_workbook(
    source: Source,
    framework: Framework | None = None,
    strict: bool = False,
    *,
    name: str | None = None,
    language: str = "en",
    history: bool = False,
) -> Validation:
    """Read, build and check a workbook. Raises WorkbookUnreadable for unusable files.

    source is a path or a binary stream (see read_workbook; name is how
    messages name a stream). framework overrides the framework the Plan
    sheet names (for custom framework files). language is what the documents
    are built in (`en`, `cy` or `both`): Welsh adds the checks of its Welsh text,
    and with history (the plan's Progress history appendix) of every log entry's too.
    """
    raw = _read(source, name, language)
    validation = validate_raw(raw, framework, strict, language=language, history=history)
    if made_by_split(raw.sheet_names):  # merge reads returns with validate_raw
        split = problems.SPLIT_WORKBOOK.at(layout.RECORD_SHEET)
        validation.report.add([replace(split, source=raw.name)])
    return validation


def _read(source: Source, name: str | None, language: str) -> RawWorkbook:
    """read_workbook(); a file it cannot read is refused in Welsh whenever Welsh is asked for
    (`cy`, `both`), as `eqplan validate --language cy` and the web page refuse it, so `build`
    and `summary` do too. The report of a readable workbook stays in the caller's language."""
    file = open_workbook(source, name)  # a stream read once: the Welsh refusal reads it again
    try:
        return read_workbook(file, name)
    except WorkbookUnreadable:
        if language == "en" or current_language() == "cy":
            raise
    with use_language("cy"):
        return read_workbook(file, name)  # raises the same refusal, worded in Welsh


def _not_at_unread_cells(checked: list[Problem], read: list[Problem]) -> list[Problem]:
    """checked, less problems at a cell whose value could not be read or understood (an Excel
    error, a formula never calculated or reaching outside the workbook, "Purple" as a
    rating): that cell already has its error, which says how to fix it, and a second message
    ("no action given", "'Council name' is empty") would contradict it or send the officer
    to type over the formula."""
    unread = _unread_cells(read)
    return [p for p in checked if not p.cell or (p.sheet, p.cell) not in unread]


def _unread_cells(read: list[Problem]) -> set[tuple[str, str]]:
    """(sheet, cell) of every cell that already has an error from reading it, or a date
    not understood (`TBC` in Completed on is not also "empty")."""
    return {
        (p.sheet, p.cell)
        for p in read
        if p.cell and (p.is_error or p.is_kind(problems.DATE_UNCLEAR))
    }


#: Checks that need a sheet to look on: with no such sheet read, SHEET_MISSING (or
#: SHEET_NO_HEADER) is the one message. Every theme has no actions and every owner is unlisted
#: when there is no Actions or Owners sheet, every Progress log row names an unknown action with
#: no Actions sheet, and every module has no lead officer with no Sections.
_NEED_SHEET = {
    problems.THEME_NO_ACTIONS.code: layout.ACTIONS_SHEET,
    problems.LOG_REF_UNKNOWN.code: layout.ACTIONS_SHEET,
    problems.OWNER_UNLISTED.code: layout.OWNERS_SHEET,
    problems.LEAD_OFFICER_MISSING.code: layout.SECTIONS_SHEET,
}


def _not_for_missing_sheets(checked: list[Problem], raw: RawWorkbook) -> list[Problem]:
    """checked, less problems that only say again that a sheet they need was not read; a
    problem about a whole sheet names it as the workbook does (`Camau gweithredu`)."""
    named = {name: table.title for name, table in raw.tables.items()}
    return [
        replace(p, sheet=named.get(p.sheet, p.sheet)) if not p.cell else p
        for p in checked
        if p.code not in _NEED_SHEET or _NEED_SHEET[p.code] in raw.tables
    ]


def validate_raw(
    raw: RawWorkbook,
    framework: Framework | None = None,
    strict: bool = False,
    *,
    language: str = "en",
    history: bool = False,
) -> Validation:
    """Build and check a workbook already read (for callers that also use its raw rows)."""
    plan, value_problems = build_plan(raw, framework)
    # A cell read as empty because its value could not be read ('Council name' from a
    # formula never calculated) is not also "missing".
    value_problems = _not_at_unread_cells(value_problems, raw.problems)
    found = [*raw.problems, *value_problems]
    mismatch = [p for p in value_problems if p.is_kind(problems.FRAMEWORK_MISMATCH)]
    if mismatch:
        # Placed under another framework, every point and theme is "unknown": one error
        # says why, rather than one per row burying it.
        found = [*raw.problems, *mismatch]
    elif plan is not None:
        with use_framework_words(plan.framework.welsh):  # its own labels' Welsh (labels_cy)
            checked = _not_for_missing_sheets(check(plan), raw)
            found.extend(_not_at_unread_cells(checked, found))
            found.extend(welsh_without_english(raw, unread=_unread_cells(found)))
            if language != "en":
                found.extend(check_welsh(plan, unread=_unread_cells(found), history=history))
    workbook = raw.name  # each problem says which workbook it is about
    found = [problem if problem.source else replace(problem, source=workbook) for problem in found]
    rows_read = {table.title: len(table.rows) for table in raw.tables.values()}
    report = Report(
        path=raw.shown,
        problems=found,
        rows_read=rows_read,
        actions=len(plan.actions) if plan else 0,
        strict=strict,
    )
    return Validation(plan=plan, report=report, source=raw.source)
