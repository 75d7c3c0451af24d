"""The rendered body, parsed strictly a block at a time, finished, cleaned and written out.

At 10,000 actions the body's lxml tree took 235 MB, most of a build's memory
(issue 17). So the body is parsed with a pull parser, and each child of
w:body (a paragraph, a table, a content control) is handed to the finishing
steps as soon as it is whole (the parser has begun the next one, or the text
has ended); with a `flush`, it is then cleaned, serialised and dropped from
the tree. The parser reports only where a body begins: an event for every
paragraph's end, most of them inside tables, cost more than the finishing of
the blocks. A block stays in the tree only while a later block may still
change it or must be read with it:

- the last four paragraphs: a table that follows keeps its heading and
  lead-in with it (pagination.keep_headings_with_tables looks back at most
  four paragraphs);
- every block of a field still open: a contents list spans many paragraphs,
  and cleaning (cleaning.py, fields.py) must see each field from its begin
  to its end.

Without a flush nothing is dropped and the whole tree is kept, as for the
cover report, with python-docx's element classes (its API may read it
afterwards). With a flush the elements are plain lxml ones: the blocks are
read and changed with lxml's API only, and a plain element costs half as much
to visit (a walk over a 10,000-action body's 830,000 elements: 0.12 s against
0.26 s; the whole Word plan about a tenth less CPU). The document part is then
written from the tree that is left (everything outside the body's children) with the blocks' bytes put back
in their place (StreamedDocument.serialise).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from docx.oxml.parser import element_class_lookup
from lxml import etree

from pipeline.render.block_marks import BlockMarks
from pipeline.render.fields import FieldCount
from pipeline.render.pagination import LEAD_IN_PARAGRAPHS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _P = f"{_W}body", f"{_W}p"
#: Characters fed to the parser at a time.
_CHUNK = 1 << 18

Element = Any  # an lxml element (python-docx's classes)


class StreamedDocument:
    """The document part once its body is streamed: the tree left, and the blocks' bytes."""

    def __init__(
        self, root: Element, body: Element | None, blocks: list[bytes], fields: FieldCount
    ) -> None:
        self.root = root
        self.body = body
        self.blocks = blocks
        self.fields = fields  # the body's complex fields, counted block by block
        self._written: bytearray | None = None

    def serialise(self) -> bytearray:
        """The part as python-docx writes one (serialize_part_xml), blocks back in place.

        Made once, when the document is saved: each block is moved into the result as it
        is built, so the part's text is held once, not twice (50,000 actions: 120 MB).
        """
        if self._written is not None:
            return self._written
        if not self.blocks:
            self._written = bytearray(etree.tostring(self.root, encoding="UTF-8", standalone=True))
            return self._written
        if self.body is None or len(self.body):  # the blocks were taken from an empty body
            raise RuntimeError("the streamed body changed after its blocks were written")
        token = f"eqplan-blocks-{secrets.token_hex(16)}"
        marker = etree.Comment(token)
        self.body.append(marker)
        try:
            whole = etree.tostring(self.root, encoding="UTF-8", standalone=True)
        finally:
            self.body.remove(marker)
        head, found, tail = whole.partition(f"<!--{token}-->".encode())
        if not found:
            raise RuntimeError("the body's place was lost while writing the document")
        written = bytearray(head)
        for index, block in enumerate(self.blocks):
            written += block
            self.blocks[index] = b""
        written += tail
        self.blocks = []
        self._written = written
        return written


def stream_document(
    pieces: Iterable[str],
    finish: Callable[[Element, BlockMarks], None],
    flush: Callable[[list[Element], list[BlockMarks]], None] | None = None,
) -> StreamedDocument:
    """Parse the document from pieces of its text, strictly; finish each child of the body.

    pieces may be made as they are read (the body, as it is rendered).

    finish(block, marks) is called once for every child of w:body, in order, once it
    is whole (earlier blocks a table may change are still in the tree); marks are what
    the finishing steps look for in it, found in one walk (block_marks.py). With
    flush, groups of finished blocks are passed to flush(group, their marks) (which may
    change or remove them: cleaning), then serialised and taken out of the
    tree. Raises etree.XMLSyntaxError if the text is not well-formed XML, and
    NotOneBody if it has a second body or one inside another element.
    """
    parser = etree.XMLPullParser(
        events=("start",),
        tag=_BODY,
        remove_blank_text=True,
        resolve_entities=False,
        huge_tree=True,
    )
    if flush is None:  # the tree is kept, and python-docx's API may read it afterwards
        parser.set_element_class_lookup(element_class_lookup)
    stream = _Stream(finish, flush)
    for piece in pieces:
        for start in range(0, len(piece), _CHUNK):
            parser.feed(piece[start : start + _CHUNK])
            stream.parsed(body for _, body in parser.read_events())
    root = parser.close()
    stream.parsed(body for _, body in parser.read_events())
    return stream.close(root)


