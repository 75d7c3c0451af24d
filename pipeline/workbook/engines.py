"""Load a workbook's sheets into plain cell maps, with the fastest engine that is still exact.

python-calamine reads a 10,000-action plan in a quarter of a second where
openpyxl takes nearly five (bench/), but calamine shows Excel error values
and formulas never calculated as empty cells, and cannot see hidden rows
(research/validation-anchors.md section 2). So each sheet's XML is also
scanned as bytes for exactly those three things: rows marked hidden, cells
of type error, and formula cells with no stored value. Only when calamine
would have to build an enormous dense grid (a stray value in cell
XFD1048576) does openpyxl read the workbook instead, since it keeps cells
sparse. Either way the result is the same `SheetData`, so everything
downstream is engine-independent.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeTree

Cell = tuple[int, int]  # (row, column), both 1-based as in Excel

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_ERROR = re.compile(rb"<(?:\w+:)?c\b[^>]*\bt=\"e\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_CELL_REF = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
# A cell with content (not self-closing): its column letters and row number.
_FILLED_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*?(?<!/)>")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>|<(?:\w+:)?v\s*/>", re.DOTALL)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")
_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
#: Beyond this many cells in a sheet's used range, calamine's dense grid is refused.
MAX_DENSE_CELLS = 2_000_000


@dataclass
class SheetData:
    """A sheet as plain data: non-empty values by cell, and what Excel hides."""

    title: str
    visible: bool = True
    cells: dict[Cell, object] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min_row, min_col, max_row, max_col
    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[Cell, str] = field(default_factory=dict)
    uncalculated: set[Cell] = field(default_factory=set)
    area: int = 0  # rows x columns of the range holding values, as calamine would build it


@dataclass
class _Scan:
    """What the byte scan of one sheet found."""

    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[Cell, str] = field(default_factory=dict)
    uncalculated: set[Cell] = field(default_factory=set)
    area: int = 0  # rows x columns of the range holding values, as calamine would build it


def load_sheets(path: Path) -> list[SheetData]:
    """Every sheet of the workbook at path, in workbook order."""
    scans = _scan(path)
    dense_ok = all(scan.area <= MAX_DENSE_CELLS for scan in scans.values())
    sheets = None
    if dense_ok:
        try:
            sheets = _load_calamine(path)
        except Exception:  # noqa: BLE001 - a file calamine rejects may still open in openpyxl
            sheets = None
    if sheets is None:
        sheets = _load_openpyxl(path)
    for sheet in sheets:
        scan = scans.get(sheet.title, _Scan())
        sheet.hidden_rows |= scan.hidden_rows
        sheet.errors.update(scan.errors)
        sheet.uncalculated |= scan.uncalculated
        for cell in (*scan.errors, *scan.uncalculated):
            sheet.cells.pop(cell, None)
    return sheets


def _scan(path: Path) -> dict[str, _Scan]:
    """Byte-level facts about each sheet part, by sheet name."""
    found: dict[str, _Scan] = {}
    with zipfile.ZipFile(path) as archive:
        for name, part in _sheet_parts(archive).items():
            try:
                data = archive.read(part)
            except KeyError:
                continue
            scan = _Scan(hidden_rows=_hidden_rows(data), area=_area(data))
            if _FORMULA.search(data) or _ERROR.search(data):
                _scan_cells(data, scan)
            found[name] = scan
    return found


def _scan_cells(data: bytes, scan: _Scan) -> None:
    """Note error cells and formula cells with no stored result (never calculated)."""
    for match in _CELL.finditer(data):
        attributes, inner = match.group(1), match.group(2) or b""
        ref = _CELL_REF.search(attributes)
        if ref is None:
            continue
        cell = (int(ref.group(2)), _column_number(ref.group(1)))
        value = _VALUE.search(inner)
        if b't="e"' in attributes:
            scan.errors[cell] = (
                (value.group(1) or b"#ERROR").decode("utf-8", "replace") if value else "#ERROR"
            )
        elif _FORMULA.search(inner) and _no_result(value, attributes):
            scan.uncalculated.add(cell)


def _no_result(value: re.Match[bytes] | None, attributes: bytes) -> bool:
    """True when a formula cell stores no result: no <v>, or an empty one on a non-text cell.

    openpyxl and some exporters write `<v></v>`; a text formula that really
    returned "" is stored with t="str", so it is not mistaken for one.
    """
    if value is None:
        return True
    return not value.group(1) and b't="str"' not in attributes


def _area(data: bytes) -> int:
    """Rows times columns up to the furthest cell with content."""
    max_row = max_letters = 0
    widest = b"A"
    for letters, digits in _FILLED_CELL.findall(data):
        max_row = max(max_row, int(digits))
        if (len(letters), letters) > (max_letters, widest):
            max_letters, widest = len(letters), letters
    return max_row * _column_number(widest)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map sheet names to their XML part names through the workbook's relationships."""
    workbook = SafeTree.fromstring(archive.read("xl/workbook.xml"))
    try:
        rels = SafeTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            parts[sheet.get("name", "")] = part
    return parts


def _hidden_rows(data: bytes) -> set[int]:
    hidden: set[int] = set()
    number = 0
    for match in _ROW_TAG.finditer(data):
        attributes = match.group(1)
        explicit = _ROW_NUMBER.search(attributes)
        number = int(explicit.group(1)) if explicit else number + 1
        if _HIDDEN.search(attributes):
            hidden.add(number)
    return hidden


def _load_calamine(path: Path) -> list[SheetData]:
    """Read with python-calamine (only called when every sheet's grid is of a sane size)."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for meta in book.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue
            sheet = book.get_sheet_by_name(meta.name)
            data = SheetData(
                title=meta.name, visible=str(meta.visible).rsplit(".", 1)[-1] == "Visible"
            )
            for row_number, row in enumerate(sheet.to_python(skip_empty_area=False), start=1):
                for column, value in enumerate(row, start=1):
                    if value != "" and value is not None:
                        data.cells[(row_number, column)] = _normalise(value)
            data.merged = [
                (r0 + 1, c0 + 1, r1 + 1, c1 + 1)
                for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
            ]
            sheets.append(data)
        return sheets
    finally:
        book.close()


def _normalise(value: object) -> object:
    """Whole-number floats as ints (calamine reads 2027 as 2027.0); everything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _load_openpyxl(path: Path) -> list[SheetData]:
    """Read with openpyxl, which keeps cells sparse however far the used range reaches."""
    import openpyxl

    # openpyxl parses with defusedxml when it is installed (a hard dependency of
    # eqplan), so XML entities are never expanded; refuse to run without it.
    if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded by the dependency
        raise RuntimeError("eqplan needs defusedxml so that openpyxl never expands XML entities")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's "extension not supported" noise
        wb = openpyxl.load_workbook(path, data_only=True, keep_links=False, keep_vba=False)
    sheets = []
    for ws in wb.worksheets:
        data = SheetData(title=ws.title, visible=ws.sheet_state == "visible")
        # ws._cells holds only the cells present in the file; iterating it rather than
        # ws.iter_rows() avoids allocating millions of empty cells.
        for (row, column), cell in ws._cells.items():
            value = cell.value
            if cell.data_type == "e":
                data.errors[(row, column)] = str(value)
            elif value is not None and value != "":
                data.cells[(row, column)] = value
        data.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        data.hidden_rows = {r for r, dimension in ws.row_dimensions.items() if dimension.hidden}
        sheets.append(data)
    wb.close()
    return sheets
