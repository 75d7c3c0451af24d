"""The summary workbook: numbers against a hand-counted plan, and text never a formula (issue 5)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from pipeline.build import build
from tests.conftest import action_row

D = dt.date
# Report date 30 November 2026. Hand count:
#   module 1: A1 Red overdue (Policy), A2 Green due soon (Policy), A3 Complete past deadline (HR)
#   module 2: A4 Amber overdue (HR), A5 unrated TBC (Policy)
#   module 4: A6 Green 2028 (HR), A7 Amber due soon (no owner)
ROWS = [
    action_row(
        ref="A1", point="1.1", rag="Red", deadline=D(2026, 10, 1), owner="Policy", progress="Late."
    ),
    action_row(
        ref="A2", point="1.2", rag="Green", deadline=D(2026, 12, 20), owner="Policy", action="Two."
    ),
    action_row(
        ref="A3", point="2.1", rag="Complete", deadline=D(2026, 6, 1), owner="HR", action="Three."
    ),
    action_row(
        ref="A4", point="6.2", rag="Amber", deadline="Sept 2026", owner="HR", action="=SUM(A1:A3)"
    ),
    action_row(ref="A5", point="7", rag=None, deadline="TBC", owner="Policy", action="Five."),
    action_row(ref="A6", point="13.1", rag="G", deadline="2028", owner="HR", action="Six."),
    action_row(ref="A7", point="14.2", rag="a", deadline="Jan 2027", owner=None, action="@Seven"),
    action_row(
        ref="A8",
        point="14.3",
        rag="Amber",
        deadline="31 December 2026 & Ongoing",
        owner="HR",
        action="A long action that wraps over several lines when printed. " * 4,
    ),
]


@pytest.fixture
def book(make_workbook, tmp_path):
    path = make_workbook(actions=ROWS, owners=["Policy", "HR"])
    result = build(path, tmp_path / "out")
    assert result.summary is not None, result.report.to_text()
    return openpyxl.load_workbook(result.summary)


def _table(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_sheets(book):
    assert book.sheetnames == [
        "By module",
        "By owner",
        "Overdue",
        "Due soon",
        "Self-assessment",
        "Coverage",
        "All actions",
    ]


def test_by_module_counts(book):
    rows = _table(book["By module"])
    assert rows[0] == ["Module", "Red", "Amber", "Green", "Complete", "Not rated", "Total"]
    assert rows[1] == ["1. Understanding and working with your communities", 1, 0, 1, 1, 0, 3]
    assert rows[2] == ["2. Leadership, partnership and organisational commitment", 0, 1, 0, 0, 1, 2]
    assert rows[3] == ["3. Responsive services and customer care", 0, 0, 0, 0, 0, 0]
    assert rows[4] == ["4. Diverse and engaged workforce", 0, 2, 1, 0, 0, 3]
    assert rows[5] == ["Total", 1, 3, 2, 1, 1, 8]


def test_by_owner_counts(book):
    rows = _table(book["By owner"])
    assert rows[1:] == [
        ["HR", 0, 2, 1, 1, 0, 4],
        ["Policy", 1, 0, 1, 0, 1, 3],
        ["(no owner)", 0, 1, 0, 0, 0, 1],
        ["Total", 1, 3, 2, 1, 1, 8],
    ]


def test_overdue_and_due_soon(book):
    overdue = _table(book["Overdue"])
    # Earliest deadline first; then a blank row and the as-at note: no other action listed.
    assert [r[0] for r in overdue[1:]] == ["A4", "A1", None, "Position as at 30 November 2026."]
    assert overdue[1][3:6] == ["Sept 2026", dt.datetime(2026, 9, 30), 61]  # as typed
    due_soon = _table(book["Due soon"])
    assert [r[0] for r in due_soon[1:4]] == ["A2", "A8", "A7"]
    assert due_soon[4][0] is None  # a blank row, then the as-at note
    assert due_soon[5][0] == "Position as at 30 November 2026."


def test_coverage_and_all_actions(book):
    coverage = _table(book["Coverage"])
    assert len(coverage) == 18
    theme1 = coverage[1]
    assert theme1[1:] == ["1 Collecting and sharing information", 2, 2, 0, 1]  # A1, A2; A1 overdue
    all_rows = _table(book["All actions"])
    assert len(all_rows) == 9
    header = all_rows[0]
    a4 = dict(zip(header, all_rows[4], strict=True))
    assert a4["Deadline as written"] == "Sept 2026"
    assert a4["Due date"] == dt.datetime(2026, 9, 30)
    assert a4["Overdue"] == "Yes"
    assert a4["Gap / action"] == "=SUM(A1:A3)"


def test_text_is_never_a_formula(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    formula_text = next(c for c in book["All actions"]["G"] if c.value == "=SUM(A1:A3)")
    assert formula_text.data_type == "s" and formula_text.quotePrefix
    at = next(c for c in book["All actions"]["G"] if c.value == "@Seven")
    assert at.quotePrefix


def test_every_sheet_prints_landscape_fitted_to_width_with_header_repeated(book):
    """The summary workbook prints well (issue 10): landscape A4, one page wide,
    the header row on every page."""
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert str(setup.paperSize) == ws.PAPERSIZE_A4, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # fitToWidth defaults to 1 in the file format, so writers may leave it out.
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows == "$1:$1", ws.title


def test_due_soon_has_no_days_overdue_column(book):
    """Nothing due soon is overdue, so the column would always be empty (issue 10)."""
    assert "Days overdue" in _table(book["Overdue"])[0]
    assert "Days overdue" not in _table(book["Due soon"])[0]


def test_deadlines_fit_their_column_and_wrapped_rows_are_tall_enough(book):
    """No deadline is cut off, and a row of wrapped text is given the height it needs."""
    ws = book["Due soon"]
    header = _table(ws)[0]
    letter = openpyxl.utils.get_column_letter(header.index("Deadline") + 1)
    assert ws.column_dimensions[letter].width >= len("31 December 2026 & Ongoing")
    long_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "A8")
    action_width = ws.column_dimensions["C"].width
    lines = -(-len(ws.cell(long_row, 3).value) // (action_width - 1))
    assert lines >= 3
    assert ws.row_dimensions[long_row].height >= 15 * lines
    everything = book["All actions"]
    written = _table(everything)[0].index("Deadline as written") + 1
    width = everything.column_dimensions[openpyxl.utils.get_column_letter(written)].width
    assert width >= len("31 December 2026 & Ongoing")


def test_long_council_and_title_fit_the_document_properties(make_workbook, tmp_path):
    """A 300-character council name and title are cut to 255 in the properties, never a crash."""
    from pipeline.render.summary_xlsx import write_summary
    from pipeline.validate import validate_workbook
    from pipeline.view import build_view

    council, title = "Testshire " + "c" * 290, "Plan " + "t" * 295
    path = make_workbook(plan={"council": council, "title": title, "author": None})
    plan = validate_workbook(path).plan
    assert plan is not None
    out = write_summary(build_view(plan, []), tmp_path / "summary.xlsx")
    properties = openpyxl.load_workbook(out).properties
    assert len(properties.title) == 255 and properties.title.startswith("Plan ttt")
    assert properties.title.endswith("\u2026")
    assert len(properties.creator) == 255 and properties.creator.startswith("Testshire ccc")


def test_the_sheets_read_by_people_use_the_frameworks_own_words(tmp_path, make_workbook):
    """The Welsh framework's building blocks are headed so, as in the Word plan; the All
    actions sheet keeps its fixed headings, which dashboards read."""
    workbook = make_workbook(
        actions=[action_row(point="1.1", deadline="31/01/2026")],
        framework="eif-wales-2011",
        plan={"framework_id": "eif-wales-2011"},
    )
    result = build(workbook, tmp_path / "out")
    assert result.summary is not None, result.report.to_text()
    book = openpyxl.load_workbook(result.summary)
    assert book["Self-assessment"]["A1"].value == "Building block"
    assert book["Overdue"]["B1"].value == "Building block"
    assert [c.value for c in book["All actions"][1]][:6].count("Framework point") == 1
