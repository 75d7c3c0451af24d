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


def uk_today() -> dt.date:
    """Today on the UK clock (after 23:00 UTC in British Summer Time, it is tomorrow)."""
    return uk_day(dt.datetime.now(dt.UTC))


def uk_day(moment: dt.datetime) -> dt.date:
    """The UK day of moment; a moment with no zone is taken as written."""
    return on_uk_clock(moment).date()


def on_uk_clock(moment: dt.datetime) -> dt.datetime:
    """moment as the UK clock shows it (GMT or BST). A moment with no zone is taken as written,
    and so is one at the very edge of the calendar, which the UK clock cannot show (31
    December 9999 behind UTC): a file can say anything, and reading it must not fail."""
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(_uk_zone())
    except OverflowError:
        return moment


def uk_moment(moment: dt.datetime) -> dt.datetime:
    """moment with its zone: one with none is taken as a time on the UK clock."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=_uk_zone())


def uk_time(moment: dt.datetime, *, seconds: bool = False, zone: bool = False) -> str:
    """The time of moment on the UK clock: `14:05`, with seconds `14:05:09`, with the zone
    `01:30 BST` (in the hour the clocks go back, 01:30 comes twice)."""
    local = on_uk_clock(moment)
    shown = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    name = local.tzname() if zone else None
    return f"{shown} {name}" if name else shown


@cache
def _uk_zone() -> dt.tzinfo:
    try:
        return ZoneInfo(UK_ZONE)
    except ZoneInfoNotFoundError:  # no time zone data (Windows without tzdata): UTC
        return dt.UTC
