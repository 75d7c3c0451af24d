"""Which formulas reach outside the workbook: the one home of that judgement.

A formula can make Excel run a program (DDE, `=cmd|' /C calc'!A0`, and
LibreOffice's `DDE()`; CALL, EXEC, REGISTER.ID; the Excel 4 macro functions that run
a macro, type keys or read, write and list files, such as RUN, SEND.KEYS, FOPEN,
FWRITE and FILES; an add-in's `_xll.` or a macro's
`_xludf.` function; an RTD server; Python in Excel, `PY`; EVALUATE, which makes a
formula of any text), read another file
(`[1]Sheet!A1`, `'C:\\dir\\[book.xlsx]Sheet'!A1`, or INDIRECT given such a
reference as text), fetch from a web address or a data connection (WEBSERVICE,
IMAGE, STOCKHISTORY, TRANSLATE, the CUBE functions), or send a click to a file
or network place (HYPERLINK to anything but an http(s) address or a cell of the
workbook). Its value is then not the officer's, Excel may replace it when the
workbook is opened, and recalculating is exactly what must not be advised.
sheet_scan.py reports such cells, and the checked copy (outside_removed.py)
holds their stored value in place of the formula. Text in quotes is never taken
for any of these, so `="a|b"` is an ordinary formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A text in double quotes ("" inside is a quote) or a name in single quotes ('' likewise).
_QUOTED = re.compile(r'"(?:[^"]|"")*"?|\'(?:[^\']|\'\')*\'?')
# What stands in for each character of a quoted text or name: no formula syntax at all.
_HIDDEN = "\x00"
# Sheet names cannot hold these, so a quoted name with one names another file: 'C:\x\[b.xlsx]S'.
_PATH_CHARACTERS = re.compile(r"[\[\]\\/]")
# Another workbook by its number or name, before a sheet or a name: [1]Sheet1!A1, [1]!Name.
# A table's columns (Table1[Col], [@Col]) are never followed by `!`.
_OTHER_BOOK = re.compile(r"\[[^\[\]]+\][^\s!'\"()\[\],;]*!")
# Excel's and LibreOffice's prefixes before a function's name in the file: _xlfn._xlws.PY.
_PREFIXES = r"(?:(?:_xlfn|_xlws|org\.openoffice|com\.microsoft)\.)*"
# The functions that run, fetch or read outside; and any CUBE function (CUBEVALUE, CUBEMEMBER).
_OUTSIDE_FUNCTIONS = (
    "WEBSERVICE", "IMAGE", "CALL", "EXEC", "REGISTER", "REGISTER.ID", "RTD", "SQL.REQUEST", "DDE",
    "PY", "STOCKHISTORY", "TRANSLATE", "DETECTLANGUAGE", "EVALUATE",
    # Excel 4 macro functions (in a macro sheet or a defined name) that run or touch files.
    "RUN", "SEND.KEYS", "FOPEN", "FREAD", "FREADLN", "FWRITE", "FWRITELN", "FILES",
    "DIRECTORY", "FILE.DELETE",
)  # fmt: skip
_FUNCTIONS = re.compile(
    rf"(?<![\w.]){_PREFIXES}(?:{'|'.join(map(re.escape, _OUTSIDE_FUNCTIONS))}|CUBE[A-Z]*)\s*\(",
    re.IGNORECASE,
)
# An add-in's function (_xll.) or a macro's (_xludf., a function Excel does not know itself).
_ADD_IN = re.compile(r"(?<![\w.])(?:_xll|_xludf)\.", re.IGNORECASE)
# HYPERLINK and what its first argument starts with: a quoted text, hidden.
_HYPERLINK = re.compile(rf"(?<![\w.]){_PREFIXES}HYPERLINK\s*\(\s*(\"{_HIDDEN}*\")?", re.IGNORECASE)
_SAFE_LINK = re.compile(r"(?:https?://|#)", re.IGNORECASE)
_INDIRECT = re.compile(rf"(?<![\w.]){_PREFIXES}INDIRECT\s*\(", re.IGNORECASE)
# Text naming another file, as INDIRECT reads it: [b.xlsx]S!A1, 'file:///x.ods'#$S.A1, C:\x.
_FILE_TEXT = re.compile(r"\[[^\[\]]+\][^!]*!|file:|#\$|(?<![a-z])[a-z]:[\\/]|\\\\", re.IGNORECASE)
# A defined name: a letter (any script), _ or \ first, as Excel allows.
_NAME = re.compile(r"(?<![\w.\\])(?:[^\W\d]|\\)[\w.?]*(?![\w.(!?])")
# A DDE formula's program, before its `|`: cmd|, 'cmd'|.
_PROGRAM = re.compile(rf"(?:[\w.]+|'{_HIDDEN}*')\s*$")


#: What every formula reaching outside holds (upper case): a bar, a quoted name, a book in
#: brackets, an add-in's or a macro's prefix, or one of the functions' names. A pattern added
#: to _first_outside needs its sign here too, or the quick look passes over what it finds:
#: add a formula it finds to OUTSIDE in tests/workbook/test_outside_formulas.py, which
#: checks the quick look stops at every one.
_SIGNS = ("|", "'", "[", "_XLL.", "_XLUDF.", "HYPERLINK", "INDIRECT", "CUBE", *_OUTSIDE_FUNCTIONS)


def _may_reach_outside(formula: str) -> bool:
    """False for a formula holding none of _SIGNS, as most do (=SUM(C2:C9), =A2&B2): it needs
    no closer look, a microsecond against 5 to 30 for _first_outside's. A formula with any
    character beyond ASCII gets the closer look, since the patterns, ignoring case, take a
    few of those (the Kelvin sign, a dotless i) for an ASCII letter."""
    if not formula.isascii():
        return True
    upper = formula.upper()
    for sign in _SIGNS:  # noqa: SIM110 - a loop: any() over a generator takes twice as long
        if sign in upper:
            return True
    return False


def reaches_outside(formula: str, names: frozenset[str] = frozenset()) -> bool:
    """True if formula (with or without its `=`) runs, reads or fetches anything outside
    the workbook, directly or through one of the defined names given (upper case)."""
    return outside_at(formula, names) is not None


def outside_at(formula: str, names: frozenset[str] = frozenset()) -> int | None:
    """Where in formula the first part reaching outside the workbook starts, or None."""
    if not names and not _may_reach_outside(formula):
        return None
    return _first_outside(formula, names)


def _first_outside(formula: str, names: frozenset[str]) -> int | None:
    """outside_at's closer look: quoted texts and names hidden, then each pattern searched."""
    texts: dict[int, str] = {}  # each double-quoted text by where it starts
    files: list[int] = []  # where each quoted name naming another file starts

    def hide(quoted: re.Match[str]) -> str:
        found = quoted.group()
        if found.startswith("'"):
            if _PATH_CHARACTERS.search(found):
                files.append(quoted.start())
        else:
            texts[quoted.start()] = found[1:-1].replace('""', '"')
        return found[0] + _HIDDEN * (len(found) - 2) + found[-1] if len(found) > 1 else found

    skeleton = _QUOTED.sub(hide, formula)
    found = list(files)
    if (bar := skeleton.find("|")) >= 0:
        program = _PROGRAM.search(skeleton, 0, bar)
        found.append(program.start() if program else bar)
    for pattern in (_OTHER_BOOK, _FUNCTIONS, _ADD_IN):
        if match := pattern.search(skeleton):
            found.append(match.start())
    for link in _HYPERLINK.finditer(skeleton):
        first = link.group(1)
        if first is None or not _SAFE_LINK.match(texts[link.start(1)]):
            found.append(link.start())
    if (indirect := _INDIRECT.search(skeleton)) and _FILE_TEXT.search("".join(texts.values())):
        found.append(indirect.start())
    if names:
        found.extend(m.start() for m in _NAME.finditer(skeleton) if m.group().upper() in names)
    return min(found, default=None)


def shown_formula(formula: str, names: frozenset[str] = frozenset(), limit: int = 60) -> str:
    """The formula as typed, with its `=`, for a message: shortened to limit characters, with
    the part reaching outside kept in view, so text before it cannot push it out of sight."""
    text = "=" + formula.strip().removeprefix("=")
    if len(text) <= limit:
        return text
    start = outside_at(text, names) or 0
    if start + 8 <= limit - 3:  # in view from the start
        return text[: limit - 3] + "..."
    shown = "..." + text[start - 5 : start - 5 + limit - 6]
    return shown + "..." if start - 5 + limit - 6 < len(text) else shown


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
