"""The two reading engines agree, and each is used where it should be (issue 4 speed work)."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from pipeline.workbook import engines, read_workbook
from tests.bad_inputs.catalogue import _rewrite, as_excel_saves
from tests.bad_inputs.hostile_xml import (
    FAR_CELL,
    IMPOSSIBLE_DATE,
    STRAY_CELL,
    add_after_sheet_data,
    add_before_sheet_end,
    drop_positions,
    replace_cell,
    replace_row_tag,
    shared_strings_plan,
    then,
    two_actions,
    with_prefix,
)
from tests.conftest import EXAMPLE, action_row, as_stored


def _normal(value):
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cells(sheets):
    return {s.title: {k: _normal(v) for k, v in s.cells.items()} for s in sheets}


def test_calamine_and_openpyxl_read_the_same_cells():
    fast = engines._load_calamine(EXAMPLE)
    exact = engines._load_openpyxl(EXAMPLE)
    assert [s.title for s in fast] == [s.title for s in exact]
    assert [s.visible for s in fast] == [s.visible for s in exact]
    assert _cells(fast) == _cells(exact)


def test_byte_scan_finds_what_calamine_cannot_see(make_workbook):
    def edit(wb):
        ws = wb["Actions"]
        ws["D2"] = "#REF!"
        ws["E2"] = "=1+1"
        ws.row_dimensions[2].hidden = True
        wb["Owners"].sheet_state = "hidden"

    sheets = {s.title: s for s in engines.load_sheets(make_workbook(edit=edit))}
    actions = sheets["Actions"]
    assert actions.errors == {(2, 4): "#REF!"}
    assert actions.uncalculated == {(2, 5): "=1+1"}
    assert actions.hidden_rows == {2}
    assert (2, 4) not in actions.cells and (2, 5) not in actions.cells
    assert sheets["Owners"].visible is False


def test_huge_sparse_sheet_uses_openpyxl(make_workbook, monkeypatch):
    calls = []
    monkeypatch.setattr(engines, "_load_calamine", lambda path: calls.append(path) or [])
    path = make_workbook(
        actions=[action_row()],
        edit=lambda wb: wb["Actions"].cell(row=1_000_000, column=16_000, value="x"),
    )
    sheets = engines.load_sheets(path)
    assert calls == []  # calamine would have built a 16-billion-cell grid
    assert any(s.title == "Actions" for s in sheets)


def test_calamine_is_used_for_ordinary_workbooks(monkeypatch):
    used = []
    real = engines._load_calamine
    monkeypatch.setattr(engines, "_load_calamine", lambda path: used.append(path) or real(path))
    engines.load_sheets(EXAMPLE)
    assert used == [EXAMPLE]


# ---------------------------------------------------------------- XML in every form (issue 9)


def _sheet(path, title="Actions"):
    return {s.title: s for s in engines.load_sheets(path)}[title]


def _crafted(tmp_path, change, **kwargs):
    return _rewrite("sheet:Actions", change, **kwargs)(tmp_path)


def test_single_quoted_far_cell_is_read_sparsely_never_by_calamine(tmp_path, monkeypatch):
    """One stray cell in XFD1048576 written with single quotes once made calamine abort."""
    calls = []
    monkeypatch.setattr(engines, "_load_calamine", lambda path: calls.append(path) or [])
    path = _crafted(tmp_path, add_before_sheet_end(FAR_CELL))
    actions = _sheet(path)
    assert calls == []
    assert actions.cells[(1_048_576, 16_384)] == "x"
    assert actions.cells[(2, 1)] == "A1"


@pytest.mark.parametrize(
    "where, before",
    [
        ("directly in the sheet data", b"<sheetData>"),
        ("inside another element of a row", b'<row r="2">'),
        ("after the sheet data", b"</sheetData>"),
    ],
)
def test_cell_outside_a_row_is_never_given_to_calamine(tmp_path, monkeypatch, where, before):
    """calamine reads a far cell placed outside any row too (and aborts); openpyxl ignores it."""
    calls = []
    monkeypatch.setattr(engines, "_load_calamine", lambda path: calls.append(path) or [])
    wrapped = STRAY_CELL if before != b'<row r="2">' else b"<x>" + STRAY_CELL + b"</x>"
    path = _crafted(tmp_path, lambda data: data.replace(before, before + wrapped, 1))
    actions = _sheet(path)
    assert calls == [], where
    assert actions.cells[(2, 1)] == "A1"


def test_single_quoted_error_and_formula_cells_are_found(tmp_path):
    change = then(
        replace_cell("D2", b"<c r='D2' t='e'><v>#REF!</v></c>"),
        replace_cell("E2", b"<c r = 'E2'  t = \"n\" ><f>1+1</f></c>"),
        replace_cell("C2", b"<c r='C2' t='str'><f>UPPER(A2)</f><v></v></c>"),
    )
    actions = _sheet(as_excel_saves(_rewrite("sheet:Actions", change))(tmp_path))
    assert actions.errors == {(2, 4): "#REF!"}
    assert actions.uncalculated == {(2, 5): "=1+1"}  # C2 is a text formula that returned ""
    assert (2, 4) not in actions.cells and (2, 5) not in actions.cells


def test_cells_without_positions_follow_the_cell_before(tmp_path):
    """Excel places a cell without r= after the previous cell of its row, a row after the last."""
    change = then(
        replace_cell("C3", b"<c t='e'><v>#N/A</v></c>"),
        drop_positions(3, "ABD"),
        lambda data: data.replace(b'<row r="3">', b"<row>", 1),
    )
    actions = _sheet(_crafted(tmp_path, change, actions=two_actions()))
    assert actions.errors == {(3, 3): "#N/A"}
    assert actions.cells[(3, 1)] == "A2"
    assert actions.cells[(3, 4)] == "Train staff on the new policy."


def test_hidden_rows_in_every_spelling(tmp_path):
    rows = [action_row(ref=f"A{n}") for n in range(1, 6)]
    change = then(
        replace_row_tag(2, b"<row r='2' hidden='1'>"),
        replace_row_tag(3, b'<row r="3" hidden="true">'),
        replace_row_tag(4, b"<row\n r = '4'\thidden = 'true' >"),
        replace_row_tag(5, b'<row r="5" hidden="0">'),
    )
    assert _sheet(_crafted(tmp_path, change, actions=rows)).hidden_rows == {2, 3, 4}


def test_namespace_prefixed_sheet_reads_like_the_plain_one(tmp_path, make_workbook):
    plain = make_workbook(actions=two_actions())
    change = then(replace_row_tag(3, b"<row r='3' hidden='1'>"), with_prefix)
    prefixed = _sheet(_crafted(tmp_path, change, actions=two_actions()))
    assert prefixed.cells == _sheet(plain).cells
    assert prefixed.hidden_rows == {3}


def test_positions_written_with_character_references_are_read_as_xml_says(tmp_path, monkeypatch):
    """`r="&#88;FD1048576"` is XFD1048576 to any XML parser, so the far cell is seen and sized."""
    calls = []
    monkeypatch.setattr(engines, "_load_calamine", lambda path: calls.append(path) or [])
    far = FAR_CELL.replace(b"r='XFD1048576'", b"r='&#88;FD1048576'")
    actions = _sheet(_crafted(tmp_path, add_before_sheet_end(far)))
    assert calls == []
    assert actions.cells[(1_048_576, 16_384)] == "x"


def test_calamine_refusing_an_unusual_position_falls_back_to_openpyxl(tmp_path):
    """calamine reads `&#65;2` as raw text and gives up; openpyxl then reads A2 as the XML says."""
    change = lambda data: data.replace(b'<c r="A2"', b"<c r='&#65;2'", 1)  # noqa: E731
    actions = _sheet(_crafted(tmp_path, change))
    assert actions.cells[(2, 1)] == "A1"


def test_text_comes_out_as_typed_on_both_engines(tmp_path):
    """Excel's escapes are decoded exactly once: typed `_x0041_` stays, `_x0007_` is a bell."""
    import xlsxwriter  # writes shared strings and escapes exactly as Excel does

    path = tmp_path / "escapes.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("S")
    typed = ["typed _x0041_ here", "bell\x07 and\r\nline", "_x005F_ and _xD83D_", "plain"]
    for row, text in enumerate(typed):
        sheet.write(row, 0, text)
    sheet.write_formula("B1", '="_x0041_"', None, "_x0041_")
    book.close()
    assert b"_x005F_x0041_" in zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    expected = {(n + 1, 1): text for n, text in enumerate(typed)}
    for load in (engines._load_calamine, engines._load_openpyxl):
        cells = load(path)[0].cells
        assert {k: v for k, v in cells.items() if k[1] == 1} == expected, load.__name__


