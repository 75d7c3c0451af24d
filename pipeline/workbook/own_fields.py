"""The council's own cells on the Plan and Report sheets, carried like its own columns.

The Plan and Report sheets are lists of fields: a label in column A, its
value in B and the template's help in C. An officer may write notes beside a
field (column D onwards, with a heading in row 1) or add rows of their own (a
label eqplan does not know). `eqplan upgrade`, `next-period` and `merge` write
a fresh template, so they dropped these without a word (found by an attacker's
review). The reader sets them aside as it reads the fields (own_field_cells);
the commands put each note beside the same field of the new sheet, and the
rows of the council's own after eqplan's (put_own_fields), and say so
(OwnData.copied). Every value goes through `pipeline.cells`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.formats import format_number
from pipeline.i18n import _, ngettext
from pipeline.text import match_key
from pipeline.welsh_text import welsh_name
from pipeline.workbook import layout
from pipeline.workbook.own_data import carried_value
from pipeline.workbook.sheet_scan import column_letter

if TYPE_CHECKING:  # openpyxl only to write: the reader never loads it
    from openpyxl import Workbook

#: The template's help text, eqplan's on the rows of its fields: notes start after it.
HELP_COLUMN = 3
#: The heading row's place among the fields (`beside`).
HEADINGS = ""


@dataclass
class OwnFieldCells:
    """A field sheet's cells that are not eqplan's, as found."""

    #: Beside eqplan's rows: field key (HEADINGS for row 1) -> column -> value.
    beside: dict[str, dict[int, object]] = field(default_factory=dict)
    #: Rows of the council's own, in order: column -> value.
    rows: list[dict[int, object]] = field(default_factory=list)
    #: What was typed over eqplan's headings in row 1 (a title, say): column -> value.
    over_headings: dict[int, object] = field(default_factory=dict)

    def report(self, sheet: str, carried: bool = True) -> list[str]:
        """What is carried, in words for the officer in the language being written (nothing
        when there is nothing); not carried (combine names another plan's), what there is,
        with no word of a place."""
        notes = sum(len(values) for values in self.beside.values())
        parts = []
        if notes:
            parts.append(
                ngettext(
                    "%(count)s cell of yours beside its fields",
                    "%(count)s cells of yours beside its fields",
                    notes,
                )
                % {"count": format_number(notes)}
            )
        if self.rows:
            rows = len(self.rows)
            parts.append(
                ngettext(
                    "%(count)s row of your own, after eqplan's",
                    "%(count)s rows of your own, after eqplan's",
                    rows,
                )
                % {"count": format_number(rows)}
            )
        if self.over_headings:
            cells = ", ".join(f"{column_letter(c)}1" for c in self.over_headings)
            where = (
                _(", in a row of its own after eqplan's (row 1 holds eqplan's headings again)")
                if carried
                else ""
            )
            parts.append(
                _("what you typed over its headings (%(cells)s)%(where)s")
                % {"cells": cells, "where": where}
            )
        return [f"{_(sheet)}: {functools.reduce(_and, parts)}"] if parts else []


def _and(first: str, second: str) -> str:
    return _("%(first)s and %(second)s") % {"first": first, "second": second}


def labels_of(fields: Iterable[layout.PlanField]) -> dict[str, layout.PlanField]:
    """The fields by the match_key of their labels, in English and in Welsh."""
    fields = list(fields)
    labels = {match_key(f.label): f for f in fields}
    labels |= {match_key(welsh_name(f.label)): f for f in fields if f.label}
    return labels


def own_field_cells(
    cells: Mapping[tuple[int, int], object], read: Mapping[int, str]
) -> OwnFieldCells:
    """The cells of a field sheet that are not eqplan's. read: the rows whose fields the
    reader took (row -> field key); row 1 is the headings. On those rows eqplan's cells are
    the label, the value and the help; every cell of any other row is the council's."""
    own = OwnFieldCells()
    rows: dict[int, dict[int, object]] = {}
    for (row, column), value in sorted(cells.items()):
        value = carried_value(value)
        if value is None:
            continue
        key = HEADINGS if row == 1 else read.get(row)
        if key is None:
            rows.setdefault(row, {})[column] = value
        elif column > HELP_COLUMN:
            own.beside.setdefault(key, {})[column] = value
        elif key == HEADINGS and match_key(str(value)) not in _HEADING_KEYS:
            own.over_headings[column] = value
    own.rows = list(rows.values())
    return own


def put_own_fields(wb: Workbook, found: Mapping[str, OwnFieldCells]) -> None:
    """Put each sheet's own cells into wb (a filled template): notes beside the same field,
    the rows of the council's own after the last row. A note beside a field the new sheet
    lacks goes into a row of its own, under the field's label, so nothing is lost."""
    from pipeline.workbook.filler import put_value, sheet_named

    for sheet, own in found.items():
        if not (own.beside or own.rows or own.over_headings):
            continue
        ws = sheet_named(wb, sheet)
        labels = labels_of(_FIELDS[sheet])
        places = {HEADINGS: 1}
        for row in range(2, ws.max_row + 1):
            known = labels.get(match_key(str(ws.cell(row=row, column=1).value or "")))
            if known is not None:
                places.setdefault(known.key, row)
        extra = [own.over_headings] if own.over_headings else []
        extra += own.rows
        for key, values in own.beside.items():
            if key in places:
                for column, value in values.items():
                    put_value(ws.cell(row=places[key], column=column), value)
            else:
                label = next((f.label for f in _FIELDS[sheet] if f.key == key), key)
                extra.append({1: label, **values})
        first = ws.max_row + 2  # one empty row between eqplan's fields and the council's
        for offset, values in enumerate(extra):
            for column, value in values.items():
                put_value(ws.cell(row=first + offset, column=column), value)


_FIELDS = {layout.PLAN_SHEET: layout.PLAN_FIELDS, layout.REPORT_SHEET: layout.REPORT_FIELDS}
#: Row 1 of a field sheet as eqplan writes it, in English and in Welsh (Field, Value).
_HEADING_KEYS = {
    match_key(name)
    for column in layout.PLAN.columns
    for name in (column.heading, welsh_name(column.heading))
}
