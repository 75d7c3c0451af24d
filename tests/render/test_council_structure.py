"""The Word plan follows the council's own structure (issue 10): its section order and titles,
references on every action, its strand colours, and the framework's own levels."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx

from pipeline.build import build
from pipeline.strands import contrast_with_black, default_colour
from pipeline.validate import validate_workbook
from tests.conftest import EXAMPLE, action_row, read_only_workbook
from tests.render.helpers import action_rows, all_text, cell_text, headings, shading

# The council numbers Leadership first and uses its own words, as seed 004 does.
COUNCIL_ORDER = ["2", "1", "3", "4"]
COUNCIL_TITLES = {
    "2": "Leadership and commitment to equality",
    "1": "Understanding and working with our communities",
}


def _contents(path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs if p.style.name == "TOC 1" and p.text]


def _table(path, first_heading: str):
    document = docx.Document(str(path))
    return next(t for t in document.tables if cell_text(t.rows[0].cells[0]) == first_heading)


def test_sections_follow_the_councils_order_and_titles(make_workbook, tmp_path):
    rows = [
        action_row(ref="C1", point="1.2", action="Publish ward profiles.", owner="Team"),
        action_row(ref="L1", point="6.1", action="Agree an equality vision.", owner="Team"),
        action_row(ref="W1", point="13.1", action="Publish pay gap figures.", owner="Team"),
    ]
    path = make_workbook(actions=rows, section_order=COUNCIL_ORDER, section_titles=COUNCIL_TITLES)
    result = build(path, tmp_path)
    assert result.docx is not None, result.report.to_text()

    expected = [  # renumbered by the council: "Section", never read as the framework's module
        "Section 1: Leadership and commitment to equality",
        "Section 2: Understanding and working with our communities",
        "Section 3: Responsive services and customer care",
        "Section 4: Diverse and engaged workforce",
    ]
    h1 = headings(result.docx, 1)
    assert [h for h in h1 if h.startswith("Section ")] == expected
    assert [c for c in _contents(result.docx) if c.startswith("Section ")] == expected
    # The module tables come in the same order: Leadership's action first.
    assert [cell_text(r.cells[1]).split(" ")[0] for r in action_rows(result.docx)] == [
        "6.1",
        "1.2",
        "13.1",
    ]
    summary = _table(result.docx, "Section")
    assert [cell_text(r.cells[0]) for r in summary.rows[1:]] == [
        "1. Leadership and commitment to equality",
        "2. Understanding and working with our communities",
        "3. Responsive services and customer care",
        "4. Diverse and engaged workforce",
        "Total",
    ]
    assert [cell_text(r.cells[-1]) for r in summary.rows[1:]] == ["1", "1", "0", "1", "3"]
    text = all_text(result.docx)
    assert "your communities" not in "\n".join(h1)
    # Readers comparing with the framework are told where a renumbered section sits.
    assert (
        "In the EFLG 2021 framework this is module 2: "
        "Leadership, partnership and organisational commitment." in text
    )


def test_sections_in_framework_order_print_no_framework_note(make_workbook, tmp_path):
    result = build(make_workbook(), tmp_path)
    assert result.docx is not None, result.report.to_text()
    assert "Module 1: Understanding and working with your communities" in headings(result.docx)
    assert "In the EFLG 2021 framework this is" not in all_text(result.docx)


def test_every_action_has_a_reference_in_the_document(make_workbook, tmp_path):
    overdue = dict(deadline=dt.date(2026, 1, 31), rag="Amber", owner="Team")
    rows = [
        action_row(ref=None, action="Publish ward profiles.", **overdue),
        action_row(ref=None, action="Train managers.", **overdue),
        action_row(ref="A7", action="Agree a vision.", **overdue),
        action_row(ref="A7", action="Same ref twice.", owner="Team"),
    ]
    path = make_workbook(actions=rows)
    result = build(path, tmp_path, include_checks=True)  # the checks appendix names REF_MISSING
    assert result.docx is not None, result.report.to_text()
    plan_refs = [a.ref for a in validate_workbook(path).plan.actions]
    assert all(plan_refs) and plan_refs[2:] == ["A7", "A7"]
    document = docx.Document(str(result.docx))
    ref_tables = [t for t in document.tables if cell_text(t.rows[0].cells[0]) == "Ref"]
    appendix = ref_tables[-1]  # Appendix A, after the module tables (nothing is due soon)
    shown = sorted(cell_text(r.cells[0]) for r in appendix.rows[1:])
    assert shown == sorted(plan_refs[:3])
    assert all(re.fullmatch(r"1\.2-[0-9A-Z]{4}", ref) for ref in plan_refs[:2])
    text = all_text(result.docx)
    assert text.count("Actions with no reference") == 1
    assert "2 actions with no Ref (A2 to A3)" in text
    assert 'Reference "A7" is also used in row 4.' in text


# ------------------------------------------------------------------ strand colours


def _strand_fills(path) -> dict[str, str]:
    """Each strand's shading in the module tables, read from the rows labelled with it."""
    fills: dict[str, set[str]] = {}
    for row in action_rows(path):
        label = cell_text(row.cells[1]).rpartition("Strand: ")[2]
        if "Strand: " in cell_text(row.cells[1]):
            fills.setdefault(label, set()).add(shading(row.cells[2]))
    assert all(len(found) == 1 for found in fills.values()), fills
    return {name: found.pop() for name, found in fills.items()}


