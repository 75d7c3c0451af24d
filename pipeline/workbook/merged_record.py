"""The record a merged plan keeps of the returns merged into it, so none is merged twice.

`eqplan merge` compares a return with what was sent (split's record), so once the
officer has changed a cell back to the value sent (a RAG set back to Amber after
talking to the owner), merging that return again would take the owner's value for a
fresh change and silently undo the officer's decision. So the merged plan holds a
very hidden sheet listing each return merged into it: which return (split's record:
report date, split date, how it was split, whose), which file (a fingerprint of its
bytes, as owners rename files) and when. merge skips a return whose bytes are listed.

A corrected version of a return merged before is compared with what the earlier version
said, not with what was sent (else the value the officer set back would look like a fresh
change again): so the record also keeps what the latest version of each return said, its
owner's fields by Ref as merge compared them. One version per return is kept, so the
record stays about the size of the plan's actions. It keeps when each version was saved too,
as precisely as the file says (else its day): a version saved before one merged already
is older, and is not merged over it.

The record is read back from a workbook anyone can edit: one that is not as eqplan wrote
it (its checksum, over every cell, does not match) is not used at all (MergedRecordDamaged),
and merge says so. The sheet is eqplan's, not the council's: upgrade carries it over (the
same quarter's plan); next-period and combine leave it behind, as a new quarter's returns
are other returns; merge writes it again with the returns it has just merged added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from openpyxl import Workbook

from pipeline.cells import cell_text, put_at
from pipeline.text import is_digits
from pipeline.uk_clock import uk_day, uk_moment
from pipeline.workbook import layout
from pipeline.workbook.engines import SheetData
from pipeline.workbook.returns import RETURN_FIELDS

#: The record's first cell: a merge ignores a record it does not know (nothing is then
#: known to be merged before, as with a plan merged by an earlier eqplan).
_FORMAT = "eqplan-merged-3"
#: The record before save dates were kept, still read (its returns' saved_on is "").
_SECOND_FORMAT = "eqplan-merged-2"
#: The first record (returns only, no values, no checksum), still read.
_FIRST_FORMAT = "eqplan-merged-1"

#: What a return said: its owner's fields' texts (as merge compares them) by the Ref sent
#: (match_key) and which of the plan's rows with that Ref.
Said = dict[tuple[str, int], dict[str, str]]


class MergedRecordDamaged(Exception):
    """The record sheet is there but not as eqplan wrote it: it is not used."""


@dataclass(frozen=True)
class MergedReturn:
    """One return merged into the plan: split's identity of it, its bytes' and its name."""

    digest: str  # sha256 of the file's bytes: the same file, whatever it is called now
    report_date: str  # split's record, as it holds them (ISO dates)
    split_on: str
    by: str
    group: str
    file: str  # as the report named it
    merged_on: str  # ISO date of the merge
    #: What it said (None: not recorded: an earlier version's, or a first-format record).
    said: Said | None = field(default=None, compare=False, repr=False)
    #: When its file was saved (saved_text): in UTC as precisely as the file gives it, or the ISO day alone
    #: (an earlier eqplan's record), or "" (not known: Google Sheets, or an older record).
    saved_on: str = ""

    def same_return(self, other: MergedReturn) -> bool:
        """Whether other is a version of this return: split made both for one group, from
        the same plan version on the same day (the owner corrected it and sent it again)."""
        return self.identity == other.identity

    @property
    def saved(self) -> Saved | None:
        """When its file was saved, as the record holds it; None when not known."""
        return saved_when(self.saved_on)

    @property
    def identity(self) -> tuple[object, ...]:
        """What every version of this return shares (as identity_of reads from split's record)."""
        return tuple(getattr(self, key) for key in IDENTITY)

    @property
    def logged_on(self) -> dt.date | None:
        """The day merge dated its updates on the Progress log: the day its file was saved,
        else (not known) the day it was merged; None when the record holds no date."""
        saved = self.saved or saved_when(self.merged_on)
        return saved.day if saved is not None else None


class Saved(NamedTuple):
    """When a version of a return was saved: its UK day, and the moment (UTC) when known."""

    day: dt.date
    moment: dt.datetime | None = None

    def before(self, other: Saved) -> bool:
        """Saved before other: by the moment when both know it (versions sent the same day),
        else by the day (versions saved the same day, one of them to the day only, are not
        told apart)."""
        if self.moment is not None and other.moment is not None:
            return self.moment < other.moment
        return self.day < other.day


def saved_text(moment: dt.datetime | None, day: dt.date | None) -> str:
    """The record's saved_on for a file saved at moment (UTC), else on day: '' if neither."""
    if moment is not None:  # as precisely as the file records it
        return moment.astimezone(dt.UTC).isoformat()
    return day.isoformat() if day is not None else ""


def saved_when(text: str) -> Saved | None:
    """The record's saved_on read back (saved_text); None when not known or not a date."""
    try:
        if "T" not in text:
            return Saved(dt.date.fromisoformat(text)) if text else None
        moment = uk_moment(dt.datetime.fromisoformat(text))  # (saved_text gives its zone)
    except ValueError:
        return None
    return Saved(uk_day(moment), moment)


#: The fields of split's record of a return that every version of it shares.
IDENTITY = ("report_date", "split_on", "by", "group")


def identity_of(record: Mapping[str, object]) -> tuple[object, ...]:
    """Which return a record (split's, of a return; or a merged one's fields) is a version of."""
    return tuple(record.get(key) for key in IDENTITY)


_COLUMNS = ("digest", "report_date", "split_on", "by", "group", "file", "merged_on", "saved_on")
#: The columns of the first and second formats' records: no save date.
_UNDATED_COLUMNS = _COLUMNS[:-1]
#: The returns' heading row: their identity, then the fields whose values are kept.
_HEADINGS = (*_COLUMNS, "fields")
#: The values' heading row, after the returns and a blank row.
_VALUE_HEADINGS = ("return", "ref", "occurrence", *RETURN_FIELDS)


def merged_returns(sheets: Iterable[SheetData]) -> list[MergedReturn]:
    """The returns a plan records as merged into it, from its sheets the reader did not read
    (`RawWorkbook.unread_sheets`); [] when it has none. Raises MergedRecordDamaged when the
    record is there but has been changed or cut short (by hand, or by another program)."""
    sheet = next((s for s in sheets if s.title == layout.MERGED_SHEET), None)
    if sheet is None:
        return []
    cells = {where: "" if value is None else str(value) for where, value in sheet.cells.items()}
    rows = _rows(cells)
    width = len(_UNDATED_COLUMNS)
    if cells.get((1, 1)) == _FIRST_FORMAT and rows and tuple(rows[0]) == _UNDATED_COLUMNS:
        return [MergedReturn(*(r + [""] * width)[:width]) for r in rows[1:] if r and r[0]]
    columns = {_FORMAT: _COLUMNS, _SECOND_FORMAT: _UNDATED_COLUMNS}.get(cells.get((1, 1)))
    if columns is None or len(cells.get((1, 2), "")) != 64:
        raise MergedRecordDamaged
    if any(column > 2 for row, column in cells if row == 1) or _checksum(rows) != cells[(1, 2)]:
        raise MergedRecordDamaged
    try:
        return _read(rows, columns)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise MergedRecordDamaged from error


def _rows(cells: dict[tuple[int, int], str]) -> list[list[str]]:
    """Rows 2 on, each a list of its cells' texts without the empty ones at its end."""
    last = max((row for row, _column in cells), default=1)
    width = max((column for _row, column in cells), default=0)
    rows = []
    for row in range(2, last + 1):
        values = [cells.get((row, column), "") for column in range(1, width + 1)]
        while values and not values[-1]:
            values.pop()
        rows.append(values)
    return rows


def _checksum(rows: list[list[str]]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def _read(rows: list[list[str]], columns: tuple[str, ...]) -> list[MergedReturn]:
    """The returns and their values from a record whose checksum matched, its returns'
    columns those of its format; ValueError (or another lookup error) when its rows are not
    as written."""
    headings = (*columns, "fields")
    if tuple(rows[0]) != headings:
        raise ValueError("headings")
    count = next((n for n, row in enumerate(rows[1:]) if not row), len(rows) - 1)
    said: dict[str, Said] = {}
    kept: dict[str, tuple[str, ...]] = {}
    for row in rows[1 : count + 1]:
        row = row + [""] * (len(headings) - len(row))
        if len(row) != len(headings) or row[0] in kept:
            raise ValueError("return")
        kept[row[0]] = tuple(row[-1].split())
        if set(kept[row[0]]) - set(RETURN_FIELDS):
            raise ValueError("fields")
        if kept[row[0]]:
            said[row[0]] = {}
    values = rows[count + 2 :]
    if values and tuple(values[0]) != _VALUE_HEADINGS:
        raise ValueError("value headings")
    for row in values[1:]:
        row = row + [""] * (len(_VALUE_HEADINGS) - len(row))
        digest, ref, occurrence = row[:3]
        if len(row) != len(_VALUE_HEADINGS) or not ref or not is_digits(occurrence):
            raise ValueError("value row")
        by_field = dict(zip(RETURN_FIELDS, row[3:], strict=True))
        key = (ref, int(occurrence))
        if key in said[digest]:
            raise ValueError("value row twice")
        said[digest][key] = {name: by_field[name] for name in kept[digest]}
    returns = [(row + [""] * len(columns))[: len(columns)] for row in rows[1 : count + 1]]
    return [
        MergedReturn(**dict(zip(columns, row, strict=True)), said=said.get(row[0]))
        for row in returns
    ]


def write_merged_returns(wb: Workbook, merged: list[MergedReturn]) -> None:
    """Add the record of the returns merged into the plan, very hidden: not in Excel's Unhide
    list, so it is not changed by mistake (nor printed). Only the latest version of each
    return keeps what it said: a later correction is compared with that one alone."""
    if not merged:
        return
    latest = {id(next(e for e in reversed(merged) if e.same_return(entry))) for entry in merged}
    rows: list[list[str]] = [list(_HEADINGS)]
    values: list[list[str]] = []
    for entry in merged:
        said = entry.said if id(entry) in latest and entry.said else None
        kept = sorted({name for fields in (said or {}).values() for name in fields}, key=_order)
        rows.append([getattr(entry, name) for name in _COLUMNS] + [" ".join(kept)])
        for (ref, occurrence), fields in (said or {}).items():
            texts = [fields.get(name, "") for name in RETURN_FIELDS]
            values.append([entry.digest, ref, str(occurrence), *texts])
    if values:
        rows += [[], list(_VALUE_HEADINGS), *values]
    rows = [[cell_text(text) for text in row] for row in rows]
    for row in rows:
        while row and not row[-1]:
            row.pop()
    ws = wb.create_sheet(layout.MERGED_SHEET)
    ws.sheet_state = "veryHidden"
    put_at(ws, 1, 1, _FORMAT)
    put_at(ws, 1, 2, _checksum(rows))
    for number, row in enumerate(rows, start=2):
        for column, text in enumerate(row, start=1):
            if text:
                put_at(ws, number, column, text)


def _order(name: str) -> int:
    return RETURN_FIELDS.index(name)


def carry_merged_record(sheets: Iterable[SheetData], wb: Workbook) -> None:
    """Copy a plan's record, cell for cell, into wb, a copy of the same quarter's plan
    (`eqplan upgrade`): a return merged before is still known. Copied as it is, damaged or
    not: the next merge judges it, and says so if it cannot be used."""
    sheet = next((s for s in sheets if s.title == layout.MERGED_SHEET), None)
    if sheet is None:
        return
    ws = wb.create_sheet(layout.MERGED_SHEET)
    ws.sheet_state = "veryHidden"
    for (row, column), value in sheet.cells.items():
        put_at(ws, row, column, value)
