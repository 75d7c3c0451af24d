"""The Progress log side of `eqplan merge`: each update logged once, with what goes with it.

An update an owner returns goes into the Progress log dated the day the
return was saved (merge.py). Owners' habits make that harder than it looks,
as a year of quarterly merges showed:

- the same words arrive in two returns (a joint action's two owners, or one
  owner's workbook saved again under another name with more updates): one
  entry, dated the latest save, naming everyone who gave it;
- a row the owner added may carry an update too: it is logged like any other;
- a rating corrected after its update was logged (the first return's RAG had
  a typing error, the owner's corrected return came later) is corrected on
  that update's entry, so the history never shows a rating nobody reported;
- an update corrected (the owner sent the return again, "Recieved" now
  "Received"): the corrected words take the place of the entry the earlier
  version of that return made, so the history never says the owner reported
  twice; an entry the officer has edited since, or another return's, is kept;
- an owner of a plan with the (Cymraeg) columns may give the update's Welsh
  too: it goes on the update's entry, as next-period would put it;
- the update a new one replaces may not be logged yet (typed in the plan, or
  from a plan combined mid-year): it goes on the log, with or without its
  Welsh, as next-period would have put it there;
- an update not applied because its return is in conflict over the action
  (merge_apply) goes on the log marked so (`NOT_APPLIED`): the officer settling
  the conflict has the owner's words in the merged plan, whatever else is merged
  into it before then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pipeline.deadlines import as_date
from pipeline.i18n import in_welsh
from pipeline.progress_log import (
    NOT_APPLIED,
    RATING_FIELDS,
    logged_row,
    logged_rows,
    newest_row,
)
from pipeline.text import joined_names, match_key
from pipeline.workbook import layout

Values = dict[str, Any]  # one Actions row of the merged plan, by field key


class AppliedChange(Protocol):
    """What merge.py's _Change gives this module."""

    key: tuple[str, int]
    ref: str
    field: str
    value: object
    text: str
    sent: str  # the value it replaces: as sent, or as the return's earlier version gave it
    file: str
    group: str
    day: dt.date
    earlier_day: dt.date | None  # the day its return's earlier version (merged before) was saved
    first_sent: Mapping[str, str] | None  # the row split sent, when sent is not that

    @property
    def corrects(self) -> bool:
        """Whether sent is what the return's earlier version (merged before) gave."""


def log_updates(
    log: list[Values],
    actions: Mapping[tuple[str, int], tuple[Any, Values]],
    applied: list[AppliedChange],
    again: Sequence[AppliedChange] = (),
) -> None:
    """One log entry for each action's new update, whoever sent it and however many times.

    The entry is dated the latest save that gave those words (Last updated too) and names
    each group that gave them; its rating and status are the plan's once every change of
    this merge is applied. An update already logged (an earlier merge) gets the rating and
    status it now has, and the Welsh when that was returned. again: updates the plan already
    holds, given again (returns merged a few at a time): their entry takes the later save
    and the other group, so the log is the same whatever order the returns came in.
    """
    given: dict[tuple[tuple[str, int], str], list[AppliedChange]] = {}
    for change in applied:
        if change.field == "progress" and change.text:  # a cleared update logs nothing
            given.setdefault((change.key, change.text), []).append(change)
    for (key, _words), changes in given.items():
        latest = max(changes, key=lambda c: c.day)
        _log_entry(log, actions[key][1], latest, changes)
    for change in again:
        if change.field == "progress" and change.text:
            _given_again(log, actions[change.key][1], change)
    rated = {c.key: c.ref for c in applied if c.field in RATING_FIELDS}
    welsh = {c.key: c.ref for c in applied if c.field == layout.PROGRESS_CY}
    for key, ref in (rated | welsh).items():  # each entry looked up once (refresh_entry rates)
        refresh_entry(log, ref, actions[key][1], welsh=key in welsh)