def _tagged(*strands: str) -> list[dict]:
    return [
        action_row(ref=f"S{n}", action=f"Action {n}.", strand=strand, owner="Team")
        for n, strand in enumerate(strands)
    ]


def test_each_strand_keeps_its_colour_whatever_else_the_plan_holds(make_workbook, tmp_path):
    alone = build(make_workbook(actions=_tagged("Gender pay gap")), tmp_path / "a")
    both = build(
        make_workbook(actions=_tagged("Race equality", "Gender pay gap", "Care leavers")),
        tmp_path / "b",
    )
    assert _strand_fills(alone.docx) == {"Gender pay gap": "E2EFDA"}
    fills = _strand_fills(both.docx)
    assert fills["Race equality"] == "DDEBF7"  # blue, as councils usually say
    assert fills["Gender pay gap"] == "E2EFDA"  # green
    assert fills["Care leavers"] == default_colour("Care leavers").fill
    text = all_text(both.docx)
    assert "Race equality (light blue)" in text and "Gender pay gap (light green)" in text
    assert "Strand: Race equality" in text


def test_council_colours_from_the_lists_sheet(make_workbook, tmp_path):
    def colours(wb):
        wb["Lists"]["F2"] = "#C6E0B4"  # Race equality, a green code
        wb["Lists"]["F3"] = "Light Pink"  # Gender pay gap
        wb["Lists"]["F4"] = "#1F4E79"  # Disability: dark blue, unreadable under black text
        wb["Lists"]["F5"] = "sky-ish"  # Workforce: not a colour

    rows = _tagged("Race equality", "Gender pay gap", "Disability", "Workforce")
    result = build(make_workbook(actions=rows, edit=colours), tmp_path, include_checks=True)
    assert result.docx is not None, result.report.to_text()
    fills = _strand_fills(result.docx)
    assert fills["Race equality"] == "C6E0B4"
    assert fills["Gender pay gap"] == "FCE4EC"
    assert fills["Workforce"] == "EDE2F6"  # its default, light purple
    assert fills["Disability"] != "1F4E79"
    assert contrast_with_black(fills["Disability"]) >= 4.5
    text = all_text(result.docx)
    assert "Race equality (light green)" in text and "Gender pay gap (light pink)" in text
    assert "Strand colour too dark to read" in text and "Lists!F4" in text
    assert "Strand colour not understood" in text and "Lists!F5" in text


def test_older_workbook_without_strand_colours_uses_defaults(make_workbook, tmp_path):
    def older(wb):
        wb["Lists"].delete_cols(6)  # no Strand colour column
        wb["Lists"]["E1"] = "Strands (edit this list)"

    path = make_workbook(actions=_tagged("Race equality", "Gender pay gap"), edit=older)
    result = build(path, tmp_path)
    assert result.docx is not None, result.report.to_text()
    assert _strand_fills(result.docx) == {"Race equality": "DDEBF7", "Gender pay gap": "E2EFDA"}
    assert not [p for p in result.report.problems if p.sheet == "Lists"]


# ------------------------------------------------------------------ framework levels


def _assessment_rows(path) -> dict[str, list[str]]:
    table = _table(path, "Building block")
    return {cell_text(r.cells[0]): [cell_text(c) for c in r.cells[1:3]] for r in table.rows[1:]}


def test_welsh_plan_uses_the_frameworks_own_levels(make_workbook, tmp_path):
    path = make_workbook(
        framework="eif-wales-2011",
        actions=[action_row(point="1.2")],
        assessments={"1.1": ("Work underway", "achieved"), "1.2": ("Not started", "Achieved")},
    )
    result = build(path, tmp_path)
    assert result.docx is not None, result.report.to_text()
    rows = _assessment_rows(result.docx)
    assert rows["1.1 Local inequality data and evidence (descriptive title, not official)"] == [
        "Work underway",
        "Achieved",
    ]
    assert rows["1.2 Consulting and involving the right people on the right things"] == [
        "Not started",
        "Achieved",
    ]
    text = all_text(result.docx)
    assert "The levels, lowest first, are: Not started, Work underway, Achieved." in text
    assert "Building blocks marked (descriptive title, not official) have no title" in text
    assert (
        "Developing"
        not in text.split("Self-assessment against the framework")[1].split("Module 1")[0]
    )


