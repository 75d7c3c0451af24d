"""A cover report with no Committee or Meeting date on the Plan sheet says so when it is built.

The cover report is addressed to a committee meeting; built without one it left the table's
Committee and Date of meeting blank without a word. REPORT_FIELDS_MISSING, the one warning
about what the cover report lacks, now names them with their cells (only with --cover).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pipeline.build import build
from pipeline.cli import cli
from pipeline.i18n import use_language
from pipeline.problems import REPORT_FIELDS_MISSING
from pipeline.validate import validate_workbook
from pipeline.validate.cover_checks import check_report_sheet
from tests.conftest import EXAMPLE


def _example_with(tmp_path: Path, plan: dict[str, object], report: dict[str, object]) -> Path:
    """A copy of the example plan with Plan and Report sheet values changed, by row label."""
    book = openpyxl.load_workbook(EXAMPLE)
    for sheet, values in (("Plan", plan), ("Report", report)):
        for row in book[sheet].iter_rows(min_row=2):
            if row[0].value in values:
                row[1].value = values[row[0].value]
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


def _plan_cell(path: Path, label: str) -> str:
    """The Value cell of the Plan row labelled label, as Excel names it (`B11`)."""
    sheet = openpyxl.load_workbook(path)["Plan"]
    return next(f"B{row[0].row}" for row in sheet.iter_rows() if row[0].value == label)


def _missing(result) -> list:
    return [p for p in result.report.warnings if p.is_kind(REPORT_FIELDS_MISSING)]


NO_MEETING = {"Committee": None, "Meeting date": None}


def test_cover_without_committee_or_meeting_date_warns_at_their_cells(tmp_path):
    path = _example_with(tmp_path, NO_MEETING, {})
    committee, meeting = _plan_cell(path, "Committee"), _plan_cell(path, "Meeting date")
    (warning,) = _missing(build(path, tmp_path / "out", cover=True))
    assert (warning.sheet, warning.cell) == ("Plan", committee)
    assert warning.message == (
        "The cover report is addressed to a committee meeting, but these fields on the Plan "
        f"sheet are empty: Committee (Plan!{committee}), Meeting date (Plan!{meeting})."
    )
    assert "standard wording" not in warning.message  # the Report sheet is filled
    assert warning.hint.startswith("Fill in these fields on the sheets named and build again.")


def test_one_warning_names_the_plan_and_report_fields(tmp_path):
    path = _example_with(tmp_path, {"Meeting date": None}, {"Purpose": None})
    meeting = _plan_cell(path, "Meeting date")
    (warning,) = _missing(build(path, tmp_path / "out", cover=True))
    assert warning.cell == meeting
    assert f"on the Plan sheet are empty: Meeting date (Plan!{meeting}). " in warning.message
    assert "Committee" not in warning.message
    assert warning.message.endswith(
        "These fields on the Report sheet are empty, so the cover report uses standard "
        "wording for: Purpose."
    )


def test_no_warning_when_committee_and_meeting_date_are_filled(tmp_path):
    assert not _missing(build(EXAMPLE, tmp_path, cover=True))


def test_no_warning_without_a_cover_report(tmp_path, runner):
    path = _example_with(tmp_path, NO_MEETING, {})
    result = runner.invoke(cli, ["build", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "REPORT_FIELDS_MISSING" not in result.output
    covered = runner.invoke(cli, ["build", str(path), "-o", str(tmp_path / "c"), "--cover"])
    assert covered.exit_code == 0, covered.output
    assert "REPORT_FIELDS_MISSING" in covered.output and "Committee (Plan!" in covered.output


def test_a_meeting_date_not_understood_keeps_its_own_message(tmp_path):
    """`TBC` is DATE_UNCLEAR at its cell, which says how to fix it; not also "empty"."""
    path = _example_with(tmp_path, {"Meeting date": "TBC"}, {})
    result = build(path, tmp_path / "out", cover=True)
    assert [p.code for p in result.report.warnings if p.cell == _plan_cell(path, "Meeting date")]
    assert not _missing(result)


def test_the_warning_is_written_in_welsh_for_welsh_messages(tmp_path):
    path = _example_with(tmp_path, {"Committee": None}, {})
    plan = validate_workbook(path).plan
    with use_language("cy"):
        (warning,) = check_report_sheet(plan)
    assert warning.message.startswith(
        "Mae'r adroddiad eglurhaol wedi'i gyfeirio at gyfarfod pwyllgor, ond mae'r meysydd hyn "
        "ar y daflen Plan yn wag: Committee (Plan!"
    )
    assert warning.hint.startswith("Llenwch y meysydd hyn ar y taflenni a enwir")
