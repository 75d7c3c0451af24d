"""The one way text goes into spreadsheet cells: as text, never a formula (issue 9)."""

from __future__ import annotations

import openpyxl
import pytest

from pipeline import cells


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_like_text_is_a_quoted_string_cell(text):
    cell = cells.put(openpyxl.Workbook().active["A1"], text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


@pytest.mark.parametrize("text", ["#N/A", "#REF!", "Plain words", "1.2"])
def test_other_text_is_a_plain_string_cell(text):
    cell = cells.put(openpyxl.Workbook().active["A1"], text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", False)


def test_numbers_and_blanks_keep_their_type():
    ws = openpyxl.Workbook().active
    assert cells.put_at(ws, 1, 1, 3).data_type == "n"
    assert cells.put_at(ws, 2, 1, None).value is None


def test_text_is_made_storable():
    cell = cells.put(openpyxl.Workbook().active["A1"], "a\x01b\x0bc" + "x" * 40_000)
    assert cell.value.startswith("abc") and len(cell.value) == cells.EXCEL_MAX_CHARS


class _Sheet:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def write_string(self, *args) -> None:
        self.calls.append(args)


def test_write_text_uses_write_string_and_the_quoted_format():
    sheet = _Sheet()
    cells.write_text(sheet, 1, 2, "=1+1", "plain", "quoted")
    cells.write_text(sheet, 1, 3, "words", "plain", "quoted")
    cells.write_text(sheet, 1, 4, "=1+1", "header")  # no quoted format given: keep the format
    assert sheet.calls == [
        (1, 2, "=1+1", "quoted"),
        (1, 3, "words", "plain"),
        (1, 4, "=1+1", "header"),
    ]


def test_list_formula_takes_fixed_words_only():
    assert cells.list_formula(["Draft", "Final"]) == '"Draft,Final"'
    for bad in (["a,b"], ['say "hi"'], ["=1+1"], [""], ["x" * 300]):
        with pytest.raises(ValueError):
            cells.list_formula(bad)


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        ("By area/zone: [north]?", (), "By area zone north"),
        ("By owner", ("By owner",), "By owner (2)"),
        ("BY OWNER", ("By owner", "by owner (2)"), "BY OWNER (3)"),
        ("'Quoted'", (), "Quoted"),
        ("x" * 40, (), "x" * 31),
        ("x" * 40, ("x" * 31,), "x" * 27 + " (2)"),
        ("History", (), "History (2)"),
        ("///", (), "Sheet"),
    ],
)
def test_sheet_names_are_valid_and_unique(title, taken, expected):
    assert cells.sheet_name(title, taken) == expected


def test_shorten_marks_the_cut():
    assert cells.shorten("a" * 40, 32) == "a" * 31 + "…"
    assert cells.shorten("short", 32) == "short"


def test_text_like_an_excel_escape_reads_back_as_written(tmp_path):
    from python_calamine import CalamineWorkbook

    wb = openpyxl.Workbook()
    cells.put(wb.active["A1"], "Code _x0041_ and _X004a_ stay")
    wb.save(tmp_path / "e.xlsx")
    rows = CalamineWorkbook.from_path(str(tmp_path / "e.xlsx")).get_sheet_by_index(0).to_python()
    assert rows == [["Code _x0041_ and _X004a_ stay"]]
