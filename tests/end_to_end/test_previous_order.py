"""A previous report not earlier than the current one is a PREVIOUS_NOT_EARLIER warning.

`eqplan compare` and `build`/`summary --since` take the last report's workbook as the
previous one. Given the wrong way round (the previous dated after the current), or with
--since the same date or the very same file, the plan would say "Progress since the last
report (31 August 2027)" in a report as at 31 May 2027, or compare this report with itself.
compare of two workbooks as at the same date (before and after a merge) is ordinary.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline import frameworks
from pipeline.cli import cli
from pipeline.i18n import use_language
from pipeline.validate import validate_workbook
from tests.conftest import action_row

MAY, AUGUST = dt.date(2027, 5, 31), dt.date(2027, 8, 31)
CODE = "PREVIOUS_NOT_EARLIER"


def _clean_plan(make_workbook, name: str, report_date: dt.date, rag: str = "Green"):
    """A plan with no warnings (an action under every theme, none overdue), so --strict builds."""
    themes = [theme.ref for theme in frameworks.load("eflg-2021").themes]
    rows = [
        action_row(ref=f"A{theme}", point=f"{theme}.1", action=f"Act on theme {theme}.", rag=rag,
                   deadline=dt.date(2028, 3, 31))
        for theme in themes
    ]  # fmt: skip
    plan = {"report_date": report_date, "meeting_date": dt.date(2027, 9, 30)}
    return make_workbook(name, actions=rows, plan=plan)


@pytest.fixture
def reports(make_workbook):
    """Two quarters of one clean plan, and May's copy after a merge (same report date)."""
    return {
        "may": _clean_plan(make_workbook, "plan-may.xlsx", MAY),
        "merged": _clean_plan(make_workbook, "plan-may-merged.xlsx", MAY, rag="Amber"),
        "august": _clean_plan(make_workbook, "plan-august.xlsx", AUGUST),
    }


