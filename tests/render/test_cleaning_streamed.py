"""A part cleaned block by block as it is parsed (the plan's body) is as clean as one cleaned whole."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import pytest
from lxml import etree

from pipeline.render import cleaning
from pipeline.render.body_stream import stream_document
from pipeline.render.cleaning import BlockCleaner, CleaningFailed, clean_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/xml"/></Types>'
)
SAFE = '<w:p><w:r><w:t xml:space="preserve">{{ a.ref }} &amp; 1</w:t></w:r></w:p>'
DDE = '<w:p><w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/c calc&quot; ">'
DDE += "<w:r><w:t>old result</w:t></w:r></w:fldSimple></w:p>"
#: A field whose begin and end are four paragraphs apart: cleaning must see it whole.
SPANNING = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "c:\\\\secret.docx" </w:instrText></w:r></w:p>'
    "<w:p><w:r><w:t>shown</w:t></w:r></w:p><w:p/>"
    '<w:p><w:r><w:fldChar w:fldCharType="separate"/></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
CHUNK_TYPE = f"{REL}/aFChunk"
LINK_TYPE = f"{REL}/hyperlink"


def _document(body: str) -> str:
    return (
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )


def _streamed(body: str, cleaner: BlockCleaner, groups: list | None = None) -> bytes:
    """The part as written after streaming it through the cleaner, a few characters at a time."""
    text = _document(body)

    def flush(blocks, marks):
        if groups is not None:
            groups.append([etree.tostring(block) for block in blocks])
        cleaner.disarm(blocks, marks)

    # As the plan is made: elements taken out as each block is whole, fields disarmed by group.
    pieces = (text[i : i + 7] for i in range(0, len(text), 7))
    streamed = stream_document(pieces, cleaner.take_out, flush)
    cleaner.clean([streamed.root])
    return streamed.serialise()


def _package(document: bytes, rels: list[tuple[str, str, str, bool]] = ()) -> bytes:
    relationships = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for i, t, target, external in rels
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", TYPES)
        package.writestr("word/document.xml", document)
        package.writestr(
            "word/_rels/document.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{relationships}</Relationships>",
        )
    return buffer.getvalue()


def _parses(monkeypatch) -> list[bytes]:
    seen: list[bytes] = []
    original = cleaning.etree.fromstring
    monkeypatch.setattr(
        cleaning.etree, "fromstring", lambda data, *a: seen.append(data) or original(data, *a)
    )
    return seen


def _links(rels) -> dict[str, SimpleNamespace]:
    """rels, (id, type, target, external) each, as python-docx describes links."""
    return {
        rel_id: SimpleNamespace(reltype=kind, target_ref=target, is_external=external)
        for rel_id, kind, target, external in rels
    }


def _cleaner(rels=()) -> BlockCleaner:
    """A cleaner of the body whose links are rels."""
    return BlockCleaner("word/document.xml", _links(rels))


def test_a_clean_streamed_part_is_not_parsed_again(monkeypatch):
    cleaner = _cleaner()
    data = _package(_streamed(SAFE, cleaner))
    parses = _parses(monkeypatch)
    assert clean_docx(data, cleaner) == (data, [])
    assert not [p for p in parses if b"w:document" in p]
    assert [p for p in parses if b"<Types" in p]  # the other parts still are


def test_a_hazard_found_while_streaming_is_gone_and_the_result_walked_again(monkeypatch):
    """Walked again a block at a time, as it was cleaned: never parsed whole."""
    cleaner = _cleaner()
    data = _package(_streamed(SAFE + DDE, cleaner))
    parses = _parses(monkeypatch)
    cleaned, removed = clean_docx(data, cleaner)
    assert [h.what for h in removed] == ["DDEAUTO field"]
    assert not [p for p in parses if b"w:document" in p]
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        document = package.read("word/document.xml")
    assert b"DDEAUTO" not in document and b"old result" in document
    assert b"{{ a.ref }} &amp; 1" in document


def test_the_second_walk_finds_what_streaming_left_in_its_part():
    """Had a block escaped cleaning, the walk of the streamed part would refuse the result."""
    rels = [("rId4", LINK_TYPE, "file://server/x", True)]
    document = _streamed(SAFE, cleaner := _cleaner(rels))  # clean: never saw the DDE field below
    data = _package(document.replace(b"</w:body>", DDE.encode() + b"</w:body>"), rels)
    with pytest.raises(CleaningFailed, match="DDEAUTO field in word/document"):
        clean_docx(data, cleaner)


def _whats(hazards) -> list[str]:
    return sorted(h.what for h in hazards)


def test_streamed_and_whole_cleaning_find_the_same_hazards():
    rels = [("rIdWeb", LINK_TYPE, "file://server/share/x.docx", True)]
    body = (
        SAFE
        + DDE
        + SPANNING
        + '<w:p><w:hyperlink r:id="rIdWeb"><w:r><w:t>x</w:t></w:r></w:hyperlink></w:p>'
    )
    whole = _package(_document(body).encode(), rels)
    cleaner = _cleaner(rels)
    streamed = _package(_streamed(body, cleaner), rels)
    assert _whats(clean_docx(streamed, cleaner)[1]) == _whats(clean_docx(whole)[1])
    assert _whats(clean_docx(whole)[1]) == ["DDEAUTO field", "INCLUDETEXT field", "a hyperlink"]


def test_a_field_whose_end_cleaning_removes_is_read_as_cleaning_leaves_it():
    """Its end sits in a run pointing at a removed link: once that run is gone the field runs
    on past a table into the next paragraph, round a QUOTE field that builds its instruction
    (a table lets the blocks before it be written, unless a field is open)."""
    rels = [("rIdOut", f"{REL}/image", "http://tracker.example/p.png", True)]
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r r:id="rIdOut"><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText> QUOTE "INCLUDETEXT c:\\\\x.docx" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    whole = _package(_document(body).encode(), rels)
    cleaner = _cleaner(rels)
    streamed = _package(_streamed(body, cleaner), rels)
    found = _whats(clean_docx(streamed, cleaner)[1])
    assert found == _whats(clean_docx(whole)[1])
    assert "a field named by a field" in found


def test_a_field_across_paragraphs_is_cleaned_as_one():
    groups: list = []
    cleaner = _cleaner()
    document = _streamed(SAFE + SPANNING + SAFE, cleaner, groups)
    assert [h.what for h in cleaner.removed] == ["INCLUDETEXT field"]
    assert b"secret" not in document and b"shown" in document
    spanning = [g for g in groups if any(b"begin" in block for block in g)]
    assert len(spanning) == 1 and any(b'"end"' in block for block in spanning[0])


def test_a_field_never_ended_is_still_cleaned_at_the_end():
    cleaner = _cleaner()
    opened = SPANNING.rsplit("<w:p><w:r><w:fldChar", 1)[0]
    document = _streamed(opened + SAFE * 3, cleaner)
    assert b"secret" not in document
    assert [h.what for h in cleaner.removed] == ["INCLUDETEXT field"]


def test_a_link_made_while_rendering_is_taken_from_the_blocks_after_it():
    cleaner = _cleaner()
    cleaner.clean([etree.fromstring(f'<w:p xmlns:w="{W}"/>')])  # before the link exists
    rels = [("rId9", LINK_TYPE, "file://server/share/x.docx", True)]
    cleaner.links.update(_links(rels))
    body = '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>our policy</w:t></w:r></w:hyperlink></w:p>'
    document = _streamed(body, cleaner)
    assert b"rId9" not in document and b"our policy" in document
    data = _package(document, rels)
    cleaned, removed = clean_docx(data, cleaner)
    assert [h.what for h in removed] == ["a hyperlink"]
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        assert b"file://" not in package.read("word/_rels/document.xml.rels")


def test_a_block_cleaning_removes_is_not_written():
    rels = [("rId3", CHUNK_TYPE, "chunk.htm", False)]
    cleaner = _cleaner(rels)
    document = _streamed(SAFE + '<w:altChunk r:id="rId3"/>' + SAFE, cleaner)
    assert b"altChunk" not in document and document.count(b"a.ref") == 2
    _, removed = clean_docx(_package(document, rels), cleaner)
    assert [h.what for h in removed] == ["an embedded chunk"]


def test_links_that_differ_from_the_streamed_cleaners_fail_closed():
    cleaner = _cleaner()  # knew of no link to remove
    rels = [("rId4", LINK_TYPE, "file://server/x", True)]
    data = _package(_streamed(SAFE, cleaner), rels)
    with pytest.raises(CleaningFailed, match=r"links of word/document\.xml"):
        clean_docx(data, cleaner)


def test_a_field_cut_by_the_end_of_the_body_is_still_disarmed():
    """Its begin is streamed with the body, its instruction comes after it (what is left)."""
    cleaner = _cleaner()
    text = (
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{SAFE}'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r></w:p></w:body>'
        '<w:p><w:r><w:instrText> INCLUDETEXT "c:\\\\secret.docx" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:document>'
    )
    streamed = stream_document([text], lambda block, marks: None, lambda b, m: cleaner.clean(b))
    cleaner.clean([streamed.root])
    assert b"secret" not in streamed.serialise()
    assert [h.what for h in cleaner.removed] == ["INCLUDETEXT field"]


def test_the_plans_links_are_read_again_as_rendering_adds_them():
    """The body's cleaner sees a link added after its first block (the chart's, or a
    template's attached file), and judges each link once."""
    from docx import Document

    document = Document()
    part = document.part
    cleaner = BlockCleaner("word/document.xml", part.rels)
    assert cleaner.take_out(_block("<w:p><w:r><w:t>first</w:t></w:r></w:p>"))
    assert set(cleaner.judged) == set(part.rels) and not cleaner.ids
    rel_id = part.relate_to("file:///c:/secret.docx", CHUNK_TYPE, is_external=True)
    block = _block(f'<w:p><w:altChunk r:id="{rel_id}"/><w:r><w:t>kept</w:t></w:r></w:p>')
    assert cleaner.take_out(block)
    assert cleaner.ids == {rel_id}
    assert b"altChunk" not in etree.tostring(block) and b"kept" in etree.tostring(block)


