"""Word fields that fetch or run something: found in a template, disarmed in the plan.

A field's instruction is text Word evaluates when fields are updated (the
plan asks to update fields on opening, for its contents page). Some
instructions reach outside the document: DDE and DDEAUTO start another
program, INCLUDEPICTURE, INCLUDETEXT, LINK, IMPORT, RD and DATABASE read a
file, a database or a web address, MACROBUTTON runs a Word command, PRINT
sends codes to the printer, ASK and FILLIN pop up questions, and a
HYPERLINK field may point at a file share. Those are emptied in the plan, so
Word shows the text the field last displayed and fetches nothing.

The check is conservative: only fields named in SAFE_FIELDS are kept (plus
plain http(s) and internal HYPERLINK fields, as in the contents list). An
unknown name, a name Word might read differently (`INCLUDETEXT"x"`), and any
field whose instruction holds another field (`{ QUOTE "INCLUDETEXT ..." }`
builds its instruction when updated) are disarmed, nested fields and all.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FLD_CHAR, _FLD_SIMPLE = f"{_W}fldChar", f"{_W}fldSimple"
#: Instruction text, and instruction text in a tracked deletion (live again if the change is rejected).
_INSTR_TEXTS = (f"{_W}instrText", f"{_W}delInstrText")
#: Every element a field is read from: its marks, simple fields and instruction texts.
FIELD_MARKS = (_FLD_CHAR, _FLD_SIMPLE, *_INSTR_TEXTS)
_FLD_TYPE, _INSTR = f"{_W}fldCharType", f"{_W}instr"
#: Fields that only show, number or compute what is in the document (ECMA-376 17.16.5), kept.
SAFE_FIELDS = frozenset(
    """= ADDRESSBLOCK ADVANCE AUTHOR AUTONUM AUTONUMLGL AUTONUMOUT AUTOTEXT AUTOTEXTLIST BARCODE
    BIBLIOGRAPHY BIDIOUTLINE CITATION COMMENTS COMPARE CREATEDATE DATE DISPLAYBARCODE DOCPROPERTY
    DOCVARIABLE EDITTIME EMBED EQ FILENAME FILESIZE FORMCHECKBOX FORMDROPDOWN FORMTEXT GOTOBUTTON
    GREETINGLINE IF INDEX INFO KEYWORDS LASTSAVEDBY LISTNUM MERGEBARCODE MERGEFIELD MERGEREC
    MERGESEQ NEXT NEXTIF NOTEREF NUMCHARS NUMPAGES NUMWORDS PAGE PAGEREF PRINTDATE QUOTE REF REVNUM
    SAVEDATE SECTION SECTIONPAGES SEQ SET SHAPE SKIPIF STYLEREF SUBJECT SYMBOL TA TC TEMPLATE TIME
    TITLE TOA TOC USERADDRESS USERINITIALS USERNAME XE""".split()
)
#: Named for the reader in warnings (anything else not in SAFE_FIELDS is "an unknown field").
FETCHING_FIELDS = frozenset(
    "DDE DDEAUTO INCLUDEPICTURE INCLUDETEXT INCLUDE LINK IMPORT RD DATABASE MACROBUTTON PRINT "
    "ASK FILLIN".split()
)
#: HYPERLINK's switches that take the word after them (ECMA-376 17.16.5.25); any other
#: switch (`\\m`, `\\n`) stands alone. A switch is a backslash and one letter.
_HYPERLINK_SWITCHES_WITH_ARGUMENT = frozenset({"\\l", "\\o", "\\t"})
_SWITCH = re.compile(r"\\[A-Za-z]")
#: Marker: the field's instruction is made by a nested field, so it cannot be read.
BUILT_FROM_FIELD = "(a field whose name comes from another field)"
_NAME = re.compile(r"\s*\\?([A-Za-z]+|=)")


@dataclass
class _Open:
    """A complex field being read: its instruction so far and the elements that hold it."""

    texts: list[str] = field(default_factory=list)
    holders: list[etree._Element] = field(default_factory=list)
    nested: bool = False
    in_instruction: bool = True


def risky_fields(
    roots: etree._Element | Sequence[etree._Element],
    is_plain_web_address: Callable[[str], bool],
    marks: Iterable[etree._Element] | None = None,
) -> list[tuple[str, list[etree._Element]]]:
    """Each risky field's instruction, with every element holding it (nested fields' too).

    roots is a part's root, or a run of sibling blocks read as one (a streamed body's blocks,
    grouped so that no field is cut: body_stream.py). marks: their field marks and
    instructions in document order, when they were found already (block_marks.py).
    """
    found: list[tuple[str, list[etree._Element]]] = []
    stack: list[_Open] = []
    if marks is None:
        blocks = [roots] if isinstance(roots, etree._Element) else roots
        marks = chain.from_iterable(block.iter(*FIELD_MARKS) for block in blocks)
    for element in marks:
        if element.tag == _FLD_SIMPLE:
            if stack and stack[-1].in_instruction:
                stack[-1].nested = True
                stack[-1].holders.append(element)
            instruction = element.get(_INSTR, "")
            if risky_instruction(instruction, is_plain_web_address):
                found.append((instruction, [element]))
        elif element.tag in _INSTR_TEXTS:
            if stack:
                stack[-1].texts.append(element.text or "")
                stack[-1].holders.append(element)
            elif risky_instruction(element.text or "", is_plain_web_address):
                # Outside any field here: its field may begin or end where this walk cannot
                # see (before or after the streamed body), so it is read as a field of its own.
                found.append((element.text or "", [element]))
        else:
            kind = element.get(_FLD_TYPE)
            if kind == "begin":
                if stack and stack[-1].in_instruction:
                    stack[-1].nested = True
                stack.append(_Open())
            elif kind == "separate" and stack:
                stack[-1].in_instruction = False
            elif kind == "end" and stack:
                done = stack.pop()
                if stack and stack[-1].in_instruction:
                    stack[-1].holders += done.holders  # disarming the outer disarms this one
                instruction = "".join(done.texts)
                if done.nested and _any_instruction(done.holders):
                    found.append((BUILT_FROM_FIELD + _all_text(done.holders), done.holders))
                elif risky_instruction(instruction, is_plain_web_address):
                    found.append((instruction, done.holders))
    for unfinished in stack:  # a field never ended: Word may still read it
        if (unfinished.nested and _any_instruction(unfinished.holders)) or risky_instruction(
            "".join(unfinished.texts), is_plain_web_address
        ):
            found.append(("".join(unfinished.texts), unfinished.holders))
    return found


@dataclass
class FieldCount:
    """Complex fields read so far, in order: how many are open, and ends met with none open.

    A rendered part whose fields do not balance is never written (engine.py): Word and
    LibreOffice read everything after a field never ended as that field's result (a plan of
    one page), and an end with no begin is a damaged document.
    """

    open: int = 0
    unbegun: int = 0  # ends met when no field was open

    def add(self, block: etree._Element) -> None:
        self.add_marks(block.iter(_FLD_CHAR))

    def add_marks(self, marks: Iterable[etree._Element]) -> None:
        """Count complex fields' marks (w:fldChar elements), in document order."""
        for mark in marks:
            self.mark(mark.get(_FLD_TYPE))

    def mark(self, kind: str | None) -> None:
        if kind == "begin":
            self.open += 1
        elif kind == "end":
            if self.open:
                self.open -= 1
            else:
                self.unbegun += 1

    def fault(self) -> str:
        """What is wrong, in words ("" when every field begun is ended, and only those)."""
        said = []
        if self.open:
            said.append(f"{self.open} field{'s' if self.open > 1 else ''} begun and never ended")
        if self.unbegun:
            said.append(
                f"{self.unbegun} field end{'s' if self.unbegun > 1 else ''} with no field begun"
            )
        return " and ".join(said)


