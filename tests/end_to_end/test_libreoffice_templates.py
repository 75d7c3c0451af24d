"""The shipped Word templates, opened and saved once in LibreOffice Writer, still make whole plans.

Writer moves the contents list's end mark into the `{%p endfor %}` paragraph, which docxtpl
deletes; the plan built from such a template was one page long, with exit 0
(render/field_repair.py). Here the real LibreOffice saves each shipped template; the plan
built from it must hold every action after its contents list ends, and its PDF every page.
Skipped where LibreOffice is missing (failed in CI, which installs it).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from pipeline.build import build
from pipeline.render.pdf import convert
from pipeline.render.template_file import default_cover_template, default_template
from pipeline.render.word import render_cover
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from tests.conftest import EXAMPLE, require_soffice
from tests.end_to_end.test_libreoffice import pdf_pages
from tests.render.helpers import all_text
from tests.render.test_field_repair import balanced, reading

pytestmark = pytest.mark.libreoffice

WRITER_DOCX = "docx:MS Word 2007 XML"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Each shipped template after one open and save in LibreOffice Writer."""
    require_soffice()
    folder = tmp_path_factory.mktemp("writer")
    shipped = {
        "rag": default_template("rag"),
        "outcomes": default_template("outcomes"),
        "cover": default_cover_template(),
    }
    return {
        name: convert(path, folder / name, WRITER_DOCX, target=folder / name / path.name)
        for name, path in shipped.items()
    }


@pytest.mark.parametrize("layout", ["rag", "outcomes"])
def test_a_template_saved_by_writer_builds_the_whole_plan(saved, tmp_path, layout):
    last = validate_workbook(EXAMPLE).plan.actions[-1].action
    result = build(EXAMPLE, tmp_path, layout=layout, template=saved[layout], pdf=True)
    assert result.docx is not None, result.report.to_text()
    said = reading(result.docx)
    assert "<begin>" in said and balanced(said), said[:20]
    assert last in " ".join(said[said.index("<end>") :])
    assert pdf_pages(result.pdf) >= 10
    # The cover and contents stay portrait, the action tables landscape: Writer moves the
    # section break into a {%p endif %} paragraph, and with it deleted all was landscape.
    shipped = build(EXAMPLE, tmp_path / "shipped", layout=layout, pdf=True).pdf
    assert _orientations(result.pdf) == _orientations(shipped)
    assert _orientations(result.pdf)[:2] == ["portrait", "portrait"]
    assert "landscape" in _orientations(result.pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(result.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert " ".join(last.split()) in " ".join(text.split())


def _orientations(pdf) -> list[str]:
    """Each page's orientation, in order."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        boxes = [[float(v) for v in page.mediabox] for page in document.pages]
    return ["landscape" if box[2] - box[0] > box[3] - box[1] else "portrait" for box in boxes]


def test_the_cover_report_saved_by_writer_still_fills_in(saved, tmp_path):
    view = build_view(validate_workbook(EXAMPLE).plan)
    out = render_cover(view, tmp_path / "cover.docx", saved["cover"])
    assert balanced(reading(out))
    assert "Example Borough Council" in all_text(out)
    assert "{{" not in all_text(out) and "{%" not in all_text(out)
