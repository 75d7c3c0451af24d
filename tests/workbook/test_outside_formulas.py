"""Formulas reaching outside the workbook are told from ordinary ones, and read as that alone.

A DDE formula (`=cmd|' /C calc'!A0`) with no stored value was reported as "never
calculated", whose fix tells the officer to recalculate, which runs it; with a stored
value it passed without a word.
"""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.workbook import engines, read_workbook
from pipeline.workbook.outside_formulas import (
    _first_outside,
    _may_reach_outside,
    names_reaching_outside,
    reaches_outside,
    shown_formula,
)
from tests.bad_inputs.catalogue import DDE, _rewrite, as_excel_saves
from tests.bad_inputs.hostile_xml import replace_cell, then
from tests.conftest import EXAMPLE
from tests.workbook.test_engines import _sheet

OUTSIDE = [
    "=cmd|' /C calc'!A0",
    "cmd|' /C calc'!A0",  # as the file stores it, without its =
    "=SUM(1,msexcel|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!A0)",
    "='cmd'|'/C calc'!A0",
    "=[1]Sheet1!A1",
    "=[1]!Budget",
    "='[1]My sheet'!A1",
    "='C:\\Plans\\[budget.xlsx]Sheet1'!A1",
    "='\\\\server\\share\\[b.xlsx]S'!A1",
    "=[budget.xlsx]Sheet1!A1",
    "='C:\\Plans\\budget.xlsx'!Total",
    '=WEBSERVICE("https://example.com/x")',
    '=_xlfn.WEBSERVICE("https://example.com/x")',
    '=webservice ("x")',
    '=IMAGE("https://example.com/a.png")',
    '=CALL("Kernel32","WinExec","JCJ","calc",0)',
    '=REGISTER.ID("Kernel32","WinExec","JCJ")',
    '=EXEC("calc")',
    '=RTD("server.progid",,"topic")',
    "=_xll.MyAddinFunction(1)",
    '=HYPERLINK("file:///c:/windows","click")',
    '=HYPERLINK("\\\\server\\share","click")',
    "=HYPERLINK(A1)",
    '=HYPERLINK("http"&"s://x")',
    '=DDE("soffice","C:\\secret.xlsx","A1")',  # LibreOffice's DDE, saved as .xlsx
    '=_xlfn.ORG.OPENOFFICE.DDE("soffice","x","A1")',
    '=_xlfn.STOCKHISTORY("MSFT",TODAY())',
    '=CUBEVALUE("Sales","[Measures].[Total]")',
    '=cubemember("Sales","[Time]")',
    '=_xlfn._xlws.PY(0,1,"x")',
    "=_xludf.MacroFunction(1)",
    "=EVALUATE(\"cmd|'/c calc'!A0\")",  # in a defined name, it makes a formula of text
    '=_xlfn.HYPERLINK("file:///c:/")',
    '=INDIRECT("[b.xlsx]S!A1")',
    "=INDIRECT(\"'file:///C:/secret.ods'#$Sheet1.A1\")",
    '=INDIRECT("["&"b.xlsx]S"&"!A1")',
    "=INDIRECT(\"'C:\\x\\[b.xlsx]S'!A1\")",
    '=RUN("[macros.xlsm]Start")',  # Excel 4 macro functions, in a defined name
    '=_xlfn.RUN("Start")',
    '=FOPEN("C:\\secret.txt")',
    '=FWRITELN(1,"x")',
    '=FILES("C:\\*.*")',
    '=SEND.KEYS("%{F4}")',
    '=FILE.DELETE("C:\\x.txt")',
]
ORDINARY = [
    "=SUM(A1:A3)",
    '=IF(A1="a|b","yes","no")',
    '="cmd|calc"',
    "='Sheet | one'!A1",
    "='Jan:Mar'!A1",
    "=Table1[Column]",
    "=Table1[[#This Row],[Owner]]",
    "=[@Owner]",
    '=HYPERLINK("https://www.gov.uk","GOV.UK")',
    '=HYPERLINK("http://example.com")',
    '=HYPERLINK("#Actions!A1","Actions")',
    '="=CALL(1)"',
    "=RECALL(1)",
    "=MYCALL(1)",
    '=INDIRECT("Actions!A"&ROW())',
    "=INDIRECT(A1)",
    '=IF(A1="see C:/x","[draft]","ok")',  # a path in text, but no INDIRECT to read it
    "=CUBE_TOTAL+1",
    "=TRUNC(A1)",  # RUN inside another function's name
    "=MYRUN(1)",
    "=RUNNING_TOTAL+1",  # a defined name
]


@pytest.mark.parametrize("formula", OUTSIDE)
def test_a_formula_reaching_outside_is_found(formula):
    assert reaches_outside(formula)


@pytest.mark.parametrize("formula", ORDINARY)
def test_an_ordinary_formula_is_not(formula):
    assert not reaches_outside(formula)


