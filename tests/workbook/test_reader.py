"""Reading tolerates how officers actually lay out and type a workbook (issue 6)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from pipeline.model import Rag
from pipeline.validate import validate_workbook
from pipeline.workbook import read_workbook
from tests.conftest import action_row, as_stored


def _codes(report):
    return {(p.code, p.cell) for p in report.problems}


def test_headings_matched_without_case_or_spacing(make_workbook):
    def shout(wb):
        ws = wb["Actions"]
        ws["H1"] = "  rag "
        ws["D1"] = "GAP /  ACTION"
        ws["C1"] = "Current position /\nevidence"

    report = validate_workbook(make_workbook(edit=shout)).report
    assert report.valid, report.to_text()


def test_extra_columns_and_moved_columns_are_fine(make_workbook):
    def rearrange(wb):
        ws = wb["Actions"]
        ws.insert_cols(1)
        ws["A1"] = "Our internal notes"
        ws["A2"] = "ignore me"

    result = validate_workbook(make_workbook(edit=rearrange))
    assert result.report.valid, result.report.to_text()
    assert result.plan.actions[0].rag is Rag.GREEN
    assert result.plan.actions[0].source.cell("rag") == "I2"


def test_header_moved_down_under_a_title(make_workbook):
    def title_rows(wb):
        ws = wb["Actions"]
        ws.insert_rows(1, amount=2)
        ws["A1"] = "Example Council equality actions"

    result = validate_workbook(make_workbook(edit=title_rows))
    assert result.report.valid, result.report.to_text()
    assert result.plan.actions[0].row == 4


def test_council_headings_from_older_plans_are_accepted(make_workbook):
    def older(wb):
        ws = wb["Actions"]
        ws["F1"] = "By when"
        ws["G1"] = "Responsible officer"

    assert validate_workbook(make_workbook(edit=older)).report.valid


def test_missing_column_names_the_closest_heading(make_workbook):
    def rename(wb):
        wb["Actions"]["F1"] = "Dead line"

    report = validate_workbook(make_workbook(edit=rename)).report
    problem = next(p for p in report.problems if p.code == "COLUMN_MISSING")
    assert "found 'Dead line' in F1" in problem.message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("R", Rag.RED), ("red", Rag.RED), ("Red ", Rag.RED), ("G", Rag.GREEN), ("Amber", Rag.AMBER),
     ("complete", Rag.COMPLETE), ("Blue", Rag.COMPLETE), ("Ｒ", Rag.RED), ("\u200bA", Rag.AMBER)],
)  # fmt: skip
def test_rag_as_typed(make_workbook, typed, expected):
    result = validate_workbook(make_workbook(actions=[action_row(rag=typed)]))
    assert result.report.valid
    assert result.plan.actions[0].rag is expected


@pytest.mark.parametrize(
    ("typed", "ref"),
    [("1.2", "1.2"), (1.2, "1.2"), ("1.2 Collecting and sharing information - Achieving", "1.2"),
     ("Collecting and sharing information", "1"), (6, "6"), ("6", "6")],
)  # fmt: skip
def test_framework_point_as_typed(make_workbook, typed, ref):
    result = validate_workbook(make_workbook(actions=[action_row(point=typed)]))
    assert result.report.valid, result.report.to_text()
    action = result.plan.actions[0]
    assert (action.point or action.theme).ref == ref


@pytest.mark.parametrize(
    ("typed", "due", "shown"),
    [
        (dt.date(2027, 3, 31), dt.date(2027, 3, 31), "31 March 2027"),
        ("03/04/2027", dt.date(2027, 4, 3), "03/04/2027"),
        ("Nov 27", dt.date(2027, 11, 30), "Nov 27"),
        ("Sept 2027", dt.date(2027, 9, 30), "Sept 2027"),
        ("November 2027", dt.date(2027, 11, 30), "November 2027"),
        ("2027", dt.date(2027, 12, 31), "2027"),
        (2027, dt.date(2027, 12, 31), "2027"),
        ("Q3 2027", dt.date(2027, 9, 30), "Q3 2027"),
        ("Ongoing", None, "Ongoing"),
        ("TBC", None, "TBC"),
        ("Complete", None, "Complete"),
        ("Quarterly", None, "Quarterly"),
        ("Nov 27 & Ongoing", dt.date(2027, 11, 30), "Nov 27 & Ongoing"),
    ],
)
def test_deadlines_as_typed(make_workbook, typed, due, shown):
    result = validate_workbook(make_workbook(actions=[action_row(deadline=typed)]))
    assert result.report.valid
    deadline = result.plan.actions[0].deadline
    assert (deadline.due, deadline.display) == (due, shown)
    assert "DEADLINE_UNCLEAR" not in result.report.count_by_code()


def test_levels_any_case(make_workbook):
    result = validate_workbook(make_workbook(assessments={"1": ("developing", "ACHIEVING")}))
    first = result.plan.assessments[0]
    assert (first.current.label, first.target.label) == ("Developing", "Achieving")
    assert first.gap == 1


def test_empty_rows_skipped_and_row_numbers_kept(make_workbook):
    rows = [action_row(), {}, {}, action_row(ref="A9", action="Later action.")]
    result = validate_workbook(make_workbook(actions=rows))
    assert [a.row for a in result.plan.actions] == [2, 5]


def test_control_characters_cleaned_and_line_breaks_kept(make_workbook):
    rows = [action_row(evidence="Line one\nLine two_x000B_three_x0007_")]
    result = validate_workbook(as_stored(make_workbook(actions=rows)))  # Excel's stored escapes
    assert result.plan.actions[0].evidence == "Line one\nLine two\nthree"


def test_merged_cells_copied_down(make_workbook):
    rows = [action_row(), action_row(ref="A2", point=None, action="Second.")]

    def merge(wb):
        wb["Actions"].merge_cells("B2:B3")

    result = validate_workbook(make_workbook(actions=rows, edit=merge))
    assert [a.point.ref for a in result.plan.actions] == ["1.2", "1.2"]


def test_hidden_rows_are_still_read(make_workbook):
    def hide(wb):
        wb["Actions"].row_dimensions[2].hidden = True

    result = validate_workbook(make_workbook(edit=hide))
    assert len(result.plan.actions) == 1
    assert ("HIDDEN_ROWS", "A2") in _codes(result.report)


def test_stray_value_far_away_does_not_blow_up(make_workbook):
    def stray(wb):
        wb["Actions"]["XFD1048576"] = "x"
        wb["Actions"]["H1048576"] = "Red"

    result = validate_workbook(make_workbook(edit=stray))
    assert ("ROW_NO_TEXT", "C1048576") in _codes(result.report)


def test_1904_date_system(make_workbook):
    def epoch(wb):
        wb.epoch = __import__("openpyxl").utils.datetime.MAC_EPOCH

    result = validate_workbook(make_workbook(edit=epoch))
    assert result.plan.details.report_date == dt.date(2026, 11, 30)
    assert result.plan.actions[0].deadline.due == dt.date(2027, 3, 31)


def test_reading_never_changes_the_file(make_workbook):
    path = make_workbook(actions=[action_row(rag="Yellow")])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    read_workbook(path)
    validate_workbook(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_run_of_hidden_rows_is_one_warning(make_workbook):
    rows = [action_row(ref=f"A{i}", action=f"Action {i}.") for i in range(6)]

    def hide(wb):
        for row in (3, 4, 5, 7):
            wb["Actions"].row_dimensions[row].hidden = True

    report = validate_workbook(make_workbook(actions=rows, edit=hide)).report
    hidden = [(p.cell, p.message) for p in report.problems if p.code == "HIDDEN_ROWS"]
    assert hidden == [
        ("A3", "Rows 3 to 5 are hidden or filtered out, but still part of the plan."),
        ("A7", "Row 7 is hidden or filtered out, but still part of the plan."),
    ]


def test_a_long_text_with_control_characters_gets_both_problems_at_its_cell(make_workbook):
    evidence = "Bell_x0007_ here " + "x" * 5001
    path = as_stored(make_workbook(actions=[action_row(evidence=evidence)]))
    raw = read_workbook(path)
    found = {(p.code, p.sheet, p.cell) for p in raw.problems}
    assert {("TEXT_CONTROL_CHARS", "Actions", "C2"), ("TEXT_LONG", "Actions", "C2")} <= found
    assert raw.tables["Actions"].rows[0].values["evidence"] == "Bell here " + "x" * 5001
