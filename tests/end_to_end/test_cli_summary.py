"""`eqplan summary`: the plan's figures as a table or JSON, after the same checks as build (issue 10)."""

from __future__ import annotations

import json

from pipeline.cli import cli
from pipeline.validate import validate_workbook
from tests.conftest import EXAMPLE, action_row


def test_summary_json_of_the_example(runner):
    result = runner.invoke(cli, ["summary", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    figures = json.loads(result.stdout)
    assert figures["actions"] == 62
    assert sum(figures["by_rag"].values()) == 62
    assert sum(s["actions"] for s in figures["by_section"]) == 62
    assert [s["ref"] for s in figures["by_section"]] == ["1", "2", "3", "4"]
    assert figures["by_strand"] == {"Gender pay gap": 3, "Race equality": 12}
    warnings = validate_workbook(EXAMPLE).report.warnings  # the same count validate prints
    assert f"{len(warnings)} warnings" in result.stderr
    # The command to paste names the workbook (found by a data officer's walk-through).
    assert f"run 'eqplan validate {EXAMPLE}' to see them" in result.stderr


def test_summary_text_is_the_default(runner):
    result = runner.invoke(cli, ["summary", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Actions: 62" in lines
    assert "Due in the next 90 days: 13" in lines
    total = next(line for line in lines if line.startswith("Total"))
    assert total.split() == ["Total", "5", "15", "16", "5", "21", "62"]
    # headed as the documents head the same table (a councillor's review): Module while the
    # plan keeps the framework's numbers, Section once it numbers its own way
    assert lines[lines.index("") + 1].split()[0] == "Module"


def test_summary_says_why_its_two_complete_figures_differ(runner):
    """`Complete: 5` counts every way an action is complete; the Status table, the column only."""
    lines = runner.invoke(cli, ["summary", str(EXAMPLE)]).stdout.splitlines()
    assert "Complete: 5" in lines
    status = lines.index(next(line for line in lines if line.split() == ["Status", "Actions"]))
    complete = next(line for line in lines[status:] if line.startswith("Complete"))
    assert complete.split() == ["Complete", "2"]
    last = next(n for n, line in enumerate(lines) if n > status and line.startswith("Not given"))
    assert lines[last + 1].startswith("This table counts the Status column as typed.")


def test_summary_stops_on_errors(runner, make_workbook):
    path = make_workbook(actions=[action_row(rag="Yellow")])
    result = runner.invoke(cli, ["summary", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Actions!H2" in result.stderr and "RAG_INVALID" in result.stderr


def test_summary_of_an_unreadable_file_exits_2(runner, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    result = runner.invoke(cli, ["summary", str(path)])
    assert result.exit_code == 2
    assert "Error:" in result.output and "Traceback" not in result.output


def test_summary_takes_a_framework(runner, make_workbook):
    path = make_workbook(
        actions=[action_row(point="6")], framework="eflg-2014", plan={"framework_id": "eflg-2014"}
    )
    result = runner.invoke(
        cli, ["summary", str(path), "--format", "json", "--framework", "eflg-2014"]
    )
    assert result.exit_code == 0, result.output
    sections = json.loads(result.stdout)["by_section"]
    assert [s["actions"] for s in sections] == [0, 1, 0, 0]  # theme 6 is in module 2 of both
    assert f"run 'eqplan validate {path} --framework eflg-2014'" in result.stderr