def refresh_entry(log: list[Values], ref: str, values: Values, *, welsh: bool = False) -> None:
    """Give the log entry of the action's current update (same words, dated its Last
    updated) the rating and status the action has now; with welsh, the Welsh beside the
    update now (cleared when the owner cleared it)."""
    entry = _current_entry(log, ref, values)
    if entry is not None:
        _rate(entry, values)
        if welsh:
            entry["update_cy"] = values.get(layout.PROGRESS_CY) or None


def _log_entry(
    log: list[Values], values: Values, latest: AppliedChange, changes: list[AppliedChange]
) -> None:
    """The entry for an update given by changes (latest the last saved): added, or the one
    already there for those words and that day (the same return merged again)."""
    values["last_updated"] = latest.day
    entry = logged_row(log, latest.ref, str(latest.value).strip(), latest.day)
    if entry is None:
        entry = _new_entry(log, latest.ref, latest.day, latest.value, values)
    entry["update_cy"] = values.get(layout.PROGRESS_CY) or entry.get("update_cy")
    _rate(entry, values)
    entry["by"] = _groups(entry.get("by"), changes)


def _given_again(log: list[Values], values: Values, change: AppliedChange) -> None:
    """The plan's update, given again by another return: its entry takes the later save and
    both groups; with none (the officer typed the owner's words in), the return's is made."""
    entry = _current_entry(log, change.ref, values)
    if entry is None:
        _log_entry(log, values, change, [change])
        return
    if change.day > (as_date(entry.get("date")) or change.day):
        entry["date"] = values["last_updated"] = change.day
    entry["by"] = _groups(entry.get("by"), [change])


def _current_entry(log: list[Values], ref: str, values: Values) -> Values | None:
    """The log entry of the action's current update: its words, dated its Last updated."""
    words = str(values.get("progress") or "").strip()
    day = as_date(values.get("last_updated"))
    return logged_row(log, ref, words, day) if words and day else None


def _new_entry(log: list[Values], ref: str, day: dt.date, words: object, values: Values) -> Values:
    """A log entry for an update, added to the log: its words with their Welsh, rating and
    status as the action has them."""
    welsh = values.get(layout.PROGRESS_CY) or None
    entry = {"ref": ref, "date": day, "update": words, "update_cy": welsh}
    _rate(entry, values)
    log.append(entry)
    return entry


def _rate(entry: Values, values: Values) -> None:
    """Give a log entry the rating and status the action has now."""
    entry.update({name: values.get(name) for name in RATING_FIELDS})


def _groups(logged: object, changes: list[AppliedChange]) -> str | None:
    """Who gave an update: the groups already named and those of changes, each once, sorted."""
    names = named(logged) + [c.group for c in changes if c.group]
    return joined_names(sorted(dict.fromkeys(names), key=str.casefold)) or None


def named(logged: object) -> list[str]:
    """The groups a log entry's By names (`HR; Finance`)."""
    return [n.strip() for n in str(logged or "").split(";") if n.strip()]


def log_added(log: list[Values], row: Values, day: dt.date, by: str) -> None:
    """The update on a row an owner added: logged, and its Last updated set, like any other."""
    words = row.get("progress")
    if not words or not str(words).strip():
        return
    row["last_updated"] = day
    _new_entry(log, row["ref"], day, words, row)["by"] = by or None


