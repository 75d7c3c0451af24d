"""Words a Welsh-speaking officer met in English while running a quarter in Welsh.

Each was found running a Welsh council's cycle end to end: help on the Welsh Plan sheet,
the reason a deadline is not understood, the merge's closing error line.
"""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from pipeline import frameworks
from pipeline.cli import cli
from pipeline.i18n import use_language
from pipeline.validate import validate_workbook
from pipeline.workbook.template import template_in
from pipeline.workbook.template_cy import translate_template
from tests.conftest import EXAMPLE


def test_the_welsh_plan_sheet_explains_the_report_date_in_welsh():
    sheet = template_in(frameworks.load("eif-wales-2011"), "cy")["Cynllun"]
    helps = [str(row[2]) for row in sheet.iter_rows(values_only=True) if row[2]]
    assert any(h.startswith("Y dyddiad 'fel ar'") and "90 diwrnod" in h for h in helps)
    assert any("2026 i 2027 neu 2026/27" in h for h in helps)
    assert not [h for h in helps if "'as at'" in h or "financial year" in h]
    english = template_in(frameworks.load("eflg-2021"), "en")["Plan"]
    helps = [str(row[2]) for row in english.iter_rows(values_only=True) if row[2]]
    assert any("due soon means within 90 days of it." in h for h in helps)
    assert not [h for h in helps if "%(" in h]


def test_why_a_deadline_is_not_understood_is_said_in_welsh(tmp_path):
    book = translate_template(openpyxl.load_workbook(EXAMPLE))
    sheet = book["Camau gweithredu"]
    column = [c.value for c in sheet[1]].index("Terfyn amser") + 1
    sheet.cell(2, column).value = "31/02/2027"  # no such day
    sheet.cell(3, column).value = "yn fuan"
    path = tmp_path / "cynllun.xlsx"
    book.save(path)
    with use_language("cy"):
        found = validate_workbook(path, language="cy").report.warnings
    unclear = [p.message for p in found if p.code in ("DEADLINE_UNCLEAR", "DATE_UNCLEAR")]
    assert len(unclear) == 2
    assert any("nid yw'n ddyddiad go iawn" in m for m in unclear)
    assert any("heb ei ddeall" in m for m in unclear)
    assert not [m for m in unclear if "is not" in m]


def test_the_welsh_merge_ends_its_error_line_in_welsh(tmp_path):
    folder = tmp_path / "anfon"
    split = ["split", str(EXAMPLE), "--by", "owner", "-o", str(folder), "--language", "cy"]
    assert CliRunner().invoke(cli, split).exit_code == 0
    stray = tmp_path / "plan.xlsx"
    stray.write_bytes(b"not a workbook at all")
    returns = [str(sorted(folder.iterdir())[0]), str(stray)]
    result = CliRunner().invoke(
        cli, ["merge", str(EXAMPLE), *returns, "-o", str(tmp_path / "m.xlsx"), "--language", "cy"]
    )
    assert result.exit_code == 1
    assert "Gwall: " in result.stderr and "Error: " not in result.stderr


def test_the_welsh_lists_sheet_heads_its_columns_in_welsh():
    sheet = template_in(frameworks.load("eflg-2021"), "cy")["Rhestrau"]
    headings = [c.value for c in sheet[1] if c.value]
    assert "Lefelau" in headings and "Pwyntiau'r fframwaith" in headings
    assert "Levels" not in headings and "Framework points" not in headings


def test_a_date_in_a_welsh_report_row_is_written_in_welsh(tmp_path):
    import datetime as dt

    from pipeline.build import build
    from tests.render.helpers import all_text

    book = openpyxl.load_workbook(EXAMPLE)
    for row in book["Report"].iter_rows(min_row=2):
        if row[0].value == "Wards affected (Cymraeg)":
            row[1].value = dt.datetime(2026, 3, 5)
    path = tmp_path / "plan.xlsx"
    book.save(path)
    assert build(path, tmp_path / "out", language="cy", cover=True).report.valid
    text = all_text(tmp_path / "out" / "plan-cy-cover-report.docx")
    assert "5 Mawrth 2026" in text and "5 March 2026" not in text


