"""The command line: framework listing, template writing, error handling (issue 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pipeline.cli import cli
from tests.conftest import EXAMPLE


def test_frameworks_lists_all_three(runner):
    result = runner.invoke(cli, ["frameworks"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    for framework_id in ("eflg-2014", "eflg-2021", "eif-wales-2011"):
        assert framework_id in result.output


def test_frameworks_show_prints_all_51_points(runner):
    result = runner.invoke(cli, ["frameworks", "show", "eflg-2021"])
    assert result.exit_code == 0, result.output
    for theme in range(1, 18):
        for level in (1, 2, 3):
            assert f"    {theme}.{level} " in result.output
    assert "4 modules, 17 themes, 51 framework points." in result.output


def test_frameworks_show_wales_marks_derived_titles(runner):
    result = runner.invoke(cli, ["frameworks", "show", "eif-wales-2011", "--criteria"])
    assert result.exit_code == 0, result.output
    assert (
        "Building block 1.1 Local inequality data and evidence (descriptive title, not official)"
        in result.output
    )
    assert "Aim: The authority is in a position to identify" in result.output


def test_unknown_framework_is_a_clean_error(runner):
    result = runner.invoke(cli, ["frameworks", "show", "nope"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit), result.exception  # no uncaught exception
    assert result.output.splitlines() == [
        "Error: Unknown framework 'nope'.",
        "  Use one of: eflg-2014, eflg-2021, eif-wales-2011, or the path of a framework .yaml file.",
    ]


def test_running_out_of_memory_is_a_clean_error_and_writes_nothing(
    runner, tmp_path: Path, monkeypatch
):
    """Where no step says what ran out (a template's render does), the command line says so."""

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("pipeline.build.build_view", exhausted)  # once the plan is checked
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith("Error: eqplan ran out of memory, so the command stopped")
    assert "eqplan split --by section" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_template_command_writes_workbook(runner, tmp_path: Path):
    target = tmp_path / "t.xlsx"
    result = runner.invoke(cli, ["template", "--framework", "eflg-2014", "-o", str(target)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(target)
    assert wb["Plan"]["B4"].value == "eflg-2014"


def test_problems_lists_codes(runner):
    result = runner.invoke(cli, ["problems"])
    assert result.exit_code == 0
    assert "RAG_INVALID" in result.output and "OVERDUE" in result.output


def test_building_with_another_framework_than_the_workbooks_stops_before_writing(runner, tmp_path):
    """The example names EFLG 2021; built against the 2014 framework its actions would be
    filed under other themes (2021 theme 10 is not 2014 theme 10), so nothing is written."""
    result = runner.invoke(
        cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--framework", "eflg-2014"]
    )
    assert result.exit_code == 1, result.output
    assert "ERROR" in result.output and "FRAMEWORK_MISMATCH" in result.output
    assert "Plan!B" in result.output and "made for framework" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_framework_named_by_its_short_title_is_the_same_framework(runner, make_workbook):
    """Plan!B4 may say `EFLG 2021`; --framework eflg-2021 is then no mismatch."""
    path = make_workbook(plan={"framework_id": "EFLG 2021"})
    for given in ("eflg-2021", "EFLG 2021"):
        result = runner.invoke(cli, ["validate", str(path), "--framework", given])
        assert "FRAMEWORK_MISMATCH" not in result.output, result.output


@pytest.mark.parametrize("command", ["next-period", "upgrade"])
def test_copying_a_plan_under_another_framework_is_refused(runner, tmp_path, command):
    """next-period or upgrade with another --framework would rewrite the Plan sheet's
    framework and file every action under the other framework's points."""
    out = tmp_path / "out.xlsx"
    result = runner.invoke(cli, [command, str(EXAMPLE), "-o", str(out), "--framework", "eflg-2014"])
    assert result.exit_code == 1, result.output
    assert "made for framework" in result.output and "Plan!B" in result.output
    assert not out.exists()


def test_frameworks_lists_counts_in_each_frameworks_words(runner):
    result = runner.invoke(cli, ["frameworks"])
    assert "(4 improvement areas, 21 building blocks)" in result.output
    assert "(4 modules, 17 themes, 51 framework points)" in result.output
    assert "(4 modules, 18 themes)" in result.output  # no points: none counted


def test_upgrade_rescues_a_workbook_whose_framework_cell_eqplan_does_not_know(
    runner, tmp_path, make_workbook
):
    """`EFLG` is no framework eqplan knows: upgrade asks for --framework, and then takes it."""
    path = make_workbook(plan={"framework_id": "EFLG"})
    out = tmp_path / "upgraded.xlsx"
    asked = runner.invoke(cli, ["upgrade", str(path), "-o", str(out)])
    assert asked.exit_code == 2 and "--framework" in asked.output
    result = runner.invoke(cli, ["upgrade", str(path), "-o", str(out), "--framework", "eflg-2021"])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_another_framework_is_one_error_not_one_per_row(runner, tmp_path):
    """Under EFLG 2014 every EFLG 2021 point is unknown: the officer is told why once."""
    result = runner.invoke(
        cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--framework", "eflg-2014"]
    )
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.strip().startswith("ERROR")]
    assert len(errors) == 1 and "FRAMEWORK_MISMATCH" in errors[0]


def test_the_command_leaves_its_objects_frozen_for_a_quick_exit(monkeypatch):
    """main() freezes the garbage collector's objects as the command ends, however it ends
    (issue 17: collecting every module's objects on the way out cost up to 0.1 s a run)."""
    import gc

    from pipeline import cli as cli_module

    def command(prog_name: str, obj: dict) -> None:
        raise SystemExit(3)

    monkeypatch.setattr(cli_module, "cli", command)
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as stopped:
            cli_module.main()
        assert stopped.value.code == 3  # the exit status is untouched
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("name", ["plan.docx", "plan", "plan.xls"])
@pytest.mark.parametrize(
    "command",
    [
        ["template"],
        ["upgrade", str(EXAMPLE)],
        ["next-period", str(EXAMPLE)],
        ["merge", str(EXAMPLE), str(EXAMPLE)],
        ["combine", str(EXAMPLE), str(EXAMPLE)],
    ],
    ids=lambda command: command[0],
)
def test_a_workbook_is_only_written_under_a_name_ending_in_xlsx(runner, tmp_path, command, name):
    """Found by an attacker's review: `next-period ... -o out.docx` wrote an Excel workbook
    that Word then called damaged, and `-o plan` one that no program opened by a click."""
    output = tmp_path / name
    result = runner.invoke(cli, [*command, "-o", str(output)])
    assert result.exit_code == 2, result.output
    assert "its name must end in .xlsx (for example plan.xlsx)" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_name_ending_in_capital_xlsx_is_written(runner, tmp_path):
    output = tmp_path / "PLAN.XLSX"
    result = runner.invoke(cli, ["template", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(output).sheetnames


@pytest.mark.parametrize("command", ["upgrade", "next-period"])
def test_a_folder_in_the_outputs_place_is_named_without_options_the_command_lacks(
    runner, tmp_path, command
):
    """An attacker's review found this hint offering --name, which only build has."""
    folder = tmp_path / "next.xlsx"
    folder.mkdir()
    result = runner.invoke(cli, [command, str(EXAMPLE), "-o", str(folder), "--force"])
    assert result.exit_code == 2, result.output
    assert f"cannot write {folder}: {folder} is a folder" in result.output
    assert "--name" not in result.output and "another name or folder" in result.output
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("report_date", [dt.datetime(9999, 12, 31), "31/12/9999", "1/1/1066"])
def test_a_report_date_no_plan_can_have_is_an_error_at_its_cell(runner, tmp_path, report_date):
    """An attacker's review: a report date in 9999 ended build in a traceback (the due-soon
    window after it runs past the last date there is), and validate said nothing."""
    plan = tmp_path / "plan.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    assert wb["Plan"]["A10"].value == "Report date"
    wb["Plan"]["B10"] = report_date
    wb.save(plan)
    for command in (["validate", str(plan)], ["build", str(plan), "-o", str(tmp_path / "out")]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "Plan!B10" in result.output and "DATE_INVALID" in result.output
        assert "(its year is not between 1900 and 2999)" in result.output  # why, not only what
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_a_report_date_that_is_no_date_at_all_is_not_said_to_have_a_year(runner, tmp_path):
    plan = tmp_path / "plan.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["Plan"]["B10"] = "soon"
    wb.save(plan)
    result = runner.invoke(cli, ["validate", str(plan)])
    assert result.exit_code == 1 and "'Report date' \"soon\" is not a date." in result.output
