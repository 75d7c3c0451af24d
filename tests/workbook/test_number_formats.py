"""A date cell is read as its number format shows it: a month (`mmm-yy`), or a number below 0."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from pipeline.deadlines import DeadlineKind
from pipeline.workbook import build_plan, engines, read_workbook
from pipeline.workbook.number_formats import DateStyle, date_kind
from tests.conftest import action_row


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("mmm-yy", DateStyle.MONTH),
        ("mmmm yyyy", DateStyle.MONTH),
        ("mmm yyyy", DateStyle.MONTH),
        ("[$-809]mmmm yyyy", DateStyle.MONTH),
        ('"Due "mmm yy', DateStyle.MONTH),
        ("MMM-YY;@", DateStyle.MONTH),
        ("dd/mm/yyyy", DateStyle.DATE),
        ("d-mmm-yy", DateStyle.DATE),
        ("dddd d mmmm yyyy", DateStyle.DATE),
        ("yyyy-mm-dd h:mm:ss", DateStyle.DATE),
        ("[h]:mm", DateStyle.DATE),
        ("General", None),
        ("0.00", None),
        ('#,##0 "days"', None),
        ("[Red]0;[Blue]-0", None),
        ("@", None),
    ],
)
def test_what_a_number_format_shows(code, kind):
    assert date_kind(code) is kind


def _deadline_cell(ws) -> str:
    column = next(c.column_letter for c in ws[1] if c.value == "Deadline")
    return f"{column}2"


def _refuse(_path):
    raise ValueError("calamine refuses")


def _read(make_workbook, monkeypatch, engine, value, number_format):
    def edit(wb):
        cell = wb["Actions"][_deadline_cell(wb["Actions"])]
        cell.value, cell.number_format = value, number_format

    path = make_workbook(actions=[action_row()], edit=edit)
    if engine == "openpyxl":
        monkeypatch.setattr(engines, "_load_calamine", _refuse)
    plan, found = build_plan(read_workbook(path))
    return plan.actions[0].deadline, [p.code for p in found]


ENGINES = ["calamine", "openpyxl"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("number_format", ["mmm-yy", "mmmm yyyy", "[$-809]mmmm yyyy"])
def test_a_date_shown_as_a_month_is_that_month(make_workbook, monkeypatch, engine, number_format):
    """`Nov 2026` typed in Excel is stored as 1 November 2026 shown `mmm-yy`: the whole month."""
    deadline, _codes = _read(
        make_workbook, monkeypatch, engine, dt.datetime(2026, 11, 1), number_format
    )
    assert (deadline.kind, deadline.due, deadline.display) == (
        DeadlineKind.MONTH,
        dt.date(2026, 11, 30),
        "November 2026",
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_a_date_shown_with_its_day_stays_that_day(make_workbook, monkeypatch, engine):
    deadline, _codes = _read(
        make_workbook, monkeypatch, engine, dt.datetime(2026, 11, 1), "dd/mm/yyyy"
    )
    assert (deadline.kind, deadline.due) == (DeadlineKind.DATE, dt.date(2026, 11, 1))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_year_typed_into_a_date_cell_is_that_year(make_workbook, monkeypatch, engine):
    """2028 typed in a dd/mm/yyyy cell is stored as 20 July 1905 (serial 2028)."""
    deadline, _codes = _read(make_workbook, monkeypatch, engine, 2028, "dd/mm/yyyy")
    assert (deadline.kind, deadline.due, deadline.display) == (
        DeadlineKind.YEAR,
        dt.date(2028, 12, 31),
        "2028",
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("value", "shown"), [(-5, "-5"), (-2.5, "-2.5")])
def test_a_negative_number_in_a_date_cell_is_the_number(
    make_workbook, monkeypatch, engine, value, shown
):
    """Excel shows ##### and calamine a time of day; the officer typed -5: not a date."""
    deadline, codes = _read(make_workbook, monkeypatch, engine, value, "dd/mm/yyyy")
    assert (deadline.kind, deadline.display) == (DeadlineKind.UNCLEAR, shown)
    assert "DEADLINE_UNCLEAR" in codes


def test_a_conditional_formats_number_format_does_not_change_the_cells(make_workbook):
    """A <dxfs> numFmt may reuse a cell format's id; only <numFmts> says what cells show
    (an attacker's file turned every deadline into a month and changed the overdue count)."""
    import re
    import zipfile

    def edit(wb):
        cell = wb["Actions"][_deadline_cell(wb["Actions"])]
        cell.value, cell.number_format = dt.datetime(2026, 11, 1), "dd/mm/yyyy"

    path = make_workbook(actions=[action_row()], edit=edit)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    styles = parts["xl/styles.xml"].decode("utf-8")
    number = re.search(r'<numFmt numFmtId="(\d+)" formatCode="dd/mm/yyyy"', styles).group(1)
    dxf = f'<dxfs count="1"><dxf><numFmt numFmtId="{number}" formatCode="mmm-yy"/></dxf></dxfs>'
    styles = re.sub(r"<dxfs[^>]*/>|<dxfs.*?</dxfs>", "", styles, flags=re.S)
    parts["xl/styles.xml"] = styles.replace("</cellXfs>", "</cellXfs>" + dxf, 1).encode()
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    plan, _found = build_plan(read_workbook(path))
    assert plan.actions[0].deadline.kind is DeadlineKind.DATE


@pytest.mark.parametrize("engine", ENGINES)
def test_a_year_typed_into_another_date_column_is_not_a_day_of_1905(
    make_workbook, monkeypatch, engine
):
    """`2026` in Last updated printed 'Update (18 July 1905)'; in the report date it made
    every deadline implausible. Neither is a date: each is said at its cell."""

    def edit(wb):
        actions = wb["Actions"]
        column = next(c.column_letter for c in actions[1] if c.value == "Last updated")
        actions[f"{column}2"].value, actions[f"{column}2"].number_format = 2026, "dd/mm/yyyy"
        plan = wb["Plan"]
        row = next(r for r in range(1, plan.max_row + 1) if plan.cell(r, 1).value == "Report date")
        plan.cell(row, 2).value, plan.cell(row, 2).number_format = 2026, "dd/mm/yyyy"

    path = make_workbook(actions=[action_row(progress="Started.")], edit=edit)
    if engine == "openpyxl":
        monkeypatch.setattr(engines, "_load_calamine", _refuse)
    plan, found = build_plan(read_workbook(path))
    assert plan.actions[0].last_updated is None
    assert plan.details.report_date is None
    said = {p.code: p.message for p in found}
    assert "2026" in said["DATE_UNCLEAR"] and "2026" in said["DATE_INVALID"]


def test_a_format_id_that_is_a_digit_only_to_unicode_is_no_format(make_workbook, tmp_path):
    """numFmtId="²" (str.isdigit says yes, int says no) is an unknown format, not a damaged
    file: the workbook is read as Excel would show it."""
    path = make_workbook(actions=[action_row()])
    changed = tmp_path / "superscript.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/styles.xml":
                text = data.decode()
                text = re.sub(
                    r'(<cellXfs[^>]*>\s*<xf[^>]*?)numFmtId="\d+"', r'\1numFmtId="²"', text
                )
                assert 'numFmtId="²"' in text
                data = text.encode()
            target.writestr(item, data)
    plan, _found = build_plan(read_workbook(changed))
    assert len(plan.actions) == 1
