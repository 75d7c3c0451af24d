"""Read a filled workbook into raw rows with positions, noting structural problems.

This is the only place that opens an officer's workbook. It finds sheets and columns
by name (tolerant of case, spacing and added columns, which it keeps aside: own_data.py),
keeps every value with its Excel row, and turns what Excel hides (error values, formulas
never calculated, control characters, merged and hidden cells) into problems with a cell
address. The cells come from `engines.load_book` (calamine, plus a byte scan for what
calamine cannot see). The file is only ever read, never written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import problems
from pipeline.errors import WorkbookUnreadable
from pipeline.excel_dates import DateSystem
from pipeline.gc_pause import paused_gc
from pipeline.i18n import _
from pipeline.input_checks import ZIP_ERRORS, check_input, zip_damage
from pipeline.problems import Problem
from pipeline.sources import InputFile, Source
from pipeline.text import clean_text, match_key, shortened
from pipeline.workbook import layout
from pipeline.workbook.engines import SheetData, SheetTooLarge, load_book
from pipeline.workbook.layout import SheetSpec
from pipeline.workbook.lookalike import column_missing, columns_not_read
from pipeline.workbook.other_sheets import (
    column_names,
    find_header,
    likely_sheet,
    sheets_by_key,
    sheets_not_read,
)
from pipeline.workbook.outside_reported import external_links, never_recalculate, outside_not_read
from pipeline.workbook.own_data import OwnCells
from pipeline.workbook.own_fields import OwnFieldCells, labels_of, own_field_cells
from pipeline.workbook.sheet_scan import Cell, column_letter, column_number

LONG_TEXT = 5_000
PLAN_SEARCH_ROWS = 200


@dataclass
class RawRow:
    """One data row: values by field key, with its real Excel row number."""

    number: int
    values: dict[str, object]
    hidden: bool = False


@dataclass
class RawTable:
    """A table-shaped sheet as found: its title, header row, column letters and rows."""

    spec: SheetSpec
    title: str
    header_row: int
    columns: dict[str, str]
    rows: list[RawRow] = field(default_factory=list)
    own: OwnCells = field(default_factory=OwnCells)  # the council's columns: not read

    def cell(self, key: str, row: int) -> str:
        return f"{self.columns.get(key, 'A')}{row}"


@dataclass
class PlanValue:
    """A value from the Plan sheet with its cell."""

    value: object
    cell: str


@dataclass
class RawWorkbook:
    """Everything read from a workbook, before any meaning is given to the values.

    source is the workbook as read (its path, or a stream's bytes) and shown
    how messages name it; path is None for a stream.
    """

    source: InputFile
    sheet_names: list[str]
    plan_sheet: str = layout.PLAN_SHEET
    plan: dict[str, PlanValue] = field(default_factory=dict)
    report_sheet: str = ""  # the optional Report sheet's name as found; empty when absent
    report: dict[str, PlanValue] = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lists: RawTable | None = None  # the hidden Lists sheet's strand columns, when present
    #: What a number standing for a date counts from (old Excel for Mac's workbooks: 1904).
    date_system: DateSystem = DateSystem.FROM_1900
    unread_sheets: list[SheetData] = field(default_factory=list)  # all not read (own_sheets picks)
    own_fields: dict[str, OwnFieldCells] = field(default_factory=dict)  # Plan's and Report's

    @property
    def path(self) -> Path | None:
        return self.source.path

    @property
    def shown(self) -> str:
        return self.source.shown

    @property
    def name(self) -> str:
        """The workbook's file name (a stream's given name): part of every action's key."""
        return self.source.filename or self.source.shown


