"""One small workbook per rule: each code is reported at the right cell with the right severity (issue 6).

test_every_catalogue_code_is_produced_by_a_test_case checks that every code
in the catalogue is the expected result of a case whose test asserts that the
code is reported, so a new rule cannot ship untested.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest

from pipeline import frameworks, problems
from pipeline.progress_log import NOT_APPLIED
from pipeline.validate import validate_workbook
from tests.conftest import action_row, as_stored


def _set(sheet: str, ref: str, value):
    def edit(wb):
        wb[sheet][ref] = value

    return edit


def _hide_row(wb):
    wb["Actions"].row_dimensions[2].hidden = True


def _hide_owners(wb):
    wb["Owners"].sheet_state = "hidden"


def _merge_points(wb):
    wb["Actions"].merge_cells("B2:B3")


def _duplicate_rag_column(wb):
    wb["Actions"]["K1"] = "RAG"
    wb["Actions"]["K2"] = "Red"


def _rename_rag(wb):
    wb["Actions"]["H1"] = "R.A.G."


def _delete_owners(wb):
    del wb["Owners"]


def _copy_actions(wb):
    copy = wb.copy_worksheet(wb["Actions"])
    copy.title = "Actions (2)"


def _clear_owner_headings(wb):
    for cell in wb["Owners"][1]:
        cell.value = None


def _error_value(wb):
    wb["Actions"]["D2"] = "#REF!"


def _formula(wb):
    wb["Actions"]["D2"] = '=UPPER("share data")'


def _unknown_module(wb):
    wb["Sections"]["A2"] = "9"
    wb["Sections"]["B2"] = "Not a module"


def _theme_named_as_another(wb) -> None:
    wb["Self-assessment"]["B2"] = "Health and wellbeing"  # theme 17's name on theme 1's row


def _unknown_theme(wb):
    wb["Self-assessment"]["A2"] = "99"
    wb["Self-assessment"]["B2"] = "Not a theme"


def _strand_colour(value):
    def edit(wb):
        wb["Lists"]["F2"] = value  # Race equality's colour

    return {"edit": edit}


def _assessment_date(wb):
    wb["Self-assessment"]["E2"] = "someday"


TWO = [action_row(), action_row(ref="A2", point=None, action="Second action.")]


# code: (make_workbook keyword arguments, expected cell)
def _repeat_theme_row(wb) -> None:
    """A second Self-assessment row for theme 1 (the template has rows 2 to 18, themes 1-17)."""
    sheet = wb["Self-assessment"]
    sheet["A19"], sheet["B19"], sheet["C19"] = (
        "1",
        "Collecting and sharing information",
        "Excellent",
    )


def _welsh_evidence_only(wb) -> None:
    """A Welsh evidence column, with Welsh in the first action's row and no English beside it."""
    sheet = wb["Actions"]
    column = sheet.max_column + 1
    sheet.cell(row=1, column=column, value="Current position / evidence (Cymraeg)")
    sheet.cell(row=2, column=column, value="Tystiolaeth yn Gymraeg yn unig.")


