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
    pool = _Sent(sent)
    pairs: dict[int, tuple[Row, dict[str, object], SentRow]] = {}
    left = [(place, item, values, _wording(values)) for place, (item, values) in enumerate(rows)]

    def take(same: Callable[[dict[str, object], tuple[str, ...]], SentRow | None]) -> None:
        nonlocal left
        still = []
        for place, item, values, wording in left:
            found = same(values, wording)
            if found is None:
                still.append((place, item, values, wording))
            else:
                pool.take(found)
                pairs[place] = (item, values, found)
        left = still

    take(pool.of_ref_and_words)
    held = _held_back(left, pool)
    disputed = {id(row) for *_row, by_ref, by_words in held.values() for row in (by_ref, by_words)}
    left = [entry for entry in left if entry[0] not in held]
    worded = Counter(wording for *_row, wording in left)

    def undisputed(values: dict[str, object], _wording: tuple[str, ...]) -> SentRow | None:
        found = pool.of_ref(values)
        return None if found is None or id(found) in disputed else found

    def own_ref(values: dict[str, object], wording: tuple[str, ...]) -> SentRow | None:
        found = undisputed(values, wording)
        if found is None:
            return None
        theirs = pool.words[id(found)]
        others = worded[theirs] - (wording == theirs)
        return None if others and theirs[-1] else found

    for same in (own_ref, pool.of_words, undisputed):
        take(same)
    for place, item, values, wording in list(left):  # its Ref's action is held back
        found = pool.of_ref(values)
        if found is not None and id(found) in disputed:
            held[place] = (item, values, found, None)
            left.remove((place, item, values, wording))
    for *_row, by_ref, by_words in held.values():  # accounted for: not missing
        for row in (by_ref, by_words):
            if row is not None and pool.holds(row):
                pool.take(row)
    return (
        [pairs[place] for place in sorted(pairs)],
        [(item, values) for _place, item, values, _wording in left],
        [
            (item, values, by_ref.ref if by_ref else "", by_words.ref if by_words else "")
            for place, (item, values, by_ref, by_words) in sorted(held.items())
        ],
    )


class _Sent:
    """The rows sent not yet lined up, found by the match_key of their Ref (sent itself,
    which line_up empties as it goes) and by their words, each row's words worked out once:
    a return whose every Ref was typed over is lined up in linear time, not by a search of
    every row sent for each row returned."""

    def __init__(self, sent: dict[str, list[SentRow]]) -> None:
        self.by_ref = sent
        self.words = {id(row): _wording(row.values) for rows in sent.values() for row in rows}
        self.by_words: dict[tuple[str, ...], list[SentRow]] = {}
        for rows in sent.values():
            for row in rows:
                self.by_words.setdefault(self.words[id(row)], []).append(row)

    def of_ref(self, values: dict[str, object], _wording: object = None) -> SentRow | None:
        """The first row sent with the Ref values has (as typed), if any is left."""
        return next(iter(self._of_ref(values)), None)

    def of_ref_and_words(
        self, values: dict[str, object], wording: tuple[str, ...]
    ) -> SentRow | None:
        return next((row for row in self._of_ref(values) if self.words[id(row)] == wording), None)

    def of_words(self, _values: dict[str, object], wording: tuple[str, ...]) -> SentRow | None:
        """The first row sent with these words, if the words include an action's text."""
        if not wording[-1]:  # no action text: nothing to know the row by
            return None
        return next(iter(self.by_words.get(wording, [])), None)

    def holds(self, row: SentRow) -> bool:
        return row in self.by_ref.get(match_key(row.ref), [])

    def take(self, row: SentRow) -> None:
        self.by_ref[match_key(row.ref)].remove(row)
        self.by_words[self.words[id(row)]].remove(row)

    def _of_ref(self, values: dict[str, object]) -> list[SentRow]:
        typed = sent_text(values.get("ref"))
        return self.by_ref.get(match_key(typed), []) if typed else []


def _held_back(
    left: list[tuple[int, Row, dict[str, object], tuple[str, ...]]], pool: _Sent
) -> dict[int, tuple[Row, dict[str, object], SentRow | None, SentRow | None]]:
    """The rows whose Ref names one sent row and whose words another, both unmatched, by
    place; but two rows each holding the other's Ref (a swap) are told apart by their words."""
    both = {}
    for place, item, values, wording in left:
        by_ref, by_words = pool.of_ref(values), pool.of_words(values, wording)
        if by_ref is not None and by_words is not None and by_ref is not by_words:
            both[place] = (item, values, by_ref, by_words)
    swapped = {(id(by_ref), id(by_words)) for *_row, by_ref, by_words in both.values()}
    return {
        place: entry for place, entry in both.items() if (id(entry[3]), id(entry[2])) not in swapped
    }


def _wording(values: dict[str, object]) -> tuple[str, ...]:
    return tuple(match_key(sent_text(values.get(key))) for key in _WORDING)
