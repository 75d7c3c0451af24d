"""XlsxWriter with a faster way in and out for big sheets: the summary workbook's All actions sheet.

At 10,000 actions the summary workbook holds about 220,000 cells, and
XlsxWriter spends most of its time on each of them twice: once storing it
(a decorator, bounds checks and a named tuple per `write_string`) and once
writing its XML (an attribute list and an escaping pass per cell). That was
1.7 of the summary's 2.8 s of CPU. `RowsSheet` keeps XlsxWriter's own cell
table, so every other part of the sheet (widths, panes, filters, print set-up)
is XlsxWriter's, and changes only those two steps:

- `add_row` stores one row of cells in a single call; its text goes in only
  as a shared string (a `t="s"` cell can never be a formula), after
  `pipeline.cells.text_cell` has made it safe and chosen its format.
- `_write_rows` writes the common cells (text, numbers, dates, formatted
  blanks) with one string template each and hands anything else back to
  XlsxWriter's own `_write_cell`, so the XML is the same byte for byte
  (tests/render/test_xlsx_rows.py compares it with XlsxWriter's).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

import xlsxwriter.workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellDatetimeTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from pipeline.cells import text_cell, write_text
from pipeline.io import ZIP_LEVEL

#: A cell for `RowsSheet.add_row`: (column, value, format, quoted format for formula-like text).
Cell = tuple[int, object, Any, Any]


class RowsSheet(Worksheet):
    """A worksheet that takes whole rows at a time and writes its cells' XML in one pass."""

    def add_row(self, row: int, cells: Iterable[Cell]) -> None:
        """Store one row: text, numbers, dates (datetime) and blanks (kept only with a format).

        Text goes through `pipeline.cells.text_cell` like every other text
        written to a sheet; the quoted format (or None) replaces the cell's
        format when the text looks like a formula.
        """
        cells = list(cells)
        columns = [column for column, *_ in cells]
        if columns and any(
            self._check_dimensions(row, column, ignore_row=True, ignore_col=True)
            for column in (min(columns), max(columns))
        ):
            raise ValueError(f"row {row}, columns {columns} are outside the sheet")
        stored = self.table[row]
        strings = self.str_table
        for column, value, cell_format, quoted in cells:
            if not isinstance(value, str):
                self._write_typed(row, column, value, cell_format)
                continue
            text, text_format = text_cell(value, cell_format, quoted)
            if len(text) > self.xls_strmax // 2:  # may pass Excel's limit: write_string cuts it
                write_text(self, row, column, value, cell_format, quoted)  # the one writer
            else:
                stored[column] = CellStringTuple(
                    strings._get_shared_string_index(text), text_format
                )
        if stored:  # the bounds XlsxWriter keeps for the sheet's dimension and print area
            self._check_dimensions(row, min(stored))
            self._check_dimensions(row, max(stored))

    def _write_typed(self, row: int, column: int, value: object, cell_format: Any) -> None:
        """A value that is not text, stored as XlsxWriter's own write method stores it."""
        if value is None:
            self._write_blank(row, column, None, cell_format)  # kept only with a format
        elif isinstance(value, dt.datetime):
            self._write_datetime(row, column, value, cell_format)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self._write_number(row, column, value, cell_format)
        else:
            raise TypeError(f"add_row cannot write {type(value).__name__} {value!r}")

    def _calculate_spans(self) -> None:
        """XlsxWriter's row spans (first:last column of each block of 16 rows), from the cells' keys."""
        if self.comments:
            super()._calculate_spans()
            return
        blocks: dict[int, tuple[int, int]] = {}
        for row_num, cells in self.table.items():
            if cells:
                low, high = blocks.get(row_num // 16, (min(cells), max(cells)))
                blocks[row_num // 16] = (min(low, *cells), max(high, *cells))
        self.row_spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in blocks.items()}

    def _write_rows(self) -> None:
        """XlsxWriter's `_write_rows`, with the common cells written from one template each.

        A cell with a format of its own that is text, a number, a date or a
        blank is written here as XlsxWriter's `_write_cell` writes it; any other
        cell (no format, so a row's or column's applies; a boolean, a formula)
        is left to `_write_cell` itself.
        """
        self._calculate_spans()
        write_xml = self.fh.write
        letters = {col: xl_col_to_name(col) for col in range(self.dim_colmin, self.dim_colmax + 1)}
        styles: dict[Any, str] = {}  # a format's xf index, known only once the book is closing
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row_num)
            if not cells and row_num not in self.row_info and row_num not in self.comments:
                continue
            span = self.row_spans.get(row_num // 16)
            if not cells:
                self._write_empty_row(row_num, span, self.row_info.get(row_num))
                continue
            self._write_row(row_num, span, self.row_info.get(row_num))
            number = str(row_num + 1)
            parts = []
            for col_num in sorted(cells):
                cell = cells[col_num]
                kind = type(cell)
                cell_format = cell.format
                if cell_format is None or kind not in _OWN_FORMAT_CELLS:
                    write_xml("".join(parts))  # what came before, then XlsxWriter's own way
                    parts = []
                    self._write_cell(row_num, col_num, cell)
                    continue
                style = styles.get(cell_format)
                if style is None:
                    style = styles[cell_format] = str(cell_format._get_xf_index())
                ref = letters[col_num] + number
                if kind is CellStringTuple:
                    parts.append(f'<c r="{ref}" s="{style}" t="s"><v>{cell.string}</v></c>')
                elif kind is CellBlankTuple:
                    parts.append(f'<c r="{ref}" s="{style}"/>')
                else:
                    parts.append(f'<c r="{ref}" s="{style}"><v>{cell.number:.16G}</v></c>')
            parts.append("</row>")
            write_xml("".join(parts))


#: The cells `RowsSheet._write_rows` writes itself (when they have a format of their own).
_OWN_FORMAT_CELLS = {CellStringTuple, CellBlankTuple, CellNumberTuple, CellDatetimeTuple}


class RowsWorkbook(Workbook):
    """An XlsxWriter workbook whose sheets are `RowsSheet`s, compressed at ZIP_LEVEL."""

    worksheet_class = RowsSheet

    def _store_workbook(self) -> None:
        """XlsxWriter's own, with its zip at ZIP_LEVEL: 0.09 to 0.13 s at 10,000 actions
        against 0.44 to 0.55 s at zlib's default (XlsxWriter has no setting for it).

        Only with XlsxWriter's default of parts written to temporary files: its `in_memory`
        mode (never set here) gives each part a ZipInfo of its own, which keeps the default.
        The lock spans the whole store (the zip is opened at its start and used to the end),
        so under `eqplan serve` two summary workbooks are stored one after the other."""
        with _fast_zip():
            super()._store_workbook()


class _FastZip(zipfile.ZipFile):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, compresslevel=ZIP_LEVEL, **kwargs)


_ZIP_SWAP = threading.Lock()


@contextlib.contextmanager
def _fast_zip() -> Iterator[None]:
    """XlsxWriter's workbook module opening _FastZip, one workbook at a time (threads)."""
    with _ZIP_SWAP:
        original, xlsxwriter.workbook.ZipFile = xlsxwriter.workbook.ZipFile, _FastZip
        try:
            yield
        finally:
            xlsxwriter.workbook.ZipFile = original
