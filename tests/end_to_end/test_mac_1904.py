"""A workbook from old Excel for Mac (the 1904 date system) gives the documents, figures and
copies its twin in the 1900 date system gives: numbers in General cells and years typed into
date cells are the days Excel shows, read and written (next-period, split, merge, annotate)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.deadlines import DeadlineKind
from pipeline.validate import validate_workbook
from pipeline.workbook import layout
from tests.conftest import EXAMPLE, in_1904_system
from tests.render.helpers import all_text

D = dt.date
COLUMNS = [c.key for c in layout.ACTIONS.columns]
DAY_ZERO = {"1900": D(1899, 12, 30), "1904": D(1904, 1, 1)}
HR = "Human-Resources-and-OD.xlsx"  # EB47 is one of its actions


def _general(ws, where: str, day: dt.date, system: str) -> None:
    """A date whose cell lost its date format: the number its workbook's system stores."""
    ws[where].value, ws[where].number_format = (day - DAY_ZERO[system]).days, "General"


def _as_typed_on(system: str):
    """The example with its report date (Plan!B10), EB01's deadline (F2) and Last updated (M2)
    kept as numbers, and 2028 typed into EB04's deadline cell (F5), a date cell."""

    def edit(wb) -> None:
        _general(wb["Plan"], "B10", D(2026, 11, 30), system)
        _general(wb["Actions"], "F2", D(2027, 3, 31), system)
        _general(wb["Actions"], "M2", D(2026, 11, 18), system)
        wb["Actions"]["F5"].value, wb["Actions"]["F5"].number_format = 2028, "dd/mm/yyyy"

    return edit


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> dict[str, Path]:
    """The example typed the same way in a 1900 workbook and in a 1904 one, both `plan.xlsx`."""
    folder = tmp_path_factory.mktemp("twins")
    (folder / "1900").mkdir()
    (folder / "1904").mkdir()
    windows = openpyxl.load_workbook(EXAMPLE)
    _as_typed_on("1900")(windows)
    windows.save(folder / "1900" / "plan.xlsx")
    mac = in_1904_system(EXAMPLE, folder / "1904" / "plan.xlsx", _as_typed_on("1904"))
    assert b'date1904="1"' in _workbook_xml(mac)
    return {"1900": folder / "1900" / "plan.xlsx", "1904": mac}


def _workbook_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/workbook.xml")


