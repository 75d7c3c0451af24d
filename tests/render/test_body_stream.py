"""The body parsed a block at a time (issue 17): the same part as a whole parse, in little memory."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.render.body_stream import NotOneBody, stream_document
from pipeline.render.pagination import LEAD_IN_PARAGRAPHS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BEGIN = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r></w:p>'
END = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
BLOCKS = (
    "<w:p/>",
    '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Gwasanaethau – “£5” &amp; ü</w:t></w:r></w:p>',
    '<w:tbl><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>',
    '<w:bookmarkStart w:id="1" w:name="x"/>',
    '<w:p xmlns:x="urn:local"><w:r x:a="&quot;1&quot; &gt; 0"><w:t>local</w:t></w:r></w:p>',
    "<w:sdt><w:sdtContent><w:p><w:r><w:t>in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    BEGIN,
    END,
    '<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>',
    # Text a namespace declaration's bytes could be cut from: must come out as it went in.
    f'<?x ? xmlns:w="{W}"><w:p><w:r><w:t>inert</w:t></w:r></w:p><?y ?>',
    f'<!--a- xmlns:w="{W}"-b-->',
)


def _document(body: str) -> str:
    return (
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:background w:color="FFFFFF"/>'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )


def _whole(text: str) -> bytes:
    """The part as python-docx writes it once parsed whole (blank text dropped)."""
    root = etree.fromstring(text.encode(), etree.XMLParser(remove_blank_text=True))
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _name(element) -> str:
    """An element's local name, or what kind of node it is (a comment, an instruction)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else str(element.tag)


def _pieces(text: str, size: int):
    return (text[i : i + size] for i in range(0, len(text), size))


def _open_after(blocks) -> int:
    depth = 0
    for block in blocks:
        for mark in block.iter(f"{{{W}}}fldChar"):
            kind = mark.get(f"{{{W}}}fldCharType")
            depth = depth + 1 if kind == "begin" else max(0, depth - (kind == "end"))
    return depth


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(BLOCKS), max_size=40),
    st.integers(min_value=1, max_value=60),
)
def test_streamed_part_is_the_whole_parse_byte_for_byte(blocks, size):
    """Whatever the blocks and however the text arrives, the part written is the same."""
    text = _document("".join(blocks))
    finished: list[str] = []

    def flush(group, marks):
        assert _open_after(group) == 0 or group[-1].getnext() is None, "a field was cut"

    streamed = stream_document(
        _pieces(text, size), lambda block, marks: finished.append(_name(block)), flush
    )
    assert streamed.serialise() == _whole(text)
    expected = [_name(e) for e in etree.fromstring(text.encode())[1]]
    assert finished == expected, "every child of the body finished once, in order"
    assert len(streamed.body) == 0, "every block was written and dropped"


def test_only_a_few_blocks_are_held_at_once():
    """1,000 paragraphs and tables: the body never holds more than a table and its lead-in.

    Fed a block at a time, so the parser has nothing more to read ahead (it reads ahead
    as far as the text it is given, _CHUNK characters at most).
    """
    blocks = [BLOCKS[1]] * 3 + [BLOCKS[2]]
    text = _document("|".join(blocks * 250))
    held: list[int] = []
    streamed = stream_document(
        text.split("|"),
        lambda block, marks: held.append(len(block.getparent())),
        lambda g, marks: None,
    )
    assert max(held) <= LEAD_IN_PARAGRAPHS + 1
    assert streamed.serialise() == _whole(text.replace("|", ""))
    assert streamed.serialise() == _whole(text.replace("|", "")), "the same when asked again"


def test_paragraphs_a_table_may_change_are_still_there_when_it_comes():
    """finish(table) can reach back four paragraphs (keep_headings_with_tables)."""
    text = _document(BLOCKS[0] * 9 + BLOCKS[2])
    reached: list[int] = []

    def finish(block, marks):
        if block.tag == f"{{{W}}}tbl":
            reached.append(len(list(block.itersiblings(preceding=True))))

    stream_document(_pieces(text, 50), finish, lambda g, marks: None)
    assert reached == [LEAD_IN_PARAGRAPHS]


def test_an_open_field_keeps_its_blocks_together_until_it_ends():
    text = _document(BEGIN + BLOCKS[1] * 20 + BLOCKS[2] + END + BLOCKS[2] + BLOCKS[1] * 6)
    groups: list[list[str]] = []
    stream_document(
        _pieces(text, 100),
        lambda block, marks: None,
        lambda group, marks: groups.append([_name(b) for b in group]),
    )
    assert groups[0] == ["p"] * 21 + ["tbl", "p", "tbl"], "from begin to end, then a table"
    assert [tag for group in groups[1:] for tag in group] == ["p"] * 6 + ["sectPr"]


def test_without_a_flush_the_whole_tree_is_kept():
    text = _document("".join(BLOCKS))
    streamed = stream_document([text], lambda block, marks: None)
    assert len(streamed.body) == len(BLOCKS) + 1
    assert streamed.serialise() == _whole(text)


@pytest.mark.parametrize(
    "document",
    [
        _document("<w:p/></w:body><w:body><w:p/>"),  # a second body after the first
        _document("<w:p/><w:body><w:p/></w:body>"),  # a body inside the body
        _document("<w:sdt><w:sdtContent><w:body/></w:sdtContent></w:sdt>"),
    ],
)
def test_a_document_with_other_than_one_body_is_refused(document):
    """A template printing body tags with |safe: cleaning and counting read one body only."""
    with pytest.raises(NotOneBody):
        stream_document([document], lambda block, marks: None, lambda group, marks: None)


def test_a_block_finishing_removes_is_not_written_and_the_next_still_comes():
    """Cleaning may take a whole block out as soon as it is whole (a link it removes)."""
    text = _document("".join(BLOCKS[:6]) * 3)
    seen: list[str] = []

    def finish(block, marks):
        seen.append(_name(block))
        if _name(block) == "tbl":
            block.getparent().remove(block)

    streamed = stream_document(_pieces(text, 40), finish, lambda group, marks: None)
    expected = etree.fromstring(text.encode())
    assert seen == [_name(e) for e in expected[1]]
    for table in expected[1].findall(f"{{{W}}}tbl"):
        table.getparent().remove(table)
    assert streamed.serialise() == etree.tostring(expected, encoding="UTF-8", standalone=True)


def test_streamed_blocks_are_plain_and_a_kept_tree_has_python_docx_classes():
    """With a flush, blocks are plain lxml elements (cheaper to visit: issue 17); a kept
    tree (the cover report) keeps python-docx's classes, whose API is read afterwards."""
    from docx.oxml.document import CT_Document
    from docx.oxml.text.paragraph import CT_P

    text = _document("".join(BLOCKS))
    kinds = []
    stream_document(
        [text], lambda block, marks: kinds.append(type(block)), lambda group, marks: None
    )
    assert kinds and all(
        kind in (etree._Element, etree._Comment, etree._ProcessingInstruction) for kind in kinds
    )
    kept = stream_document([text], lambda block, marks: None)
    assert isinstance(kept.root, CT_Document)
    assert isinstance(kept.body[0], CT_P)
    assert kept.root.body is kept.body  # python-docx's own property
