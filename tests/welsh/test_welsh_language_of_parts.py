"""English printed in a Welsh document is marked as English (WCAG 3.1.2, Language of Parts).

Where an officer gave no Welsh, or the framework has none, a Welsh document prints the
English; screen readers and spell-checkers must read it as English, not as Welsh.
"""

from __future__ import annotations

import zipfile

import lxml.html
import openpyxl
import pikepdf
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from pipeline import frameworks
from pipeline.build import build
from pipeline.render.english_parts import END, START, english_runs, html_mark, split_run, word_mark
from pipeline.render.sandbox import PlanSandbox
from pipeline.text import clean_text
from pipeline.welsh_text import EnglishText, MixedText, filled, joined
from tests.conftest import EXAMPLE, ROOT, read_only_workbook, require_soffice
from tests.render.helpers import language_runs as _runs
from tests.render.helpers import paragraph_language_runs as _paragraph_runs

ENGLISH_EVIDENCE = "Census 2021 profiles published; partner data sharing is ad hoc."


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    out = tmp_path_factory.mktemp("cy-parts")
    result = build(EXAMPLE, out, language="both", cover=True, html=True)
    assert result.report.valid
    return out


def test_english_text_in_the_welsh_plan_is_tagged_english(welsh):
    runs = _runs(welsh / "example-plan-cy.docx")
    assert (ENGLISH_EVIDENCE, "en-GB") in runs
    assert ("Equality Framework for Local Government 2021", "en-GB") in runs  # no Welsh in EFLG
    languages = {lang for _text, lang in runs}
    assert languages == {"cy-GB", "en-GB"}
    welsh_runs = [text for text, lang in runs if lang == "cy-GB"]
    assert "Crynodeb o'r cynnydd" in welsh_runs  # the fixed words stay Welsh
    english_runs = [text for text, lang in runs if lang == "en-GB"]
    assert "Crynodeb o'r cynnydd" not in english_runs


def test_no_mark_is_left_in_any_part_of_the_documents(welsh):
    for name in ("example-plan-cy.docx", "example-plan-cy-cover-report.docx"):
        with zipfile.ZipFile(welsh / name) as package:
            for part in package.namelist():
                text = package.read(part).decode("utf-8", "replace")
                assert START not in text and END not in text, (name, part)
    page = (welsh / "example-plan-cy.html").read_text(encoding="utf-8")
    assert START not in page and END not in page


def test_the_framework_source_note_tags_the_english_it_quotes_english(welsh):
    """EFLG 2021's source_cy quotes its publisher and title in English, as published, and
    the closing caption `Testun y fframwaith: ...` tagged all of it Welsh (WCAG 3.1.2)."""
    english = 'Local Government Association, "Equality Framework for Local Government (EFLG) 2021"'
    assert _paragraph_runs(welsh / "example-plan-cy.docx", "Testun y fframwaith: ") == [
        ("Testun y fframwaith: ", "cy-GB"),
        (english, "en-GB"),
        (", cyhoeddwyd 1 Tachwedd 2021.", "cy-GB"),
    ]
    page = lxml.html.fromstring((welsh / "example-plan-cy.html").read_text(encoding="utf-8"))
    (note,) = page.xpath('//p[@class="source"][starts-with(., "Testun y fframwaith: ")]')
    assert [span.text for span in note.xpath('span[@lang="en-GB"]')] == [english]
    assert note.text_content().endswith(", cyhoeddwyd 1 Tachwedd 2021.")


def test_a_source_note_marks_only_the_whole_words_it_shares_with_the_english():
    """A Welsh note's English is what it quotes word for word, two words or more: a
    translated publisher (`Cymdeithas Llywodraeth Leol Cymru`), a shared year or one word
    (`Testshire`) stay Welsh; an English document marks nothing."""
    from pipeline.i18n import use_language
    from pipeline.welsh_text import source_note

    eif = frameworks.load("eif-wales-2011")
    with use_language("cy"):
        note = source_note(eif.welsh, eif.source)
        assert type(note) is MixedText
        assert [p for p in note.parts if type(p) is EnglishText] == [
            '"Equality Improvement Framework for Wales"'
        ]
        assert note.startswith("Cymdeithas Llywodraeth Leol Cymru, ")
        ours = {"source": "Cyngor Testshire, 2026."}
        assert type(source_note(ours, "Testshire Council, 2026.")) is str
        assert type(source_note({}, "Testshire Council, 2026.")) is EnglishText
    english = source_note(eif.welsh, eif.source)
    assert english == eif.source and type(english) is str