@paused_gc()
def read_workbook(source: Source, name: str | None = None) -> RawWorkbook:
    """Read the plan workbook; raise WorkbookUnreadable if it cannot be opened at all.

    source is a path or a binary stream (an upload, an io.BytesIO), read from its current
    position; a stream is read into memory once and checked exactly as a file is. name is
    how messages name a stream (default "the uploaded workbook"). Problems that do not stop
    reading (a missing sheet, an error value) are collected in `RawWorkbook.problems` so
    the officer sees them all at once.
    """
    checked = check_input(source, name)
    file = checked.source
    shown = file.shown
    try:
        book = load_book(file.content)
    except SheetTooLarge as exc:
        problem = problems.FILE_TOO_LARGE.at(path=shown, detail=str(exc))
        raise WorkbookUnreadable(problem.message, hint=problem.hint, code=problem.code) from None
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        detail = zip_damage(exc) if isinstance(exc, ZIP_ERRORS) else _short(exc)
        problem = problems.FILE_DAMAGED.at(path=shown, detail=detail)
        raise WorkbookUnreadable(problem.message, hint=problem.hint, code=problem.code) from None
    sheets = book.sheets
    if not sheets:
        problem = problems.FILE_DAMAGED.at(path=shown, detail=_("it contains no sheets"))
        raise WorkbookUnreadable(problem.message, hint=problem.hint, code=problem.code)
    names = [sheet.title for sheet in sheets]
    raw = RawWorkbook(source=file, sheet_names=names, date_system=book.date_system)
    raw.problems.extend(checked.warnings)
    if book.outside_links:
        raw.problems.append(external_links(shown, book.outside_links))
    reader = _SheetReader(raw)
    by_key = sheets_by_key(sheets)  # a Welsh template's found by their Welsh names too
    used = {match_key(n) for n in (layout.PLAN_SHEET, layout.REPORT_SHEET, layout.LISTS_SHEET)}
    used |= {match_key(s.name) for s in (*layout.DATA_SHEETS, layout.PROGRESS_LOG)}
    read = {match_key(by_key[k].title): by_key[k].title for k in used if k in by_key}
    unread = [sheet for sheet in sheets if sheet.title not in read.values()]
    suggested: set[str] = set()

    def missing(spec: SheetSpec) -> Problem:
        suggestion = likely_sheet(spec, unread)
        suggested.update(s.title for s in unread if f"'{s.title}'" in suggestion)
        return _sheet_missing(spec.name, names, suggestion)

    plan_sheet = by_key.get(match_key(layout.PLAN_SHEET))
    if plan_sheet is None:
        raw.problems.append(missing(layout.PLAN))
    else:
        raw.plan_sheet = plan_sheet.title
        reader.read_plan(plan_sheet)
    report_sheet = by_key.get(match_key(layout.REPORT_SHEET))
    if report_sheet is not None:  # optional: older workbooks have none
        raw.report_sheet = report_sheet.title
        reader.read_fields(report_sheet, layout.REPORT_FIELDS, raw.report, layout.REPORT_SHEET)
    for spec in layout.DATA_SHEETS:
        sheet = by_key.get(match_key(spec.name))
        if sheet is None:
            raw.problems.append(missing(spec))
            continue
        table = reader.read_table(sheet, spec)
        if table is not None:
            raw.tables[spec.name] = table
    log = by_key.get(match_key(layout.PROGRESS_LOG_SHEET))
    if log is not None:  # optional: workbooks made before issue 12 have none
        table = reader.read_table(log, layout.PROGRESS_LOG)
        if table is not None:
            raw.tables[layout.PROGRESS_LOG_SHEET] = table
    lists = by_key.get(match_key(layout.LISTS_SHEET))
    if lists is not None:  # optional, and hidden by design: no warnings about either
        raw.lists = reader.read_table(lists, layout.LISTS, optional=True)
    raw.problems.extend(sheets_not_read(sheets, read, suggested))
    raw.unread_sheets = unread  # own_data.own_sheets reads them, for the commands carrying them
    if book.outside:  # every one at its cell, read or not; and nothing may say recalculate
        raw.problems.extend(outside_not_read(book.outside, raw.problems))
        raw.problems = never_recalculate(raw.problems)
    return raw


def _short(exc: Exception) -> str:
    return shortened(str(exc).strip() or type(exc).__name__)


def _sheet_missing(name: str, found: list[str], suggestion: str) -> Problem:
    shown = ", ".join(repr(s) for s in found)
    return problems.SHEET_MISSING.at(name, sheet_name=name, found=shown, suggestion=suggestion)


def _ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


def _not_read(sheet: SheetData, where: Cell, column_name: str) -> Problem:
    """The problem of a cell not read: a formula reaching outside, an error value, or uncalculated."""
    row, column = where
    for unread, kind in (
        (sheet.outside, problems.FORMULA_EXTERNAL),
        (sheet.errors, problems.CELL_ERROR_VALUE),
        (sheet.uncalculated, problems.FORMULA_NO_VALUE),
    ):
        if where in unread:
            shown = unread[where]
            return kind.at(sheet.title, _ref(row, column), row=row, column=column_name, value=shown)
    raise KeyError(where)


