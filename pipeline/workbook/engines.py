"""Load a workbook's sheets into plain cell maps, with the fastest engine that is still exact.

python-calamine reads a 10,000-action plan in a quarter of a second where
openpyxl takes nearly five (bench/), but calamine shows Excel error values
and formulas never calculated as empty cells, and cannot see hidden rows
(research/validation-anchors.md section 2). So each sheet's XML is also
parsed (`sheet_scan.py`) for exactly those three things: rows marked hidden,
cells of type error, and formula cells with no stored value; and for formulas
reaching outside the workbook, whose stored value is not read either. When calamine
would have to build an enormous dense grid (a stray value in cell
XFD1048576), or a sheet writes cell positions in a form calamine may read
differently, openpyxl reads the workbook instead, since it keeps cells
sparse. Either way the result is the same `SheetData`, so everything
downstream is engine-independent. Text comes out exactly as typed:
calamine decodes Excel's `_xHHHH_` escapes itself, and the openpyxl path
decodes them here, once.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.deadlines import MonthDate
from pipeline.excel_dates import DateSystem
from pipeline.i18n import _
from pipeline.text import clean_text, is_digits, unescape_excel
from pipeline.workbook.number_formats import date_styles
from pipeline.workbook.outside_formulas import names_reaching_outside
from pipeline.workbook.parts import Parts, PartsDamaged, skipped_by_openpyxl
from pipeline.workbook.sheet_scan import Cell, SheetScan, scan_sheet

#: Beyond this many cells in a sheet's used range, calamine's dense grid is refused.
MAX_DENSE_CELLS = 2_000_000
#: More filled cells than this in one sheet is no action plan (10,000 actions fill about
#: 100,000), and reading them would take minutes and gigabytes. FILE_TOO_LARGE states it.
MAX_FILLED_CELLS = 1_000_000
#: The names calamine and openpyxl read as the workbook format eqplan reads.
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class SheetTooLarge(Exception):
    """A sheet holds more filled cells than any action plan (MAX_FILLED_CELLS)."""

    def __init__(self, sheet: str, filled: int) -> None:
        super().__init__(
            f"sheet '{sheet}' has {filled:,} filled cells; the limit is {MAX_FILLED_CELLS:,}"
        )


@dataclass
class SheetData:
    """A sheet as plain data: non-empty values by cell, and what Excel hides."""

    title: str
    visible: bool = True
    #: Hidden so that Excel's Unhide does not list it (only a macro or LibreOffice shows it).
    very_hidden: bool = False
    cells: dict[Cell, object] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min_row, min_col, max_row, max_col
    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[Cell, str] = field(default_factory=dict)
    uncalculated: dict[Cell, str] = field(default_factory=dict)  # each formula as typed
    #: Formulas reaching outside the workbook (outside_formulas.py): their value is not read.
    outside: dict[Cell, str] = field(default_factory=dict)  # each formula as typed


@dataclass
class Book:
    """A workbook's sheets in workbook order, the date system its numbers count days in,
    what its external link parts link to (Parts.outside_links), and where its formulas
    reaching outside are, on every sheet (the reader reports each, at its cell)."""

    sheets: list[SheetData]
    date_system: DateSystem = DateSystem.FROM_1900
    outside_links: list[str] = field(default_factory=list)
    #: Every sheet's formulas reaching outside the workbook, by sheet name, read or not. Not
    #: only the sheets' SheetData.outside (the same dicts): a sheet the engines do not load
    #: (a dialog sheet, a chart sheet) is scanned, and has no SheetData to hold them.
    outside: dict[str, dict[Cell, str]] = field(default_factory=dict)


def load_sheets(path: Path | bytes) -> list[SheetData]:
    """Every sheet of the workbook at path (or in bytes read from a stream), in workbook order."""
    return load_book(path).sheets


def load_book(path: Path | bytes) -> Book:
    """The sheets of the workbook at path (or in bytes read from a stream), and its date system.

    calamine is used only when nothing in the file would make it reserve
    absurd amounts of memory (which aborts the process, past any `except`).
    Both engines choose a file's format by its name, so a workbook named otherwise
    (an .xlsx saved as `plan.xls`; input_checks has found it is one by its bytes,
    and warns) is read from its bytes, as what it is.
    """
    if isinstance(path, Path) and path.suffix.lower() not in XLSX_SUFFIXES:
        path = path.read_bytes()
    scans, strings, skipped, system, links = _scan(path)
    for name, scan in scans.items():
        if scan.filled > MAX_FILLED_CELLS:
            raise SheetTooLarge(name, scan.filled)
    calamine_ok = strings <= MAX_FILLED_CELLS and all(
        scan.plain and scan.area <= MAX_DENSE_CELLS for scan in scans.values()
    )
    sheets = None
    if calamine_ok:
        try:
            sheets = _load_calamine(path)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - a file calamine rejects may still open in openpyxl
            # calamine's internal panics (a date of -1e308 days) arrive as pyo3's
            # PanicException, which is not an Exception.
            sheets = None
    if sheets is None:
        if skipped:  # openpyxl would silently leave the sheet out
            raise PartsDamaged(skipped)
        sheets = _load_openpyxl(path, system)
    outside = {  # every scanned sheet's, cleaned once for messages, by the name as scanned
        name: {cell: clean_text(f)[0] for cell, f in scan.outside.items()}
        for name, scan in scans.items()
    }
    for sheet in sheets:
        scan = scans.get(sheet.title, SheetScan())
        sheet.hidden_rows |= scan.hidden_rows
        sheet.errors.update(scan.errors)
        sheet.uncalculated |= scan.uncalculated
        sheet.outside = outside.get(sheet.title, {})
        for cell in (*scan.errors, *scan.uncalculated, *scan.outside):
            sheet.cells.pop(cell, None)
        for cell in scan.outside:  # the formula is the problem, not the error it stored
            sheet.errors.pop(cell, None)
        _as_formatted(sheet, scan)
        # Names and error values reach messages too: no control characters in them either.
        sheet.title = clean_text(sheet.title)[0]
        sheet.errors = {cell: clean_text(value)[0] for cell, value in sheet.errors.items()}
        sheet.uncalculated = {cell: clean_text(f)[0] for cell, f in sheet.uncalculated.items()}
    found = {clean_text(name)[0]: cells for name, cells in outside.items() if cells}
    return Book(sheets, system, [clean_text(link)[0] for link in links], found)


def _as_formatted(sheet: SheetData, scan: SheetScan) -> None:
    """Dates as their number format shows them: a month-only format (`mmm-yy`) marks a month
    (deadlines.MonthDate), and a number below 0, no date at all, stays the number typed."""
    for cell in scan.months:
        value = sheet.cells.get(cell)
        if isinstance(value, dt.date):
            sheet.cells[cell] = MonthDate.of(value)
    for cell, number in scan.negatives.items():
        if cell in sheet.cells:
            sheet.cells[cell] = _normalise(number)


def _opened(source: Path | bytes) -> Path | io.BytesIO:
    """What zipfile and openpyxl open: the path itself, or a fresh stream over the bytes."""
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _scan(path: Path | bytes) -> tuple[dict[str, SheetScan], int, str, DateSystem, list[str]]:
    """What each sheet's XML holds beyond plain values, by sheet name; the strings declared;
    why openpyxl would leave a sheet out ('' if it would not); the date system; and what the
    external link parts link to.

    Parts are found as calamine finds them (parts.py), so the scan sees every
    part calamine would read; a sheet whose part cannot be found at all is refused.
    """
    found: dict[str, SheetScan] = {}
    with zipfile.ZipFile(_opened(path)) as archive:
        parts = Parts(archive)
        declared = _strings_declared(archive, parts.shared_strings())
        sheets = parts.sheets()
        system = parts.date_system()
        styles = date_styles(parts)
        stale = parts.results_stale()
        names = names_reaching_outside(parts.defined_names())
        for name, part in sheets.items():
            if part.entry is None:
                raise PartsDamaged(
                    _("sheet '%(name)s' is missing (no part '%(part)s')")
                    % {"name": name, "part": part.target[:60]}
                )
            with archive.open(part.entry) as source:
                try:
                    found[name] = scan_sheet(source, styles, stale, names)
                except etree.XMLSyntaxError as exc:
                    raise ValueError(
                        _("sheet '%(name)s' (%(part)s) is not valid XML: %(why)s")
                        % {"name": name, "part": part.entry, "why": exc}
                    ) from None
        links = parts.outside_links()
    return found, declared, skipped_by_openpyxl(sheets), system, links


def _strings_declared(archive: zipfile.ZipFile, entries: set[str]) -> int:
    """How many strings the shared strings tables say they hold (the most of any).

    calamine reserves memory for that many strings before reading one, so a
    table claiming four billion aborts the process; only the opening tag is read.
    """
    most = 0
    for part in sorted(entries):
        with archive.open(part) as source:
            try:
                for _event, table in etree.iterparse(
                    source, events=("start",), resolve_entities=False, no_network=True
                ):
                    for key in ("uniqueCount", "count"):
                        text = (table.get(key) or "").strip()
                        most = max(most, int(text) if is_digits(text) else 0)
                    break
            except etree.XMLSyntaxError as exc:
                raise ValueError(
                    _("%(part)s is not valid XML: %(why)s") % {"part": part, "why": exc}
                ) from None
    return most


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map sheet names to the zip entries holding their XML (for tests and tools)."""
    return {name: part.entry for name, part in Parts(archive).sheets().items() if part.entry}


