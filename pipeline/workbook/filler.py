"""Fill a template workbook with values: used by the example plan, the benchmark and the tests.

Values go where an officer would type them, found through the same layout
contract the reader uses, so a filled workbook is exactly what the reader
expects. Text is stored as text through `pipeline.cells.put`: text starting
with `=` lands as Excel stores text an officer types with a leading
apostrophe, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.cells import put, put_at
from pipeline.welsh_text import welsh_name
from pipeline.workbook import layout

DATE_FORMAT = "dd/mm/yyyy"


def fill_workbook(
    wb: Workbook,
    *,
    plan: Mapping[str, object] | None = None,
    report: Mapping[str, object] | None = None,
    sections: Mapping[str, Sequence[object] | Mapping[str, object]] | None = None,
    section_order: Sequence[str] | None = None,
    assessments: Mapping[str, Sequence[object] | Mapping[str, object]] | None = None,
    actions: Sequence[Mapping[str, object]] | None = None,
    owners: Sequence[Sequence[object] | Mapping[str, object]] | None = None,
    progress_log: Sequence[Mapping[str, object]] | None = None,
    strands: Sequence[Mapping[str, object]] | None = None,
) -> Workbook:
    """Fill wb (made by build_template) and return it.

    plan: Plan values by field key (`council`, `report_date`, ...).
    report: Report sheet values by field key (`report_of`, `recommendations`, ...).
    sections: by module ref, (lead officer, aspirations), or a mapping by field key
        (`section_title`, `lead_officer`, `aspirations`).
    section_order: module refs in the order the Sections rows should take (the plan's order).
    assessments: by theme ref, the values after the prefilled columns (current, target, ...),
        or a mapping by field key (`current`, `target`, `target_date`, `evidence`).
    actions: Actions rows by field key; given, they replace the prefilled theme rows.
    owners: Owners rows (name, role, email), or mappings by field key.
    progress_log: Progress log rows by field key (`ref`, `date`, `update`, `rag`, `status`, `by`).
    strands: the Lists sheet's strands, mappings with `strand` and `strand_colour`; given,
        they replace the template's list.
    A mapping may leave out any field; a key the sheet does not have is a KeyError.
    """
    for sheet, fields, values in (
        (layout.PLAN_SHEET, layout.PLAN_FIELDS, plan),
        (layout.REPORT_SHEET, layout.REPORT_FIELDS, report),
    ):
        if not values:
            continue
        ws = sheet_named(wb, sheet)
        keys = {f.label: f.key for f in fields} | {welsh_name(f.label): f.key for f in fields}
        for row in range(2, ws.max_row + 1):
            key = keys.get(ws.cell(row=row, column=1).value)
            if key in values:
                put_value(ws.cell(row=row, column=2), values[key])
    if section_order is not None:
        _reorder_rows(sheet_named(wb, layout.SECTIONS_SHEET), list(section_order))
    if sections:
        ws = sheet_named(wb, layout.SECTIONS_SHEET)
        keys = [c.key for c in layout.SECTIONS.columns]
        for row in range(2, ws.max_row + 1):
            given = sections.get(ws.cell(row=row, column=1).value, ())
            if not isinstance(given, Mapping):
                given = dict(zip(("lead_officer", "aspirations"), given, strict=False))
            for key, value in given.items():
                put_value(ws.cell(row=row, column=keys.index(key) + 1), value)
    if assessments:
        ws = sheet_named(wb, layout.ASSESSMENT_SHEET)
        keys = [c.key for c in layout.ASSESSMENT.columns]
        for row in range(2, ws.max_row + 1):
            given = assessments.get(ws.cell(row=row, column=1).value, ())
            for column, value in _by_column(given, keys, first=3):
                put_value(ws.cell(row=row, column=column), value)
    if actions is not None:
        ws = sheet_named(wb, layout.ACTIONS_SHEET)
        keys = [c.key for c in layout.ACTIONS.columns]
        for row in range(2, ws.max_row + 1):  # clear the prefilled theme rows
            for column in range(1, len(keys) + 1):
                ws.cell(row=row, column=column).value = None
        for row, values in enumerate(actions, start=2):
            for column, key in enumerate(keys, start=1):
                put_value(ws.cell(row=row, column=column), values.get(key))
    if owners:
        ws = sheet_named(wb, layout.OWNERS_SHEET)
        keys = [c.key for c in layout.OWNERS.columns]
        for row, values in enumerate(owners, start=2):
            for column, value in _by_column(values, keys, first=1):
                put_value(ws.cell(row=row, column=column), value)
    if progress_log:
        ws = sheet_named(wb, layout.PROGRESS_LOG_SHEET)
        keys = [c.key for c in layout.PROGRESS_LOG.columns]
        for row, values in enumerate(progress_log, start=2):
            for column, value in _by_column(values, keys, first=1):
                put_value(ws.cell(row=row, column=column), value)
    if strands is not None:
        _fill_strands(sheet_named(wb, layout.LISTS_SHEET), strands)
    return wb


def sheet_named(wb: Workbook, name: str) -> Worksheet:
    """The sheet layout calls name, under its English name or the Welsh a Welsh template gives it."""
    return wb[name] if name in wb.sheetnames else wb[welsh_name(name)]


def _fill_strands(ws: Worksheet, strands: Sequence[Mapping[str, object]]) -> None:
    """Replace the Lists sheet's strands and colours (the columns found by their headings)."""
    headings = [cell.value for cell in ws[1]]
    columns = {}
    for key in ("strand", "strand_colour"):
        heading = layout.LISTS.column(key).heading
        found = heading if heading in headings else welsh_name(heading)
        columns[key] = headings.index(found) + 1
    for row in range(2, ws.max_row + 1):
        for column in columns.values():
            ws.cell(row=row, column=column).value = None
    for row, values in enumerate(strands, start=2):
        for key, column in columns.items():
            put_value(ws.cell(row=row, column=column), values.get(key))


def _by_column(
    values: Sequence[object] | Mapping[str, object], keys: list[str], first: int
) -> list[tuple[int, object]]:
    """(column number, value) pairs: a sequence fills columns from first on, a mapping by key."""
    if not isinstance(values, Mapping):
        return list(enumerate(values, start=first))
    unknown = set(values) - set(keys)
    if unknown:
        raise KeyError(f"no column with field key {', '.join(sorted(unknown))}")
    return [(keys.index(key) + 1, value) for key, value in values.items()]


def _reorder_rows(ws: Worksheet, refs: list[str]) -> None:
    """Move the prefilled rows so that their first cells follow refs (others keep their order after)."""
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    rank = {ref: i for i, ref in enumerate(refs)}
    rows.sort(key=lambda values: rank.get(values[0], len(refs)))
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put_at(ws, number, column, value)


def put_value(cell: Cell, value: object) -> None:
    """Put value in cell as the filler does (through pipeline.cells), a date shown as a date."""
    put(cell, None if value == "" else value)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
