"""Deadlines as officers write them: real dates, `Nov 22`, `Q3 2026`, `Ongoing`, `TBC`.

Real council plans mix dates with words (seed 004: `Nov 22`, `Complete`,
`Sept 2022 & Ongoing`), so a deadline keeps the text as written beside what
was understood of it. Dates are UK day-first, because officers type
`03/04/2026` meaning 3 April. A month, quarter or year means its last day,
the latest moment the action could still be on time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re
from dataclasses import dataclass

from pipeline.excel_dates import DateSystem, excel_serial_to_date, typed_year
from pipeline.formats import MONTH_NAMES, format_date, govuk_date
from pipeline.i18n import N_, current_language, in_welsh
from pipeline.text import match_key, number_text, squash
from pipeline.uk_clock import uk_day
from pipeline.welsh_text import english_text

#: Deadlines outside these years are taken for typing slips (DEADLINE_IMPLAUSIBLE).
PLAUSIBLE_FROM_YEAR, PLAUSIBLE_YEARS_AHEAD = 2000, 20


class DeadlineKind(enum.Enum):
    """What kind of deadline was written."""

    EMPTY = "empty"
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    FINANCIAL_YEAR = "financial year"
    ONGOING = "ongoing"
    TBC = "tbc"
    COMPLETE = "complete"
    RECURRING = "recurring"
    UNCLEAR = "unclear"


_WORDS = {
    "ongoing": (DeadlineKind.ONGOING, "Ongoing"),
    "on going": (DeadlineKind.ONGOING, "Ongoing"),
    "continuous": (DeadlineKind.ONGOING, "Ongoing"),
    "tbc": (DeadlineKind.TBC, "TBC"),
    "tbd": (DeadlineKind.TBC, "TBC"),
    "to be confirmed": (DeadlineKind.TBC, "TBC"),
    "to be agreed": (DeadlineKind.TBC, "TBC"),
    "complete": (DeadlineKind.COMPLETE, "Complete"),
    "completed": (DeadlineKind.COMPLETE, "Complete"),
    "done": (DeadlineKind.COMPLETE, "Complete"),
    "annual": (DeadlineKind.RECURRING, "Annual"),
    "annually": (DeadlineKind.RECURRING, "Annual"),
    "yearly": (DeadlineKind.RECURRING, "Annual"),
    "each year": (DeadlineKind.RECURRING, "Annual"),
    "bi-annual": (DeadlineKind.RECURRING, "Twice a year"),
    "biannual": (DeadlineKind.RECURRING, "Twice a year"),
    "bi-annually": (DeadlineKind.RECURRING, "Twice a year"),
    "six monthly": (DeadlineKind.RECURRING, "Twice a year"),
    "six-monthly": (DeadlineKind.RECURRING, "Twice a year"),
    "twice a year": (DeadlineKind.RECURRING, "Twice a year"),
    "quarterly": (DeadlineKind.RECURRING, "Quarterly"),
    "monthly": (DeadlineKind.RECURRING, "Monthly"),
    "weekly": (DeadlineKind.RECURRING, "Weekly"),
}

#: What the reader understands, in the words the template's help and Read me sheet use.
ACCEPTED_FORMS = N_(
    "a date such as 30/11/2026 (day first), a month (Nov 2026), a quarter (Q3 2026), a year (2027) or a financial year (2026/27), or Ongoing, TBC or Complete"
)

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    )
}
_MONTHS["sept"] = 9


#: CLDR's Welsh month names (format and stand-alone, wide and abbreviated) exactly as
#: Babel gives them (tests/test_deadlines.py compares): written out, as loading Babel's
#: locale data for them took a quarter of `eqplan validate`'s start-up (issue 17).
WELSH_MONTHS = (
    ("Ionawr", "Ion"),
    ("Chwefror", "Chwef", "Chw"),
    ("Mawrth", "Maw"),
    ("Ebrill", "Ebr"),
    ("Mai",),
    ("Mehefin", "Meh"),
    ("Gorffennaf", "Gorff", "Gor"),
    ("Awst",),
    ("Medi",),
    ("Hydref", "Hyd"),
    ("Tachwedd", "Tach"),
    ("Rhagfyr", "Rhag"),
)


@functools.cache
def _months() -> dict[str, int]:
    """Month names and short forms, English and Welsh: `Nov`, `Tachwedd`, `Tach` (issue 15).

    The Welsh are CLDR's, as Welsh dates are printed (both its short forms, `Chwef` and
    `Chw`); no Welsh name is also an English one.
    """
    welsh = {
        name.casefold(): number
        for number, names in enumerate(WELSH_MONTHS, start=1)
        for name in names
    }
    return {**welsh, **_MONTHS}


# A time of day after a whole date, as CSV exports and Power Automate write them
# (`31/10/2026 00:00:00`, `2026-10-01T00:00:00.000Z`, `02/11/2026 5:00 pm`, `... +01:00`):
# the day is the date and the time is ignored. Only ever after a day, month and year, so
# `2026-27`, `Q3 2026/27` and other spans never take a time. Text is already lower case.
# A time in UTC or with an offset (`...T23:00:00Z`) is dated by the UK clock (uk_clock.py).
_AM_PM = r" ?[ap]\.?m\.?"
_CLOCK = rf"(?P<clock>(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:{_AM_PM})?|(?:0?[1-9]|1[0-2]){_AM_PM})"
_ZONE = r"(?: ?(?P<zone>z|utc|gmt|[+\-](?:[01]\d|2[0-3])(?::?[0-5]\d)?))?"
_TIME = rf"(?:(?:t|,? ){_CLOCK}{_ZONE})?"
_HOURS = re.compile(r"(\d{1,2})(?::(\d{2}))?")
_DAY_FIRST = re.compile(rf"^(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{2}}|\d{{4}}){_TIME}$")
_ISO = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$")
_DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?[ \-]([a-z]+)\.?,?[ \-](\d{{2}}|\d{{4}}){_TIME}$"
)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[ \-/']*(\d{2}|\d{4})$")
_NUMERIC_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL_YEAR = re.compile(r"^(?:fy ?)?(\d{4})[/\-](\d{2}|\d{4})$")
# `Q3 2026`, or in Welsh `Ch3 2026` (chwarter).
_QUARTER = re.compile(r"^(?:q|ch)([1-4])[ \-/]*(\d{2}|\d{4})$")
_FY_QUARTER = re.compile(r"^(?:q|ch)([1-4])[ \-/]*(\d{4})[/\-](\d{2}|\d{4})$")
# `/` and `+` join only where they are not inside a date: `Nov 2026 / Ongoing`, but never
# `30/11/2026` nor the `+01:00` of a time.
_JOINERS = re.compile(r"\s*(?:&|\band\b|(?<!\d)\+|\+(?!\d)|(?<!\d)/|/(?!\d)|,|;|\bthen\b)\s*")
_LEADING = re.compile(r"^(?:by|before|due|end of|end|the end of|from|in)\s+")


class DeadlineNote(enum.Enum):
    """Why a deadline needs a word to the officer; the value is the detail a message prints."""

    SERIAL = N_("is an Excel date stored as a number")  # read as a date, with DATE_AS_NUMBER
    NOT_A_DATE = N_("is not a date")
    A_NUMBER = N_("is a number, not a date")
    NOT_REAL = N_("is not a real date")


@dataclass(frozen=True)
class Deadline:
    """A deadline: the text as written, the date it means (if any) and its kind.

    `due` is the last day the action is on time: the date itself, or the last
    day of a month, quarter, year or financial year. `recurrence` names a word
    like Ongoing or Annual written beside a date (`Nov 22 & Ongoing`). `text`
    is what the officer typed, and what the plan prints.
    """

    text: str
    kind: DeadlineKind
    due: dt.date | None = None
    recurrence: str = ""
    problem: DeadlineNote | None = None

    @classmethod
    def empty(cls) -> Deadline:
        return cls("", DeadlineKind.EMPTY)

    @property
    def is_complete(self) -> bool:
        return self.kind is DeadlineKind.COMPLETE

    @property
    def understood(self) -> bool:
        return self.kind is not DeadlineKind.UNCLEAR

    @property
    def is_recurring(self) -> bool:
        """True for a repeating word with no date (Quarterly, Annual): it is never overdue."""
        return self.kind is DeadlineKind.RECURRING

    @property
    def display(self) -> str:
        """How the plan prints the deadline: exactly as the officer typed it.

        "Bi-annual" stays "Bi-annual" and "Nov 2026 & Ongoing" stays as it is:
        the document says what the council wrote (issue 10). Only a cell holding
        a real Excel date has no typed text; it prints as `30 November 2026`.
        The parsed `due` date is used for sorting, overdue and due soon only.
        A date eqplan wrote itself from the cell's date prints in the language being built;
        English words as typed (`Ongoing`, `Q3 2027`) are marked English in a Welsh one.
        """
        if (
            self.due is not None
            and self.kind is DeadlineKind.DATE
            and self.text == govuk_date(self.due)
        ):
            return format_date(self.due)
        if (
            self.due is not None
            and self.kind is DeadlineKind.MONTH
            and self.text == month_text(self.due)
        ):
            return month_text(self.due, current_language())  # from a month-only date cell
        return english_text(self.text) if self.understood and in_english(self.text) else self.text


class MonthDate(dt.date):
    """A date cell whose number format shows only its month and year (`mmm-yy`, `mmmm yyyy`):
    Excel stores `Nov 2026` typed in a cell as 1 November 2026 shown that way, so the
    officer meant the month. Everything else takes it as the date it is."""

    @classmethod
    def of(cls, value: dt.date) -> MonthDate:
        return cls(value.year, value.month, value.day)


def month_text(value: dt.date, language: str = "en") -> str:
    """A month as a month-only date cell prints: `November 2026` (`Tachwedd 2026` in Welsh)."""
    if language == "en":
        return f"{MONTH_NAMES[value.month]} {value.year}"
    from babel.dates import format_date as cldr_date

    return cldr_date(value, "MMMM y", locale=language)


def plausible(due: dt.date, report_date: dt.date) -> bool:
    """False for a deadline that is probably a typing slip (2204 for 2024): before 2000, or
    more than 20 years after the report date. Such a deadline gets DEADLINE_IMPLAUSIBLE and
    counts as neither overdue nor due soon, everywhere (validate and the figures alike)."""
    return PLAUSIBLE_FROM_YEAR <= due.year <= report_date.year + PLAUSIBLE_YEARS_AHEAD


def as_date(value: object, system: DateSystem = DateSystem.FROM_1900) -> dt.date | None:
    """A cell's value as a day, as the reader takes a date cell (a date, or text such as
    15/11/2026) of a workbook in system; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        return None
    deadline = parse_deadline(value, system)
    return deadline.due if deadline.kind is DeadlineKind.DATE else None


