"""A heading renamed a little is said, never silently dropped (COLUMN_NOT_READ).

Testers renamed `Progress update` to `Update Nov 26`: validate said OK and every
progress update vanished from the plan. A heading eqplan does not read that looks
like one of its columns now gets a warning at the heading's cell; the council's
own columns, headings like nothing eqplan knows, still get none.
"""

from __future__ import annotations

import pytest

from pipeline.problems import Severity
from pipeline.validate import validate_workbook
from pipeline.workbook.template_cy import translate_template
from tests.conftest import action_row


def _retitle(sheet: str, old: str, new: str):
    """An edit renaming the heading `old` on sheet to new (found by its text, not its letter)."""

    def edit(wb):
        ws = wb[sheet]
        cell = next(c for c in ws[1] if c.value == old)
        cell.value = new

    return edit


def _not_read(report):
    return [p for p in report.problems if p.code == "COLUMN_NOT_READ"]


ROW = action_row(progress="Data shared with partners.", status="In progress")


@pytest.mark.parametrize(
    ("old", "new", "cell"),
    [
        ("Progress update", "Update Nov 26", "J1"),
        ("Progress update", "Progress updates", "J1"),
        ("Progress update", "Progress update (Nov 2026)", "J1"),
        ("Status", "Current status", "K1"),
        ("Strand", "Strands", "I1"),
        ("Outcome sought", "Outcomes sought", "E1"),
        # A word that only says it holds a date, and a bracketed plural (a re-tester's finds).
        ("Strand", "Strand(s)", "I1"),
        ("Outcome sought", "Outcome(s) sought", "E1"),
        ("Last updated", "Last updated date", "M1"),
        ("Next review", "Date of next review", "N1"),
    ],
)
def test_an_optional_actions_column_renamed_a_little_is_named(make_workbook, old, new, cell):
    result = validate_workbook(make_workbook(actions=[ROW], edit=_retitle("Actions", old, new)))
    [problem] = _not_read(result.report)
    assert (problem.sheet, problem.cell, problem.severity) == ("Actions", cell, Severity.WARNING)
    assert problem.message == (
        f"The column '{new}' is not read, so its contents are not in the plan. "
        f"It looks like '{old}'."
    )
    assert f"rename the heading to '{old}'" in problem.hint
    assert result.report.valid  # a warning: the plan still builds, but the officer is told


@pytest.mark.parametrize(
    ("sheet", "old", "new", "expected"),
    [
        ("Self-assessment", "Current level", "Current levels", "Current level"),
        ("Sections", "Lead officer", "Lead officers", "Lead officer"),
        ("Owners", "Email", "E-mails", "Email"),
        ("Progress log", "Status", "Statuses", "Status"),
    ],
)
def test_every_sheet_read_by_headings_is_checked(make_workbook, sheet, old, new, expected):
    report = validate_workbook(make_workbook(edit=_retitle(sheet, old, new))).report
    [problem] = _not_read(report)
    assert problem.sheet == sheet
    assert f"'{new}'" in problem.message and f"looks like '{expected}'" in problem.message


def test_the_councils_own_columns_get_no_warning(make_workbook):
    def own_columns(wb):
        ws = wb["Actions"]
        for letter, heading in zip(
            "OPQR", ("Comments", "Budget", "Directorate", "Risk"), strict=True
        ):
            ws[f"{letter}1"] = heading
        # An older update kept beside the one eqplan reads is the council's own column.
        ws["S1"] = "Progress update (Nov 2025)"

    report = validate_workbook(make_workbook(edit=own_columns)).report
    assert _not_read(report) == [], report.to_text()


def test_a_heading_with_a_word_more_or_in_welsh_on_an_english_sheet_is_not_taken(make_workbook):
    """`Updated by` was named as a renamed Last updated, and `Diweddariad` on an English sheet
    as the Welsh Progress update, where neither column was there (a reviewer's finding)."""

    def own_columns(wb):
        ws = wb["Actions"]
        headings = [c.value for c in ws[1]]
        for heading in ("Last updated", "Progress update", "Status", "Outcome sought"):
            ws.delete_cols(headings.index(heading) + 1)
            headings.remove(heading)
        start = len(headings) + 1
        others = (
            "Updated by",
            "Previous RAG",
            "Diweddariad",
            "Progress update (previous)",
            "Status date",
            "Outcome date",
            "Update date",
        )  # dates of other columns
        for offset, heading in enumerate(others):
            ws.cell(1, start + offset).value = heading

    report = validate_workbook(make_workbook(edit=own_columns)).report
    assert _not_read(report) == [], report.to_text()


def test_a_required_column_is_reported_once_by_column_missing(make_workbook):
    report = validate_workbook(make_workbook(edit=_retitle("Actions", "Deadline", "Deadlines")))
    codes = [(p.code, p.cell) for p in report.report.problems if p.code.startswith("COLUMN")]
    assert codes == [("COLUMN_MISSING", "F1")]


def test_an_alias_read_as_the_column_gets_no_warning(make_workbook):
    edit = _retitle("Actions", "Completed on", "Date completed ")
    result = validate_workbook(make_workbook(actions=[ROW], edit=edit))
    assert _not_read(result.report) == []
    assert "completed_on" in result.plan.actions[0].source.columns


def test_a_welsh_column_headed_welsh_is_named(make_workbook):
    edit = _retitle("Actions", "Progress update (Cymraeg)", "Progress update (Welsh)")
    workbook = make_workbook(actions=[action_row(point="1")], framework="eif-wales-2011", edit=edit)
    [problem] = _not_read(validate_workbook(workbook).report)
    assert "looks like 'Progress update (Cymraeg)'" in problem.message


def test_a_welsh_column_renamed_a_little_is_named(make_workbook):
    edit = _retitle("Actions", "Progress update (Cymraeg)", "Progress updates (Cymraeg)")
    workbook = make_workbook(actions=[action_row(point="1")], framework="eif-wales-2011", edit=edit)
    [problem] = _not_read(validate_workbook(workbook).report)
    assert "looks like 'Progress update (Cymraeg)'" in problem.message


def test_a_welsh_templates_heading_renamed_a_little_is_named_in_welsh(make_workbook):
    def welsh(wb):
        translate_template(wb)
        _retitle("Camau gweithredu", "Statws", "Statws presennol")(wb)
        _retitle("Camau gweithredu", "Llinyn", "Llinynnau")(wb)

    report = validate_workbook(make_workbook(actions=[ROW], edit=welsh)).report
    found = {p.message.split("'")[1]: p.message.split("'")[3] for p in _not_read(report)}
    assert found == {"Statws presennol": "Statws", "Llinynnau": "Llinyn"}
    assert {p.sheet for p in _not_read(report)} == {"Camau gweithredu"}