CASES: dict[str, tuple[dict, str]] = {
    "SHEET_MISSING": ({"edit": _delete_owners}, ""),
    "SHEET_NO_HEADER": ({"edit": _clear_owner_headings}, ""),
    "SHEET_NOT_READ": ({"edit": _copy_actions}, ""),
    "SPLIT_WORKBOOK": ({"edit": lambda wb: wb.create_sheet("eqplan split record")}, ""),
    "COLUMN_MISSING": ({"edit": _rename_rag}, "H1"),
    "COLUMN_DUPLICATE": ({"edit": _duplicate_rag_column}, "K1"),
    "COLUMN_NOT_READ": ({"edit": _set("Actions", "J1", "Progress updates")}, "J1"),
    "MERGED_CELLS": ({"actions": TWO, "edit": _merge_points}, "B2"),
    "HIDDEN_ROWS": ({"edit": _hide_row}, "A2"),
    "HIDDEN_SHEET": ({"edit": _hide_owners}, ""),
    "CELL_ERROR_VALUE": ({"edit": _error_value}, "D2"),
    "FORMULA_NO_VALUE": ({"edit": _formula}, "D2"),
    "TEXT_CONTROL_CHARS": (
        {"actions": [action_row(evidence="Bell_x0007_ here")], "stored": True},
        "C2",
    ),
    "TEXT_LONG": ({"actions": [action_row(evidence="x" * 5001)]}, "C2"),
    "PLAN_FIELD_MISSING": ({"plan": {"council": None}}, "B2"),
    "FRAMEWORK_UNKNOWN": ({"plan": {"framework_id": "eflg-1999"}}, "B4"),
    "DATE_INVALID": ({"plan": {"report_date": "next week"}}, "B10"),
    "MEETING_BEFORE_REPORT": ({"plan": {"meeting_date": "01/10/2026"}}, "B12"),
    "DATE_UNCLEAR": ({"edit": _assessment_date}, "E2"),
    "DATE_AS_NUMBER": ({"actions": [action_row(deadline=46112)]}, "F2"),
    "STATUS_UNKNOWN": ({"plan": {"status": "Approved"}}, "B9"),
    "FINANCIAL_YEARS_UNKNOWN": ({"plan": {"financial_years": "2026-27"}}, "B19"),
    "MODULE_UNKNOWN": ({"edit": _unknown_module}, "A2"),
    "LEAD_OFFICER_MISSING": ({"lead_officer": None}, "D2"),
    "SECTION_ROW_MISSING": ({"edit": lambda wb: wb["Sections"].delete_rows(3)}, ""),
    "THEME_UNKNOWN": ({"edit": _unknown_theme}, "A2"),
    "LEVEL_INVALID": ({"assessments": {"1": ("Expert", "Excellent")}}, "C2"),
    "TARGET_BELOW_CURRENT": ({"assessments": {"1": ("Excellent", "Developing")}}, "D2"),
    "POINT_UNKNOWN": ({"actions": [action_row(point="18.4")]}, "B2"),
    "THEME_TITLE_MISMATCH": ({"edit": _theme_named_as_another}, "B2"),
    "POINT_TITLE_MISMATCH": (
        {"actions": [action_row(point="1.1 Health and wellbeing - Developing")]},
        "B2",
    ),
    "RAG_INVALID": ({"actions": [action_row(rag="Yellow")]}, "H2"),
    "RAG_MISSING": ({"actions": [action_row(rag=None)]}, "H2"),
    "ROW_NO_TEXT": ({"actions": [action_row(evidence=None, action=None)]}, "C2"),
    "ACTION_MISSING": ({"actions": [action_row(action=None)]}, "D2"),
    "DEADLINE_MISSING": ({"actions": [action_row(deadline=None)]}, "F2"),
    "DEADLINE_UNCLEAR": ({"actions": [action_row(deadline="Under development")]}, "F2"),
    "DEADLINE_RECURRING": ({"actions": [action_row(deadline="Bi-annual")]}, "F2"),
    "DEADLINE_IMPLAUSIBLE": ({"actions": [action_row(deadline="1/1/2204")]}, "F2"),
    "OVERDUE": ({"actions": [action_row(deadline=dt.date(2026, 1, 31), rag="Amber")]}, "F2"),
    "GREEN_OVERDUE": ({"actions": [action_row(deadline=dt.date(2026, 1, 31))]}, "H2"),
    "RED_NO_UPDATE": ({"actions": [action_row(rag="Red", progress=None)]}, "J2"),
    "OWNER_MISSING": ({"actions": [action_row(owner=None)]}, "G2"),
    "OWNER_UNLISTED": (
        {"actions": [action_row(owner="Policy Tem")], "owners": ["Policy Team"]},
        "G2",
    ),
    "REF_DUPLICATE": ({"actions": [action_row(), action_row(action="Another action.")]}, "A3"),
    "ROW_REPEATED": ({"edit": _repeat_theme_row}, "A19"),
    "REF_MISSING": ({"actions": [action_row(ref=None)]}, "A2"),
    "STRAND_COLOUR_INVALID": (_strand_colour("blueish"), "F2"),
    "STRAND_COLOUR_CONTRAST": (_strand_colour("#1F4E79"), "F2"),
    "ACTION_DUPLICATE": ({"actions": [action_row(), action_row(ref="A2")]}, "D3"),
    "THEME_NO_ACTIONS": ({}, ""),
    "COMPLETE_MISMATCH": ({"actions": [action_row(deadline="Complete", rag="Red")]}, "H2"),
    "ACTION_STATUS_UNKNOWN": ({"actions": [action_row(status="Paused")]}, "K2"),
    "COMPLETE_NO_DATE": ({"actions": [action_row(status="Complete", rag="Complete")]}, "L2"),
    "COMPLETED_BUT_OPEN": (
        {"actions": [action_row(status="In progress", completed_on=dt.date(2026, 8, 20))]},
        "L2",
    ),
    "WITHDRAWN_COMPLETE": ({"actions": [action_row(status="Withdrawn", rag="Complete")]}, "K2"),
    "LOG_REF_UNKNOWN": ({"progress_log": [{"ref": "Z9", "update": "Old row."}]}, "A2"),
    "CONFLICT_UNSETTLED": (
        {"progress_log": [{"ref": "A1", "update": NOT_APPLIED % {"update": "Done."}}]},
        "C2",
    ),
    "LOG_VALUE_UNKNOWN": (
        {"progress_log": [{"ref": "A1", "update": "Started.", "rag": "Purple"}]},
        "D2",
    ),
    # validated against another framework than the one the workbook names
    "FRAMEWORK_MISMATCH": ({"actions": [action_row(point="6")], "framework": "eflg-2014"}, "B4"),
    # checked for documents in Welsh (--language cy): English with no Welsh beside it
    "WELSH_TEXT_MISSING": ({"language": "cy"}, "C2"),
    "FRAMEWORK_WELSH_MISSING": ({"language": "cy"}, ""),
    # in every language: no document prints Welsh that has no English to stand in for
    "WELSH_WITHOUT_ENGLISH": (
        {"actions": [action_row(evidence=None)], "edit": _welsh_evidence_only},
        "S2",
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_reports_code_at_cell(make_workbook, code):
    kwargs, cell = CASES[code]
    kwargs = dict(kwargs)
    stored = kwargs.pop("stored", False)  # the case's text is Excel's stored form (conftest)
    framework = kwargs.pop("framework", None)  # as given with --framework
    language = kwargs.pop("language", "en")  # as given with --language
    path = make_workbook(**kwargs)
    report = validate_workbook(
        as_stored(path) if stored else path,
        framework=frameworks.load(framework) if framework else None,
        language=language,
    ).report
    assert [code, cell] in report.flatten(["code", "cell"]), report.to_text()
    kind = problems.CATALOGUE[code]
    problem = next(p for p in report.problems if p.code == code and p.cell == cell)
    assert problem.severity is kind.severity
    assert problem.message and problem.hint


def test_rule_messages_name_the_problem(make_workbook):
    report = validate_workbook(make_workbook(edit=_rename_rag)).report
    problem = next(p for p in report.problems if p.code == "COLUMN_MISSING")
    assert problem.message == "No column 'RAG' on 'Actions' (found 'R.A.G.' in H1)."
    assert problem.where == "Actions!H1"
    report = validate_workbook(make_workbook(actions=[action_row(rag="Yellow")])).report
    problem = next(p for p in report.problems if p.code == "RAG_INVALID")
    assert problem.message == '"Yellow" is not a RAG rating.'
    assert problem.item == "A1"


def test_example_workbook_has_no_errors():
    report = validate_workbook(Path("inputs/example-plan.xlsx")).report
    assert report.valid, report.to_text()
    assert report.actions == 62
    codes = report.count_by_code()
    assert codes["OVERDUE"] >= 3 and codes["RED_NO_UPDATE"] >= 1


def test_a_clean_workbook_has_no_problems_but_coverage(make_workbook):
    report = validate_workbook(make_workbook()).report
    assert report.valid
    assert set(report.count_by_code()) == {"THEME_NO_ACTIONS"}


def test_strict_turns_warnings_into_errors(make_workbook):
    path = make_workbook(actions=[action_row(rag=None)])
    assert validate_workbook(path).report.valid
    strict = validate_workbook(path, strict=True).report
    assert not strict.valid and strict.warnings == []


def test_all_problems_in_one_pass(make_workbook):
    rows = [
        action_row(rag="Yellow"),
        action_row(ref="A2", point="99.9", action="Other."),
        action_row(ref="A3", deadline="whenever", action="Third."),
    ]
    report = validate_workbook(make_workbook(actions=rows, plan={"title": None})).report
    codes = {(p.code, p.cell) for p in report.problems}
    assert {
        ("RAG_INVALID", "H2"),
        ("POINT_UNKNOWN", "B3"),
        ("DEADLINE_UNCLEAR", "F4"),
        ("PLAN_FIELD_MISSING", "B3"),
    } <= codes


def _codes_named(text: str) -> set[str]:
    """Catalogue codes named in text (whole words: OVERDUE is not read in GREEN_OVERDUE)."""
    return set(re.findall(r"[A-Z][A-Z0-9_]+", text)) & set(problems.CATALOGUE)


def _produced_codes() -> dict[str, set[str]]:
    """Per table of cases, the codes its cases expect; each table's test asserts the code appears.

    - CASES above: test_rule_reports_code_at_cell finds the code at its cell;
    - tests/bad_inputs/catalogue.py: test_catalogue.py::test_case finds Expect.code in the report,
      or as the refusal's code;
    - tests/test_io.py CASES: test_bad_file_is_refused_with_a_code checks the refusal's code;
    - the hostile command lines: test_hostile.py finds each `says` text (codes among them) in
      the output.
    """
    from tests.bad_inputs.catalogue import CASES as BAD_INPUTS
    from tests.bad_inputs.hostile import all_cases
    from tests.test_io import CASES as UNUSABLE_FILES

    return {
        "tests/validate/test_rules.py CASES": set(CASES),
        "tests/bad_inputs/catalogue.py": {c.expect.code for c in BAD_INPUTS if c.expect.code},
        "tests/test_io.py CASES": {code for _make, code, _words in UNUSABLE_FILES.values()},
        "tests/bad_inputs/hostile_*.py": {
            code for case in all_cases() for text in case.says for code in _codes_named(text)
        },
    }


def test_every_catalogue_code_is_produced_by_a_test_case():
    produced = _produced_codes()
    for table, codes in produced.items():
        assert codes, f"no expected codes read from {table}: has its shape changed?"
    untested = set(problems.CATALOGUE) - set().union(*produced.values())
    assert not untested, (
        f"No test case expects {', '.join(sorted(untested))}: add a case that produces it "
        "(a rule to CASES here, an unusable file to tests/test_io.py, a template or command "
        "line to tests/bad_inputs/hostile_*.py)."
    )


def test_expected_codes_are_catalogue_codes():
    """A case expecting a code the catalogue does not have is a typo, not a test."""
    from tests.bad_inputs.catalogue import CASES as BAD_INPUTS
    from tests.test_io import CASES as UNUSABLE_FILES

    named = set(CASES) | {c.expect.code for c in BAD_INPUTS if c.expect.code}
    named |= {code for _make, code, _words in UNUSABLE_FILES.values()}
    assert named <= set(problems.CATALOGUE), named - set(problems.CATALOGUE)


def test_zip_of_macros_is_read(make_workbook, tmp_path):
    """An .xlsm is read for its data and its macros are ignored, with a warning."""
    source = make_workbook()
    target = tmp_path / "plan.xlsm"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("xl/vbaProject.bin", b"not really macros")
    report = validate_workbook(target).report
    assert report.valid
    assert "FILE_MACROS" in report.count_by_code()


@pytest.mark.parametrize(
    "named", ["eflg-2021", "EFLG 2021", "Equality Framework for Local Government 2021"]
)
def test_framework_named_by_id_or_title(make_workbook, named):
    report = validate_workbook(make_workbook(plan={"framework_id": named})).report
    assert "FRAMEWORK_UNKNOWN" not in report.count_by_code()


def test_a_path_in_the_framework_cell_is_never_opened(make_workbook, tmp_path):
    custom = tmp_path / "custom.yaml"
    custom.write_text(
        "id: x\ntitle: X\nmodules: [{ref: '1', title: M, themes: [{ref: '1', title: T}]}]\n"
    )
    report = validate_workbook(make_workbook(plan={"framework_id": str(custom)})).report
    assert "FRAMEWORK_UNKNOWN" in report.count_by_code()


def test_a_missing_column_is_one_error_not_a_warning_per_row(make_workbook):
    rows = [action_row(ref=f"A{i}", action=f"Action {i}.") for i in range(5)]
    report = validate_workbook(make_workbook(actions=rows, edit=_rename_rag)).report
    codes = report.count_by_code()
    assert codes["COLUMN_MISSING"] == 1
    assert "RAG_MISSING" not in codes


def test_missing_text_columns_are_not_repeated_as_row_errors(make_workbook):
    def rename(wb):
        wb["Actions"]["C1"] = "Evidence so far?"
        wb["Actions"]["D1"] = "What next?"

    rows = [action_row(ref=f"A{i}", action=f"Action {i}.") for i in range(5)]
    report = validate_workbook(make_workbook(actions=rows, edit=rename)).report
    codes = report.count_by_code()
    assert codes["COLUMN_MISSING"] == 2
    assert "ROW_NO_TEXT" not in codes


def test_a_deleted_action_heading_is_one_error_named_at_the_heading_row(make_workbook):
    """Rows with their action under the unheaded column are not called empty (no cascade)."""

    def delete_heading(wb):
        wb["Actions"]["D1"] = None

    rows = [action_row(ref=f"A{i}", evidence=None, action=f"Action {i}.") for i in range(5)]
    report = validate_workbook(make_workbook(actions=rows, edit=delete_heading)).report
    assert [(p.code, p.row) for p in report.errors] == [("COLUMN_MISSING", 1)]
    assert "  ERROR   Actions row 1  " in report.to_text()


def test_a_problem_with_a_sheet_but_no_cell_names_the_sheet_in_the_text_report(make_workbook):
    """It showed `-`, which reads as 'nowhere', for a whole sheet missing or with no heading."""

    def rename(wb):
        wb["Actions"].title = "My actions"

    report = validate_workbook(make_workbook(actions=[action_row()], edit=rename)).report
    assert [p.code for p in report.errors] == ["SHEET_MISSING"]
    assert "  ERROR   Actions    " in report.to_text()
    assert "  ERROR   -  " not in report.to_text()


def test_every_problem_names_its_workbook(make_workbook):
    """A plan may later read several workbooks: each problem says which one (JSON `source`)."""
    path = make_workbook(actions=[action_row(), action_row(action="Another action.")])
    report = validate_workbook(path).report
    assert report.problems and {p.source for p in report.problems} == {path.name}
    assert {p["source"] for p in json.loads(report.to_json())["problems"]} == {path.name}
    problem_lines = report.to_text().splitlines()[1:-1]  # between the two summary lines
    assert problem_lines and not any(path.name in line for line in problem_lines)


@pytest.mark.parametrize(
    "edit, code, shown",
    [
        (_formula, "FORMULA_NO_VALUE", '=UPPER("share data")'),
        (_error_value, "CELL_ERROR_VALUE", "#REF!"),
    ],
)
def test_a_cell_that_cannot_be_read_gets_one_message(make_workbook, edit, code, shown):
    """The action cell holds a formula never calculated, or an error: that, not 'no action'.

    Each its own code: an officer told "formula never calculated" for a #REF! would
    recalculate and still have the error; one told "Excel error" would look for none."""
    report = validate_workbook(make_workbook(edit=edit)).report
    at_d2 = [(p.code, p.sheet) for p in report.problems if p.cell == "D2"]
    assert at_d2 == [(code, "Actions")], report.to_text()
    assert f'"{shown}"' in next(p.message for p in report.problems if p.cell == "D2")


@pytest.mark.parametrize("label", ["Council name", "Plan title", "Framework", "Report date"])
@pytest.mark.parametrize(
    "formula, code",
    [("=A1", "FORMULA_NO_VALUE"), ("=cmd|' /C calc'!A0", "FORMULA_EXTERNAL")],
)
def test_a_plan_detail_that_cannot_be_read_gets_one_message(make_workbook, label, formula, code):
    """'Council name' holding a formula with no value was also "'Council name' is empty"."""

    def edit(wb):
        plan = wb["Plan"]
        row = next(r for r in range(1, 60) if plan.cell(r, 1).value == label)
        plan.cell(row, 2).value = formula

    report = validate_workbook(make_workbook(edit=edit)).report
    on_plan = [p.code for p in report.problems if p.sheet == "Plan"]
    assert on_plan == [code], report.to_text()


def test_a_formula_never_calculated_is_quoted(make_workbook):
    report = validate_workbook(make_workbook(edit=_formula)).report
    problem = next(p for p in report.problems if p.code == "FORMULA_NO_VALUE")
    assert problem.message == (
        'The cell holds a formula with no calculated value ("=UPPER("share data")").'
    )


def test_a_rating_that_is_not_one_gets_one_message(make_workbook):
    """ "Purple" is RAG_INVALID at its cell, not also RAG_MISSING ("no RAG rating")."""
    report = validate_workbook(make_workbook(actions=[action_row(rag="Purple")])).report
    assert [p.code for p in report.problems if p.cell == "H2"] == ["RAG_INVALID"]


def test_a_deleted_sections_row_is_named_not_taken_for_a_missing_lead_officer(make_workbook):
    """Found by a councillor's review: the only message was LEAD_OFFICER_MISSING, with no
    cell, asking for a lead officer in a row that was not there."""
    report = validate_workbook(make_workbook(edit=lambda wb: wb["Sections"].delete_rows(3))).report
    found = [(p.code, p.item) for p in report.problems if p.sheet == "Sections"]
    assert found == [("SECTION_ROW_MISSING", "2")], report.to_text()
    problem = next(p for p in report.problems if p.code == "SECTION_ROW_MISSING")
    assert "2. " in problem.message and "printed after the modules listed" in problem.message
