"""English inside a Welsh document, marked as English (WCAG 3.1.2, Language of Parts).

A Welsh document prints the English where an officer gave no Welsh, and a framework's
English where the framework has none (welsh_text.EnglishText). So that screen readers
and spell-checkers read that text as English, the template's environment marks each
such value as it is printed (the sandbox's finalize, every `{{ }}`):

- in Word, between two noncharacters (U+FDD0 and U+FDD1, which Unicode keeps for a
  program's own use; the workbook reader and the framework loader remove them from the text
  they read); finishing cuts each run at the marks and tags the English part `en-GB`
  (split_run), and takes out any mark a template printed somewhere else: a field code, an
  attribute (a table's alt text), a document property, a footnote (python-docx keeps
  footnotes as bytes, so their English is not cut into runs of its own);
- in the web page, as a `<span lang="en-GB">`.

Text made from English text (a heading joining a number and a title) is plain again and
takes the document's language.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from docx.oxml.ns import qn
from jinja2 import Environment
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from lxml import etree
from markupsafe import Markup

from pipeline.welsh_text import EnglishText, MixedText, joined

START, END = "\ufdd0", "\ufdd1"
_MARKS = re.compile(f"([{START}{END}])")
_R, _T, _RPR = qn("w:r"), qn("w:t"), qn("w:rPr")
#: Elements of a run whose text a template fills in, besides w:t: marks are only taken out.
_OTHER_TEXT = (qn("w:instrText"), qn("w:delText"), qn("w:delInstrText"))
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The runs of a part or block with a mark in their text (found in C: most runs have none).
_MARKED_RUNS = etree.XPath(
    ".//w:r[*[(self::w:t or self::w:instrText or self::w:delText or self::w:delInstrText)"
    f' and (contains(., "{START}") or contains(., "{END}"))]]',
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
)


#: Marks a template printed anywhere else: other text, and attributes (a caption, alt text).
_MARKED_ELSEWHERE = etree.XPath(
    f'.//text()[contains(., "{START}") or contains(., "{END}")]'
    f' | .//@*[contains(., "{START}") or contains(., "{END}")]'
)


def english_runs(root: Any) -> set[Any]:
    """Cut every marked run in root (split_run); the runs that hold English. Marks anywhere
    else in root are taken out, so none is ever written."""
    english = {
        run for marked in _MARKED_RUNS(root) for run, is_english in split_run(marked) if is_english
    }
    for found in _MARKED_ELSEWHERE(root):
        owner = found.getparent()
        if found.is_attribute:
            owner.set(found.attrname, unmarked(str(found)))
        elif found.is_text:
            owner.text = unmarked(owner.text)
        else:
            owner.tail = unmarked(owner.tail)
    return english


def marked(value: Any, mark: Callable[[str], str]) -> Any:
    """value as printed, its English marked with mark (word_mark or html_mark): all of an
    EnglishText, each English part of a MixedText; any other value as it is."""
    kind = type(value)
    if kind is EnglishText:
        return mark(value)
    if kind is not MixedText:
        return value
    pieces = [mark(p) if type(p) is EnglishText else p for p in value.parts]
    if any(isinstance(piece, Markup) for piece in pieces):  # markup escapes the rest
        return Markup("").join(pieces)
    return "".join(pieces)


#: A template's filters that make text from a text: what they keep of English text is still
#: English (trimmed, shortened, wrapped or its case changed); words they add are not.
ENGLISH_KEEPING_FILTERS = (
    "trim", "truncate", "replace", "center", "indent", "wordwrap", "striptags",
    "title", "upper", "lower", "capitalize",
)  # fmt: skip
_PASSED_FIRST = (Environment, EvalContext, Context)
#: Characters beyond which a filter's result is not lined up with its text (plain text):
#: far more than any heading or label, and the alignment's time grows faster than the text.
ALIGN_LIMIT = 10_000


def keeping_english(function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter function, returning the English parts of English or partly English text
    still marked as English (reshaped), so a Welsh document marks them
    (`plan.labels.theme | truncate(20)`, `section.heading | trim`): Jinja's filters make
    plain text of anything they change."""

    @functools.wraps(function)  # and Jinja's mark of what it passes first (pass_environment)
    def filtered(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        value = args[1 if args and isinstance(args[0], _PASSED_FIRST) else 0]
        if type(result) is not str or type(value) not in (EnglishText, MixedText):
            return result
        return reshaped(value, result)

    return filtered


def reshaped(text: str, result: str) -> str:
    """result (made from text by a filter) with the English of text still marked: each of its
    characters lined up with text's, case aside, is English where text's was; characters the
    filter added are plain if letters (`replace`'s new words), else go with the text before
    them (`truncate`'s `...`). An EnglishText, a
    MixedText or plain text, as welsh_text.joined makes them."""
    if len(text) > ALIGN_LIMIT or len(result) > ALIGN_LIMIT:
        return result
    english = [type(part) is EnglishText for part in _parts(text) for _char in part]
    marked: list[bool | None] = [None] * len(result)  # None: added by the filter
    for at, to, size in _matching_blocks(text.lower(), result.lower()):
        marked[to : to + size] = english[at : at + size]
    # An added word is the template's (plain); added spaces and marks go with the text before
    # them (`...` after English is part of it), or after them at the start.
    after = next((flag for flag in marked if flag is not None), False)
    for place, flag in enumerate(marked):
        if flag is None:
            before = marked[place - 1] if place else after
            marked[place] = False if result[place].isalpha() else before
    pieces: list[str] = []
    start = 0
    for end in range(1, len(result) + 1):
        if end == len(result) or marked[end] != marked[start]:
            piece = result[start:end]
            pieces.append(EnglishText(piece) if marked[start] else piece)
            start = end
    return joined(*pieces)


#: Longest text and result lined up character by character (difflib's time grows with
#: their product); longer ones are lined up by what they begin and end with.
FULL_ALIGN_LIMIT = 1_000


def _matching_blocks(text: str, result: str) -> list[tuple[int, int, int]]:
    """(place in text, place in result, length) of the stretches both hold. The common
    filters are found without difflib: a case change, or a stretch cut out (trim, truncate)."""
    if len(text) != len(text.lower()) or len(result) != len(result.lower()):
        return []  # a letter whose case change changes the length: nothing is lined up
    if len(text) == len(result) and text == result:
        return [(0, 0, len(text))]
    if (at := text.find(result)) >= 0:
        return [(at, 0, len(result))]
    if len(text) + len(result) <= FULL_ALIGN_LIMIT:
        return SequenceMatcher(None, text, result, False).get_matching_blocks()
    begin = _shared_start(text, result)
    end = _shared_start(text[begin:][::-1], result[begin:][::-1])
    return [(0, 0, begin), (len(text) - end, len(result) - end, end)]


def _shared_start(one: str, other: str) -> int:
    """How many characters one and other begin with alike."""
    return next(
        (i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
        min(len(one), len(other)),
    )


def _parts(text: str) -> tuple[str, ...]:
    return text.parts if type(text) is MixedText else (text,)


def word_mark(value: str) -> str:
    """value between the marks finishing looks for."""
    return f"{START}{value}{END}"


def html_mark(value: str) -> Markup:
    """value in a span saying it is English (escaped like any other text)."""
    return Markup('<span lang="en-GB">%s</span>') % value


def unmarked(text: str) -> str:
    """text without the marks (for a document property, or anywhere runs are not split)."""
    if START not in text and END not in text:
        return text
    return text.replace(START, "").replace(END, "")


def split_run(run: Any) -> list[tuple[Any, bool]]:
    """The run cut at the English marks in its text: (run, is English) in order.

    A run without marks is returned as it is. Otherwise each stretch between marks
    becomes a run of its own with a copy of the run's properties, its text, breaks and
    tabs in their order; the marks are taken out. Text with marks outside w:t (a field
    code) just loses them.
    """
    marked = False
    for child in run:
        text = child.text
        if text and (START in text or END in text):
            if child.tag == _T:
                marked = True
            elif child.tag in _OTHER_TEXT:
                child.text = unmarked(text)
    if not marked:
        return [(run, False)]
    properties = run.find(_RPR)
    stretches: list[tuple[bool, list[Any]]] = [(False, [])]
    for child in list(run):
        if child is properties:
            continue
        if child.tag != _T or not child.text or (START not in child.text and END not in child.text):
            stretches[-1][1].append(child)
            continue
        for piece in _MARKS.split(child.text):
            if piece in (START, END):
                stretches.append((piece == START, []))
            elif piece:
                element = run.makeelement(_T)
                element.text = piece
                element.set(_SPACE, "preserve")
                stretches[-1][1].append(element)
    parent = run.getparent()
    place = parent.index(run)
    parent.remove(run)
    runs = []
    for english, children in stretches:
        if not children:
            continue
        piece = run.makeelement(_R, dict(run.attrib))
        if properties is not None:
            piece.append(copy.deepcopy(properties))
        for child in children:
            piece.append(child)
        parent.insert(place + len(runs), piece)
        runs.append((piece, english))
    return runs
