"""`--language both`: each document says its own language's words, and only its own checks.

Found by reading the built documents as a councillor would: the Welsh plan's title (as Word,
the PDF title bar and screen readers announce it), its chart's title and its source caption
were English, and the English plan's appendix listed the checks of the Welsh text.
"""

from __future__ import annotations

import re

import docx
import pytest

from pipeline.build import build
from tests.conftest import EXAMPLE
from tests.render.helpers import all_text

WELSH_TITLE = "Cynllun Gweithredu Cydraddoldeb, Amrywiaeth a Chynhwysiant 2026 i 2029"
ENGLISH_TITLE = "Equality, Diversity and Inclusion Action Plan 2026 to 2029"


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("both")
    result = build(EXAMPLE, out, language="both", include_checks=True)
    assert result.report.valid
    return out


def test_each_plan_is_titled_in_its_own_language(both):
    welsh = docx.Document(both / "example-plan-cy.docx").core_properties
    english = docx.Document(both / "example-plan-en.docx").core_properties
    assert (welsh.title, english.title) == (WELSH_TITLE, ENGLISH_TITLE)
    assert "cynllun gweithredu cydraddoldeb (EFLG 2021)" in welsh.subject
    assert "equality action plan (EFLG 2021)" in english.subject
    assert welsh.keywords.startswith("cydraddoldeb; cynllun gweithredu; ")


def test_the_chart_is_titled_in_the_plans_language(both):
    def titles(name: str) -> list[str]:
        body = docx.Document(both / name).element.body
        return [p.get("title") for p in body.iter(docx.oxml.ns.qn("wp:docPr"))]

    assert titles("example-plan-cy.docx") == ["Camau gweithredu yn ôl sgôr RAG"]
    assert titles("example-plan-en.docx") == ["Actions by RAG rating"]


def test_the_source_caption_is_welsh_in_the_welsh_plan(both):
    welsh, english = (
        all_text(both / "example-plan-cy.docx"),
        all_text(both / "example-plan-en.docx"),
    )
    assert "cyhoeddwyd 1 Tachwedd 2021" in welsh and "published 1 November 2021" not in welsh
    assert "published 1 November 2021" in english


def test_the_checks_of_the_welsh_text_are_in_the_welsh_plan_only(both, tmp_path):
    welsh, english = (
        all_text(both / "example-plan-cy.docx"),
        all_text(both / "example-plan-en.docx"),
    )
    assert "Testun Cymraeg ar goll" in welsh and "Testun y fframwaith heb fod yn Gymraeg" in welsh
    for title in ("Welsh text missing", "Framework text not in Welsh"):
        assert title not in english, title
    alone = build(EXAMPLE, tmp_path, include_checks=True)
    assert alone.report.valid
    assert all_text(tmp_path / "example-plan.docx") == english  # as an English-only build
    # the shortened lists are Welsh in the Welsh plan: "... a 14 arall", not "and 14 more"
    assert not re.search(r"and [\d,]+ more", welsh) and re.search(r" a [\d,]+ arall", welsh)
