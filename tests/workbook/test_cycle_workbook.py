"""The workbook contract for the quarterly cycle (issue 12): new columns, Plan fields, Progress log."""

from __future__ import annotations

import datetime as dt

import openpyxl

from pipeline import frameworks
from pipeline.status import ActionStatus
from pipeline.validate import validate_workbook
from pipeline.workbook import build_template, layout
from tests.conftest import action_row

LOG = {"ref": "A1", "date": dt.date(2026, 8, 31), "update": "Profiles drafted.", "rag": "Amber"}


def _validation(make_workbook, **kwargs):
    return validate_workbook(make_workbook(**kwargs))


def test_template_has_the_status_dropdown_date_checks_and_the_log_sheet():
    wb = build_template(frameworks.load("eflg-2021"))
    ws = wb[layout.ACTIONS_SHEET]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["K2:K2001"].formula1 == (
        '"Not started,In progress,Ongoing,Deferred,Complete,Withdrawn"'
    )
    for letter in "LMN":
        assert rules[f"{letter}2:{letter}2001"].type == "date"
    log = wb[layout.PROGRESS_LOG_SHEET]
    assert [c.value for c in log[1]] == ["Ref", "Date", "Update", "RAG", "Status", "By"]
    labels = [c.value for c in wb[layout.PLAN_SHEET]["A"]]
    assert {"Lead member", "Approved by", "Approved on"} <= set(labels)


def test_status_and_dates_are_read_as_typed(make_workbook):
    row = action_row(
        status="in progress",
        completed_on=None,
        last_updated=dt.date(2026, 11, 20),
        next_review="28/02/2027",
    )
    validation = _validation(make_workbook, actions=[row])
    action = validation.plan.actions[0]
    assert action.status is ActionStatus.IN_PROGRESS
    assert action.last_updated == dt.date(2026, 11, 20)
    assert action.next_review == dt.date(2027, 2, 28)
    assert validation.report.errors == []


def test_unknown_status_is_an_error_and_a_non_date_a_warning_at_the_cell(make_workbook):
    row = action_row(status="Paused", last_updated="soon", next_review="Nov 2026")
    report = _validation(make_workbook, actions=[row]).report
    found = {(p.code, p.cell) for p in report.problems}
    assert ("ACTION_STATUS_UNKNOWN", "K2") in found
    assert ("DATE_UNCLEAR", "M2") in found
    assert ("DATE_UNCLEAR", "N2") in found  # a month is not a day
    assert not report.valid


def test_a_date_cell_that_is_no_date_is_kept_as_typed(make_workbook):
    """Not dropped: the documents print it where they would print the date (DATE_UNCLEAR)."""
    row = action_row(completed_on="soon", last_updated="11/20/2026", next_review="Nov 2026")
    action = _validation(make_workbook, actions=[row]).plan.actions[0]
    assert (action.completed_on, action.last_updated, action.next_review) == (None, None, None)
    assert action.dates_as_written == {
        "completed_on": "soon",
        "last_updated": "11/20/2026",
        "next_review": "Nov 2026",
    }


def test_plan_sheet_lead_member_and_approval(make_workbook):
    plan = {"lead_member": "Cllr A. Example", "approved_on": dt.date(2026, 12, 1)}
    details = _validation(make_workbook, plan=plan).plan.details
    assert details.lead_member == "Cllr A. Example"
    assert details.approved_on == dt.date(2026, 12, 1)


def test_progress_log_rows_are_read_and_odd_words_kept(make_workbook):
    rows = [LOG, {**LOG, "date": "31/05/2026", "rag": "Purple", "status": "done"}]
    validation = _validation(make_workbook, progress_log=rows)
    first, second = validation.plan.progress_log
    assert (first.ref, first.date, first.update) == (
        "A1",
        dt.date(2026, 8, 31),
        "Profiles drafted.",
    )
    assert second.rag is None and second.rag_text == "Purple"
    assert second.status is ActionStatus.COMPLETE and second.date == dt.date(2026, 5, 31)
    assert (first.date_as_written, first.date_shown) == ("", dt.date(2026, 8, 31))
    found = {(p.code, p.sheet, p.cell) for p in validation.report.problems}
    assert ("LOG_VALUE_UNKNOWN", "Progress log", "D3") in found


def test_a_workbook_without_the_new_columns_and_sheet_reads_as_before(make_workbook):
    def old_template(wb):
        del wb[layout.PROGRESS_LOG_SHEET]
        wb[layout.ACTIONS_SHEET].delete_cols(11, 4)

    path = make_workbook(actions=[action_row(rag=None)], edit=old_template)
    assert "Status" not in [c.value for c in openpyxl.load_workbook(path)["Actions"][1]]
    validation = validate_workbook(path)
    assert validation.plan.progress_log == []
    assert validation.plan.actions[0].status is None
    codes = [p.code for p in validation.report.problems]
    assert "RAG_MISSING" in codes and "SHEET_MISSING" not in codes


def test_a_log_entry_dated_as_typed_keeps_its_place_after_older_dated_entries():
    """Found by a code review: next-period logs an update whose Last updated is no date
    with the text as typed; sorted as the oldest, an older update was printed as the latest."""
    from pipeline.progress_log import ProgressEntry, logs_by_ref

    old = ProgressEntry("EB02", date=dt.date(2026, 8, 31), update="Draft sent.")
    typed = ProgressEntry("EB02", update="Extension agreed.", date_as_written="11/20/2026")
    undated = ProgressEntry("EB02", update="Started long ago.")
    assert logs_by_ref([undated, old, typed])["eb02"] == [undated, old, typed]
    later = ProgressEntry("EB02", date=dt.date(2027, 1, 10), update="Done.")
    assert logs_by_ref([old, typed, later])["eb02"] == [old, typed, later]