def test_escapes_in_inline_strings_decode_once_on_both_engines(make_workbook):
    """openpyxl writes text as stored; `_x005F_x0041_` is typed `_x0041_`, `_x000D_` is a CR."""
    path = as_stored(
        make_workbook(actions=[action_row(evidence="_x005F_x0041_ and_x000D__x000A_two")])
    )
    for load in (engines._load_calamine, engines._load_openpyxl):
        actions = {s.title: s for s in load(path)}["Actions"]
        assert actions.cells[(2, 3)] == "_x0041_ and\r\ntwo", load.__name__


def test_typed_escape_reaches_the_plan_unchanged(make_workbook):
    raw = read_workbook(make_workbook(actions=[action_row(action="Use code _x0041_.")]))
    assert raw.tables["Actions"].rows[0].values["action"] == "Use code _x0041_."


def test_shared_strings_claiming_billions_are_never_given_to_calamine(tmp_path, monkeypatch):
    """calamine reserves memory for the declared count up front: 4 billion strings aborts it."""
    calls = []
    monkeypatch.setattr(engines, "_load_calamine", lambda path: calls.append(path) or [])
    actions = _sheet(shared_strings_plan(tmp_path, "4000000000"))
    assert calls == []
    assert actions.cells[(2, 4)] == "Shared text _x0041_ kept."


def test_shared_strings_of_an_ordinary_size_are_read_by_calamine(tmp_path, monkeypatch):
    used = []
    real = engines._load_calamine
    monkeypatch.setattr(engines, "_load_calamine", lambda path: used.append(path) or real(path))
    actions = _sheet(shared_strings_plan(tmp_path, "1"))
    assert used
    assert actions.cells[(2, 4)] == "Shared text _x0041_ kept."


def test_range_merged_to_the_last_row_adds_no_empty_rows(tmp_path):
    """A point merged from B2 to B1048576 once made a million rows (465 MB) out of a 3 KB file."""
    merge = b'<mergeCells count="1"><mergeCell ref="B2:B1048576"/></mergeCells>'
    raw = read_workbook(_crafted(tmp_path, add_after_sheet_data(merge)))
    assert [row.number for row in raw.tables["Actions"].rows] == [2]
    assert [p.code for p in raw.problems if p.code == "MERGED_CELLS"] == ["MERGED_CELLS"]


def test_calamine_panic_falls_back_to_openpyxl(tmp_path):
    """A date serial of -1e308 panics inside calamine (not an Exception); openpyxl calls it #VALUE!."""
    actions = _sheet(_crafted(tmp_path, replace_cell("F2", IMPOSSIBLE_DATE)))
    assert actions.errors == {(2, 6): "#VALUE!"}
    assert actions.cells[(2, 1)] == "A1"
