"""Strand colours: each strand keeps one light colour, chosen by the council, in every plan.

A council's introduction may say "race equality actions are highlighted in
blue", so a strand's colour must not depend on which other strands a plan
happens to use. The Lists sheet gives each strand a colour (a hex value such
as #BDD7EE, or a named light colour); a strand with none gets a default that
depends only on its name. Every fill keeps black text readable: at least
4.5:1 contrast (WCAG 2.1 AA), lightening a colour that is too dark. The
legend names each colour in words, so colour is never the only signal.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.i18n import in_welsh
from pipeline.text import match_key

#: The named light colours officers may type, with their fills (all above 4.5:1 with black).
NAMED_COLOURS = {
    "light blue": "DDEBF7",
    "light green": "E2EFDA",
    "light orange": "FCE4D6",
    "light purple": "EDE2F6",
    "light yellow": "FFF2CC",
    "light teal": "D9F2F2",
    "light grey": "EDEDED",
    "light pink": "FCE4EC",
}
#: Colours for the strands the template offers, as councils usually highlight them.
DEFAULT_STRAND_COLOURS = {
    "race equality": "light blue",
    "gender pay gap": "light green",
    "disability": "light orange",
    "workforce": "light purple",
    "lgbtq+": "light yellow",
    "age": "light teal",
}
MIN_CONTRAST = 4.5
_HEX = re.compile(r"#?([0-9a-f]{6})|#([0-9a-f]{3})")  # a bare 3-letter word is not a colour


_STRAND_SEPARATORS = re.compile(r"[\n;]")


def split_strands(text: str) -> list[str]:
    """The strands one Strand cell names, each once, in order: one per line, or separated by `;`."""
    return list(_strands_in(text or ""))


@lru_cache(maxsize=4096)
def _strands_in(text: str) -> tuple[str, ...]:
    """split_strands, cached: every output asks each action for its strands, and a plan's
    Strand cells repeat a few values (at 10,000 actions, 50,000 splits took 0.1 s)."""
    names: list[str] = []
    for part in _STRAND_SEPARATORS.split(text):
        name = " ".join(part.split())
        if name and match_key(name) not in {match_key(n) for n in names}:
            names.append(name)
    return tuple(names)


def strand_names(cells: Iterable[str]) -> dict[str, str]:
    """Each strand the Strand cells name (in the plan's order), by match_key: as most often spelt.

    `Race equality` and `race equality` are one strand, with one colour
    (strand_colour), so they are counted once and named once in a legend,
    under the spelling the plan uses most (of equals, the first met).
    """
    spellings: dict[str, Counter[str]] = {}
    for cell in cells:
        for name in split_strands(cell):
            spellings.setdefault(match_key(name), Counter())[name] += 1
    return {key: found.most_common(1)[0][0] for key, found in spellings.items()}


@dataclass(frozen=True)
class StrandColour:
    """A strand's fill (RRGGBB, no #) and the colour in words for the legend."""

    fill: str
    words: str


def parse_colour(text: str) -> str | None:
    """RRGGBB for `#BDD7EE`, `bdd7ee`, `#BDE` or a named light colour (`Light Gray`); else None."""
    key = match_key(text)
    key = re.sub(r"^light(?=\S)", "light ", key.replace("gray", "grey"))
    if key in NAMED_COLOURS:
        return NAMED_COLOURS[key]
    welsh = {match_key(in_welsh(name)): fill for name, fill in NAMED_COLOURS.items()}
    if key in welsh:  # a Welsh template's colour words (`glas golau`)
        return welsh[key]
    found = _HEX.fullmatch(key)
    if found is None:
        return None
    digits = found.group(1) or found.group(2)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return digits.upper()


def contrast_with_black(fill: str) -> float:
    """The WCAG 2.1 contrast ratio of black text on fill (1 to 21)."""
    return (_luminance(fill) + 0.05) / 0.05


def readable(fill: str) -> str:
    """fill, or the least-lightened version of it (mixed with white) that black text can be read on."""
    step = 0
    lighter = fill
    while contrast_with_black(lighter) < MIN_CONTRAST:
        step += 1
        lighter = _mix_with_white(fill, step / 20)
    return lighter


def colour_words(fill: str) -> str:
    """The named light colour closest to fill, to name it in the legend."""
    rgb = _rgb(fill)
    return min(
        NAMED_COLOURS,
        key=lambda name: sum(
            (a - b) ** 2 for a, b in zip(_rgb(NAMED_COLOURS[name]), rgb, strict=True)
        ),
    )


def default_colour(strand: str) -> StrandColour:
    """The colour of a strand the council gave none: from its name alone, the same in every plan."""
    key = match_key(strand)
    name = DEFAULT_STRAND_COLOURS.get(key)
    if name is None:
        names = list(NAMED_COLOURS)
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        name = names[int.from_bytes(digest[:4], "big") % len(names)]
    return StrandColour(NAMED_COLOURS[name], name)


def strand_colour(colours: dict[str, StrandColour], strand: str) -> StrandColour:
    """The colour for a strand: the council's (keyed by match_key), else its default."""
    return colours.get(match_key(strand)) or default_colour(strand)


def _rgb(fill: str) -> tuple[int, int, int]:
    return int(fill[0:2], 16), int(fill[2:4], 16), int(fill[4:6], 16)


def _luminance(fill: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(fill))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _mix_with_white(fill: str, share: float) -> str:
    return "".join(f"{round(v + (255 - v) * share):02X}" for v in _rgb(fill))
