"""The Word plan and summary workbook: the chart placed while it is drawn, fast zips (issue 17)."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from docx.image.image import Image

from pipeline.build import build
from pipeline.render.chart import chart_size, rag_chart_png, stand_in_png
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from tests.conftest import EXAMPLE, action_row, write_plan_workbook
from tests.render.helpers import parts


@pytest.fixture(scope="module")
def example_view():
    return build_view(validate_workbook(EXAMPLE).plan)


def test_the_plan_holds_the_chart_as_drawn_not_its_stand_in(tmp_path, example_view):
    result = build(EXAMPLE, tmp_path)
    pictures = {n: b for n, b in parts(result.docx).items() if n.startswith("word/media/")}
    assert list(pictures.values()) == [rag_chart_png(example_view)]
    assert stand_in_png(example_view) not in pictures.values()


@pytest.mark.parametrize("modules", [1, 3])
def test_the_stand_in_has_the_charts_size_and_resolution(tmp_path, modules):
    """python-docx places the picture from these alone, so the drawing fits the same place."""
    points = ["1.2", "2.1", "3.1"][:modules]
    rows = [action_row(ref=f"A{n}", point=point, rag="Red") for n, point in enumerate(points)]
    view = build_view(validate_workbook(write_plan_workbook(tmp_path / "p.xlsx", rows)).plan)
    drawn, stand_in = Image.from_blob(rag_chart_png(view)), Image.from_blob(stand_in_png(view))
    assert (stand_in.px_width, stand_in.px_height) == (drawn.px_width, drawn.px_height)
    assert (stand_in.px_width, stand_in.px_height) == chart_size(view)
    assert (stand_in.horz_dpi, stand_in.vert_dpi) == (drawn.horz_dpi, drawn.vert_dpi) == (150, 150)
    assert stand_in.content_type == "image/png"


def test_the_plans_parts_are_compressed_at_the_fast_level(tmp_path):
    """Level 1 (docx_save.py): a third of the default level's time at 10,000 actions."""
    result = build(EXAMPLE, tmp_path)
    with zipfile.ZipFile(result.docx) as archive:
        info = archive.getinfo("word/document.xml")
        data = archive.read(info)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    fast = zlib.compressobj(1, zlib.DEFLATED, -15)
    assert info.compress_size == len(fast.compress(data) + fast.flush())


def test_the_plan_has_every_part_python_docx_would_save(tmp_path):
    """The package written at the fast level has the parts, in the order, docxtpl's save gives."""
    from docxtpl import DocxTemplate

    from pipeline.render.docx_save import docx_bytes

    document = DocxTemplate(str(build(EXAMPLE, tmp_path).docx))
    document.init_docx()
    saved = io.BytesIO()
    document.save(saved)
    ours = docx_bytes(document.docx)
    with zipfile.ZipFile(saved) as theirs, zipfile.ZipFile(io.BytesIO(ours)) as mine:
        assert mine.namelist() == theirs.namelist()
        for name in theirs.namelist():
            assert mine.read(name) == theirs.read(name), name


def test_the_summary_workbooks_parts_are_compressed_at_the_fast_level(tmp_path):
    """XlsxWriter's zip at level 1 too (xlsx_rows.RowsWorkbook); its module is left as found."""
    import xlsxwriter.workbook

    result = build(EXAMPLE, tmp_path)
    with zipfile.ZipFile(result.summary) as archive:
        for name in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
            info = archive.getinfo(name)
            data = archive.read(info)
            fast = zlib.compressobj(1, zlib.DEFLATED, -15)
            assert info.compress_size == len(fast.compress(data) + fast.flush()), name
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile


def test_a_plan_with_links_taken_out_is_compressed_at_the_fast_level_too(tmp_path):
    """Cleaning writes the package again when it removes something (cleaning.clean_docx)."""
    from tests.bad_inputs.crafted_docx import linked_template

    template = linked_template(tmp_path / "linked.docx")
    result = build(EXAMPLE, tmp_path / "out", template=template)
    assert result.docx is not None, result.report.to_text()
    with zipfile.ZipFile(result.docx) as archive:
        info = archive.getinfo("word/settings.xml")
        data = archive.read(info)
    assert b"attachedTemplate" not in data  # it was cleaned, so the package was written again
    fast = zlib.compressobj(1, zlib.DEFLATED, -15)
    assert info.compress_size == len(fast.compress(data) + fast.flush())