# Pieces of formulas, reaching outside or not, joined at random: the quick look must never
# pass over one the closer look would find.
_PIECES = st.sampled_from(
    [*OUTSIDE, *ORDINARY, "cmd|", "'", '"', "[1]", "!", "(", ")", "_xll.", "_XLUDF.", "ı", "\u212a",
     "register.id (", "Py(", "sql.request(", "CubeSet(", "file:", "hyperlink(", "indirect(", "A1",
     "run(", "Fopen(", "send.keys (", "file.delete("]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=8).map("".join))
def test_a_formula_the_quick_look_passes_over_is_one_the_closer_look_finds_ordinary(formula):
    if not _may_reach_outside(formula):
        assert _first_outside(formula, frozenset()) is None


@pytest.mark.parametrize("formula", OUTSIDE)
def test_the_quick_look_passes_over_no_formula_reaching_outside(formula):
    assert _may_reach_outside(formula)


@pytest.mark.parametrize("formula", ["=SUM(C2:C40)", '=IF(F2<TODAY(),"Late","")', "=A2&B2"])
def test_the_quick_look_passes_over_an_everyday_formula(formula):
    assert not _may_reach_outside(formula) and not reaches_outside(formula)


def test_a_name_reaching_outside_makes_its_users_reach_outside():
    names = names_reaching_outside(
        [
            ("Evil", "cmd|'/C calc'!A0"),
            ("Worse", "Evil+1"),  # through another name, listed later
            ("Harmless", "Plan!$B$2"),
            ("_xlnm.Print_Titles", "'Actions'!$1:$1"),
        ]
    )
    assert names == {"EVIL", "WORSE"}
    assert reaches_outside("=worse", names)
    assert reaches_outside("=Plan!Evil", names)
    assert not reaches_outside("=Harmless", names)
    assert not reaches_outside('="Evil"', names)


def test_the_scan_notes_it_whatever_it_stored_and_its_value_is_not_read(tmp_path):
    change = then(
        replace_cell("D2", b'<c r="D2" t="str"><f>cmd|\' /C calc\'!A0</f><v>Typed?</v></c>'),
        replace_cell("E2", b'<c r="E2" t="e"><f>[1]Sheet1!A1</f><v>#REF!</v></c>'),
        replace_cell("C2", b"<c r=\"C2\"><f>cmd|' /C calc'!A0</f></c>"),
    )
    actions = _sheet(as_excel_saves(_rewrite("sheet:Actions", change))(tmp_path))
    assert actions.outside == {
        (2, 4): "=cmd|' /C calc'!A0",
        (2, 5): "=[1]Sheet1!A1",
        (2, 3): "=cmd|' /C calc'!A0",
    }
    assert not {(2, 3), (2, 4), (2, 5)} & {*actions.cells, *actions.errors, *actions.uncalculated}


def test_cells_sharing_a_formula_reaching_outside_are_found(tmp_path):
    """A shared formula's text is in its first cell only; the others name it by `si`."""
    change = then(
        replace_cell(
            "D2", b'<c r="D2" t="str"><f t="shared" si="0" ref="D2:E2">[1]S!A1</f><v>x</v></c>'
        ),
        replace_cell("E2", b'<c r="E2" t="str"><f t="shared" si="0"/><v>y</v></c>'),
    )
    actions = _sheet(as_excel_saves(_rewrite("sheet:Actions", change))(tmp_path))
    assert actions.outside == {(2, 4): "=[1]S!A1", (2, 5): "=[1]S!A1"}


def _defined_name(data: bytes) -> bytes:
    return data.replace(
        b"<definedNames>",
        b"<definedNames><definedName name=\"Helper\">cmd|'/C calc'!A0</definedName>",
    )


def test_a_cell_using_a_name_that_reaches_outside_is_found(tmp_path):
    """`=Helper` is ordinary text; the defined name Helper is a DDE formula."""
    path = as_excel_saves(_rewrite("xl/workbook.xml", _defined_name))(tmp_path)
    cell = replace_cell("D2", b'<c r="D2" t="str"><f>HELPER</f><v>Looks typed.</v></c>')
    with zipfile.ZipFile(path) as archive:
        sheet = engines._sheet_parts(archive)["Actions"]
        parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for item, data in parts:
            archive.writestr(item, cell(data) if item.filename == sheet else data)
    raw = read_workbook(path)
    found = [p.where for p in raw.problems if p.code == "FORMULA_EXTERNAL"]
    assert found == ["Actions!D2"]


def test_a_name_may_start_with_any_letter():
    names = names_reaching_outside([("ŵdde", "cmd|' /C calc'!A0"), ("Éxt", "[1]!foo")])
    assert names == {"ŴDDE", "ÉXT"}
    assert reaches_outside("ŵdde", names)
    assert reaches_outside('Éxt&""', names)
    assert not reaches_outside("ŵddeNot", names)


