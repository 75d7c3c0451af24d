"""Officers' Welsh beside the English: read, printed in Welsh documents, missing Welsh warned (issue 15)."""

from __future__ import annotations

import datetime as dt
import pickle
import re
import shutil

import openpyxl
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from pipeline.cli import cli
from pipeline.i18n import use_language
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from pipeline.welsh_text import WelshCell
from tests.conftest import EXAMPLE
from tests.render.helpers import all_text

EB01_WELSH = "Ychwanegu data am amddifadedd, anabledd ac iaith at broffil pob ward."
EB01_ENGLISH = "Add deprivation, disability and language data to each ward profile."


def _build(tmp_path, *args: str):
    return CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path), *args])


def test_the_welsh_plan_prints_the_officers_welsh_and_the_english_plan_the_english(tmp_path):
    result = _build(tmp_path, "--language", "both")
    assert result.exit_code == 0, result.output
    welsh = all_text(tmp_path / "example-plan-cy.docx")
    english = all_text(tmp_path / "example-plan-en.docx")
    assert EB01_WELSH in welsh and EB01_ENGLISH not in welsh
    assert EB01_ENGLISH in english and EB01_WELSH not in english
    for text in ("Cynllun Gweithredu Cydraddoldeb, Amrywiaeth", "Deall ein cymunedau"):
        assert text in welsh and text not in english


def test_missing_welsh_is_a_warning_listing_its_cells_only_for_welsh_documents(tmp_path):
    english = _build(tmp_path / "en")
    assert english.exit_code == 0 and "WELSH_TEXT_MISSING" not in english.output
    welsh = _build(tmp_path / "cy", "--language", "cy")
    assert welsh.exit_code == 0, welsh.output
    assert "WELSH_TEXT_MISSING" in welsh.output
    # EB06 (row 7) has no Welsh: its evidence, action, outcome and progress cells are named;
    # EB01 (row 2) has all four, so none of its cells is.
    assert "Actions!O7" in welsh.output and "O7, P7, Q7, R7" in welsh.output
    assert "P2," not in welsh.output
    assert (tmp_path / "cy" / "example-plan-cy.docx").is_file()


def test_strict_makes_missing_welsh_an_error(tmp_path):
    result = _build(tmp_path, "--language", "cy", "--strict")
    assert result.exit_code == 1
    assert "WELSH_TEXT_MISSING" in result.output
    assert not (tmp_path / "example-plan-cy.docx").exists()


def test_welsh_typed_in_a_column_moved_beside_the_english_is_read(tmp_path):
    """The reader finds `Gap / action (Cymraeg)` by its heading, wherever the column sits."""
    copy = tmp_path / "plan.xlsx"
    shutil.copy(EXAMPLE, copy)
    book = openpyxl.load_workbook(copy)
    sheet = book["Actions"]
    headings = [c.value for c in sheet[1]]
    welsh_column = headings.index("Gap / action (Cymraeg)") + 1
    for row in range(1, sheet.max_row + 1):  # clear the column at the end ...
        sheet.cell(row=row, column=welsh_column).value = None
    english_column = headings.index("Gap / action") + 1
    sheet.insert_cols(english_column + 1)  # ... and type the Welsh right beside the English
    sheet.cell(row=1, column=english_column + 1).value = "Gap / action (Cymraeg)"
    sheet.cell(row=7, column=english_column + 1).value = "Dadansoddi effaith cynigion y gyllideb."
    book.save(copy)
    validation = validate_workbook(copy, language="cy")
    assert validation.report.valid
    with use_language("cy"):
        view = build_view(validation.plan)
    actions = {a.ref: a for a in view.actions}
    assert actions["EB06"].action == "Dadansoddi effaith cynigion y gyllideb."
    assert actions["EB01"].action == EB01_ENGLISH  # its Welsh was cleared: English, and a warning
    missing = [p for p in validation.report.warnings if p.code == "WELSH_TEXT_MISSING"]
    beside = f"{get_column_letter(english_column + 1)}2"  # EB01's Welsh belongs beside it
    assert any(f"{beside}," in p.message for p in missing), [p.message for p in missing]


