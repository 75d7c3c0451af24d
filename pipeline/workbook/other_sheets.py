"""Sheets eqplan does not read that look like ones it does: said, never silently dropped.

eqplan reads each part of the plan from the sheet with its name. Excel names a
copied sheet `Actions (2)`; an officer who adds new actions to the copy, or
renames the Actions sheet `Action plan`, would see them missing from the plan
with no word said. A sheet not read that is named like a copy of one eqplan
reads, or has the Actions sheet's headings, gets a warning naming it
(SHEET_NOT_READ), and a missing sheet's error names the sheet that looks like it.
Also the one home of finding a sheet's heading row (`find_header`) and of the names of the
template's sheets (`TEMPLATE_SHEETS`).
"""

from __future__ import annotations

import re

from pipeline import problems
from pipeline.errors import EqplanError
from pipeline.i18n import N_, _
from pipeline.problems import Problem
from pipeline.text import match_key
from pipeline.welsh_text import welsh_name
from pipeline.workbook import layout
from pipeline.workbook.engines import SheetData
from pipeline.workbook.specs import Column, SheetSpec

HEADER_SEARCH_ROWS = 10
#: How the names of copies end or start: Excel's `Actions (2)`, LibreOffice's `Actions_2`,
#: `Actions Copy1`, `Copy of Actions`, `Actions old`, `Old Actions`, `Owners v2`, `Owners 2`,
#: and in Welsh `Copi o Perchnogion`.
_COPY = re.compile(
    r"^(?:copy of\s+|copi o\s+|old\s+)?(.*?)"
    r"(?:\s*\(\d+\)|\s*_\d+|\s+copy\s*\d*|\s+old|\s+\(old\)|\s+v\d+|\s+\d+)?$"
)
#: Every sheet a template has (a Welsh template's by their Welsh names): a workbook's sheet by
#: one of these names is eqplan's, not the council's own (own_data.own_sheets).
TEMPLATE_SHEETS = (
    layout.README_SHEET, layout.PLAN_SHEET, layout.REPORT_SHEET, *(s.name for s in layout.DATA_SHEETS),
    layout.PROGRESS_LOG_SHEET, layout.REFERENCE_SHEET, layout.LISTS_SHEET,
)  # fmt: skip
#: The sheets the plan is read from.
_READ = (
    *(s.name for s in layout.DATA_SHEETS),
    layout.PLAN_SHEET,
    layout.REPORT_SHEET,
    layout.PROGRESS_LOG_SHEET,
)
#: Sheets eqplan knows and does not read as part of the plan: the template's others (Read me,
#: Reference, Lists), the record sheet of a workbook made by `eqplan split` and a merged
#: plan's record of the returns merged into it.
_NOT_PLAN = (
    *(name for name in TEMPLATE_SHEETS if name not in _READ),
    layout.RECORD_SHEET,
    layout.MERGED_SHEET,
)
_SUGGESTION = N_(" Sheets like it: {others}.")


def sheets_by_key(sheets: list[SheetData]) -> dict[str, SheetData]:
    """A workbook's sheets by their names' match_key, each of the template's also by its
    English name's: a Welsh template's sheets are found by their Welsh names (issue 15).

    Where a workbook has a sheet by both names (an 'Owners' sheet an owner added to a Welsh
    return, beside split's 'Perchnogion'), the one in the workbook's language is eqplan's:
    the language most of the template's sheets are named in (English when as many)."""
    by_key = {match_key(sheet.title): sheet for sheet in sheets}
    names = [(match_key(name), match_key(welsh_name(name))) for name in TEMPLATE_SHEETS]
    in_welsh = sum(cy in by_key for en, cy in names if en != cy)
    welsh_first = in_welsh > sum(en in by_key for en, cy in names if en != cy)
    for english, welsh in names:
        if welsh in by_key and (welsh_first or english not in by_key):
            by_key[english] = by_key[welsh]
    return by_key


def column_names(column: Column) -> set[str]:
    """The match_keys a column's heading is read by: its heading, in Welsh too, and aliases."""
    names = {match_key(column.heading), match_key(welsh_name(column.heading))}
    return names | {match_key(a) for a in column.aliases}


def find_header(sheet: SheetData, spec: SheetSpec) -> tuple[int | None, dict[int, str]]:
    """The row (within the first ten) whose cells best match the expected headings."""
    row, found, _score = _best_header(sheet, spec)
    return row, found


