"""The committee cover report and the committee pack (`eqplan build --cover`, `--pack`, issue 14).

Each test opens what was written: the cover report .docx, the pack's zip.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.build import build
from pipeline.cli import cli
from pipeline.render.cover import DEFAULT_RECOMMENDATION, DEFAULT_WARDS
from pipeline.statutory import load_statutory
from tests.conftest import (
    EXAMPLE,
    EXAMPLE_BY_MODULE,
    EXAMPLE_SUMMARY,
    action_row,
    write_plan_workbook,
)
from tests.render.helpers import all_text, cell_text, headings, stale_metadata

COVER = "example-plan-cover-report.docx"


@pytest.fixture(scope="module")
def example_cover(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cover")
    result = build(EXAMPLE, out, cover=True)
    assert result.cover == out / COVER
    return result.cover


def _table(path: Path, first_heading: str) -> list[list[str]]:
    """The rows (as text) of the first table whose header row starts with first_heading."""
    for table in docx.Document(str(path)).tables:
        rows = [[cell_text(c) for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_heading:
            return rows
    raise AssertionError(f"no table starting {first_heading!r}")


def _paragraphs(path: Path, style: str) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == style]


def test_cover_report_has_the_committee_report_sections(example_cover):
    assert stale_metadata(example_cover) == []
    assert headings(example_cover) == [
        "Purpose",
        "Recommendations",
        "Background",
        "Summary of progress",
        "Implications",
        "Appendices",
    ]
    assert headings(example_cover, 2) == [
        "Actions by rating",
        "Actions by module",
        "Financial implications",
        "Legal implications",
        "Equality implications",
    ]
    details = dict(_table(example_cover, "Item")[1:])
    assert details == {
        "Committee": "Corporate Overview and Scrutiny Committee",
        "Date of meeting": "14\u00a0January\u00a02027",
        "Report of": "Director of Corporate Services",
        "Contact officer": "Sam Okafor, Equalities Lead, equalities@example.gov.uk",
        "Wards affected": "All wards",
    }
    text = all_text(example_cover)
    assert "Appendix 1: Equality, Diversity and Inclusion Action Plan 2026 to 2029" in text
    assert "progress to November 2026" in _paragraphs(example_cover, "Title")[0]


def test_recommendations_are_a_numbered_list_in_the_councils_words(example_cover):
    recommendations = _paragraphs(example_cover, "List Number")
    assert recommendations == [
        "That the committee notes the progress made against the equality action plan as at "
        "30 November 2026.",
        "That the committee asks the Director of Corporate Services to report again in six "
        "months on the overdue actions.",
    ]
    document = docx.Document(str(example_cover))
    style = document.styles["List Number"].element
    assert style.find(qn("w:pPr")).find(qn("w:numPr")) is not None  # Word numbers them 1, 2


def test_cover_figures_are_the_examples(example_cover):
    """Counted by hand from the example's Actions sheet (tests/conftest.py)."""
    ratings = dict(_table(example_cover, "Rating")[1:])
    assert ratings == {"Red": "5", "Amber": "15", "Green": "16", "Complete": "5", "Not rated": "21",
                       "Total": "62"}  # fmt: skip
    assert _table(example_cover, "Module")[1:] == EXAMPLE_BY_MODULE
    assert f"The plan holds {EXAMPLE_SUMMARY}" in all_text(example_cover)


