"""One problem where one is enough: a missing sheet is one error, not one warning per theme,
owner or module besides; a value not understood is not also called empty.

Testers renamed the Actions sheet and got SHEET_MISSING plus a THEME_NO_ACTIONS for
every theme; deleting the Owners sheet gave one error and 98 OWNER_UNLISTED warnings.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.validate import validate_workbook
from tests.conftest import action_row

ROWS = [action_row(), action_row(ref="A2", action="Second action.", owner="HR Team")]


def _delete(sheet: str):
    def edit(wb):
        del wb[sheet]

    return edit


def _clear_headings(sheet: str):
    def edit(wb):
        for cell in wb[sheet][1]:
            cell.value = None

    return edit


@pytest.mark.parametrize(
    ("edit", "error", "left_out"),
    [
        (_delete("Actions"), "SHEET_MISSING", "THEME_NO_ACTIONS"),
        (_delete("Owners"), "SHEET_MISSING", "OWNER_UNLISTED"),
        (_delete("Sections"), "SHEET_MISSING", "LEAD_OFFICER_MISSING"),
        (_clear_headings("Owners"), "SHEET_NO_HEADER", "OWNER_UNLISTED"),
    ],
)
def test_a_sheet_not_read_is_one_error(make_workbook, edit, error, left_out):
    report = validate_workbook(make_workbook(actions=ROWS, edit=edit)).report
    codes = report.count_by_code()
    assert codes[error] == 1 and len(report.errors) == 1, report.to_text()
    assert left_out not in codes


def test_progress_log_rows_are_not_called_unknown_when_the_actions_sheet_is_missing(
    make_workbook,
):
    log = [{"ref": "A1", "date": dt.date(2026, 9, 1), "update": "Started."}] * 3
    path = make_workbook(actions=ROWS, progress_log=log, edit=_delete("Actions"))
    codes = validate_workbook(path).report.count_by_code()
    assert codes["SHEET_MISSING"] == 1 and "LOG_REF_UNKNOWN" not in codes
    present = validate_workbook(make_workbook(actions=[], progress_log=log)).report
    assert present.count_by_code()["LOG_REF_UNKNOWN"] == 3  # the check itself still reports


def test_with_the_sheets_present_the_checks_still_report(make_workbook):
    report = validate_workbook(
        make_workbook(actions=ROWS, owners=["Policy Team"], lead_officer=None)
    ).report
    codes = report.count_by_code()
    assert codes["OWNER_UNLISTED"] == 1 and codes["THEME_NO_ACTIONS"] > 0
    assert codes["LEAD_OFFICER_MISSING"] > 0


def test_a_completed_on_not_understood_is_not_also_called_empty(make_workbook):
    """`TBC` in Completed on gave DATE_UNCLEAR and COMPLETE_NO_DATE ("'Completed on' is
    empty") at the same cell: the second contradicts the first."""
    row = action_row(status="Complete", rag="Complete", completed_on="TBC")
    codes = [
        (p.code, p.cell) for p in validate_workbook(make_workbook(actions=[row])).report.problems
    ]
    assert ("DATE_UNCLEAR", "L2") in codes and ("COMPLETE_NO_DATE", "L2") not in codes
    said = validate_workbook(make_workbook(actions=[row])).report.problems
    [unclear] = [p.message for p in said if p.code == "DATE_UNCLEAR"]
    assert unclear == '"TBC" is not a date (type the date itself).'  # not "the day as well"
    empty = action_row(status="Complete", rag="Complete")
    codes = [p.code for p in validate_workbook(make_workbook(actions=[empty])).report.problems]
    assert "COMPLETE_NO_DATE" in codes  # an empty cell is still said
