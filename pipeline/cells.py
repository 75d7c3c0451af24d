"""Text goes into spreadsheet cells as text, never as a formula (CWE-1236): the one way in.

Every writer of an .xlsx file puts values through here: `put` for openpyxl
cells (template, example filler, checked copy) and `write_text` (or
`text_cell`, for whole rows) for XlsxWriter sheets (summary workbook).
openpyxl turns a string starting with `=` into a live formula and `#N/A`
into an error cell; XlsxWriter's `write()` guesses types the same way. So
text is always stored as a string cell, and text an officer could later
"re-enter" as a formula (starting `= + - @`) also gets Excel's quote prefix,
the invisible apostrophe Excel adds when someone types `'=...`.
`tests/test_architecture.py` checks that no other module assigns cell values
or calls XlsxWriter's write methods.

No spreadsheet library is imported here: the cells and sheets are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pipeline.text import looks_like_formula, xml_safe

#: Excel's limit on the characters in one cell.
EXCEL_MAX_CHARS = 32_767
#: Excel's limits on a data-validation (dropdown) list written in the rule itself.
EXCEL_MAX_LIST_CHARS = 255
#: Excel's limits on a dropdown's input and error titles and messages.
EXCEL_MAX_TITLE_CHARS = 32
EXCEL_MAX_MESSAGE_CHARS = 255
#: Excel's limit on a sheet name, and the characters it cannot hold.
EXCEL_MAX_SHEET_CHARS = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# Text that Excel would decode as one of its `_xHHHH_` character escapes.
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def cell_text(text: str) -> str:
    """Text an .xlsx cell can hold: no XML-illegal characters, within Excel's length limit."""
    return xml_safe(text)[:EXCEL_MAX_CHARS]


def put(cell: Any, value: object) -> Any:
    """Set an openpyxl cell's value and return the cell; text always lands as a string cell.

    Text that looks like Excel's `_x0041_` escape is escaped itself (as
    XlsxWriter does), or Excel would show `A` where the council wrote `_x0041_`.
    """
    if isinstance(value, str):
        text = cell_text(value)
        if "_x" in text:
            text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
        cell.value = text
        cell.data_type = "s"  # openpyxl made `=...` a formula and `#N/A` an error
        if looks_like_formula(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def put_at(ws: Any, row: int, column: int, value: object) -> Any:
    """`put` into the cell at row and column of an openpyxl sheet; returns the cell."""
    return put(ws.cell(row=row, column=column), value)


def write_text(
    ws: Any, row: int, column: int, text: str, cell_format: Any = None, quoted: Any = None
) -> None:
    """Write text to an XlsxWriter sheet with write_string, never write().

    quoted: the format to use instead when the text looks like a formula (one
    with `quote_prefix` set), so editing the cell in Excel keeps it as text.
    """
    ws.write_string(row, column, *text_cell(text, cell_format, quoted))


def text_cell(text: str, cell_format: Any = None, quoted: Any = None) -> tuple[str, Any]:
    """The text an XlsxWriter string cell holds, and its format (quoted if it looks like a formula).

    `write_text` and the bulk rows of `pipeline.render.xlsx_rows` both use it,
    so text reaches a sheet the same way by either road.
    """
    if quoted is not None and looks_like_formula(text):
        cell_format = quoted
    return xml_safe(text), cell_format


def list_formula(values: Iterable[str]) -> str:
    """A dropdown list written in the rule itself, e.g. `"Draft,Final"`, for fixed words only.

    Excel has no escape for a comma or a quote inside such a list, so text from
    a framework or a workbook must never go here: it goes in a sheet, and the
    dropdown points at its range. A value that cannot be written safely is a
    programming error.
    """
    items = list(values)
    for item in items:
        if not item or any(c in item for c in ',"') or looks_like_formula(item):
            raise ValueError(f"{item!r} cannot be an item of an in-rule dropdown list")
    formula = '"' + ",".join(items) + '"'
    if len(formula) - 2 > EXCEL_MAX_LIST_CHARS:
        raise ValueError("an in-rule dropdown list is limited to 255 characters")
    return formula


def shorten(text: str, limit: int) -> str:
    """Text cut to limit characters, ending with an ellipsis if it was cut (Excel's fixed limits)."""
    text = xml_safe(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sheet_name(title: str, taken: Iterable[str] = (), fallback: str = "Sheet") -> str:
    """A sheet name Excel accepts, made from title (which may come from a framework's labels).

    Forbidden characters become spaces, the name is cut to 31 characters, may
    not start or end with an apostrophe, and gets a number if it is already
    taken (Excel compares names ignoring case).
    """
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", xml_safe(title)).split()).strip("'").strip()
    name = name[:EXCEL_MAX_SHEET_CHARS].strip() or fallback
    used = {t.casefold() for t in taken}
    candidate, number = name, 1
    while candidate.casefold() in used or candidate.casefold() == "history":
        number += 1
        suffix = f" ({number})"
        candidate = name[: EXCEL_MAX_SHEET_CHARS - len(suffix)].rstrip() + suffix
    return candidate