def test_cover_figures_are_the_summary_commands(example_cover, runner):
    """The same figures as `eqplan summary` (the example's own are checked above)."""
    result = runner.invoke(cli, ["summary", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    ratings = _table(example_cover, "Rating")
    assert {label: int(count) for label, count in ratings[1:-1]} == figures["by_rag"]
    assert ratings[-1] == ["Total", str(figures["actions"])]
    sections = _table(example_cover, "Module")
    assert [int(row[-1]) for row in sections[1:-1]] == [s["actions"] for s in figures["by_section"]]
    assert sections[-1][-1] == str(figures["actions"])
    text = all_text(example_cover)
    assert (
        f"The plan holds {figures['actions']} actions, of which {figures['complete']} are "
        f"complete. As at 30 November 2026, {figures['overdue']} are overdue and "
        f"{figures['due_soon']} are due in the next 90 days." in text
    )


def test_legal_implications_quote_the_duty_word_for_word(example_cover):
    psed = load_statutory()["psed"]
    quoted = _paragraphs(example_cover, "Quote")
    assert quoted == [psed["introduction"], *psed["aims"]]
    assert f"Source: {psed['source']}" in all_text(example_cover)


def test_cover_report_is_accessible(example_cover):
    document = docx.Document(str(example_cover))
    assert document.core_properties.title == (
        "Equality, Diversity and Inclusion Action Plan - progress to November 2026"
    )
    assert document.core_properties.language == "en-GB"
    lang = document.styles.element.find(qn("w:docDefaults")).iter(qn("w:lang"))
    assert next(lang).get(qn("w:val")) == "en-GB"
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None


def test_welsh_language_implications_only_under_the_welsh_framework(tmp_path):
    welsh = write_plan_workbook(
        tmp_path / "wales.xlsx", actions=[action_row(point="1.1")], framework="eif-wales-2011"
    )
    english = write_plan_workbook(tmp_path / "england.xlsx")
    build(welsh, tmp_path / "w", cover=True)
    build(english, tmp_path / "e", cover=True)
    welsh_cover = tmp_path / "w" / "wales-cover-report.docx"
    english_cover = tmp_path / "e" / "england-cover-report.docx"
    assert "Welsh language implications" in headings(welsh_cover, 2)
    assert "Welsh language implications" not in headings(english_cover, 2)
    assert "Welsh language" not in all_text(english_cover)


def _without_report_sheet(wb):
    del wb["Report"]


def test_older_workbook_builds_a_cover_with_standard_wording_and_a_warning(tmp_path, runner):
    older = write_plan_workbook(tmp_path / "older.xlsx", edit=_without_report_sheet)
    result = runner.invoke(cli, ["build", str(older), "-o", str(tmp_path / "out"), "--cover"])
    assert result.exit_code == 0, result.output
    assert "REPORT_FIELDS_MISSING" in result.output
    assert "The workbook has no Report sheet" in result.output
    assert "Report title, Report of, Contact officer, Wards affected, Purpose" in result.output
    cover = tmp_path / "out" / "older-cover-report.docx"
    assert _paragraphs(cover, "List Number") == [DEFAULT_RECOMMENDATION]
    assert dict(_table(cover, "Item")[1:])["Wards affected"] == DEFAULT_WARDS
    assert "Equality Action Plan 2026 to 2029: progress report" in _paragraphs(cover, "Title")


def test_no_report_warning_without_cover(tmp_path, runner):
    older = write_plan_workbook(tmp_path / "older.xlsx", edit=_without_report_sheet)
    result = runner.invoke(cli, ["build", str(older), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "REPORT_FIELDS_MISSING" not in result.output
    assert not (tmp_path / "out" / "older-cover-report.docx").exists()


def test_filled_report_sheet_gives_no_warning(tmp_path):
    result = build(EXAMPLE, tmp_path, cover=True)
    assert not [p for p in result.report.problems if p.code == "REPORT_FIELDS_MISSING"]


def test_recommendation_numbers_typed_by_the_officer_are_not_doubled(tmp_path):
    def report(wb):
        ws = wb["Report"]
        for row in range(2, ws.max_row + 1):
            if ws.cell(row=row, column=1).value == "Recommendations":
                ws.cell(
                    row=row, column=2
                ).value = "1. That the committee notes it.\n2) That it agrees."

    path = write_plan_workbook(tmp_path / "typed.xlsx", edit=report)
    build(path, tmp_path / "out", cover=True)
    cover = tmp_path / "out" / "typed-cover-report.docx"
    assert _paragraphs(cover, "List Number") == ["That the committee notes it.", "That it agrees."]


def test_report_text_is_printed_literally(tmp_path):
    def report(wb):
        ws = wb["Report"]
        for row in range(2, ws.max_row + 1):
            if ws.cell(row=row, column=1).value == "Purpose":
                ws.cell(row=row, column=2).value = "Costs < 5 & {{ plan.council }} <b>"

    path = write_plan_workbook(tmp_path / "odd.xlsx", edit=report)
    build(path, tmp_path / "out", cover=True)
    assert "Costs < 5 & {{ plan.council }} <b>" in all_text(
        tmp_path / "out" / "odd-cover-report.docx"
    )


def test_pack_zips_the_documents_for_committee(tmp_path, monkeypatch):
    from pipeline.render import pdf as pdf_render

    def no_soffice():
        raise pdf_render.PdfUnavailable("LibreOffice is not installed.", hint="Install it.")

    monkeypatch.setattr(pdf_render, "require_soffice", no_soffice)
    result = build(EXAMPLE, tmp_path, pack=True)
    assert result.pack == tmp_path / "example-plan-committee-pack.zip"
    with zipfile.ZipFile(result.pack) as archive:
        names = archive.namelist()
        assert names == [  # the web page (HTML) comes with the plan whenever a pack is made
            "example-plan-cover-report.docx",
            "example-plan.docx",
            "example-plan.html",
            "example-plan-summary.xlsx",
        ]
        for name in names:
            assert archive.read(name) == (tmp_path / name).read_bytes()
    assert any("committee pack has no PDF" in note for note in result.notes)


def test_pack_holds_the_pdf_when_libreoffice_is_there(tmp_path, runner):
    from tests.conftest import require_soffice

    require_soffice()
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--pack"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "example-plan-committee-pack.zip") as archive:
        assert archive.namelist() == [
            "example-plan-cover-report.docx",
            "example-plan.docx",
            "example-plan.pdf",
            "example-plan.html",
            "example-plan-summary.xlsx",
        ]
        assert archive.testzip() is None
    assert f"Wrote {tmp_path / 'example-plan-committee-pack.zip'}" in result.output


def test_pack_names_are_safe_and_the_same_every_time(tmp_path, monkeypatch):
    from pipeline.render import pdf as pdf_render

    monkeypatch.setattr(
        pdf_render,
        "require_soffice",
        lambda: (_ for _ in ()).throw(pdf_render.PdfUnavailable("none", hint="")),
    )
    first = build(EXAMPLE, tmp_path / "a", pack=True, name="../Our plan: 2026?").pack
    second = build(EXAMPLE, tmp_path / "b", pack=True, name="../Our plan: 2026?").pack
    assert first.parent == tmp_path / "a"
    with zipfile.ZipFile(first) as archive:
        for name in archive.namelist():
            assert "/" not in name and "\\" not in name and ":" not in name and "?" not in name
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert [(i.filename, i.date_time) for i in a.infolist()] == [
            (i.filename, i.date_time) for i in b.infolist()
        ]


@pytest.mark.parametrize(("setting", "shown"), [(None, "2026 to 2027"), ("2026/27", "2026/27")])
def test_financial_year_follows_the_plan_sheet_setting(tmp_path, setting, shown):
    path = write_plan_workbook(tmp_path / "fy.xlsx", plan={"financial_years": setting})
    build(path, tmp_path / "out", cover=True)
    text = all_text(tmp_path / "out" / "fy-cover-report.docx")
    # As at the report date: the figures are the plan's so far, not the year's alone.
    said = re.search(r"The figures are as at (\d+ \w+ \d{4}), in the financial year (.+?)\.", text)
    assert said is not None and said.group(2) == shown, text


def test_numbers_above_999_have_commas_in_the_cover_report(tmp_path):
    rows = [action_row(ref=f"A{n}", action=f"Action number {n}.") for n in range(1, 1251)]
    path = write_plan_workbook(tmp_path / "big.xlsx", actions=rows)
    build(path, tmp_path / "out", cover=True)
    cover = tmp_path / "out" / "big-cover-report.docx"
    assert "The plan holds 1,250 actions, of which none are complete." in all_text(cover)
    assert _table(cover, "Rating")[-1] == ["Total", "1,250"]
    assert _table(cover, "Module")[-1][-1] == "1,250"
    plan = all_text(tmp_path / "out" / "big.docx")
    assert "This plan holds 1,250 actions, of which none are complete." in plan


def test_every_cover_context_name_is_documented():
    from pipeline.render.cover import build_cover_context
    from pipeline.validate import validate_workbook
    from pipeline.view import build_view
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The cover report context", 1)[1].split("### ", 1)[0]
    context = build_cover_context(build_view(validate_workbook(EXAMPLE).plan))
    assert set(context) == {"_", "language", "plan", "summary", "statutory", "report"}
    assert "`_`" in section and "`language`" in section
    for name in context["report"]:
        assert f"`{name}`" in section, name


def test_a_cover_report_from_an_earlier_run_is_flagged_as_stale(tmp_path):
    build(EXAMPLE, tmp_path, cover=True)
    result = build(EXAMPLE, tmp_path)
    assert any(
        "example-plan-cover-report.docx is from an earlier run" in note and "--cover" in note
        for note in result.notes
    ), result.notes


def test_report_sheet_warning_stays_out_of_the_plans_appendix(tmp_path):
    older = write_plan_workbook(tmp_path / "older.xlsx", edit=_without_report_sheet)
    build(older, tmp_path / "out", cover=True, include_checks=True)
    assert "REPORT_FIELDS_MISSING" not in all_text(tmp_path / "out" / "older.docx")
    assert "Cover report details missing" not in all_text(tmp_path / "out" / "older.docx")


def test_cover_with_since_says_what_moved_in_words(tmp_path, runner, make_workbook):
    """`--cover --since`: the summary of progress gives the plan's counts and movements since."""
    september = make_workbook(
        "plan-september.xlsx",
        actions=[
            action_row(ref="L1", rag="Amber"),
            action_row(ref="L2", rag="Green", action="Review the gender pay gap"),
            action_row(ref="L3", rag="Red", action="Run the staff survey"),
            action_row(ref="L4", rag="Green", action="An action <b>dropped</b>"),
        ],
        plan={"report_date": dt.date(2026, 9, 30)},
    )
    november = make_workbook(
        "plan-november.xlsx",
        actions=[
            action_row(ref="L1", rag="Green"),
            action_row(ref="L2", rag="Amber", action="Review the gender pay gap"),
            action_row(ref="L3", rag="Red", action="Run the staff survey"),
            action_row(ref="L9", rag="Complete", action="New {{ x }} & done"),
        ],
    )
    args = ["build", str(november), "--since", str(september), "--cover", "-o", str(tmp_path)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    cover = tmp_path / "plan-november-cover-report.docx"
    heads = headings(cover, 2)
    since = "Progress since the last report (30\u00a0September\u00a02026)"
    assert heads[heads.index("Actions by module") + 1] == since
    counts = (
        "Since the last report, 1 action's rating got better (from Red to Amber, for example), 1 got worse and 1 stayed the same (or had no "
        "rating in one of the reports). 1 action became complete and no deadline moved later. "
        "1 new action was added and 1 action was removed."
    )
    plan_text = all_text(tmp_path / "plan-november.docx")
    assert counts in plan_text  # the plan's own words, from the same view
    assert counts in all_text(cover)
    assert _table(cover, "Ref") == [
        ["Ref", "Action", "Was", "Now"],
        ["L1", "Share ward profiles with service managers.", "Amber", "Green"],
        ["L2", "Review the gender pay gap", "Green", "Amber"],
    ]


def test_cover_without_since_has_no_movements(example_cover):
    assert not any(h.startswith("Progress since") for h in headings(example_cover, 2))
    assert "Since the last report" not in all_text(example_cover)


def test_500_action_cover_has_the_plans_figures(plan_500, runner):
    """Issue 14, "Done when": a 500-action plan's cover report gives its figures, commas and all."""
    result = runner.invoke(cli, ["summary", str(plan_500.workbook), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["actions"] == 500
    ratings = _table(plan_500.cover, "Rating")
    assert {label: int(count) for label, count in ratings[1:-1]} == figures["by_rag"]
    assert ratings[-1] == ["Total", "500"]
    sections = _table(plan_500.cover, "Module")
    assert [int(row[-1]) for row in sections[1:-1]] == [s["actions"] for s in figures["by_section"]]
    assert sum(int(row[-1]) for row in sections[1:-1]) == 500
    text = all_text(plan_500.cover)
    assert (
        f"The plan holds 500 actions, of which {figures['complete']} are complete. As at 30 "
        f"November 2026, {figures['overdue']} are overdue and {figures['due_soon']} are due in "
        "the next 90 days." in text
    )
    plan_text = all_text(plan_500.docx)
    assert f"This plan holds 500 actions, of which {figures['complete']} are complete." in plan_text


def test_the_cover_says_how_many_are_withdrawn_as_the_plan_does(tmp_path):
    """The plan's summary counts withdrawn actions; the cover report's summary must too."""
    workbook = write_plan_workbook(
        tmp_path / "plan.xlsx",
        actions=[action_row(), action_row(ref="A2", action="Stopped.", status="Withdrawn")],
    )
    result = build(workbook, tmp_path / "out", cover=True)
    assert result.cover is not None, result.report.to_text()
    sentence = "2 actions, of which none are complete and 1 is withdrawn."
    assert f"This plan holds {sentence}" in all_text(result.docx)
    assert f"The plan holds {sentence}" in all_text(result.cover)