def parse_deadline(value: object, system: DateSystem = DateSystem.FROM_1900) -> Deadline:
    """Understand a Deadline cell's value: a date, a number or text as typed. A number, or a
    year typed into a date cell, counts days in system: the date system of the workbook it
    comes from (excel_dates.py)."""
    if value is None or (isinstance(value, str) and not squash(value)):
        return Deadline.empty()
    if (year := typed_year(value, system)) is not None:
        return Deadline(str(year), DeadlineKind.YEAR, dt.date(year, 12, 31))
    if isinstance(value, MonthDate):  # as if `November 2026` were typed
        return Deadline(month_text(value), DeadlineKind.MONTH, _month_end(value.year, value.month))
    if isinstance(value, dt.datetime):
        return Deadline(format_date(value.date()), DeadlineKind.DATE, value.date())
    if isinstance(value, dt.date):
        return Deadline(format_date(value), DeadlineKind.DATE, value)
    if isinstance(value, bool):
        return Deadline(str(value), DeadlineKind.UNCLEAR, problem=DeadlineNote.NOT_A_DATE)
    if isinstance(value, int | float):
        if float(value).is_integer() and 1990 <= value <= 2100:
            year = int(value)
            return Deadline(str(year), DeadlineKind.YEAR, dt.date(year, 12, 31))
        date = excel_serial_to_date(float(value), system)
        if date is not None:
            return Deadline(format_date(date), DeadlineKind.DATE, date, problem=DeadlineNote.SERIAL)
        return Deadline(number_text(value), DeadlineKind.UNCLEAR, problem=DeadlineNote.A_NUMBER)
    return parse_deadline_text(str(value))


