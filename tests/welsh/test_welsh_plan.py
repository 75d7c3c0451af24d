"""The example plan built in Welsh, in English and as a pair (issue 15): fixed text and tags."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.cli import cli
from tests.conftest import EXAMPLE, ROOT
from tests.welsh.texts import council_texts

FRAMEWORK = ROOT / "pipeline" / "frameworks" / "eflg-2021.yaml"
W_LANG = qn("w:lang")


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> dict[str, Path]:
    """The example built with --language both: {'cy': plan, 'en': plan, 'output': what it said}."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("both")
    result = CliRunner().invoke(
        cli, ["build", str(EXAMPLE), "-o", str(out), "--language", "both", "--html"]
    )
    assert result.exit_code == 0, result.output
    return {
        "cy": out / "example-plan-cy.docx",
        "en": out / "example-plan-en.docx",
        "cy_html": out / "example-plan-cy.html",
        "en_html": out / "example-plan-en.html",
        "output": result.output,
        "folder": out,
    }


def _pieces(path: Path) -> set[str]:
    """Every paragraph of the body, its tables (nested too), headers and footers, as printed."""
    document = docx.Document(str(path))
    found: set[str] = set()

    def walk(container) -> None:
        for paragraph in container.paragraphs:
            found.add(" ".join(paragraph.text.replace("\u00a0", " ").split()))
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        walk(section.footer)
        walk(section.header)
    return found


def _officer_and_framework_text() -> set[str]:
    """Every text the council or the framework wrote (cells, lines of cells, framework strings)."""
    return council_texts([EXAMPLE], FRAMEWORK)


def _is_council_text(piece: str, council: set[str]) -> bool:
    """True for text the council or framework wrote, or made only of numbers, refs and marks."""
    piece = re.sub(r"^\d+(\.\d+)*\.? ", "", piece)  # `1. Leadership`: a number and a title
    if not re.search(r"[A-Za-z]{2}", piece) or piece in council:
        return True
    parts = re.split(r"; |: | - | \(|\)$", piece)

    def known(part: str) -> bool:
        part = re.sub(r"^\d+(\.\d+)*\.? ", "", part.strip())
        if not re.search(r"[A-Za-z]{3}", part) or part in council:
            return True
        return all(not re.search(r"[A-Za-z]{3}", p) or p in council for p in part.split(", "))

    return all(known(p) for p in parts if p)


def test_both_writes_the_welsh_plan_first_then_the_english(pair):
    output = pair["output"]
    assert output.index("example-plan-cy.docx") < output.index("example-plan-en.docx")
    assert pair["cy"].is_file() and pair["en"].is_file()
    assert not (pair["folder"] / "example-plan.docx").exists()


def test_the_welsh_plan_prints_no_english_fixed_text(pair):
    """Text found in both plans must be the council's own words (or numbers): fixed text differs."""
    council = _officer_and_framework_text()
    welsh, english = _pieces(pair["cy"]), _pieces(pair["en"])
    english_fixed = {p for p in english if not _is_council_text(p, council)}
    assert len(english_fixed) > 80  # headings, table headers, notes: the comparison has teeth
    assert not english_fixed & welsh, sorted(english_fixed & welsh)
    for expected in ("Rheoli'r ddogfen", "Crynodeb o'r cynnydd", "Coch", "Cwblhawyd", "Cyfanswm"):
        assert expected in welsh


def test_welsh_dates_come_from_cldr(pair):
    welsh = _pieces(pair["cy"])
    assert "Sefyllfa ar 30 Tachwedd 2026" in welsh
    assert "Cyfnod: 1 Ebrill 2026 i 31 Mawrth 2029" in welsh


def _xml(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part)


def test_every_run_of_the_welsh_plan_is_tagged_cy_gb_or_as_english(pair):
    """Every run names its language: Welsh, or English where the plan prints English for want
    of Welsh (test_welsh_language_of_parts.py)."""
    document = docx.Document(str(pair["cy"]))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{W_LANG}").get(qn("w:val")) == "cy-GB"
    assert document.core_properties.language == "cy-GB"
    runs = list(document.element.body.iter(qn("w:r")))
    assert len(runs) > 500
    untagged = [r for r in runs if r.find(f"{qn('w:rPr')}/{W_LANG}") is None]
    assert not untagged
    tags = [r.find(f"{qn('w:rPr')}/{W_LANG}").get(qn("w:val")) for r in runs]
    assert set(tags) == {"cy-GB", "en-GB"}
    assert tags.count("cy-GB") > tags.count("en-GB")
    assert b"en-GB" not in _xml(pair["cy"], "word/styles.xml")
    assert b'<w:themeFontLang w:val="cy-GB"' in _xml(pair["cy"], "word/settings.xml")
    for section in document.sections:
        for run in section.footer._element.iter(qn("w:r")):
            assert run.find(f"{qn('w:rPr')}/{W_LANG}").get(qn("w:val")) == "cy-GB"


def test_the_english_plan_keeps_its_english_tags(pair):
    document = docx.Document(str(pair["en"]))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{W_LANG}").get(qn("w:val")) == "en-GB"
    assert document.core_properties.language == "en-GB"
    assert "Document control" in _pieces(pair["en"])
    assert b'<w:themeFontLang w:val="en-US"' in _xml(pair["en"], "word/settings.xml")


def test_the_web_pages_say_their_language(pair):
    assert '<html lang="cy">' in pair["cy_html"].read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in pair["en_html"].read_text(encoding="utf-8")