def test_each_link_is_judged_once():
    """python-docx works out a link's target on every call: the cleaner asks once per link."""
    asked = []

    class Counted(SimpleNamespace):
        @property
        def target_ref(self):
            asked.append(self.rel_id)
            return "file:///c:/secret.docx"

    links = {"rId9": Counted(rel_id="rId9", reltype=CHUNK_TYPE, is_external=True)}
    cleaner = BlockCleaner("word/document.xml", links)
    for _ in range(3):
        cleaner.take_out(_block("<w:p/>"))
    assert asked == ["rId9"] and cleaner.ids == {"rId9"}


def test_an_id_given_to_another_link_is_judged_again():
    """python-docx gives a new link the lowest id free: a dropped link's id may come back."""
    from docx import Document

    part = Document().part
    cleaner = BlockCleaner("word/document.xml", part.rels)
    rel_id = part.relate_to("https://example.org/a", LINK_TYPE, is_external=True)
    cleaner.take_out(_block("<w:p/>"))
    assert rel_id not in cleaner.ids  # a plain web address's hyperlink stays
    part.drop_rel(rel_id)
    again = part.relate_to("file:///c:/secret.docx", CHUNK_TYPE, is_external=True)
    assert again == rel_id
    cleaner.take_out(_block("<w:p/>"))
    assert rel_id in cleaner.ids


def _block(xml: str) -> etree._Element:
    """xml as a block of a body (take_out expects a parent)."""
    return etree.fromstring(_document(xml).encode()).find(f"{{{W}}}body")[0]