def disarm(fields: list[tuple[str, list[etree._Element]]]) -> None:
    """Empty the instructions, keeping the text each field last showed."""
    for _, holders in fields:
        for element in holders:
            if element.tag == _FLD_SIMPLE:
                element.set(_INSTR, "")
            else:
                element.text = ""


def _any_instruction(holders: list[etree._Element]) -> bool:
    """True if any holder still has instruction text (a disarmed nested field has none)."""
    return bool(_all_text(holders).strip())


def _all_text(holders: list[etree._Element]) -> str:
    """The instruction text of a field and the fields nested in it, in order."""
    return "".join((e.get(_INSTR, "") if e.tag == _FLD_SIMPLE else e.text) or "" for e in holders)


def field_name(instruction: str) -> str:
    """The field's name as Word reads it (upper case), or '' if there is none."""
    match = _NAME.match(instruction)
    return match.group(1).upper() if match else ""


def risky_instruction(instruction: str, is_plain_web_address: Callable[[str], bool]) -> bool:
    """True unless the instruction is empty, a known safe field, or a plain or internal HYPERLINK."""
    if not instruction.strip():
        return False
    match = _NAME.match(instruction)
    if not match:
        return True
    name = match.group(1).upper()  # INCLUDETEXT"x" is read as INCLUDETEXT
    if name == "HYPERLINK":
        return _risky_hyperlink(instruction, is_plain_web_address)
    return name not in SAFE_FIELDS


def _risky_hyperlink(instruction: str, is_plain_web_address: Callable[[str], bool]) -> bool:
    """True unless every address the HYPERLINK field names is a plain web address (or it names
    none: a link to a bookmark in the plan, `\\l "name"`).

    Only a backslash and one letter is a switch: `\\l`, `\\o` and `\\t` with the word after
    them, any other (`\\m`, `\\n`) alone. Anything else is an address, including an unquoted
    file share (`\\\\server\\share`), which starts with a backslash like a switch.
    """
    words = instruction.split(None, 1)
    try:
        arguments = shlex.split(words[1] if len(words) > 1 else "", posix=False)
    except ValueError:
        return True  # unbalanced quotes: cannot tell where it points
    targets: list[str] = []
    switch_argument = False
    for argument in arguments:
        if switch_argument:
            switch_argument = False
        elif argument.lower() in _HYPERLINK_SWITCHES_WITH_ARGUMENT:
            switch_argument = True
        elif not _SWITCH.fullmatch(argument):
            targets.append(argument.strip('"'))
    return not all(is_plain_web_address(target) for target in targets)
