"""RAG ratings: the words officers type, the colours and meanings the documents print.

The one home of every RAG word, fill and meaning; `pipeline.model` re-exports
`Rag` so the model's users need not know where it lives.
"""

from __future__ import annotations

import enum
import functools

from pipeline.i18n import N_, in_welsh
from pipeline.text import match_key


class Rag(enum.Enum):
    """A RAG rating. Complete and Not rated sit outside the traffic light, as councils report them.

    Each fill is a light shade that keeps black text above WCAG AA contrast (4.5:1),
    and the word is always written in the cell, so colour is never the only signal.
    """

    RED = N_("Red")
    AMBER = N_("Amber")
    GREEN = N_("Green")
    COMPLETE = N_("Complete")
    NOT_RATED = N_("Not rated")

    @property
    def label(self) -> str:
        return self.value

    @property
    def fill(self) -> str:
        return _RAG_FILLS[self]

    @property
    def meaning(self) -> str:
        return _RAG_MEANINGS[self]

    @classmethod
    @functools.lru_cache(maxsize=256)  # officers type the same few words on every row
    def from_cell(cls, text: str) -> Rag | None:
        """The rating for text as officers type it (`R`, `red`, `Red `, `Blue`), or None."""
        key = match_key(text).strip(".")
        if not key:
            return cls.NOT_RATED
        return _RAG_WORDS.get(key) or _welsh_words().get(key)


_RAG_FILLS = {
    Rag.RED: "FF7C80",
    Rag.AMBER: "FFC000",
    Rag.GREEN: "92D050",
    # A stronger blue than the light blue a strand is often shaded (race equality by default),
    # so a complete action's rating never looks like its row's strand shading.
    Rag.COMPLETE: "5B9BD5",
    Rag.NOT_RATED: "E7E6E6",
}
_RAG_MEANINGS = {
    Rag.RED: N_("Off track: significant problems, needs attention"),
    Rag.AMBER: N_("Some risk or delay, being managed"),
    Rag.GREEN: N_("On track"),
    Rag.COMPLETE: N_("Done: the action is finished"),
    Rag.NOT_RATED: N_("No rating given yet"),
}
_RAG_WORDS = {
    "r": Rag.RED,
    "red": Rag.RED,
    "a": Rag.AMBER,
    "amber": Rag.AMBER,
    "g": Rag.GREEN,
    "green": Rag.GREEN,
    "c": Rag.COMPLETE,
    "complete": Rag.COMPLETE,
    "completed": Rag.COMPLETE,
    "done": Rag.COMPLETE,
    "b": Rag.COMPLETE,
    "blue": Rag.COMPLETE,
    "n/a": Rag.NOT_RATED,
    "na": Rag.NOT_RATED,
    "not rated": Rag.NOT_RATED,
    "-": Rag.NOT_RATED,
}


@functools.cache
def _welsh_words() -> dict[str, Rag]:
    """The ratings' Welsh words (Coch, Ambr ...), from the catalogue: a Welsh template's dropdown."""
    return {match_key(in_welsh(rating.value)): rating for rating in Rag}


#: The ratings offered in the workbook's RAG dropdown, in order.
CHOICES: tuple[str, ...] = tuple(r.label for r in Rag if r is not Rag.NOT_RATED)


def words_for(rating: Rag) -> tuple[str, ...]:
    """Every word the reader accepts for a rating: its label, then the others in lower case.

    The workbook template colours a cell holding any of them, so what the
    reader understands is exactly what the officer sees coloured.
    """
    label = rating.label
    others = [w for w, rag in _RAG_WORDS.items() if rag is rating and w != label.casefold()]
    welsh = in_welsh(label)
    return (label, *others, *([welsh] if welsh != label else []))