def test_a_welsh_cell_that_could_not_be_read_has_its_own_error_not_also_missing_welsh(tmp_path):
    """A formula never calculated in EB01's Welsh cell gets FORMULA_NO_VALUE; listing the same
    cell as missing Welsh too would send the officer to type over the formula."""
    copy = tmp_path / "plan.xlsx"
    shutil.copy(EXAMPLE, copy)
    book = openpyxl.load_workbook(copy)
    sheet = book["Actions"]
    headings = [c.value for c in sheet[1]]
    welsh = f"{get_column_letter(headings.index('Gap / action (Cymraeg)') + 1)}2"
    sheet[welsh] = '=UPPER("gweithredu")'  # openpyxl stores no calculated value
    book.save(copy)
    report = validate_workbook(copy, language="cy").report
    assert [p.code for p in report.problems if p.cell == welsh] == ["FORMULA_NO_VALUE"]
    missing = " ".join(p.message for p in report.warnings if p.code == "WELSH_TEXT_MISSING")
    assert "O7" in missing  # other missing Welsh is still listed
    assert not re.search(rf"\b{welsh}\b", missing), missing


def test_the_actions_welsh_is_read_only_when_asked_for_and_is_the_same_read_late():
    """An English build never reads the actions' Welsh (WelshText.read_actions); read later,
    it is what reading it at once (a Welsh validation's checks) gives."""
    plan = validate_workbook(EXAMPLE).plan
    build_view(plan)
    assert "_actions_welsh" not in vars(plan.welsh)
    at_once = validate_workbook(EXAMPLE, language="cy", history=True).plan.welsh
    assert "_actions_welsh" in vars(at_once)
    eb01 = next(a for a in plan.actions if a.ref == "EB01")
    assert plan.welsh.actions[("Actions", eb01.row)]["action"].text == EB01_WELSH
    assert (plan.welsh.actions, plan.welsh.log, plan.welsh.history) == (
        at_once.actions,
        at_once.log,
        at_once.history,
    )
    assert plan.welsh.history  # the example has Progress log entries to compare
    assert plan.welsh.missing(history=True) == at_once.missing(history=True)


def test_the_actions_welsh_is_read_in_the_language_of_the_reading_of_the_workbook(tmp_path):
    """A date typed in a Welsh cell is written as the workbook was read (in English here),
    not in the language of the document that first asks for the actions' Welsh."""
    dated = tmp_path / "dated.xlsx"
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Actions"]
    header = [cell.value for cell in sheet[1]]
    welsh_column = header.index("Gap / action (Cymraeg)") + 1
    ref_column = header.index("Ref") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, ref_column).value == "EB01")
    sheet.cell(row, welsh_column).value = dt.datetime(2026, 3, 31)
    sheet.cell(row, welsh_column).number_format = "dd/mm/yyyy"
    book.save(dated)
    at_once = validate_workbook(dated, language="cy").plan.welsh  # the checks read it at once
    late = validate_workbook(dated).plan.welsh
    with use_language("cy"):
        text = late.actions[("Actions", row)]["action"].text
    assert text == at_once.actions[("Actions", row)]["action"].text == "31 March 2026"


def test_welsh_texts_are_equal_only_if_the_actions_welsh_is_too():
    """Comparing two workbooks' Welsh compares the actions' Welsh as well (read to compare)."""
    first, second = (validate_workbook(EXAMPLE).plan.welsh for _ in range(2))
    assert first == second
    place = next(place for place, entry in second.actions.items() if "action" in entry)
    second.actions[place]["action"] = WelshCell("Arall", *place[:1], "F2")
    assert first != second


def test_welsh_text_is_pickled_read_without_the_workbook_reader():
    """The Word plan's job goes to a warm child pickled (word_job.py): the actions' Welsh goes
    with it already read, so loading it in the child imports no workbook reader (about 0.04 s
    of a 100-action build) and carries no raw rows; it is the same Welsh either way."""
    welsh = validate_workbook(EXAMPLE).plan.welsh
    data = pickle.dumps(welsh)
    assert b"pipeline.workbook" not in data
    loaded = pickle.loads(data)
    assert "_actions_welsh" in vars(loaded)
    assert loaded == welsh
    eb01 = next(place for place, entry in welsh.actions.items() if "action" in entry)
    assert loaded.actions[eb01]["action"].text == welsh.actions[eb01]["action"].text
