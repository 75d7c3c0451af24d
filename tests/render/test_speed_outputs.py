"""The Word plan and summary workbook are zipped at zlib's fastest level (issue 17)."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

from pipeline.build import build
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(EXAMPLE, tmp_path_factory.mktemp("built"))


def _compressed_at_level_1(path: Path, name: str) -> tuple[bool, bytes]:
    """Whether the entry name of the zip at path holds exactly what zlib level 1 makes of its
    bytes; and those bytes."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
        data = archive.read(info)
    fast = zlib.compressobj(1, zlib.DEFLATED, -15)
    deflated = info.compress_type == zipfile.ZIP_DEFLATED
    return deflated and info.compress_size == len(fast.compress(data) + fast.flush()), data


def test_the_plans_parts_are_compressed_at_the_fast_level(built):
    """Level 1 (docx_save.py): a third of the default level's time at 10,000 actions."""
    assert _compressed_at_level_1(built.docx, "word/document.xml")[0]


def test_the_fast_package_has_every_part_python_docx_would_save(tmp_path):
    """docx_bytes writes the parts, in the order and with the bytes, python-docx's own save
    gives: the shipped templates' every part (custom XML, its relationships, settings...)."""
    from docxtpl import DocxTemplate

    from pipeline.render.docx_save import docx_bytes
    from pipeline.render.template_file import default_cover_template, default_template

    for template in (
        default_template("rag"),
        default_template("outcomes"),
        default_cover_template(),
    ):
        document = DocxTemplate(str(template))
        document.init_docx()
        saved = io.BytesIO()
        document.docx.save(saved)
        ours = docx_bytes(document.docx)
        with zipfile.ZipFile(saved) as theirs, zipfile.ZipFile(io.BytesIO(ours)) as mine:
            # but the template's preview picture, left out with its relationship and content
            # type, and its app.xml made fresh (docx_save._without_stale_metadata)
            kept = [n for n in theirs.namelist() if n != "docProps/thumbnail.jpeg"]
            assert mine.namelist() == kept, template.name
            assert len(mine.namelist()) > 10
            made_fresh = {"docProps/app.xml", "_rels/.rels", "[Content_Types].xml"}
            for name in kept:
                if name not in made_fresh:
                    assert mine.read(name) == theirs.read(name), (template.name, name)
            assert b"thumbnail" not in mine.read("_rels/.rels")
            assert mine.read("[Content_Types].xml") == theirs.read("[Content_Types].xml").replace(
                b'<Default Extension="jpeg" ContentType="image/jpeg"/>', b""
            )


def test_the_summary_workbooks_parts_are_compressed_at_the_fast_level(built):
    """XlsxWriter's zip at level 1 too (xlsx_rows.RowsWorkbook); its module is left as found."""
    import xlsxwriter.workbook

    for name in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
        assert _compressed_at_level_1(built.summary, name)[0], name
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile


def test_a_plan_with_links_taken_out_is_compressed_at_the_fast_level_too(tmp_path):
    """Cleaning writes the package again when it removes something (cleaning.clean_docx)."""
    from tests.bad_inputs.crafted_docx import linked_template

    template = linked_template(tmp_path / "linked.docx")
    result = build(EXAMPLE, tmp_path / "out", template=template)
    assert result.docx is not None, result.report.to_text()
    fast, settings = _compressed_at_level_1(result.docx, "word/settings.xml")
    assert b"attachedTemplate" not in settings  # it was cleaned: the package was written again
    assert fast
