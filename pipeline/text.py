"""Small text helpers shared by readers and renderers: cleaning and matching keys.

Word cannot hold most C0 control characters, and a terminal acts on C1 ones
(U+009B starts a command, U+009D a hyperlink), so every string from a workbook
passes through `clean_text` once, at reading time, and nothing downstream
meets them (see research/validation-anchors.md). Excel stores those characters
as `_x000B_`-style escapes; the workbook engines decode them exactly once
(`unescape_excel`), so `clean_text` never decodes again: text typed as
`_x0041_` (stored `_x005F_x0041_`) stays `_x0041_`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from pipeline.formats import format_number

# Characters XML 1.0 (and so Word and Excel) cannot hold, apart from tab and newline.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: DEL and the C1 controls: invisible, and a terminal acts on them (U+009B starts a command).
C1_CONTROLS = re.compile("[\x7f-\x9f]")
# What clean_text removes: the characters above, and DEL and C1 controls, so no text
# read from a workbook reaches a screen, a log or a document with a terminal escape in it.
# Also the noncharacters U+FDD0 to U+FDEF, which Unicode keeps for a program's own use:
# eqplan marks English inside Welsh documents with two of them (render/english_parts.py).
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def number_text(value: float) -> str:
    """A number in full, as the officer typed it: all of Excel's 15 significant digits in
    their shortest form (`1234567.5`, `0.1234567`; 0.1 + 0.2 is `0.3`, as Excel shows it),
    whole numbers without `.0`, and no exponent for ordinary sizes (`0.00001`)."""
    if not math.isfinite(value):
        return str(value)
    text = repr(float(f"{value:.15g}") + 0.0)  # + 0.0: -0.0 is 0
    if "e" in text and 1e-9 <= abs(value) < 1e21:
        text = format(Decimal(text), "f")
    return text.removesuffix(".0")


def unescape_excel(text: str) -> str:
    """Decode Excel's `_xHHHH_` escapes in one left-to-right pass, as Excel does.

    `_x005F_` is an escaped underscore, so `_x005F_x0041_` decodes to the
    literal `_x0041_`, never on to `A`. Call it once, on text as stored.
    """
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clean_text(text: str) -> tuple[str, bool]:
    """Return the text made safe for Word and Excel, and whether anything was removed.

    A vertical tab (Excel's Alt+Enter in some exports) and form feed become line
    breaks, carriage returns are folded into newlines, other control characters
    (C0, DEL and C1, U+0080 to U+009F) and unpaired surrogates are removed. Everything else, including emoji, Welsh
    letters and right-to-left text, is kept exactly.
    """
    if not _NEEDS_CLEANING.search(text):
        return text, False  # the common case: one C-level scan, no copies
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = cleaned.replace("\x0b", "\n").replace("\x0c", "\n")
    cleaned = _CONTROLS.sub("", cleaned)
    changed = cleaned != text.replace("\r\n", "\n").replace("\r", "\n")
    return cleaned, changed


def xml_safe(text: str) -> str:
    """The text without the characters an .xlsx or .docx cannot hold (for writers, not readers)."""
    return _ILLEGAL.sub("", text) if _ILLEGAL.search(text) else text


#: The most characters Word and Excel keep in a document property (title, author, company):
#: python-docx refuses a longer one with a ValueError, and Excel may call the file damaged.
MAX_PROPERTY_CHARS = 255


def property_text(text: str, limit: int = MAX_PROPERTY_CHARS) -> str:
    """text cut to fit a document property, ending in an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def is_digits(text: str) -> bool:
    """True for text of ASCII digits only (`12`): str.isdigit alone also takes `²`, which
    int() refuses."""
    return text.isascii() and text.isdigit()


def shortened(text: str, limit: int = 120) -> str:
    """text cut to limit characters, ending in "..." when it was cut: for a library's error or
    a link quoted in a message, which could otherwise fill the screen."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: First characters that make a spreadsheet treat text as a formula (OWASP, CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """True for text Excel or LibreOffice would run as a formula if typed or imported."""
    return text.startswith(FORMULA_STARTS)


def squash(text: str) -> str:
    """Collapse whitespace (including non-breaking and zero-width) to single spaces."""
    # Most cells are tidy already. isprintable() is False for every whitespace character but
    # the plain space, and for the invisible ones, so this test (in C) answers for them.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    text = _INVISIBLE.sub("", text.replace("\u00a0", " "))
    return _SPACES.sub(" ", text).strip()


def squash_lines(text: str) -> str:
    """Collapse spacing within each line but keep the line breaks (e.g. two owners in one cell)."""
    if text.isprintable():  # no line break of any kind (the usual one-line cell): one line
        return squash(text)
    return "\n".join(line for line in (squash(part) for part in text.splitlines()) if line)


def joined_names(names: Iterable[str]) -> str:
    """Several names on one line, as every table prints joint owners and strands: `HR; Finance`."""
    return "; ".join(names)


def one_line(text: str) -> str:
    """A cell's lines on one line, joined as joint owners are (`Housing Team; Insight Team`):
    for a plain-text table, where a line break would print as a stray row."""
    return joined_names(squash_lines(text).splitlines())


def match_key(text: str) -> str:
    """A key for tolerant matching: case, width, spacing and punctuation spacing folded.

    NFKC folds full-width letters (`Ｒ` -> `R`) that arrive from pasted text.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    return squash(text).casefold()


def lines(text: str) -> list[str]:
    """Non-empty lines of a cell, each stripped, with list bullets removed."""
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("•·*-–").strip()
        if line:
            out.append(line)
    return out


def plural_noun(word: str) -> str:
    """An English noun's plural, for a framework's own labels: `Priority` -> `Priorities`,
    `Focus` -> `Focuses`, `Building block` -> `Building blocks`."""
    lower = word.lower()
    if lower.endswith("y") and len(word) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + ("IES" if word.isupper() else "ies")
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + ("ES" if word.isupper() else "es")
    return word + ("S" if word.isupper() else "s")


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 action`, `1,250 actions`: a count with its noun agreeing, for every count sentence."""
    return f"{format_number(count)} {word if count == 1 else (words or plural_noun(word))}"


def distinct_lines(texts: Iterable[str]) -> list[str]:
    """The non-empty lines of texts, trimmed, each once (lines alike to match_key are one),
    in the order first met: the lead officers or aspirations several plans give."""
    seen: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            if line.strip():
                seen.setdefault(match_key(line), line.strip())
    return list(seen.values())


def is_are(count: int) -> str:
    """The verb that agrees with a count: `1 is`, `0 are`, `3 are`."""
    return "is" if count == 1 else "are"


def are(count: int, rest: str) -> str:
    """`1 is overdue`, `3 are overdue`, `none are overdue`: a count as a sentence's subject."""
    return f"{format_number(count) if count else 'none'} {is_are(count)} {rest}"


# A number an officer typed before a list item: `1. `, `2) `, `(3) `, `4 - `. A decimal such
# as `1.5 million` is not one: the number must be followed by `.`, `)` or `-` and a space.
_LIST_NUMBER = re.compile(r"^\(?\d{1,3}(?:[.)]|\s*[-\u2013:])\s+(?=\S)")


def strip_list_number(text: str) -> str:
    """The item without a leading number the officer typed, for lists Word numbers itself."""
    return _LIST_NUMBER.sub("", text, count=1)
