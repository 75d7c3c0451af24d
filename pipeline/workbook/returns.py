"""The workbooks `eqplan split` sends to owners, and the record each carries (issue 13).

A split workbook is a fresh template workbook (pipeline/workbook/template.py)
holding one owner's or one section's actions. This module adds what makes it
a return form: every sheet protected without a password (guidance, not
security), the owner's fields and the empty rows below the actions left
unlocked, a short Read me, and a very hidden sheet recording which plan and
version it came from and what each row held when sent. `eqplan merge` reads
that record back (`record_in`, from the sheets the reader read) to tell what the owner changed.

Values are compared as `sent_text`: the one text form of a cell's value, so a
date typed as a date and the same date stored in the record compare equal.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.cells import put_at
from pipeline.text import clean_text, is_digits
from pipeline.uk_clock import uk_day, uk_moment
from pipeline.welsh_text import welsh_name
from pipeline.workbook import layout
from pipeline.workbook.engines import SheetData, load_sheets
from pipeline.workbook.filler import sheet_named
from pipeline.workbook.other_sheets import TEMPLATE_SHEETS
from pipeline.workbook.readme import HEADING_FONT, README_WIDTH, TITLE_FONT, WRAP_TOP

#: The Actions fields an owner updates in a workbook made by `eqplan split`; the rest are locked.
OWNER_FIELDS = ("progress", "rag", "status", "completed_on", "next_review", "deadline")
#: ... and the Welsh of the progress update, where the workbook has the (Cymraeg) columns.
RETURN_FIELDS = (*OWNER_FIELDS, layout.PROGRESS_CY)
#: The record's format: a merge refuses a record it does not know.
RECORD_FORMAT = "eqplan-split-1"
#: The record's plan fields, in the order they are written (rows 1 on, label and value).
RECORD_FIELDS = (
    "format",
    "council",
    "title",
    "framework",
    "report_date",
    "actions_hash",
    "split_on",
    "by",
    "group",
    "return_by",
    "master",
)
#: The heading of the record's first table column; its row starts the table of sent rows.
_TABLE_START = "Sent Ref"
_REVIEW_FILL = PatternFill("solid", fgColor="FFF2CC")
_UNLOCKED = Protection(locked=False)


class RecordDamaged(Exception):
    """The record sheet is there but cannot be read (edited by hand, or cut short)."""


@dataclass
class SentRow:
    """One action as it was sent: its Ref, which of the master's rows with that Ref, its values."""

    ref: str
    occurrence: int
    values: dict[str, str] = field(default_factory=dict)  # sent_text by Actions field key


@dataclass
class SentRecord:
    """What a split workbook says about itself: the plan, the version and every row sent."""

    plan: dict[str, str]  # by RECORD_FIELDS
    rows: list[SentRow] = field(default_factory=list)

    def get(self, key: str) -> str:
        return self.plan.get(key, "")


def sheets_sent(language: str) -> tuple[str, ...]:
    """The sheets split writes in a return in language: the template's (a Welsh return's by
    their Welsh names, as template_cy names them) and its record. A return holds only these
    as sent, so any other sheet in it is the owner's, whatever its name (merge names it)."""
    names = TEMPLATE_SHEETS if language != "cy" else [welsh_name(n)[:31] for n in TEMPLATE_SHEETS]
    return (*names, layout.RECORD_SHEET)


def sent_text(value: object) -> str:
    """The text form a value is compared in: dates as ISO dates, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))[0].replace("\r\n", "\n").strip()


# ------------------------------------------------------------------------------ writing


def open_fields(wb: Workbook, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of wanted that wb's Actions sheet has (a (Cymraeg) column only if written)."""
    keys = [c.key for c in layout.ACTIONS.columns]
    actions = sheet_named(wb, layout.ACTIONS_SHEET)
    return tuple(key for key in wanted if actions.cell(row=1, column=keys.index(key) + 1).value)


def make_return_form(
    wb: Workbook, record: SentRecord, readme: list[tuple[str, str]], editable: tuple[str, ...]
) -> Workbook:
    """Turn a filled template (wb, holding record.rows in order) into the owner's return form."""
    _write_record(wb, record)
    _write_readme(sheet_named(wb, layout.README_SHEET), readme)
    keys = [c.key for c in layout.ACTIONS.columns]
    actions = sheet_named(wb, layout.ACTIONS_SHEET)
    last = len(record.rows) + 1
    columns = [keys.index(key) + 1 for key in editable]
    for row in range(2, last + 1):
        for column in columns:
            actions.cell(row=row, column=column).protection = _UNLOCKED
    # New actions go in the empty rows below, unlocked as rows (a row's style, which Excel and
    # LibreOffice give every cell of it not written): unlocking 2,000 rows cell by cell took
    # most of a split's time. Cells the template already wrote there are unlocked too.
    for row in range(last + 1, layout.TEMPLATE_ROWS + 2):
        actions.row_dimensions[row].protection = _UNLOCKED
    for cells in actions.iter_rows(min_row=last + 1, max_row=actions.max_row):
        for cell in cells:
            cell.protection = _UNLOCKED
    for ws in wb.worksheets:
        ws.protection.sheet = True  # no password: it stops slips, it is not security
        ws.protection.autoFilter = False
        ws.protection.sort = False
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    actions.protection.insertRows = False
    actions.protection.deleteRows = False
    return wb


