"""The template's Read me sheet calls a framework's parts by the framework's own words."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pipeline import frameworks
from pipeline.workbook.template import write_template
from tests.frameworks.northvale import OURS


def _readme(framework, tmp_path: Path, language: str = "en") -> str:
    book = tmp_path / f"plan-{language}.xlsx"
    write_template(framework, book, language=language)
    sheet = openpyxl.load_workbook(book).worksheets[0]
    return "\n".join(str(c.value) for c in sheet["A"] if c.value)


def test_the_read_me_names_the_frameworks_own_parts(tmp_path: Path):
    text = _readme(frameworks.parse(OURS, "ours.yaml"), tmp_path)
    assert "Sections: one row per objective." in text
    assert "leave it empty to use the objective's title." in text
    assert "Self-assessment: one row per outcome." in text
    assert "Reference: the milestones with their descriptors and criteria." in text
    assert "module" not in text.lower() and "theme" not in text.lower()


def test_the_shipped_frameworks_read_me_keeps_their_words(tmp_path: Path):
    eflg = _readme(frameworks.load("eflg-2021"), tmp_path)
    assert "Sections: one row per module." in eflg and "one row per theme." in eflg
    assert "Reference: the framework points with" in eflg
    wales = _readme(frameworks.load("eif-wales-2011"), tmp_path)
    assert "Sections: one row per improvement area." in wales
    assert "Self-assessment: one row per building block." in wales


def test_a_welsh_read_me_uses_the_frameworks_welsh_words(tmp_path: Path):
    framework = frameworks.parse(OURS, "ours.yaml")
    text = _readme(framework, tmp_path, "cy")
    assert "un rhes ar gyfer pob amcan." in text and "un rhes ar gyfer pob canlyniad." in text
    assert "Gwybodaeth gyfeirio: cerrig milltir gyda'u disgrifyddion" in text
    wales = _readme(frameworks.load("eif-wales-2011"), tmp_path, "cy")
    assert "un rhes ar gyfer pob maes gwella." in wales