def keep_replaced(
    log: list[Values],
    values: Values,
    before: Values,
    *,
    ref: str,
    by: str,
    day: dt.date,
    report_date: dt.date | None,
    corrected_by: Sequence[str] = (),
    earlier_day: dt.date | None = None,
    sent: str = "",
) -> str | None:
    """Move the update a return replaces (and the Welsh beside it) off the Actions sheet onto
    the log, as next-period would have: nothing is lost, whether it had Welsh or not.

    corrected_by: the groups whose earlier version of this return gave the update replaced
    (merged before, now corrected with other words): it is no update of its own, so it is
    not logged again and its entry becomes the new one's (_correct_entry, which finds it
    dated earlier_day, the day that version's updates were logged, or its Last updated); the
    Welsh beside it is that return's (or the officer's since), so it stays. Returns why that
    entry was left on the log (EDITED), else None; sent: the update split sent (its row,
    moved to the log, is not that entry edited).

    before is the action as the plan held it; day the date of the update replacing it. An
    update already logged (same words, dated its Last updated, or else its newest entry: an
    earlier merge logged it) only gets its Welsh there; otherwise it gets an entry of its own
    dated its Last updated, else the plan's report date but never after day (so it stays
    before the update that replaced it), with the rating and status it had and By its owner.
    next-period never logs it again: it is no longer in the cell."""
    replaced = str(before.get("progress") or "").strip()
    typed = as_date(before.get("last_updated"))
    words = str(values.get("progress") or "").strip()
    if corrected_by and words:  # (an update cleared is moved as any other: nothing is lost)
        if not replaced:
            return None
        earlier = (replaced, (earlier_day, typed))
        return _correct_entry(log, ref, earlier, (words, day), corrected_by, sent)
    welsh = values.get(layout.PROGRESS_CY)
    values[layout.PROGRESS_CY] = None
    if not replaced and not welsh:
        return None
    entry = (
        (logged_row(log, ref, replaced, typed) or newest_row(log, ref, replaced))
        if replaced
        else None
    )
    if entry is not None:
        if welsh and not entry.get("update_cy"):
            entry["update_cy"] = welsh
        return None
    entry = {
        "ref": ref,
        "date": typed or min(report_date or day, day),
        "update": replaced or None,
        "update_cy": welsh or None,
    }
    _rate(entry, before)
    entry["by"] = by or None
    log.append(entry)
    return None


def _correct_entry(
    log: list[Values],
    ref: str,
    earlier: tuple[str, Sequence[dt.date | None]],
    corrected: tuple[str, dt.date],
    groups: Sequence[str],
    sent: str,
) -> str | None:
    """The entry an earlier version of a return made (return_entry: its words, dated one of
    the days given, By naming its group) made the corrected update's: its words and save
    day, where it was in the log, so the owner is not shown reporting twice. log_updates then
    rates it and names every group that gave the corrected words.

    Left alone: an entry the officer has edited since (its words, date or By: returns
    EDITED, for the report) or that is not this return's; one another return gave too only
    loses this return's group. Not made the corrected update's when its words are logged
    that day already: the log never loses a row (nor the officer's own columns beside it)."""
    entry, others = return_entry(log, ref, *earlier, groups)
    if entry is None:  # one deleted since leaves nothing behind to report
        reason = why_not_found(log, ref, *earlier, groups, unlike=(sent,))
        return reason if reason == EDITED else None
    words, day = corrected
    if others:
        entry["by"] = joined_names(others)
    elif logged_row(log, ref, words, day) is None:
        entry.update(update=words, date=day)
    return None


#: Why the entry of an update an owner took back (withdrew, or corrected) is still on the log
#: (the report's `withdrawn_still_logged`, merge_withdrawn): the officer edited its row since
#: (its words, date or By); another return gave it too, so it stays theirs; the plan's
#: Progress update was changed since (the officer typed over it), so the row stays beside it;
#: its row is no longer on the log (deleted since), so there was nothing to take off.
EDITED, GIVEN_BY_ANOTHER, PLAN_EDITED, NOT_FOUND = (
    "edited", "given_by_another", "plan_edited", "not_found",
)  # fmt: skip


def return_entry(
    log: list[Values],
    ref: str,
    words: str,
    days: Sequence[dt.date | None],
    groups: Sequence[str],
) -> tuple[Values | None, list[str]]:
    """The log entry a return's update made, as merge made it: its words, dated one of days
    (the first found; the day that return's updates were logged, the plan's Last updated),
    By naming one of the return's groups; and the other groups its By names. (None, []) when
    there is none so (the officer has edited it since, or it is not this return's)."""
    for day in dict.fromkeys(d for d in days if d is not None):
        entry = logged_row(log, ref, words, day)
        names = named(entry.get("by")) if entry is not None else []
        if entry is not None and set(groups) & set(names):
            return entry, [name for name in names if name not in groups]
    return None, []


