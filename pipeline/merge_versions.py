"""Which version of a return `eqplan merge` takes when it has more than one: the newest saved.

An owner who corrects a return sends it again; the versions can reach the officer out of
order (the first found late in an inbox), or all at once (a returns folder holding both).
A version saved before another version of the same return, merged already or given in
this merge, is older: merging it would undo what the owner said later (its words back
on the log, a withdrawn update back in the plan). So it is skipped, with a note naming
the newer version and when each was saved. Versions sent the same day are told apart by
the time of the save, as precisely as the files' properties record it. Versions whose
save is not known (Google Sheets records none; a record written before save dates were
kept), or known only to the day (a record an earlier eqplan wrote) on the same day, are
not told apart by age: each is merged, as a version sent again.
"""

from __future__ import annotations

from typing import NamedTuple

from pipeline.formats import format_date
from pipeline.i18n import N_, _
from pipeline.merge_intake import OpenedReturn, skip
from pipeline.uk_clock import on_uk_clock, uk_time
from pipeline.workbook.merged_record import MergedReturn, Saved, identity_of


class _Version(NamedTuple):
    """A version of a return known to this merge: when saved, its file, and whether the
    plan's record holds it as merged before."""

    saved: Saved
    file: str
    merged_before: bool


def skip_older_versions(opened: list[OpenedReturn], recorded: list[MergedReturn]) -> None:
    """Skip each of the returns opened for this merge that was saved before another version
    of the same return, one the plan's record holds as merged (recorded) or one given now:
    only the newest version of each return is merged, whatever order they were given in."""
    versions: dict[tuple[object, ...], list[_Version]] = {}
    for entry in recorded:
        if (saved := entry.saved) is not None:
            versions.setdefault(entry.identity, []).append(_Version(saved, entry.file, True))
    for found in opened:
        if (saved := _saved(found)) is not None:
            identity = identity_of(found.record)
            versions.setdefault(identity, []).append(_Version(saved, found.outcome.file, False))
    for found in opened:
        if (saved := _saved(found)) is None:
            continue
        known = versions.get(identity_of(found.record), [])
        if not (later := [v for v in known if saved.before(v.saved)]):
            continue
        newer = later[0]
        for version in later[1:]:  # the newest of them
            if newer.saved.before(version.saved):
                newer = version
        outcome = found.outcome
        outcome.problems, outcome.own_columns, outcome.own_sheets = [], [], []  # none read
        outcome.older_than_merged = {
            "saved_on": saved.day.isoformat(),
            "newer_file": newer.file,
            "newer_saved_on": newer.saved.day.isoformat(),
            "saved_at": _iso(saved),
            "newer_saved_at": _iso(newer.saved),
        }
        words = {"saved": _shown(saved, newer.saved), "newer": newer.file}
        words["newer_saved"] = _shown(newer.saved, saved)
        skip(outcome, (_(_OLDER_THAN_MERGED) if newer.merged_before else _(_OLDER)) % words)


def _saved(found: OpenedReturn) -> Saved | None:
    """When a return given now was saved; None when its properties do not say."""
    day = found.outcome.saved_on
    return Saved(day, found.saved_at) if day is not None else None


def _iso(saved: Saved) -> str | None:
    """The moment saved, for the JSON report (ISO 8601, UTC); None when only the day is known."""
    return saved.moment.isoformat() if saved.moment is not None else None


def _shown(saved: Saved, other: Saved) -> str:
    """When saved, as the officer reads it: the day, and the time (UK clock) when other is the
    same day (two versions sent the same day are told apart by it): with the seconds when the
    minutes are the same, and GMT or BST when the clocks went back between the two."""
    day = format_date(saved.day)
    if saved.moment is None or other.moment is None or saved.day != other.day:
        return day
    seconds = uk_time(saved.moment) == uk_time(other.moment)
    zone = on_uk_clock(saved.moment).utcoffset() != on_uk_clock(other.moment).utcoffset()
    time = uk_time(saved.moment, seconds=seconds, zone=zone)
    return _("%(day)s at %(time)s") % {"day": day, "time": time}


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
