"""A Welsh build with --since, --history, --cover and --html: progress since the last report in Welsh."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.build import build
from tests.conftest import ROOT, action_row, read_only_workbook
from tests.welsh.test_welsh_plan import _is_council_text, _pieces
from tests.welsh.texts import council_texts

FRAMEWORK = ROOT / "pipeline" / "frameworks" / "eflg-2021.yaml"
SEPT = dt.date(2026, 9, 30)
#: Refs eqplan made (`1.2-PDSW`), lists of refs, cells (`Actions!C2`, `'Progress log'!C2`) and web addresses:
#: the same in both languages.
_REFS_OR_LINK = re.compile(
    r"^([A-Z0-9][A-Z0-9.-]*(, [A-Z0-9][A-Z0-9.-]*)*|(\w+|'[^']+')![A-Z]+[0-9]+|https?://\S+)$"
)


#: L1's action in Welsh, typed by the officer in the `Gap / action (Cymraeg)` column.
L1_WELSH = "Rhannu proffiliau wardiau gyda rheolwyr gwasanaethau."


def _welsh_action_for_l1(book) -> None:
    sheet = book["Actions"]
    column = sheet.max_column + 1
    sheet.cell(row=1, column=column).value = "Gap / action (Cymraeg)"
    sheet.cell(row=2, column=column).value = L1_WELSH


def _log(ref: str, update: str) -> dict[str, object]:
    return {"ref": ref, "date": dt.date(2026, 8, 31), "update": update, "rag": "Green"}


@pytest.fixture(scope="module")
def quarters(tmp_path_factory) -> dict[str, object]:
    """September and November plans with each kind of change, built as a pair with every option."""
    from tests.conftest import write_plan_workbook

    folder = tmp_path_factory.mktemp("since")
    before = write_plan_workbook(
        folder / "plan-september.xlsx",
        actions=[
            action_row(ref="L1", rag="Amber", deadline="Q3 2026"),
            action_row(ref="L2", rag="Green", action="Review the gender pay gap"),
            action_row(ref="", rag="Red", action="Publish the ward profiles"),
            action_row(ref="L4", rag="Red", action="Run staff survey"),
            action_row(ref="L5", rag="Amber", action="Old action we dropped"),
        ],
        plan={"report_date": SEPT},
        assessments={"1": ("Developing", "Achieving")},
    )
    after = write_plan_workbook(
        folder / "plan-november.xlsx",
        actions=[
            action_row(ref="L1", rag="Green", deadline="Dec 2026"),
            action_row(ref="L2", rag="Complete", action="Review the gender pay gap"),
            action_row(ref="", rag="Amber", action="Publish the ward profiles."),
            action_row(ref="L4", rag="Red", action="Run staff survey", deadline="Mar 2026"),
            action_row(ref="L9", rag="Amber", action="A new action"),
        ],
        assessments={"1": ("Achieving", "Achieving")},
        progress_log=[_log("L1", "Audit started.")],
        edit=_welsh_action_for_l1,
    )
    out = folder / "out"
    options = {"since": before, "history": True, "cover": True, "html": True}
    result = build(after, out, language="both", include_checks=True, **options)
    assert result.report.valid, result.report
    return {"out": out, "workbooks": (before, after)}


def _council_text(workbooks: tuple[Path, ...]) -> set[str]:
    """Every text the council or the framework wrote, in either workbook (and the names of
    its sheets: the appendix names the officer's sheets)."""
    return council_texts(workbooks, FRAMEWORK, sheet_names=True)


class _Text(HTMLParser):
    """The text pieces of an HTML page (each text node), leaving out the style sheet."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: set[str] = set()
        self._skip = False

    def handle_starttag(self, tag, attrs) -> None:
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag) -> None:
        self._skip = False

    def handle_data(self, data) -> None:
        text = " ".join(data.replace("\u00a0", " ").split())
        if text and not self._skip:
            self.pieces.add(text)


def _html_pieces(path: Path) -> set[str]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.pieces


def _sheet_pieces(path: Path, sheet: str) -> set[str]:
    with read_only_workbook(path) as book:
        return {
            " ".join(str(v).split())
            for row in book[sheet].iter_rows(values_only=True)
            for v in row
            if v is not None
        }


def _english_left(welsh: set[str], english: set[str], council: set[str]) -> list[str]:
    """English fixed text (not the council's words) that the Welsh version prints too."""
    fixed = {p for p in english if not _is_council_text(p, council) and not _REFS_OR_LINK.match(p)}
    assert len(fixed) > 5  # the comparison has teeth
    return sorted(fixed & welsh)


@pytest.mark.parametrize(
    "kind",
    ["plan-november-{}.docx", "plan-november-{}-cover-report.docx", "plan-november-{}.html"],
)
def test_a_welsh_build_with_since_prints_no_english_fixed_text(quarters, kind):
    out, council = quarters["out"], _council_text(quarters["workbooks"])
    read = _html_pieces if kind.endswith(".html") else _pieces
    welsh, english = read(out / kind.format("cy")), read(out / kind.format("en"))
    left = _english_left(welsh, english, council)
    assert not left, "\n".join(left)


def test_the_welsh_changes_sheet_prints_no_english_fixed_text(quarters):
    out, council = quarters["out"], _council_text(quarters["workbooks"])
    sheets = {"cy": "Newidiadau", "en": "Changes"}
    welsh, english = (
        _sheet_pieces(out / f"plan-november-{lang}-summary.xlsx", sheets[lang]) for lang in sheets
    )
    left = _english_left(welsh, english, council)
    assert not left, "\n".join(left)


def test_the_welsh_progress_section_says_what_moved_in_welsh(quarters):
    welsh = _pieces(quarters["out"] / "plan-november-cy.docx")
    assert "Cynnydd ers yr adroddiad diwethaf (30 Medi 2026)" in welsh
    assert "Ambr, bellach Gwyrdd" in welsh
    assert any(p.startswith("Cynt: ") for p in welsh)
    assert any(re.match(r"Ers yr adroddiad diwethaf, ", p) for p in welsh)
    english = _pieces(quarters["out"] / "plan-november-en.docx")
    assert "Amber to Green" in english and "Progress since the last report (30 September 2026)" in (
        english
    )


def test_the_welsh_appendix_of_data_checks_is_in_welsh(quarters):
    """Validation words its messages in English; the Welsh plan's appendix has them in Welsh."""
    welsh = " ".join(_pieces(quarters["out"] / "plan-november-cy.docx"))
    english = " ".join(_pieces(quarters["out"] / "plan-november-en.docx"))
    # the checks of the Welsh text are the Welsh plan's only (test_welsh_both.py)
    assert "cells with English but no Welsh" not in english + welsh
    assert "No actions or evidence for" in english and "No actions or evidence for" not in welsh


def test_the_welsh_progress_section_prints_the_officers_welsh_action(quarters):
    """The action typed in Welsh is what the Welsh changes print, in the plan and the workbook."""
    out = quarters["out"]
    welsh = _pieces(out / "plan-november-cy.docx")
    assert L1_WELSH in welsh
    assert L1_WELSH in _sheet_pieces(out / "plan-november-cy-summary.xlsx", "Newidiadau")
    assert L1_WELSH not in _sheet_pieces(out / "plan-november-en-summary.xlsx", "Changes")
    assert "Share ward profiles with service managers." in _pieces(out / "plan-november-en.docx")
