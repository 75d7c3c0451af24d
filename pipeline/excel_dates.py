"""Excel's day numbers: the two date systems, a date kept as a number, a year typed as a date.

Excel stores a date as a count of days from a day zero that depends on the
workbook: the 1900 date system (Excel for Windows, and every Excel today)
counts from 30 December 1899, the 1904 date system (old Excel for Mac, still
in workbooks made with it: `<workbookPr date1904="1"/>`) from 1 January 1904,
1,462 days later. So the number 44894 is 29 November 2022 in one and 30
November 2026 in the other. A cell formatted as a date is read as its date by
both reading engines, which honour the workbook's system; a number in a
General cell, or a year typed into a date cell, is turned into a date here,
always with the system the workbook it came from uses (`RawWorkbook.date_system`).
"""

from __future__ import annotations

import datetime as dt
import enum


class DateSystem(enum.Enum):
    """Excel's two date systems; the value is each one's day zero."""

    FROM_1900 = dt.date(1899, 12, 30)  # serials past 60 skip Excel's fake 29 February 1900
    FROM_1904 = dt.date(1904, 1, 1)

    @classmethod
    def of_workbook(cls, date1904: str | None) -> DateSystem:
        """The system a workbook's `date1904` setting names, read as calamine reads it ("1" or
        "true"; anything else, or none, is the 1900 system)."""
        return cls.FROM_1904 if date1904 in ("1", "true") else cls.FROM_1900


#: The dates a number in a General cell is taken for: 1 January 2000 to 31 December 2099.
_SERIAL_DATES = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
#: A year typed into a date-formatted cell is stored as that serial: 2028 is 20 July 1905
#: (21 July 1909 in the 1904 system).
_YEAR_SERIALS = (1990, 2100)


def typed_year(value: object, system: DateSystem = DateSystem.FROM_1900) -> int | None:
    """The year an officer typed into a date-formatted cell of a workbook in system, which
    stores 2028 as the serial 2028 (20 July 1905); None for any other value."""
    if not isinstance(value, dt.date):
        return None
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return None
    serial = ((value.date() if isinstance(value, dt.datetime) else value) - system.value).days
    return serial if _YEAR_SERIALS[0] <= serial <= _YEAR_SERIALS[1] else None


def as_typed(value: object, system: DateSystem = DateSystem.FROM_1900) -> object:
    """A cell's value as the officer typed it: a year typed into a date cell is that year."""
    year = typed_year(value, system)
    return value if year is None else year


def excel_serial_to_date(
    serial: float, system: DateSystem = DateSystem.FROM_1900
) -> dt.date | None:
    """The date an Excel serial number stands for in system, if it is a plausible plan date."""
    low, high = ((day - system.value).days for day in _SERIAL_DATES)
    if not low <= serial <= high:
        return None
    return system.value + dt.timedelta(days=int(serial))


def in_1900_system(value: object, system: DateSystem) -> object:
    """A date cell's value from a workbook in system, as a workbook in the 1900 date system
    holds it (every workbook eqplan writes is one): a year typed into a date cell stays that
    year, a date's number in a General cell the number of the same day. Real dates, and
    anything else, are unchanged."""
    if system is DateSystem.FROM_1900:
        return value
    year = typed_year(value, system)
    if year is not None:
        day = DateSystem.FROM_1900.value + dt.timedelta(days=year)
        return dt.datetime.combine(day, dt.time()) if isinstance(value, dt.datetime) else day
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and excel_serial_to_date(value, system) is not None:
        return value + (system.value - DateSystem.FROM_1900.value).days
    return value
