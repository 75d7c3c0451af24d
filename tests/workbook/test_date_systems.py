"""Workbooks in Excel's 1904 date system (old Excel for Mac): numbers are read as the days
Excel shows, never four years and a day early."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.deadlines import DeadlineKind, parse_deadline
from pipeline.excel_dates import DateSystem, excel_serial_to_date, in_1900_system, typed_year
from pipeline.workbook import build_plan, engines, layout, read_workbook
from pipeline.workbook.upgrade import read_data
from tests.conftest import REPORT_DATE, action_row, in_1904_system

D = dt.date
MAC, WINDOWS = DateSystem.FROM_1904, DateSystem.FROM_1900
COLUMNS = [c.key for c in layout.ACTIONS.columns]


def mac_serial(day: dt.date) -> int:
    """The number the 1904 date system stores for day (30 November 2026 is 44894)."""
    return (day - D(1904, 1, 1)).days


def test_each_date_system_counts_from_its_own_day_zero():
    assert excel_serial_to_date(44894, MAC) == D(2026, 11, 30)
    assert excel_serial_to_date(44894, WINDOWS) == D(2022, 11, 29)
    assert excel_serial_to_date(46356, WINDOWS) == D(2026, 11, 30)
    assert excel_serial_to_date(36526, WINDOWS) == D(2000, 1, 1)
    assert excel_serial_to_date(36526 - 1462, MAC) == D(2000, 1, 1)
    assert excel_serial_to_date(36525 - 1462, MAC) is None  # 31 December 1999
    assert parse_deadline(44894, MAC).due == D(2026, 11, 30)
    # `2028` typed into a date cell: serial 2028, 21 July 1909 to a Mac's Excel.
    assert typed_year(D(1909, 7, 21), MAC) == 2028
    assert typed_year(D(1905, 7, 20), MAC) is None
    deadline = parse_deadline(dt.datetime(1909, 7, 21), MAC)
    assert (deadline.kind, deadline.display) == (DeadlineKind.YEAR, "2028")


@pytest.mark.parametrize(
    ("written", "system"),
    [("1", MAC), ("true", MAC), (None, WINDOWS), ("0", WINDOWS), ("false", WINDOWS)],
)
def test_the_workbooks_setting_names_its_system(written, system):
    assert DateSystem.of_workbook(written) is system


def test_a_value_moves_to_the_1900_system_as_the_same_day():
    assert in_1900_system(44894, MAC) == 46356
    assert in_1900_system(D(1909, 7, 21), MAC) == D(1905, 7, 20)  # still the year 2028
    assert in_1900_system(dt.datetime(1909, 7, 21), MAC) == dt.datetime(1905, 7, 20)
    for unchanged in (D(2026, 11, 30), 2028, 5, "30/11/2026", True, None):
        assert in_1900_system(unchanged, MAC) == unchanged
    assert in_1900_system(44894, WINDOWS) == 44894


def _numbers_as_a_mac_stores_them(wb) -> None:
    """Dates whose cells lost their date format (General), as a 1904 workbook stores them,
    and a year typed into a date cell."""
    plan = wb[layout.PLAN_SHEET]
    row = next(r for r in range(1, 40) if plan.cell(r, 1).value == "Report date")
    plan.cell(row, 2).value = mac_serial(REPORT_DATE)
    plan.cell(row, 2).number_format = "General"
    actions = wb[layout.ACTIONS_SHEET]
    for key, day in (
        ("deadline", D(2027, 3, 31)),
        ("completed_on", D(2026, 10, 1)),
        ("last_updated", D(2026, 11, 18)),
    ):
        cell = actions.cell(2, COLUMNS.index(key) + 1)
        cell.value, cell.number_format = mac_serial(day), "General"
    typed = actions.cell(3, COLUMNS.index("deadline") + 1)
    typed.value, typed.number_format = 2028, "dd/mm/yyyy"
    log = wb[layout.PROGRESS_LOG_SHEET].cell(2, 2)
    log.value, log.number_format = mac_serial(D(2026, 8, 31)), "General"


@pytest.fixture
def mac_workbook(make_workbook, tmp_path):
    def make(spelled: str = "1"):
        path = make_workbook(
            actions=[action_row(ref="A1", status="Complete", rag="Complete"), action_row(ref="A2")],
            progress_log=[{"ref": "A1", "date": D(2026, 8, 31), "update": "Earlier."}],
        )
        return in_1904_system(
            path, tmp_path / "mac.xlsx", _numbers_as_a_mac_stores_them, spelled=spelled
        )

    return make


def _refuse(_path):
    raise ValueError("calamine refuses")


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
@pytest.mark.parametrize("spelled", ["1", "true"])
def test_numbers_in_a_1904_workbook_are_the_days_excel_shows(
    mac_workbook, monkeypatch, engine, spelled
):
    path = mac_workbook(spelled)
    if engine == "openpyxl":
        monkeypatch.setattr(engines, "_load_calamine", _refuse)
    raw = read_workbook(path)
    assert raw.date_system is MAC
    plan, found = build_plan(raw)
    assert plan.details.report_date == REPORT_DATE
    assert plan.details.meeting_date == D(2026, 12, 10)  # a real date cell, as before
    first, second = plan.actions
    assert (first.deadline.kind, first.deadline.due) == (DeadlineKind.DATE, D(2027, 3, 31))
    assert (first.completed_on, first.last_updated) == (D(2026, 10, 1), D(2026, 11, 18))
    assert (second.deadline.kind, second.deadline.display) == (DeadlineKind.YEAR, "2028")
    assert second.deadline.due == D(2028, 12, 31)
    assert [e.date for e in plan.progress_log] == [D(2026, 8, 31)]
    messages = sorted(p.message for p in found if p.code == "DATE_AS_NUMBER")
    assert messages == sorted(
        [
            f'"{mac_serial(REPORT_DATE)}" was read as the date 30 November 2026.',
            f'"{mac_serial(D(2027, 3, 31))}" was read as the date 31 March 2027.',
            f'"{mac_serial(D(2026, 10, 1))}" was read as the date 1 October 2026.',
            f'"{mac_serial(D(2026, 11, 18))}" was read as the date 18 November 2026.',
            f'"{mac_serial(D(2026, 8, 31))}" was read as the date 31 August 2026.',
        ]
    )
    assert not [p for p in found if p.code in ("DEADLINE_IMPLAUSIBLE", "DATE_UNCLEAR")]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_both_engines_read_an_odd_setting_as_calamine_does(make_workbook, monkeypatch, engine):
    """`date1904="TRUE"` is no xsd:boolean: calamine takes it for the 1900 system (openpyxl
    alone would not), so eqplan does, and date cells and numbers agree whichever engine reads."""
    path = in_1904_system(make_workbook(), make_workbook().with_name("odd.xlsx"), spelled="TRUE")
    if engine == "openpyxl":
        monkeypatch.setattr(engines, "_load_calamine", _refuse)
    raw = read_workbook(path)
    assert raw.date_system is WINDOWS
    plan, _found = build_plan(raw)
    # openpyxl wrote 30 November 2026 as a 1904 serial; calamine reads it in the 1900 system.
    assert plan.details.report_date == D(2022, 11, 29)


def test_a_1904_workbooks_data_is_copied_as_the_1900_system_holds_it(mac_workbook):
    """The data next-period, upgrade, split, merge and combine write into the template (a 1900
    workbook): a number in a date field is the same day's, a typed year still that year."""
    data = read_data(read_workbook(mac_workbook()))
    assert data.plan["report_date"] == 46356  # 30 November 2026 in the 1900 system
    first, second = data.actions
    assert first["deadline"] == 46477 and first["last_updated"] == 46344
    assert second["deadline"] in (D(1905, 7, 20), dt.datetime(1905, 7, 20))  # serial 2028
    assert data.progress_log[0]["date"] == (D(2026, 8, 31) - D(1899, 12, 30)).days
    assert first["point"] == "1.2" and first["progress"] == "Draft profiles ready."
