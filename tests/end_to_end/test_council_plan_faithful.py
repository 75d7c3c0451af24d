"""The council-style plan's documents say what the council wrote (issue 10), checked end to end.

One build of tests/fixtures/council_plan.py (85 actions, sections in the
council's own order and titles, strands, free-text deadlines, joint owners);
each test opens the generated .docx or .xlsx and compares it with the
workbook's rows and with `eqplan summary --format json`.
"""

from __future__ import annotations

import json

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.build import build
from pipeline.cli import cli
from pipeline.deadlines import format_date
from tests.fixtures.council_plan import SECTION_ORDER, SECTION_TITLES, actions, write_council_plan
from tests.render.helpers import action_rows, all_text, cell_text, headings, shading

RATINGS = ["Red", "Amber", "Green", "Complete", "Not rated"]


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    folder = tmp_path_factory.mktemp("council")
    workbook = write_council_plan(folder / "council.xlsx")
    result = build(workbook, folder / "out", csv=True)
    assert result.docx is not None, result.report.to_text()
    figures = json.loads(
        CliRunner().invoke(cli, ["summary", str(workbook), "--format", "json"]).stdout
    )
    text = all_text(result.docx)
    return {"result": result, "figures": figures, "text": text, "workbook": workbook}


def _table(path, first: str, last: str):
    document = docx.Document(str(path))
    return next(
        t
        for t in document.tables
        if cell_text(t.rows[0].cells[0]) == first and cell_text(t.rows[0].cells[-1]) == last
    )


def test_sections_in_the_councils_order_with_its_titles(council):
    from pipeline import frameworks

    modules = {m.ref: m.title for m in frameworks.load("eflg-2021").modules}
    # Renumbered by the council, they are "Section n", never to be read as the framework's
    # module n; the note under each heading says which module it is.
    expected = [
        f"Section {n}: {SECTION_TITLES[ref] or modules[ref]}"
        for n, ref in enumerate(SECTION_ORDER, start=1)
    ]
    found = [h for h in headings(council["result"].docx) if h.startswith(("Section ", "Module "))]
    assert found == expected
    text = council["text"]
    assert "In the EFLG 2021 framework this is module 2: " in text
    assert "Ratings by section" in text and "Actions by RAG rating for each section" in text
    assert "labelled under the framework point" in text
    assert [s["framework_module"] for s in council["figures"]["by_section"]] == list(SECTION_ORDER)


def test_summary_table_and_workbook_print_the_json_figures(council):
    figures, result = council["figures"], council["result"]
    table = _table(result.docx, "Section", "Total")
    printed = [[cell_text(c) for c in row.cells] for row in table.rows[1:]]
    assert printed[:-1] == [
        [f"{s['ref']}. {s['title']}", *(str(s["by_rag"][r]) for r in RATINGS), str(s["actions"])]
        for s in figures["by_section"]
    ]
    assert printed[-1] == ["Total", *(str(figures["by_rag"][r]) for r in RATINGS), "85"]
    said = CliRunner().invoke(cli, ["summary", str(council["workbook"])]).stdout.splitlines()
    assert said[said.index("") + 1].split()[0] == "Section"  # the text table too
    sheet = openpyxl.load_workbook(result.summary)["By section"]  # as the plan says: renumbered
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, values_only=False)]
    assert [v[1:] for v in values if v[0] == "Total"] == [
        [*(figures["by_rag"][r] for r in RATINGS), 85]
    ]
    complete = sum(
        1 for row in actions() if row["deadline"] == "Complete" or row["rag"] == "Complete"
    )
    assert figures["complete"] == complete  # a Complete deadline counts as complete
    assert f"of which {complete} are complete" in council["text"]


def test_joint_owners_are_credited_to_each_owner(council):
    joint = [row for row in actions() if "\n" in str(row["owner"])]
    assert joint
    by_owner = {o["owner"]: o for o in council["figures"]["by_owner"]}
    for row in joint:
        for name in str(row["owner"]).splitlines():
            assert row["ref"] in by_owner[name]["refs"]
    assert sum(o["actions"] for o in by_owner.values()) == 85 + len(joint)
    assert "Actions with joint owners are counted once for each owner." in council["text"]


def test_every_row_has_its_ref_and_deadline_as_typed(council):
    rows = action_rows(council["result"].docx)
    typed = {row["ref"]: row for row in actions()}
    assert len(rows) == len(typed) == 85
    for row in rows:
        ref = cell_text(row.cells[0])
        deadline = typed[ref]["deadline"]
        shown = cell_text(row.cells[4]).replace("\u00a0", " ")
        expected = deadline if isinstance(deadline, str) else format_date(deadline)
        assert shown == expected, ref
    text = council["text"]
    assert "Twice a year" not in text and "then ongoing" not in text


def test_strands_keep_the_councils_colours(council):
    rows = action_rows(council["result"].docx)
    fills: dict[str, set[str]] = {}
    for row in rows:
        label = cell_text(row.cells[1])
        for strand in ("Race equality", "Gender pay gap"):
            if f"Strand: {strand}" in label:
                fills.setdefault(strand, set()).add(shading(row.cells[2]))
    assert fills == {"Race equality": {"DDEBF7"}, "Gender pay gap": {"E2EFDA"}}
    assert "Race equality (light blue)" in council["text"]
    assert "Gender pay gap (light green)" in council["text"]


def test_no_officer_notes_and_the_duty_quoted_correctly(council):
    text = council["text"]
    assert "Appendix E" not in text and "Actions!" not in text
    assert "eliminate discrimination, harassment, victimisation and any other conduct" in text
    assert "remove unlawful discrimination" not in text
    codes = council["result"].report.count_by_code()
    open_recurring = [  # a complete action never falls due, so it needs no warning
        row
        for row in actions()
        if row["deadline"] in ("Quarterly", "Bi-annual", "Annual") and row["rag"] != "Complete"
    ]
    assert codes.get("DEADLINE_RECURRING", 0) == len(open_recurring) > 0
