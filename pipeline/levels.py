"""Self-assessment levels: each framework's own ordered words, lowest first.

EFLG 2021 and 2014 assess a theme as Not started, Developing, Achieving or
Excellent; the Welsh framework has no such grades, so its file declares its
own (`assessment_levels:`). A framework file that declares none uses the
EFLG four. Levels are compared by their position, to spot a target set
below the current level.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.i18n import _, in_welsh
from pipeline.text import match_key

DEFAULT_ASSESSMENT_LEVELS = ("Not started", "Developing", "Achieving", "Excellent")
# Other ways officers write the lowest level, accepted when that level is "Not started".
_NOT_STARTED = {"none", "not yet started", "not begun"}


@dataclass(frozen=True)
class Level:
    """A self-assessed level: its words and its position in the framework's order (0 is lowest)."""

    label: str
    rank: int


def parse_level(text: str, levels: tuple[str, ...]) -> Level | None:
    """The level text names among levels (any case and spacing), or None."""
    key = match_key(text)
    for rank, name in enumerate(levels):
        if key in (match_key(name), match_key(in_welsh(name))):  # Welsh: a Welsh template's words
            return Level(name, rank)
    if key in _NOT_STARTED and levels and match_key(levels[0]) == "not started":
        return Level(levels[0], 0)
    return None


def level_list(levels: tuple[str, ...]) -> str:
    """`Not started, Developing, Achieving or Excellent`: the levels as a sentence lists them,
    in the language being written (a Welsh template's dropdown and messages say them in Welsh).
    """
    words = [_(level) for level in levels]
    if len(words) < 2:
        return "".join(words)
    return _("%(levels)s or %(last)s") % {"levels": ", ".join(words[:-1]), "last": words[-1]}
