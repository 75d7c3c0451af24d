"""One walk over a block finds what each finishing step's own walk found (issue 17)."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.render.block_marks import BlockMarks
from pipeline.render.docx_finish import block_parts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
NESTED = (
    '<w:tbl><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:tr><w:tc>'
    '<w:bookmarkStart w:id="1" w:name="_eqA1"/><w:p><w:r><w:t>outer</w:t></w:r></w:p>'
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    "<w:r><w:instrText> PAGEREF x </w:instrText></w:r>"
    "<w:r><w:delInstrText> INCLUDETEXT y </w:delInstrText></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:tc></w:tr></w:tbl>'
    '<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'
    '</w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:drawing><wp:inline><wp:docPr id="9"/>'
    "</wp:inline></w:drawing></w:r><w:r><w:pict><v:shape><v:imagedata/></v:shape></w:pict>"
    "</w:r></w:p></w:tc></w:tr></w:tbl>"
)
BLOCKS = [
    "<w:p/>",
    NESTED,
    '<w:p><w:r><w:t>a</w:t></w:r><w:bookmarkStart w:id="2" w:name="b"/></w:p>',
    "<w:sdt><w:sdtContent><w:mailMerge/><w:altChunk/></w:sdtContent></w:sdt>",
]


def _block(xml: str) -> etree._Element:
    body = etree.fromstring(f'<w:body xmlns:w="{W}" xmlns:wp="{WP}" xmlns:v="{V}">{xml}</w:body>')
    return body[0]


@pytest.mark.parametrize("xml", BLOCKS)
def test_each_list_is_what_its_own_walk_finds_in_order(xml):
    block = _block(xml)
    marks = BlockMarks(block)
    found = {
        "tables": list(block.iter(f"{{{W}}}tbl")),
        "rows": list(block.iter(f"{{{W}}}tr")),
        "bookmarks": list(block.iter(f"{{{W}}}bookmarkStart")),
        "doc_prs": list(block.iter(f"{{{WP}}}docPr")),
        "pictures": list(block.iter(f"{{{WP}}}inline")),
        "fields": list(
            block.iter(
                *(f"{{{W}}}{t}" for t in ("fldChar", "fldSimple", "instrText", "delInstrText"))
            )
        ),
        "hazards": list(
            block.iter(
                f"{{{W}}}mailMerge",
                f"{{{W}}}altChunk",
                f"{{{V}}}*",
                "{urn:schemas-microsoft-com:office:office}*",
            )
        ),
    }
    for name, elements in found.items():
        assert getattr(marks, name) == elements, name
    assert marks.field_chars == list(block.iter(f"{{{W}}}fldChar"))
    assert marks.parts() == block_parts(block)


def test_the_nested_table_block_finds_everything_once():
    """A hand count of NESTED, so the comparison above cannot pass on two empty lists."""
    marks = BlockMarks(_block(NESTED))
    assert (len(marks.tables), len(marks.rows), len(marks.bookmarks)) == (2, 3, 1)
    assert (len(marks.doc_prs), len(marks.pictures), len(marks.hazards)) == (1, 1, 2)
    assert marks.parts().instructions == [" PAGEREF x ", " PAGE "], "deleted text is no code"


def test_refresh_forgets_what_was_taken_out():
    block = _block(NESTED)
    marks = BlockMarks(block)
    inner = marks.tables[1]
    inner.getparent().remove(inner)
    marks.refresh()
    assert len(marks.tables) == 1 and len(marks.rows) == 2
    assert marks.field_chars == [] and marks.parts().instructions == [" PAGE "]
