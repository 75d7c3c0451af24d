"""The Word action plan: structure, every action, RAG words and colours, accessibility (issue 5)."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.build import build
from pipeline.errors import BuildIncomplete
from pipeline.model import Rag
from pipeline.validate import validate_workbook
from tests.conftest import EXAMPLE, action_row, write_plan_workbook
from tests.render.helpers import (
    action_rows,
    all_text,
    cell_text,
    headings,
    parts,
    shading,
    stale_metadata,
)


@pytest.fixture(scope="module")
def example_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = build(EXAMPLE, out)
    assert result.docx is not None, result.report.to_text()
    return result


@pytest.fixture(scope="module")
def example_plan():
    return validate_workbook(EXAMPLE).plan


def test_headings_use_word_heading_styles(example_build):
    h1 = headings(example_build.docx, 1)
    assert h1[:4] == [
        "Document control",
        "Introduction",
        "Our equality objectives",
        "Summary of progress",
    ]
    assert "Module 1: Understanding and working with our communities" in h1  # its own title
    assert "Module 4: Diverse and engaged workforce" in h1
    assert h1[-4:] == [
        "Appendix A: Overdue actions",
        "Appendix B: Actions due in the next 90 days",
        "Appendix C: Actions by owner",
        "Appendix D: Themes with no actions",
    ]
    assert "Self-assessment against the framework" in headings(example_build.docx, 2)
    document = docx.Document(str(example_build.docx))
    assert document.paragraphs[0].style.name == "Title"


def test_the_overdue_appendix_says_withdrawn_actions_are_left_out(example_build):
    """Withdrawn actions are never overdue; the appendix's lead-in said only "not complete"."""
    texts = [p.text for p in docx.Document(str(example_build.docx)).paragraphs]
    lead_in = texts[len(texts) - texts[::-1].index("Appendix A: Overdue actions")]  # not contents
    assert lead_in.replace("\u00a0", " ") == (
        "Actions whose deadline is before 30 November 2026 and that are neither complete nor "
        "withdrawn."
    )


def test_every_action_has_its_row_with_text_and_rag(example_build, example_plan):
    rows = action_rows(example_build.docx)
    assert len(rows) == len(example_plan.actions) == 62
    for action, row in zip(example_plan.actions, rows, strict=True):
        cells = row.cells
        assert cell_text(cells[0]) == action.display_ref
        assert cell_text(cells[1]).startswith(action.point_label)
        assert cell_text(cells[2]) == action.evidence
        assert cell_text(cells[3]).startswith(action.action)
        assert cell_text(cells[4]).replace("\u00a0", " ") == action.deadline.display
        assert cell_text(cells[5]) == action.owner
        assert cell_text(cells[6]) == action.rating.label
        assert shading(cells[6]) == action.rating.fill


def test_rag_words_and_colours(example_build):
    fills = {}
    for row in action_rows(example_build.docx):
        fills.setdefault(cell_text(row.cells[6]), set()).add(shading(row.cells[6]))
    # The colours written out, not taken from pipeline.rag: swapped fills must fail here.
    assert fills == {
        "Red": {"FF7C80"},
        "Amber": {"FFC000"},
        "Green": {"92D050"},
        "Complete": {"5B9BD5"},
        "Not rated": {"E7E6E6"},
    }


def test_rag_fills_meet_contrast_with_black_text():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for rating in Rag:
        assert (luminance(rating.fill) + 0.05) / 0.05 >= 4.5, rating


def test_tables_have_repeating_header_rows(example_build):
    document = docx.Document(str(example_build.docx))
    assert len(document.tables) > 10
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None


def test_action_tables_are_in_landscape_sections(example_build):
    document = docx.Document(str(example_build.docx))
    orientations = [(s.page_width > s.page_height) for s in document.sections]
    assert orientations == [False, True]


def test_line_breaks_inside_cells_are_kept(example_build):
    rows = action_rows(example_build.docx)
    text = next(
        cell_text(r.cells[3])
        for r in rows
        if "Add optional equality questions" in cell_text(r.cells[3])
    )
    assert (
        "Add optional equality questions to the complaints form\nand report the results quarterly."
        in text
    )


def test_dates_written_out_and_never_wrapped(example_build):
    """Dates eqplan formats are written out, with non-breaking spaces so Word never
    wraps them mid-date (issue 10)."""
    text = all_text(example_build.docx, keep_nbsp=True)
    assert "Position as at 30\u00a0November\u00a02026" in text
    assert "Period: 1\u00a0April\u00a02026 to 31\u00a0March\u00a02029" in text
    assert "Nov\u00a02026" in text  # the month-only deadline, as typed
    assert "2026-" not in text


