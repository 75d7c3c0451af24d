"""The quarterly cycle end to end (issue 12): old workbooks, the Word plan, upgrade, next-period."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from pipeline.cli import cli
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from pipeline.view_parts import WITHDRAWN_FILL
from pipeline.workbook.next_period import CARRIED_NOTE, add_months
from tests.conftest import EXAMPLE, ROOT, action_row

BEFORE = ROOT / "tests" / "workbook" / "data" / "example-plan-before-issue-12.xlsx"
#: The example's figures before issue 12: the old workbook must keep giving exactly these.
FIGURES = {
    "actions": 62,
    "complete": 5,
    "overdue": 7,
    "due_soon": 13,
    "by_rag": {"Red": 5, "Amber": 15, "Green": 16, "Complete": 5, "Not rated": 21},
}
NBSP = "\u00a0"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _summary(runner, path: Path) -> dict:
    result = runner.invoke(cli, ["summary", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    headings = [c.value for c in ws[1]]
    return [
        dict(zip(headings, values, strict=False))
        for values in ws.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in values)
    ]


# ------------------------------------------------------------ workbooks made before issue 12


def test_old_workbook_builds_with_the_same_figures(runner, tmp_path):
    assert "Progress log" not in openpyxl.load_workbook(BEFORE).sheetnames
    old = _summary(runner, BEFORE)
    assert {key: old[key] for key in FIGURES} == FIGURES
    assert old["by_status"]["Not given"] == 62 and old["withdrawn"] == 0
    new = _summary(runner, EXAMPLE)  # the example now uses statuses and a log
    assert {key: new[key] for key in FIGURES} == FIGURES
    result = runner.invoke(cli, ["build", str(BEFORE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "All 62 actions are in the plan." in result.output


# ------------------------------------------------------------------------- the Word plan


@pytest.fixture
def cycle_workbook(make_workbook) -> Path:
    return make_workbook(
        actions=[
            action_row(ref="A1", progress=None, strand="Race equality\nWorkforce"),
            action_row(
                ref="A2",
                action="Run a second survey.",
                status="Withdrawn",
                rag=None,
                deadline=dt.date(2026, 1, 31),
                progress="Merged into A1 after the budget review.",
            ),
        ],
        progress_log=[
            {
                "ref": "A1",
                "date": dt.date(2026, 5, 31),
                "update": "Survey designed.",
                "rag": "Green",
            },
            {
                "ref": "A1",
                "date": dt.date(2026, 8, 31),
                "update": "Profiles drafted.",
                "by": "Policy Team",
            },
        ],
    )


def _action_row(document, ref: str):
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text == ref and len(row.cells) == 7:
                return row
    raise AssertionError(f"no action row {ref}")


def _fill(cell) -> str:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return shd.get(qn("w:fill")) if shd is not None else ""


def test_word_plan_prints_latest_update_withdrawn_row_and_history(runner, tmp_path, cycle_workbook):
    result = runner.invoke(cli, ["build", str(cycle_workbook), "-o", str(tmp_path), "--history"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / f"{cycle_workbook.stem}.docx"))
    first = _action_row(document, "A1")
    assert f"Update (31{NBSP}August 2026): Profiles drafted." in first.cells[3].text
    assert "Strand: Race equality; Workforce" in first.cells[1].text
    withdrawn = _action_row(document, "A2")
    assert withdrawn.cells[6].text == "Withdrawn\nMerged into A1 after the budget review."
    assert "Update" not in withdrawn.cells[3].text
    assert {_fill(c) for c in withdrawn.cells} == {WITHDRAWN_FILL}
    texts = [p.text for p in document.paragraphs]
    assert "Appendix E: Progress history" in texts
    opening = "This plan holds 2 actions, of which none are complete and 1 is withdrawn. "
    assert any(t.startswith(opening) for t in texts)
    assert "A1: Share ward profiles with service managers." in texts
    assert not any(t.startswith("A2:") for t in texts)  # no log entries, no history
    log = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    assert [[c.text for c in r.cells] for r in log.rows[1:]] == [
        [f"31{NBSP}May{NBSP}2026", "Survey designed.", "Green", "", ""],
        [f"31{NBSP}August{NBSP}2026", "Profiles drafted.", "", "", "Policy Team"],
    ]
    overdue = len(texts) - 1 - texts[::-1].index("Appendix A: Overdue actions")  # not contents
    assert texts[overdue + 1].startswith("No actions are overdue")  # A2 is withdrawn


def test_word_plan_leaves_out_the_history_unless_asked(runner, tmp_path, cycle_workbook):
    result = runner.invoke(cli, ["build", str(cycle_workbook), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / f"{cycle_workbook.stem}.docx"))
    assert not any("Progress history" in p.text for p in document.paragraphs)


# ------------------------------------------------------------------------------ upgrade


def test_upgrade_copies_an_old_workbook_into_the_current_template(runner, tmp_path):
    before, target = _sha(BEFORE), tmp_path / "upgraded.xlsx"
    result = runner.invoke(cli, ["upgrade", str(BEFORE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Actions: 62 rows" in result.output and "Owners: 10 owners" in result.output
    assert _sha(BEFORE) == before
    wb = openpyxl.load_workbook(target)
    assert "Progress log" in wb.sheetnames
    assert [c.value for c in wb["Actions"][1]][10:] == [
        "Status", "Completed on", "Last updated", "Next review",
    ]  # fmt: skip
    old, new = validate_workbook(BEFORE), validate_workbook(target)
    assert new.report.errors == []
    assert sorted(p.code for p in new.report.problems) == sorted(
        p.code for p in old.report.problems
    )
    assert _summary(runner, target) == _summary(runner, BEFORE)
    colours = {r["Strands (edit this list)"]: r["Strand colour"] for r in _rows(target, "Lists")}
    assert colours["Race equality"] == "#BDD7EE"  # the council's own colour came across


def test_upgrade_keeps_the_progress_log(runner, tmp_path):
    target = tmp_path / "again.xlsx"
    result = runner.invoke(cli, ["upgrade", str(EXAMPLE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _rows(target, "Progress log") == _rows(EXAMPLE, "Progress log")
    assert "Report: 19 fields" in result.output  # the cover report's words came across too
    assert _report_fields(target) == _report_fields(EXAMPLE) and _report_fields(EXAMPLE)


def _report_fields(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)["Report"]
    return {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True) if row[1]}


def test_upgrade_and_next_period_never_replace_a_file_or_their_input(runner, tmp_path):
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"someone's plan")
    for command in ("upgrade", "next-period"):
        result = runner.invoke(cli, [command, str(EXAMPLE), "-o", str(taken)])
        assert result.exit_code == 2 and "already exists" in result.output
        assert taken.read_bytes() == b"someone's plan"
        before = _sha(EXAMPLE)
        result = runner.invoke(cli, [command, str(EXAMPLE), "-o", str(EXAMPLE), "--force"])
        assert result.exit_code == 2 and "same file as the input" in result.output
        assert _sha(EXAMPLE) == before
    result = runner.invoke(cli, ["upgrade", str(EXAMPLE), "-o", str(taken), "--force"])
    assert result.exit_code == 0, result.output


# -------------------------------------------------------------------------- next period


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 8, 31), 3, dt.date(2026, 11, 30)),
        (dt.date(2026, 1, 15), 3, dt.date(2026, 4, 15)),
        (dt.date(2028, 2, 29), 3, dt.date(2028, 5, 31)),
        (dt.date(2026, 12, 31), 3, dt.date(2027, 3, 31)),
    ],
)
def test_report_date_moves_on_end_of_month_aware(day, months, expected):
    assert add_months(day, months) == expected


def test_next_period_moves_updates_to_the_log(runner, tmp_path):
    before, target = _sha(EXAMPLE), tmp_path / "next.xlsx"
    result = runner.invoke(cli, ["next-period", str(EXAMPLE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "30 progress updates moved" in result.output
    assert _sha(EXAMPLE) == before
    old, new = _rows(EXAMPLE, "Actions"), _rows(target, "Actions")
    assert [r["Ref"] for r in new] == [r["Ref"] for r in old]
    assert [(r["RAG"], r["Status"]) for r in new] == [(r["RAG"], r["Status"]) for r in old]
    assert all(r["Progress update"] is None for r in new)
    # The Welsh goes with its English; an open action's Last updated with the update it dated.
    assert all(r["Progress update (Cymraeg)"] is None for r in new)
    assert {r["Ref"]: r["Last updated"] for r in old}["EB01"] == dt.datetime(2026, 11, 18)
    assert all(r["Last updated"] is None for r in new if r["Status"] != "Complete")
    log = _rows(target, "Progress log")
    assert log[:3] == _rows(EXAMPLE, "Progress log")  # earlier entries first, unchanged
    eb01 = next(r for r in log[3:] if r["Ref"] == "EB01")
    assert eb01 == {
        "Ref": "EB01",
        "Date": dt.datetime(2026, 11, 18),  # its Last updated, as typed
        "Update": "Language and disability data added for 12 of 20 wards.",
        "RAG": "Green",
        "Status": "In progress",
        "By": "Business Intelligence Team",
        "Update (Cymraeg)": "Ychwanegwyd data iaith ac anabledd ar gyfer 12 o'r 20 ward.",
    }
    plan = {r["Field"]: r["Value"] for r in _rows(target, "Plan")}
    assert plan["Report date"] == dt.datetime(2027, 2, 28)
    rules = openpyxl.load_workbook(target)["Actions"].data_validations.dataValidation
    assert {str(dv.sqref) for dv in rules} >= {"H2:H2001", "K2:K2001", "L2:L2001"}  # intact
    validation = validate_workbook(target)
    assert validation.report.errors == []
    # The meeting (14 January 2027) is last quarter's: before the new report date, said.
    assert "the Report sheet" in result.output
    meeting = [p for p in validation.report.warnings if p.code == "MEETING_BEFORE_REPORT"]
    assert [p.message for p in meeting] == [
        "The meeting date 14 January 2027 is before the report date 28 February 2027."
    ]
    # The plan built from it prints each action's latest update from the log, with its date.
    assert validation.plan.progress_log[-1].date == dt.date(2026, 11, 30)


def test_next_period_run_twice_says_the_report_date_moved_on_twice(runner, tmp_path):
    """A reviewer rolled a just-rolled workbook forward again: its report date moved on a
    second quarter with only "0 progress updates moved" to show for it."""
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    first = runner.invoke(cli, ["next-period", str(EXAMPLE), "-o", str(once)])
    assert first.exit_code == 0 and "moved on twice" not in first.output, first.output
    second = runner.invoke(cli, ["next-period", str(once), "-o", str(twice)])
    assert second.exit_code == 0, second.output
    assert "0 progress updates moved" in second.output
    assert "its report date has now moved on twice (to 31 May 2027)" in second.output
    # The date given, not worked out: not moved on twice, but not after the current one.
    third = runner.invoke(cli, ["next-period", str(once), "-o", str(tmp_path / "3.xlsx"),
                                "--report-date", "28/02/2027"])  # fmt: skip
    assert third.exit_code == 0 and "moved on twice" not in third.output, third.output
    assert "The new report date, 28 February 2027, is not after the current one" in third.output


def test_next_period_carries_complete_actions_once_and_writes_made_refs(
    runner, tmp_path, make_workbook
):
    current = make_workbook(
        actions=[
            action_row(ref="A1", rag="Complete", status="Complete", progress=None),
            action_row(ref=None, action="Second action.", progress="Half done."),
        ]
    )
    first, second = tmp_path / "q1.xlsx", tmp_path / "q2.xlsx"
    result = runner.invoke(
        cli, ["next-period", str(current), "-o", str(first), "--report-date", "31/03/2027"]
    )
    assert result.exit_code == 0, result.output
    made = validate_workbook(current).plan.actions[1].ref
    assert [r["Ref"] for r in _rows(first, "Actions")] == ["A1", made]
    log = _rows(first, "Progress log")
    assert [(r["Ref"], r["Update"]) for r in log] == [("A1", CARRIED_NOTE), (made, "Half done.")]
    assert {r["Field"]: r["Value"] for r in _rows(first, "Plan")}["Report date"] == dt.datetime(
        2027, 3, 31
    )
    assert runner.invoke(cli, ["next-period", str(first), "-o", str(second)]).exit_code == 0
    notes = [r for r in _rows(second, "Progress log") if r["Update"] == CARRIED_NOTE]
    assert len(notes) == 1  # noted the first time only
    assert {r["Field"]: r["Value"] for r in _rows(second, "Plan")}["Report date"] == dt.datetime(
        2027, 6, 30
    )


def test_next_period_refuses_a_report_date_that_is_not_a_date(runner, tmp_path):
    target = tmp_path / "next.xlsx"
    result = runner.invoke(
        cli, ["next-period", str(EXAMPLE), "-o", str(target), "--report-date", "soon"]
    )
    assert result.exit_code == 2 and "not a date" in result.output
    assert not target.exists()


def test_status_is_a_column_of_the_csv_and_all_actions(runner, tmp_path, cycle_workbook):
    result = runner.invoke(cli, ["build", str(cycle_workbook), "-o", str(tmp_path), "--csv"])
    assert result.exit_code == 0, result.output
    with open(tmp_path / f"{cycle_workbook.stem}-actions.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Ref"], r["Status"]) for r in rows] == [("A1", ""), ("A2", "Withdrawn")]
    every = _rows(tmp_path / f"{cycle_workbook.stem}-summary.xlsx", "All actions")
    assert [r["Status"] for r in every] == [None, "Withdrawn"]


def test_a_finished_actions_last_real_update_stays_its_latest(runner, tmp_path, make_workbook):
    """Carried into a second period, a Complete action whose final update is logged gets no
    "carried forward" note: that note would replace its real update in the printed plan."""
    current = make_workbook(
        actions=[
            action_row(
                ref="A1",
                rag="Complete",
                status="Complete",
                progress="Report published.",
                completed_on="20/11/2026",
            )
        ]
    )
    first, second = tmp_path / "q1.xlsx", tmp_path / "q2.xlsx"
    assert runner.invoke(cli, ["next-period", str(current), "-o", str(first)]).exit_code == 0
    assert runner.invoke(cli, ["next-period", str(first), "-o", str(second)]).exit_code == 0
    assert [r["Update"] for r in _rows(second, "Progress log")] == ["Report published."]
    view = build_view(validate_workbook(second).plan)
    assert view.actions[0].progress == "Report published."


def test_the_history_headings_are_one_line_each(runner, tmp_path, make_workbook):
    """An action typed on two lines heads its history as one line (a heading, and a line in
    the contents), not a heading broken in two."""
    workbook = make_workbook(
        actions=[action_row(ref="A1", action="Share ward profiles\nwith service managers.")],
        progress_log=[{"ref": "A1", "date": dt.date(2026, 8, 31), "update": "Drafted."}],
    )
    result = runner.invoke(cli, ["build", str(workbook), "-o", str(tmp_path), "--history"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / f"{workbook.stem}.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "A1: Share ward profiles with service managers." in headings


def test_a_finished_action_whose_log_ends_unfinished_gets_the_carried_note(
    runner, tmp_path, make_workbook
):
    """The log's latest entry (Amber, in August) does not record the finish: without the note
    the plan would print that old update as the finished action's latest."""
    current = make_workbook(
        actions=[action_row(ref="A1", rag="Complete", status="Complete", progress=None)],
        progress_log=[{"ref": "A1", "date": dt.date(2026, 8, 31), "update": "Started.",
                       "rag": "Amber"}],
    )  # fmt: skip
    following = tmp_path / "next.xlsx"
    assert runner.invoke(cli, ["next-period", str(current), "-o", str(following)]).exit_code == 0
    assert [r["Update"] for r in _rows(following, "Progress log")] == ["Started.", CARRIED_NOTE]
    assert build_view(validate_workbook(following).plan).actions[0].progress == CARRIED_NOTE


