"""The quarterly cycle keeps the council's Welsh: next-period carries the (Cymraeg) text over."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from pipeline.cli import cli
from pipeline.workbook import read_workbook
from tests.render.helpers import all_text

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
