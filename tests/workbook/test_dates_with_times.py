"""Dates with a time of day, as CSV imports, Power Automate flows and time formats leave them.

A tester's plan: `30/11/2026 00:00:00` as the report date stopped the build (DATE_INVALID),
and deadlines such as `31/10/2026 00:00:00` or `2026-10-01T00:00:00.000Z` fell out of the
overdue count; a date in a cell formatted `[h]:mm:ss` became `46371 days, 0:00:00`, and 0 in
a date cell showed as `00:00:00`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.deadlines import DeadlineKind
from pipeline.summaries import summarise
from pipeline.validate import validate_workbook
from pipeline.workbook import build_plan, engines, read_workbook
from tests.conftest import action_row

ENGINES = ["calamine", "openpyxl"]


def _refuse(_path):
    raise ValueError("calamine refuses")


def test_a_date_typed_with_a_time_is_that_date_in_every_date_field(make_workbook):
    path = make_workbook(
        plan={"report_date": "30/11/2026 00:00:00", "approved_on": "2026-11-02T10:15:00Z"},
        actions=[
            action_row(ref="A1", deadline="31/10/2026 00:00:00", rag="Amber"),
            action_row(ref="A2", deadline="2026-10-01T00:00:00.000Z", rag="Amber"),
            action_row(ref="A3", deadline="02/11/2026 17:00", rag="Amber"),
            action_row(
                ref="A4",
                deadline="2026-11-30 00:00:00 & Ongoing",
                status="Complete",
                completed_on="2026-11-20T16:45:00+00:00",
                last_updated="21/11/2026 09:30:00",
                next_review="15/01/2027 9:00 am",
            ),
        ],
        assessments={"1": {"current": "Developing", "target_date": "31/03/2028 00:00:00"}},
        progress_log=[{"ref": "A1", "date": "31/08/2026 00:00:00", "update": "Drafted."}],
    )
    validation = validate_workbook(path)
    date_codes = {"DATE_INVALID", "DATE_UNCLEAR", "DEADLINE_UNCLEAR"}
    assert [p.message for p in validation.report.problems if p.code in date_codes] == []
    plan = validation.plan
    assert plan.details.report_date == dt.date(2026, 11, 30)
    assert plan.details.approved_on == dt.date(2026, 11, 2)
    first, second, third, done = plan.actions
    assert [a.deadline.due for a in (first, second, third)] == [
        dt.date(2026, 10, 31),
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 2),
    ]
    assert first.deadline.display == "31/10/2026 00:00:00"  # printed as typed, as ever
    assert (done.deadline.due, done.deadline.recurrence) == (dt.date(2026, 11, 30), "Ongoing")
    assert (done.completed_on, done.last_updated, done.next_review) == (
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 21),
        dt.date(2027, 1, 15),
    )
    assert plan.progress_log[0].date == dt.date(2026, 8, 31)
    target = plan.assessments[0].target_date
    assert (target.due, target.display) == (dt.date(2028, 3, 31), "31 March 2028")
    summary = summarise(plan)
    assert [a.ref for a in summary.overdue] == ["A2", "A1", "A3"]
    overdue = [p.cell for p in validation.report.problems if p.code == "OVERDUE"]
    assert len(overdue) == 3


def _deadline_read(make_workbook, monkeypatch, engine, value, number_format):
    def edit(wb):
        actions = wb["Actions"]
        column = next(c.column_letter for c in actions[1] if c.value == "Deadline")
        actions[f"{column}2"].value = value
        actions[f"{column}2"].number_format = number_format

    path = make_workbook(actions=[action_row()], edit=edit)
    if engine == "openpyxl":
        monkeypatch.setattr(engines, "_load_calamine", _refuse)
    plan, found = build_plan(read_workbook(path))
    return plan.actions[0].deadline, found


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("number_format", ["[h]:mm:ss", "[h]:mm", "[mm]:ss"])
def test_a_date_in_a_duration_format_is_read_as_its_date_and_said(
    make_workbook, monkeypatch, engine, number_format
):
    """46371 shown as elapsed hours (1112904:00:00) is 15 December 2026: read as that date, as
    a date stored as a number is, and DATE_AS_NUMBER at the cell says to format it as a date."""
    deadline, found = _deadline_read(make_workbook, monkeypatch, engine, 46371, number_format)
    assert (deadline.kind, deadline.due, deadline.display) == (
        DeadlineKind.DATE,
        dt.date(2026, 12, 15),
        "15 December 2026",
    )
    (problem,) = [p for p in found if p.code == "DATE_AS_NUMBER"]
    assert "46371" in problem.message and "15 December 2026" in problem.message
    assert "days" not in problem.message


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("number_format", ["dd/mm/yyyy", "hh:mm"])
def test_zero_in_a_date_cell_is_the_zero_typed(make_workbook, monkeypatch, engine, number_format):
    deadline, found = _deadline_read(make_workbook, monkeypatch, engine, 0, number_format)
    assert (deadline.kind, deadline.display) == (DeadlineKind.UNCLEAR, "0")
    (problem,) = [p for p in found if p.code == "DEADLINE_UNCLEAR"]
    assert '"0" is a number, not a date' in problem.message
    assert "00:00" not in problem.message


@pytest.mark.parametrize("engine", ENGINES)
def test_zero_as_the_report_date_is_said_as_typed(make_workbook, monkeypatch, engine):
    def edit(wb):
        plan = wb["Plan"]
        row = next(r for r in range(1, plan.max_row + 1) if plan.cell(r, 1).value == "Report date")
        plan.cell(row, 2).value, plan.cell(row, 2).number_format = 0, "dd/mm/yyyy"

    path = make_workbook(edit=edit)
    if engine == "openpyxl":
        monkeypatch.setattr(engines, "_load_calamine", _refuse)
    _plan, found = build_plan(read_workbook(path))
    (problem,) = [p for p in found if p.code == "DATE_INVALID"]
    assert '"0"' in problem.message and "00:00" not in problem.message


def test_a_date_column_says_why_a_value_is_no_date_once(make_workbook):
    """Completed on holding 0, or 31/02/2027: `"0" is not a date (it is a number).`, never
    `(is a number, not a date)` after "is not a date"; and a word is just not a date."""
    rows = [
        action_row(ref="Z1", rag="Complete", completed_on=0),
        action_row(ref="Z2", rag="Complete", completed_on="31/02/2027"),
        action_row(ref="Z3", rag="Complete", completed_on="Soon"),
    ]
    _plan, found = build_plan(read_workbook(make_workbook(actions=rows)))
    said = {p.cell: p.message for p in found if p.code == "DATE_UNCLEAR"}
    column = next(c for c, m in said.items() if m.startswith('"0"'))[0]
    assert said[f"{column}2"] == '"0" is not a date (it is a number).'
    assert said[f"{column}3"] == '"31/02/2027" is not a date (there is no such day).'
    assert said[f"{column}4"] == '"Soon" is not a date.'
