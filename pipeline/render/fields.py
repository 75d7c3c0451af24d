"""Word fields that fetch or run something: found in a template, disarmed in the plan.

A field's instruction is text Word evaluates when fields are updated (the
plan asks to update fields on opening, for its contents page). Some
instructions reach outside the document: DDE and DDEAUTO start another
program, INCLUDEPICTURE, INCLUDETEXT, LINK and IMPORT fetch a file or web
address, and a HYPERLINK field may point at a file share. Those are emptied
in the plan, so Word shows the text the field last displayed and fetches
nothing. Plain http(s) HYPERLINK fields and internal ones (`\\l bookmark`,
as in the contents list) are kept.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FLD_CHAR, _INSTR_TEXT, _FLD_SIMPLE = f"{_W}fldChar", f"{_W}instrText", f"{_W}fldSimple"
_FLD_TYPE, _INSTR = f"{_W}fldCharType", f"{_W}instr"
#: Field names whose evaluation fetches a file or address, or starts a program.
FETCHING_FIELDS = frozenset(
    {"DDE", "DDEAUTO", "INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "IMPORT"}
)
#: Marker: the field's name is itself made by a nested field, so it cannot be read.
BUILT_FROM_FIELD = "(a field whose name comes from another field)"


def risky_fields(
    root: etree._Element, is_plain_web_address: Callable[[str], bool]
) -> list[tuple[str, list[etree._Element]]]:
    """Each risky field's instruction, with the elements that hold it (instrText or fldSimple)."""
    found: list[tuple[str, list[etree._Element]]] = []
    open_fields: list[tuple[list[str], list[etree._Element], list[bool]]] = []
    for element in root.iter(_FLD_CHAR, _INSTR_TEXT, _FLD_SIMPLE):
        if element.tag == _FLD_SIMPLE:
            instruction = element.get(_INSTR, "")
            if _risky(instruction, is_plain_web_address):
                found.append((instruction, [element]))
        elif element.tag == _INSTR_TEXT:
            if open_fields:
                open_fields[-1][0].append(element.text or "")
                open_fields[-1][1].append(element)
        else:
            kind = element.get(_FLD_TYPE)
            if kind == "begin":
                if open_fields and not "".join(open_fields[-1][0]).strip():
                    open_fields[-1][2][0] = True  # the outer field's name is built by this one
                open_fields.append(([], [], [False]))
            elif kind == "end" and open_fields:
                texts, holders, built = open_fields.pop()
                instruction = "".join(texts)
                if built[0]:
                    found.append((BUILT_FROM_FIELD + instruction, holders))
                elif _risky(instruction, is_plain_web_address):
                    found.append((instruction, holders))
    return found


def disarm(fields: list[tuple[str, list[etree._Element]]]) -> None:
    """Empty the instructions, keeping the text each field last showed."""
    for _, holders in fields:
        for element in holders:
            if element.tag == _FLD_SIMPLE:
                element.set(_INSTR, "")
            else:
                element.text = ""


def _risky(instruction: str, is_plain_web_address: Callable[[str], bool]) -> bool:
    words = instruction.split(None, 1)
    if not words:
        return False
    name = words[0].upper().lstrip("\\")
    if name in FETCHING_FIELDS:
        return True
    if name != "HYPERLINK":
        return False
    try:
        arguments = shlex.split(words[1] if len(words) > 1 else "", posix=False)
    except ValueError:
        return True  # unbalanced quotes: cannot tell where it points
    targets = [a.strip('"') for a in arguments if not a.startswith("\\")]
    after_switch = {arguments[i + 1] for i, a in enumerate(arguments[:-1]) if a.startswith("\\")}
    targets = [t for t in targets if f'"{t}"' not in after_switch and t not in after_switch]
    return bool(targets) and not is_plain_web_address(targets[0])
