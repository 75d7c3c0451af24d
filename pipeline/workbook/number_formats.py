"""Which cell styles show a date, and which show only its month: read from the styles part.

calamine gives a date cell's value but not its number format, and the format
changes what the officer typed: `Nov 2026` typed in Excel is stored as the
date 1 November 2026 shown `mmm-yy`, a month and not that day; and a negative
number in a date cell is no date at all (Excel shows `#####`). So the styles
part (small: a few kilobytes) is read once here, and `sheet_scan` notes the
cells in those styles as it streams each sheet. A sheet with no date styles
costs nothing more.
"""

from __future__ import annotations

import enum
import re

from pipeline.text import is_digits
from pipeline.workbook.parts import Parts

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_STYLES = "xl/styles.xml"

# Excel's built-in number formats that show a date or time (ECMA-376 18.8.30, with the
# East Asian date forms); 17 is `mmm-yy`, a month and year.
_BUILT_IN_DATES = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_BUILT_IN_MONTHS = {17}
# Parts of a format code that show nothing of the date: quoted text, escaped and padding
# characters, and bracketed colours and locales ([Red], [$-809]; not [h] elapsed hours).
_LITERALS = re.compile(r'"[^"]*"|\\.|[_*].|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)


class DateStyle(enum.Enum):
    """What a style's number format shows of a date."""

    DATE = "date"  # a day, or a time
    MONTH = "month"  # a month and year and no day: mmm-yy, mmmm yyyy


def date_kind(code: str) -> DateStyle | None:
    """What a number format code shows: a month (`mmm-yy`), a date or time, or neither."""
    shown = _LITERALS.sub("", code.split(";", 1)[0]).lower()
    if not any(letter in shown for letter in "dmyhs"):
        return None
    if "y" in shown and "m" in shown and not any(letter in shown for letter in "dhs"):
        return DateStyle.MONTH
    return DateStyle.DATE


def date_styles(parts: Parts) -> dict[str, DateStyle]:
    """The cell styles (`s=` indexes, as the sheet XML writes them) whose format shows a date.

    Unreadable styles mean none: the values are then read as before.
    """
    target = next(
        (target for _id, kind, target in parts.relationships() if kind.endswith("/styles")), ""
    )
    entry = parts.resolve(target).entry if target else None
    try:
        styles = parts.xml(entry or _STYLES)
    except Exception:  # noqa: BLE001 - a damaged styles part hides no values
        return {}
    if styles is None:
        return {}
    # The cells' own formats only: a conditional format's (<dxfs>) may reuse an id.
    own = styles.find(f"{_MAIN}numFmts")
    codes = {
        fmt.get("numFmtId", ""): fmt.get("formatCode", "")
        for fmt in (own.iter(f"{_MAIN}numFmt") if own is not None else ())
    }
    found: dict[str, DateStyle] = {}
    xfs = styles.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        number = xf.get("numFmtId", "0")
        if number in codes:
            kind = date_kind(codes[number])
        elif is_digits(number) and int(number) in _BUILT_IN_DATES:
            kind = DateStyle.MONTH if int(number) in _BUILT_IN_MONTHS else DateStyle.DATE
        else:
            kind = None
        if kind is not None:
            found[str(index)] = kind
    return found
