"""Every document prints the same figures, computed once (issue 10).

A small plan in the shape that misled the Word plan before: actions marked
complete only in the deadline cell, joint owners (two lines, `/`, `;`), owner
names typed in another case or spacing, names not on the Owners sheet, and
strands. `eqplan summary --format json` is checked against a hand count, then
against what the Word plan and the summary workbook print.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import docx
import openpyxl
import pytest

from pipeline.cli import cli
from tests.conftest import action_row
from tests.render.helpers import action_rows, all_text, cell_text

D = dt.date
OWNERS = [
    "Insight Team",
    "Human Resources",
    "Finance",
    "Learning & Development",
    "Community Safety",
]
# Report date 30 November 2026; due soon means by 28 February 2027.
ROWS = [
    action_row(ref="F1", point="1.1", deadline="Complete", rag="Green", owner="insight team"),
    action_row(ref="F2", point="1.2", deadline="Complete", rag=None, owner="Insight  Team", action="Two."),
    action_row(ref="F3", point="2.1", deadline="Complete", rag="Red", owner="Human Resources / Finance", action="Three.", progress=None),
    action_row(ref="F4", point="2.2", deadline=D(2026, 10, 1), rag="Amber", owner="Human Resources\nFinance", action="Four.", strand="Race equality"),
    action_row(ref="F5", point="6", deadline=D(2026, 12, 20), rag="Green", owner="Learning & Development", action="Five.", strand="Race equality"),
    action_row(ref="F6", point="13.1", deadline="2028", rag="Red", owner="community safety; Insight Team", action="Six.", strand="Gender pay gap"),
    action_row(ref="F7", point="14.2", deadline=D(2026, 9, 1), rag="C", owner="Finance", action="Seven."),
    action_row(ref="F8", point="7", deadline="TBC", rag=None, owner="Equality Champions", action="Eight."),
    action_row(ref="F9", point="7", deadline=D(2027, 1, 15), rag="Amber", owner="equality champions", action="Nine."),
    action_row(ref="F10", point="3.1", deadline=D(2027, 6, 30), rag="Green", owner=None, action="Ten."),
]  # fmt: skip
RATINGS = ["Red", "Amber", "Green", "Complete", "Not rated"]


def _rag(red=0, amber=0, green=0, complete=0, not_rated=0) -> dict[str, int]:
    return dict(zip(RATINGS, (red, amber, green, complete, not_rated), strict=True))


HAND_COUNT = {
    "actions": 10,
    "complete": 4,  # F1, F2, F3 by deadline, F7 by rating
    "overdue": 1,  # F4 (F7's date has passed but it is complete)
    "due_soon": 2,  # F5, F9
    "by_rag": _rag(red=1, amber=2, green=2, complete=4, not_rated=1),
    "by_section": [
        {"ref": "1", "title": "Understanding and working with your communities", "actions": 5, "by_rag": _rag(amber=1, green=1, complete=3)},
        {"ref": "2", "title": "Leadership, partnership and organisational commitment", "actions": 3, "by_rag": _rag(amber=1, green=1, not_rated=1)},
        {"ref": "3", "title": "Responsive services and customer care", "actions": 0, "by_rag": _rag()},
        {"ref": "4", "title": "Diverse and engaged workforce", "actions": 2, "by_rag": _rag(red=1, complete=1)},
    ],
    "by_owner": [
        {"owner": "Community Safety", "actions": 1},
        {"owner": "Equality Champions", "actions": 2},
        {"owner": "Finance", "actions": 3},
        {"owner": "Human Resources", "actions": 2},
        {"owner": "Insight Team", "actions": 3},
        {"owner": "Learning & Development", "actions": 1},
        {"owner": "(no owner)", "actions": 1},
    ],
    "by_strand": {"Gender pay gap": 1, "Race equality": 2},
}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The plan built once (Word, summary workbook) and its figures as JSON."""
    from click.testing import CliRunner

    from tests.conftest import write_plan_workbook

    folder = tmp_path_factory.mktemp("figures")
    path = write_plan_workbook(folder / "plan.xlsx", actions=ROWS, owners=OWNERS)
    runner = CliRunner()
    result = runner.invoke(cli, ["summary", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    out = folder / "out"
    build = runner.invoke(cli, ["build", str(path), "-o", str(out), "--csv"])
    assert build.exit_code == 0, build.output
    return {
        "figures": figures,
        "docx": out / "plan.docx",
        "xlsx": openpyxl.load_workbook(out / "plan-summary.xlsx"),
        "csv": out / "plan-actions.csv",
        "build": build.output,
        "path": path,
    }


def test_json_figures_match_a_hand_count(built):
    figures = built["figures"]
    for key in ("actions", "complete", "overdue", "due_soon", "by_rag", "by_strand"):
        assert figures[key] == HAND_COUNT[key], key
    stable = ("ref", "title", "actions", "by_rag")  # extra keys are welcome, these stay stable
    assert [{k: s[k] for k in stable} for s in figures["by_section"]] == HAND_COUNT["by_section"]
    assert [{k: o[k] for k in ("owner", "actions")} for o in figures["by_owner"]] == HAND_COUNT[
        "by_owner"
    ]
    assert list(figures)[:9] == [
        "report_date",
        "due_soon_days",
        "actions",
        "complete",
        "overdue",
        "due_soon",
        "by_rag",
        "by_section",
        "by_owner",
    ]
    refs = {o["owner"]: o["refs"] for o in figures["by_owner"]}
    assert refs["Insight Team"] == ["F1", "F2", "F6"]
    assert refs["Finance"] == ["F3", "F4", "F7"]


def _counts_table(document, first_heading: str) -> list[list[str]]:
    table = next(
        t
        for t in document.tables
        if cell_text(t.rows[0].cells[0]) == first_heading
        and cell_text(t.rows[0].cells[-1]) == "Total"
    )
    assert [cell_text(c) for c in table.rows[0].cells][1:-1] == RATINGS
    return [[cell_text(c) for c in row.cells] for row in table.rows[1:]]


def test_word_plan_prints_the_json_figures(built):
    figures, path = built["figures"], built["docx"]
    document = docx.Document(str(path))
    modules = _counts_table(document, "Module")
    assert modules[:-1] == [
        [
            f"{s['ref']}. {s['title']}",
            *(str(s["by_rag"][r]) for r in RATINGS),
            str(s["actions"]),
        ]
        for s in figures["by_section"]
    ]
    assert modules[-1] == [
        "Total",
        *(str(figures["by_rag"][r]) for r in RATINGS),
        str(figures["actions"]),
    ]
    owner_table = next(
        t
        for t in document.tables
        if cell_text(t.rows[0].cells[0]) == "Owner"
        and cell_text(t.rows[0].cells[-1]) == "Actions (refs)"
    )
    assert [cell_text(c) for c in owner_table.rows[0].cells][1:-2] == RATINGS
    owners = [[cell_text(c) for c in row.cells] for row in owner_table.rows[1:]]
    assert [[row[0], row[-2]] for row in owners] == [
        [o["owner"], str(o["actions"])] for o in figures["by_owner"]
    ]
    assert [row[1:-2] for row in owners] == [
        [str(o["by_rag"][r]) for r in RATINGS] for o in figures["by_owner"]
    ]
    assert [row[-1] for row in owners] == [", ".join(o["refs"]) for o in figures["by_owner"]]
    assert sum(int(row[-2]) for row in owners) == 13  # three jointly owned actions count twice
    text = all_text(path)
    assert "Actions with joint owners are counted once for each owner." in text
    assert (
        "This plan holds 10 actions, of which 4 are complete. As at 30 November 2026, "
        "1 is overdue and 2 are due in the next 90 days." in text
    )


def test_word_appendices_and_chart_agree(built):
    figures, path = built["figures"], built["docx"]
    document = docx.Document(str(path))
    ref_tables = [t for t in document.tables if cell_text(t.rows[0].cells[0]) == "Ref"]
    overdue, due_soon = ref_tables[-2:]  # after the module tables: Appendices A and B
    assert [cell_text(r.cells[0]) for r in overdue.rows[1:]] == ["F4"]
    assert [cell_text(r.cells[0]) for r in due_soon.rows[1:]] == ["F5", "F9"]
    assert len(overdue.rows) - 1 == figures["overdue"]
    assert len(due_soon.rows) - 1 == figures["due_soon"]
    alt = document.element.body.xpath(".//wp:docPr/@descr")[0]
    assert (
        "1. Understanding and working with your communities: 5 actions (1 amber, 1 green, 3 complete)."
        in alt
    )
    assert "3. Responsive services and customer care: 0 actions (none)." in alt


def test_word_action_rows_print_complete_for_complete_by_deadline(built):
    """F1 (Green), F2 (unrated) and F3 (Red) say Complete in the deadline: rows print Complete."""
    ratings = [cell_text(r.cells[6]) for r in action_rows(built["docx"])]  # after Ref
    assert ratings[:3] == ["Complete", "Complete", "Complete"]
    assert Counter(ratings) == {k: v for k, v in built["figures"]["by_rag"].items() if v}
    assert "Actions!H4" in built["build"]  # F3's rating: COMPLETE_MISMATCH
    assert "Actions!H3" not in built["build"]  # F2 is complete, so not 'No RAG rating'


def _sheet(book, title) -> list[list]:
    return [[c.value for c in row] for row in book[title].iter_rows()]


def test_summary_workbook_holds_the_json_figures(built):
    figures, book = built["figures"], built["xlsx"]
    by_module = _sheet(book, "By module")
    assert by_module[0] == ["Module", *RATINGS, "Total"]
    assert by_module[1:] == [
        [f"{s['ref']}. {s['title']}", *(s["by_rag"][r] for r in RATINGS), s["actions"]]
        for s in figures["by_section"]
    ] + [["Total", *(figures["by_rag"][r] for r in RATINGS), figures["actions"]]]
    by_owner = [row for row in _sheet(book, "By owner")[1:] if row[0]]
    assert [[row[0], row[-1]] for row in by_owner[: len(figures["by_owner"])]] == [
        [o["owner"], o["actions"]] for o in figures["by_owner"]
    ]
    assert by_owner[-1][0] == "Actions with joint owners are counted once for each owner."
    assert len(_sheet(book, "Overdue")) - 1 - 2 == figures["overdue"]  # header, blank, as-at line
    assert len(_sheet(book, "Due soon")) - 1 - 2 == figures["due_soon"]
    coverage = _sheet(book, "Coverage")
    assert sum(row[4] for row in coverage[1:]) == figures["complete"]
    assert sum(row[5] for row in coverage[1:]) == figures["overdue"]
    assert sum(row[2] for row in coverage[1:]) == figures["actions"]
    every = _sheet(book, "All actions")
    column = {heading: index for index, heading in enumerate(every[0])}
    ratings = Counter(row[column["RAG"]] for row in every[1:])
    assert {r: ratings[r] for r in RATINGS} == figures["by_rag"]
    strands = Counter(row[column["Strand"]] for row in every[1:] if row[column["Strand"]])
    assert dict(strands) == figures["by_strand"]
    assert sum(row[column["Overdue"]] == "Yes" for row in every[1:]) == figures["overdue"]
    assert sum(row[column["Due soon"]] == "Yes" for row in every[1:]) == figures["due_soon"]
    given = {row[column["Ref"]]: row[column["RAG as given"]] for row in every[1:]}
    assert given["F3"] == "Red" and given["F2"] == "Not rated"
    owners = {row[column["Ref"]]: row[column["Owners (one each)"]] for row in every[1:]}
    assert owners["F3"] == "Human Resources; Finance"
    assert owners["F6"] == "Community Safety; Insight Team"


def test_csv_holds_the_json_figures(built):
    import csv

    with built["csv"].open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    ratings = Counter(record["RAG"] for record in records)
    assert {r: ratings[r] for r in RATINGS} == built["figures"]["by_rag"]


def test_word_context_owners_carry_their_refs(built):
    """Another template can print a one-page owners table from `owners` or `summary.owners`."""
    from pipeline.render.context import build_context
    from pipeline.validate import validate_workbook
    from pipeline.view import build_view

    validation = validate_workbook(built["path"])
    context = build_context(build_view(validation.plan))
    owners = {o["name"]: o for o in context["owners"]}
    assert owners["Insight Team"]["refs"] == "F1, F2, F6"
    assert [a.ref for a in owners["Finance"]["actions"]] == ["F3", "F4", "F7"]
    assert owners["Equality Champions"]["refs"] == "F8, F9"
    rows = {r["label"]: r for r in context["summary"]["owners"]}
    assert rows["Human Resources"]["refs"] == "F3, F4"
    assert rows["Human Resources"]["total"] == 2
    assert [o["name"] for o in context["owners"]] == [
        o["owner"] for o in built["figures"]["by_owner"]
    ]
    assert (
        context["summary"]["owners_note"]
        == "Actions with joint owners are counted once for each owner."
    )
