"""The committed Word templates are exactly what templates/make_templates.py builds (no drift)."""

from __future__ import annotations

import importlib.util
import sys
import zipfile

import pytest

from tests.conftest import ROOT


def _builder():
    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "templates" / "make_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_templates"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("layout", ["rag", "outcomes"])
def test_committed_template_is_current(layout, tmp_path):
    fresh = tmp_path / f"{layout}.docx"
    _builder().build(layout).save(fresh)
    committed = ROOT / "templates" / f"action-plan-{layout}.docx"
    with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(committed) as old:
        for part in (
            "word/document.xml",
            "word/styles.xml",
            "word/footer1.xml",
            "word/settings.xml",
        ):
            if part in new.namelist():
                assert new.read(part) == old.read(part), f"{part} differs: run make templates"


def test_committed_cover_report_template_is_current(tmp_path):
    """templates/cover-report.docx is what templates/make_cover_report.py builds (issue 14)."""
    _builder()  # make_cover_report imports make_templates by name
    spec = importlib.util.spec_from_file_location(
        "make_cover_report", ROOT / "templates" / "make_cover_report.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = tmp_path / "cover.docx"
    module.build().save(fresh)
    with (
        zipfile.ZipFile(fresh) as new,
        zipfile.ZipFile(ROOT / "templates" / "cover-report.docx") as old,
    ):
        for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
            assert new.read(part) == old.read(part), f"{part} differs: run make templates"


#: The table properties a fixed layout sits among, in the schema's order (ECMA-376 CT_TblPr).
_TBL_PR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription"
).split()


@pytest.mark.parametrize("name", ["action-plan-rag", "action-plan-outcomes", "cover-report"])
def test_each_table_says_its_fixed_layout_once_where_word_expects_it(name):
    """A second w:tblLayout after w:tblLook breaks the schema: Word may call the file unreadable."""
    from lxml import etree

    with zipfile.ZipFile(ROOT / "templates" / f"{name}.docx") as package:
        root = etree.fromstring(package.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tables = list(root.iter(f"{w}tblPr"))
    assert tables
    for properties in tables:
        names = [etree.QName(child).localname for child in properties]
        assert names.count("tblLayout") <= 1, names
        known = [n for n in names if n in _TBL_PR_ORDER]
        assert known == sorted(known, key=_TBL_PR_ORDER.index), names


@pytest.mark.parametrize("name", ["action-plan-rag.docx", "action-plan-outcomes.docx"])
def test_footer_page_numbers_are_the_size_of_the_words_around_them(name):
    """The PAGE and NUMPAGES results sit inside fields: each run has the footer's 10 pt."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(ROOT / "templates" / name) as docx:
        footer = etree.fromstring(docx.read("word/footer1.xml"))
    sizes = [run.find(f"{w}rPr/{w}sz") for run in footer.iter(f"{w}r")]
    assert len(sizes) == 4  # the words, the page, "of", the number of pages
    assert [size.get(f"{w}val") if size is not None else None for size in sizes] == ["20"] * 4
