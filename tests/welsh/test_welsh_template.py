"""`eqplan template --language cy`: a Welsh workbook the reader reads like the English (issue 15)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from pipeline import frameworks
from pipeline.cli import cli
from pipeline.deadlines import DeadlineKind, parse_deadline_text
from pipeline.levels import parse_level
from pipeline.rag import Rag
from pipeline.status import ActionStatus, Status
from pipeline.strands import parse_colour
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from pipeline.workbook.template_cy import translate_template
from tests.conftest import EXAMPLE, read_only_workbook

WELSH_SHEETS = [
    "Darllen fi",
    "Cynllun",
    "Adroddiad",
    "Adrannau",
    "Hunanasesiad",
    "Camau gweithredu",
    "Perchnogion",
    "Log cynnydd",
    "Gwybodaeth gyfeirio",
    "Rhestrau",
]


def test_the_welsh_template_has_welsh_sheets_headings_and_dropdowns(tmp_path):
    target = tmp_path / "cymru.xlsx"
    result = CliRunner().invoke(
        cli, ["template", "--framework", "eif-wales-2011", "--language", "cy", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == WELSH_SHEETS
    actions = [c.value for c in book["Camau gweithredu"][1]]
    assert actions[:4] == ["Cyf.", "Pwynt y fframwaith", "Sefyllfa bresennol / tystiolaeth",
                           "Bwlch / cam gweithredu"]  # fmt: skip
    assert "Bwlch / cam gweithredu (Cymraeg)" in actions
    assert [book["Cynllun"].cell(row=r, column=1).value for r in (2, 3)] == [
        "Enw'r cyngor",
        "Teitl y cynllun",
    ]
    sources = {v.formula1 for v in book["Camau gweithredu"].data_validations.dataValidation}
    assert any(s and s.startswith("'Rhestrau'!") for s in sources)  # dropdowns follow the rename
    assert any(s and s.startswith("'Perchnogion'!") for s in sources)
    assert any(s and "Ar waith" in s for s in sources)  # the Status dropdown's words
    assert not any(s and "'Lists'!" in s for s in sources)


def test_a_workbook_in_welsh_reads_exactly_as_the_english_one(tmp_path):
    """The example with every sheet name, heading, label and dropdown word put into Welsh."""
    welsh = tmp_path / "enghraifft.xlsx"
    translate_template(openpyxl.load_workbook(EXAMPLE)).save(welsh)
    with read_only_workbook(welsh) as book:
        assert book.sheetnames == WELSH_SHEETS
    english, cymraeg = validate_workbook(EXAMPLE), validate_workbook(welsh)
    assert cymraeg.report.valid
    assert sorted(p.code for p in cymraeg.report.problems) == sorted(
        p.code for p in english.report.problems
    )
    assert build_view(cymraeg.plan).as_dict() == build_view(english.plan).as_dict()


def test_the_reader_accepts_welsh_dropdown_words():
    assert Rag.from_cell("Coch") is Rag.RED and Rag.from_cell("cwblhawyd") is Rag.COMPLETE
    assert ActionStatus.from_cell("Ar waith") is ActionStatus.IN_PROGRESS
    assert Status.from_cell("Terfynol") is Status.FINAL
    assert parse_level("Datblygol", ("Not started", "Developing")).label == "Developing"
    assert parse_deadline_text("Parhaus").kind is DeadlineKind.ONGOING
    assert parse_colour("glas golau") == parse_colour("light blue")


def test_the_welsh_templates_read_me_is_in_welsh(tmp_path):
    target = tmp_path / "cymru.xlsx"
    result = CliRunner().invoke(cli, ["template", "--language", "cy", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Ysgrifennwyd {target} (EFLG 2021).\n"  # not `Wrote`
    text = "\n".join(
        str(c.value) for c in openpyxl.load_workbook(target)["Darllen fi"]["A"] if c.value
    )
    assert "Beth i'w lenwi, fesul taflen" in text and "Gwerthoedd a dderbynnir" in text
    assert "What to fill in" not in text and "Accepted values" not in text


@pytest.mark.parametrize(
    ("typed", "due", "kind"),
    [
        ("Tachwedd 2026", dt.date(2026, 11, 30), DeadlineKind.MONTH),
        ("30 Tachwedd 2026", dt.date(2026, 11, 30), DeadlineKind.DATE),
        ("Tach 2026", dt.date(2026, 11, 30), DeadlineKind.MONTH),
        ("14 Chwef 2027", dt.date(2027, 2, 14), DeadlineKind.DATE),
        ("Chw 2027", dt.date(2027, 2, 28), DeadlineKind.MONTH),
        ("Gorffennaf 27", dt.date(2027, 7, 31), DeadlineKind.MONTH),
        ("Ch1 2028", dt.date(2028, 3, 31), DeadlineKind.QUARTER),  # chwarter
        ("ch3 2026/27", dt.date(2026, 12, 31), DeadlineKind.QUARTER),
        ("Ch4 2026 & Parhaus", dt.date(2026, 12, 31), DeadlineKind.QUARTER),  # as '& Ongoing'
        ("Parhaus & Tach 2026", dt.date(2026, 11, 30), DeadlineKind.MONTH),
    ],
)
def test_deadlines_typed_with_welsh_month_names_are_read(typed, due, kind):
    deadline = parse_deadline_text(typed)
    assert (deadline.kind, deadline.due) == (kind, due)
    assert deadline.display == typed  # printed as the officer typed it


def test_a_welsh_workbook_with_welsh_month_deadlines_has_no_unclear_deadlines(tmp_path):
    welsh = tmp_path / "enghraifft.xlsx"
    book = translate_template(openpyxl.load_workbook(EXAMPLE))
    sheet = book["Camau gweithredu"]
    column = [c.value for c in sheet[1]].index("Terfyn amser") + 1
    for row, typed in ((2, "Tachwedd 2026"), (3, "30 Tachwedd 2026"), (4, "Rhag 2026")):
        sheet.cell(row=row, column=column).value = typed
    book.save(welsh)
    validation = validate_workbook(welsh)
    letter = get_column_letter(column)
    unclear = [
        p
        for p in validation.report.problems
        if p.cell in (f"{letter}2", f"{letter}3", f"{letter}4")
    ]
    assert not unclear, unclear
    due = [a.deadline.due for a in validation.plan.actions[:3]]
    assert due == [dt.date(2026, 11, 30), dt.date(2026, 11, 30), dt.date(2026, 12, 31)]


def test_a_missing_plan_detail_is_named_as_the_welsh_template_shows_it(tmp_path):
    """On a Welsh template's Cynllun sheet the row says `Enw'r cyngor`, so the message does too."""
    for language, label in (("cy", "Enw'r cyngor"), ("en", "Council name")):
        target = tmp_path / f"{language}.xlsx"
        result = CliRunner().invoke(cli, ["template", "--language", language, "-o", str(target)])
        assert result.exit_code == 0, result.output
        missing = [
            p for p in validate_workbook(target).report.problems if p.code == "PLAN_FIELD_MISSING"
        ]
        assert missing[0].message == f"'{label}' is empty."


def test_every_dropdown_and_date_check_speaks_welsh(tmp_path):
    """Each prompt and error Excel shows as the officer types is in Welsh, none left English."""
    books = {}
    for language in ("en", "cy"):
        target = tmp_path / f"{language}.xlsx"
        args = ["template", "--language", language, "-o", str(target)]
        assert CliRunner().invoke(cli, args).exit_code == 0
        books[language] = openpyxl.load_workbook(target)
    english, welsh = books["en"], books["cy"]
    checked = 0
    for sheet, welsh_sheet in zip(english.worksheets, welsh.worksheets, strict=True):
        rules = sheet.data_validations.dataValidation
        welsh_rules = welsh_sheet.data_validations.dataValidation
        for rule, welsh_rule in zip(rules, welsh_rules, strict=True):
            for attribute in ("prompt", "promptTitle", "error", "errorTitle"):
                said = getattr(rule, attribute)
                if said and any(c.isalpha() for c in said):
                    welsh_said = getattr(welsh_rule, attribute)
                    assert welsh_said != said, (sheet.title, attribute, said)
                    assert not welsh_said.endswith("\u2026"), welsh_said  # cut to Excel's limit
                    checked += 1
    assert checked > 10
    plan = welsh["Cynllun"].data_validations.dataValidation
    prompts = [rule.prompt for rule in plan if rule.promptTitle == "Blynyddoedd ariannol"]
    assert prompts == ["Sut i ysgrifennu blwyddyn ariannol: 2026 i 2027 neu 2026/27."]
    levels = welsh["Hunanasesiad"].data_validations.dataValidation[0].prompt
    assert levels == "Heb ddechrau, Datblygol, Cyflawni neu Rhagorol."


def test_a_theme_with_no_actions_is_named_on_the_welsh_actions_sheet(tmp_path):
    """THEME_NO_ACTIONS said 'Actions', a sheet a Welsh template's workbook does not have."""
    book = translate_template(openpyxl.load_workbook(EXAMPLE))
    actions = book["Camau gweithredu"]
    for row in range(actions.max_row, 1, -1):  # theme 17 left with no actions
        if str(actions.cell(row, 2).value or "").startswith("17"):
            actions.delete_rows(row)
    path = tmp_path / "cynllun.xlsx"
    book.save(path)
    found = validate_workbook(path).report.warnings
    assert {p.sheet for p in found if p.code == "THEME_NO_ACTIONS"} == {"Camau gweithredu"}


def test_a_welsh_workbook_with_no_actions_yet_names_its_own_actions_sheet(tmp_path):
    from tests.conftest import write_plan_workbook

    path = write_plan_workbook(tmp_path / "cynllun.xlsx", actions=[], edit=translate_template)
    found = validate_workbook(path).report.warnings
    assert {p.sheet for p in found if p.code == "THEME_NO_ACTIONS"} == {"Camau gweithredu"}


@pytest.mark.parametrize("framework", ["eflg-2021", "eflg-2014"])
def test_the_welsh_read_me_gives_the_frameworks_welsh_source_note(tmp_path, framework):
    loaded = frameworks.load(framework)
    notes = {}
    for language in ("cy", "en"):
        target = tmp_path / f"{language}.xlsx"
        args = ["template", "--framework", framework, "--language", language, "-o", str(target)]
        assert CliRunner().invoke(cli, args).exit_code == 0
        cells = openpyxl.load_workbook(target).worksheets[0]["A"]
        notes[language] = [
            str(c.value)
            for c in cells
            if c.value and str(c.value).startswith(("Ffynhonnell", "Source of"))
        ]
    assert notes["cy"] == [f"Ffynhonnell testun y fframwaith: {loaded.welsh['source']}"]
    assert loaded.source not in notes["cy"][0]
    assert notes["en"] == [f"Source of the framework text: {loaded.source}"]


def test_the_welsh_plan_sheet_offers_financial_years_written_in_welsh(tmp_path):
    """The Welsh template's Financial years dropdown offered `2026 to 2027`, while its Read me
    and its messages say `2026 i 2027`: it offers the Welsh, which is read as the `to` style."""
    target = tmp_path / "cymru.xlsx"
    assert (
        CliRunner().invoke(cli, ["template", "--language", "cy", "-o", str(target)]).exit_code == 0
    )
    wb = openpyxl.load_workbook(target)
    ws = wb["Cynllun"]
    rule = next(
        dv for dv in ws.data_validations.dataValidation if dv.promptTitle == "Blynyddoedd ariannol"
    )
    assert rule.formula1 == '"2026 i 2027,2026/27"'
    assert "2026 i 2027 neu 2026/27" in rule.prompt and "to" not in rule.prompt.split()
    row = next(c.row for c in ws["A"] if c.value == "Blynyddoedd ariannol")
    assert "2026 i 2027 neu 2026/27" in ws.cell(row=row, column=3).value
    ws.cell(row=row, column=2).value = "2026 i 2027"
    wb.save(target)
    codes = {p.code for p in validate_workbook(target, language="cy").report.problems}
    assert "FINANCIAL_YEARS_UNKNOWN" not in codes


def test_the_welsh_strand_help_names_a_strand_its_list_offers(tmp_path):
    """The Strand column's prompt said `Cydraddoldeb hiliol` while its dropdown (and the Read
    me) offer `Race equality`: typed as prompted, it made a second, uncoloured strand."""
    from pipeline.workbook import layout

    target = tmp_path / "cymru.xlsx"
    assert (
        CliRunner().invoke(cli, ["template", "--language", "cy", "-o", str(target)]).exit_code == 0
    )
    wb = openpyxl.load_workbook(target)
    offered = {c.value for c in wb["Rhestrau"]["E"][1:] if c.value}
    assert offered == set(layout.STRAND_CHOICES)
    rule = next(
        dv for dv in wb["Camau gweithredu"].data_validations.dataValidation
        if dv.promptTitle == "Llinyn"
    )  # fmt: skip
    assert rule.prompt.startswith("Tag dewisol fel Race equality ")
    assert "Cydraddoldeb hiliol" not in rule.prompt


def test_the_welsh_framework_point_dropdown_names_its_levels_in_welsh(tmp_path):
    """The Welsh template's Framework point list offered `1.1 ... - Developing` beside its
    Levels list's `Datblygol` (and the Welsh plan's `1.1 ... - Datblygol`); the choice as
    offered is read as the point it names."""
    target = tmp_path / "cymru.xlsx"
    assert (
        CliRunner().invoke(cli, ["template", "--language", "cy", "-o", str(target)]).exit_code == 0
    )
    wb = openpyxl.load_workbook(target)
    points = [c.value for c in wb["Rhestrau"]["A"][1:] if c.value]
    assert "1.1 Collecting and sharing information - Datblygol" in points
    assert not [p for p in points if p.endswith(("Developing", "Achieving", "Excellent"))]
    actions = wb["Camau gweithredu"]
    actions["B2"] = "1.2 Collecting and sharing information - Cyflawni"
    actions["D2"] = "Rhannu data'r wardiau gyda phartneriaid."
    wb.save(target)
    plan = validate_workbook(target, language="cy").plan
    assert [a.point.ref for a in plan.actions if a.action] == ["1.2"]
    english = tmp_path / "english.xlsx"
    assert CliRunner().invoke(cli, ["template", "-o", str(english)]).exit_code == 0
    offered = [c.value for c in openpyxl.load_workbook(english)["Lists"]["A"][1:] if c.value]
    assert "1.1 Collecting and sharing information - Developing" in offered