def _text_problems(
    sheet: SheetData, where: Cell, column_name: str, text: str, changed: bool
) -> list[Problem]:
    """A cleaned text's problems: control characters removed (changed), or too long to read."""
    row, column = where
    ref = _ref(row, column)
    found = []
    if changed:
        found.append(problems.TEXT_CONTROL_CHARS.at(sheet.title, ref, row=row, column=column_name))
    if len(text) > LONG_TEXT:
        found.append(
            problems.TEXT_LONG.at(sheet.title, ref, row=row, column=column_name, length=len(text))
        )
    return found


class _SheetReader:
    """Turns sheet data into raw rows, reporting what Excel hides at its cell."""

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw

    def value(self, sheet: SheetData, where: Cell, column_name: str = "") -> object:
        """The cleaned value of a cell, reporting what Excel hides in it (_not_read) and controls."""
        # Runs for every cell read: three lookups, and nothing built unless a problem is found.
        if where in sheet.outside or where in sheet.errors or where in sheet.uncalculated:
            self.raw.problems.append(_not_read(sheet, where, column_name))
            return None
        value = sheet.cells.get(where)
        if isinstance(value, str):
            text, changed = clean_text(value)
            if changed or len(text) > LONG_TEXT:
                self.raw.problems.extend(_text_problems(sheet, where, column_name, text, changed))
            return text if text.strip() else None
        if isinstance(value, dt.time):
            return str(value)
        return value

    def read_plan(self, sheet: SheetData) -> None:
        """Read the Plan sheet's Field/Value pairs."""
        self.read_fields(sheet, layout.PLAN_FIELDS, self.raw.plan, layout.PLAN_SHEET)

    def read_fields(
        self,
        sheet: SheetData,
        fields: tuple[layout.PlanField, ...],
        into: dict[str, PlanValue],
        name: str,
    ) -> None:
        """Read Field/Value pairs into `into`: labels in column A, values in column B, any order.
        The council's own cells on the sheet are set aside (own_fields.py) under name."""
        labels = labels_of(fields)
        read: dict[int, str] = {}
        for (row, column), label in sorted(sheet.cells.items()):
            if column != 1 or row > PLAN_SEARCH_ROWS or not isinstance(label, str):
                continue
            plan_field = labels.get(match_key(label))
            if plan_field is None or plan_field.key in into:
                continue
            value = self.value(sheet, (row, 2), plan_field.label)
            into[plan_field.key] = PlanValue(value, _ref(row, 2))
            read[row] = plan_field.key
        self.raw.own_fields[name] = own_field_cells(sheet.cells, read)
        self._warn_hidden_sheet(sheet, bool(into))

    def read_table(
        self, sheet: SheetData, spec: SheetSpec, optional: bool = False
    ) -> RawTable | None:
        header_row, found = find_header(sheet, spec)
        if header_row is None and optional:
            return None
        if header_row is None:
            expected = ", ".join(f"'{c.heading}'" for c in spec.columns if c.required)
            self.raw.problems.append(
                problems.SHEET_NO_HEADER.at(sheet.title, sheet_name=sheet.title, expected=expected)
            )
            return None
        columns = self._map_columns(sheet, spec, header_row, found, optional)
        index_to_key = {column_number(letter): key for key, letter in columns.items()}
        own = {column: heading for column, heading in found.items() if column not in index_to_key}
        table = RawTable(spec, sheet.title, header_row, columns, own=OwnCells(own))
        headings = {c.key: c.heading for c in spec.columns}

        rows: dict[int, dict[str, object]] = {}
        used = {*sheet.cells, *sheet.errors, *sheet.uncalculated, *sheet.outside}
        for where in used:
            row, column = where
            if row <= header_row:
                if row < header_row and where in sheet.cells:  # a title over the table
                    table.own.above.append((where, sheet.cells[where]))
                continue
            key = index_to_key.get(column)
            if key is None:  # a column of the council's own (own_data.py): kept as found
                table.own.cells.append((where, sheet.cells.get(where)))
                continue
            value = self.value(sheet, where, headings[key])
            if value is not None:
                rows.setdefault(row, {})[key] = value
        last_row = max(used, default=(header_row, 0))[0]  # cells order by row first
        self._fill_merged(sheet, header_row, last_row, index_to_key, headings, rows)
        for number in sorted(rows):
            table.rows.append(RawRow(number, rows[number], number in sheet.hidden_rows))
        if not optional:
            self._warn_hidden_rows(sheet, [row.number for row in table.rows if row.hidden])
            self._warn_hidden_sheet(sheet, bool(table.rows))
        return table

    def _warn_hidden_rows(self, sheet: SheetData, hidden: list[int]) -> None:
        """One warning per run of hidden data rows, so a filter hiding 500 rows is one line."""
        runs: list[list[int]] = []
        for number in hidden:
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        for run in runs:
            first, last = run[0], run[-1]
            rows = f"Row {first} is" if first == last else f"Rows {first} to {last} are"
            self.raw.problems.append(
                problems.HIDDEN_ROWS.at(sheet.title, f"A{first}", row=first, rows=rows)
            )

    def _warn_hidden_sheet(self, sheet: SheetData, has_data: bool) -> None:
        if not sheet.visible and has_data:
            self.raw.problems.append(problems.HIDDEN_SHEET.at(sheet.title, sheet_name=sheet.title))

    def _map_columns(
        self,
        sheet: SheetData,
        spec: SheetSpec,
        header_row: int,
        found: dict[int, str],
        optional: bool = False,
    ) -> dict[str, str]:
        """Each column's letter by key; the hidden Lists sheet (optional) gets no warnings."""
        columns: dict[str, str] = {}
        missing: list[Problem] = []
        for column in spec.columns:
            names = column_names(column)
            hits = [index for index, text in found.items() if match_key(text) in names]
            # The exact heading wins over an alias when both are present.
            hits.sort(key=lambda i: (match_key(found[i]) != match_key(column.heading), i))
            if hits:
                columns[column.key] = column_letter(hits[0])
                if len(hits) > 1 and match_key(found[hits[1]]) == match_key(found[hits[0]]):
                    self.raw.problems.append(
                        problems.COLUMN_DUPLICATE.at(
                            sheet.title,
                            f"{column_letter(hits[1])}{header_row}",
                            expected=column.heading,
                            sheet_name=sheet.title,
                            first=f"{column_letter(hits[0])}{header_row}",
                            second=f"{column_letter(hits[1])}{header_row}",
                        )
                    )
            elif column.required:
                missing.append(column_missing(sheet.title, spec, column.heading, header_row, found))
                self.raw.problems.append(missing[-1])
        if not optional:
            read = {column_number(letter) for letter in columns.values()}
            named = {p.cell for p in missing}
            self.raw.problems.extend(
                columns_not_read(sheet.title, spec, header_row, found, read, named, set(columns))
            )
        return columns

    def _fill_merged(
        self,
        sheet: SheetData,
        header_row: int,
        last_row: int,
        index_to_key: dict[int, str],
        headings: dict[str, str],
        rows: dict[int, dict[str, object]],
    ) -> None:
        """Copy each merged range's top-left value down the rows it covers, with a warning.

        Council plans often merge a framework point over several action rows; the officer
        means it for every row, but Excel stores it only once. Rows past the sheet's last
        value are not made up: a range merged down to row 1,048,576 would add a million.
        """
        for min_row, min_col, max_row, max_col in sheet.merged:
            if max_row <= header_row:
                continue
            keys = [index_to_key[c] for c in range(min_col, max_col + 1) if c in index_to_key]
            value = rows.get(min_row, {}).get(keys[0]) if keys else None
            if value is None:
                continue
            for row in range(min_row + 1, min(max_row, last_row) + 1):
                rows.setdefault(row, {}).setdefault(keys[0], value)
            self.raw.problems.append(
                problems.MERGED_CELLS.at(
                    sheet.title,
                    _ref(min_row, min_col),
                    row=min_row,
                    range=f"{_ref(min_row, min_col)}:{_ref(max_row, max_col)}",
                    column=headings[keys[0]],
                    rows=f"{min_row} to {max_row}",
                )
            )
