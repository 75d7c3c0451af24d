"""RowsSheet (pipeline.render.xlsx_rows) writes what XlsxWriter's own cell-by-cell way writes.

The fast way in (`add_row`) and out (`_write_rows`, `_calculate_spans`) are
compared with XlsxWriter's write methods and XML writer, byte for byte, on a
small workbook of awkward cells and on a whole summary workbook whose text
tries to be formulas, markup and control characters.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from xlsxwriter.worksheet import Worksheet

from pipeline.build import build
from pipeline.cells import write_text
from pipeline.render import summary_xlsx
from pipeline.render.xlsx_rows import RowsSheet, RowsWorkbook
from tests.conftest import action_row

HAZARDS = ["=SUM(A1)", "+1", "-2", "@me", "<b>bold</b>", "Tom & Jerry", "a\x01b\x1fc", "_x0041_"]


class CellByCellSheet(RowsSheet):
    """The slow reference: each cell through XlsxWriter's own write methods and XML writer."""

    _write_rows = Worksheet._write_rows
    _calculate_spans = Worksheet._calculate_spans

    def add_row(self, row, cells):
        for column, value, cell_format, quoted in cells:
            if isinstance(value, str):
                write_text(self, row, column, value, cell_format, quoted)
            elif value is None:
                self.write_blank(row, column, None, cell_format)
            elif isinstance(value, dt.datetime):
                self.write_datetime(row, column, value, cell_format)
            else:
                self.write_number(row, column, value, cell_format)


class CellByCellWorkbook(RowsWorkbook):
    worksheet_class = CellByCellSheet


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


def _small_book(book_class: type, path: Path) -> Path:
    book = book_class(str(path), {"strings_to_formulas": False})
    top = book.add_format({"valign": "top"})
    quoted = book.add_format({"quote_prefix": True})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    ws = book.add_worksheet("Cells")
    ws.set_column(0, 3, 20)
    ws.set_row(0, 30)
    ws.add_row(0, [(0, "Heading", top, None), (5, "Far", None, None)])
    for row in range(1, 40):
        text = HAZARDS[row % len(HAZARDS)]
        cells = [
            (row % 3, text, top, quoted),
            (3, row / 3, top, None),
            (4, dt.datetime(2026, 1, 1) + dt.timedelta(days=row), date, None),
            (6, None, top, None),  # a blank with a format is a cell
            (7, None, None, None),  # a blank without one is not
        ]
        if row == 20:
            cells.append(
                (8, "x" * 20_000 + "\U0001f600" * 7_000, None, None)
            )  # cut at Excel's limit
        ws.add_row(row, cells)
    ws.write_boolean(41, 2, True)  # a cell type RowsSheet leaves to XlsxWriter
    ws.add_row(41, [(1, "Before the boolean", None, None), (3, 7, None, None)])
    ws.set_row(45, 40)  # a row with a height only
    ws.autofilter(0, 0, 41, 8)
    book.close()
    return path


def test_rows_sheet_writes_what_xlsxwriter_writes(tmp_path):
    fast = _small_book(RowsWorkbook, tmp_path / "fast.xlsx")
    slow = _small_book(CellByCellWorkbook, tmp_path / "slow.xlsx")
    assert _members(fast) == _members(slow)


def test_rows_sheet_spans_with_comments_are_xlsxwriters(tmp_path):
    def made(book_class, name):
        book = book_class(str(tmp_path / name))
        ws = book.add_worksheet()
        ws.add_row(2, [(1, "text", None, None)])
        ws.write_comment(3, 9, "a note")
        book.close()
        return _members(tmp_path / name)

    assert made(RowsWorkbook, "fast.xlsx") == made(CellByCellWorkbook, "slow.xlsx")


def test_rows_sheet_refuses_what_it_cannot_write(tmp_path):
    book = RowsWorkbook(str(tmp_path / "bad.xlsx"))
    ws = book.add_worksheet()
    with pytest.raises(TypeError):
        ws.add_row(1, [(0, True, None, None)])
    with pytest.raises(ValueError):
        ws.add_row(2_000_000, [(0, "beyond Excel's last row", None, None)])
    book.close()


def test_summary_workbook_is_the_same_written_cell_by_cell(make_workbook, tmp_path, monkeypatch):
    rows = [
        action_row(ref=f"A{n}", point="1.1", rag=rag, action=text, owner="Policy", progress=text)
        for n, (text, rag) in enumerate(
            zip(HAZARDS, ["Red", "Amber", "Green", "Complete"] * 2, strict=True)
        )
    ]
    path = make_workbook(actions=rows, owners=["Policy"])
    fast = build(path, tmp_path / "fast").summary
    monkeypatch.setattr(summary_xlsx, "RowsWorkbook", CellByCellWorkbook)
    slow = build(path, tmp_path / "slow").summary
    assert fast and slow
    assert _members(fast) == _members(slow)
