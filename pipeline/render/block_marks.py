"""What the Word plan's finishing steps look for in a block of the body, found in one walk.

At 10,000 actions the action table is one block of about 830,000 elements,
and a walk over it costs about 0.1 s however little it finds. The steps that
finish a block (grid fixes and picture numbers, cleaning, header rows, rows
kept whole, the field count, disarming fields, the bookmark count) took eight
such walks; they now read the lists one walk fills (issue 17).

The lists stay true while the steps work: they add properties (header rows,
rows kept whole, alt text, keep-with-next, languages) and empty field
instructions, never add or remove elements of these kinds. Cleaning is the one
step that removes elements; when it has anything to remove it walks the block
itself, then calls `refresh`.
"""

from __future__ import annotations

from typing import Any

from pipeline.render.cleaning import TAKEN_OUT
from pipeline.render.docx_finish import BodyParts
from pipeline.render.fields import FIELD_MARKS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_TBL, _TR, _BOOKMARK = f"{_W}tbl", f"{_W}tr", f"{_W}bookmarkStart"
_DOC_PR, _INLINE = f"{_WP}docPr", f"{_WP}inline"
_FLD_CHAR, _FLD_SIMPLE, _INSTR_TEXT = f"{_W}fldChar", f"{_W}fldSimple", f"{_W}instrText"
_INSTR = f"{_W}instr"
_FIELD_TAGS = frozenset(FIELD_MARKS)
_WALKED = (_TBL, _TR, _BOOKMARK, _DOC_PR, _INLINE, *FIELD_MARKS, *TAKEN_OUT)


class BlockMarks:
    """The elements of one block that finishing looks at, each list in document order."""

    def __init__(self, block: Any) -> None:
        self.block = block
        self.refresh()

    def refresh(self) -> None:
        """Walk the block again (after cleaning removed elements from it)."""
        self.tables: list[Any] = []
        self.rows: list[Any] = []  # every w:tr, nested tables' too
        self.bookmarks: list[Any] = []
        self.doc_prs: list[Any] = []  # drawings' properties: their ids are numbered
        self.pictures: list[Any] = []  # wp:inline drawings
        self.fields: list[Any] = []  # fields.FIELD_MARKS
        self.hazards: list[Any] = []  # what cleaning takes out (cleaning.TAKEN_OUT)
        lists = {
            _TBL: self.tables,
            _TR: self.rows,
            _BOOKMARK: self.bookmarks,
            _DOC_PR: self.doc_prs,
            _INLINE: self.pictures,
        }
        for element in self.block.iter(*_WALKED):
            tag = element.tag
            found = lists.get(tag)
            if found is not None:
                found.append(element)
            elif tag in _FIELD_TAGS:
                self.fields.append(element)
            else:
                self.hazards.append(element)

    def parts(self) -> BodyParts:
        """The tables, pictures and field codes, as docx_finish.block_parts finds them."""
        instructions = [
            (element.text or "") if element.tag == _INSTR_TEXT else element.get(_INSTR, "")
            for element in self.fields
            if element.tag in (_INSTR_TEXT, _FLD_SIMPLE)
        ]
        return BodyParts(list(self.tables), list(self.pictures), instructions)

    @property
    def field_chars(self) -> list[Any]:
        """The complex fields' begin, separate and end marks."""
        return [element for element in self.fields if element.tag == _FLD_CHAR]
