"""Real-client checks: LibreOffice opens what eqplan writes (issue 4).

Every generated .docx and .xlsx is converted to PDF and the page count
checked; the template is round-tripped through LibreOffice Calc, filled in
with openpyxl and built into a plan. CI installs LibreOffice; elsewhere these
tests skip with a reason when it is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline import frameworks
from pipeline.build import build
from pipeline.cli import cli
from pipeline.render.pdf import convert
from pipeline.workbook import write_template
from tests.conftest import EXAMPLE, REPORT_DATE, require_soffice

pytestmark = pytest.mark.libreoffice


def pdf_pages(path: Path) -> int:
    """Page count from pdfinfo, or from the PDF's page tree when pdfinfo is missing."""
    if shutil.which("pdfinfo"):
        output = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        return int(re.search(r"^Pages:\s+(\d+)", output, re.M).group(1))
    data = path.read_bytes()
    return max(int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data))


#: The example's action refs, read off its Actions sheet: EB01 to EB62, in column A.
EXAMPLE_REFS = [f"EB{n:02d}" for n in range(1, 63)]


def missing_refs(pdf: Path) -> list[str]:
    """The example's action refs a PDF's text lacks. A page count alone passes a PDF that
    stops part way (a page range slipped into the export options gave 12 of 26 pages)."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return [ref for ref in EXAMPLE_REFS if ref not in text]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    require_soffice()
    out = tmp_path_factory.mktemp("lo")
    rag = build(EXAMPLE, out / "rag", pdf=True)
    outcomes = build(EXAMPLE, out / "outcomes", layout="outcomes")
    return {"rag": rag, "outcomes": outcomes, "dir": out}


def test_build_pdf_option_writes_a_pdf(outputs):
    pdf = outputs["rag"].pdf
    assert pdf is not None and pdf.is_file()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert 10 <= pdf_pages(pdf) <= 60
    assert missing_refs(pdf) == []


@pytest.mark.parametrize("layout", ["rag", "outcomes"])
def test_word_plans_convert(outputs, layout):
    pdf = convert(outputs[layout].docx, outputs["dir"] / f"pdf-{layout}")
    assert 10 <= pdf_pages(pdf) <= 80
    assert missing_refs(pdf) == []


def test_summary_workbook_converts(outputs):
    pdf = convert(outputs["rag"].summary, outputs["dir"] / "pdf-summary")
    assert 7 <= pdf_pages(pdf) <= 60  # at least one page per sheet


def test_checked_copy_converts(outputs, make_workbook):
    from pipeline.render.annotate import write_annotated
    from pipeline.validate import validate_workbook
    from tests.conftest import action_row

    path = make_workbook(
        actions=[action_row(rag="Yellow"), action_row(ref="A2", action="Two.", owner=None)]
    )
    checked = write_annotated(path, validate_workbook(path).report, outputs["dir"] / "checked")
    pdf = convert(checked, outputs["dir"] / "pdf-checked")
    assert pdf_pages(pdf) >= 8  # the Problems sheet and every plan sheet


@pytest.mark.parametrize("framework_id", frameworks.available())
def test_templates_convert(tmp_path, framework_id):
    require_soffice()
    template = write_template(frameworks.load(framework_id), tmp_path / f"{framework_id}.xlsx")
    pdf = convert(template, tmp_path / "pdf")
    assert 3 <= pdf_pages(pdf) <= 200


def test_pdf_via_cli(runner, tmp_path):
    require_soffice()
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--pdf"])
    assert result.exit_code == 0, result.output
    assert missing_refs(tmp_path / "example-plan.pdf") == []


def test_template_round_trip_through_calc_then_build(tmp_path):
    """Save the template in LibreOffice Calc, fill it with openpyxl, build a plan from it."""
    require_soffice()
    template = write_template(frameworks.load("eflg-2021"), tmp_path / "template.xlsx")
    saved = convert(template, tmp_path / "saved", target_format="xlsx")
    wb = openpyxl.load_workbook(saved)
    plan = wb["Plan"]
    for row in range(2, plan.max_row + 1):
        label = plan.cell(row=row, column=1).value
        value = {
            "Council name": "Calc Council",
            "Plan title": "Round trip plan",
            "Report date": REPORT_DATE,
        }.get(label)
        if value is not None:
            plan.cell(row=row, column=2, value=value)
    actions = wb["Actions"]
    actions["C2"] = "Evidence typed after a LibreOffice save."
    actions["D2"] = "An action typed after a LibreOffice save."
    actions["F2"] = "Ongoing"
    actions["G2"] = "Calc Team"
    actions["H2"] = "Amber"
    wb["Owners"]["A2"] = "Calc Team"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = build(filled, tmp_path / "plan")
    assert result.docx is not None, result.report.to_text()
    assert result.actions == 1
