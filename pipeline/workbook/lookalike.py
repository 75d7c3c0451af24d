"""Headings eqplan does not read that look like ones it does: said, never silently dropped.

eqplan finds a column by its heading (case and spaces do not matter, and a
few other names are accepted: layout.py's aliases). A heading renamed a
little (`Progress updates`, `Update Nov 26`, `Current status`) is not read,
so everything in that column would be missing from the plan with no word
said: a required column is reported (COLUMN_MISSING), and an optional one
here (COLUMN_NOT_READ). A heading like nothing eqplan knows is the
council's own column and is left alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from pipeline import problems
from pipeline.problems import Problem
from pipeline.text import match_key
from pipeline.welsh_text import WELSH_KEY, welsh_heading, welsh_name
from pipeline.workbook.layout import DATE_COLUMNS
from pipeline.workbook.sheet_scan import column_letter
from pipeline.workbook.specs import Column, SheetSpec

#: How alike two headings' letters must be (difflib's ratio) when their words differ.
CLOSE = 0.85
#: Below this many letters, headings are compared word for word only (`RAG`, `Ref`, `By`).
SHORT = 5
_CYMRAEG = "(cymraeg)"
#: Other ways a heading says its column holds the Welsh: `Progress update (Welsh)`.
_WELSH_MARKS = ("(welsh)", "(cym)", "(cy)")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[^\W_]+")
#: Words saying when, not what: `Update Nov 26`, `Progress update 2026/27`, `Q3 update`.
_MONTHS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december ionawr chwefror mawrth ebrill mai mehefin "
    "gorffennaf awst medi hydref tachwedd rhagfyr ion chwef maw ebr meh gorff hyd tach rhag "
    "q1 q2 q3 q4 fy"
)
_LITTLE = "a an as at for in of on the to s"  # `s`: what is left of `Strand(s)`
_DROPPED = frozenset((_MONTHS + " " + _LITTLE).split())
#: Words that qualify a heading without changing what it holds: `Current status`, `Latest RAG`.
_QUALIFIERS = frozenset(
    "current latest new revised overall agreed final actual "
    "presennol bresennol diweddaraf newydd cyffredinol terfynol".split()
)


#: Words that only say a column holds a date (`Last updated date`): a qualifier for the
#: columns of dates alone, where `Outcome date` or `Status date` is another column.
_DATE_WORDS = frozenset("date dates dyddiad".split())


@dataclass(frozen=True)
class _Name:
    """A heading reduced to what it says: its words, and whether it is a (Cymraeg) column's."""

    welsh: bool
    words: tuple[str, ...]

    @property
    def letters(self) -> str:
        return "".join(self.words)


def _name(text: str) -> _Name:
    key = match_key(text)
    for mark in _WELSH_MARKS:
        key = key.replace(mark, _CYMRAEG)
    welsh = _CYMRAEG in key
    # A bracket's words count as any others: `(Nov 2026)` says when and is dropped, while
    # `RAG (previous)` is another column than the RAG.
    key = _BRACKETS.sub(lambda m: f" {m.group(0)[1:-1]} ", key.replace(_CYMRAEG, " "))
    words = tuple(_singular(w) for w in _WORD.findall(key) if not _dropped(w))
    return _Name(welsh, words)


def _dropped(word: str) -> bool:
    return word in _DROPPED or word.isdigit()


def _singular(word: str) -> str:
    """`updates` -> `update`, `strands` -> `strand`, `llinynnau` -> `llinynn` (close enough to
    `llinyn`); `progress` stays. Both sides are cut alike, so a word cut wrongly still matches."""
    if len(word) > 4 and word.endswith("ses"):  # statuses, addresses
        word = word[:-2]
    if len(word) > 4 and word.endswith("au"):
        return word[:-3] if word.endswith("iau") else word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _likeness(typed: _Name, known: _Name, dated: bool = False) -> float:
    """How surely typed means known: 1 for the same words, 0 for no likeness. dated: known
    is a column of dates, which `date` may qualify."""
    if typed.welsh != known.welsh or not typed.words or not known.words:
        return 0.0
    if typed.words == known.words or typed.letters == known.letters:
        return 1.0
    extra = set(typed.words) - set(known.words)
    if set(known.words) <= set(typed.words):
        # `Current status` is the status; `Updated by` or `Previous RAG` is another column.
        return 0.95 if extra <= (_QUALIFIERS | _DATE_WORDS if dated else _QUALIFIERS) else 0.0
    if min(len(typed.letters), len(known.letters)) < SHORT:
        return 0.0
    ratio = difflib.SequenceMatcher(None, typed.letters, known.letters).ratio()
    return ratio if ratio >= CLOSE else 0.0


