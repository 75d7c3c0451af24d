"""Which of the returns' changes disagree, and which returned Welsh stands beside which English.

`eqplan merge` (merge_apply.Decide) applies a field's change only when no other return
and no edit of the plan since it was sent disagrees; the Welsh of a progress update
(the (Cymraeg) column) only beside the English it translates, as the plan will hold it
once merged. A return in conflict over an action gives it nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.workbook import layout

if TYPE_CHECKING:
    from pipeline.merge_apply import Change, Key


#: What a withdrawal says however it is written (the update cleared, or the one split sent
#: typed back): no update of the owner's. So two withdrawals never disagree.
WITHDRAWN = "\x00withdrawn"


def as_compared(change: Change) -> str:
    """A change's value as changes are compared with each other: a withdrawal as WITHDRAWN."""
    return WITHDRAWN if change.withdraws else change.text


def disagree(name: str, changes: list[Change], now: str) -> bool:
    """Returns that changed one field differently, or a field the plan changed since it was
    sent (now: the plan's value). The Welsh of an update is not counted: it is checked
    against the English beside it when applied."""
    if name == layout.PROGRESS_CY:
        return False
    texts = {as_compared(c) for c in changes}
    if texts == {now}:
        return False  # the plan already says so (a return merged before)
    return len(texts) > 1 or any(c.sent != now for c in changes)


def beside(welsh: Change, english: str) -> bool:
    """Whether the Welsh of an update was returned beside this English (Welsh typed where
    there is no English update is beside nothing)."""
    return welsh.english == english and not (welsh.text and not english)


def stale_welsh(
    grouped: dict[tuple[Key, str], list[Change]],
    plans: dict[tuple[Key, str], str],
    in_conflict: set[tuple[Key, str]],
) -> list[Change]:
    """The Welsh of updates that will stand beside no English of theirs in the merged plan;
    each puts its return in conflict over the action (added to in_conflict), so none of that
    return's changes to it are applied.

    First the Welsh typed with no English update beside it in its own return: holding
    that return back may keep the plan's English (when it also cleared the English). Then
    the Welsh returned beside English the plan will not hold. Holding those returns back
    changes no English the plan holds (such a return changed no English, or its English was
    held back already), so one pass settles it.
    """
    welsh = [
        c
        for (key, name), listed in grouped.items()
        if name == layout.PROGRESS_CY
        for c in listed
        if c.text != plans[(key, name)]  # the plan's own Welsh already: nothing to settle
    ]
    in_conflict |= {(c.key, c.file) for c in welsh if c.text and not c.english}
    after = {c.key: _english_after(c.key, grouped, plans, in_conflict) for c in welsh}
    stale = [c for c in welsh if not beside(c, after[c.key])]
    in_conflict |= {(c.key, c.file) for c in stale}
    return stale


def welsh_disagreements(
    grouped: dict[tuple[Key, str], list[Change]],
    plans: dict[tuple[Key, str], str],
    stale: list[Change],
    in_conflict: set[tuple[Key, str]],
) -> set[tuple[Key, str]]:
    """The Welsh updates returned differently by two returns, or changed in the plan since
    it was sent, among those beside the right English (not stale): a conflict like any other
    field's, so each return is in conflict over the action (added to in_conflict) and gives
    it nothing. A Welsh cell the plan has emptied (its Welsh moved to the log with the old
    update) is no edit: the owner's Welsh fills it. Holding these returns back can only keep
    more of the plan as it was; their English is held too, so nothing is half applied."""
    found = set()
    for (key, name), listed in grouped.items():
        if name != layout.PROGRESS_CY:
            continue
        now, rest = plans[(key, name)], [c for c in listed if c not in stale]
        texts = {c.text for c in rest}
        if not rest or texts == {now}:
            continue  # nothing new, or the plan says so already (a return merged before)
        if len(texts) > 1 or (now and any(c.sent != now for c in rest)):
            found.add((key, name))
            in_conflict |= {(key, c.file) for c in rest}
    return found


def _english_after(
    key: Key,
    grouped: dict[tuple[Key, str], list[Change]],
    plans: dict[tuple[Key, str], str],
    in_conflict: set[tuple[Key, str]],
) -> str:
    """The English update an action will hold once merged (as compared): a new one that no
    return or plan edit disagrees with, from a return not in conflict over the action; else
    the plan's."""
    listed = grouped.get((key, "progress"), [])
    now = plans[(key, "progress")]
    taken = [c for c in listed if (key, c.file) not in in_conflict]
    return taken[0].text if taken and not disagree("progress", listed, now) else now