def test_a_welsh_heading_with_an_english_title_tags_only_the_title_english(welsh):
    """EFLG 2021 has no Welsh: a section heading joins the Welsh `Modiwl 2:` with the
    module's English title, a framework point a theme's English title with a Welsh level."""
    plan = welsh / "example-plan-cy.docx"
    assert _paragraph_runs(plan, "Modiwl 2: ") == [
        ("Modiwl 2: ", "cy-GB"),
        ("Leadership, partnership and organisational commitment", "en-GB"),
    ]
    assert _paragraph_runs(plan, "15.1 ") == [
        ("15.1 ", "cy-GB"),
        ("Collecting, analysing and publishing workforce data", "en-GB"),
        (" - Datblygol", "cy-GB"),
    ]
    note = _paragraph_runs(plan, "Yn fframwaith EFLG 2021")  # a renumbered section's note
    assert ("Understanding and working with your communities", "en-GB") in note
    assert [lang for _text, lang in note] == ["cy-GB", "en-GB", "cy-GB"]
    page = lxml.html.fromstring((welsh / "example-plan-cy.html").read_text(encoding="utf-8"))
    heading = page.xpath('//h2[starts-with(., "Modiwl 2: ")]')[0]
    assert heading.text == "Modiwl 2: "
    assert [span.text for span in heading.xpath('span[@lang="en-GB"]')] == [
        "Leadership, partnership and organisational commitment"
    ]
    with read_only_workbook(welsh / "example-plan-cy-summary.xlsx") as summary:
        values = {str(v) for ws in summary.worksheets for row in ws.values for v in row if v}
    assert "2. Leadership, partnership and organisational commitment" in values
    assert not [v for v in values if START in v or END in v]


def test_text_joined_or_filled_keeps_which_parts_are_english():
    english = EnglishText("Leadership")
    assert type(joined("Modiwl 2: ", "Arweinyddiaeth")) is str
    assert type(joined(english, EnglishText(" and more"))) is EnglishText
    mixed = joined("Modiwl 2: ", english, "")
    assert (type(mixed), mixed, mixed.parts) == (
        MixedText,
        "Modiwl 2: Leadership",
        ("Modiwl 2: ", english),
    )
    sentence = filled("%(n)s%% o %(title)s (%(year)s).", {"n": 5, "title": english, "year": "2026"})
    assert sentence == "5% o Leadership (2026)."
    assert [type(part) is EnglishText for part in sentence.parts] == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]
    assert type(filled("%(title)s", {"title": "Arweinyddiaeth"})) is str
    assert PlanSandbox(mark_english=word_mark).from_string("{{ t }}!").render(t=mixed) == (
        f"Modiwl 2: {START}Leadership{END}!"
    )
    assert (
        PlanSandbox(mark_english=html_mark).from_string("{{ t }}").render(t=joined("<b> ", english))
        == '&lt;b&gt; <span lang="en-GB">Leadership</span>'
    )


@pytest.mark.parametrize(
    ("tag", "printed"),
    [
        ("t | trim", f"{START}Leadership step{END}"),
        ("t | trim('L ')", f"{START}eadership step{END}"),  # letters taken out, none added
        ("t | truncate(12, True, '...', 0)", f"{START} Leadersh...{END}"),
        ("t | replace('step', '-')", f"{START} Leadership - {END}"),
        ("t | replace(old='step', new='-')", f"{START} Leadership - {END}"),
        ("t | center(18)", f"{START} Leadership step  {END}"),
        ("t | wordwrap(12)", f"{START} Leadership\nstep{END}"),
        ("t | striptags", f"{START}Leadership step{END}"),
        ("t | indent(2, first=True)", f"{START}   Leadership step {END}"),
        ("t | title", f"{START} Leadership Step {END}"),  # Jinja's own, not str.title
        # Words the filter adds are the template's: plain, in the document's language.
        ("t | replace('step', 'cam')", f"{START} Leadership {END}cam{START} {END}"),
        ("t | truncate(12, True, ' (mwy)', 0)", f"{START} Leade ({END}mwy)"),
        ("t | indent('Nodyn: ', first=True)", f"Nodyn: {START} Leadership step {END}"),
        # A heading joining Welsh and English keeps its English part marked.
        ("m | trim", f"Modiwl 2: {START}Leadership{END}"),
        ("m | upper", f" MODIWL 2: {START}LEADERSHIP {END}"),
        ("m | title", f" Modiwl 2: {START}Leadership {END}"),
        ("m | truncate(15, True, '...', 0)", f" Modiwl 2: {START}L...{END}"),
        ("m | replace('Modiwl', 'Module')", f" Module 2: {START}Leadership {END}"),
    ],
)
def test_a_template_filter_that_only_reshapes_english_keeps_it_marked(tag, printed):
    """A council template's `| trim`, `| truncate` ... on a label with no Welsh made plain
    text of it, so the Welsh plan read it out as Welsh (WCAG 3.1.2). An English document
    marks nothing."""
    english, template = EnglishText(" Leadership step "), "{{ " + tag + " }}"
    mixed = joined(" Modiwl 2: ", EnglishText("Leadership "))
    marked = PlanSandbox(mark_english=word_mark).from_string(template)
    assert marked.render(t=english, m=mixed) == printed
    plain = printed.replace(START, "").replace(END, "")
    assert PlanSandbox().from_string(template).render(t=english, m=mixed) == plain


