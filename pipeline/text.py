"""Small text helpers shared by readers and renderers: cleaning and matching keys.

Word cannot hold most C0 control characters and Excel stores them as `_x000B_`
escapes, so every string from a workbook passes through `clean_text` once, at
reading time, and nothing downstream meets them (see research/validation-anchors.md).
"""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 (and so Word and Excel) cannot hold, apart from tab and newline.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Excel's escape for characters it cannot store directly, e.g. _x000B_ for a vertical tab.
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def unescape_excel(text: str) -> str:
    """Decode Excel's `_xHHHH_` escapes, the form openpyxl returns them in."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clean_text(text: str) -> tuple[str, bool]:
    """Return the text made safe for Word and Excel, and whether anything was removed.

    A vertical tab (Excel's Alt+Enter in some exports) and form feed become line
    breaks, carriage returns are folded into newlines, other control characters
    and unpaired surrogates are removed. Everything else, including emoji, Welsh
    letters and right-to-left text, is kept exactly.
    """
    original = unescape_excel(text)
    if not _NEEDS_CLEANING.search(original):
        return original, False  # the common case: one C-level scan, no copies
    cleaned = original.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = cleaned.replace("\x0b", "\n").replace("\x0c", "\n")
    cleaned = _ILLEGAL.sub("", cleaned)
    changed = cleaned != original.replace("\r\n", "\n").replace("\r", "\n")
    return cleaned, changed


def xml_safe(text: str) -> str:
    """The text without the characters an .xlsx or .docx cannot hold (for writers, not readers)."""
    return _ILLEGAL.sub("", text) if _ILLEGAL.search(text) else text


#: First characters that make a spreadsheet treat text as a formula (OWASP, CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """True for text Excel or LibreOffice would run as a formula if typed or imported."""
    return text.startswith(FORMULA_STARTS)


def squash(text: str) -> str:
    """Collapse whitespace (including non-breaking and zero-width) to single spaces."""
    text = _INVISIBLE.sub("", text.replace("\u00a0", " "))
    return _SPACES.sub(" ", text).strip()


def squash_lines(text: str) -> str:
    """Collapse spacing within each line but keep the line breaks (e.g. two owners in one cell)."""
    return "\n".join(line for line in (squash(part) for part in text.splitlines()) if line)


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
