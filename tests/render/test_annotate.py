"""The checked copy (`validate --annotate`) never holds a formula reaching outside the workbook.

It kept `=cmd|' /C calc'!A0` live, so opening the copy eqplan made could start a
program. Such a formula is now written as the value it stored, in every sheet; the
officer's ordinary formulas stay as they are.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from pipeline.render.annotate import write_annotated
from pipeline.validate import validate_workbook
from tests.bad_inputs.catalogue import DDE, _both, _cached_formula, _rewrite, _set, as_excel_saves


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
    assert [p.where for p in validation.report.errors] == ["Actions!D2"]
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
