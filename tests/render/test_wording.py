"""Count sentences agree with their numbers, objectives are numbered once, one due-soon window (issue 10)."""

from __future__ import annotations

import datetime as dt

import docx
from docx.oxml.ns import qn

from pipeline import problems
from pipeline.build import build
from pipeline.render.context import build_context
from pipeline.render.template_file import default_template
from pipeline.render.word_job import render_word
from pipeline.text import are, plural, strip_list_number
from pipeline.validate import validate_workbook
from pipeline.view import MAX_WARNINGS_LISTED, build_view
from tests.conftest import action_row
from tests.render.helpers import all_text, headings


def test_count_phrases_agree():
    assert plural(1, "action") == "1 action"
    assert plural(0, "action") == "0 actions"
    assert are(1, "overdue") == "1 is overdue"
    assert are(2, "overdue") == "2 are overdue"
    assert are(0, "overdue") == "none are overdue"


def test_a_one_action_plan_reads_in_the_singular(make_workbook, tmp_path):
    overdue = action_row(deadline=dt.date(2026, 10, 1), rag="Amber")
    result = build(make_workbook(actions=[overdue]), tmp_path)
    text = all_text(result.docx)
    assert (
        "This plan holds 1 action, of which none are complete. As at 30 November 2026, "
        "1 is overdue and none are due in the next 90 days." in text
    )
    assert "1 are" not in text and "1 actions" not in text
    picture = docx.Document(str(result.docx)).element.body.xpath(".//wp:docPr/@descr")[0]
    assert "1 action (1 amber)." in picture


def test_the_warnings_left_out_are_counted_in_agreement(make_workbook):
    validation = validate_workbook(make_workbook())
    one_more = [problems.RAG_MISSING.at("Actions", "H2")] * (MAX_WARNINGS_LISTED + 1)
    context = build_context(build_view(validation.plan, one_more))
    assert context["warnings_more_text"] == "1 further point is not shown"
    context = build_context(build_view(validation.plan, one_more + one_more[:2]))
    assert context["warnings_more_text"] == "3 further points are not shown"


def test_typed_list_numbers_are_stripped():
    assert strip_list_number("1. Know our communities") == "Know our communities"
    assert strip_list_number("2) Be a fair employer") == "Be a fair employer"
    assert strip_list_number("(3) Close the gap") == "Close the gap"
    assert strip_list_number("4 - Listen") == "Listen"
    assert strip_list_number("1.5 million residents heard") == "1.5 million residents heard"
    assert strip_list_number("2030 is our target year") == "2030 is our target year"


def test_objectives_are_numbered_once(make_workbook, tmp_path):
    """The officer typed "1. Know our communities" in a list Word numbers: no "1. 1."."""
    objectives = "1. Know our communities\n2) Be a fair employer\nReach 1.5 million residents"
    result = build(make_workbook(plan={"objectives": objectives}), tmp_path)
    document = docx.Document(str(result.docx))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == [
        "Know our communities",
        "Be a fair employer",
        "Reach 1.5 million residents",
    ]
    style = document.styles["List Number"].element
    assert style.find(qn("w:pPr")).find(qn("w:numPr")) is not None  # Word numbers the list


def test_due_soon_window_given_to_the_view_is_the_one_printed(make_workbook, tmp_path):
    """A window of 30 days (summarise(plan, due_soon_days=30)) used to print '90 days' all the same."""
    rows = [
        action_row(ref="A1", deadline=dt.date(2026, 12, 20), rag="Green"),
        action_row(ref="A2", deadline=dt.date(2027, 2, 1), rag="Green", action="Later."),
    ]
    validation = validate_workbook(make_workbook(actions=rows))
    view = build_view(validation.plan, due_soon_days=30)
    assert [a.ref for a in view.due_soon] == ["A1"]
    out = render_word(view, tmp_path / "p.docx", default_template("rag"))
    text = all_text(out.path)
    assert "Appendix B: Actions due in the next 30 days" in headings(out.path)
    assert "1 is due in the next 30 days" in text
    assert "between 30 November 2026 and 30 December 2026" in text
    assert "90 days" not in text
    assert [a for a in view.action_records if a["due_soon"]] == [view.action_records[0]]
