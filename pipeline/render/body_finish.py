"""What is done to each block of the Word plan's body as it is parsed (issue 17).

The plan's body is parsed a block at a time as it is rendered (body_stream.py), so every
finishing step that looks at the body's content runs on one block, and the cleaner takes
out what fetches or runs before the block is written out and dropped.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from pipeline.i18n import current_language
from pipeline.render.block_marks import BlockMarks
from pipeline.render.chart import alt_text
from pipeline.render.cleaning import BlockCleaner
from pipeline.render.docx_finish import (
    describe_picture,
    tag_runs,
)
from pipeline.render.pagination import keep_headings_with_tables, keep_rows_whole, whole_row_limit
from pipeline.view import PlanView

_NAME = qn("w:name")


class BodyFinisher:
    """What is done to each block of the plan's body as it is parsed, and what is gathered.

    As soon as a block is whole (finish), the cleaner takes out what refers to removed
    links and the elements it removes, since that can move where a field begins or ends;
    then the block gets its alt text and page-break rules (header rows are marked in the
    template, docx_finish.mark_header_rows). Once no later
    block needs it (flush), risky fields are disarmed and the bookmarks left are noted,
    just before the block is written out and dropped (body_stream.py). The field codes
    and bookmarks are kept for after the body.

    The page height rows are measured against comes from the template's sections, before
    the body is rendered: a template that loops over section breaks (never the shipped
    ones) may page rows by its own first sections rather than all the rendered ones.
    """

    def __init__(self, docx: Any, view: PlanView, chart: bytes) -> None:
        """chart: the chart picture's bytes as placed in the document (chart_slot.py: the
        blank standing in for it), found by them to be described; b"" without a chart."""
        self.docx = docx
        self.chart = chart
        self.alt = alt_text(view, view.section_word) if chart else ""
        self.limit = whole_row_limit(docx)
        self.welsh = current_language() != "en"
        self.instructions: list[str] = []  # every field code in the body
        self.bookmarks: list[str] = []  # every bookmark name left after cleaning
        part = docx.part
        self.cleaner = BlockCleaner(str(part.partname).lstrip("/"), part.rels)

    def finish(self, block: Any, marks: BlockMarks) -> None:
        """Everything the plan's finishing does to one block of the body, once it is whole."""
        if not self.cleaner.take_out(block, marks):
            return  # the block itself pointed at a removed link
        docx, parts = self.docx, marks.parts()
        if self.welsh:
            tag_runs(block)
        if self.chart:
            describe_picture(docx, self.chart, self.alt, parts)
        keep_rows_whole(docx, parts, self.limit)
        keep_headings_with_tables(docx, parts)
        self.instructions += parts.instructions

    def flush(self, blocks: list[Any], marks: list[BlockMarks]) -> None:
        """Disarm the risky fields in blocks, then note the bookmarks left in them.

        Counted after cleaning: a template can make cleaning drop a whole table (an element
        pointing at a removed link), and its actions must then be missing from the count.
        """
        self.cleaner.disarm(blocks, marks)
        self.bookmarks += [mark.get(_NAME, "") for m in marks for mark in m.bookmarks]
