"""The council's own cells on the Plan and Report sheets survive upgrade, next-period, merge
and combine: notes beside a field stay beside it, rows of its own follow eqplan's, as typed.

Found by an attacker's review: a notes column on the Plan and Report sheets, and a row of the
council's own on the Plan sheet, were dropped by all four commands without a word.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import frameworks
from pipeline.cli import cli
from pipeline.workbook import layout, read_workbook, write_template
from pipeline.workbook.own_fields import OwnFieldCells, put_own_fields
from tests.conftest import EXAMPLE, said_by

FORMULA_LIKE = "=SUM(1,2) is a note, not a formula"


def _row_of(ws, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)


@pytest.fixture
def noted_plan(tmp_path) -> Path:
    """The example plan with a notes column on the Plan and Report sheets (a heading in row 1,
    notes beside two fields, one looking like a formula) and a row of its own on the Plan sheet."""
    path = tmp_path / "noted.xlsx"
    shutil.copy(EXAMPLE, path)
    wb = openpyxl.load_workbook(path)
    plan, report = wb[layout.PLAN_SHEET], wb[layout.REPORT_SHEET]
    plan["D1"] = report["D1"] = "Officer notes"
    plan.cell(row=_row_of(plan, "Council name"), column=4).value = "check the logo"
    formula_like = plan.cell(row=_row_of(plan, "Plan title"), column=5)
    formula_like.value, formula_like.data_type = FORMULA_LIKE, "s"
    report.cell(row=_row_of(report, "Report of"), column=4).value = "new director from May"
    own_row = plan.max_row + 3
    plan.cell(row=own_row, column=1).value = "Budget code"
    plan.cell(row=own_row, column=2).value = "EQ-42"
    wb.save(path)
    return path


def _assert_carried(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    plan, report = wb[layout.PLAN_SHEET], wb[layout.REPORT_SHEET]
    assert plan["D1"].value == report["D1"].value == "Officer notes"
    assert plan.cell(row=_row_of(plan, "Council name"), column=4).value == "check the logo"
    formula_like = plan.cell(row=_row_of(plan, "Plan title"), column=5)
    assert (formula_like.value, formula_like.data_type) == (FORMULA_LIKE, "s")
    assert report.cell(row=_row_of(report, "Report of"), column=4).value == (
        "new director from May"
    )
    own_row = _row_of(plan, "Budget code")
    assert plan.cell(row=own_row, column=2).value == "EQ-42"
    assert plan.cell(row=own_row - 1, column=1).value is None  # a gap after eqplan's fields
    assert all(plan.cell(row=r, column=1).value for r in range(2, own_row - 1))


def test_upgrade_carries_the_plan_and_report_sheets_own_cells_and_says_so(noted_plan, tmp_path):
    out = tmp_path / "upgraded.xlsx"
    said = said_by("upgrade", str(noted_plan), "-o", str(out))
    _assert_carried(out)
    assert "Plan: 3 cells of yours beside its fields and 1 row of your own, after eqplan's" in said
    assert "Report: 2 cells of yours beside its fields" in said
    plan = read_workbook(out).plan
    assert plan["council"].value == "Example Borough Council"  # eqplan's fields read as before


def test_next_period_and_merge_carry_them_too(noted_plan, tmp_path):
    following = tmp_path / "next.xlsx"
    said_by("next-period", str(noted_plan), "-o", str(following))
    _assert_carried(following)
    sent = tmp_path / "sent"
    said_by("split", str(noted_plan), "--by", "owner", "-o", str(sent))
    merged = tmp_path / "merged.xlsx"
    said_by("merge", str(noted_plan), str(sent / "Human-Resources-and-OD.xlsx"), "-o", str(merged))
    _assert_carried(merged)


def test_combine_carries_those_of_the_plan_its_details_come_from_and_names_the_rest(
    noted_plan, tmp_path
):
    out = tmp_path / "combined.xlsx"
    said = said_by("combine", str(noted_plan), str(EXAMPLE), "-o", str(out))
    _assert_carried(out)
    assert "Not copied" not in said
    out = tmp_path / "combined-2.xlsx"
    said = said_by("combine", str(EXAMPLE), str(noted_plan), "-o", str(out))
    assert "Not copied: noted.xlsx: Plan: 3 cells of yours beside its fields" in said
    assert "Budget code" not in [c.value for c in openpyxl.load_workbook(out)["Plan"]["A"]]


def test_combine_names_what_plan_from_holds_of_its_own_but_its_notes(noted_plan, tmp_path):
    """A reviewer's finding: with --plan-from a plan not combined, its own sheets and columns
    were neither copied nor named. Its notes beside the Plan details go with the details."""
    wb = openpyxl.load_workbook(noted_plan)
    wb.create_sheet("Evidence")["A1"] = "survey results"
    wb.save(noted_plan)
    out = tmp_path / "combined.xlsx"
    result = CliRunner().invoke(
        cli,
        ["combine", str(EXAMPLE), str(_copy(tmp_path)), "-o", str(out), "--plan-from",
         str(noted_plan), "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    named = json.loads(result.stdout)["own_not_copied"]
    assert named == ["noted.xlsx: Evidence (your own sheet): 1 cell with something in"]
    _assert_carried(out)


def _copy(tmp_path: Path) -> Path:
    """A second plan to combine with the example: the same, under another name."""
    return Path(shutil.copy(EXAMPLE, tmp_path / "second.xlsx"))


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("framework", ["eflg-2021", "eflg-2014", "eif-wales-2011"])
def test_a_template_and_the_example_hold_no_cells_of_the_councils_own(
    tmp_path, framework, language
):
    """Every cell eqplan writes on the two sheets is its own: nothing is carried twice."""
    path = tmp_path / "template.xlsx"
    write_template(frameworks.load(framework), path, language=language)
    for read in (read_workbook(path), read_workbook(EXAMPLE)):
        assert read.own_fields.keys() == {layout.PLAN_SHEET, layout.REPORT_SHEET}
        assert all(not own.beside and not own.rows for own in read.own_fields.values())


def test_a_note_beside_a_field_the_new_sheet_lacks_keeps_its_label_on_a_row_of_its_own():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = layout.PLAN_SHEET
    ws.append(["Field", "Value", None])
    ws.append(["Council name", "Example", "help"])
    put_own_fields(wb, {layout.PLAN_SHEET: OwnFieldCells(beside={"committee": {4: "ask Sam"}})})
    committee = next(f.label for f in layout.PLAN_FIELDS if f.key == "committee")
    assert [c.value for c in ws[4]] == [committee, None, None, "ask Sam"]


def test_a_title_typed_over_the_headings_in_row_1_follows_eqplans_fields(tmp_path):
    """Left alone last session: a title typed over A1 (in place of "Field") was dropped by
    upgrade, next-period and merge without a word. It now comes back in a row of its own
    after eqplan's fields, row 1 holding eqplan's headings again, and the report says so."""
    path = tmp_path / "titled.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb[layout.PLAN_SHEET]["A1"] = "Anytown plan details, 2026"
    wb[layout.PLAN_SHEET]["C1"] = "Checked by JB"
    wb.save(path)
    out = tmp_path / "upgraded.xlsx"
    said = said_by("upgrade", str(path), "-o", str(out))
    assert (
        "Plan: what you typed over its headings (A1, C1), in a row of its own after eqplan's "
        "(row 1 holds eqplan's headings again)"
    ) in said
    plan = openpyxl.load_workbook(out)[layout.PLAN_SHEET]
    assert (plan["A1"].value, plan["B1"].value) == ("Field", "Value")
    row = _row_of(plan, "Anytown plan details, 2026")
    assert plan.cell(row=row, column=3).value == "Checked by JB"
    assert plan.cell(row=row - 1, column=1).value is None  # after eqplan's fields
    again = tmp_path / "again.xlsx"  # the row is the council's own from now on: kept, once
    said = said_by("next-period", str(out), "-o", str(again))
    titles = [c.value for c in openpyxl.load_workbook(again)[layout.PLAN_SHEET]["A"]]
    assert titles.count("Anytown plan details, 2026") == 1
    assert "Plan: 1 row of your own, after eqplan's" in said


def test_combine_names_a_title_it_did_not_copy_without_saying_where_it_went(tmp_path):
    """An officer's review: combine's "Not copied" line for another plan's title over the
    headings said it went "in a row of its own after eqplan's", which it did not."""
    titled = tmp_path / "titled.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb[layout.PLAN_SHEET]["A1"] = "Anytown plan details, 2026"
    wb.save(titled)
    out = tmp_path / "combined.xlsx"
    said = said_by("combine", str(EXAMPLE), str(titled), "-o", str(out))
    assert "Not copied: titled.xlsx: Plan: what you typed over its headings (A1)" in said
    assert "in a row of its own" not in said
    titles = [c.value for c in openpyxl.load_workbook(out)[layout.PLAN_SHEET]["A"]]
    assert "Anytown plan details, 2026" not in titles


def test_the_fields_own_cells_are_named_in_the_language_being_written():
    """combine --language cy named another plan's cells beside its Plan details in English
    (`Plan: 1 cell of yours beside its fields and ...`) in its Welsh report."""
    from pipeline.i18n import use_language

    own = OwnFieldCells(
        beside={"council": {5: "a note"}}, rows=[{1: "Ours"}], over_headings={1: "T"}
    )
    english = own.report(layout.PLAN_SHEET)
    assert english == [
        "Plan: 1 cell of yours beside its fields and 1 row of your own, after eqplan's and what "
        "you typed over its headings (A1), in a row of its own after eqplan's (row 1 holds "
        "eqplan's headings again)"
    ]
    with use_language("cy"):
        (welsh,) = own.report(layout.PLAN_SHEET, carried=False)
    assert welsh == (
        "Cynllun: 1 cell o'ch eiddo wrth ymyl ei meysydd; 1 rhes a ychwanegwyd gennych, ar ôl "
        "rhesi eqplan; yr hyn a deipiwyd gennych dros ei phenawdau (A1)"
    )
