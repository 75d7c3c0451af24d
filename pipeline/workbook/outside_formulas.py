"""Which formulas reach outside the workbook: the one home of that judgement.

A formula can make Excel run a program (DDE, `=cmd|' /C calc'!A0`; CALL,
EXEC, REGISTER.ID; an add-in's `_xll.` function; an RTD server), read
another file (`[1]Sheet!A1`, `'C:\\dir\\[book.xlsx]Sheet'!A1`) or fetch from
a web address (WEBSERVICE, IMAGE), or send a click to a file or network
place (HYPERLINK to anything but an http(s) address or a cell of the
workbook). Its value is then not the officer's, Excel may replace it when
the workbook is opened, and recalculating is exactly what must not be
advised. sheet_scan.py reports such cells, and the checked copy
(render/annotate.py) writes their stored value in place of the formula.
Text in quotes is never taken for any of these, so `="a|b"` is an ordinary formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A text in double quotes ("" inside is a quote) or a name in single quotes ('' likewise).
_QUOTED = re.compile(r'"(?:[^"]|"")*"?|\'(?:[^\']|\'\')*\'?')
# Sheet names cannot hold these, so a quoted name with one names another file: 'C:\x\[b.xlsx]S'.
_PATH_CHARACTERS = re.compile(r"[\[\]\\/]")
# Another workbook by its number or name, before a sheet or a name: [1]Sheet1!A1, [1]!Name.
# A table's columns (Table1[Col], [@Col]) are never followed by `!`.
_OTHER_BOOK = re.compile(r"\[[^\[\]]+\][^\s!'\"()\[\],;]*!")
_FUNCTIONS = re.compile(
    r"(?<![\w.])(?:_xlfn\.|_xlws\.)?"
    r"(?:WEBSERVICE|IMAGE|CALL|EXEC|REGISTER|REGISTER\.ID|RTD|SQL\.REQUEST)\s*\(",
    re.IGNORECASE,
)
_ADD_IN = re.compile(r"(?<![\w.])_xll\.", re.IGNORECASE)
# HYPERLINK and what its first argument starts with: `"0"` stands for the first quoted text.
_HYPERLINK = re.compile(r"(?<![\w.])HYPERLINK\s*\(\s*(\"(\d+)\")?", re.IGNORECASE)
_SAFE_LINK = re.compile(r"(?:https?://|#)", re.IGNORECASE)
_NAME = re.compile(r"(?<![\w.\\])[A-Za-z_\\][\w.]*(?![\w.(!])")


def reaches_outside(formula: str, names: frozenset[str] = frozenset()) -> bool:
    """True if formula (with or without its `=`) runs, reads or fetches anything outside
    the workbook, directly or through one of the defined names given (upper case)."""
    texts: list[str] = []
    other_file = False

    def hide(quoted: re.Match[str]) -> str:
        nonlocal other_file
        found = quoted.group()
        if found.startswith("'"):
            other_file = other_file or bool(_PATH_CHARACTERS.search(found))
            return "''"
        texts.append(found[1:-1].replace('""', '"'))
        return f'"{len(texts) - 1}"'

    skeleton = _QUOTED.sub(hide, formula)
    if other_file or "|" in skeleton or _OTHER_BOOK.search(skeleton):
        return True
    if _FUNCTIONS.search(skeleton) or _ADD_IN.search(skeleton):
        return True
    for link in _HYPERLINK.finditer(skeleton):
        if link.group(2) is None or not _SAFE_LINK.match(texts[int(link.group(2))]):
            return True
    return bool(names) and any(name.upper() in names for name in _NAME.findall(skeleton))


def names_reaching_outside(defined: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The defined names (upper case) whose formula reaches outside the workbook, directly
    or through another such name, from (name, formula) pairs as workbook.xml lists them."""
    pairs = [(name.upper(), formula) for name, formula in defined if name and formula]
    outside: frozenset[str] = frozenset()
    while True:  # a name may reach outside through another name: until nothing is added
        found = frozenset(name for name, formula in pairs if reaches_outside(formula, outside))
        if found == outside:
            return outside
        outside = found