def test_properties_language_and_alt_text(example_build):
    assert stale_metadata(example_build.docx) == []
    document = docx.Document(str(example_build.docx))
    props = document.core_properties
    assert props.title == "Equality, Diversity and Inclusion Action Plan 2026 to 2029"
    assert props.author == "Corporate Policy and Equalities Team"
    assert props.language == "en-GB"
    lang = (
        document.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "en-GB"
    pictures = document.element.body.findall(".//" + qn("wp:docPr"))
    assert len(pictures) == 1
    assert (
        pictures[0].get("descr").startswith("Bar chart of actions by RAG rating for each module.")
    )
    assert "1. Understanding and working with our communities: 20 actions" in pictures[0].get(
        "descr"
    )


def test_footer_has_title_and_page_number(example_build):
    document = docx.Document(str(example_build.docx))
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert (
        "Equality, Diversity and Inclusion Action Plan 2026 to 2029, Example Borough Council. Page"
        in "".join(t.text or "" for t in footer._element.iter(qn("w:t")))
    )
    assert 'w:instr="PAGE"' in xml and 'w:instr="NUMPAGES"' in xml


def test_summary_counts_match_the_plan(example_build, example_plan):
    document = docx.Document(str(example_build.docx))
    table = next(t for t in document.tables if cell_text(t.rows[0].cells[0]) == "Module")
    totals = [cell_text(c) for c in table.rows[-1].cells]
    # Counted in the example workbook with openpyxl, not with the model's ratings.
    assert totals == ["Total", "5", "15", "16", "5", "21", "62"]  # Red ... Not rated, all


def test_appendices_list_overdue_due_soon_and_checks(example_build, example_plan):
    report_date = dt.date(2026, 11, 30)
    document = docx.Document(str(example_build.docx))
    captions = [t._tbl.tblPr.find(qn("w:tblCaption")) for t in document.tables]
    by_caption = {c.get(qn("w:val")): t for c, t in zip(captions, document.tables, strict=True)}
    # Read from the example workbook by hand, not by the model's own rules: deadlines before
    # 30 November 2026 and not complete; due by 28 February 2027 (90 days), `Nov 2026` included.
    overdue = ["EB02", "EB07", "EB29", "EB42", "EB48", "EB54", "EB60"]
    due_soon = ["EB03", "EB05", "EB09", "EB18", "EB26", "EB30", "EB32", "EB35", "EB36", "EB43",
                "EB50", "EB57", "EB61"]  # fmt: skip
    assert overdue == [a.display_ref for a in example_plan.actions if a.is_overdue(report_date)]
    listed = by_caption["Overdue actions"].rows[1:]
    assert sorted(cell_text(r.cells[0]) for r in listed) == sorted(overdue)
    listed = by_caption["Actions due soon"].rows[1:]
    assert sorted(cell_text(r.cells[0]) for r in listed) == sorted(due_soon)
    text = all_text(example_build.docx)
    assert "Every theme of the framework has at least one action" in text
    # The data checks are officers' working notes: not in the committee's plan by default.
    assert "Rated Red but the progress update is empty." not in text
    assert "Actions!" not in text and "Checks on the data" not in text


def test_strand_rows_are_tinted_and_labelled(example_build):
    rows = action_rows(example_build.docx)
    tagged = [r for r in rows if "Strand: Race equality" in cell_text(r.cells[1])]
    assert tagged
    assert {shading(r.cells[2]) for r in tagged} == {"BDD7EE"}  # the example's own code
    untagged = [r for r in rows if "Strand:" not in cell_text(r.cells[1])]
    assert {shading(r.cells[2]) for r in untagged} == {"auto"}
    assert "Race equality (light blue)" in all_text(example_build.docx)


def test_outcomes_layout(tmp_path):
    result = build(EXAMPLE, tmp_path, layout="outcomes")
    document = docx.Document(str(result.docx))
    tables = [
        t
        for t in document.tables
        if len(t.columns) == 4 and cell_text(t.rows[0].cells[1]) == "Framework point"
    ]
    assert [cell_text(c) for c in tables[0].rows[0].cells] == [
        "Ref",
        "Framework point",
        "Where we are now",
        "What we want to have achieved by 2029",
    ]
    first = tables[0].rows[1].cells
    assert cell_text(first[0]) == "EB01"
    assert cell_text(first[1]).startswith(
        "1.1 Collecting and sharing information - Developing\nThe organisation has gathered"
    )
    assert "Responsible: Business Intelligence Team" in cell_text(first[2])
    assert "Officers and partners use one trusted set of ward data." in cell_text(first[3])
    assert sum(len(t.rows) - 1 for t in tables) == 62
    # An action with no evidence starts "Where we are now" with its next step, not a blank
    # line a screen reader announces (found reading the plan as a councillor).
    rows = {cell_text(r.cells[0]): r.cells[2] for t in tables for r in t.rows[1:]}
    assert rows["EB04"].paragraphs[0].text.startswith("Next step: ")
    assert all(cell.paragraphs[0].text for cell in rows.values())
    # "By: Annual" read oddly (a councillor's review): a deadline of any kind reads as one
    outcomes = {cell_text(r.cells[0]): cell_text(r.cells[3]) for t in tables for r in t.rows[1:]}
    assert "Deadline: Annual (rating: Amber)" in outcomes["EB06"]
    assert not [ref for ref, text in outcomes.items() if "By: " in text]


def test_custom_template_keeps_council_branding(tmp_path):
    template = tmp_path / "branded.docx"
    shutil.copy("templates/action-plan-rag.docx", template)
    document = docx.Document(str(template))
    document.paragraphs[0].insert_paragraph_before("Westshire Council: working for everyone")
    document.styles["Heading 1"].font.name = "Verdana"
    document.save(template)
    result = build(EXAMPLE, tmp_path / "out", template=template)
    built = docx.Document(str(result.docx))
    assert built.paragraphs[0].text == "Westshire Council: working for everyone"
    assert built.styles["Heading 1"].font.name == "Verdana"
    assert len(action_rows(result.docx)) == 62


def test_an_action_table_without_a_heading_row_gets_no_action_as_its_header(tmp_path):
    """An attacker's review of templates: with the action table's heading row deleted, every
    table's first action was made a header row, repeated on each page; LibreOffice's PDF
    then left 18 actions out. A row holding an action is never made a header."""
    template = tmp_path / "no-heading-row.docx"
    document = docx.Document("templates/action-plan-rag.docx")
    for table in document.element.body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        if len(rows) > 1 and "section.actions" in "".join(rows[1].itertext()):
            table.remove(rows[0])
    document.save(template)
    out = build(EXAMPLE, tmp_path / "out", template=template)
    headers = [
        row
        for table in docx.Document(str(out.docx)).tables
        for row in table._tbl.findall(qn("w:tr"))
        if row.trPr is not None and row.trPr.find(qn("w:tblHeader")) is not None
    ]
    assert headers, "the other tables keep their header rows"
    assert not [row for row in headers if any(
        mark.get(qn("w:name")).startswith("_eqA") for mark in row.iter(qn("w:bookmarkStart"))
    )]  # fmt: skip


def test_an_action_of_two_rows_with_no_heading_row_gets_no_header_either(tmp_path):
    """A second attacker's review: with each action's anchor in a second row of its own, the
    first action's text row was still made a header, and LibreOffice repeated EB01 on eight
    more pages. Header rows are now marked in the template, where the loop's rows show."""
    import copy

    template = tmp_path / "two-rows.docx"
    document = docx.Document("templates/action-plan-rag.docx")
    for table in document.element.body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        if len(rows) > 2 and "section.actions" in "".join(rows[1].itertext()):
            table.remove(rows[0])  # no heading row
            action = rows[2]
            anchor = copy.deepcopy(action)
            for t in action.iter(qn("w:t")):
                t.text = (t.text or "").replace("{{r a.anchor }}", "")
            texts = list(anchor.iter(qn("w:t")))
            for t in texts:
                t.text = ""
            texts[0].text = "{{r a.anchor }}"
            action.addnext(anchor)
    document.save(template)
    out = build(EXAMPLE, tmp_path / "out", template=template)
    headers = [
        "".join(row.itertext())
        for table in docx.Document(str(out.docx)).tables
        for row in table._tbl.findall(qn("w:tr"))
        if row.trPr is not None and row.trPr.find(qn("w:tblHeader")) is not None
    ]
    assert headers, "the other tables keep their header rows"
    assert not [text for text in headers if re.search(r"EB\d\d", text)]


def test_template_that_drops_rows_fails_loudly(tmp_path):
    template = tmp_path / "lossy.docx"
    document = docx.Document("templates/action-plan-rag.docx")
    for t in document.element.body.iter(qn("w:t")):
        if t.text == "{{r a.anchor }}":
            t.text = ""
    document.save(template)
    with pytest.raises(BuildIncomplete) as raised:
        build(EXAMPLE, tmp_path / "out", template=template)
    assert "rows 2, 3, 4" in raised.value.message
    assert not (tmp_path / "out" / "example-plan.docx").exists()


INJECTION = [
    "{{ config }} and {% for x in y %}{% endfor %}",
    "<b>bold</b> & R&D < 5 > 3",
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "@mention -minus",
    "Ŵyn ŷ Cymru: ŵ ŷ ✓ 😀",
    "مرحبا بالعالم",
    "Quote ' and \" and ]]> and &amp;",
]


def test_user_text_is_rendered_literally(make_workbook, tmp_path):
    rows = [action_row(ref=f"X{i}", evidence=text, action=f"Act {i}: {text}", owner="Team")
            for i, text in enumerate(INJECTION)]  # fmt: skip
    rows.append(
        action_row(ref="X9", evidence="Tab\there and bell_x0007_gone", action="Control chars.")
    )
    result = build(make_workbook(actions=rows), tmp_path)
    assert result.docx is not None, result.report.to_text()
    rows_out = action_rows(result.docx)
    evidence = [cell_text(r.cells[2]) for r in rows_out]
    assert evidence[: len(INJECTION)] == INJECTION
    # Typed `_x0007_` is text, kept as typed; a real bell character is removed at reading
    # (the catalogue's control-chars case stores one as Excel does).
    assert evidence[-1] == "Tab\there and bell_x0007_gone"
    document_xml = parts(result.docx)["word/document.xml"].decode()
    assert "<b>" not in document_xml and "&lt;b&gt;bold&lt;/b&gt; &amp; R&amp;D" in document_xml


def test_same_input_gives_same_document(tmp_path):
    first = parts(build(EXAMPLE, tmp_path / "a").docx)
    second = parts(build(EXAMPLE, tmp_path / "b").docx)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_word_file_opens_and_validates_as_zip(example_build):
    import zipfile

    with zipfile.ZipFile(example_build.docx) as archive:
        assert archive.testzip() is None
        assert re.search(rb"<w:lang [^>]*w:val=\"en-GB\"", archive.read("word/styles.xml"))


def test_actions_sharing_a_ref_are_both_counted_and_bookmarked_by_key(make_workbook, tmp_path):
    """Two rows with one Ref (REF_DUPLICATE) are two actions: neither is lost or merged."""
    rows = [action_row(ref="L-1"), action_row(ref="l-1", action="Another action.")]
    result = build(make_workbook(actions=rows), tmp_path)
    assert result.actions == 2
    assert [cell_text(r.cells[0]) for r in action_rows(result.docx)] == ["L-1", "l-1"]
    names = docx.Document(str(result.docx)).element.body.xpath(
        ".//w:bookmarkStart/@w:name[starts-with(., '_eqA')]"
    )
    assert len(set(names)) == 2 and not {"_eqA2", "_eqA3"} & set(names)  # keys, not rows


@pytest.mark.parametrize(
    ("version", "status", "line"),
    [
        ("1.2", "Draft", "Version 1.2, Draft"),
        ("1.2", None, "Version 1.2"),
        (None, "Final", "Status: Final"),
        (None, None, None),
    ],
)
def test_version_line_prints_what_there_is(tmp_path, version, status, line):
    """Version and Status are optional: no stray comma, no bare 'Version', no status word
    without its label (Word and web page, from one line in the context)."""
    source = write_plan_workbook(
        tmp_path / "plan.xlsx", plan={"version": version, "status": status}
    )
    result = build(source, tmp_path / "out", html=True)
    assert result.docx is not None, result.report.to_text()
    front = [p.text for p in docx.Document(str(result.docx)).paragraphs[:6]]
    page = result.html.read_text()
    meta = re.findall(r'<p class="meta">([^<]*)</p>', page)
    if line is None:
        assert not [text for text in front if text.startswith("Version") or text.endswith(", ")]
        assert not [text for text in meta if "Version" in text]
    else:
        assert line in front and line in meta
    assert not [text for text in [*front, *meta] if text.rstrip().endswith(",")]


@pytest.mark.parametrize(
    ("committee", "meeting", "line"),
    [
        ("Cabinet", dt.date(2027, 1, 14), "Prepared for Cabinet, 14\u00a0January\u00a02027"),
        ("Cabinet", None, "Prepared for Cabinet"),
        (None, dt.date(2027, 1, 14), "Meeting date: 14\u00a0January\u00a02027"),
        (None, None, None),
    ],
)
def test_meeting_line_prints_what_there_is(tmp_path, committee, meeting, line):
    """A meeting date with no committee is still printed (Word and web page, one context line)."""
    source = write_plan_workbook(
        tmp_path / "plan.xlsx", plan={"committee": committee, "meeting_date": meeting}
    )
    result = build(source, tmp_path / "out", html=True)
    assert result.docx is not None, result.report.to_text()
    front = [p.text for p in docx.Document(str(result.docx)).paragraphs[:6]]
    meta = re.findall(r'<p class="meta">([^<]*)</p>', result.html.read_text())
    if line is None:
        assert not [t for t in [*front, *meta] if "Prepared for" in t or "Meeting date" in t]
    else:
        assert line in front and line in meta


def test_meeting_line_keeps_an_english_committee_tagged_in_a_welsh_plan(tmp_path):
    source = write_plan_workbook(tmp_path / "plan.xlsx", plan={"committee": "Cabinet"})
    result = build(source, tmp_path / "out", html=True, language="cy")
    assert result.docx is not None, result.report.to_text()
    assert '<p class="meta">Paratowyd ar gyfer <span lang="en-GB">Cabinet</span>, ' in (
        result.html.read_text()
    )
    body = docx.Document(str(result.docx)).element.body
    line = next(p for p in body.iter(qn("w:p")) if "Paratowyd" in "".join(p.itertext()))
    tagged = {
        r.findtext(qn("w:t")): r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val"))
        for r in line.iter(qn("w:r"))
    }
    assert tagged["Cabinet"] == "en-GB" and tagged["Paratowyd ar gyfer "] == "cy-GB"


@pytest.mark.parametrize(
    ("bookmarks", "says"),
    [
        (["_eqA1", "_eqA2", "_eqA2"], "(EB02 appears more than once)"),
        (["_eqA1", "_eqA2", "_eqAforged"], "(it holds a bookmark no action has: _eqAforged)"),
        (["_eqA1"], "(row 3 of the Actions sheet is missing: EB02)"),
        (["_eqA1", "_eqA1"], "(row 3 of the Actions sheet is missing: EB02; EB01 appears"),
        ([], "(no action's row holds its anchor; rows 2, 3 of the Actions sheet are missing"),
    ],
)
def test_the_count_says_what_is_wrong_with_the_bookmarks(bookmarks, says):
    """An attacker's review of templates: a bookmark no action has was reported as "some
    appear twice", though none did."""
    from types import SimpleNamespace

    from pipeline.render.word import _count_action_rows

    actions = [SimpleNamespace(bookmark=f"_eqA{n}", row=n + 1, ref=f"EB0{n}") for n in (1, 2)]
    with pytest.raises(BuildIncomplete) as raised:
        _count_action_rows(bookmarks, SimpleNamespace(actions=actions))
    assert says in raised.value.message
    assert _count_action_rows(["_eqA2", "_eqA1", "_other"], SimpleNamespace(actions=actions)) == 2


def test_the_councils_words_with_no_welsh_are_tagged_english_in_a_welsh_plan(tmp_path):
    """A councillor's review: in the Welsh plan "Cabinet Member for Communities and
    Equalities" (lead member) and "Director of Communities" (lead officer) were tagged Welsh,
    though the cover report tagged its Report of English; so were the action owners."""
    result = build(EXAMPLE, tmp_path / "out", html=True, language="cy", cover=True)
    languages: dict[str, set[str]] = {}
    for document in (result.docx, result.cover):  # the cover's contact officer too
        for run in docx.Document(str(document)).element.body.iter(qn("w:r")):
            tag = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if tag is not None and text:
                languages.setdefault(text, set()).add(tag.get(qn("w:val")))
    for words in (
        "Cabinet Member for Communities and Equalities",
        "Director of Communities",
        "Human Resources and OD",
        "Sam Okafor, Equalities Lead, equalities@example.gov.uk",
    ):
        assert languages.get(words) == {"en-GB"}, words
    page = result.html.read_text()
    assert 'Swyddog arweiniol: <span lang="en-GB">Director of Communities</span>' in page
