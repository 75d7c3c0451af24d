"""The two reading engines agree, and each is used where it should be (issue 4 speed work)."""

from __future__ import annotations

import datetime as dt

from pipeline.workbook import engines
from tests.conftest import EXAMPLE, action_row


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
    assert actions.uncalculated == {(2, 5)}
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
