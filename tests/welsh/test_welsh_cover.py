"""The committee cover report in Welsh: the Report sheet's own words in Welsh (Cymraeg rows).

Found reading the built documents as a councillor: the Welsh cover report printed the
council's title, purpose, recommendations, background and implications in English under
Welsh headings, with nothing said about it, because the Report sheet had no Welsh rows.
"""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import frameworks
from pipeline.build import build
from pipeline.cli import cli
from pipeline.workbook import layout
from pipeline.workbook.template import template_in
from tests.conftest import EXAMPLE
from tests.render.helpers import all_text

WELSH_TITLE = (
    "Cynllun Gweithredu Cydraddoldeb, Amrywiaeth a Chynhwysiant - cynnydd hyd at Dachwedd 2026"
)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("clawr")
    result = build(EXAMPLE, out, language="both", cover=True)
    assert result.report.valid
    assert not [p for p in result.report.warnings if p.sheet == "Report"]  # all in Welsh
    return out


def test_the_welsh_cover_report_prints_the_councils_welsh(both):
    import docx

    path = both / "example-plan-cy-cover-report.docx"
    text = all_text(path)
    assert docx.Document(path).core_properties.title == WELSH_TITLE
    for welsh in (
        WELSH_TITLE,
        "Mae'r adroddiad hwn yn dweud wrth y pwyllgor",
        "Bod y pwyllgor yn nodi'r cynnydd",
        "Cytunodd y Cabinet",
        "Telir am y camau gweithredu",
        "Pob ward",
        "Atodiad 1: Cynllun Gweithredu Cydraddoldeb, Amrywiaeth a Chynhwysiant 2026 i 2029",
    ):
        assert welsh in text, welsh
    for english in ("This report tells the committee", "That the committee", "All wards",
                    "Cabinet agreed", "existing service budgets", "Action Plan 2026 to 2029"):  # fmt: skip
        assert english not in text, english


def test_the_english_cover_report_keeps_the_english(both):
    text = all_text(both / "example-plan-en-cover-report.docx")
    assert "This report tells the committee" in text and "All wards" in text
    assert "Cytunodd y Cabinet" not in text


def test_report_fields_without_welsh_are_named_for_a_welsh_cover_report_only(tmp_path):
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Report"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in ("Purpose (Cymraeg)", "Background (Cymraeg)"):
            row[1].value = None
    path = tmp_path / "plan.xlsx"
    book.save(path)
    welsh = build(path, tmp_path / "cy", language="cy", cover=True)
    (missing,) = [
        p for p in welsh.report.warnings if p.code == "WELSH_TEXT_MISSING" and p.sheet == "Report"
    ]
    assert missing.message.startswith("2 ")
    text = all_text(tmp_path / "cy" / "plan-cy-cover-report.docx")
    assert "This report tells the committee" in text  # the English stands in, and is named
    english = build(path, tmp_path / "en", cover=True)
    assert not [p for p in english.report.warnings if p.sheet == "Report"]
    plain = build(path, tmp_path / "plain", language="cy")  # no cover report: nothing to say
    assert not [p for p in plain.report.warnings if p.sheet == "Report"]


def test_the_welsh_template_has_the_report_sheets_welsh_rows():
    def labels(framework: str, language: str) -> list[str]:
        sheet = template_in(frameworks.load(framework), language).worksheets[2]
        return [str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]

    assert "Diben (Cymraeg)" in labels("eflg-2021", "cy")
    assert "Purpose (Cymraeg)" in labels("eif-wales-2011", "en")
    assert not [label for label in labels("eflg-2021", "en") if "(Cymraeg)" in label]


def test_next_period_keeps_the_report_sheets_welsh(tmp_path):
    nxt = tmp_path / "next.xlsx"
    result = CliRunner().invoke(cli, ["next-period", str(EXAMPLE), "-o", str(nxt)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(nxt)[layout.REPORT_SHEET]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Wards affected (Cymraeg)"] == "Pob ward"


def test_welsh_typed_where_the_english_row_is_empty_is_printed(tmp_path):
    """A Welsh council may write some Report fields in Welsh only: the Welsh cover report
    prints them, and only an English cover report says they are missing."""
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Report"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "Purpose":
            row[1].value = None
    path = tmp_path / "plan.xlsx"
    book.save(path)
    welsh = build(path, tmp_path / "cy", language="cy", cover=True)
    assert not [p for p in welsh.report.warnings if p.sheet == "Report"]
    text = all_text(tmp_path / "cy" / "plan-cy-cover-report.docx")
    assert "Mae'r adroddiad hwn yn dweud wrth y pwyllgor" in text
    both = build(path, tmp_path / "both", language="both", cover=True)
    (missing,) = [p for p in both.report.warnings if p.code == "REPORT_FIELDS_MISSING"]
    assert "Purpose" in missing.message
