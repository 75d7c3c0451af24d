"""The Word plan follows the council's own structure (issue 10): its section order and titles,
references on every action, its strand colours, and the framework's own levels."""

from __future__ import annotations

import docx

from pipeline.build import build
from tests.conftest import action_row
from tests.render.helpers import action_rows, all_text, cell_text, headings

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

    expected = [
        "Module 1: Leadership and commitment to equality",
        "Module 2: Understanding and working with our communities",
        "Module 3: Responsive services and customer care",
        "Module 4: Diverse and engaged workforce",
    ]
    h1 = headings(result.docx, 1)
    assert [h for h in h1 if h.startswith("Module ")] == expected
    assert [c for c in _contents(result.docx) if c.startswith("Module ")] == expected
    # The module tables come in the same order: Leadership's action first.
    assert [cell_text(r.cells[0]).split(" ")[0] for r in action_rows(result.docx)] == [
        "6.1",
        "1.2",
        "13.1",
    ]
    summary = _table(result.docx, "Module")
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
