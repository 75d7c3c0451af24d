"""Deadline text as officers write it (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.deadlines import (
    WELSH_MONTHS,
    DeadlineKind,
    DeadlineNote,
    MonthDate,
    _months,
    parse_deadline,
)
from pipeline.i18n import use_language

D = dt.date


@pytest.mark.parametrize(
    ("value", "kind", "due", "shown"),
    [
        ("03/04/2026", DeadlineKind.DATE, D(2026, 4, 3), "03/04/2026"),
        ("3.4.26", DeadlineKind.DATE, D(2026, 4, 3), "3.4.26"),
        ("2026-04-03", DeadlineKind.DATE, D(2026, 4, 3), "2026-04-03"),
        ("3rd April 2026", DeadlineKind.DATE, D(2026, 4, 3), "3rd April 2026"),
        (dt.datetime(2026, 4, 3, 9, 30), DeadlineKind.DATE, D(2026, 4, 3), "3 April 2026"),
        ("Nov 22", DeadlineKind.MONTH, D(2022, 11, 30), "Nov 22"),
        ("Sept 2026", DeadlineKind.MONTH, D(2026, 9, 30), "Sept 2026"),
        ("Feb 2028", DeadlineKind.MONTH, D(2028, 2, 29), "Feb 2028"),
        ("by end of March 2027", DeadlineKind.MONTH, D(2027, 3, 31), "by end of March 2027"),
        ("11/2026", DeadlineKind.MONTH, D(2026, 11, 30), "11/2026"),
        ("2027", DeadlineKind.YEAR, D(2027, 12, 31), "2027"),
        ("2026/27", DeadlineKind.FINANCIAL_YEAR, D(2027, 3, 31), "2026/27"),
        ("Q3 2026", DeadlineKind.QUARTER, D(2026, 9, 30), "Q3 2026"),
        ("q1 2026/27", DeadlineKind.QUARTER, D(2026, 6, 30), "q1 2026/27"),
        ("Ongoing", DeadlineKind.ONGOING, None, "Ongoing"),
        ("tbc", DeadlineKind.TBC, None, "tbc"),
        ("Complete", DeadlineKind.COMPLETE, None, "Complete"),
        ("Annual", DeadlineKind.RECURRING, None, "Annual"),
        ("Bi-annual", DeadlineKind.RECURRING, None, "Bi-annual"),
        ("Monthly", DeadlineKind.RECURRING, None, "Monthly"),
        ("Nov 22 & Ongoing", DeadlineKind.MONTH, D(2022, 11, 30), "Nov 22 & Ongoing"),
        (
            "Sept 2022 and ongoing",
            DeadlineKind.MONTH,
            D(2022, 9, 30),
            "Sept 2022 and ongoing",
        ),
        ("30/11/2026 & Ongoing", DeadlineKind.DATE, D(2026, 11, 30), "30/11/2026 & Ongoing"),
        ("31/12/26 and ongoing", DeadlineKind.DATE, D(2026, 12, 31), "31/12/26 and ongoing"),
        ("30/11/26 & quarterly", DeadlineKind.DATE, D(2026, 11, 30), "30/11/26 & quarterly"),
        ("Ongoing / 1.4.2027", DeadlineKind.DATE, D(2027, 4, 1), "Ongoing / 1.4.2027"),
        ("Nov 2026/Ongoing", DeadlineKind.MONTH, D(2026, 11, 30), "Nov 2026/Ongoing"),
        ("2026/27 & ongoing", DeadlineKind.FINANCIAL_YEAR, D(2027, 3, 31), "2026/27 & ongoing"),
        ("Under development", DeadlineKind.UNCLEAR, None, "Under development"),
        ("Published", DeadlineKind.UNCLEAR, None, "Published"),
        ("31/02/2026", DeadlineKind.UNCLEAR, None, "31/02/2026"),
        # A date with a time of day, from a CSV import or a Power Automate flow: the date.
        ("31/10/2026 00:00:00", DeadlineKind.DATE, D(2026, 10, 31), "31/10/2026 00:00:00"),
        ("02/11/2026 17:00", DeadlineKind.DATE, D(2026, 11, 2), "02/11/2026 17:00"),
        ("2026-10-01T00:00:00.000Z", DeadlineKind.DATE, D(2026, 10, 1), "2026-10-01T00:00:00.000Z"),
        (
            "2026-10-01T09:30:00+01:00",
            DeadlineKind.DATE,
            D(2026, 10, 1),
            "2026-10-01T09:30:00+01:00",
        ),
        ("2026-11-30 00:00:00", DeadlineKind.DATE, D(2026, 11, 30), "2026-11-30 00:00:00"),
        # A time in UTC or with an offset is dated by the UK clock: Power Automate writes
        # 1 October (British Summer Time) as 23:00 UTC the day before; in winter GMT is UTC.
        ("2026-09-30T23:00:00Z", DeadlineKind.DATE, D(2026, 10, 1), "2026-09-30T23:00:00Z"),
        ("30/09/2026 11:30 pm UTC", DeadlineKind.DATE, D(2026, 10, 1), "30/09/2026 11:30 pm UTC"),
        ("2026-12-31T23:30:00Z", DeadlineKind.DATE, D(2026, 12, 31), "2026-12-31T23:30:00Z"),
        ("2026-09-30T21:00-03:00", DeadlineKind.DATE, D(2026, 10, 1), "2026-09-30T21:00-03:00"),
        ("2026-10-01T00:30+01:00", DeadlineKind.DATE, D(2026, 10, 1), "2026-10-01T00:30+01:00"),
        ("30/09/2026 23:00", DeadlineKind.DATE, D(2026, 9, 30), "30/09/2026 23:00"),  # no zone
        ("03/04/26 9:30 AM", DeadlineKind.DATE, D(2026, 4, 3), "03/04/26 9:30 AM"),
        ("3 April 2026, 5pm", DeadlineKind.DATE, D(2026, 4, 3), "3 April 2026, 5pm"),
        (
            "30/11/2026 00:00:00 & Ongoing",
            DeadlineKind.DATE,
            D(2026, 11, 30),
            "30/11/2026 00:00:00 & Ongoing",
        ),
        (
            "2026-10-01T09:30+01:00 & ongoing",
            DeadlineKind.DATE,
            D(2026, 10, 1),
            "2026-10-01T09:30+01:00 & ongoing",
        ),
        ("Ongoing + 1.4.2027", DeadlineKind.DATE, D(2027, 4, 1), "Ongoing + 1.4.2027"),
        ("31/02/2026 00:00", DeadlineKind.UNCLEAR, None, "31/02/2026 00:00"),
        ("30/11/2026 25:00", DeadlineKind.UNCLEAR, None, "30/11/2026 25:00"),
        ("30/11/2026 5", DeadlineKind.UNCLEAR, None, "30/11/2026 5"),
        # Spans are never a date with a time.
        ("2026-27", DeadlineKind.FINANCIAL_YEAR, D(2027, 3, 31), "2026-27"),
        ("Q3 2026/27", DeadlineKind.QUARTER, D(2026, 12, 31), "Q3 2026/27"),
        ("2026-27 00:00", DeadlineKind.UNCLEAR, None, "2026-27 00:00"),
        ("Nov 2026 17:00", DeadlineKind.UNCLEAR, None, "Nov 2026 17:00"),
        (None, DeadlineKind.EMPTY, None, ""),
        ("  ", DeadlineKind.EMPTY, None, ""),
    ],
)
def test_deadline_forms(value, kind, due, shown):
    """Each form is understood for overdue and due soon, and printed as typed (issues 6, 10)."""
    deadline = parse_deadline(value)
    assert (deadline.kind, deadline.due, deadline.display) == (kind, due, shown)


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (D(1905, 7, 20), 2028),  # 2028 typed into a dd/mm/yyyy cell: serial 2028
        (dt.datetime(1905, 6, 12), 1990),
        (D(1905, 9, 30), 2100),
    ],
)
def test_a_year_typed_into_a_date_cell_is_the_year_typed(value, year):
    """Excel and LibreOffice store `2028` typed in a date cell as 20 July 1905 (issue: messy D1)."""
    deadline = parse_deadline(value)
    assert (deadline.kind, deadline.due, deadline.display) == (
        DeadlineKind.YEAR,
        D(year, 12, 31),
        str(year),
    )


@pytest.mark.parametrize("value", [D(1905, 6, 11), D(1905, 10, 1), dt.datetime(1905, 7, 20, 9)])
def test_other_dates_in_1905_stay_dates(value):
    assert parse_deadline(value).kind is DeadlineKind.DATE


def test_a_number_deadline_is_shown_in_full():
    deadline = parse_deadline(1234567.5)
    assert (deadline.kind, deadline.display) == (DeadlineKind.UNCLEAR, "1234567.5")
    assert deadline.problem is DeadlineNote.A_NUMBER


def test_a_month_only_date_cell_prints_as_its_month_in_the_language_being_built():
    deadline = parse_deadline(MonthDate(2026, 11, 1))
    assert (deadline.kind, deadline.due, deadline.display) == (
        DeadlineKind.MONTH,
        D(2026, 11, 30),
        "November 2026",
    )
    with use_language("cy"):
        assert deadline.display == "Tachwedd 2026"
    assert parse_deadline("November 2026").display == "November 2026"  # typed: as typed


def test_the_welsh_month_names_are_those_babel_gives():
    """The names written out in deadlines.py are CLDR's, exactly as Babel gives them, and the
    names read are Babel's Welsh and the calendar's English, as before they were written out."""
    import calendar

    from babel.dates import get_month_names

    forms = [
        get_month_names(width, context, locale="cy")
        for width in ("wide", "abbreviated")
        for context in ("format", "stand-alone")
    ]
    assert [set(names) for names in WELSH_MONTHS] == [
        {form[number] for form in forms} for number in range(1, 13)
    ]
    english = {
        name.lower(): number
        for number in range(1, 13)
        for name in (calendar.month_name[number], calendar.month_abbr[number])
    }
    welsh = {form[number].casefold(): number for form in forms for number in range(1, 13)}
    assert _months() == {**welsh, **english, "sept": 9}


def test_impossible_date_says_why():
    assert parse_deadline("31/02/2026").problem is DeadlineNote.NOT_REAL


def test_serial_number_read_as_date_and_flagged():
    deadline = parse_deadline(46112.0)
    assert deadline.due == D(2026, 3, 31)
    assert deadline.problem is DeadlineNote.SERIAL


def test_original_text_kept():
    assert parse_deadline("Sept 2022 and ongoing").text == "Sept 2022 and ongoing"


def test_real_excel_date_prints_in_words():
    """A cell holding a real date has no typed text: it prints as 30 November 2026 (issue 10)."""
    assert parse_deadline(D(2026, 11, 30)).display == "30 November 2026"
    assert parse_deadline(46112.0).display == "31 March 2026"


@pytest.mark.parametrize("word", ["Quarterly", "Annual", "Bi-annual", "Monthly", "six-monthly"])
def test_recurring_words_have_no_due_date(word):
    """Recurring words are kept as typed and have no due date, so never count as overdue."""
    deadline = parse_deadline(word)
    assert deadline.is_recurring and deadline.due is None and deadline.display == word