def still_logged(log: list[Values], said: Mapping[str, object]) -> bool:
    """Whether a report line of an update taken back but left on the log (said: its `ref`,
    `update`, `reason`) still holds: its words are on the log; or its row was edited (its
    words may be the officer's now) or not found there, which a later change cannot undo."""
    if said["reason"] in (EDITED, NOT_FOUND):
        return True
    ref, words = match_key(str(said["ref"])), str(said["update"] or "").strip()
    return any(
        match_key(str(row.get("ref", ""))) == ref and str(row.get("update") or "").strip() == words
        for row in log
    )


def why_not_found(
    log: list[Values],
    ref: str,
    words: str,
    days: Sequence[dt.date | None],
    groups: Sequence[str],
    *,
    unlike: Sequence[object] = (),
) -> str:
    """Why return_entry found no entry: EDITED when a row of ref still has its words (or
    its Not applied note's), or a row of one of days names one of groups (the officer has
    changed its words), other than one of the updates unlike (the update split sent, moved
    to the log the same day); else NOT_FOUND (deleted since, or never logged)."""
    note = (NOT_APPLIED % {"update": words}).strip()
    for row in log:
        if match_key(str(row.get("ref", ""))) != match_key(ref):
            continue
        update = str(row.get("update") or "").strip()
        day = as_date(row.get("date"))
        dated = day is not None and day in days and set(groups) & set(named(row.get("by")))
        dated = dated and update not in [str(u or "").strip() for u in unlike]
        if update in (words, note) or dated:
            return EDITED
    return NOT_FOUND


def log_not_applied(
    log: list[Values],
    withheld: Sequence[AppliedChange],
    before: Mapping[tuple[str, int], Values],
) -> None:
    """Each update a conflict kept out of the plan, on the log marked as not applied: dated
    its return's save, with the rating and status that return gave (else the plan's) and
    its Welsh; once, however often the return is merged. A corrected return's note takes
    the place of the one its earlier version's update made (earlier_note), so the officer
    has one conflict to settle, not two."""
    given: dict[tuple[tuple[str, int], str], dict[str, AppliedChange]] = {}
    for change in withheld:
        given.setdefault((change.key, change.file), {})[change.field] = change
    for (key, _file), fields in given.items():
        english, welsh = fields.get("progress"), fields.get(layout.PROGRESS_CY)
        update = english if english is not None and english.text else welsh
        if update is None or not update.text:
            continue
        # Welsh returned without an English update of its own: the English note says only
        # that something was not applied; the owner's words are in the Welsh column.
        words = (NOT_APPLIED % {"update": english.text if update is english else ""}).strip()
        entry = {"ref": update.ref, "date": update.day, "update": words}
        if welsh is not None and welsh.text:
            entry["update_cy"] = in_welsh(NOT_APPLIED) % {"update": welsh.text}
        logged = logged_rows(log, update.ref, words, update.day)
        welsh_words = entry.get("update_cy") or ""
        if any((row.get("update_cy") or "") == welsh_words for row in logged):
            continue  # merged before: this note, its Welsh too, is there already
        for name in RATING_FIELDS:
            entry[name] = fields[name].value if name in fields else before[key].get(name)
        entry["by"] = update.group or None
        earlier = earlier_note(log, english)
        if earlier is None:
            log.append(entry)
        else:
            earlier.update({"update_cy": None, **entry})


def earlier_note(log: list[Values], english: AppliedChange | None) -> Values | None:
    """The note log_not_applied made of the update a corrected return's earlier version gave
    (english.sent, when it corrects that): its words, By naming the return's group alone, the
    newest. None when there is none, or the officer has edited its Update or By since."""
    if english is None or not english.corrects or not english.sent:
        return None
    note = newest_row(log, english.ref, (NOT_APPLIED % {"update": english.sent}).strip())
    return note if note is not None and named(note.get("by")) == [english.group] else None
