"""A copy of a sheet eqplan reads is said, never silently ignored (SHEET_NOT_READ).

Testers added new actions on `Actions (2)`, Excel's name for a copy of the Actions
sheet: validate said OK and the actions were not in the plan.
"""

from __future__ import annotations

import pytest

from pipeline.validate import validate_workbook
from pipeline.workbook.template_cy import translate_template
from tests.conftest import action_row

NEW = ("A9", "1.2", "New evidence.", "A new action added on the copy.")


def _copy(name: str, source: str = "Actions", row: tuple = NEW):
    def edit(wb):
        copy = wb.copy_worksheet(wb[source])
        copy.title = name
        for column, value in enumerate(row, start=1):
            copy.cell(row=3, column=column, value=value)

    return edit


def _codes(report, code):
    return [p for p in report.problems if p.code == code]


def test_a_copy_of_the_actions_sheet_is_named(make_workbook):
    report = validate_workbook(make_workbook(edit=_copy("Actions (2)"))).report
    [problem] = _codes(report, "SHEET_NOT_READ")
    assert problem.sheet == "Actions (2)" and not problem.is_error
    assert problem.message == (
        "Sheet 'Actions (2)' looks like the 'Actions' sheet but is not read, "
        "so its rows are not in the plan."
    )
    assert "eqplan reads only 'Actions'" in problem.hint


def test_a_sheet_with_the_actions_headings_is_named(make_workbook):
    report = validate_workbook(make_workbook(edit=_copy("New actions"))).report
    assert [p.sheet for p in _codes(report, "SHEET_NOT_READ")] == ["New actions"]


@pytest.mark.parametrize("name", ["Copy of Owners", "Owners v2", "Owners 2", "Old Owners"])
def test_copies_of_other_sheets_read_are_named(make_workbook, name):
    edit = _copy(name, "Owners", ("Equality Lead",))
    report = validate_workbook(make_workbook(edit=edit)).report
    [problem] = _codes(report, "SHEET_NOT_READ")
    assert "looks like the 'Owners' sheet" in problem.message


def test_the_councils_own_sheets_and_empty_copies_get_no_warning(make_workbook):
    def own(wb):
        wb.create_sheet("Notes")["A1"] = "Our notes on the plan"
        wb["Notes"]["A2"] = "Budget agreed in March."
        wb.copy_worksheet(wb["Actions"]).title = "Actions (2)"  # headings only: nothing lost
        empty = wb["Actions (2)"]
        empty.delete_rows(2, empty.max_row)

    report = validate_workbook(make_workbook(edit=own)).report
    assert _codes(report, "SHEET_NOT_READ") == [], report.to_text()


def test_a_missing_sheet_names_the_copy_that_looks_like_it(make_workbook):
    def rename(wb):
        wb["Actions"].title = "Actions (2)"

    report = validate_workbook(make_workbook(edit=rename)).report
    [missing] = _codes(report, "SHEET_MISSING")
    assert missing.message.endswith(". Sheets like it: 'Actions (2)'.")
    assert _codes(report, "SHEET_NOT_READ") == []  # named once, by the error


def test_a_copy_on_a_welsh_template_is_named_in_its_welsh_name(make_workbook):
    def welsh(wb):
        translate_template(wb)
        _copy("Camau gweithredu (2)", "Camau gweithredu")(wb)

    report = validate_workbook(make_workbook(actions=[action_row()], edit=welsh)).report
    [problem] = _codes(report, "SHEET_NOT_READ")
    assert "looks like the 'Camau gweithredu' sheet" in problem.message


def test_a_copy_named_in_welsh_is_named(make_workbook):
    def welsh(wb):
        translate_template(wb)
        _copy("Copi o Perchnogion", "Perchnogion", ("Equality Lead",))(wb)

    report = validate_workbook(make_workbook(actions=[action_row()], edit=welsh)).report
    [problem] = _codes(report, "SHEET_NOT_READ")
    assert "looks like the 'Perchnogion' sheet" in problem.message
