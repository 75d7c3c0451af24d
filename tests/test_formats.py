"""Dates and numbers the GOV.UK way, from their one home (pipeline/formats.py, issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.formats import (
    Count,
    FinancialYears,
    financial_year_start,
    format_date,
    format_date_range,
    format_financial_year,
    format_number,
)
from pipeline.text import are, plural


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2026, 10, 12), "12 October 2026"),
        (dt.date(2026, 10, 1), "1 October 2026"),  # no ordinal, no leading zero
        (dt.date(2027, 3, 31), "31 March 2027"),
    ],
)
def test_dates_have_no_ordinal_and_no_comma(value, shown):
    assert format_date(value) == shown


def test_date_ranges_use_to():
    assert (
        format_date_range(dt.date(2026, 4, 1), dt.date(2029, 3, 31))
        == "1 April 2026 to 31 March 2029"
    )


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (1250, "1,250"), (12000, "12,000")],
)
def test_numbers_have_commas_above_999(count, shown):
    assert format_number(count) == shown
    assert str(Count(count)) == shown
    assert f"{Count(count)}" == shown


def test_counts_stay_numbers_for_templates():
    assert Count(1250) == 1250 and Count(2) + 1 == 3 and Count(0) == 0
    assert not Count(0)


def test_count_sentences_use_commas():
    assert plural(1250, "action") == "1,250 actions"
    assert plural(1, "action") == "1 action"
    assert are(1250, "overdue") == "1,250 are overdue"
    assert are(0, "overdue") == "none are overdue"


@pytest.mark.parametrize(
    ("style", "shown"),
    [(FinancialYears.TO, "2026 to 2027"), (FinancialYears.SLASH, "2026/27")],
)
def test_financial_year_styles(style, shown):
    assert format_financial_year(2026, style) == shown


def test_financial_year_across_a_century():
    assert format_financial_year(2099, FinancialYears.SLASH) == "2099/00"


@pytest.mark.parametrize(
    ("value", "start"),
    [(dt.date(2026, 4, 1), 2026), (dt.date(2027, 3, 31), 2026), (dt.date(2026, 11, 30), 2026)],
)
def test_financial_year_starts_in_april(value, start):
    assert financial_year_start(value) == start


@pytest.mark.parametrize(
    ("typed", "style"),
    [
        ("", FinancialYears.TO),
        ("2026 to 2027", FinancialYears.TO),
        ("To", FinancialYears.TO),
        ("2026/27", FinancialYears.SLASH),
        (" 2026 / 27 ", FinancialYears.SLASH),
        ("slash", FinancialYears.SLASH),
        ("2026-27", None),
        ("fiscal", None),
    ],
)
def test_financial_years_setting_as_typed(typed, style):
    assert FinancialYears.from_cell(typed) is style