@cache
def _names(column: Column, aliases: tuple[str, ...], welsh_sheet: bool) -> list[tuple[str, str]]:
    """(a name column is read by, the heading to suggest when it matches): the English heading
    and its aliases suggest the English heading; on a Welsh template's sheet (welsh_sheet) the
    Welsh heading and the Welsh of its aliases (`Diweddariad`, `Update`) suggest the Welsh
    heading too. aliases are the column's own, or a (Cymraeg) column's English column's,
    marked (Cymraeg)."""
    names = [(column.heading, column.heading)]
    names += [(alias, column.heading) for alias in aliases]
    welsh = welsh_name(column.heading)
    if welsh_sheet and welsh != column.heading:
        names.append((welsh, welsh))
        for alias in aliases:
            named = welsh_name(alias[:1].upper() + alias[1:])
            if match_key(named) != match_key(alias):
                names.append((named, welsh))
    return names


def _aliases(column: Column, spec: SheetSpec) -> tuple[str, ...]:
    """A column's other names; a (Cymraeg) column's are its English column's, marked."""
    if not column.key.endswith(WELSH_KEY):
        return column.aliases
    english = spec.column(column.key.removesuffix(WELSH_KEY))
    return tuple(welsh_heading(alias) for alias in english.aliases)


def lookalike(text: str, spec: SheetSpec, welsh_sheet: bool = False) -> tuple[Column, str] | None:
    """The column of spec a heading eqplan did not read most looks like, with the heading to
    rename it to; None when it looks like none of them. Welsh headings are compared only on
    a sheet with its Welsh name (welsh_sheet: a Welsh template's)."""
    typed = _name(text)
    best: tuple[float, Column, str] | None = None
    for column in spec.columns:
        for name, suggested in _names(column, _aliases(column, spec), welsh_sheet):
            score = _likeness(
                typed, _name(name), column.key.removesuffix(WELSH_KEY) in DATE_COLUMNS
            )
            if score and (best is None or score > best[0]):
                best = (score, column, suggested)
    return (best[1], best[2]) if best else None


def columns_not_read(
    sheet: str,
    spec: SheetSpec,
    header_row: int,
    found: dict[int, str],
    read: set[int],
    reported: set[str],
    mapped: set[str],
) -> list[Problem]:
    """COLUMN_NOT_READ for each heading in found (by column number) that is not read (read:
    the column numbers read) and looks like an optional column of spec not read either.

    A heading already named by COLUMN_MISSING (reported: its cells) is not named twice, and
    one most like a column that is read (mapped: keys) or required (COLUMN_MISSING says it)
    is left alone: a second `Progress update (2025)` beside `Progress update` is the council's.
    """
    found_problems = []
    welsh_sheet = match_key(sheet) != match_key(spec.name)
    for index, text in sorted(found.items()):
        cell = f"{column_letter(index)}{header_row}"
        if index in read or cell in reported:
            continue
        match = lookalike(text, spec, welsh_sheet)
        if match is None:
            continue
        column, suggested = match
        if column.key in mapped or column.required:
            continue
        found_problems.append(
            problems.COLUMN_NOT_READ.at(
                sheet, cell, row=header_row, found=text.strip(), expected=suggested
            )
        )
    return found_problems


def column_missing(
    sheet: str, spec: SheetSpec, heading: str, header_row: int, found: dict[int, str]
) -> Problem:
    """COLUMN_MISSING for a required heading, naming the closest heading not read, if any."""
    known = {match_key(c.heading) for c in spec.columns} | {
        match_key(a) for c in spec.columns for a in c.aliases
    }
    unclaimed = {i: t for i, t in found.items() if match_key(t) not in known}
    candidates = {_loose(t): i for i, t in unclaimed.items()}
    close = difflib.get_close_matches(_loose(heading), list(candidates), n=1, cutoff=0.5)
    hint = ""
    cell = ""
    if close:
        index = candidates[close[0]]
        cell = f"{column_letter(index)}{header_row}"
        hint = f" (found '{unclaimed[index]}' in {cell})"
    return problems.COLUMN_MISSING.at(
        sheet, cell, row=header_row, expected=heading, sheet_name=sheet, found=hint
    )


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", match_key(text))