def test_a_level_not_understood_lists_the_levels_in_welsh(tmp_path):
    book = openpyxl.load_workbook(EXAMPLE)
    book["Self-assessment"]["C2"] = "Gwych"
    path = tmp_path / "cynllun.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["validate", str(path), "--language", "cy"])
    assert "LEVEL_INVALID" in result.output
    assert "(Heb ddechrau, Datblygol, Cyflawni neu Rhagorol)" in result.output
    english = CliRunner().invoke(cli, ["validate", str(path)]).output
    assert "(Not started, Developing, Achieving or Excellent)" in english


def test_the_joint_owners_note_is_in_welsh(tmp_path):
    book = openpyxl.load_workbook(EXAMPLE)
    book["Actions"]["G2"] = "Business Intelligence Team; Human Resources and OD"
    path = tmp_path / "cynllun.xlsx"
    book.save(path)
    welsh = CliRunner().invoke(cli, ["summary", str(path), "--language", "cy"]).output
    assert "Caiff camau gweithredu sydd â sawl perchennog eu cyfrif unwaith" in welsh
    assert "joint owners" not in welsh
    english = CliRunner().invoke(cli, ["summary", str(path)]).output
    assert "Actions with joint owners are counted once for each owner." in english


def test_a_descriptive_theme_title_is_marked_in_welsh(tmp_path):
    target = tmp_path / "cymru.xlsx"
    args = ["template", "--framework", "eif-wales-2011", "--language", "cy", "-o", str(target)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    reference = openpyxl.load_workbook(target)["Gwybodaeth gyfeirio"]
    texts = [str(c.value) for row in reference.iter_rows() for c in row if c.value]
    assert any(t.endswith(" (teitl disgrifiadol, nid swyddogol)") for t in texts)
    assert not [t for t in texts if "descriptive title" in t]


def test_a_complete_mismatch_is_said_in_welsh_words(tmp_path):
    """'Mae'r Status yn dweud Cwblhawyd ond y sgôr yw Amber': the heading and the rating
    were English inside the Welsh sentence."""
    from tests.conftest import action_row, write_plan_workbook

    path = write_plan_workbook(
        tmp_path / "plan.xlsx", actions=[action_row(status="Complete", rag="Amber")]
    )
    with use_language("cy"):
        found = validate_workbook(path, language="cy").report.warnings
    [message] = [p.message for p in found if p.code == "COMPLETE_MISMATCH"]
    assert "Statws" in message and "Ambr" in message
    assert "Status" not in message and "Amber" not in message


def test_the_welsh_summary_workbook_numbers_its_pages_in_welsh(tmp_path):
    from pipeline.build import build

    build(EXAMPLE, tmp_path, language="cy")
    book = openpyxl.load_workbook(tmp_path / "example-plan-cy-summary.xlsx")
    footers = {sheet.oddFooter.right.text for sheet in book.worksheets}
    assert footers == {"Tudalen &P o &N"}


def test_a_welsh_financial_years_choice_is_understood():
    from pipeline.formats import FinancialYears

    assert FinancialYears.from_cell("2026 i 2027") is FinancialYears.TO
    assert FinancialYears.from_cell("2026 to 2027") is FinancialYears.TO


def test_the_strand_note_names_the_column_in_good_welsh(tmp_path):
    """'yn y golofn pwynt y fframwaith' has two articles: a noun before a definite noun takes
    none, so the column is 'colofn pwynt y fframwaith', and after 'yn', 'yng ngholofn'."""
    import html

    from pipeline.build import build

    built = build(EXAMPLE, tmp_path, language="cy", html=True)
    page = html.unescape(built.html.read_text(encoding="utf-8"))
    words = " ".join(p.text for p in docx_paragraphs(tmp_path / "example-plan-cy.docx"))
    for text in (page, words):
        assert "wedi'u labelu yng ngholofn pwynt y fframwaith ac wedi'u lliwio" in text
        assert "yn y golofn pwynt y fframwaith" not in text


def docx_paragraphs(path):
    import docx

    return docx.Document(str(path)).paragraphs


def test_a_number_mutates_the_noun_after_it_as_the_welsh_numeral_does():
    """'gwellodd sgôr 2 cam gweithredu': 2 is read 'dau', which softens the noun after it
    (2 gam), and 3 'tri' and 6 'chwe' aspirate it (3 cham, 6 therfyn amser). The catalogue
    has a plural form for each of these numbers; the progress sentences used them unchanged."""
    from pipeline.view_changes import _slipped, counts_sentence

    counts = {"improved": 2, "worsened": 0, "unchanged": 60, "completed": 3}
    counts |= {"slipped": 6, "new": 2, "removed": 3, "withdrawn": 6}
    with use_language("cy"):
        sentence = counts_sentence(counts)
        days = [_slipped(2), _slipped(-2), _slipped(3)]
    assert "gwellodd sgôr 2 gam gweithredu" in sentence
    assert "Cwblhawyd 3 cham gweithredu" in sentence
    assert "symudodd 6 therfyn amser yn hwyrach" in sentence
    assert "Ychwanegwyd 2 gam gweithredu newydd" in sentence
    assert "tynnwyd 3 cham gweithredu" in sentence
    assert "Tynnwyd 6 cham gweithredu yn ôl." in sentence
    assert days == ["2 ddiwrnod yn hwyrach", "2 ddiwrnod yn gynharach", "3 diwrnod yn hwyrach"]
    with use_language("cy"):
        other = counts_sentence(counts | {"improved": 5, "completed": 1, "slipped": 2})
    assert "gwellodd sgôr 5 cam gweithredu" in other and "Cwblhawyd 1 cam gweithredu" in other
    assert "symudodd 2 derfyn amser" in other


#: A noun after 2 ("dau", "dwy") takes the soft mutation; after 3 ("tri") and 6 ("chwe") the
#: aspirate, which only changes c, p and t (and after "tair", for a feminine noun, nothing).
_RADICALS = {
    2: "cam cynllun cofnod perchennog cell rhybudd rhes pwynt gwall testun diweddariad "
    "gwrthdaro problem terfyn diwrnod",
    3: "cam cynllun cofnod perchennog pwynt testun terfyn",
    6: "cam cynllun cofnod perchennog pwynt testun terfyn cell problem",
}


def test_every_plural_message_mutates_its_noun_after_2_3_and_6():
    """The catalogue's forms for exactly 2, 3 and 6 (Plural-Forms: indexes 2, 3 and 4) never
    leave a noun unmutated after the number: '2 cam gweithredu' in the chart's alt text, the
    summary and merge's reports (a councillor's review found it after the progress sentences
    were mended)."""
    import re

    from babel.messages.pofile import read_po

    from pipeline.i18n import LOCALE_DIR

    with open(LOCALE_DIR / "cy" / "LC_MESSAGES" / "eqplan.po", "rb") as po:
        catalogue = read_po(po, locale="cy")
    unmutated = []
    for message in catalogue:
        if not isinstance(message.id, tuple | list) or not message.string:
            continue
        for index, number in ((2, 2), (3, 3), (4, 6)):
            for noun in re.findall(r"%\(\w+\)s (\w+)", message.string[index]):
                if noun in _RADICALS[number].split():
                    unmutated.append(f"{number} {noun}: {message.string[index]}")
    assert not unmutated, unmutated
    with use_language("cy"):
        from pipeline.i18n import ngettext

        said = [
            ngettext("%(count)s action", "%(count)s actions", n) % {"count": n}
            for n in (2, 3, 6, 7)
        ]
    assert said == [
        "2 gam gweithredu",
        "3 cham gweithredu",
        "6 cham gweithredu",
        "7 cam gweithredu",
    ]


def test_a_count_of_none_is_said_in_words_in_english_and_welsh():
    """'0 new actions were added and 0 actions were removed' read as a table of figures; a
    councillor's review asked for words (Welsh has a zero form of its own, English has not)."""
    from pipeline.view_changes import counts_sentence

    counts = {"improved": 1, "worsened": 0, "unchanged": 4, "completed": 0, "slipped": 0}
    counts |= {"new": 0, "removed": 0}
    english = counts_sentence(counts)
    assert english == (
        "Since the last report, 1 action's rating got better (from Red to Amber, for example), "
        "0 got worse and 4 stayed the same (or had no rating in one of the reports). No action "
        "became complete and no deadline moved later. No new action was added and no action "
        "was removed."
    )
    with use_language("cy"):
        welsh = counts_sentence(counts | {"improved": 2})
    assert welsh.startswith("Ers yr adroddiad diwethaf, gwellodd sgôr 2 gam gweithredu")
    assert (
        "Ni chwblhawyd unrhyw gam gweithredu; ni symudodd unrhyw derfyn amser yn hwyrach." in welsh
    )
    assert "Ni ychwanegwyd unrhyw gam gweithredu newydd" in welsh
    assert "ni thynnwyd unrhyw gam gweithredu" in welsh
