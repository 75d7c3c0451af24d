"""Who owns an action: the one rule for reading an owner cell, used by checks, summaries and documents.

Officers type owners freely: "insight team" for "Insight Team", two owners on
two lines, "HR; Finance" or "HR / Finance". So that every table agrees:

- a cell is split into names at line breaks and `;`, and at `/` or `&` only
  when every part is on the Owners sheet ("Learning & Development" stays one
  name unless "Learning" and "Development" are both listed);
- a name is matched to the Owners sheet ignoring case and spacing, and
  printed with the sheet's spelling;
- a name not on the sheet is kept as typed (spacing squashed), and the same
  name typed in another case counts as the same owner, printed as first met.

An action with several owners is credited to each of them, so counts by
owner can add up to more than the number of actions (issue 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.i18n import N_
from pipeline.model import Owner
from pipeline.text import match_key, squash

_ALWAYS_SPLIT = re.compile(r"\n|;")
_SPLIT_IF_LISTED = re.compile(r"[/&]")
_LOOSE_ENDS = " /&,"  # "Finance /" left over from deleting a second owner
NO_OWNER = N_("(no owner)")


def every_part(cell: str) -> list[str]:
    """cell cut at every place an owner cell may be cut (`/` and `&` as well as new lines and
    `;`), whatever any Owners sheet lists: each place OwnerNames could have cut it."""
    return [
        squash(piece).strip(_LOOSE_ENDS)
        for part in _ALWAYS_SPLIT.split(cell)
        for piece in _SPLIT_IF_LISTED.split(part)
    ]


@dataclass(frozen=True)
class OwnerName:
    """One owner named in a cell: the name to print, what was typed, and whether it is listed."""

    name: str
    typed: str
    listed: bool


class OwnerNames:
    """Reads owner cells against one plan's Owners sheet.

    Unlisted names keep the spelling first met, so read the cells in plan order
    (as `summaries` and `validate.checks` both do) for the same result everywhere.
    """

    def __init__(self, owners: Iterable[Owner]) -> None:
        self._listed: dict[str, Owner] = {}
        for owner in owners:
            self._listed.setdefault(match_key(owner.name), owner)
        self._unlisted: dict[str, str] = {}
        self._cells: dict[str, list[OwnerName]] = {}

    @property
    def listed(self) -> list[str]:
        """The Owners sheet's names, as spelled there."""
        return [owner.name for owner in self._listed.values()]

    def role(self, name: str) -> str:
        """The role the Owners sheet gives a name ('' for names not on it)."""
        owner = self._listed.get(match_key(name))
        return owner.role if owner else ""

    def split(self, cell: str) -> list[OwnerName]:
        """The owners a cell names, each once, in the order typed; [] for an empty cell."""
        if cell not in self._cells:  # plans repeat the same few owner cells many times
            self._cells[cell] = self._split(cell)
        return list(self._cells[cell])

    def _split(self, cell: str) -> list[OwnerName]:
        whole = self._find(cell)
        if whole is not None:  # a listed name that itself holds ';' or a line break
            return [whole]
        found: list[OwnerName] = []
        for part in _ALWAYS_SPLIT.split(cell):
            for owner in self._part(squash(part).strip(_LOOSE_ENDS)):
                if all(owner.name != seen.name for seen in found):
                    found.append(owner)
        return found

    def names(self, cell: str) -> list[str]:
        """The printed names of the owners a cell names."""
        return [owner.name for owner in self.split(cell)]

    def _find(self, typed: str) -> OwnerName | None:
        owner = self._listed.get(match_key(typed))
        return OwnerName(owner.name, squash(typed), True) if owner else None

    def _part(self, typed: str) -> list[OwnerName]:
        if not typed:
            return []
        listed = self._find(typed)
        if listed is not None:
            return [listed]
        pieces = [squash(piece) for piece in _SPLIT_IF_LISTED.split(typed)]
        if len(pieces) > 1:
            found = [self._find(piece) for piece in pieces if piece]
            if found and all(owner is not None for owner in found):
                return [owner for owner in found if owner is not None]
        name = self._unlisted.setdefault(match_key(typed), typed)
        return [OwnerName(name, typed, False)]
