"""The PDF is a tagged PDF that declares PDF/UA and passes what a validator checks (issue 14).

Each test is one of the checks veraPDF or PAC makes for PDF/UA-1 that can be
read from the file with pikepdf: marked and tagged, the language and title,
headings in order, tables with header cells, the chart's alt text, link
annotations tagged (each by exactly one Link, which holds the entry's text
and page number) and in tab order, fonts embedded, every piece of text and
every image inside the structure tree (or marked as decoration). The
contents list must show page numbers that lead to the right page. Both the
shipped example and a generated 500-action plan are checked.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pikepdf
import pytest

from pipeline.build import build
from pipeline.render import pdf as pdf_render
from pipeline.render import pdf_tags
from tests.conftest import EXAMPLE, EXAMPLE_CHART_ALT, generated_plan, require_soffice
from tests.render.helpers import headings

pytestmark = pytest.mark.libreoffice

LANGUAGE = "en-GB"
#: Standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4); anything else needs a RoleMap entry.
STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form".split()
)
#: Operators that put something on the page (ISO 32000-1, tables 51, 59, 87, 107).
TEXT_AND_IMAGES = frozenset({"Tj", "TJ", "'", '"', "Do", "BI", "sh"})
LINES_AND_FILLS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})


@dataclass
class Built:
    """A plan built with --pdf: the Word file, the PDF, its build notes and the export time."""

    docx: Path
    pdf: Path
    notes: list[str]
    seconds: float
    title: str  # as typed on the Plan sheet


#: The example's Plan sheet, B3 ("Plan title"); the 500-action plan's is the generator's.
TITLES = {
    "example": "Equality, Diversity and Inclusion Action Plan 2026 to 2029",
    "500 actions": "Benchmark plan with 500 actions",
}


def _build(workbook: Path, out: Path, title: str) -> Built:
    started = time.perf_counter()
    result = build(workbook, out, pdf=True)
    seconds = time.perf_counter() - started
    assert result.pdf is not None and result.pdf.is_file(), result.report.to_text()
    return Built(result.docx, result.pdf, result.notes, seconds, title)


def _require_uno() -> None:
    """Page numbers in the contents need LibreOffice's Python bridge; CI installs it."""
    if pdf_render.uno_python(require_soffice()) is None:
        if os.environ.get("CI"):
            pytest.fail("python3-uno is missing in CI; .ci/run should have installed it")
        pytest.skip("LibreOffice's Python bridge (python3-uno) is not installed")


@pytest.fixture(scope="module", params=["example", "500 actions"])
def built(request, tmp_path_factory) -> Built:
    require_soffice()
    folder = tmp_path_factory.mktemp("accessible")
    title = TITLES[request.param]
    if request.param == "example":
        return _build(EXAMPLE, folder / "out", title)
    return _build(generated_plan(500, folder / "plan-500.xlsx"), folder / "out", title)


@pytest.fixture(scope="module")
def document(built):
    with pikepdf.open(built.pdf) as opened:
        yield opened


def _kids(element) -> list:
    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)]
    return [kids] if isinstance(kids, pikepdf.Dictionary) else []


def _elements(element) -> Iterator:
    """Every structure element under element, in reading order."""
    for kid in _kids(element):
        if "/S" in kid:
            yield kid
            yield from _elements(kid)


def _tags(document) -> list:
    return list(_elements(document.Root.StructTreeRoot))


def _kind(element) -> str:
    return str(element.S)[1:]


