"""The council's own columns and sheets, carried into every workbook eqplan writes for it.

The README lets councils add columns of their own to the table sheets (a
"My notes" column on Actions) and sheets of their own (a "Notes" sheet).
`eqplan upgrade`, `next-period` and `merge` write a fresh template, so
without this they would lose them. The reader sets them aside as found
(values as typed, a formula's last result) in its one pass over the cells,
and only those commands make columns and sheets of them (own_columns,
own_sheets), so validate and build only set the cells aside; `WorkbookData`
places each row's own values beside the row they stood beside, after
eqplan's columns, and adds the sheets after eqplan's. Every value goes
through `pipeline.cells`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.cells import put, sheet_name
from pipeline.formats import format_number
from pipeline.i18n import _, ngettext
from pipeline.text import clean_text, match_key
from pipeline.welsh_text import welsh_name
from pipeline.workbook import layout
from pipeline.workbook.engines import SheetData
from pipeline.workbook.other_sheets import TEMPLATE_SHEETS
from pipeline.workbook.sheet_scan import column_letter

if TYPE_CHECKING:  # openpyxl only to write: the reader, which builds OwnColumns, never loads it
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from pipeline.workbook.own_fields import OwnFieldCells

#: The table sheets whose own columns are carried, in the order a report lists them.
TABLE_SHEETS = (
    layout.SECTIONS_SHEET, layout.ASSESSMENT_SHEET, layout.ACTIONS_SHEET,
    layout.OWNERS_SHEET, layout.PROGRESS_LOG_SHEET,
)  # fmt: skip


@dataclass
class OwnColumns:
    """A table sheet's columns that are not eqplan's, as found under its heading row."""

    headings: dict[int, str] = field(default_factory=dict)  # column number -> heading ("" none)
    rows: dict[int, dict[int, object]] = field(default_factory=dict)  # Excel row -> column -> value
    #: Cells above the heading row (a title typed over the table): the new sheet's headings
    #: are its first row, so these have no place in it and are named, not copied.
    above: dict[tuple[int, int], object] = field(default_factory=dict)

    def cells(self, heading_column: int) -> int:
        """How many cells of one column hold something."""
        return sum(1 for values in self.rows.values() if heading_column in values)


@dataclass
class OwnSheet:
    """A sheet of the council's own: its name, whether it was shown, and its values by cell."""

    title: str
    visible: bool
    cells: dict[tuple[int, int], object]
    very_hidden: bool = False  # not in Excel's Unhide list (set by a macro): kept so


def carried_value(value: object) -> object:
    """A cell's value as carried: text without the characters a workbook cannot hold."""
    if isinstance(value, str):
        return clean_text(value)[0] if value.strip() else None
    return str(value) if isinstance(value, dt.time) else value


@dataclass
class OwnCells:
    """What the reader found of a table sheet's own columns, in its one pass over the cells:
    their headings (column number -> heading) and the cells below the heading row, as found.
    Only upgrade, next-period and merge carry them, so only they make them OwnColumns."""

    headings: dict[int, str] = field(default_factory=dict)
    cells: list[tuple[tuple[int, int], object]] = field(default_factory=list)
    above: list[tuple[tuple[int, int], object]] = field(default_factory=list)  # the headings


def own_columns(found: OwnCells) -> OwnColumns:
    """The council's columns of a table sheet: each with a heading, or anything below it."""
    own = OwnColumns()
    for (row, column), value in sorted(found.cells, key=lambda item: item[0][::-1]):
        value = carried_value(value)
        if value is not None:
            own.headings.setdefault(column, found.headings.get(column, "").strip())
            own.rows.setdefault(row, {})[column] = value
    for column, heading in found.headings.items():
        if column not in own.headings and heading.strip():
            own.headings[column] = heading.strip()  # a heading with nothing under it yet
    own.headings = dict(sorted(own.headings.items()))
    own.above = {where: v for where, v in sorted(found.above) if carried_value(v) is not None}
    return own


