"""Dates and numbers the GOV.UK way: the one home for how eqplan prints them.

GOV.UK style (research/publishing-cycle-welsh.md): `12 October 2026` with no
ordinal and no comma, ranges joined with "to", numerals with commas above
999 (`1,250 actions`). Financial years are written `2026 to 2027` unless the
council's Plan sheet asks for `2026/27` (the `Financial years` setting), as
many councils still write them. Deadlines are printed as the officer typed
them and never pass through here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

from pipeline.i18n import _, current_language, localised_date, localised_number

#: The month a UK public-sector financial year starts in (April).
FINANCIAL_YEAR_START_MONTH = 4
#: English month names by number (index 0 is ""), read once: each `calendar.month_name`
#: lookup formats a date, and a large plan prints tens of thousands of dates.
MONTH_NAMES = tuple(calendar.month_name)


def format_date(value: dt.date) -> str:
    """A date the GOV.UK way: `30 November 2026`, no ordinal, no comma (in Welsh, from CLDR)."""
    language = current_language()
    if language != "en":
        return localised_date(value, language)
    return govuk_date(value)


def govuk_date(value: dt.date) -> str:
    """A date in English whatever the language being built: `30 November 2026`."""
    return f"{value.day} {MONTH_NAMES[value.month]} {value.year}"


def format_date_range(start: dt.date, end: dt.date) -> str:
    """Two dates joined with "to": `1 April 2026 to 31 March 2029` (never a dash)."""
    return _("%(start)s to %(end)s") % {"start": format_date(start), "end": format_date(end)}


def format_number(count: int) -> str:
    """A whole number with commas above 999: `1,250`, `999`, `12,000`."""
    language = current_language()
    if language != "en":
        return localised_number(count, language)
    return f"{count:,}"


class FinancialYears(enum.Enum):
    """How a council writes a financial year: `2026 to 2027` (GOV.UK) or `2026/27`."""

    TO = "2026 to 2027"
    SLASH = "2026/27"

    @classmethod
    def from_cell(cls, text: str) -> FinancialYears | None:
        """The style an officer's Plan-sheet value names, or None when it names neither.

        Accepts the two examples as shown in the dropdown, and the words
        `to` and `slash` (and the Welsh `i`, `2026 i 2027`, as a Welsh officer writes the
        first); an empty value is the default (`TO`).
        """
        key = "".join(text.split()).casefold()
        if key in ("", "to", "2026to2027", "i", "2026i2027"):
            return cls.TO
        if key in ("slash", "/", "2026/27"):
            return cls.SLASH
        return None


#: The choices offered in the Plan sheet's Financial years dropdown, default first.
FINANCIAL_YEAR_CHOICES = tuple(style.value for style in FinancialYears)


def financial_year_start(value: dt.date) -> int:
    """The calendar year in which the financial year holding value began (April to March)."""
    return value.year if value.month >= FINANCIAL_YEAR_START_MONTH else value.year - 1


def format_financial_year(start_year: int, style: FinancialYears = FinancialYears.TO) -> str:
    """The financial year starting in April of start_year: `2026 to 2027` or `2026/27`."""
    if style is FinancialYears.SLASH:
        return f"{start_year}/{(start_year + 1) % 100:02d}"
    return _("%(start)s to %(end)s") % {"start": start_year, "end": start_year + 1}


class Count(int):
    """A count that prints with commas (`1,250`) yet stays a number for templates' ifs and sums.

    The Word template context hands counts to a council's own template, which
    may compare or add them (README, "The Word template context"), so they
    stay ints; Jinja2 prints a value with str(), so the commas come out in
    every table without a filter.
    """

    def __str__(self) -> str:
        return format_number(self)

    def __format__(self, spec: str) -> str:
        return format_number(self) if not spec else int.__format__(self, spec)
