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

from pipeline.cells import put
from pipeline.workbook import layout

DATE_FORMAT = "dd/mm/yyyy"


def fill_workbook(
    wb: Workbook,
    *,
    plan: Mapping[str, object] | None = None,
    sections: Mapping[str, Sequence[object]] | None = None,
    assessments: Mapping[str, Sequence[object]] | None = None,
    actions: Sequence[Mapping[str, object]] | None = None,
    owners: Sequence[Sequence[object]] | None = None,
) -> Workbook:
    """Fill wb (made by build_template) and return it.

    plan: Plan values by field key (`council`, `report_date`, ...).
    sections: by module ref, the values after the prefilled columns (lead officer, aspirations).
    assessments: by theme ref, the values after the prefilled columns (current, target, ...).
    actions: Actions rows by field key; given, they replace the prefilled theme rows.
    owners: Owners rows (name, role, email).
    """
    if plan:
        ws = wb[layout.PLAN_SHEET]
        keys = {f.label: f.key for f in layout.PLAN_FIELDS}
        for row in range(2, ws.max_row + 1):
            key = keys.get(ws.cell(row=row, column=1).value)
            if key in plan:
                _put(ws.cell(row=row, column=2), plan[key])
    for sheet, values in (
        (layout.SECTIONS_SHEET, sections),
        (layout.ASSESSMENT_SHEET, assessments),
    ):
        if values:
            ws = wb[sheet]
            for row in range(2, ws.max_row + 1):
                ref = ws.cell(row=row, column=1).value
                for column, value in enumerate(values.get(ref, ()), start=3):
                    _put(ws.cell(row=row, column=column), value)
    if actions is not None:
        ws = wb[layout.ACTIONS_SHEET]
        keys = [c.key for c in layout.ACTIONS.columns]
        for row in range(2, ws.max_row + 1):  # clear the prefilled theme rows
            for column in range(1, len(keys) + 1):
                ws.cell(row=row, column=column).value = None
        for row, values in enumerate(actions, start=2):
            for column, key in enumerate(keys, start=1):
                _put(ws.cell(row=row, column=column), values.get(key))
    if owners:
        ws = wb[layout.OWNERS_SHEET]
        for row, values in enumerate(owners, start=2):
            for column, value in enumerate(values, start=1):
                _put(ws.cell(row=row, column=column), value)
    return wb


def _put(cell: Cell, value: object) -> None:
    put(cell, None if value == "" else value)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