class _Stream:
    """The body's children seen so far: finished, and (with a flush) waiting to be written."""

    def __init__(
        self,
        finish: Callable[[Element, BlockMarks], None],
        flush: Callable[[list[Element], list[BlockMarks]], None] | None,
    ) -> None:
        self.finish = finish
        self.flush = flush
        self.body: Element | None = None
        self.bodies = 0  # w:body elements begun, the body's own included
        self.nested = False  # whether one of them is inside the body
        self.last: Element | None = None  # the last child finished
        self.waiting: list[BlockMarks] = []  # finished blocks (their marks), not yet written
        self.fields = FieldCount()  # complex fields after the last block finished
        # How many of the waiting blocks end where no field is open (places to cut).
        self.field_free_cuts: list[int] = []
        self.blocks: list[bytes] = []
        self.declarations: list[bytes] = []

    def parsed(self, bodies: Iterable[Element]) -> None:
        """More text has been parsed: bodies are the w:body elements begun in it.

        Every child of the body but the last is whole (the parser has begun a later
        one), so those are taken up; the last waits for more text, or for the end.
        """
        for body in bodies:
            self.bodies += 1
            if self.body is None:
                _check_place(body)
                self.body = body
                self.declarations = _declarations(body)
            elif any(ancestor is self.body for ancestor in body.iterancestors(_BODY)):
                self.nested = True  # refused when the block holding it is taken up
        if self.body is None:
            return
        newest = next(self.body.iterchildren(reversed=True), None)  # maybe still being parsed
        whole = newest.getprevious() if newest is not None else None
        if whole is not None and whole is not self.last:  # else taken up already
            self._take_up_to(whole)

    def close(self, root: Element) -> StreamedDocument:
        """The parse is over: finish and write whatever is left."""
        if self.body is not None and len(self.body):
            self._take_up_to(self.body[-1])
        if self.flush is not None and self.waiting:
            self._write(len(self.waiting))
        if self.bodies > 1:
            raise NotOneBody(f"the document has {self.bodies} bodies where Word allows one")
        return StreamedDocument(root, self.body, self.blocks, self.fields)

    def _take_up_to(self, element: Element) -> None:
        """Finish the body's new children, up to element; write those no later block needs."""
        if self.last is None or self.last.getparent() is not self.body:  # none, or written
            child = self.body[0] if len(self.body) else None
        else:
            child = self.last.getnext()
        while child is not None:
            if self.nested and next(child.iter(_BODY), None) is not None:
                raise NotOneBody("the body holds another body")
            following = child.getnext()
            marks = BlockMarks(child)
            self.finish(child, marks)
            if child.getparent() is self.body:  # finishing may remove it (cleaning)
                self.last = child
                self.fields.add_marks(marks.field_chars)
                if self.flush is not None:
                    self.waiting.append(marks)
                    if self.fields.open == 0:
                        self.field_free_cuts.append(len(self.waiting))
            if child is element:
                break
            child = following
        if self.flush is not None:
            self._write(self._ready())

    def _ready(self) -> int:
        """How many waiting blocks can be written: all but the paragraphs a table may yet
        change (its lead-in), up to the last point where no field is open."""
        held = 0
        for marks in reversed(self.waiting[-LEAD_IN_PARAGRAPHS:]):
            if marks.block.tag != _P:
                break
            held += 1
        # Only the last few closing points can lie among the held paragraphs: no rescan of
        # everything waiting, however long a field stays open.
        for count in reversed(self.field_free_cuts):
            if count <= len(self.waiting) - held:
                return count
        return 0

    def _write(self, count: int) -> None:
        """Flush the first count waiting blocks, serialise what is left of them, drop them."""
        if not count:
            return
        marks = self.waiting[:count]
        del self.waiting[:count]
        group = [m.block for m in marks]
        self.field_free_cuts = [cut - count for cut in self.field_free_cuts if cut > count]
        self.flush(group, marks)
        for child in group:
            if child.getparent() is self.body:  # cleaning may have removed it
                data = etree.tostring(child, encoding="UTF-8")
                if isinstance(child.tag, str):  # an element, not a comment or instruction
                    data = _without(data, self.declarations)
                self.blocks.append(data)
                # Emptied first: lxml moves a removed element's subtree into a document of
                # its own node by node (13 s for a table of 3,000 rows); emptied, the nodes
                # are simply freed.
                child.clear()
                self.body.remove(child)


class NotOneBody(ValueError):
    """The rendered document does not have exactly one body, directly in the document."""


def _check_place(body: Element) -> None:
    """Refuse a body that is not the document's own child (a template printed another)."""
    parent = body.getparent()
    if parent is None or parent.getparent() is not None:
        raise NotOneBody("a body inside another element")


def _declarations(body: Element) -> list[bytes]:
    """The namespace declarations in scope at the body, as lxml writes them on a child."""
    said = []
    for prefix, uri in body.nsmap.items():
        value = uri.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        name = f"xmlns:{prefix}" if prefix else "xmlns"
        said.append(f' {name}="{value}"'.encode())
    return said


def _without(data: bytes, declarations: list[bytes]) -> bytes:
    """A serialised child without the declarations lxml repeats from its ancestors.

    lxml writes every namespace in scope on the start tag of an element serialised alone;
    written inside the document, the child had none of them (its ancestors declare them).
    Only the start tag is touched: an attribute's value cannot hold `"` unescaped, so a
    declaration's text cannot be found anywhere but as a declaration.
    """
    end = data.find(b">")
    start_tag = data[:end]
    for declaration in declarations:
        start_tag = start_tag.replace(declaration, b"", 1)
    return start_tag + data[end:]
