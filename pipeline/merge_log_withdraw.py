"""An update an owner withdrew, on the Progress log: taken off, or left and said why.

An owner's corrected return may take back the update its earlier version gave: it clears
the update, or types back the one split sent (merge_apply.Change.withdraws). The plan is
then left as if that update was never given:

- the entry the earlier version made is taken off the log, and the update split sent goes
  back in the Progress update cell, dated as sent, with its Welsh, off the log where the
  earlier merge moved it; that row stays when the action's rating or status has changed
  since (it holds the rating the update was given with, which nobody else reported);
- on a joint action, the update another owner's return gave (still on the log, By naming
  them) goes back in the cell instead, when this return's update had taken its place;
- an update that was never applied (a conflict: logged as Not applied) has that row taken
  off, and the plan is left as it is.

What stays on the log is said (the report's `withdrawn_still_logged`: merge_withdrawn.py),
each with why (merge_log's reasons): the officer has edited the row since, another return
gave it too, the plan's update was typed over since, or the row is no longer on the log.
The earlier version's entry is found by its words, the day that version was saved (or,
not known, the plan's Last updated) and By: an officer who changed only the plan's Last
updated has not edited it, so it is taken off as any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pipeline.deadlines import as_date
from pipeline.merge_log import (
    GIVEN_BY_ANOTHER,
    PLAN_EDITED,
    AppliedChange,
    Values,
    earlier_note,
    named,
    return_entry,
    why_not_found,
)
from pipeline.progress_log import RATING_FIELDS, is_not_applied_note, newest_row
from pipeline.text import joined_names, match_key
from pipeline.workbook import layout

#: What an owner took back that stays on the log: (its words, why it stays).
Kept = list[tuple[str, str]]
#: The cells an update fills on the Actions sheet: its words, their date and their Welsh.
_UPDATE_CELLS = ("progress", "last_updated", layout.PROGRESS_CY)


def withdraw_update(
    log: list[Values],
    values: Values,
    before: Values,
    *,
    ref: str,
    groups: Sequence[str],
    sent: Mapping[str, str],
    owner: str,
    report_date: dt.date | None,
    earlier_day: dt.date | None = None,
    sent_on: dt.date | None = None,
) -> Kept:
    """An update the owner withdrew, which the plan holds (before: the action as it was):
    the plan ends as if it was never given. earlier_day: the day the return's earlier
    version was saved (its entry's date); sent_on the day split sent it. Returns what stays
    on the log, and why.

    The earlier version's entry (merge_log.return_entry) is taken off the log; one the
    officer has edited or deleted since is left (EDITED, NOT_FOUND), one whose Welsh the
    officer typed into the plan since stays, holding that Welsh (PLAN_EDITED), and one
    another return gave too only loses these groups' names and stays the plan's update
    (GIVEN_BY_ANOTHER).
    Then the update split sent goes back in its cells (_put_back)."""
    replaced = str(before.get("progress") or "").strip()
    days = (earlier_day, as_date(before.get("last_updated")))
    kept: Kept = []
    if replaced:  # (else the earlier version cleared the update: no entry of its own)
        entry, others = return_entry(log, ref, replaced, days, groups)
        if entry is None:
            why = why_not_found(log, ref, replaced, days, groups, unlike=(sent.get("progress"),))
            kept.append((replaced, why))
        elif others:  # still the other return's update, as if this one never gave it
            entry["by"] = joined_names(others)
            values.update({key: before.get(key) for key in _UPDATE_CELLS})
            return [(replaced, GIVEN_BY_ANOTHER)]
        elif _officers_welsh(before, entry):  # their translation stays, on the update's row
            entry["update_cy"] = before.get(layout.PROGRESS_CY)
            kept.append((replaced, PLAN_EDITED))
        else:
            log.remove(entry)
    theirs = _put_back(
        log, values, sent, ref=ref, owner=owner, groups=groups,
        latest=min(filter(None, (report_date, days[1])), default=None), sent_on=sent_on,
    )  # fmt: skip
    return [*kept, (theirs, GIVEN_BY_ANOTHER)] if theirs else kept


def withdraw_not_held(
    log: list[Values], change: AppliedChange, *, now: str = "", owner: str = ""
) -> Kept:
    """An update withdrawn that the plan does not hold (it holds now): its earlier version's
    update (change.sent) was not applied (a conflict), or the officer has typed over it since,
    or another of the action's owners (owner) has given another since. The plan stays as it
    is. The Not applied row that update made (merge_log.earlier_note) is taken off, and so is
    the entry of one that was applied when now is another owner's (on the log, By them);
    beside the officer's, it stays (PLAN_EDITED); one edited or deleted since is said to be
    (EDITED, NOT_FOUND). Returns what stays."""
    note = earlier_note(log, change)
    if note is not None:
        log.remove(note)
        return []
    days, groups = (change.earlier_day,), [change.group]
    entry, _others = return_entry(log, change.ref, change.sent, days, groups)
    if entry is not None and _given_by_others(log, change.ref, now, groups, owner):
        log.remove(entry)  # nobody stands by it: the plan's update is another owner's
        return []
    if entry is not None:
        return [(change.sent, PLAN_EDITED)]
    unlike = ((change.first_sent or {}).get("progress"),)
    why = why_not_found(log, change.ref, change.sent, days, groups, unlike=unlike)
    return [(change.sent, why)]


def _put_back(
    log: list[Values],
    values: Values,
    sent: Mapping[str, str],
    *,
    ref: str,
    owner: str,
    groups: Sequence[str],
    latest: dt.date | None,
    sent_on: dt.date | None = None,
) -> str | None:
    """The update split sent back in its cells, dated as sent, and taken off the log where
    keep_replaced moved it when a return's update replaced it (_moved); with the Welsh
    moved with it. Kept on the log, rated as it was: a row whose rating or status is not
    the action's now (the cell then takes its date, so it is not logged twice). An entry
    not found so (edited since, or logged before the return was sent) stays.

    Put back instead: another return's update given since that row (_theirs), the plan's
    until this return's update took its place. Returns its words, else None."""
    words, typed = sent.get("progress", ""), as_date(sent.get("last_updated"))
    welsh: object = sent.get(layout.PROGRESS_CY)
    moved = _moved(log, ref, words, owner, typed, latest)
    # Theirs is given since the update sent was replaced: the day it moved to the log (or its
    # own date); with neither (its row deleted since, and sent undated), since split sent it.
    since = (as_date(moved["date"]) if moved else typed) or sent_on
    theirs = _theirs(log, ref, groups, owner, words, since)
    if theirs is not None:
        welsh, typed = theirs.get("update_cy"), as_date(theirs.get("date"))
        words = str(theirs.get("update") or "").strip()
    elif moved is not None:
        words, welsh = moved.get("update"), moved.get("update_cy")
        if all(_same(moved.get(name), values.get(name)) for name in RATING_FIELDS):
            log.remove(moved)
        else:  # the rating it was given with stays on the log, never another one
            typed = typed or as_date(moved.get("date"))
    values.update(
        {"progress": words or None, "last_updated": typed, layout.PROGRESS_CY: welsh or None}
    )
    return words if theirs is not None else None


def _moved(
    log: list[Values],
    ref: str,
    words: str,
    owner: str,
    typed: dt.date | None,
    latest: dt.date | None,
) -> Values | None:
    """The row keep_replaced made of the update split sent: its words, By the action's
    owner, dated its Last updated (typed), else no later than latest (the report date, the
    day the update that replaced it was given); the newest."""

    def made(row: Values) -> bool:
        day = as_date(row.get("date"))
        dated = day == typed if typed else day is not None and (latest is None or day <= latest)
        return dated and named(row.get("by")) == named(owner)

    return newest_row(log, ref, words, made) if words else None


def _theirs(
    log: list[Values],
    ref: str,
    groups: Sequence[str],
    owner: str,
    sent: str,
    since: dt.date | None,
) -> Values | None:
    """The update another of the action's owners gave since the update split sent (dated
    since) was replaced: the newest of their rows (_others_rows) dated then or after, not
    a Not applied note nor the words sent. A joint action's owners gave one update, and
    this return's took its place (corrected, then withdrawn): theirs is the plan's again."""
    if since is None:
        return None
    found = []
    for row in _others_rows(log, ref, groups, owner):
        words, day = str(row.get("update") or "").strip(), as_date(row.get("date"))
        given = words and words != sent.strip() and not is_not_applied_note(words)
        if given and day is not None and day >= since:
            found.append((day, row))
    return max(found, key=lambda pair: pair[0], default=(None, None))[1]


def _given_by_others(
    log: list[Values], ref: str, words: str, groups: Sequence[str], owner: str
) -> bool:
    """Whether the update words is on the log as given by the action's owners other than
    groups alone (a joint action's other owner's return gave it)."""
    return bool(words) and any(
        str(row.get("update") or "").strip() == words.strip()
        for row in _others_rows(log, ref, groups, owner)
    )


def _others_rows(log: list[Values], ref: str, groups: Sequence[str], owner: str) -> list[Values]:
    """The log rows of ref whose By names only owners of the action (owner) other than
    groups: what a joint action's other owners gave (names compared ignoring case)."""
    others = {n.casefold() for n in named(owner)} - {g.casefold() for g in groups}
    return [
        row
        for row in log
        if match_key(str(row.get("ref", ""))) == match_key(ref)
        and (by := {n.casefold() for n in named(row.get("by"))})
        and by <= others
    ]


def _officers_welsh(before: Values, entry: Values) -> bool:
    """Whether the plan's Welsh beside the update withdrawn is the officer's: not the Welsh
    its return gave (on its entry, as log_updates puts it), so typed in since."""
    welsh = str(before.get(layout.PROGRESS_CY) or "").strip()
    return bool(welsh) and welsh != str(entry.get("update_cy") or "").strip()


def _same(logged: object, now: object) -> bool:
    """Whether a log row's rating or status is the action's now (as text, spacing ignored)."""
    return str(logged or "").strip().casefold() == str(now or "").strip().casefold()