@functools.cache
def _welsh_words() -> dict[str, DeadlineKind]:
    """The Welsh for Ongoing and Complete, from the catalogue (the status words' Welsh)."""
    return {match_key(in_welsh(_WORDS[w][1])): _WORDS[w][0] for w in ("ongoing", "complete")}


@functools.lru_cache(maxsize=4096)
def parse_deadline_text(text: str) -> Deadline:
    """Understand deadline text; anything not understood is kept as written (UNCLEAR)."""
    original = squash(text)
    key = match_key(original).rstrip(".")
    if key in _WORDS:
        kind, _ = _WORDS[key]
        return Deadline(original, kind)
    if key in _welsh_words():  # `Parhaus`, `Cwblhawyd`: a Welsh template's words (issue 15)
        return Deadline(original, _welsh_words()[key])
    parsed = _parse_when(key)
    if parsed is not None:
        kind, due, problem = parsed
        return Deadline(original, kind, due, problem=problem)
    # Combined forms: a date and a recurring word, e.g. `Nov 22 & Ongoing`.
    parts = [p for p in _JOINERS.split(key) if p]
    if len(parts) == 2:
        for when, word in (parts, parts[::-1]):
            recurrence = _recurrence(word)
            if recurrence:
                parsed = _parse_when(when)
                if parsed is not None and parsed[1] is not None:
                    kind, due, problem = parsed
                    return Deadline(original, kind, due, recurrence, problem)
    return Deadline(original, DeadlineKind.UNCLEAR)


