"""A workbook whose stored formula results are placeholders (`fullCalcOnLoad`): never trusted.

XlsxWriter, and programs like it, write each formula's result as 0 and ask Excel to
calculate everything when the file is opened. Read as it stands, an Owner formula was
the owner "0" and a deadline formula the time 00:00:00, so the overdue count fell
by one with nothing said about the formula.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from pipeline.validate import validate_workbook
from pipeline.workbook.engines import _sheet_parts
from tests.conftest import action_row, write_plan_workbook

WORKBOOK = "xl/workbook.xml"
OWNER = "Head of Policy"


def _with_placeholder_results(path: Path, recalculate: str | None) -> Path:
    """path's plan with G2 (Owner) and F2 (Deadline) as formulas holding XlsxWriter's 0,
    and the workbook's calcPr asking for a full calculation on opening (recalculate:
    fullCalcOnLoad's value, None for no such setting)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
        sheet = _sheet_parts(source)["Actions"]
    data = parts[sheet]
    for ref, formula in (("G2", b"Owners!A2"), ("F2", b"DATE(2026,1,31)")):
        data, count = re.subn(
            rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)',
            b'<c r="' + ref.encode() + b'"><f>' + formula + b"</f><v>0</v></c>",
            data,
            count=1,
            flags=re.DOTALL,
        )
        assert count == 1
    parts[sheet] = data
    setting = b"" if recalculate is None else b' fullCalcOnLoad="' + recalculate.encode() + b'"'
    workbook = re.sub(rb"<calcPr[^>]*/>", b"", parts[WORKBOOK])
    parts[WORKBOOK] = workbook.replace(
        b"</workbook>", b'<calcPr calcId="124519"' + setting + b"/></workbook>"
    )
    out = path.with_name("placeholders.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out


@pytest.fixture
def plan(tmp_path) -> Path:
    rows = [action_row(ref="A1", owner=OWNER, deadline="31/01/2026", rag="Amber")]
    return write_plan_workbook(tmp_path / "plan.xlsx", actions=rows, owners=[OWNER])


@pytest.mark.parametrize("recalculate", ["1", "true"])
def test_placeholder_results_are_formulas_never_calculated(plan, recalculate):
    report = validate_workbook(_with_placeholder_results(plan, recalculate)).report
    at = {(p.cell, p.code) for p in report.problems if p.sheet == "Actions"}
    assert {("G2", "FORMULA_NO_VALUE"), ("F2", "FORMULA_NO_VALUE")} <= at, report.to_text()
    words = report.to_text()
    assert 'Owner "0"' not in words and "00:00:00" not in words
    assert '("=Owners!A2")' in words and "Ctrl+Shift+F9" in words


def test_results_excel_calculated_and_saved_are_read(plan):
    """Without the request (Excel's own saves), a stored result is the value shown."""
    report = validate_workbook(_with_placeholder_results(plan, None)).report
    codes = {p.code for p in report.problems}
    assert "FORMULA_NO_VALUE" not in codes, report.to_text()
    assert any(p.code == "OWNER_UNLISTED" and p.cell == "G2" for p in report.problems)


def test_results_a_program_calculated_before_saving_are_read(plan):
    """EPPlus can calculate before saving and still ask for a full calculation on opening:
    a stored result other than XlsxWriter's 0 is the value."""
    path = _with_placeholder_results(plan, "1")
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
        sheet = _sheet_parts(source)["Actions"]
    parts[sheet] = parts[sheet].replace(
        b'<c r="G2"><f>Owners!A2</f><v>0</v></c>',
        b'<c r="G2" t="str"><f>Owners!A2</f><v>' + OWNER.encode() + b"</v></c>",
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    report = validate_workbook(path).report
    at = {(p.cell, p.code) for p in report.problems if p.sheet == "Actions"}
    assert ("F2", "FORMULA_NO_VALUE") in at  # still XlsxWriter's 0
    assert not [cell for cell, code in at if cell == "G2"], report.to_text()
