"""Which version of a return `eqplan merge` takes when it has more than one: the newest saved.

An owner who corrects a return sends it again; the versions can reach the officer out of
order (the first found late in an inbox), or all at once (a returns folder holding both).
A version saved before another version of the same return, merged already or given in
this merge, is older: merging it would undo what the owner said later (its words back
on the log, a withdrawn update back in the plan). So it is skipped, with a note naming
the newer version and both save dates. Versions saved on the same day, or one whose save
date is not known (Google Sheets records none; a record written before save dates were
kept), are not told apart by age: each is merged, as a version sent again.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pipeline.i18n import N_, _
from pipeline.merge_intake import OpenedReturn, skip
from pipeline.merge_report import shown_date
from pipeline.workbook.merged_record import MergedReturn, identity_of


class _Newest(NamedTuple):
    """The newest version of a return known: its save date, file, and whether merged before."""

    saved_on: dt.date
    file: str
    merged_before: bool


def skip_older_versions(opened: list[OpenedReturn], recorded: list[MergedReturn]) -> None:
    """Skip each of the returns opened for this merge that was saved before another version
    of the same return, one the plan's record holds as merged (recorded) or one given now:
    only the newest version of each return is merged, whatever order they were given in."""
    newest: dict[tuple[object, ...], _Newest] = {}
    known = [(m.identity, _date(m.saved_on), m.file, True) for m in recorded]
    known += [(identity_of(f.record), f.outcome.saved_on, f.outcome.file, False) for f in opened]
    for identity, saved, file, merged in known:
        if saved is not None and (identity not in newest or saved > newest[identity].saved_on):
            newest[identity] = _Newest(saved, file, merged)
    for found in opened:
        saved, newer = found.outcome.saved_on, newest.get(identity_of(found.record))
        if saved is None or newer is None or newer.saved_on <= saved:
            continue
        outcome = found.outcome
        outcome.problems, outcome.own_columns, outcome.own_sheets = [], [], []  # none read
        outcome.older_than_merged = {
            "saved_on": saved.isoformat(),
            "newer_file": newer.file,
            "newer_saved_on": newer.saved_on.isoformat(),
        }
        words = {"saved": shown_date(saved.isoformat()), "newer": newer.file}
        words["newer_saved"] = shown_date(newer.saved_on.isoformat())
        skip(outcome, (_(_OLDER_THAN_MERGED) if newer.merged_before else _(_OLDER)) % words)


#: Said of a version saved before one the plan's record holds as merged.
_OLDER_THAN_MERGED = N_(
    "it was saved on %(saved)s, before %(newer)s (saved on %(newer_saved)s), a newer version "
    "of the same return already merged into this plan, so nothing from it is applied: what "
    "the owner said later stays."
)
#: Said of a version saved before another version of the same return given in this merge.
_OLDER = N_(
    "it was saved on %(saved)s, before %(newer)s (saved on %(newer_saved)s), a newer version "
    "of the same return given in this merge, so only that one is merged: what the owner said "
    "later stays."
)


def _date(text: str) -> dt.date | None:
    """A save date from the record; None when not known (or not a date)."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
