"""The council's own columns and sheets survive next-period, merge and upgrade (README: "you
may add columns of your own"), beside the rows they were typed beside, as typed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline.validate import validate_workbook
from pipeline.workbook import read_workbook
from pipeline.workbook.own_data import OwnSheet, own_columns, own_sheets
from tests.conftest import EXAMPLE, said_by

NOTES = {"EB01": "call Jo about this", "EB03": "=SUM(A1:A3) is text, not a formula"}


def _column(ws, heading: str) -> int:
    return next(c.column for c in ws[1] if c.value == heading)


def _by_ref(ws, heading: str) -> dict[str, object]:
    column = _column(ws, heading)
    return {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=column).value
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=column).value is not None
    }


@pytest.fixture
def own_plan(tmp_path) -> Path:
    """The example plan with a 'My notes' column on Actions, a 'Lead notes' column on
    Sections, a 'Phone' column on Owners, a 'Notes' sheet, and one note on a row that holds
    nothing else."""
    path = tmp_path / "own-plan.xlsx"
    shutil.copy(EXAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    notes = ws.max_column + 1
    ws.cell(row=1, column=notes).value = "My notes"
    for row in range(2, ws.max_row + 1):
        text = NOTES.get(ws.cell(row=row, column=1).value)
        if text:
            ws.cell(row=row, column=notes).value = text
            ws.cell(row=row, column=notes).data_type = "s"
    ws.cell(row=ws.max_row + 2, column=notes).value = "a note on a row of its own"
    sections = wb["Sections"]
    sections.cell(row=1, column=sections.max_column + 1).value = "Lead notes"
    sections.cell(row=3, column=sections.max_column).value = "new lead from May"
    owners = wb["Owners"]
    owners.cell(row=1, column=4).value = "Phone"
    owners.cell(row=2, column=4).value = "01234 567890"
    extra = wb.create_sheet("Notes")
    extra["A1"] = "budget notes"
    extra["B2"] = 42
    wb.save(path)
    return path


def _assert_carried(path: Path) -> openpyxl.Workbook:
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    assert _by_ref(ws, "My notes") == NOTES
    assert _column(ws, "My notes") == _column(ws, "Progress update (Cymraeg)") + 1
    formula_like = ws.cell(row=4, column=_column(ws, "My notes"))
    assert formula_like.data_type == "s"  # through pipeline.cells: never a live formula
    sections = wb["Sections"]
    assert _by_ref(sections, "Lead notes") == {
        sections.cell(row=3, column=1).value: "new lead from May"
    }
    assert list(_by_ref(wb["Owners"], "Phone").values()) == ["01234 567890"]
    assert wb["Notes"]["A1"].value == "budget notes" and wb["Notes"]["B2"].value == 42
    return wb


def test_next_period_carries_own_columns_and_sheets_and_says_so(own_plan, tmp_path):
    out = tmp_path / "next.xlsx"
    said = said_by("next-period", str(own_plan), "-o", str(out))
    _assert_carried(out)
    assert "Actions: your column 'My notes' (3 cells with something in)" in said
    assert "Notes (your own sheet): 2 cells with something in" in said
    assert "Not copied: Actions: your column 'My notes', 1 cell on rows with nothing" in said


def test_upgrade_carries_own_columns_and_names_what_it_could_not(own_plan, tmp_path):
    out = tmp_path / "upgraded.xlsx"
    said = said_by("upgrade", str(own_plan), "-o", str(out))
    _assert_carried(out)
    assert "  Owners: your column 'Phone' (1 cell with something in)" in said
    assert "(row 65)" in said  # the note on a row of its own: named, with its row


def test_merge_keeps_own_columns_and_takes_none_from_returns(own_plan, tmp_path):
    sent = tmp_path / "sent"
    said_by("split", str(own_plan), "--by", "owner", "-o", str(sent))
    returned = tmp_path / "Human-Resources-and-OD.xlsx"
    shutil.copy(sent / returned.name, returned)
    wb = openpyxl.load_workbook(returned)
    ws = wb["Actions"]
    assert "My notes" not in [c.value for c in ws[1]]  # owners are not sent the council's notes
    ws.cell(row=1, column=ws.max_column + 1).value = "My notes"
    ws.cell(row=2, column=ws.max_column).value = "the owner's own note"
    new = ws.max_row + 1  # an action the owner adds
    for column, value in ((2, "1.1 Collecting and sharing information - Developing"), (4, "New")):
        ws.cell(row=new, column=column).value = value
    wb.save(returned)
    out = tmp_path / "merged.xlsx"
    said = said_by("merge", str(own_plan), str(returned), "-o", str(out))
    merged = _assert_carried(out)
    # the plan's note on a row of its own has no row to go beside: named, as upgrade names it
    # (left alone in the eleventh session: merge dropped it without a word)
    assert "The plan's own cells with no place in the merged plan: not copied." in said
    assert "  Actions: your column 'My notes', 1 cell on rows with nothing" in said
    assert "eqplan's columns (row " in said and "(rows " not in said  # one row: "row"
    actions = merged["Actions"]
    assert actions.cell(row=actions.max_row, column=4).value == "New"  # added, notes empty
    assert actions.cell(row=actions.max_row, column=_column(actions, "My notes")).value is None


def test_a_welsh_merge_or_combine_names_the_plans_own_cells_in_welsh(own_plan, tmp_path):
    """The lines naming the plan's own cells that were not copied (own_not_copied) were
    English in a Welsh merge or combine report, under a Welsh title."""
    sent = tmp_path / "sent"
    said_by("split", str(own_plan), "--by", "owner", "-o", str(sent))
    returned = str(sent / "Democratic-Services.xlsx")
    out = str(tmp_path / "merged.xlsx")
    said = said_by("merge", str(own_plan), returned, "-o", out, "--language", "cy")
    assert "Celloedd y cynllun ei hun heb le yn y cynllun cyfunedig" in said
    assert (
        "  Camau gweithredu: eich colofn 'My notes', 1 cell ar res heb ddim yng ngholofnau "
        "eqplan (rhes "
    ) in said
    assert "your column" not in said and "copy it across" not in said
    out = str(tmp_path / "combined.xlsx")
    said = said_by("combine", str(EXAMPLE), str(own_plan), "-o", out, "--language", "cy")
    assert "Heb ei gopïo: own-plan.xlsx: Camau gweithredu: eich colofn 'My notes' (" in said
    assert "Heb ei gopïo: own-plan.xlsx: Notes (eich taflen eich hun): 2 gell â rhywbeth" in said
    assert "your column" not in said and "your own sheet" not in said


def test_reading_keeps_own_cells_as_found_and_own_data_makes_them_columns(own_plan):
    """Reading (validate, build) only sets the own cells aside in its one pass over the
    cells; own_columns and own_sheets make them columns and sheets for the commands
    carrying them, with the same headings and values as typed."""
    raw = read_workbook(own_plan)
    actions = raw.tables["Actions"]
    columns = own_columns(actions.own)
    assert list(columns.headings.values()) == ["My notes"]
    notes = {v for values in columns.rows.values() for v in values.values()}
    assert notes == {*NOTES.values(), "a note on a row of its own"}
    assert [(s.title, s.cells) for s in own_sheets(raw.unread_sheets)] == [
        ("Notes", {(1, 1): "budget notes", (2, 2): 42})
    ]
    assert all(isinstance(s, OwnSheet) for s in own_sheets(raw.unread_sheets))


def test_split_record_is_eqplans_sheet_not_the_councils_own(tmp_path):
    """A return holds split's hidden record sheet: eqplan's, like the template's sheets, so
    own_sheets gives only what the owner added (merge names those in its report)."""
    sent = tmp_path / "sent"
    said_by("split", str(EXAMPLE), "--by", "owner", "-o", str(sent))
    returned = sent / "Democratic-Services.xlsx"
    assert own_sheets(read_workbook(returned).unread_sheets) == []
    wb = openpyxl.load_workbook(returned)
    wb.create_sheet("Evidence")["A1"] = "minutes of 3 March"
    wb.save(returned)
    raw = read_workbook(returned)
    assert "eqplan split record" in [s.title for s in raw.unread_sheets]
    assert [(s.title, s.cells) for s in own_sheets(raw.unread_sheets)] == [
        ("Evidence", {(1, 1): "minutes of 3 March"})
    ]


@pytest.mark.parametrize("command", ["next-period", "upgrade", "merge"])
def test_a_title_typed_above_a_tables_headings_is_named_not_lost_without_a_word(
    tmp_path, command, sent
):
    """Found by an attacker's review: a title row inserted above the Actions headings was
    dropped by next-period without a word. The new sheet's headings are its first row."""
    titled = tmp_path / "titled.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["Actions"].insert_rows(1)
    wb["Actions"]["A1"] = "Our equality actions, autumn review"
    wb.save(titled)
    returned = [str(sent / "Democratic-Services.xlsx")] if command == "merge" else []
    out = tmp_path / "out.xlsx"
    said = said_by(command, str(titled), *returned, "-o", str(out))
    assert "Actions: 1 cell above its headings (row 1), such as a title" in said
    assert len(validate_workbook(out).plan.actions) == 62  # the table itself, all of it
    assert "above its headings" not in said_by(
        command, str(EXAMPLE), *returned, "-o", str(tmp_path / "x.xlsx")
    )
    if command == "merge":  # and in its JSON, with the key combine gives it
        args = [str(titled), *returned, "-o", str(tmp_path / "y.xlsx"), "--format", "json"]
        report = json.loads(said_by(command, *args))
        assert report["own_not_copied"] == [
            "Actions: 1 cell above its headings (row 1), such as a title: the new sheet's "
            "headings are its first row, so copy it across by hand if needed"
        ]