def test_the_english_plan_has_no_language_of_parts(welsh):
    runs = _runs(welsh / "example-plan-en.docx")
    assert not [text for text, lang in runs if lang]  # the document's default says it all
    page = (welsh / "example-plan-en.html").read_text(encoding="utf-8")
    assert 'lang="en-GB"' not in page.split("<body", 1)[1]


def test_the_welsh_web_page_marks_english_as_english(welsh):
    page = lxml.html.fromstring((welsh / "example-plan-cy.html").read_text(encoding="utf-8"))
    english = [span.text_content() for span in page.xpath('//span[@lang="en-GB"]')]
    assert ENGLISH_EVIDENCE in english
    attributes = [v for element in page.iter() for v in element.attrib.values()]
    assert not [v for v in attributes if "<span" in v]
    assert "<span" not in page.findtext(".//title")


def test_the_welsh_cover_report_marks_english_as_english(tmp_path):
    book = openpyxl.load_workbook(EXAMPLE)
    report = book["Report"]
    for row in report.iter_rows(min_row=2):
        if row[0].value == "Purpose (Cymraeg)":
            row[1].value = None  # the Welsh cover report prints the English purpose
    path = tmp_path / "plan.xlsx"
    book.save(path)
    build(path, tmp_path, language="cy", cover=True)
    runs = _runs(tmp_path / "plan-cy-cover-report.docx")
    purpose = report["B7"].value
    assert report["A7"].value == "Purpose"
    assert (purpose, "en-GB") in runs
    assert ("Corporate Overview and Scrutiny Committee", "en-GB") in runs  # no Welsh is asked
    assert "cy-GB" in {lang for _text, lang in runs}


def test_a_marked_run_is_cut_keeping_its_formatting_breaks_and_order():
    paragraph = parse_xml(
        f"<w:p {nsdecls('w')}><w:r><w:rPr><w:b/></w:rPr>"
        f"<w:t xml:space='preserve'>Cam nesaf: {START}First line</w:t><w:br/>"
        f"<w:t>second line{END}.</w:t></w:r></w:p>"
    )
    pieces = split_run(paragraph[0])
    assert [english for _run, english in pieces] == [False, True, False]
    texts = ["".join(t.text for t in run.iter(qn("w:t"))) for run, _english in pieces]
    assert texts == ["Cam nesaf: ", "First linesecond line", "."]
    assert pieces[1][0].find(qn("w:br")) is not None  # the line break stays in the English
    assert all(run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None for run, _ in pieces)
    assert list(paragraph) == [run for run, _english in pieces]


def test_marks_a_template_printed_outside_run_text_are_taken_out():
    """A council's template may print English into a table's alt text or a field code."""
    table = parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblCaption w:val='{START}Plan{END}'/></w:tblPr>"
        f"<w:tr><w:tc><w:p><w:fldSimple w:instr='{START}PAGE{END}'/>"
        f"<w:r><w:t>{START}Text{END}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    english = english_runs(table)
    written = etree.tostring(table, encoding="unicode")
    assert START not in written and END not in written
    assert 'w:val="Plan"' in written and 'w:instr="PAGE"' in written
    assert ["".join(t.text for t in run.iter(qn("w:t"))) for run in english] == ["Text"]


