"""The Progress log sheet's entries: earlier updates on each action, kept from report to report.

`eqplan next-period` moves each report's progress updates here (issue 12); the
plan prints the latest with each action and, with `--history`, all of them.
An entry belongs to the action with the same Ref (case and spacing ignored).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.deadlines import as_date
from pipeline.i18n import N_
from pipeline.rag import Rag
from pipeline.status import ActionStatus
from pipeline.text import match_key

if TYPE_CHECKING:
    from pipeline.model import Source


@dataclass
class ProgressEntry:
    """One row of the Progress log: the words as given, and the rating and status understood."""

    ref: str
    date: dt.date | None = None
    update: str = ""
    update_cy: str = ""  # its Welsh, when the log has an `Update (Cymraeg)` column
    rag: Rag | None = None
    rag_text: str = ""
    status: ActionStatus | None = None
    status_text: str = ""
    by: str = ""
    source: Source | None = None
    date_as_written: str = ""  # the Date cell's text when it is no date (DATE_UNCLEAR)

    @property
    def date_shown(self) -> dt.date | str | None:
        """The date printed with the entry: its date, else what was typed in its Date cell."""
        return self.date or self.date_as_written or None


#: What a log entry keeps beside the update: the rating and status it was given with.
RATING_FIELDS = ("rag", "status")
#: The Progress log's words for an owner's update that a conflict kept out of the plan
#: (merge_log.log_not_applied): a note for the officer settling it, never progress.
NOT_APPLIED = N_(
    "Not applied (a conflict for the officer to settle, then delete this row): %(update)s"
)
_NOT_APPLIED_START = NOT_APPLIED.split("%(")[0]


def not_applied(entry: ProgressEntry) -> bool:
    """Whether entry is merge's note of an owner's update not applied."""
    return is_not_applied_note(entry.update)


def is_not_applied_note(update: object) -> bool:
    """Whether a log row's update (its English words, which merge always writes) is merge's
    note of an owner's update not applied: they start as NOT_APPLIED does."""
    return str(update or "").lstrip().startswith(_NOT_APPLIED_START.rstrip())


def logged_row(rows: list[dict], ref: str, words: str, day: dt.date | None) -> dict | None:
    """The Progress log row (a workbook row, by field key) of one update: its Ref, words and
    date, the newest first; None when it was never logged. The same words on another day are
    another update ("No change this quarter.")."""
    return next(reversed(logged_rows(rows, ref, words, day)), None)


def logged_rows(rows: list[dict], ref: str, words: str, day: dt.date | None) -> list[dict]:
    """Every Progress log row of ref with these words on this day, in sheet order."""
    return [row for row in _rows_of(rows, ref, words) if _day(row) == day]


def newest_row(
    rows: list[dict], ref: str, words: str, where: Callable[[dict], bool] | None = None
) -> dict | None:
    """The newest Progress log row of ref with these words, whatever its date (the action's
    Last updated may have moved on since it was logged); of those where(row) holds."""
    found = [row for row in _rows_of(rows, ref, words) if where is None or where(row)]
    return max(found, key=lambda row: _day(row) or dt.date.min, default=None)


def _rows_of(rows: list[dict], ref: str, words: str) -> list[dict]:
    """The log rows of ref (case and spacing ignored) holding words, in sheet order."""
    key, words = match_key(ref), words.strip()
    return [
        row
        for row in rows
        if str(row.get("update", "")).strip() == words and match_key(str(row.get("ref", ""))) == key
    ]


def _day(row: dict) -> dt.date | None:
    return as_date(row.get("date"))


def latest_update(entries: list[ProgressEntry]) -> ProgressEntry | None:
    """The entry the plan prints as an action's latest update when its Progress update cell is
    empty: the latest with words (entries as logs_by_ref gives them, oldest first)."""
    return next((entry for entry in reversed(entries) if entry.update), None)


def logs_by_ref(entries: Iterable[ProgressEntry]) -> dict[str, list[ProgressEntry]]:
    """Entries by match_key(Ref), each list oldest first (undated ones first, then sheet order).

    An entry whose Date cell holds text that is no date (date_as_written) keeps its place in
    the sheet: it sorts as of the dated entry above it, so an update next-period logged with
    its Last updated as typed is still the newest, not taken for the oldest.

    The progress the plan prints: merge's notes of updates not applied (not_applied) are
    left out, so one the officer has not yet settled and deleted is never printed as an
    action's latest update or in its history.
    """
    found: dict[str, list[ProgressEntry]] = {}
    for entry in entries:
        if not not_applied(entry):
            found.setdefault(match_key(entry.ref), []).append(entry)
    for key, listed in found.items():
        placed, above = [], dt.date.min
        for entry in listed:  # sheet order
            if entry.date is not None:
                above = max(above, entry.date)
            placed.append((entry.date or (above if entry.date_as_written else dt.date.min), entry))
        placed.sort(key=lambda pair: pair[0])  # stable: sheet order among equal dates
        found[key] = [entry for _day, entry in placed]
    return found