def _summary(path: Path) -> dict:
    result = CliRunner().invoke(cli, ["summary", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _messages(path: Path) -> list[str]:
    report = validate_workbook(path).report
    return [f"{p.sheet}!{p.cell} {p.code}: {p.message}" for p in report.problems]


def test_validate_says_what_excel_shows(twins):
    mac = _messages(twins["1904"])
    assert 'Plan!B10 DATE_AS_NUMBER: "44894" was read as the date 30 November 2026.' in mac
    assert 'Actions!F2 DATE_AS_NUMBER: "45015" was read as the date 31 March 2027.' in mac
    assert 'Actions!M2 DATE_AS_NUMBER: "44882" was read as the date 18 November 2026.' in mac
    assert not [m for m in mac if "DEADLINE_IMPLAUSIBLE" in m]
    windows = _messages(twins["1900"])
    shift = {"46356": "44894", "46477": "45015", "46344": "44882"}  # 1,462 days apart
    for number, mac_number in shift.items():
        windows = [m.replace(f'"{number}"', f'"{mac_number}"') for m in windows]
    assert mac == windows


def test_the_figures_and_documents_are_the_1900_twins(twins, tmp_path):
    figures = {system: _summary(path) for system, path in twins.items()}
    assert figures["1904"] == figures["1900"]
    assert figures["1904"]["report_date"] == "2026-11-30"
    assert (figures["1904"]["overdue"], figures["1904"]["due_soon"]) == (7, 13)
    built = {}
    for system, path in twins.items():
        out = tmp_path / system
        result = CliRunner().invoke(cli, ["build", str(path), "-o", str(out)])
        assert result.exit_code == 0, result.output
        book = openpyxl.load_workbook(out / "plan-summary.xlsx")
        sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}
        built[system] = (all_text(out / "plan.docx"), sheets)
    text, sheets = built["1904"]
    assert built["1904"] == built["1900"]
    assert "Position as at 30 November 2026" in text
    assert "29 November 2022" not in text and "21 July 1909" not in text
    overdue = [row[0] for row in sheets["Overdue"][1:] if row[0]]
    assert "EB01" not in overdue and len(overdue) - 1 == 7  # the as-at line besides


def test_next_period_and_upgrade_copy_the_same_days(twins, tmp_path):
    for command in ("next-period", "upgrade"):
        copies = {}
        for system, path in twins.items():
            target = tmp_path / command / system / "next.xlsx"
            result = CliRunner().invoke(cli, [command, str(path), "-o", str(target)])
            assert result.exit_code == 0, result.output
            copies[system] = target
        assert _messages(copies["1904"]) == _messages(copies["1900"]), command
        assert _summary(copies["1904"]) == _summary(copies["1900"]), command
        plan = validate_workbook(copies["1904"]).plan
        eb01, eb04 = plan.actions[0], plan.actions[3]
        assert eb01.deadline.due == D(2027, 3, 31), command
        assert (eb04.deadline.kind, eb04.deadline.display) == (DeadlineKind.YEAR, "2028")


def test_split_and_merge_of_a_1904_plan_keep_the_days(twins, tmp_path):
    merged = {}
    for system, path in twins.items():
        sent = tmp_path / system / "sent"
        result = CliRunner().invoke(cli, ["split", str(path), "--by", "owner", "-o", str(sent)])
        assert result.exit_code == 0, result.output
        returned = _typed_into_return(sent / HR, tmp_path / system / HR, 2030)
        merged[system] = tmp_path / system / "merged.xlsx"
        args = ["merge", str(path), str(returned), "-o", str(merged[system])]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert _summary(merged["1904"]) == _summary(merged["1900"])
    plan = validate_workbook(merged["1904"]).plan
    assert plan.details.report_date == D(2026, 11, 30)
    deadlines = {a.ref: a.deadline for a in plan.actions}
    assert deadlines["EB01"].due == D(2027, 3, 31)
    assert (deadlines["EB04"].kind, deadlines["EB04"].display) == (DeadlineKind.YEAR, "2028")
    assert (deadlines["EB47"].kind, deadlines["EB47"].display) == (DeadlineKind.YEAR, "2030")


def _typed_into_return(sent: Path, target: Path, year: int, *, mac: bool = False) -> Path:
    """The owner's return with year typed into EB47's deadline (a date cell), saved on a Mac
    whose Excel uses the 1904 date system if mac."""

    def edit(wb) -> None:
        ws = wb[layout.ACTIONS_SHEET]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "EB47")
        cell = ws.cell(row, COLUMNS.index("deadline") + 1)
        cell.value, cell.number_format = year, "dd/mm/yyyy"

    if mac:
        return in_1904_system(sent, target, edit)
    shutil.copy(sent, target)
    wb = openpyxl.load_workbook(target)
    edit(wb)
    wb.save(target)
    return target


def test_a_return_saved_in_the_1904_system_merges_the_year_typed(sent, tmp_path):
    returned = _typed_into_return(sent / HR, tmp_path / HR, 2029, mac=True)
    out = tmp_path / "merged.xlsx"
    result = CliRunner().invoke(cli, ["merge", str(EXAMPLE), str(returned), "-o", str(out)])
    assert result.exit_code == 0, result.output
    plan = validate_workbook(out).plan
    deadline = next(a.deadline for a in plan.actions if a.ref == "EB47")
    assert (deadline.kind, deadline.display) == (DeadlineKind.YEAR, "2029")


def test_the_annotated_copy_keeps_the_1904_system_and_its_values(twins, tmp_path):
    args = ["validate", str(twins["1904"]), "--annotate", "-o", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    copy = tmp_path / "plan-checked.xlsx"
    assert b'date1904="1"' in _workbook_xml(copy)
    original, marked = openpyxl.load_workbook(twins["1904"]), openpyxl.load_workbook(copy)
    for sheet, where in (("Plan", "B10"), ("Plan", "B12"), ("Actions", "F2"), ("Actions", "F5")):
        assert marked[sheet][where].value == original[sheet][where].value
    assert _messages(copy) == _messages(twins["1904"])
