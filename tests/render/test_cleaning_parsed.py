"""Cleaning walks the rendered document's own tree instead of parsing a second copy, just as strictly."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from pipeline.render import cleaning
from pipeline.render.cleaning import clean_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
SAFE = '<w:r><w:t xml:space="preserve">{{ a.ref }} &amp; 1</w:t></w:r>'
DDE = '<w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/c calc&quot; ">'
DDE += "<w:r><w:t>old result</w:t></w:r></w:fldSimple>"


def _docx(body: str) -> tuple[bytes, etree._Element]:
    document = f'<w:document xmlns:w="{W}"><w:body><w:p>{body}</w:p></w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", TYPES)
        package.writestr("word/document.xml", document)
    return buffer.getvalue(), etree.fromstring(document.encode())


def _parses(monkeypatch) -> list[bytes]:
    seen: list[bytes] = []
    original = cleaning.etree.fromstring
    monkeypatch.setattr(
        cleaning.etree, "fromstring", lambda data, *a: seen.append(data) or original(data, *a)
    )
    return seen


def test_a_clean_document_given_as_a_tree_is_not_parsed_again(monkeypatch):
    data, root = _docx(SAFE)
    parses = _parses(monkeypatch)
    assert clean_docx(data, {"word/document.xml": root}) == (data, [])
    assert not [p for p in parses if b"w:document" in p]
    assert [p for p in parses if b"<Types" in p]  # the other parts still are


def test_a_hazard_in_the_tree_is_removed_and_the_result_walked_again_in_full(monkeypatch):
    data, root = _docx(SAFE + DDE)
    parses = _parses(monkeypatch)
    cleaned, removed = clean_docx(data, {"word/document.xml": root})
    assert [h.what for h in removed] == ["DDEAUTO field"]
    assert len([p for p in parses if b"w:document" in p]) == 1  # the second walk, from bytes
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        document = package.read("word/document.xml")
        assert package.read("[Content_Types].xml") == TYPES.encode()
    assert b"DDEAUTO" not in document
    assert b"{{ a.ref }} &amp; 1" in document
    assert cleaning.find_hazards({"word/document.xml": document}) == []


def test_the_same_hazards_are_found_with_and_without_the_tree():
    data, root = _docx(SAFE + DDE)
    from_bytes = clean_docx(data)
    from_tree = clean_docx(data, {"word/document.xml": root})
    assert from_tree == from_bytes
