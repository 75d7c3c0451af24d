"""The UK's clock: which day a moment recorded in UTC, or with an offset, falls on here.

A saved time (a workbook's properties) and a time of day typed after a date (Power
Automate writes a UK date as `2026-09-30T23:00:00Z` in British Summer Time) are in
UTC or carry an offset; the day the council means is the day on the UK clock (GMT or
BST), which is the next one for a time after 23:00 UTC in summer.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Where the councils are.
UK_ZONE = "Europe/London"


def uk_day(moment: dt.datetime) -> dt.date:
    """The UK day of moment; a moment with no zone is taken as written."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(_uk_zone()).date()


def uk_time(moment: dt.datetime) -> str:
    """The time of moment on the UK clock, hours and minutes (`14:05`); a moment with no zone
    is taken as written."""
    local = moment if moment.tzinfo is None else moment.astimezone(_uk_zone())
    return f"{local:%H:%M}"


@cache
def _uk_zone() -> dt.tzinfo:
    try:
        return ZoneInfo(UK_ZONE)
    except ZoneInfoNotFoundError:  # no time zone data (Windows without tzdata): UTC
        return dt.UTC