def _page_texts(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def test_pdfinfo_says_tagged(built):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(
        ["pdfinfo", str(built.pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info


def test_marked_as_tagged_and_declares_pdf_ua(document):
    mark_info = document.Root.MarkInfo
    assert mark_info.Marked is True
    assert mark_info.get("/Suspects") is not True
    assert "/StructTreeRoot" in document.Root and "/ParentTree" in document.Root.StructTreeRoot
    with document.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"


def test_language_is_the_documents(document):
    assert str(document.Root.Lang) == LANGUAGE


def test_title_in_info_xmp_and_title_bar(built, document):
    """The plan's own title, not one the Word file happens to carry (the council's name, say)."""
    title = built.title
    assert str(document.docinfo["/Title"]) == title
    with document.open_metadata() as xmp:
        assert xmp.get("dc:title") == title
    assert document.Root.ViewerPreferences.DisplayDocTitle is True


def test_headings_are_tagged_in_order(built, document):
    levels = [int(_kind(e)[1]) for e in _tags(document) if re.fullmatch(r"H[1-6]", _kind(e))]
    assert levels.count(1) == len(headings(built.docx, 1))
    assert 2 in levels
    assert levels[0] == 1
    skipped = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not skipped, "a heading level is skipped"


def test_tables_have_header_cells_with_scope(document):
    tables = [e for e in _tags(document) if _kind(e) == "Table"]
    assert len(tables) >= 5
    for table in tables:
        rows = [kid for kid in _kids(table) if _kind(kid) == "TR"]
        assert rows, "a table without rows"
        header = _kids(rows[0])
        assert header and all(_kind(cell) == "TH" for cell in header)
    scopes = [e for e in _tags(document) if _kind(e) == "TH"]
    for cell in scopes:
        attributes = cell.get("/A")
        attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
        assert any(a is not None and a.get("/Scope") == "/Column" for a in attributes)


def test_chart_is_a_figure_with_its_alt_text(built, document):
    figures = [e for e in _tags(document) if _kind(e) == "Figure"]
    assert figures
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip(), "a Figure without alt text"
    described = [
        element.get("descr")
        for element in docx.Document(str(built.docx)).element.body.iter()
        if element.tag.endswith("}docPr") and element.get("descr")
    ]
    assert described
    assert any(described[0] in str(figure.Alt) for figure in figures)
    if built.title == TITLES["example"]:  # its figures, counted by hand, not just any text
        alt = f"Actions by RAG rating - {EXAMPLE_CHART_ALT}"  # LibreOffice: title - description
        assert [str(figure.Alt) for figure in figures] == [alt]


def test_every_structure_type_is_standard_or_role_mapped(document):
    role_map = document.Root.StructTreeRoot.get("/RoleMap", {})
    for element in _tags(document):
        kind = _kind(element)
        mapped = str(role_map.get(f"/{kind}", f"/{kind}"))[1:]
        assert mapped in STANDARD_TYPES, f"{kind} is neither standard nor role-mapped"


def test_links_are_tagged_described_and_in_tab_order(document):
    links = 0
    for number, page in enumerate(document.pages, start=1):
        annotations = page.obj.get("/Annots") or []
        if len(annotations):
            assert page.obj.get("/Tabs") == "/S", f"page {number} has no structure tab order"
        for annotation in annotations:
            if annotation.get("/Subtype") in ("/Popup",):
                continue
            assert "/StructParent" in annotation, f"an annotation on page {number} is not tagged"
            if annotation.get("/Subtype") == "/Link":
                links += 1
                assert str(annotation.get("/Contents", "")).strip()
    assert links >= 1  # the contents list links to its headings
    assert any(_kind(e) == "Link" for e in _tags(document))


def _parent_tree(document) -> dict:
    nums = document.Root.StructTreeRoot.ParentTree.Nums  # LibreOffice writes one flat node
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _link_claims(document) -> list[tuple[int, pikepdf.Dictionary, list]]:
    """(page index, link annotation, the structure elements with an /OBJR to it)."""
    claims: dict[tuple, list] = {}
    for element in [document.Root.StructTreeRoot, *_tags(document)]:
        for kid in _kids(element):
            if kid.get("/Type") == "/OBJR":
                claims.setdefault(kid.Obj.objgen, []).append(element)
    return [
        (number, annotation, claims.get(annotation.objgen, []))
        for number, page in enumerate(document.pages)
        for annotation in page.obj.get("/Annots") or []
        if annotation.get("/Subtype") == "/Link"
    ]


def test_each_link_annotation_is_claimed_by_exactly_one_link(document):
    """PDF/UA-1 7.18.1: LibreOffice 7.4 tags each contents entry as two Links claiming the
    same annotation (a screen reader may read it twice); pdf_links.py merges them."""
    parents = _parent_tree(document)
    links = _link_claims(document)
    assert links
    for _page, annotation, claimed in links:
        assert len(claimed) == 1, f"{annotation.get('/Contents')!r}: {len(claimed)} elements"
        assert _kind(claimed[0]) == "Link"
        assert parents[int(annotation.StructParent)].objgen == claimed[0].objgen


def _marked_texts(path: Path, index: int) -> dict:
    """{MCID: text} of a page, read with pypdf."""
    from pypdf import PdfReader

    marks: list = []
    texts: dict = {}

    def before(operator, operands, *_):
        if operator in (b"BDC", b"BMC"):
            properties = operands[1] if operator == b"BDC" else None
            marks.append(properties.get("/MCID") if hasattr(properties, "get") else None)
        elif operator == b"EMC" and marks:
            marks.pop()

    def text(value, *_):
        mcid = next((m for m in reversed(marks) if m is not None), None)
        texts[mcid] = texts.get(mcid, "") + value

    PdfReader(path).pages[index].extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def test_a_contents_entrys_heading_and_page_number_are_in_its_link(built, document):
    parents = _parent_tree(document)
    indexes = {page.obj.objgen: index for index, page in enumerate(document.pages)}
    texts: dict = {}
    for _page, annotation, (link, *_) in _link_claims(document):
        read = ""
        for kid in link.K:
            on, mcid = (
                (link.Pg, kid) if isinstance(kid, int) else (kid.get("/Pg"), kid.get("/MCID"))
            )
            if mcid is None:
                continue  # the /OBJR
            on = on or link.Pg
            assert parents[int(on.StructParents)][int(mcid)].objgen == link.objgen
            page = indexes[on.objgen]
            texts.setdefault(page, _marked_texts(built.pdf, page))
            read += texts[page].get(int(mcid), "")
        heading, _tab, number = str(annotation.Contents).rpartition("\t")
        assert "".join(read.split()) == "".join(f"{heading}{number}".split())


def test_fonts_are_embedded(document):
    seen = 0
    for page in document.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for _name, font in fonts.items():
            seen += 1
            descendants = font.get("/DescendantFonts")
            described = descendants[0] if descendants else font
            descriptor = described.get("/FontDescriptor")
            assert descriptor is not None, f"{font.get('/BaseFont')} has no descriptor"
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                f"{font.get('/BaseFont')} is not embedded"
            )
    assert seen


def _untagged(document, operators: frozenset[str]) -> list[str]:
    """Drawing operators outside any marked content that has an MCID or is an Artifact."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        inside: list[bool] = []  # for each open BMC/BDC: is it tagged (or an artifact)?
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BMC", "BDC"):
                properties = operands[1] if name == "BDC" else None
                tagged = str(operands[0]) == "/Artifact" or (
                    isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
                )
                inside.append(tagged or (bool(inside) and inside[-1]))
            elif name == "EMC":
                inside.pop()
            elif name in operators and not (inside and inside[-1]):
                found.append(f"page {number}: {name}")
    return found


def test_all_text_and_images_are_tagged_or_artifacts(document):
    assert _untagged(document, TEXT_AND_IMAGES) == []


def test_all_lines_and_fills_are_tagged_or_artifacts(document):
    """LibreOffice 7.4 draws a paragraph's border (the rule under the council's name) untagged;
    render/pdf.py finish_tagging marks it as an artifact."""
    assert _untagged(document, LINES_AND_FILLS) == []


def _contents_entries(pages: list[str], count: int) -> list[tuple[str, int]]:
    """(heading, page number) for each dotted line of the contents list."""
    entries = []
    for text in pages[:3]:
        for line in text.splitlines():
            match = re.fullmatch(r"\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*", line)
            if match:
                entries.append((match.group(1), int(match.group(2))))
    return entries[:count]


def test_contents_list_shows_the_right_page_numbers(built):
    _require_uno()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert pdf_render.NO_PAGE_NUMBERS not in built.notes
    wanted = headings(built.docx, 1)
    pages = _page_texts(built.pdf)
    entries = _contents_entries(pages, len(wanted))
    assert [heading for heading, _ in entries] == wanted
    numbers = [number for _, number in entries]
    assert numbers == sorted(numbers)
    for heading, number in entries:
        lines = [line.strip() for line in pages[number - 1].splitlines()]
        assert heading in lines, f"{heading!r} is not on page {number}"


def test_without_the_python_bridge_the_pdf_is_still_tagged(tmp_path, monkeypatch):
    """The plain --convert-to route passes the same options as JSON; a note says what is missing."""
    require_soffice()
    monkeypatch.setattr(pdf_render, "uno_python", lambda soffice: None)
    result = build(EXAMPLE, tmp_path / "out", pdf=True)
    assert pdf_render.NO_PAGE_NUMBERS in result.notes
    with pikepdf.open(result.pdf) as plain:
        assert plain.Root.MarkInfo.Marked is True
        assert str(plain.Root.Lang) == LANGUAGE
        assert plain.Root.ViewerPreferences.DisplayDocTitle is True
        with plain.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        assert all(page.obj.get("/Tabs") == "/S" for page in plain.pages if "/Annots" in page.obj)
        assert _untagged(plain, TEXT_AND_IMAGES | LINES_AND_FILLS) == []


def test_build_with_pdf_takes_under_a_minute(built):
    assert built.seconds < 60


def test_quick_look_finds_lines_drawn_outside_marked_content():
    """Strings are blanked, so letters inside them are never taken for operators."""
    assert pdf_tags._paints_untagged(b"q 0 0 m 9 0 l S Q")
    assert not pdf_tags._paints_untagged(b"/P <</MCID 0>> BDC 0 0 m 9 0 l S EMC")
    assert not pdf_tags._paints_untagged(b"/Artifact BMC q 0 0 9 9 re f Q EMC")
    assert not pdf_tags._paints_untagged(b"BT /F1 12 Tf <0B1F> Tj (a (b) S f) Tj ET")


def test_decorations_are_wrapped_as_artifacts_and_text_is_left_alone():
    from pypdf.generic import NameObject, NumberObject

    line = [([], b"q"), ([NumberObject(1)], b"w"), ([], b"S"), ([], b"Q")]
    text = [([], b"BT"), ([], b"ET")]
    wrapped = pdf_tags._decorations_as_artifacts(text + line)
    assert wrapped == [*text, ([NameObject("/Artifact")], b"BMC"), *line, ([], b"EMC")]
    tagged = [([NameObject("/P")], b"BMC"), *line, ([], b"EMC")]
    assert pdf_tags._decorations_as_artifacts(tagged) is None


def _our_libreoffices() -> list[int]:
    """Processes still running LibreOffice for the UNO script of this test run (pipe named by pid)."""
    mark = f"name=eqplan-{os.getpid()}-".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find LibreOffice")
def test_a_uno_export_that_overruns_is_stopped_with_libreoffice(tmp_path):
    _require_uno()
    plan = build(EXAMPLE, tmp_path / "out").docx
    with pytest.raises(pdf_render.PdfTimeout):
        pdf_render.export_plan_pdf(plan, tmp_path / "slow.pdf", timeout=1.0)
    assert not (tmp_path / "slow.pdf").exists()
    deadline = time.monotonic() + 5
    while _our_libreoffices() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _our_libreoffices() == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find LibreOffice")
def test_a_document_libreoffice_cannot_open_leaves_no_libreoffice_running(tmp_path):
    """The UNO script stopped only its direct child, the soffice shell wrapper: soffice.bin
    stayed running after a failed conversion (an attacker counted four)."""
    import zipfile

    _require_uno()
    source = tmp_path / "unloadable.docx"
    with zipfile.ZipFile(source, "w") as package:
        package.writestr("[Content_Types].xml", "not xml at all")
    with pytest.raises(pdf_render.EqplanError):
        pdf_render.export_plan_pdf(source, tmp_path / "unloadable.pdf")
    assert not (tmp_path / "unloadable.pdf").exists()
    deadline = time.monotonic() + 5
    while _our_libreoffices() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _our_libreoffices() == []
