"""What is done to each block of the Word plan's body as it is parsed (issue 17).

The plan's body is parsed a block at a time as it is rendered (body_stream.py), so every
finishing step that looks at the body's content runs on one block, and the cleaner takes
out what fetches or runs before the block is written out and dropped.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from pipeline.i18n import current_language
from pipeline.render.chart import alt_text
from pipeline.render.cleaning import BlockCleaner
from pipeline.render.docx_finish import (
    BodyParts,
    block_parts,
    describe_picture,
    repeat_header_rows,
    tag_runs,
)
from pipeline.render.pagination import keep_headings_with_tables, keep_rows_whole, whole_row_limit
from pipeline.view import PlanView

_BOOKMARK, _NAME = qn("w:bookmarkStart"), qn("w:name")


class BodyFinisher:
    """What is done to each block of the plan's body as it is parsed, and what is gathered.

    Each block gets its alt text, header rows and page-break rules (finish); the cleaner
    then takes out what fetches or runs, before the block is written out and dropped
    (flush, body_stream.py). Field codes and the bookmarks that survive cleaning are
    gathered for after the body.
    """

    def __init__(self, docx: Any, view: PlanView, png: bytes) -> None:
        self.docx = docx
        self.png = png
        self.alt = alt_text(view, view.section_word) if png else ""
        self.limit = whole_row_limit(docx)  # from the template's sections, before rendering
        self.welsh = current_language() != "en"
        self.seen = BodyParts()
        part = docx.part
        # Links the rendering adds (a picture) are made before the block holding them is parsed.
        self.cleaner = BlockCleaner(
            str(part.partname).lstrip("/"),
            lambda: [(r.rId, r.reltype, r.target_ref, r.is_external) for r in part.rels.values()],
        )

    def finish(self, block: Any) -> None:
        """Everything the plan's finishing does to one block of the body, in the old order."""
        docx, parts = self.docx, block_parts(block)
        if self.welsh:
            tag_runs(block)
        if self.png:
            describe_picture(docx, self.png, self.alt, parts)
        repeat_header_rows(docx, parts)
        keep_rows_whole(docx, parts, self.limit)
        keep_headings_with_tables(docx, parts)
        self.seen.instructions += parts.instructions

    def flush(self, blocks: list[Any]) -> None:
        """Clean finished blocks, then note the bookmarks left in them, just before they go.

        Counted after cleaning: a template can make cleaning drop a whole table (an element
        pointing at a removed link), and its actions must then be missing from the count.
        """
        parents = [block.getparent() for block in blocks]
        self.cleaner.clean(blocks)
        for block, parent in zip(blocks, parents, strict=True):
            if block.getparent() is parent:
                self.seen.bookmarks += [mark.get(_NAME, "") for mark in block.iter(_BOOKMARK)]