def test_eflg_levels_and_no_descriptive_title_note(make_workbook, tmp_path):
    path = make_workbook(assessments={"1": ("Developing", "Excellent")})
    result = build(path, tmp_path)
    assert result.docx is not None, result.report.to_text()
    text = all_text(result.docx)
    assert "The levels, lowest first, are: Not started, Developing, Achieving, Excellent." in text
    assert "descriptive title, not official" not in text
    assert _table(result.docx, "Theme").rows[1].cells[1].text == "Developing"


def test_eflg_level_is_invalid_in_a_welsh_plan(make_workbook):
    path = make_workbook(
        framework="eif-wales-2011", assessments={"1.1": ("Developing", "Achieved")}
    )
    report = validate_workbook(path).report
    invalid = [p for p in report.problems if p.code == "LEVEL_INVALID"]
    assert [p.cell for p in invalid] == ["C2"]
    assert invalid[0].message == '"Developing" is not a level of EIF Wales 2011.'
    assert "Not started, Work underway or Achieved" in invalid[0].hint


# ------------------------------------------------------------------ older workbooks

OLD_EXAMPLE = Path(__file__).parents[1] / "workbook" / "data" / "example-plan-before-issue-10.xlsx"


def test_workbook_from_before_issue_10_builds_as_before(tmp_path):
    """The shipped example as it was: no Section title, no Strand colour, every Ref typed."""
    result = build(OLD_EXAMPLE, tmp_path)
    assert result.docx is not None, result.report.to_text()
    h1 = headings(result.docx, 1)
    assert [h for h in h1 if h.startswith("Module ")] == [
        "Module 1: Understanding and working with your communities",
        "Module 2: Leadership, partnership and organisational commitment",
        "Module 3: Responsive services and customer care",
        "Module 4: Diverse and engaged workforce",
    ]
    text = all_text(result.docx)
    assert "In the EFLG 2021 framework this is" not in text
    assert "Race equality (light blue)" in text and "Gender pay gap (light green)" in text
    codes = result.report.count_by_code()
    assert not {"REF_MISSING", "STRAND_COLOUR_INVALID", "STRAND_COLOUR_CONTRAST"} & set(codes)
    assert len(action_rows(result.docx)) == 62


def test_shipped_example_shows_its_own_title_and_colour(tmp_path):
    result = build(EXAMPLE, tmp_path)
    assert result.docx is not None, result.report.to_text()
    text = all_text(result.docx)
    assert "Module 1: Understanding and working with our communities" in headings(result.docx)
    assert _strand_fills(result.docx)["Race equality"] == "BDD7EE"
    assert "Race equality (light blue)" in text


def test_the_cover_report_and_summary_workbook_say_section_as_the_plan_does(
    make_workbook, tmp_path
):
    """Found by a councillor's review: with the council's own numbering the plan said
    "Section" but the cover report and the summary workbook still said "Module", so
    "1. Leadership…" read as the framework's module 1."""

    rows = [action_row(ref="L1", point="6.1", action="Agree an equality vision.", owner="Team")]
    path = make_workbook(actions=rows, section_order=COUNCIL_ORDER, section_titles=COUNCIL_TITLES)
    result = build(path, tmp_path, cover=True)
    assert result.cover is not None, result.report.to_text()
    cover = docx.Document(str(result.cover))
    assert "Actions by section" in [p.text for p in cover.paragraphs]
    assert "Actions by module" not in [p.text for p in cover.paragraphs]
    table = next(t for t in cover.tables if cell_text(t.rows[0].cells[0]) == "Section")
    assert cell_text(table.rows[1].cells[0]) == "1. Leadership and commitment to equality"
    with read_only_workbook(result.summary) as book:
        assert "By section" in book.sheetnames and "By module" not in book.sheetnames
        assert book["By section"]["A1"].value == "Section"
        assert book["Coverage"]["A1"].value == "Section"


def test_the_ratings_table_caption_says_section_as_its_heading_does(make_workbook, tmp_path):
    """The heading said "Ratings by section" and the first column "Section", but the table's
    caption, which a screen reader announces with the table, still said "by module"."""
    rows = [action_row(ref="L1", point="6.1", action="Agree an equality vision.", owner="Team")]
    path = make_workbook(actions=rows, section_order=COUNCIL_ORDER, section_titles=COUNCIL_TITLES)
    result = build(path, tmp_path, html=True)
    document = docx.Document(str(result.docx))
    captions = [
        caption.get(docx.oxml.ns.qn("w:val"))
        for caption in document.element.body.iter(docx.oxml.ns.qn("w:tblCaption"))
    ]
    assert "RAG ratings by section" in captions
    assert not [c for c in captions if "by module" in c]
    page = result.html.read_text(encoding="utf-8")
    assert re.search(r"<caption[^>]*>RAG ratings by section<", page)
    assert "RAG ratings by module" not in page
