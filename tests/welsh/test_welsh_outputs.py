"""The Welsh summary workbook, cover report and PDF: fixed text from the catalogue, tags (issue 15)."""

from __future__ import annotations

import openpyxl
import pikepdf
import pytest

from pipeline.build import build
from tests.conftest import EXAMPLE, require_soffice
from tests.render.helpers import all_text


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    out = tmp_path_factory.mktemp("cy")
    result = build(EXAMPLE, out, language="cy", cover=True, html=True)
    assert result.report.valid
    return out


def test_the_welsh_summary_workbook_has_welsh_sheets_and_headings(welsh):
    book = openpyxl.load_workbook(welsh / "example-plan-cy-summary.xlsx", read_only=True)
    assert book.sheetnames == [
        "Fesul modiwl",
        "Fesul perchennog",
        "Yn hwyr",
        "I'w gwblhau cyn bo hir",
        "Hunanasesiad",
        "Cwmpas",
        "Pob cam gweithredu",
    ]
    first = [c.value for c in next(book["Fesul modiwl"].iter_rows(max_row=1))]
    assert first == ["Modiwl", "Coch", "Ambr", "Gwyrdd", "Cwblhawyd", "Heb sgôr", "Cyfanswm"]
    book.close()


def test_the_welsh_cover_report_is_in_welsh(welsh):
    text = all_text(welsh / "example-plan-cy-cover-report.docx")
    for expected in ("Argymhellion", "Goblygiadau ariannol", "Crynodeb o'r cynnydd", "Atodiad 1"):
        assert expected in text
    for english in ("Recommendations", "Financial implications", "Summary of progress"):
        assert english not in text


@pytest.mark.libreoffice
def test_the_welsh_pdf_says_it_is_welsh(tmp_path):
    require_soffice()
    result = build(EXAMPLE, tmp_path, language="both", pdf=True)
    assert result.report.valid, result.notes
    with pikepdf.open(tmp_path / "example-plan-cy.pdf") as pdf:
        assert str(pdf.Root.Lang) == "cy-GB"
    with pikepdf.open(tmp_path / "example-plan-en.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
