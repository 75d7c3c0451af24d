"""The quarterly cycle keeps the council's Welsh: next-period carries the (Cymraeg) text over."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from pipeline.cli import cli
from pipeline.i18n import in_welsh
from pipeline.validate import validate_workbook
from pipeline.workbook import read_workbook
from pipeline.workbook.next_period import CARRIED_NOTE
from pipeline.workbook.upgrade import read_data
from tests.conftest import read_only_workbook
from tests.render.helpers import all_text
from tests.welsh.test_welsh_template import WELSH_SHEETS

EXAMPLE = Path(__file__).resolve().parents[2] / "inputs" / "example-plan.xlsx"


def _welsh(path: Path) -> dict[str, list[object]]:
    """Every Welsh value of the workbook, by field key (Plan rows, then each sheet's columns)."""
    raw = read_workbook(path)
    found: dict[str, list[object]] = {
        key: [entry.value] for key, entry in raw.plan.items() if key.endswith("_cy")
    }
    for sheet in ("Sections", "Self-assessment", "Actions"):
        for row in raw.tables[sheet].rows:
            for key, value in row.values.items():
                if key.endswith("_cy") and key != "progress_cy" and value not in (None, ""):
                    found.setdefault(f"{sheet}:{key}", []).append(value)
    return found


def test_next_period_keeps_the_councils_welsh(tmp_path, runner):
    before = _welsh(EXAMPLE)
    assert before, "the shipped example has Welsh text to carry over"
    out = tmp_path / "next.xlsx"
    result = runner.invoke(cli, ["next-period", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _welsh(out) == before


EB01_WELSH = "Ychwanegwyd data iaith ac anabledd ar gyfer 12 o'r 20 ward."
EB03_WELSH = "Rhannwyd y categorïau drafft â'r rhwydweithiau staff"


def test_last_quarters_welsh_update_moves_to_the_log_with_its_english(tmp_path, runner):
    """After next-period, a new English update must never be printed beside last quarter's
    Welsh as if that were its translation: the Welsh moves to the log with its English, the
    Welsh plan prints the new English with a WELSH_TEXT_MISSING warning for its cell, and an
    action with no new update prints its logged Welsh."""
    nxt = tmp_path / "next.xlsx"
    assert runner.invoke(cli, ["next-period", str(EXAMPLE), "-o", str(nxt)]).exit_code == 0
    book = openpyxl.load_workbook(nxt)
    sheet = book["Actions"]
    headings = [c.value for c in sheet[1]]
    assert sheet.cell(2, headings.index("Ref") + 1).value == "EB01"
    sheet.cell(2, headings.index("Progress update") + 1).value = "Data added for all 20 wards."
    book.save(nxt)
    welsh_cell = f"{get_column_letter(headings.index('Progress update (Cymraeg)') + 1)}2"

    result = runner.invoke(
        cli, ["build", str(nxt), "-o", str(tmp_path / "out"), "--language", "cy"]
    )
    assert result.exit_code == 0, result.output
    assert "WELSH_TEXT_MISSING" in result.output and f"{welsh_cell}," in result.output
    text = all_text(tmp_path / "out" / "next-cy.docx")
    assert "Data added for all 20 wards." in text and EB01_WELSH not in text
    assert EB03_WELSH in text  # no new update: the latest from the log, in Welsh
    english = runner.invoke(cli, ["build", str(nxt), "-o", str(tmp_path / "en")])
    assert english.exit_code == 0, english.output
    assert EB03_WELSH not in all_text(tmp_path / "en" / "next.docx")


def _log_row(path: Path, values: dict[str, object]) -> None:
    """Add a Progress log row by heading, as eqplan merge writes one."""
    book = openpyxl.load_workbook(path)
    sheet = book["Progress log"]
    headings = [c.value for c in sheet[1]]
    row = sheet.max_row + 1
    for heading, value in values.items():
        sheet.cell(row, headings.index(heading) + 1).value = value
    book.save(path)


def _log(path: Path) -> list[dict[str, object]]:
    with read_only_workbook(path) as book:
        rows = list(book["Progress log"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:] if any(row)]


EB01_ENGLISH = "Language and disability data added for 12 of 20 wards."


def test_welsh_typed_after_a_merge_joins_the_update_merge_logged(tmp_path, runner):
    """merge logs an update (no Welsh: returns have none); the translator then types its Welsh
    beside it; next-period must put that Welsh on merge's entry, not drop it."""
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(EXAMPLE.read_bytes())
    _log_row(plan, {"Ref": "EB01", "Date": dt.datetime(2026, 11, 18), "Update": EB01_ENGLISH})
    nxt = tmp_path / "next.xlsx"
    result = runner.invoke(cli, ["next-period", str(plan), "-o", str(nxt)])
    assert result.exit_code == 0, result.output
    eb01 = [r for r in _log(nxt) if r["Ref"] == "EB01" and r["Update"] == EB01_ENGLISH]
    assert len(eb01) == 1 and eb01[0]["Update (Cymraeg)"] == EB01_WELSH


def test_welsh_with_no_english_beside_it_moves_to_the_log_as_it_is(tmp_path, runner):
    """A Welsh-only update is an update too: logged (the English empty), never left beside
    next quarter's English as if it were its Welsh."""
    plan, nxt = tmp_path / "plan.xlsx", tmp_path / "next.xlsx"
    plan.write_bytes(EXAMPLE.read_bytes())
    book = openpyxl.load_workbook(plan)
    sheet = book["Actions"]
    headings = [c.value for c in sheet[1]]
    column = headings.index("Progress update (Cymraeg)") + 1
    assert sheet.cell(8, 1).value == "EB07"
    assert not sheet.cell(8, headings.index("Progress update") + 1).value
    sheet.cell(8, column).value = "Dim ond Cymraeg."
    book.save(plan)
    assert runner.invoke(cli, ["next-period", str(plan), "-o", str(nxt)]).exit_code == 0
    assert openpyxl.load_workbook(nxt)["Actions"].cell(8, column).value is None
    logged = [r for r in _log(nxt) if r["Ref"] == "EB07"]
    assert [(r["Update"], r["Update (Cymraeg)"]) for r in logged] == [(None, "Dim ond Cymraeg.")]


def test_a_logged_update_the_welsh_plan_prints_in_english_is_warned(tmp_path, runner):
    """After next-period, an action with no new update prints its latest log entry: in a Welsh
    plan, in English when the log has no Welsh for it, so WELSH_TEXT_MISSING names that cell
    (and --strict stops the build); the entries moved with their Welsh are not named."""
    nxt = tmp_path / "next.xlsx"
    assert runner.invoke(cli, ["next-period", str(EXAMPLE), "-o", str(nxt)]).exit_code == 0
    report = validate_workbook(nxt, language="cy").report
    (logged,) = [
        p for p in report.warnings if p.code == "WELSH_TEXT_MISSING" and p.sheet == "Progress log"
    ]
    rows = {r["Ref"]: number for number, r in enumerate(_log(nxt), start=2)}
    cell = f"G{rows['EB06']}"  # EB06 had no Welsh; EB01 had
    assert cell in logged.message and f"G{rows['EB01']}," not in logged.message
    strict = runner.invoke(
        cli, ["build", str(nxt), "-o", str(tmp_path / "out"), "--language", "cy", "--strict"]
    )
    assert strict.exit_code == 1


def _welsh_example(folder):
    """The example plan saved as a Welsh workbook (its sheets and headings in Welsh)."""
    welsh = folder / "cynllun.xlsx"
    read_data(read_workbook(EXAMPLE)).save_to(welsh, EXAMPLE, language="cy")
    return welsh


@pytest.mark.parametrize("command", ["next-period", "upgrade"])
def test_a_workbook_made_in_welsh_is_copied_in_welsh(tmp_path, runner, command):
    """Sheets, headings and dropdown words stay Welsh: an English copy would hold `Ambr` in
    a column whose dropdown offers Amber."""
    welsh, copy = _welsh_example(tmp_path), tmp_path / "nesaf.xlsx"
    result = runner.invoke(cli, [command, str(welsh), "-o", str(copy)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames == WELSH_SHEETS
    sheet = book["Camau gweithredu"]
    rags = {row[0].value: row[7].value for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert rags["EB47"] == "Gwyrdd"


def test_the_carried_forward_note_has_its_welsh_in_a_workbook_with_welsh(tmp_path, runner):
    """eqplan writes the note itself, so it writes its Welsh too: no WELSH_TEXT_MISSING for it."""
    plan, nxt = tmp_path / "plan.xlsx", tmp_path / "next.xlsx"
    plan.write_bytes(EXAMPLE.read_bytes())
    book = openpyxl.load_workbook(plan)
    sheet = book["Actions"]
    headings = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB13")
    for heading, value in (
        ("RAG", "Complete"),
        ("Status", "Complete"),
        ("Progress update", None),
        ("Progress update (Cymraeg)", None),
        ("Completed on", "20/11/2026"),
    ):
        sheet.cell(row, headings.index(heading) + 1).value = value  # fmt: skip
    book.save(plan)
    assert runner.invoke(cli, ["next-period", str(plan), "-o", str(nxt)]).exit_code == 0
    notes = [r for r in _log(nxt) if r["Update"] == CARRIED_NOTE]
    assert notes and {r["Update (Cymraeg)"] for r in notes} == {in_welsh(CARRIED_NOTE)}
    assert in_welsh(CARRIED_NOTE) != CARRIED_NOTE


def test_with_the_history_appendix_every_logged_update_is_checked_for_its_welsh(tmp_path):
    """The history appendix prints every log entry, older ones too: with --history, a Welsh
    build names each one with no Welsh; without, only the latest of each action counts."""
    nxt = tmp_path / "next.xlsx"
    assert CliRunner().invoke(cli, ["next-period", str(EXAMPLE), "-o", str(nxt)]).exit_code == 0
    first = _log(nxt)[0]  # one of the example's own entries: older than what moved after it
    assert first["Update (Cymraeg)"] is None

    def listed(history: bool) -> str:
        report = validate_workbook(nxt, language="cy", history=history).report
        found = [p for p in report.warnings if p.code == "WELSH_TEXT_MISSING"]
        return " ".join(p.message for p in found if p.sheet == "Progress log")

    assert not re.search(r"\bG2\b", listed(False)) and re.search(r"\bG2\b", listed(True))


def test_a_last_updated_that_is_no_date_names_the_welsh_log_sheet(tmp_path, runner):
    """In a Welsh template's workbook the Progress log is 'Log cynnydd': next-period's
    message must name the cell where the officer will find it (found by a code review)."""
    from pipeline.workbook import layout

    blank = tmp_path / "blank.xlsx"
    assert runner.invoke(cli, ["template", "-o", str(blank), "--language", "cy"]).exit_code == 0
    book = openpyxl.load_workbook(blank)
    plan_keys = [f.key for f in layout.PLAN_FIELDS]
    plan = book["Cynllun"]
    plan.cell(plan_keys.index("report_date") + 2, 2).value = dt.datetime(2026, 11, 30)
    actions = book["Camau gweithredu"]
    keys = [c.key for c in layout.ACTIONS.columns]
    for key, value in {
        "ref": "A1",
        "point": "1.2",
        "action": "Publish ward profiles.",
        "progress": "Draft toolkit.",
        "last_updated": "11/20/2026",
    }.items():
        actions.cell(2, keys.index(key) + 1).value = value
    current = tmp_path / "current.xlsx"
    book.save(current)
    following = tmp_path / "next.xlsx"
    result = runner.invoke(cli, ["next-period", str(current), "-o", str(following)])
    assert result.exit_code == 0, result.output
    said = re.search(
        r"teipiwch y dyddiad yn (.+?), y diwrnod yn gyntaf", " ".join(result.output.split())
    )
    assert said is not None, result.output
    assert said.group(1) == "'Log cynnydd'!B2"
    assert openpyxl.load_workbook(following)["Log cynnydd"]["B2"].value == "11/20/2026"


def test_next_period_of_a_welsh_plan_reports_in_welsh(tmp_path, runner):
    """next-period printed its report in English for a plan made in Welsh, whose merge and
    split report in Welsh; it follows the plan's language, and an English plan's stays
    English."""
    welsh = _welsh_example(tmp_path)
    out = tmp_path / "nesaf.xlsx"
    result = runner.invoke(cli, ["next-period", str(welsh), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Dyddiad yr adroddiad 30 Tachwedd 2026 -> 28 Chwefror 2027 (ar y daflen Cynllun)."
    )
    assert lines[1].startswith("Symudwyd 30 diweddariad ar gynnydd i'r daflen Log cynnydd;")
    assert lines[-1] == f"Ysgrifennwyd {out}."
    for english in ("Report date", "moved to", "Check the Version", "Wrote", " sheet"):
        assert english not in result.output, english
    english = runner.invoke(cli, ["next-period", str(EXAMPLE), "-o", str(tmp_path / "n.xlsx")])
    assert english.output.startswith("Report date 30 November 2026 -> 28 February 2027")
    assert "30 progress updates moved to the Progress log sheet" in english.output


def test_upgrade_of_a_welsh_plan_reports_in_welsh(tmp_path, runner):
    """upgrade wrote a Welsh plan's copy in Welsh but said what it copied in English, naming
    sheets the workbook does not have (`Actions: 62 rows`)."""
    welsh = _welsh_example(tmp_path)
    out = tmp_path / "newydd.xlsx"
    result = runner.invoke(cli, ["upgrade", str(welsh), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Copïwyd o {welsh}:"
    assert "  Camau gweithredu: 62 rhes" in lines and "  Log cynnydd: 3 chofnod" in lines
    assert "  Perchnogion: 10 perchennog" in lines and "  Adrannau: 4 adran" in lines
    assert lines[-1] == f"Ysgrifennwyd {out}. Gwiriwch ef gyda: eqplan validate {out} --language cy"
    for english in ("Copied", "rows", "Actions", "Wrote", "Check it"):
        assert english not in result.output, english
    english = runner.invoke(cli, ["upgrade", str(EXAMPLE), "-o", str(tmp_path / "e.xlsx")])
    assert "  Actions: 62 rows" in english.output.splitlines()
    assert english.output.startswith(f"Copied from {EXAMPLE}:")