def test_officers_text_never_carries_the_marks():
    assert clean_text(f"a{START}b{END}c") == ("abc", True)


@pytest.mark.libreoffice
def test_the_welsh_pdf_tags_english_spans(tmp_path):
    require_soffice()
    result = build(EXAMPLE, tmp_path, language="cy", pdf=True)
    assert result.report.valid, result.notes
    languages = set()
    with pikepdf.open(tmp_path / "example-plan-cy.pdf") as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node:
                    languages.add(str(node.Lang))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(kids)
                elif kids is not None:
                    stack.append(kids)
    assert "en-GB" in languages


@pytest.mark.parametrize("kind", ["footnote", "endnote"])
def test_a_welsh_plan_from_a_template_with_notes_builds_and_leaves_no_mark(tmp_path, kind):
    """Word saves footnotes and endnotes parts into many documents; a Welsh build from such
    a template stopped with a traceback (python-docx keeps those parts as plain bytes), and
    a note printing English for want of Welsh kept its marks."""
    from tests.bad_inputs.crafted_docx import with_notes

    note = "<w:p><w:r><w:t>{{ plan.framework.title }}</w:t></w:r></w:p>"
    template = with_notes(tmp_path / "notes.docx", kind, note)
    result = build(EXAMPLE, tmp_path, language="cy", template=template)
    assert result.report.valid
    with zipfile.ZipFile(tmp_path / "example-plan-cy.docx") as package:
        for part in package.namelist():
            text = package.read(part).decode("utf-8", "replace")
            assert START not in text and END not in text, part
        notes = package.read(f"word/{kind}s.xml").decode("utf-8")
    if kind == "footnote":  # docxtpl fills in footnotes only
        assert "Equality Framework for Local Government 2021" in notes


def test_a_caption_or_sentence_naming_an_english_heading_keeps_it_english(welsh):
    """The web page's table captions (`Camau gweithredu ar gyfer Modiwl 2: ...`) are made by
    the template's `_()` from a heading that is partly English."""
    page = lxml.html.fromstring((welsh / "example-plan-cy.html").read_text(encoding="utf-8"))
    caption = page.xpath('//caption[contains(., "Modiwl 2: ")]')[0]
    assert [span.text for span in caption.xpath('span[@lang="en-GB"]')] == [
        "Leadership, partnership and organisational commitment"
    ]
    assert caption.text.startswith("Camau gweithredu ar gyfer Modiwl 2: ")
    region = caption.getparent().getparent()
    assert "<span" not in region.get("aria-labelledby") and "span" not in caption.get("id")


def test_a_council_framework_label_without_welsh_is_tagged_english(tmp_path):
    """A council's framework naming its modules `Ambition`, with no Welsh for the word: the
    heading's `Ambition 2` is English, not Welsh, and so is the word in a module's note."""
    shipped = (ROOT / "pipeline/frameworks/eflg-2021.yaml").read_text(encoding="utf-8")
    framework = tmp_path / "acme.yaml"
    framework.write_text(
        shipped.replace("id: eflg-2021", "id: acme-2026", 1).replace(
            "  module: Module", "  module: Ambition", 1
        ),
        encoding="utf-8",
    )
    book = openpyxl.load_workbook(EXAMPLE)
    book["Plan"]["B4"].value = "acme-2026"
    path = tmp_path / "acme-plan.xlsx"
    book.save(path)
    result = build(path, tmp_path, language="cy", framework=frameworks.load(framework))
    assert result.report.valid, result.report.to_text()
    plan = tmp_path / "acme-plan-cy.docx"
    assert _paragraph_runs(plan, "Ambition 2: ") == [
        ("Ambition", "en-GB"),
        (" 2: ", "cy-GB"),
        ("Leadership, partnership and organisational commitment", "en-GB"),
    ]
    note = _paragraph_runs(plan, "Yn fframwaith")  # section 1 is retitled in the example
    assert ("ambition", "en-GB") in note


def test_a_message_with_a_number_placeholder_is_formatted_as_usual():
    english = EnglishText("Leadership")
    assert filled("%(n)d o %(title)s", {"n": 3, "title": english}) == "3 o Leadership"
    assert type(joined(joined("Modiwl 2: ", english), "!")) is MixedText
    assert joined(joined("Modiwl 2: ", english), "!").parts == ("Modiwl 2: ", english, "!")