def test_the_same_words_in_another_quarter_are_another_update(runner, tmp_path, make_workbook):
    """'No change this quarter.' logged in August and typed again in November is logged again:
    only an entry of that very update (its date: Last updated) was made by eqplan merge."""
    words = "No change this quarter."
    current = make_workbook(
        actions=[action_row(ref="A1", progress=words, last_updated="20/11/2026")],
        progress_log=[{"ref": "A1", "date": dt.date(2026, 8, 31), "update": words}],
    )
    following = tmp_path / "next.xlsx"
    result = runner.invoke(cli, ["next-period", str(current), "-o", str(following)])
    assert result.exit_code == 0 and "1 progress update moved" in result.output
    log = _rows(following, "Progress log")
    assert [(r["Date"].date(), r["Update"]) for r in log] == [
        (dt.date(2026, 8, 31), words),
        (dt.date(2026, 11, 20), words),
    ]


def test_a_log_date_typed_as_text_counts_as_that_day(runner, tmp_path, make_workbook):
    """The finish logged on '15/11/2026' (typed as text) is the latest entry: no note."""
    current = make_workbook(
        actions=[action_row(ref="A1", rag="Complete", status="Complete", progress=None)],
        progress_log=[
            {"ref": "A1", "date": "15/11/2026", "update": "Report published.", "rag": "Complete"},
            {"ref": "A1", "date": dt.date(2026, 8, 31), "update": "Started.", "rag": "Amber"},
        ],
    )
    following = tmp_path / "next.xlsx"
    assert runner.invoke(cli, ["next-period", str(current), "-o", str(following)]).exit_code == 0
    assert CARRIED_NOTE not in [r["Update"] for r in _rows(following, "Progress log")]


