"""How `eqplan merge` knows which action each row of a return is: its Ref and its words.

A return's rows are lined up with the rows split sent (each row's Ref, and its point and
action text, as the record holds them). An owner may mistype a Ref, swap two, or type over
a row's words; the order of the passes decides which of those merge recognises, and a row
that could be either of two actions is held back rather than guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from pipeline.text import match_key
from pipeline.workbook.returns import SentRow, sent_text

Row = TypeVar("Row")  # what a caller lines up: an Action, say

#: What says which action a row is, whatever its Ref: its point and action text.
_WORDING = ("point", "action")


#: A row held back by line_up: its Ref's action and the action whose words it holds (either
#: may be "": a row whose Ref's action another held row's words claim).
Held = tuple[Row, dict[str, object], str, str]


def line_up(
    rows: list[tuple[Row, dict[str, object]]], sent: dict[str, list[SentRow]]
) -> tuple[
    list[tuple[Row, dict[str, object], SentRow]],
    list[tuple[Row, dict[str, object]]],
    list[Held],
]:
    """A return's rows (each with its values), each lined up with the row sent that it is,
    which is taken out of sent (by match_key of its Ref); the rows lined up with none; and
    the rows held back, whose Ref and words name two different actions sent.

    A row is lined up first with a sent row of its Ref and its wording (point and action
    text). Then by its Ref alone, unless another row left has that sent row's wording; then
    by its wording alone (its Ref typed over); then by its Ref alone. So a Ref mistyped as
    another action's takes nothing from that action, whose own row comes first (a review:
    EB10's update went to EB11, and EB11's was turned away), and two Refs swapped are told
    apart by the rows' words. A row whose Ref names one action still unmatched and whose
    words exactly name another cannot be told apart otherwise: the same cells come from a
    mistyped Ref or from retyped words. It is held back with both actions, never guessed
    (two reviews each found one guess applying an update to the wrong action), and so is a
    row whose Ref names one of those actions. Pairs in the rows' order.
    """
    pairs: dict[int, tuple[Row, dict[str, object], SentRow]] = {}
    left = list(enumerate(rows))

    def take(same: Callable[[dict[str, list[SentRow]], dict], SentRow | None]) -> None:
        nonlocal left
        still = []
        for place, (item, values) in left:
            found = same(sent, values)
            if found is None:
                still.append((place, (item, values)))
            else:
                sent[match_key(found.ref)].remove(found)
                pairs[place] = (item, values, found)
        left = still

    take(_same_ref_and_wording)
    held = _held_back(left, sent)
    disputed = {
        id(row)
        for _item, _values, by_ref, by_words in held.values()
        for row in (by_ref, by_words)
        if row
    }
    left = [(place, row) for place, row in left if place not in held]
    worded = Counter(_wording(values) for _place, (_item, values) in left)

    def undisputed(found: SentRow | None) -> SentRow | None:
        return None if found is None or id(found) in disputed else found

    def own_ref(sent: dict[str, list[SentRow]], values: dict) -> SentRow | None:
        found = undisputed(_same_ref(sent, values))
        if found is None:
            return None
        wording = _wording(found.values)
        others = worded[wording] - (_wording(values) == wording)
        return None if others and wording[-1] else found

    for same in (own_ref, _same_wording, lambda sent, values: undisputed(_same_ref(sent, values))):
        take(same)
    for place, (item, values) in list(left):  # its Ref's action is held back with another row
        found = _same_ref(sent, values)
        if found is not None and id(found) in disputed:
            held[place] = (item, values, found, None)
            left.remove((place, (item, values)))
    for _item, _values, by_ref, by_words in held.values():  # accounted for: not missing
        for row in (by_ref, by_words):
            if row is not None and row in sent.get(match_key(row.ref), []):
                sent[match_key(row.ref)].remove(row)
    return (
        [pairs[place] for place in sorted(pairs)],
        [row for _place, row in left],
        [
            (item, values, by_ref.ref if by_ref else "", by_words.ref if by_words else "")
            for place, (item, values, by_ref, by_words) in sorted(held.items())
        ],
    )


def _held_back(
    left: list[tuple[int, tuple[Row, dict[str, object]]]], sent: dict[str, list[SentRow]]
) -> dict[int, tuple[Row, dict[str, object], SentRow | None, SentRow | None]]:
    """The rows whose Ref names one sent row and whose words another, both unmatched, by
    place; but two rows each holding the other's Ref (a swap) are told apart by their words."""
    both = {}
    for place, (item, values) in left:
        by_ref, by_words = _same_ref(sent, values), _same_wording(sent, values)
        if by_ref is not None and by_words is not None and by_ref is not by_words:
            both[place] = (item, values, by_ref, by_words)
    return {
        place: entry
        for place, entry in both.items()
        if not any(
            other != place and theirs[2] is entry[3] and theirs[3] is entry[2]
            for other, theirs in both.items()
        )
    }


def _wording(values: dict[str, object]) -> tuple[str, ...]:
    return tuple(match_key(sent_text(values.get(key))) for key in _WORDING)


def _same_ref_and_wording(sent: dict[str, list[SentRow]], values: dict) -> SentRow | None:
    wording = _wording(values)
    return next((row for row in _of_ref(sent, values) if _wording(row.values) == wording), None)


def _same_wording(sent: dict[str, list[SentRow]], values: dict) -> SentRow | None:
    wording = _wording(values)
    if not wording[-1]:  # no action text: nothing to know the row by
        return None
    return next(
        (row for rows in sent.values() for row in rows if _wording(row.values) == wording), None
    )


def _same_ref(sent: dict[str, list[SentRow]], values: dict) -> SentRow | None:
    return next(iter(_of_ref(sent, values)), None)


def _of_ref(sent: dict[str, list[SentRow]], values: dict) -> list[SentRow]:
    typed = sent_text(values.get("ref"))
    return sent.get(match_key(typed), []) if typed else []
