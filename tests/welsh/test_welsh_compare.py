"""`eqplan compare` and `eqplan summary` in Welsh (issue 15): the text, the Word document, the workbook.

Two reports of the shipped example (which has some of the council's Welsh) are compared
with --language cy and both; the files are opened and read back. English fixed text found
in the English changes document must not appear in the Welsh one, while the council's own
words (and its Welsh) do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from pipeline.cli import cli
from tests.conftest import EXAMPLE, ROOT, read_only_workbook
from tests.end_to_end.test_cycle_three_periods import fill_second_period
from tests.welsh.test_welsh_plan import _pieces
from tests.welsh.test_welsh_since import _council_text, _english_left

W_LANG = qn("w:lang")
FRAMEWORK = ROOT / "pipeline" / "frameworks" / "eflg-2021.yaml"
NEXT_REPORT = dt.date(2027, 2, 28)
#: The council's Welsh in the example: the plan's title and a section's title.
WELSH_TITLE = "Cynllun Gweithredu Cydraddoldeb, Amrywiaeth a Chynhwysiant 2026 i 2029"
WELSH_SECTION = "1. Deall ein cymunedau a gweithio gyda nhw"
#: An action the council wrote in Welsh, and one it did not (printed in English), both among
#: the changes between the two reports.
WELSH_ACTION = "Cytuno ar un set o gategorïau monitro ar gyfer holl ffurflenni'r cyngor."
ENGLISH_ACTION = "Run voter registration drives in the three wards with the lowest turnout."


def _run(*args: object) -> tuple[str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout, result.stderr


def _run_text(run) -> str:
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def _set_report_date(path: Path, day: dt.date) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "Report date")
    row[1].value = day
    book.save(path)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, object]:
    """November (the example) and February (the example moved on a quarter), compared."""
    folder = tmp_path_factory.mktemp("compare")
    before, after = folder / "plan-november.xlsx", folder / "plan-february.xlsx"
    shutil.copy(EXAMPLE, before)
    shutil.copy(EXAMPLE, after)  # a copy keeps the council's Welsh columns
    _set_report_date(after, NEXT_REPORT)
    fill_second_period(after)
    found: dict[str, object] = {"before": before, "after": after, "folder": folder}
    for language in ("en", "cy", "both"):
        out = folder / language
        found[language] = (out, *_run("compare", before, after, "-o", out, "--language", language))
    return found


def _docx(reports, language: str) -> Path:
    return reports["both"][0] / f"plan-february-{language}-changes.docx"


def _xlsx(reports, language: str) -> Path:
    return reports["both"][0] / f"plan-february-{language}-changes.xlsx"


def _book_pieces(path: Path) -> set[str]:
    """Every sheet name and cell of a workbook, spaces tidied."""
    with read_only_workbook(path) as book:
        found = set(book.sheetnames)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                found.update(" ".join(str(v).split()) for v in row if v is not None)
    return found


def test_both_writes_the_welsh_pair_first_then_the_english(reports):
    out, stdout, _stderr = reports["both"]
    names = ["plan-february-cy-changes.docx", "plan-february-cy-changes.xlsx",
             "plan-february-en-changes.docx", "plan-february-en-changes.xlsx"]  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == names
    said = [line for line in stdout.splitlines() if line.startswith("Ysgrifennwyd ")]
    wrote = [line.rsplit("/", 1)[-1] for line in said]  # said in the first language, Welsh
    assert wrote == names


def test_cy_writes_the_welsh_pair_named_like_build(reports):
    out = reports["cy"][0]
    assert sorted(p.name for p in out.iterdir()) == [
        "plan-february-cy-changes.docx",
        "plan-february-cy-changes.xlsx",
    ]
    assert sorted(p.name for p in reports["en"][0].iterdir()) == [
        "plan-february-changes.docx",
        "plan-february-changes.xlsx",
    ]


def test_the_welsh_changes_document_prints_no_english_fixed_text(reports):
    council = _council_text((reports["before"], reports["after"]))
    welsh, english = _pieces(_docx(reports, "cy")), _pieces(_docx(reports, "en"))
    left = _english_left(welsh, english, council)
    assert not left, "\n".join(left)
    assert "Changes in rating" in english and "Newidiadau i'r sgôr" in welsh
    # The council's own words stay: owners as typed, and its Welsh where it wrote some.
    assert "Business Intelligence Team" in welsh
    heading = f"Example Borough Council: {WELSH_TITLE}: "
    assert any(p.startswith(heading) for p in welsh)
    assert not any(WELSH_TITLE in p for p in english)


def test_the_welsh_changes_workbook_prints_no_english_fixed_text(reports):
    council = _council_text((reports["before"], reports["after"]))
    welsh, english = _book_pieces(_xlsx(reports, "cy")), _book_pieces(_xlsx(reports, "en"))
    left = _english_left(welsh, english, council)
    assert not left, "\n".join(left)
    with read_only_workbook(_xlsx(reports, "cy")) as book:
        sheetnames = book.sheetnames
        counts = list(book["Niferoedd"].iter_rows(max_row=2, values_only=True))
    assert sheetnames == ["Niferoedd", "Newidiadau", "Newidiadau i'r hunanasesiad"]
    assert counts == [("Ers yr adroddiad diwethaf", "Camau gweithredu"), ("Gwell", 5)]
    assert "Business Intelligence Team" in welsh


def test_the_welsh_document_is_tagged_cy_gb_and_the_english_it_prints_en_gb(reports):
    path = _docx(reports, "cy")
    document = docx.Document(str(path))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{W_LANG}").get(qn("w:val")) == "cy-GB"
    assert document.core_properties.language == "cy-GB"
    runs = list(document.element.body.iter(qn("w:r")))
    assert len(runs) > 300
    tagged = [(r.find(f"{qn('w:rPr')}/{W_LANG}").get(qn("w:val")), _run_text(r)) for r in runs]
    assert {tag for tag, _text in tagged} == {"cy-GB", "en-GB"}
    english_runs = {text for tag, text in tagged if tag == "en-GB"}
    # The English it prints where no Welsh was given (WCAG 3.1.2): an action without Welsh,
    # deadlines typed in English words, the framework's theme titles (it has no Welsh for them).
    assert ENGLISH_ACTION in english_runs and "1 Collecting and sharing information" in english_runs
    assert {"Q3 2027", "TBC", "Ongoing"} <= english_runs
    welsh_runs = {text for tag, text in tagged if tag == "cy-GB"}
    assert WELSH_ACTION in welsh_runs and "Newidiadau i'r sgôr" in welsh_runs
    assert not any(WELSH_TITLE in text or "Tachwedd" in text for text in english_runs)
    with zipfile.ZipFile(path) as archive:
        assert b"en-GB" not in archive.read("word/styles.xml")
    english = docx.Document(str(_docx(reports, "en")))
    assert english.core_properties.language == "en-GB"
    defaults = english.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{W_LANG}").get(qn("w:val")) == "en-GB"


def test_welsh_dates_have_welsh_month_names(reports):
    welsh = _pieces(_docx(reports, "cy"))
    assert "Cynnydd ers yr adroddiad diwethaf (30 Tachwedd 2026)" in welsh
    assert "Sefyllfa ar 28 Chwefror 2027, o'i chymharu â'r adroddiad ar 30 Tachwedd 2026." in welsh
    assert "31 Ionawr 2027" in welsh  # EB02's deadline, a date in the cell, moved later
    assert not any("January" in p or "November" in p for p in welsh)
    cells = _book_pieces(_xlsx(reports, "cy"))
    assert "31 Ionawr 2027" in cells and "O'i gymharu â'r adroddiad ar 30 Tachwedd 2026." in cells


def test_the_compare_report_is_printed_in_welsh(reports):
    welsh, english = reports["cy"][1], reports["en"][1]
    assert welsh.startswith("Cynnydd ers yr adroddiad diwethaf (30 Tachwedd 2026)\nBlaenorol: ")
    assert "Presennol: " in welsh and "(62 cam gweithredu)" in welsh
    assert "Ambr, bellach Gwyrdd" in welsh and "31 Hydref 2026, bellach 31 Ionawr 2027" in welsh
    header = next(line for line in welsh.splitlines() if line.startswith("Cyf."))
    assert header.split() == ["Cyf.", "Newid", "Sgôr", "RAG", "Statws", "Terfyn", "amser",
                              "Diwrnodau", "yn", "hwyrach", "Perchennog"]  # fmt: skip
    assert "Hunanasesiad" in welsh and "Lefel flaenorol" in welsh
    assert "\nYsgrifennwyd " in welsh and "\nWrote " in english  # the changes files written
    for words in ("Previous:", "Current:", "Days later", "Level was", "to Green", "improved",
                  "Wrote"):  # fmt: skip
        assert words in english and words not in welsh, words


def test_both_prints_the_welsh_report_then_the_english(reports):
    both = reports["both"][1]
    welsh = both.index("Cynnydd ers yr adroddiad diwethaf (30 Tachwedd 2026)")
    english = both.index("Progress since the last report (30 November 2026)")
    assert welsh == 0 < english
    assert both[:english].rstrip("\n") == reports["cy"][1].split("\nYsgrifennwyd ")[0].rstrip("\n")


def test_compare_json_is_the_same_in_every_language(reports):
    before, after = reports["before"], reports["after"]
    shown = {
        language: _run("compare", before, after, "--format", "json", "--language", language)[0]
        for language in ("en", "cy", "both")
    }
    assert shown["cy"] == shown["en"] == shown["both"]
    assert json.loads(shown["cy"])["actions"][1]["change"] == "improved"


def test_summary_is_printed_in_welsh():
    welsh = _run("summary", EXAMPLE, "--language", "cy")[0]
    lines = welsh.splitlines()
    assert lines[0] == f"Example Borough Council: {WELSH_TITLE}"
    assert lines[1:6] == [
        "Sefyllfa ar 30 Tachwedd 2026.",
        "Camau gweithredu: 62",
        "Cwblhawyd: 5",
        "Yn hwyr: 7",
        "I'w cwblhau yn ystod y 90 diwrnod nesaf: 13",
    ]
    header = next(line for line in lines if line.startswith("Modiwl"))
    assert header.split() == ["Modiwl", "Coch", "Ambr", "Gwyrdd", "Cwblhawyd", "Heb", "sgôr",
                              "Cyfanswm"]  # fmt: skip
    assert any(line.startswith(WELSH_SECTION) for line in lines)
    assert any(line.startswith("Cyfanswm ") for line in lines)
    assert any(line.split()[:3] == ["Perchennog", "Camau", "gweithredu"] for line in lines)
    assert any(line.startswith("Llinyn ") for line in lines)
    for words in ("Position as at", "Actions:", "Due in the next", "Section", "Total", "Owner"):
        assert words not in welsh, words


def test_summary_both_is_welsh_then_english_and_its_warnings_note_welsh(reports):
    result = CliRunner().invoke(cli, ["summary", str(EXAMPLE), "--language", "both"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("Sefyllfa ar 30 Tachwedd 2026.") < out.index(
        "Position as at 30 November 2026."
    )
    assert f"rhedwch 'eqplan validate {EXAMPLE} --language both' i'w gweld." in result.stderr


def test_summary_counts_the_warnings_validate_counts_in_that_language():
    """The Welsh checks (WELSH_TEXT_MISSING ...) count in a Welsh summary, as in validate."""
    for language in ("en", "cy"):
        checked = CliRunner().invoke(cli, ["validate", str(EXAMPLE), "--language", language])
        count = re.search(r"(\d+) (?:warnings|rhybudd)", checked.output).group(1)
        summary = CliRunner().invoke(cli, ["summary", str(EXAMPLE), "--language", language])
        assert summary.exit_code == 0, summary.output
        assert summary.stderr.strip().startswith(f"{count} "), (language, summary.stderr)


def test_summary_since_in_welsh_says_what_moved_in_welsh(reports):
    welsh = _run("summary", reports["after"], "--since", reports["before"], "--language", "cy")[0]
    assert "Cynnydd ers yr adroddiad diwethaf (30 Tachwedd 2026)" in welsh
    assert "Ers yr adroddiad diwethaf, gwellodd sgôr 5 cam gweithredu" in welsh
    assert "Statws" in welsh and "Heb ei nodi" in welsh and "Not given" not in welsh


def test_summary_json_is_the_same_in_every_language(reports):
    args = ["summary", reports["after"], "--since", reports["before"], "--format", "json"]
    shown = {language: _run(*args, "--language", language)[0] for language in ("en", "cy", "both")}
    assert shown["cy"] == shown["en"] == shown["both"]
    assert json.loads(shown["cy"])["by_section"][0]["title"].startswith("Understanding")


def test_the_welsh_self_assessment_changes_give_the_frameworks_welsh_theme_titles(
    reports, tmp_path
):
    """A framework file with Welsh theme titles (title_cy): the Welsh changes print them."""
    framework = tmp_path / "eflg-2021-cy.yaml"
    english = "    title: Collecting and sharing information\n"
    text = FRAMEWORK.read_text(encoding="utf-8")
    assert text.count(english) == 1
    framework.write_text(
        text.replace(english, english + "    title_cy: Casglu a rhannu gwybodaeth\n"),
        encoding="utf-8",
    )
    before, after = reports["before"], reports["after"]
    out = tmp_path / "out"
    args = ["compare", before, after, "--framework", framework, "-o", out, "--language", "both"]
    welsh, _stderr = _run(*args)
    assert any(line.startswith("1 Casglu a rhannu gwybodaeth ") for line in welsh.splitlines())
    assert "1 Casglu a rhannu gwybodaeth" in _pieces(out / "plan-february-cy-changes.docx")
    assert "1 Collecting and sharing information" in _pieces(out / "plan-february-en-changes.docx")
    with read_only_workbook(out / "plan-february-cy-changes.xlsx") as book:
        assessment = book["Newidiadau i'r hunanasesiad"]["A2"].value
    assert assessment == "1 Casglu a rhannu gwybodaeth"
