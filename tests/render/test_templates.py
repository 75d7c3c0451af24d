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


@pytest.mark.parametrize("name", ["action-plan-rag", "action-plan-outcomes", "cover-report"])
def test_templates_carry_only_the_table_styles_their_tables_use(name):
    """No Word 2010 styles-with-effects copy, and no definitions of table styles nothing uses
    (python-docx's starting document has 98): every build reads, cleans and compresses them
    (issue 17). Each style a table names is still defined, with what it is based on."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(ROOT / "templates" / f"{name}.docx") as package:
        assert not [n for n in package.namelist() if "stylesWithEffects" in n]
        assert b"stylesWithEffects" not in package.read("word/_rels/document.xml.rels")
        assert b"stylesWithEffects" not in package.read("[Content_Types].xml")
        styles = etree.fromstring(package.read("word/styles.xml"))
        document = etree.fromstring(package.read("word/document.xml"))
    defined = {s.get(f"{w}styleId"): s for s in styles.iter(f"{w}style")}
    tables = {s.get(f"{w}styleId") for s in defined.values() if s.get(f"{w}type") == "table"}
    used = {s.get(f"{w}val") for s in document.iter(f"{w}tblStyle")}
    assert used and used <= tables
    assert tables == used | {
        "TableNormal"
    }  # Word's default table style, which Table Grid is based on
    for style_id in used:
        based = defined[style_id].find(f"{w}basedOn")
        assert based is None or based.get(f"{w}val") in defined
    # The paragraph and character styles a council may reach for stay defined.
    assert {"Heading1", "Heading2", "Caption", "Title", "ListBullet", "Quote"} <= set(defined)