def own_sheets(sheets: list[SheetData], eqplans: Iterable[str] = ()) -> list[OwnSheet]:
    """The sheets that are not eqplan's (the workbook's own, or a copy of one of eqplan's,
    such as `Actions (2)`), with their values; empty ones are left out.

    eqplans: the names of eqplan's sheets; by default any of the template's, in English or
    Welsh, the record `eqplan split` hides in a return and the one merge keeps in a merged
    plan (merged_record: merge writes it afresh). merge gives the sheets split wrote in the
    return (returns.sheets_sent), so any other is the owner's, whatever its name (even a
    merge record's: split never sends one).
    """
    template = [n for name in TEMPLATE_SHEETS for n in (name, welsh_name(name))]
    names = eqplans or (*template, layout.RECORD_SHEET, layout.MERGED_SHEET)
    known = {match_key(name) for name in names}
    found = []
    for sheet in sheets:
        if match_key(sheet.title) in known:
            continue
        cells = {where: carried_value(value) for where, value in sorted(sheet.cells.items())}
        cells = {where: value for where, value in cells.items() if value is not None}
        if cells:
            found.append(OwnSheet(sheet.title, sheet.visible, cells, sheet.very_hidden))
    return found


@dataclass
class OwnData:
    """What a workbook holds of the council's own, and where each row's own values go.

    rows: for each table sheet, the Excel row each row WorkbookData holds came from, beside
    a Sections or Self-assessment row's module or theme ref, or an Actions, Owners or
    Progress log row's values (the very dict, which next-period and merge change in place,
    found again by identity). A row merge adds has none: its own cells stay empty.
    """

    columns: dict[str, OwnColumns] = field(default_factory=dict)  # by layout sheet name
    rows: dict[str, list[tuple[object, int]]] = field(default_factory=dict)
    sheets: list[OwnSheet] = field(default_factory=list)
    #: The Plan and Report sheets' own cells (own_fields.py), by layout sheet name.
    fields: dict[str, OwnFieldCells] = field(default_factory=dict)

    def place(self, sheet: str, key: object, number: int) -> None:
        """Note that Excel row number of sheet is held as key (a ref, or a row's values)."""
        self.rows.setdefault(sheet, []).append((key, number))

    def copied(self, fields: bool = True, carried: bool = True) -> list[str]:
        """The own columns, cells beside the fields (unless not fields) and sheets, for the
        command's report (in the language being written): as carried, or (not carried) named
        for the officer to copy."""
        lines = [
            _("%(sheet)s: your column %(column)s (%(cells)s with something in)")
            % {
                "sheet": _(sheet),
                "column": _named(heading, column),
                "cells": cells(own.cells(column)),
            }
            for sheet, own in self._in_order()
            for column, heading in own.headings.items()
        ]
        if fields:
            lines += [
                line for sheet, own in self.fields.items() for line in own.report(sheet, carried)
            ]
        how = _(", as values (not formulas or formatting)") if carried else ""
        lines += [
            _("%(sheet)s (your own sheet): %(cells)s with something in%(how)s")
            % {"sheet": sheet.title, "cells": cells(len(sheet.cells)), "how": how}
            for sheet in self.sheets
        ]
        return lines

    def not_copied(self) -> list[str]:
        """Own values on rows the new workbook does not have (a row with nothing in eqplan's
        columns, or one left out), for the command's report (in the language being
        written): never lost without a word."""
        lines = []
        for sheet, own in self._in_order():
            placed = {number for _key, number in self.rows.get(sheet, [])}
            left = sorted(number for number in own.rows if number not in placed)
            for column, heading in own.headings.items():
                rows = [number for number in left if column in own.rows[number]]
                if rows:
                    shown = ", ".join(str(number) for number in rows[:5])
                    more = ", ..." if len(rows) > 5 else ""
                    said = ngettext(
                        "%(sheet)s: your column %(column)s, %(cells)s on rows with nothing in "
                        "eqplan's columns (row %(rows)s): copy it across by hand if needed",
                        "%(sheet)s: your column %(column)s, %(cells)s on rows with nothing in "
                        "eqplan's columns (rows %(rows)s): copy them across by hand if needed",
                        len(rows),
                    )
                    lines.append(
                        said
                        % {
                            "sheet": _(sheet),
                            "column": _named(heading, column),
                            "cells": cells(len(rows)),
                            "rows": shown + more,
                        }
                    )
        return lines + self.above_headings()

    def above_headings(self) -> list[str]:
        """The cells above a table sheet's headings, for not_copied."""
        lines = []
        for sheet in TABLE_SHEETS:
            above = self.columns.get(sheet, OwnColumns()).above
            if above:
                rows = ", ".join(str(row) for row in sorted({row for row, _column in above}))
                said = ngettext(
                    "%(sheet)s: %(cells)s above its headings (row %(rows)s), such as a title: "
                    "the new sheet's headings are its first row, so copy it across by hand if "
                    "needed",
                    "%(sheet)s: %(cells)s above its headings (row %(rows)s), such as a title: "
                    "the new sheet's headings are its first row, so copy them across by hand if "
                    "needed",
                    len(above),
                )
                lines.append(said % {"sheet": _(sheet), "cells": cells(len(above)), "rows": rows})
        return lines

    def _in_order(self) -> list[tuple[str, OwnColumns]]:
        return [
            (s, self.columns[s]) for s in TABLE_SHEETS if self.columns.get(s, OwnColumns()).headings
        ]

    def put_into(self, wb: Workbook, written: dict[str, list[object]]) -> None:
        """Put the own columns beside the rows of wb (a filled template) and add the own
        sheets. written: each list-shaped sheet's rows in the order they were written."""
        from pipeline.workbook.filler import put_value, sheet_named
        from pipeline.workbook.own_fields import put_own_fields

        put_own_fields(wb, self.fields)

        for sheet, own in self.columns.items():
            if not own.headings:
                continue
            ws = sheet_named(wb, sheet)
            first = _last_heading(ws) + 1
            where = dict(zip(own.headings, range(first, first + len(own.headings)), strict=True))
            for column, heading in own.headings.items():
                cell = put(ws.cell(row=1, column=where[column]), heading or None)
                _style_as(cell, ws.cell(row=1, column=first - 1))
            pairs = self.rows.get(sheet, [])
            if sheet in written:  # by identity: the pairs hold each dict, so no id is reused
                by_id = {id(values): number for values, number in pairs}
                targets = [(row, by_id.get(id(v))) for row, v in enumerate(written[sheet], 2)]
            else:  # Sections and Self-assessment: each row found by its ref in column A
                by_ref = dict(pairs)
                refs = [ws.cell(row=row, column=1).value for row in range(2, ws.max_row + 1)]
                targets = [(row, by_ref.get(ref)) for row, ref in enumerate(refs, 2)]
            for row, source in targets:
                for column, value in own.rows.get(source, {}).items() if source else ():
                    put_value(ws.cell(row=row, column=where[column]), value)
        taken = list(wb.sheetnames)
        for sheet in self.sheets:
            ws = wb.create_sheet(sheet_name(sheet.title, taken))
            taken.append(ws.title)
            hidden = "veryHidden" if sheet.very_hidden else "hidden"
            ws.sheet_state = "visible" if sheet.visible else hidden
            for (row, column), value in sheet.cells.items():
                put_value(ws.cell(row=row, column=column), value)


def _named(heading: str, column: int) -> str:
    """`'My notes'`, or for a column with no heading its letter, as the officer finds it."""
    if heading:
        return f"'{heading}'"
    return _("with no heading (column %(letter)s of the workbook read)") % {
        "letter": column_letter(column)
    }


def cells(count: int) -> str:
    """`1 cell`, `3 cells`: a count of cells in the language being written."""
    return ngettext("%(count)s cell", "%(count)s cells", count) % {"count": format_number(count)}


def _last_heading(ws: Worksheet) -> int:
    """The last column of the template sheet's heading row that holds a heading."""
    return max((c.column for c in ws[1] if c.value is not None), default=0)


def _style_as(cell: Cell, model: Cell) -> None:
    """Give an own column's heading the look of eqplan's headings beside it."""
    for part in ("font", "fill", "border", "alignment"):
        setattr(cell, part, copy(getattr(model, part)))