def _load_calamine(path: Path | bytes) -> list[SheetData]:
    """Read with python-calamine (only called when every sheet's grid is of a sane size).

    Bytes from a stream go through `from_filelike`, which reads the same
    workbook the same way as `from_path`.
    """
    import python_calamine

    if isinstance(path, bytes):
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path))
    else:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for meta in book.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue
            sheet = book.get_sheet_by_name(meta.name)
            state = str(meta.visible).rsplit(".", 1)[-1]
            data = SheetData(
                title=meta.name, visible=state == "Visible", very_hidden=state == "VeryHidden"
            )
            cells = data.cells
            # Once per cell of the grid: text, most of a plan, needs no _normalise.
            for row_number, row in enumerate(sheet.to_python(skip_empty_area=False), start=1):
                for column, value in enumerate(row, start=1):
                    if type(value) is str:
                        if value:
                            cells[(row_number, column)] = value
                    elif value is not None:
                        cells[(row_number, column)] = _normalise(value)
            data.merged = [
                (r0 + 1, c0 + 1, r1 + 1, c1 + 1)
                for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
            ]
            sheets.append(data)
        return sheets
    finally:
        book.close()


def _normalise(value: object) -> object:
    """Whole-number floats as ints (calamine reads 2027 as 2027.0); everything else unchanged,
    but for two values a time format makes of a number, which are that number again, as typed:
    a duration (a cell formatted `[h]:mm:ss`; 46371, 15 December 2026, is 46371 days) and
    midnight (0 in a date or time format; `00:00:00` is no date the officer wrote). The
    reader then takes 46371 as the date it stands for, with DATE_AS_NUMBER at the cell.
    """
    if isinstance(value, dt.timedelta):
        value = value.total_seconds() / 86400
    elif isinstance(value, dt.time) and value == dt.time():
        return 0
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _load_openpyxl(
    path: Path | bytes, system: DateSystem = DateSystem.FROM_1900
) -> list[SheetData]:
    """Read with openpyxl, which keeps cells sparse however far the used range reaches.

    Its dates count from system's day zero, as calamine's would (openpyxl alone would take
    any `date1904` but "0" and "false" for the 1904 system)."""
    import openpyxl

    # openpyxl parses with defusedxml when it is installed (a hard dependency of
    # eqplan), so XML entities are never expanded; refuse to run without it.
    if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded by the dependency
        raise RuntimeError("eqplan needs defusedxml so that openpyxl never expands XML entities")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's "extension not supported" noise
        reader = _exact_text_reader(system)(
            _opened(path), data_only=True, keep_links=False, keep_vba=False
        )
        reader.read()
        wb = reader.wb
    sheets = []
    for ws in wb.worksheets:
        state = ws.sheet_state
        data = SheetData(
            title=ws.title, visible=state == "visible", very_hidden=state == "veryHidden"
        )
        # ws._cells holds only the cells present in the file; iterating it rather than
        # ws.iter_rows() avoids allocating millions of empty cells.
        for (row, column), cell in ws._cells.items():
            value = cell.value
            if cell.data_type == "e":
                data.errors[(row, column)] = str(value)
            elif isinstance(value, str):
                if value:
                    data.cells[(row, column)] = unescape_excel(value)
            elif isinstance(value, dt.timedelta | dt.time):
                data.cells[(row, column)] = _normalise(value)
            elif value is not None:
                data.cells[(row, column)] = value
        data.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        data.hidden_rows = {r for r, dimension in ws.row_dimensions.items() if dimension.hidden}
        sheets.append(data)
    wb.close()
    return sheets


def _exact_text_reader(system: DateSystem = DateSystem.FROM_1900) -> type:
    """openpyxl's workbook reader, keeping shared strings exactly as stored, with its dates
    in system.

    openpyxl deletes every `x005F_` from shared strings, so text typed as
    `_x0041_` (stored `_x005F_x0041_`) and a stored `_x0041_` (an "A") become
    the same; and it leaves other escapes undecoded. Reading the strings as
    stored lets `_load_openpyxl` decode each escape exactly once, as Excel and
    calamine do.
    """
    from openpyxl.cell.text import Text
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    item = f"{{{SHEET_MAIN_NS}}}si"

    class ExactTextReader(ExcelReader):
        def read_workbook(self) -> None:
            super().read_workbook()
            self.wb.epoch = dt.datetime.combine(system.value, dt.time())

        def read_strings(self) -> None:
            found = self.package.find(SHARED_STRINGS)
            if found is None:
                return
            strings = []
            with self.archive.open(found.PartName[1:]) as source:
                for _event, node in iterparse(source):
                    if node.tag == item:
                        strings.append(Text.from_tree(node).content)
                        node.clear()
            self.shared_strings = strings

    return ExactTextReader