@functools.lru_cache(maxsize=4096)
def in_english(text: str) -> bool:
    """True for deadline text in English words (`Ongoing`, `Q3 2027`, `Mar 2027 & Ongoing`):
    not for Welsh (`Parhaus`, `Ch3 2027`, `Tachwedd 2026`) nor for figures (`2026/27`), nor
    for a time's letters (`T`, `Z`, `UTC`, `GMT`), which are in no language."""
    words = set(re.findall(r"[^\W\d_]+", match_key(text))) - {"t", "z", "utc", "gmt"}
    welsh = {*_welsh_words(), "ch", *(name.casefold() for n in WELSH_MONTHS for name in n)}
    return bool(words) and not words & welsh


def _recurrence(word: str) -> str:
    """The repeating word a date is joined with (`Ongoing`, `Quarterly`; Welsh `Parhaus`)."""
    if word in _WORDS and _WORDS[word][0] in (DeadlineKind.ONGOING, DeadlineKind.RECURRING):
        return _WORDS[word][1]
    return _WORDS["ongoing"][1] if _welsh_words().get(word) is DeadlineKind.ONGOING else ""


def _year(digits: str) -> int:
    year = int(digits)
    return 2000 + year if len(digits) == 2 else year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _uk_date(date: dt.date, clock: str, zone: str) -> dt.date:
    """The UK day of date at clock (`23:00:00`, `5:30 pm`) in zone (`z`, `utc`, `+01:00`)."""
    hours = _HOURS.match(clock)
    assert hours is not None  # _CLOCK starts with the hour
    hour, minute = int(hours.group(1)), int(hours.group(2) or 0)
    if "m" in clock:  # am or pm: 12 am is midnight, 12 pm noon
        hour = hour % 12 + (12 if "p" in clock else 0)
    offset = 0
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + int(digits[2:] or 0)
        offset = -offset if zone[0] == "-" else offset
    moment = dt.datetime.combine(date, dt.time(hour, minute))
    return uk_day(moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset))))


def _parse_when(key: str) -> tuple[DeadlineKind, dt.date | None, DeadlineNote | None] | None:
    """Parse one date-like phrase; None when it is not one.

    An impossible date such as 31/02/2026 returns UNCLEAR with a problem note,
    so the officer is told which part is wrong.
    """
    stripped = None
    while stripped != key:  # `by the end of March 2027`: peel each leading word off
        stripped, key = key, _LEADING.sub("", key).strip()
    for pattern, kind in (
        (_DAY_FIRST, "dmy"),
        (_ISO, "ymd"),
        (_DAY_MONTH_YEAR, "dMy"),
    ):
        m = pattern.match(key)
        if not m:
            continue
        a, b, c = m.group(1, 2, 3)
        if kind == "dmy":
            day, month, year = int(a), int(b), _year(c)
        elif kind == "ymd":
            year, month, day = int(a), int(b), int(c)
        else:
            if b not in _months():
                return None
            day, month, year = int(a), _months()[b], _year(c)
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return DeadlineKind.UNCLEAR, None, DeadlineNote.NOT_REAL
        if m.group("zone"):
            date = _uk_date(date, m.group("clock"), m.group("zone"))
        return DeadlineKind.DATE, date, None
    m = _MONTH_YEAR.match(key)
    if m and m.group(1) in _months():
        year, month = _year(m.group(2)), _months()[m.group(1)]
        return DeadlineKind.MONTH, _month_end(year, month), None
    m = _NUMERIC_MONTH_YEAR.match(key)
    if m and 1 <= int(m.group(1)) <= 12:
        return DeadlineKind.MONTH, _month_end(int(m.group(2)), int(m.group(1))), None
    m = _YEAR.match(key)
    if m and 1990 <= int(m.group(1)) <= 2100:
        return DeadlineKind.YEAR, dt.date(int(m.group(1)), 12, 31), None
    m = _FY_QUARTER.match(key)
    if m:
        # Financial quarters: Q1 is April to June of the first year.
        quarter, start = int(m.group(1)), int(m.group(2))
        month = 3 * quarter + 3
        year = start if month <= 12 else start + 1
        month = month if month <= 12 else month - 12
        return DeadlineKind.QUARTER, _month_end(year, month), None
    m = _QUARTER.match(key)
    if m:
        # A bare `Q3 2026` is a calendar quarter (July to September).
        return DeadlineKind.QUARTER, _month_end(_year(m.group(2)), 3 * int(m.group(1))), None
    m = _FINANCIAL_YEAR.match(key)
    if m:
        start, end = int(m.group(1)), _year(m.group(2))
        if end == start + 1:
            return DeadlineKind.FINANCIAL_YEAR, dt.date(start + 1, 3, 31), None
    return None
