"""The Welsh summary workbook, cover report and PDF: fixed text from the catalogue, tags (issue 15)."""

from __future__ import annotations

import csv

import pikepdf
import pytest

from pipeline.build import build
from pipeline.headings import ACTION_FIELDS
from tests.conftest import EXAMPLE, read_only_workbook, require_soffice
from tests.render.helpers import all_text


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    out = tmp_path_factory.mktemp("cy")
    result = build(EXAMPLE, out, language="cy", cover=True, html=True, csv=True)
    assert result.report.valid
    return out


def test_the_welsh_summary_workbook_has_welsh_sheets_and_headings(welsh):
    with read_only_workbook(welsh / "example-plan-cy-summary.xlsx") as book:
        sheetnames = book.sheetnames
        first = [c.value for c in next(book["Fesul modiwl"].iter_rows(max_row=1))]
    assert sheetnames == [
        "Fesul modiwl",
        "Fesul perchennog",
        "Yn hwyr",
        "I'w gwblhau cyn bo hir",
        "Hunanasesiad",
        "Cwmpas",
        "Pob cam gweithredu",
    ]
    assert first == ["Modiwl", "Coch", "Ambr", "Gwyrdd", "Cwblhawyd", "Heb sgôr", "Cyfanswm"]


def test_the_welsh_cover_report_is_in_welsh(welsh):
    text = all_text(welsh / "example-plan-cy-cover-report.docx")
    for expected in ("Argymhellion", "Goblygiadau ariannol", "Crynodeb o'r cynnydd", "Atodiad 1"):
        assert expected in text
    for english in ("Recommendations", "Financial implications", "Summary of progress"):
        assert english not in text


@pytest.mark.libreoffice
def test_the_welsh_pdf_says_it_is_welsh(tmp_path):
    require_soffice()
    result = build(EXAMPLE, tmp_path, language="both", pdf=True)
    assert result.report.valid, result.notes
    with pikepdf.open(tmp_path / "example-plan-cy.pdf") as pdf:
        assert str(pdf.Root.Lang) == "cy-GB"
    with pikepdf.open(tmp_path / "example-plan-en.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en-GB"


def _first_column(path, heading: str) -> list[str]:
    """The first column of the Word table whose top-left cell is heading."""
    import docx

    for table in docx.Document(str(path)).tables:
        column = [cell.text for cell in table.columns[0].cells]
        if column[0] == heading:
            return column
    raise AssertionError(f"no table headed {heading!r} in {path.name}")


def test_the_welsh_counts_tables_name_sections_as_their_headings_do(welsh):
    """The council's Welsh section title, not its English, in every count."""
    for name in ("example-plan-cy.docx", "example-plan-cy-cover-report.docx"):
        rows = _first_column(welsh / name, "Modiwl")
        assert rows[1] == "1. Deall ein cymunedau a gweithio gyda nhw", rows
        assert rows[-1] == "Cyfanswm"
    with read_only_workbook(welsh / "example-plan-cy-summary.xlsx") as book:
        first_module = book["Fesul modiwl"]["A2"].value
        coverage = list(book["Cwmpas"].iter_rows(min_row=1, max_row=2, values_only=True))
    assert first_module == "1. Deall ein cymunedau a gweithio gyda nhw"
    assert coverage[1][0] == "1. Deall ein cymunedau a gweithio gyda nhw"
    assert "Overdue" not in coverage[0]


def test_the_english_counts_tables_keep_the_english_titles(tmp_path):
    build(EXAMPLE, tmp_path)
    rows = _first_column(tmp_path / "example-plan.docx", "Module")
    assert rows[1] == "1. Understanding and working with our communities"


def test_the_welsh_all_actions_sheet_says_module_dates_and_status_in_welsh(welsh):
    """Found reading the summary as a councillor: English module titles beside Welsh ones,
    `31 March 2027` as written beside `31 Mawrth 2027`, and `In progress` (the Changes
    sheet said `Ar waith`)."""
    with read_only_workbook(welsh / "example-plan-cy-summary.xlsx") as book:
        rows = list(book["Pob cam gweithredu"].iter_rows(values_only=True))
    heading = list(rows[0])
    eb01 = dict(zip(heading, next(r for r in rows if r[1] == "EB01"), strict=True))
    assert eb01["Modiwl"] == "1. Deall ein cymunedau a gweithio gyda nhw"
    assert eb01["Terfyn amser fel y'i hysgrifennwyd"] == eb01["Terfyn amser"] == "31 Mawrth 2027"
    assert eb01["Statws"] == "Ar waith"
    shown = {str(v) for r in rows[1:] for v in r if v}
    assert not shown & {"In progress", "Complete", "Not started", "Withdrawn"}
    assert not [v for v in shown if v.startswith("1. Understanding")]


def test_the_welsh_all_actions_sheet_names_each_kind_of_deadline_in_welsh(welsh, tmp_path):
    """Its Deadline kind column said `month`, `date`, `financial year` beside Welsh headings,
    Yes/No and ratings; the CSV keeps the values for dashboards, the English sheet too."""
    from pipeline.deadlines import DeadlineKind
    from pipeline.render.summary_xlsx import DEADLINE_KINDS

    assert set(DEADLINE_KINDS) == {kind.value for kind in DeadlineKind}
    with read_only_workbook(welsh / "example-plan-cy-summary.xlsx") as book:
        rows = list(book["Pob cam gweithredu"].iter_rows(values_only=True))
    column = list(rows[0]).index("Math o derfyn amser")
    kinds = {r[column] for r in rows[1:]}
    assert {"dyddiad", "mis"} <= kinds and not kinds & set(DEADLINE_KINDS)
    english = build(EXAMPLE, tmp_path, csv=True)
    with read_only_workbook(english.summary) as book:
        rows = list(book["All actions"].iter_rows(values_only=True))
    column = list(rows[0]).index("Deadline kind")
    assert {"date", "month"} <= {r[column] for r in rows[1:]}


def test_the_welsh_csv_keeps_english_headings_and_codes_for_dashboards(welsh):
    """README: the CSV's headings and RAG, Status and Yes/No words are English in every
    language; its text is the document's."""
    with (welsh / "example-plan-cy-actions.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(ACTION_FIELDS.values())
    rag, status = ACTION_FIELDS["rag"], ACTION_FIELDS["status"]
    assert {r[rag] for r in rows} <= {"Red", "Amber", "Green", "Complete", "Not rated"}
    assert "In progress" in {r[status] for r in rows}
    assert {r[ACTION_FIELDS["overdue"]] for r in rows} == {"Yes", "No"}
    assert any("Mawrth" in r[ACTION_FIELDS["deadline"]] for r in rows)  # written out in Welsh