def _best_header(sheet: SheetData, spec: SheetSpec) -> tuple[int | None, dict[int, str], int]:
    names = set().union(*(column_names(c) for c in spec.columns))
    by_row: dict[int, dict[int, str]] = {}
    for (row, column), value in sheet.cells.items():
        if row <= HEADER_SEARCH_ROWS and isinstance(value, str) and value.strip():
            by_row.setdefault(row, {})[column] = value
    best_row, best_score = None, 0
    for row in sorted(by_row):
        score = sum(1 for text in by_row[row].values() if match_key(text) in names)
        if score > best_score:
            best_row, best_score = row, score
    if best_row is None:
        return None, {}, 0
    return best_row, by_row[best_row], best_score


def _has_headings_of(sheet: SheetData, spec: SheetSpec) -> int | None:
    """The heading row when sheet has spec's required headings (all but one of them, and at
    least two headings in all) with something below it; else None."""
    row, found, _score = _best_header(sheet, spec)
    if row is None:
        return None
    keys = {match_key(text) for text in found.values()}
    required = [c for c in spec.columns if c.required]
    have = [c for c in spec.columns if column_names(c) & keys]
    have_required = [c for c in have if c.required]
    if len(have) < 2 or len(have_required) < max(1, len(required) - 1):
        return None
    return row if any(r > row for r, _c in sheet.cells) else None


def _copy_of(title: str, read: dict[str, str]) -> str:
    """The name of the sheet read (read: by match_key) that title names a copy of, or ''."""
    key = match_key(title)
    stem = _COPY.match(key)
    base = stem.group(1).strip() if stem else key
    return read.get(base, "") if base != key else ""


def _is_plan_sheet(title: str) -> bool:
    key = match_key(title)
    return any(key in (match_key(n), match_key(welsh_name(n))) for n in _NOT_PLAN)


def likely_sheet(spec: SheetSpec, unread: list[SheetData]) -> str:
    """SHEET_MISSING's suggestion: a sheet not read named like spec's or with its headings."""
    names = {match_key(spec.name): spec.name, match_key(welsh_name(spec.name)): spec.name}
    like = [
        f"'{sheet.title}'"
        for sheet in unread
        if _copy_of(sheet.title, names) or _has_headings_of(sheet, spec) is not None
    ]
    return _(_SUGGESTION).format(others=", ".join(like)) if like else ""


def sheets_not_read(
    sheets: list[SheetData], read: dict[str, str], suggested: set[str]
) -> list[Problem]:
    """SHEET_NOT_READ for each sheet not read that holds something and is named like a copy
    of a sheet eqplan reads, or has the Actions sheet's headings.

    read: the names of the sheets read, by match_key. Sheets eqplan knows are not part of the
    plan (Read me, Reference) and those a SHEET_MISSING already names (suggested) are left out.
    """
    found = []
    for sheet in sheets:
        title = sheet.title
        if title in read.values() or title in suggested or _is_plan_sheet(title):
            continue
        like = looks_like(sheet, read)
        if like:
            found.append(problems.SHEET_NOT_READ.at(title, sheet_name=title, read=like))
    return found


def looks_like(sheet: SheetData, read: dict[str, str]) -> str:
    """The name of the sheet read (read: by match_key) that a sheet not read looks like, so
    rows put on it may have been meant for the plan: it holds more than one row and is named
    like a copy of it, or it has the Actions sheet's headings. '' when it looks like none."""
    known: dict[str, str] = {}
    for name in _READ:
        known[match_key(name)] = known[match_key(welsh_name(name))] = name
    known |= read  # a sheet read is named as the workbook names it
    if len({row for row, _c in sheet.cells}) > 1 and (like := _copy_of(sheet.title, known)):
        return like
    if _has_headings_of(sheet, layout.ACTIONS) is None:
        return ""
    return read.get(match_key(layout.ACTIONS_SHEET)) or read.get(
        match_key(welsh_name(layout.ACTIONS_SHEET)), layout.ACTIONS_SHEET
    )


def made_by_split(sheet_names: list[str]) -> bool:
    """Whether a workbook is one owner's, made by eqplan split: it holds split's record sheet,
    whole or changed (merge reads the record itself: returns.record_in). The one home of
    this check; each command says in its own words why it refuses such a workbook."""
    return layout.RECORD_SHEET in sheet_names


#: What to give instead of one owner's workbook, for a command that reads one plan.
PLAN_NOT_RETURN = "Give the plan's own workbook, the one the owners' workbooks were split from."


def refuse_split_workbook(
    sheet_names: list[str], shown: str, doing: str, hint: str = PLAN_NOT_RETURN
) -> None:
    """Stop when the workbook is one owner's, made by eqplan split (made_by_split): taken
    for the plan, every action not sent to that owner would be lost."""
    if made_by_split(sheet_names):
        raise EqplanError(
            f"{shown} is a workbook made by eqplan split (one owner's actions), not the plan, "
            f"so {doing}.",
            hint=hint,
            code="SPLIT_WORKBOOK",
        )