def test_a_long_formula_is_shown_with_its_outside_part_in_view():
    """Padding before the DDE part must not push it past where the message cuts it."""
    padded = '=""&"' + " " * 80 + "\"&cmd|' /C calc'!A0"
    shown = shown_formula(padded)
    assert len(shown) <= 60 and "cmd|' /C calc'!A0" in shown and shown.startswith("...")
    tail = "=cmd|' /C calc'!A0&\"" + "x" * 80 + '"'
    assert shown_formula(tail).startswith("=cmd|' /C calc'!A0&") and len(shown_formula(tail)) == 60
    assert shown_formula("'C:\\x\\[b.xlsx]S'!A1") == "='C:\\x\\[b.xlsx]S'!A1"


def _plan_with(tmp_path, formulas: dict[tuple[str, str], str]):
    """A plan with each formula at its (sheet, cell), new sheets made as needed, no value
    stored (openpyxl stores none), saved as Excel saves (no full calculation asked for)."""

    def edit(wb) -> None:
        for (sheet, ref), formula in formulas.items():
            if sheet not in wb.sheetnames:
                wb.create_sheet(sheet)
            wb[sheet][ref] = formula

    return as_excel_saves(_rewrite("xl/workbook.xml", lambda data: data, edit=edit))(tmp_path)


def test_every_formula_reaching_outside_is_reported_at_its_cell_read_or_not(tmp_path):
    """A column of the officer's own, the Plan sheet's unread column and a sheet eqplan does
    not read are as live as a cell it reads: each is FORMULA_EXTERNAL, so the build stops."""
    path = _plan_with(
        tmp_path,
        {("Actions", "Z2"): DDE, ("Plan", "C2"): DDE, ("Notes", "A1"): "='C:\\x\\[b.xlsx]S'!A1"},
    )
    found = [p for p in read_workbook(path).problems if p.code == "FORMULA_EXTERNAL"]
    assert sorted(p.where for p in found) == ["Actions!Z2", "Notes!A1", "Plan!C2"]
    assert all(p.is_error for p in found)
    notes = next(p for p in found if p.sheet == "Notes")
    assert "(\"='C:\\x\\[b.xlsx]S'!A1\")" in notes.message  # as typed, one \\ each


def test_a_formula_on_a_sheet_no_engine_loads_is_reported_too(tmp_path):
    """A dialog sheet is scanned but has no SheetData (calamine loads worksheets only): its
    formula is in Book.outside alone, so that is not SheetData.outside over again."""
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    added = {
        "xl/workbook.xml": (
            b"</sheets>",
            f'<sheet xmlns:r="{relationships}" name="Dialog1" sheetId="99" r:id="rId99"/>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Id="rId99" Type="{relationships}/dialogsheet" '
            'Target="dialogsheets/sheet1.xml"/>',
        ),
    }
    path = tmp_path / "dialog.xlsx"
    with zipfile.ZipFile(EXAMPLE) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename in added:
                end, more = added[item.filename]
                data = data.replace(end, more.encode() + end)
            new.writestr(item, data)
        new.writestr(
            "xl/dialogsheets/sheet1.xml",
            '<dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData><row r="1"><c r="A1"><f>{DDE.removeprefix("=")}</f></c></row>'
            "</sheetData></dialogsheet>",
        )
    book = engines.load_book(path)
    assert "Dialog1" not in [sheet.title for sheet in book.sheets]
    assert book.outside == {"Dialog1": {(1, 1): DDE}}
    found = [p.where for p in read_workbook(path).problems if p.code == "FORMULA_EXTERNAL"]
    assert found == ["Dialog1!A1"]


def test_no_fix_says_recalculate_while_the_workbook_reaches_outside(tmp_path):
    """`=Notes!A1` has no stored value; recalculating it would run the DDE formula in Notes."""
    path = _plan_with(tmp_path, {("Actions", "D2"): "=Notes!A1", ("Notes", "A1"): DDE})
    problems = read_workbook(path).problems
    no_value = next(p for p in problems if p.code == "FORMULA_NO_VALUE")
    assert no_value.where == "Actions!D2"
    assert "recalculate" in no_value.hint and "Ctrl+Shift+F9" not in no_value.hint
    assert no_value.hint.startswith("Type the value")
    for problem in problems:
        assert "F9" not in problem.hint and "press" not in problem.hint.lower(), problem


def test_an_ordinary_workbook_keeps_the_recalculate_fix(tmp_path):
    path = _plan_with(tmp_path, {("Actions", "D2"): "=Owners!A2"})
    no_value = next(p for p in read_workbook(path).problems if p.code == "FORMULA_NO_VALUE")
    assert "Ctrl+Shift+F9" in no_value.hint
