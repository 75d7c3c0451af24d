"""Deadline text as officers write it (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.deadlines import DeadlineKind, parse_deadline

D = dt.date


@pytest.mark.parametrize(
    ("value", "kind", "due", "shown"),
    [
        ("03/04/2026", DeadlineKind.DATE, D(2026, 4, 3), "3 April 2026"),
        ("3.4.26", DeadlineKind.DATE, D(2026, 4, 3), "3 April 2026"),
        ("2026-04-03", DeadlineKind.DATE, D(2026, 4, 3), "3 April 2026"),
        ("3rd April 2026", DeadlineKind.DATE, D(2026, 4, 3), "3 April 2026"),
        (dt.datetime(2026, 4, 3, 9, 30), DeadlineKind.DATE, D(2026, 4, 3), "3 April 2026"),
        ("Nov 22", DeadlineKind.MONTH, D(2022, 11, 30), "November 2022"),
        ("Sept 2026", DeadlineKind.MONTH, D(2026, 9, 30), "September 2026"),
        ("Feb 2028", DeadlineKind.MONTH, D(2028, 2, 29), "February 2028"),
        ("by end of March 2027", DeadlineKind.MONTH, D(2027, 3, 31), "March 2027"),
        ("11/2026", DeadlineKind.MONTH, D(2026, 11, 30), "November 2026"),
        ("2027", DeadlineKind.YEAR, D(2027, 12, 31), "2027"),
        ("2026/27", DeadlineKind.FINANCIAL_YEAR, D(2027, 3, 31), "2026/27"),
        ("Q3 2026", DeadlineKind.QUARTER, D(2026, 9, 30), "Q3 2026"),
        ("q1 2026/27", DeadlineKind.QUARTER, D(2026, 6, 30), "Q1 2026/27"),
        ("Ongoing", DeadlineKind.ONGOING, None, "Ongoing"),
        ("tbc", DeadlineKind.TBC, None, "TBC"),
        ("Complete", DeadlineKind.COMPLETE, None, "Complete"),
        ("Annual", DeadlineKind.RECURRING, None, "Annual"),
        ("Bi-annual", DeadlineKind.RECURRING, None, "Twice a year"),
        ("Monthly", DeadlineKind.RECURRING, None, "Monthly"),
        ("Nov 22 & Ongoing", DeadlineKind.MONTH, D(2022, 11, 30), "November 2022, then ongoing"),
        (
            "Sept 2022 and ongoing",
            DeadlineKind.MONTH,
            D(2022, 9, 30),
            "September 2022, then ongoing",
        ),
        ("Under development", DeadlineKind.UNCLEAR, None, "Under development"),
        ("Published", DeadlineKind.UNCLEAR, None, "Published"),
        ("31/02/2026", DeadlineKind.UNCLEAR, None, "31/02/2026"),
        (None, DeadlineKind.EMPTY, None, ""),
        ("  ", DeadlineKind.EMPTY, None, ""),
    ],
)
def test_deadline_forms(value, kind, due, shown):
    deadline = parse_deadline(value)
    assert (deadline.kind, deadline.due, deadline.display) == (kind, due, shown)


def test_impossible_date_says_why():
    assert parse_deadline("31/02/2026").problem == "is not a real date"


def test_serial_number_read_as_date_and_flagged():
    deadline = parse_deadline(46112.0)
    assert deadline.due == D(2026, 3, 31)
    assert deadline.problem == "serial"


def test_original_text_kept():
    assert parse_deadline("Sept 2022 and ongoing").text == "Sept 2022 and ongoing"