def _write_record(wb: Workbook, record: SentRecord) -> None:
    ws = wb.create_sheet(layout.RECORD_SHEET)
    ws.sheet_state = "veryHidden"  # not in Excel's Unhide list: owners never meet it
    for row, key in enumerate(RECORD_FIELDS, start=1):
        put_at(ws, row, 1, key)
        put_at(ws, row, 2, record.get(key))
    keys = [c.key for c in layout.ACTIONS.columns]
    start = len(RECORD_FIELDS) + 2
    for column, heading in enumerate((_TABLE_START, "Occurrence", *keys), start=1):
        put_at(ws, start, column, heading)
    for row, sent in enumerate(record.rows, start=start + 1):
        put_at(ws, row, 1, sent.ref)
        put_at(ws, row, 2, str(sent.occurrence))
        for column, key in enumerate(keys, start=3):
            put_at(ws, row, column, sent.values.get(key, ""))


def _write_readme(ws: Worksheet, rows: list[tuple[str, str]]) -> None:
    """Replace the template's Read me with the return form's short one (same look)."""
    ws.delete_rows(1, ws.max_row)
    for row, (style, text) in enumerate(rows, start=1):
        cell = put_at(ws, row, 1, text)
        cell.alignment = WRAP_TOP
        lines = sum(-(-max(len(part), 1) // (README_WIDTH - 8)) for part in text.split("\n"))
        cell.font = {"title": TITLE_FONT, "heading": HEADING_FONT}.get(style, Font())
        ws.row_dimensions[row].height = 24 if style == "title" else 15 * lines + 3


def mark_for_review(wb: Workbook, rows: dict[int, str]) -> None:
    """Shade the Ref cell of each added action and say in a note where it came from."""
    ws = sheet_named(wb, layout.ACTIONS_SHEET)
    for row, note in rows.items():
        cell = ws.cell(row=row, column=1)
        cell.fill = _REVIEW_FILL
        cell.comment = Comment(note, "eqplan merge", width=300, height=90)


# ------------------------------------------------------------------------------ reading


def read_record(content: Path | bytes) -> SentRecord | None:
    """The record of a split workbook not read yet (tests, tools); merge reads it with the
    rest of the return (record_in). Raises RecordDamaged as record_in does."""
    return record_in(load_sheets(content))


def record_in(sheets: Iterable[SheetData]) -> SentRecord | None:
    """The record of a split workbook, from its sheets as read: None when it has none (not a
    split workbook). merge gives the sheets the reader kept aside as not read
    (`RawWorkbook.unread_sheets`, where the record sheet always is), so a return is read once.

    Raises RecordDamaged when the record sheet is there but not as eqplan wrote it.
    """
    sheet = next((s for s in sheets if s.title == layout.RECORD_SHEET), None)
    if sheet is None:
        return None
    cells = {where: sent_text(value) for where, value in sheet.cells.items()}
    plan = {
        key: cells.get((row, 2), "")
        for row, key in enumerate(RECORD_FIELDS, start=1)
        if cells.get((row, 1)) == key
    }
    start = len(RECORD_FIELDS) + 2
    keys = [c.key for c in layout.ACTIONS.columns]
    if plan.get("format") != RECORD_FORMAT or cells.get((start, 1)) != _TABLE_START:
        raise RecordDamaged("its record of what was sent has been changed")
    if [cells.get((start, column), "") for column in range(3, len(keys) + 3)] != keys:
        raise RecordDamaged("its record of what was sent has been changed")
    record = SentRecord(plan)
    last = max((row for row, _column in cells), default=start)
    for row in range(start + 1, last + 1):
        ref = cells.get((row, 1), "")
        if not ref:
            continue
        occurrence = cells.get((row, 2), "1")
        values = {key: cells.get((row, column), "") for column, key in enumerate(keys, start=3)}
        record.rows.append(SentRow(ref, int(occurrence) if is_digits(occurrence) else 1, values))
    return record


_CORE = "docProps/core.xml"
_MODIFIED = "{http://purl.org/dc/terms/}modified"


def saved_on(content: Path | bytes) -> dt.date | None:
    """The day the workbook was last saved, in the UK, from its document properties (None if
    unknown: Google Sheets, and some other apps, record none).

    Excel, LibreOffice and openpyxl all record it; it dates an owner's progress update.
    """
    return saved_times(content)[0]


def saved_at(content: Path | bytes) -> dt.datetime | None:
    """The moment the workbook was last saved, in UTC, when its document properties give the
    time (Excel, LibreOffice and openpyxl record it to the second, in UTC); else None. A time
    recorded without its zone is taken as on the UK clock, as saved_day takes it.

    Two versions of one return sent the same day are told apart by it (merge_versions.py).
    """
    return saved_times(content)[1]


def saved_times(content: Path | bytes) -> tuple[dt.date | None, dt.datetime | None]:
    """saved_on and saved_at, from one reading of the document properties."""
    text = _modified(content)
    try:
        day = saved_day(text) if text else None
    except ValueError:
        day = None
    try:
        moment = uk_moment(dt.datetime.fromisoformat(text)).astimezone(dt.UTC)
    except (ValueError, OverflowError):  # not a time; or one at the edge of the calendar
        moment = None
    return day, moment


def _modified(content: Path | bytes) -> str:
    """The last saved time as the document properties record it ('' if they record none)."""
    import io

    try:
        with zipfile.ZipFile(content if isinstance(content, Path) else io.BytesIO(content)) as z:
            data = z.read(_CORE)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        found = etree.fromstring(data, parser).find(_MODIFIED)
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return ""
    return (found.text or "").strip() if found is not None else ""


def saved_day(text: str) -> dt.date:
    """The UK day of a saved time as documents record it (W3CDTF, `2026-06-01T23:30:00Z`):
    a time in UTC is the next day when saved after 23:00 in British Summer Time
    (uk_clock.uk_day). ValueError when it is not a date."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:  # a form Python does not read: its date, as written
        return dt.date.fromisoformat(text[:10])
    return uk_day(moment)