def test_a_last_updated_that_is_no_date_is_printed_and_logged_as_typed(
    runner, tmp_path, make_workbook
):
    """`11/20/2026` (US order) is no date: the plan prints it as written beside its update,
    and next-period logs the update dated as typed and names both cells, never redating it
    to the report date without a word."""
    current = make_workbook(
        actions=[action_row(progress="Draft toolkit.", last_updated="11/20/2026")]
    )
    now = tmp_path / "now"
    assert runner.invoke(cli, ["build", str(current), "-o", str(now), "--html"]).exit_code == 0
    document = docx.Document(str(now / f"{current.stem}.docx"))
    assert "Update (11/20/2026): Draft toolkit." in _action_row(document, "A1").cells[3].text
    assert "Update (11/20/2026): Draft toolkit." in (now / f"{current.stem}.html").read_text()

    following = tmp_path / "next.xlsx"
    result = runner.invoke(cli, ["next-period", str(current), "-o", str(following)])
    assert result.exit_code == 0, result.output
    assert (
        'Actions!M2: Last updated "11/20/2026" is not a date, so its update went to the '
        "Progress log dated as typed, not with the report date: type the date in "
        "'Progress log'!B2, day first (such as 30/11/2026)."
    ) in " ".join(result.output.split())
    [logged] = _rows(following, "Progress log")
    assert (logged["Date"], logged["Update"]) == ("11/20/2026", "Draft toolkit.")
    unclear = [p for p in validate_workbook(following).report.problems if p.code == "DATE_UNCLEAR"]
    assert [p.where for p in unclear] == ["'Progress log'!B2"]
    later = tmp_path / "later"
    built = runner.invoke(cli, ["build", str(following), "-o", str(later), "--history"])
    assert built.exit_code == 0, built.output
    document = docx.Document(str(later / "next.docx"))
    assert "Update (11/20/2026): Draft toolkit." in _action_row(document, "A1").cells[3].text
    log = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    assert [c.text for c in log.rows[1].cells][:2] == ["11/20/2026", "Draft toolkit."]