def _run(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    return result, result.stdout + result.stderr


def _says_both(text: str, previous, current, previous_date: str, current_date: str) -> None:
    """The warning names both files and both dates (GOV.UK style) and how to fix it."""
    assert CODE in text
    assert f"The previous report's workbook, {previous}, is as at {previous_date}" in text
    assert f"the current report's, {current}, as at {current_date}" in text
    assert "the last report sent to committee" in text


def test_build_since_a_later_report_warns_and_still_builds(runner, reports, tmp_path):
    result, text = _run(
        runner, "build", reports["may"], "--since", reports["august"], "-o", tmp_path / "out"
    )
    assert result.exit_code == 0, text
    _says_both(text, reports["august"], reports["may"], "31 August 2027", "31 May 2027")
    assert "dated after the current one" in text and "wrong way round" in text
    assert (tmp_path / "out" / "plan-may.docx").exists()
    # The previous workbook was checked too: its own OK line, under the current's.
    assert f"Previous report (--since): OK: {reports['august']}: 0 errors" in result.stdout


def test_compare_the_wrong_way_round_warns_on_stderr_and_in_json(runner, reports):
    result, _ = _run(runner, "compare", reports["august"], reports["may"])
    assert result.exit_code == 0
    assert CODE not in result.stdout
    _says_both(result.stderr, reports["august"], reports["may"], "31 August 2027", "31 May 2027")

    result, _ = _run(runner, "compare", reports["august"], reports["may"], "--format", "json")
    assert result.exit_code == 0
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["code"] == CODE and problem["severity"] == "warning"
    assert "31 August 2027" in problem["message"] and "31 May 2027" in problem["message"]
    assert problem["where"] == "Plan!B10"  # the current workbook's report date


def test_the_right_order_says_nothing(runner, reports, tmp_path):
    result, text = _run(runner, "compare", reports["may"], reports["august"])
    assert result.exit_code == 0 and CODE not in text
    result, _ = _run(runner, "compare", reports["may"], reports["august"], "--format", "json")
    assert json.loads(result.stdout)["problems"] == []
    build = ["build", reports["august"], "--since", reports["may"], "-o", tmp_path, "--strict"]
    result, text = _run(runner, *build)
    assert result.exit_code == 0 and CODE not in text, text


def test_compare_of_two_workbooks_as_at_the_same_date_is_a_merge_and_says_nothing(runner, reports):
    result, text = _run(runner, "compare", reports["may"], reports["merged"])
    assert result.exit_code == 0 and CODE not in text


def test_build_since_the_same_date_warns(runner, reports, tmp_path):
    result, text = _run(
        runner, "build", reports["merged"], "--since", reports["may"], "-o", tmp_path
    )
    assert result.exit_code == 0, text
    _says_both(text, reports["may"], reports["merged"], "31 May 2027", "31 May 2027")
    assert "both are as at the same date" in text


def test_build_since_the_plan_itself_warns(runner, reports, tmp_path):
    result, text = _run(runner, "build", reports["may"], "--since", reports["may"], "-o", tmp_path)
    assert result.exit_code == 0, text
    _says_both(text, reports["may"], reports["may"], "31 May 2027", "31 May 2027")
    assert "they are the same workbook" in text
    assert f"OK: {reports['may']}: 0 errors, 1 warning;" in result.stdout  # counted


def test_strict_stops_the_build_on_the_warning(runner, reports, tmp_path):
    out = tmp_path / "out"
    result, text = _run(
        runner, "build", reports["may"], "--since", reports["august"], "-o", out, "--strict"
    )
    assert result.exit_code == 1
    assert CODE in result.stdout and "No plan was built" in text
    assert not out.exists() or not any(out.iterdir())


def test_summary_since_warns_on_stderr_and_in_json(runner, reports):
    args = ["summary", reports["may"], "--since", reports["august"]]
    result, _ = _run(runner, *args)
    assert result.exit_code == 0
    assert CODE in result.stderr and CODE not in result.stdout
    result, _ = _run(runner, *args, "--format", "json")
    (problem,) = json.loads(result.stdout)["since"]["problems"]
    assert problem["code"] == CODE


def test_the_warning_is_worded_in_welsh_from_the_catalogue(reports):
    from pipeline.compare_files import compare_reports

    may, august = (validate_workbook(reports[k]).plan for k in ("may", "august"))
    with use_language("cy"):
        (problem,) = compare_reports(august, may, ("awst.xlsx", "mai.xlsx")).problems
    assert problem.message.startswith("Mae llyfr gwaith yr adroddiad blaenorol, awst.xlsx, ar")
    assert "31 Awst 2027" in problem.message and "tuag yn ôl" in problem.message
    assert "pwyllgor" in problem.hint


def test_plans_without_a_report_date_cannot_be_placed(reports):
    """Only a script can compare plans with no report date (the Plan sheet requires one)."""
    from pipeline.compare_files import compare_reports

    may, august = (validate_workbook(reports[k]).plan for k in ("may", "august"))
    august.details.report_date = None
    names = ("august.xlsx", "may.xlsx")
    assert compare_reports(august, may, names).problems == []
    assert compare_reports(august, may, names, since=True).problems == []
    (same,) = compare_reports(may, may, names, since=True, same_workbook=True).problems
    assert "same workbook" in same.message


def test_welsh_command_lines_give_the_warning_in_welsh_and_json_in_english(runner, reports):
    """`compare --language cy` and `summary --since --language cy` printed their report in
    Welsh and this one warning in English (it was worded before the language was chosen)."""
    welsh = "Mae llyfr gwaith yr adroddiad blaenorol"
    for args in (
        ["compare", reports["august"], reports["may"]],
        ["summary", reports["may"], "--since", reports["august"]],
    ):
        result, _ = _run(runner, *args, "--language", "cy")
        assert result.exit_code == 0 and welsh in result.stderr, result.stderr
        assert "31 Awst 2027" in result.stderr and "The previous report" not in result.stderr
        result, _ = _run(runner, *args, "--language", "cy", "--format", "json")
        found = json.loads(result.stdout)
        (problem,) = found["problems"] if "problems" in found else found["since"]["problems"]
        assert problem["message"].startswith("The previous report's workbook")
