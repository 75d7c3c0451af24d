"""The Excel template: sheets, headings, dropdowns, protection, print setup (issue 3)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline import frameworks
from pipeline.rag import Rag
from pipeline.render.pdf import convert
from pipeline.validate import validate_workbook
from pipeline.workbook import layout, read_workbook, write_template
from pipeline.workbook.specs import template_fields
from tests.conftest import action_row, require_soffice

SHEETS = [
    "Read me",
    "Plan",
    "Report",
    "Sections",
    "Self-assessment",
    "Actions",
    "Owners",
    "Progress log",
    "Reference",
    "Lists",
]


@pytest.fixture(scope="module")
def eflg_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "plan-template.xlsx"
    write_template(frameworks.load("eflg-2021"), path)
    return path


def _headings(ws) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def _validations(ws) -> dict[str, object]:
    """Each data validation keyed by the first cell range it covers."""
    return {str(dv.sqref).split()[0]: dv for dv in ws.data_validations.dataValidation}


def test_sheets_in_order_with_lists_hidden(eflg_template):
    wb = openpyxl.load_workbook(eflg_template)
    assert wb.sheetnames == SHEETS
    assert wb["Lists"].sheet_state == "hidden"
    assert all(wb[name].sheet_state == "visible" for name in SHEETS[:-1])


def test_headings_are_the_contract(eflg_template):
    wb = openpyxl.load_workbook(eflg_template)
    assert _headings(wb["Plan"])[:2] == ["Field", "Value"]
    assert _headings(wb["Sections"]) == [
        "Module ref",
        "Module",
        "Section title",
        "Lead officer",
        "Aspirations",
    ]
    assert _headings(wb["Self-assessment"]) == [
        "Theme ref", "Theme", "Current level", "Target level", "Target date", "Evidence summary",
    ]  # fmt: skip
    assert _headings(wb["Actions"]) == [
        "Ref", "Framework point", "Current position / evidence", "Gap / action", "Outcome sought",
        "Deadline", "Owner", "RAG", "Strand", "Progress update",
        "Status", "Completed on", "Last updated", "Next review",
    ]  # fmt: skip
    assert _headings(wb["Owners"]) == ["Owner", "Role or team", "Email"]


def test_plan_fields_listed_with_framework_prefilled(eflg_template):
    ws = openpyxl.load_workbook(eflg_template)["Plan"]
    shown = template_fields(layout.PLAN_FIELDS, welsh=False)  # the (Cymraeg) rows: Welsh only
    labels = [ws.cell(row=r, column=1).value for r in range(2, 2 + len(layout.PLAN_FIELDS))]
    assert labels == [f.label for f in shown] + [None] * (len(layout.PLAN_FIELDS) - len(shown))
    framework_row = labels.index("Framework") + 2
    assert ws.cell(row=framework_row, column=2).value == "eflg-2021"
    status_row = labels.index("Status") + 2
    status = [dv for dv in ws.data_validations.dataValidation if f"B{status_row}" in str(dv.sqref)]
    assert status and status[0].formula1 == '"Draft,Final"'
    report_row = labels.index("Report date") + 2
    dates = [dv for dv in ws.data_validations.dataValidation if f"B{report_row}" in str(dv.sqref)]
    assert dates and dates[0].type == "date"


def test_sections_and_assessment_prefilled_per_module_and_theme(eflg_template):
    wb = openpyxl.load_workbook(eflg_template)
    sections = wb["Sections"]
    assert [sections.cell(row=r, column=1).value for r in range(2, 6)] == ["1", "2", "3", "4"]
    assessment = wb["Self-assessment"]
    refs = [assessment.cell(row=r, column=1).value for r in range(2, 19)]
    assert refs == [str(n) for n in range(1, 18)]
    levels = _validations(assessment)["C2:C18"]
    assert levels.formula1 == "'Lists'!$C$2:$C$5"
    lists = wb["Lists"]
    assert [lists.cell(row=r, column=3).value for r in range(1, 6)] == [
        "Levels",
        "Not started",
        "Developing",
        "Achieving",
        "Excellent",
    ]


def test_actions_dropdowns_cover_2000_rows(eflg_template):
    ws = openpyxl.load_workbook(eflg_template)["Actions"]
    dvs = _validations(ws)
    assert dvs["B2:B2001"].formula1 == "'Lists'!$A$2:$A$69"  # 17 themes + 51 points
    assert dvs["G2:G2001"].formula1 == "'Owners'!$A$2:$A$501"
    assert dvs["H2:H2001"].formula1 == "'Lists'!$B$2:$B$5"
    assert dvs["I2:I2001"].formula1.startswith("'Lists'!$E$2")
    deadline = dvs["F2:F2001"]
    assert deadline.showInputMessage and "Ongoing" in deadline.prompt
    # One prefilled row per theme, so the structure is visible.
    assert ws["B2"].value == "1 Collecting and sharing information"
    assert ws["B18"].value == "17 Health and wellbeing"
    assert ws["B19"].value is None


def test_lists_sheet_holds_points_and_ratings(eflg_template):
    ws = openpyxl.load_workbook(eflg_template)["Lists"]
    points = [ws.cell(row=r, column=1).value for r in range(2, 70)]
    assert "1.2 Collecting and sharing information - Achieving" in points
    assert "6 Political and officer leadership" in points
    assert [ws.cell(row=r, column=2).value for r in range(2, 6)] == [
        "Red",
        "Amber",
        "Green",
        "Complete",
    ]
    strands = [ws.cell(row=r, column=5).value for r in range(2, 8)]
    assert "Race equality" in strands and "Gender pay gap" in strands


def test_rag_conditional_formatting_and_layout(eflg_template):
    ws = openpyxl.load_workbook(eflg_template)["Actions"]
    ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert ranges == ["H2:H2001"]
    rules = ws.conditional_formatting._cf_rules[next(iter(ws.conditional_formatting))]
    assert len(rules) == 4 and 'TRIM($H2)="Red"' in rules[0].formula[0]
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws.column_dimensions["C"].alignment.wrap_text
    assert ws.column_dimensions["C"].width >= 40
    assert ws["A1"].font.bold


def test_reference_sheet_is_protected_with_all_51_points(eflg_template):
    ws = openpyxl.load_workbook(eflg_template)["Reference"]
    assert ws.protection.sheet is True
    refs = [ws.cell(row=r, column=1).value for r in range(2, 53)]
    assert refs == [p.ref for p in frameworks.load("eflg-2021").points]
    row = refs.index("1.2") + 2
    assert ws.cell(row=row, column=4).value == "Achieving"
    assert ws.cell(row=row, column=5).value.startswith("Relevant, proportionate")
    assert ws.cell(row=row, column=6).value.startswith("• Information is analysed")


def test_readme_explains_values(eflg_template):
    ws = openpyxl.load_workbook(eflg_template)["Read me"]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    for expected in (
        "Report date",
        "Ongoing, TBC or Complete",
        "Red: Off track",
        "read-only",
        "Owners",
    ):
        assert expected in text


def test_blank_template_reads_back_with_only_missing_plan_fields(eflg_template):
    report = validate_workbook(eflg_template).report
    errors = sorted(p.code for p in report.errors)
    assert errors == ["PLAN_FIELD_MISSING"] * 3
    assert report.actions == 0  # prefilled theme rows are not actions


def test_wales_template_uses_building_blocks(tmp_path):
    path = tmp_path / "wales.xlsx"
    write_template(frameworks.load("eif-wales-2011"), path)
    wb = openpyxl.load_workbook(path)
    assessment = wb["Self-assessment"]
    assert assessment["A2"].value == "1.1"
    assert assessment.cell(row=22, column=1).value == "4.6"
    reference = wb["Reference"]
    assert reference["A1"].value == "Building block"
    assert "(descriptive title, not official)" in reference["C2"].value
    assert wb["Plan"]["B4"].value == "eif-wales-2011"
    assert wb["Actions"]["B2"].value == "1.1 Local inequality data and evidence"


def test_custom_framework_template(tmp_path):
    source = tmp_path / "ours.yaml"
    source.write_text(
        "id: our-objectives\ntitle: Our objectives\nmodules:\n"
        "  - ref: 'A'\n    title: People\n    themes:\n      - {ref: 'A1', title: Fair pay}\n"
        "      - {ref: 'A2', title: Fair recruitment}\n",
        encoding="utf-8",
    )
    path = tmp_path / "custom.xlsx"
    write_template(frameworks.load(str(source)), path)
    wb = openpyxl.load_workbook(path)
    assert wb["Plan"]["B4"].value == "our-objectives"
    assert [wb["Lists"].cell(row=r, column=1).value for r in (2, 3)] == [
        "A1 Fair pay",
        "A2 Fair recruitment",
    ]
    assert wb["Sections"]["B2"].value == "People"


@pytest.mark.libreoffice
def test_template_survives_a_libreoffice_round_trip(eflg_template, tmp_path):
    """Officers sometimes use LibreOffice Calc: its re-saved template must still read (issue 3)."""
    require_soffice()
    saved = convert(eflg_template, tmp_path / "lo", target_format="xlsx")
    assert saved.is_file()
    raw = read_workbook(saved)
    assert {"Sections", "Self-assessment", "Actions", "Owners"} <= set(raw.tables)
    assert not [
        p for p in raw.problems if p.code in ("SHEET_MISSING", "COLUMN_MISSING", "SHEET_NO_HEADER")
    ]
    wb = openpyxl.load_workbook(saved)
    assert any("B2" in str(dv.sqref) for dv in wb["Actions"].data_validations.dataValidation)


def test_welsh_template_offers_the_welsh_levels(tmp_path):
    path = write_template(frameworks.load("eif-wales-2011"), tmp_path / "wales.xlsx")
    wb = openpyxl.load_workbook(path)
    levels = _validations(wb["Self-assessment"])["C2:C22"]
    assert levels.formula1 == "'Lists'!$C$2:$C$4"
    assert levels.prompt == "Not started, Work underway or Achieved."
    lists = wb["Lists"]
    assert [lists.cell(row=r, column=3).value for r in range(2, 5)] == [
        "Not started",
        "Work underway",
        "Achieved",
    ]
    readme = "\n".join(str(c.value) for c in wb["Read me"]["A"] if c.value)
    assert "Levels, lowest first: Not started, Work underway, Achieved." in readme


def test_lists_sheet_gives_each_strand_a_colour(eflg_template):
    ws = openpyxl.load_workbook(eflg_template)["Lists"]
    assert ws["E1"].value == "Strands (edit this list)" and ws["F1"].value == "Strand colour"
    colours = {ws.cell(row=r, column=5).value: ws.cell(row=r, column=6).value for r in range(2, 8)}
    assert colours["Race equality"] == "light blue"
    assert colours["Gender pay gap"] == "light green"
    assert len(set(colours.values())) == len(colours)
    dv = _validations(ws)["F2:F41"]
    assert "light blue" in dv.formula1 and dv.errorStyle == "information"


@pytest.mark.parametrize("typed", ["Q3 2026", "Nov 2026 & Ongoing", "2026/27", "Quarterly"])
def test_deadline_help_agrees_with_the_reader(eflg_template, make_workbook, typed):
    """The template never warns on a deadline the reader understands (issue 10).

    It used to warn on 'Q3 2026', which the README says is fine: the check
    is now help text naming the same forms, with no error alert.
    """
    deadline = _validations(openpyxl.load_workbook(eflg_template)["Actions"])["F2:F2001"]
    assert deadline.type is None and not deadline.showErrorMessage
    for form in ("30/11/2026", "Nov 2026", "Q3 2026", "2026/27", "Ongoing, TBC or Complete"):
        assert form in deadline.prompt
    report = validate_workbook(make_workbook(actions=[action_row(deadline=typed)])).report
    assert "DEADLINE_UNCLEAR" not in report.count_by_code()


def test_readme_prints_on_portrait_pages_and_names_no_commands(eflg_template):
    """The Read me sheet fits the page width in portrait, wraps, and tells officers
    whom to send the workbook to rather than which command to run (issue 10)."""
    ws = openpyxl.load_workbook(eflg_template)["Read me"]
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.column_dimensions["A"].width <= 100
    cells = [c for c in ws["A"] if c.value]
    assert all(c.alignment.wrap_text for c in cells)
    text = "\n".join(str(c.value) for c in cells)
    assert "send the finished workbook to the officer who prepares the plan" in text
    for command in ("make ", "eqplan ", "run '"):
        assert command not in text
    longest = max(cells[1:], key=lambda c: len(str(c.value)))
    assert ws.row_dimensions[longest.row].height >= 45  # three lines or more


@pytest.mark.libreoffice
def test_readme_prints_on_portrait_a4_in_libreoffice(eflg_template, tmp_path):
    """Printed from LibreOffice, the Read me sheet is portrait A4 pages with every word on them.

    Calc 7.4 ignores fit-to-width, so a column wider than the page was cut
    off at the right edge; the text check catches that.
    """
    require_soffice()
    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("pdfinfo and pdftotext (poppler-utils) are not installed")
    wb = openpyxl.load_workbook(eflg_template)
    for name in wb.sheetnames[1:]:
        del wb[name]
    readme = tmp_path / "readme.xlsx"
    wb.save(readme)
    pdf = convert(readme, tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 2, info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    printed = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    for cell in openpyxl.load_workbook(readme)["Read me"]["A"]:
        if cell.value:
            assert " ".join(str(cell.value).split()) in printed


def test_every_rag_word_the_reader_accepts_is_coloured(eflg_template):
    """`Done` and `Blue` are read as Complete, so the template colours them too (one home: rag.py)."""
    ws = openpyxl.load_workbook(eflg_template)["Actions"]
    rules = ws.conditional_formatting._cf_rules[next(iter(ws.conditional_formatting))]
    coloured = {}
    for rule in rules:
        for word in re.findall(r'="([^"]*)"', rule.formula[0]):
            coloured[word.casefold()] = rule.dxf.fill.fgColor.rgb[-6:]
    for typed in ("Red", "r", "Done", "blue", "B", "Completed", "c", "Amber", "g"):
        assert coloured.get(typed.casefold()) == Rag.from_cell(typed).fill, typed
