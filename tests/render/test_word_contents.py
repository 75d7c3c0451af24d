"""The Word plan's contents list: Word is asked to fill in page numbers on opening (issue 14).

Only a program that lays out the pages knows them, so the prefilled list
names each heading without a number, and settings.xml asks Word to update
the fields when the plan is opened (Word asks the reader first).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.build import build
from tests.conftest import EXAMPLE
from tests.render.helpers import headings

TEMPLATE = Path("templates/action-plan-rag.docx")


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    result = build(EXAMPLE, tmp_path_factory.mktemp("contents"))
    assert result.docx is not None, result.report.to_text()
    return result.docx


def _settings(path: Path):
    return docx.Document(str(path)).settings.element


def _template(tmp_path: Path, *, keep_contents: bool) -> Path:
    """The default template without its own updateFields, with or without its contents field."""
    template = tmp_path / "own.docx"
    shutil.copy(TEMPLATE, template)
    document = docx.Document(str(template))
    for update in document.settings.element.findall(qn("w:updateFields")):
        update.getparent().remove(update)
    if not keep_contents:
        for text in document.element.body.iter(qn("w:instrText")):
            if text.text.strip().startswith("TOC"):
                text.text = ""
    document.save(template)
    return template


def test_word_updates_fields_on_opening(plan):
    settings = _settings(plan)
    updates = settings.findall(qn("w:updateFields"))
    assert [u.get(qn("w:val")) for u in updates] == ["true"]
    order = [child.tag for child in settings]
    # CT_Settings order: updateFields comes before compat, rsids and the rest.
    assert order.index(qn("w:updateFields")) < order.index(qn("w:compat"))


def test_a_template_without_the_setting_still_gets_it(tmp_path):
    result = build(EXAMPLE, tmp_path / "out", template=_template(tmp_path, keep_contents=True))
    assert _settings(result.docx).find(qn("w:updateFields")) is not None


def test_a_template_without_a_contents_list_never_prompts(tmp_path):
    result = build(EXAMPLE, tmp_path / "out", template=_template(tmp_path, keep_contents=False))
    assert _settings(result.docx).find(qn("w:updateFields")) is None


def test_prefilled_contents_names_each_heading_and_claims_no_page_number(plan):
    document = docx.Document(str(plan))
    entries = [p for p in document.paragraphs if p.style.name == "TOC 1" and p.text]
    assert [p.text for p in entries] == headings(plan, 1)
    for entry in entries:
        assert entry._p.find(f".//{qn('w:tab')}") is None, "a tab before a page number"
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert not [i for i in instructions if "PAGEREF" in i.upper()]
