"""A plan carried through three reports, as officers run the cycle (issue 12, "Done when").

Starting from the shipped example (today's template) and from the example as
an earlier template made it, each period is: build, `eqplan next-period`,
fill in the new workbook with openpyxl the way officers do (ratings up and
down, completions with and without a Completed on date, deadlines moved later
and earlier, actions added and removed, Refs deleted so actions must be
matched by their text), `eqplan compare`, then `eqplan build --since`. Every
output is opened and read back.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import headings as h
from pipeline.cli import cli
from pipeline.render.changes_xlsx import CHANGES_SHEET
from pipeline.workbook.layout import ACTIONS_SHEET
from tests.conftest import EXAMPLE, ROOT
from tests.render.helpers import action_rows, all_text, cell_text
from tests.render.html_helpers import html_tables, page, text_of, word_tables

OLD_TEMPLATE = ROOT / "tests" / "workbook" / "data" / "example-plan-before-issue-12.xlsx"
NBSP = "\u00a0"
EB23_TIDIED = (
    "Refresh member training, including inclusive leadership, before the May 2027 elections."
)
EB23_REWRITTEN = "Give every councillor a session on equality law and the Equality Duty in 2027."


@dataclass
class Period:
    """One report's workbook and the documents built from it."""

    workbook: Path
    out: Path

    @property
    def docx(self) -> Path:
        return self.out / f"{self.workbook.stem}.docx"

    @property
    def summary(self) -> Path:
        return self.out / f"{self.workbook.stem}-summary.xlsx"

    @property
    def html(self) -> Path:
        return self.out / f"{self.workbook.stem}.html"


def _ok(runner, args: list[object]):
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


# ----------------------------------------------------------------- filling in, as officers do


class Filling:
    """An Actions sheet opened with openpyxl, its cells found by Ref and heading."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.sheet = self.book[ACTIONS_SHEET]
        self.columns = {c.value: c.column for c in self.sheet[1] if c.value}

    def row_of(self, ref: str) -> int:
        for (cell,) in self.sheet.iter_rows(min_row=2, max_col=self.columns[h.REF]):
            if cell.value == ref:
                return cell.row
        raise AssertionError(f"no action {ref} in {self.path.name}")

    def ref_at_point_and_text(self, point: str, start: str) -> str:
        """The Ref next-period wrote for an action that had none: found by its point and words."""
        for row in range(2, self.sheet.max_row + 1):
            action = str(self.value(row, h.ACTION) or "")
            if str(self.value(row, h.POINT) or "").startswith(point) and action.startswith(start):
                return str(self.value(row, h.REF))
        raise AssertionError(f"no action at {point} starting {start!r}")

    def value(self, row: int, heading: str) -> object:
        return self.sheet.cell(row, self.columns[heading]).value

    def set(self, ref: str, **values: object) -> None:
        """Type values into an action's row, by heading (keyword: heading with _ for spaces)."""
        row = self.row_of(ref)
        for key, value in values.items():
            self.sheet.cell(row, self.columns[_heading(key)]).value = value

    def update(self, ref: str, text: str, day: dt.date, **values: object) -> None:
        """A progress update with its Last updated date, and any other cells."""
        self.set(ref, Progress_update=text, Last_updated=day, **values)

    def clear(self, ref: str) -> None:
        """Delete an action by emptying its row (the usual way: select the row, press Delete)."""
        row = self.row_of(ref)
        for column in self.columns.values():
            self.sheet.cell(row, column).value = None

    def delete_row(self, ref: str) -> None:
        """Delete an action's row outright (right-click, Delete row)."""
        self.sheet.delete_rows(self.row_of(ref))

    def add(self, **values: object) -> None:
        """A new action in the row under the last one."""
        row = 1 + max(r for r in range(1, self.sheet.max_row + 1) if not self._empty(r))
        for key, value in values.items():
            self.sheet.cell(row, self.columns[_heading(key)]).value = value

    def _empty(self, row: int) -> bool:
        return all(
            self.sheet.cell(row, self.columns[k]).value in (None, "")
            for k in (h.REF, h.ACTION, h.EVIDENCE)
        )

    def save(self) -> None:
        self.book.save(self.path)


def _heading(key: str) -> str:
    named = {
        "Ref": h.REF,
        "Point": h.POINT,
        "Action": h.ACTION,
        "Evidence": h.EVIDENCE,
        "Outcome": h.OUTCOME,
        "Deadline": h.DEADLINE,
        "Owner": h.OWNER,
        "RAG": h.RAG,
        "Status": h.STATUS,
        "Completed_on": h.COMPLETED_ON,
        "Last_updated": h.LAST_UPDATED,
        "Progress_update": h.PROGRESS,
    }
    return named[key]


def fill_second_period(path: Path) -> None:
    """The updates for the report of 28 February 2027 (compared with 30 November 2026)."""
    day = dt.date(2027, 2, 20)
    sheet = Filling(path)
    # Ratings up: Amber to Green with a deadline moved later (31/10/2026 to 31/01/2027: 92 days)
    sheet.update("EB02", "Police signed; network next.", day, RAG="Green",
                 Deadline=dt.date(2027, 1, 31))  # fmt: skip
    # ... Green to Complete, finished with its date
    sheet.update("EB05", "First quarterly report published.", day, RAG="Complete",
                 Status="Complete", Completed_on=dt.date(2027, 1, 20))  # fmt: skip
    # ... Red to Amber, the deadline now a month typed as words (30/09/2026 to Mar 2027)
    sheet.update("EB07", "Analysis started.", day, RAG="Amber", Deadline="Mar 2027")
    # ... Amber to Complete by its Status alone, no Completed on (two warnings, still counted)
    sheet.update("EB18", "All sessions held.", day, Status="Complete")
    # Ratings down: Amber to Red; Green to Amber with a deadline brought forward (28 days)
    sheet.update("EB03", "Staff networks asked for more time.", day, RAG="Red")
    sheet.update("EB09", "Trainer left; brought forward to January.", day, RAG="Amber",
                 Deadline=dt.date(2027, 1, 31))  # fmt: skip
    # Red to no rating: shown, but neither better nor worse
    sheet.set("EB26", RAG=None)
    # Refs deleted: EB10 as it was, EB23 with its wording tidied and rated higher
    sheet.set("EB10", Ref=None)
    sheet.update("EB23", "Programme agreed.", day, Ref=None, RAG="Green", Action=EB23_TIDIED)
    # Removed: one row emptied, one row deleted
    sheet.clear("EB31")
    sheet.delete_row("EB48")
    # New: one with a Ref, one without
    sheet.add(Ref="EB63", Point="5.1", Action="Run voter registration drives in the three "
              "wards with the lowest turnout.", Deadline="Jun 2027",
              Owner="Electoral Services Manager", RAG="Amber", Status="In progress")  # fmt: skip
    sheet.add(Point="9.1", Action="Report the equality indicators to the staff networks "
              "every quarter.", Deadline="Quarterly", Owner="Business Intelligence Team",
              RAG="Green", Status="Ongoing")  # fmt: skip
    sheet.save()


def fill_third_period(path: Path) -> dict[str, str]:
    """The updates for the report of 31 May 2027; returns the Refs next-period wrote."""
    day = dt.date(2027, 5, 20)
    sheet = Filling(path)
    made = {
        "EB10": sheet.ref_at_point_and_text("3.2", "Set up an older people's panel"),
        "EB23": sheet.ref_at_point_and_text("6.2", "Refresh member training"),
        "new": sheet.ref_at_point_and_text("9.1", "Report the equality indicators"),
    }
    assert all(ref.startswith(("3.2-", "6.2-", "9.1-")) for ref in made.values()), made
    # Up: Red to Amber; Green to Complete with its date; the new EB63 Amber to Green
    sheet.update("EB03", "Categories agreed.", day, RAG="Amber")
    sheet.update("EB02", "Agreement signed by all.", day, RAG="Complete", Status="Complete",
                 Completed_on=dt.date(2027, 4, 30))  # fmt: skip
    sheet.update("EB63", "Two drives held.", day, RAG="Green")
    # Down: Green to Red, deadline 31/03/2027 to 30/06/2027 (91 days later)
    sheet.update("EB01", "Data supplier delayed.", day, RAG="Red", Deadline=dt.date(2027, 6, 30))
    # Later, as a financial quarter: 26/02/2027 to Q1 2027/28 (30/06/2027, 124 days)
    sheet.set("EB57", Deadline="Q1 2027/28")
    # No rating back to Red: shown, neither better nor worse
    sheet.set("EB26", RAG="Red")
    # The action once EB23 is reworded: its Ref, written by next-period, still finds it
    sheet.set(made["EB23"], Action=EB23_REWRITTEN)
    # Ref deleted, same words: matched by text again
    sheet.set("EB14", Ref=None)
    # Removed: an action completed last time; new: one finished already
    sheet.delete_row("EB05")
    sheet.add(Ref="EB64", Point="14.2", Action="Publish the menopause policy.",
              Deadline=dt.date(2027, 5, 1), Owner="Head of HR", RAG="Complete",
              Status="Complete", Completed_on=dt.date(2027, 5, 1))  # fmt: skip
    sheet.save()
    return made


# --------------------------------------------------------------------------- the cycle


@pytest.fixture(scope="module", params=["today's template", "earlier template"])
def cycle(request, tmp_path_factory) -> dict[str, object]:
    """Three periods of the example, each built; what each step printed and wrote."""
    runner = CliRunner()
    folder = tmp_path_factory.mktemp("three-periods")
    start = EXAMPLE if request.param == "today's template" else OLD_TEMPLATE
    first = folder / "plan-2026-11.xlsx"
    first.write_bytes(start.read_bytes())
    periods = [Period(first, folder / "out-1")]
    _ok(runner, ["build", first, "-o", periods[0].out])

    second = Period(folder / "plan-2027-02.xlsx", folder / "out-2")
    moved = _ok(runner, ["next-period", first, "-o", second.workbook]).output
    fill_second_period(second.workbook)
    compared = [_ok(runner, ["compare", first, second.workbook, "--format", "json"]).stdout]
    _ok(runner, ["build", second.workbook, "--since", first, "-o", second.out, "--html"])
    periods.append(second)

    third = Period(folder / "plan-2027-05.xlsx", folder / "out-3")
    _ok(runner, ["next-period", second.workbook, "-o", third.workbook])
    made = fill_third_period(third.workbook)
    compared.append(
        _ok(runner, ["compare", second.workbook, third.workbook, "--format", "json"]).stdout
    )
    _ok(
        runner,
        ["build", third.workbook, "--since", second.workbook, "-o", third.out, "--html", "--cover"],
    )
    periods.append(third)
    return {
        "periods": periods,
        "json": [json.loads(text) for text in compared],
        "made": made,
        "moved": moved,
        "start": request.param,
    }


def _by_ref(data: dict) -> dict[str, dict]:
    return {a["ref"]: a for a in data["actions"]}


def _pick(action: dict, *keys: str) -> tuple:
    return tuple(action[k] for k in keys)


MOVE = ("change", "rag_from", "rag_to", "matched_by")


def test_next_period_moved_the_example_updates(cycle):
    first, second = (openpyxl.load_workbook(p.workbook) for p in cycle["periods"][:2])
    assert ("Progress log" in first.sheetnames) == (cycle["start"] == "today's template")
    assert "Progress log" in second.sheetnames  # the earlier template's workbook, upgraded
    assert h.STATUS in [c.value for c in second[ACTIONS_SHEET][1]]
    assert "Report date 30 November 2026 -> 28 February 2027" in cycle["moved"]
    assert "30 progress updates moved" in cycle["moved"]


def test_second_period_compare_json(cycle):
    data = cycle["json"][0]
    assert data["previous"] == {"report_date": "2026-11-30", "actions": 62}
    assert data["current"] == {"report_date": "2027-02-28", "actions": 62}
    assert data["counts"] == {
        "improved": 5, "worsened": 2, "unchanged": 53, "new": 2, "removed": 2,
        "completed": 2, "slipped": 2, "withdrawn": 0,
    }  # fmt: skip
    actions = _by_ref(data)
    assert len(data["actions"]) == 64  # 60 matched, 2 new, 2 removed: none dropped
    assert {a["change"] for a in data["actions"]} <= {
        "improved", "worsened", "unchanged", "new", "removed"
    }  # fmt: skip
    assert _pick(actions["EB02"], *MOVE, "deadline_from", "deadline_to", "slipped_days") == (
        "improved", "Amber", "Green", "ref", "31 October 2026", "31 January 2027", 92,
    )  # fmt: skip
    assert _pick(actions["EB05"], *MOVE, "status_to", "completed") == (
        "improved",
        "Green",
        "Complete",
        "ref",
        "Complete",
        True,
    )
    assert _pick(actions["EB07"], *MOVE, "deadline_to", "slipped_days") == (
        "improved",
        "Red",
        "Amber",
        "ref",
        "Mar 2027",
        182,
    )
    assert _pick(actions["EB18"], *MOVE, "status_to", "completed") == (
        "improved",
        "Amber",
        "Complete",
        "ref",
        "Complete",
        True,
    )
    assert _pick(actions["EB03"], *MOVE) == ("worsened", "Amber", "Red", "ref")
    assert _pick(actions["EB09"], *MOVE, "slipped_days") == (
        "worsened",
        "Green",
        "Amber",
        "ref",
        -28,
    )
    assert _pick(actions["EB26"], *MOVE) == ("unchanged", "Red", "Not rated", "ref")
    assert _pick(actions["EB31"], "change", "rag_from", "rag_to") == ("removed", "Not rated", None)
    assert _pick(actions["EB48"], "change", "rag_from", "rag_to") == ("removed", "Amber", None)
    assert _pick(actions["EB63"], "change", "rag_from", "rag_to", "matched_by") == (
        "new",
        None,
        "Amber",
        None,
    )
    by_text = {a["ref_from"]: a for a in data["actions"] if a["matched_by"] == "text"}
    assert sorted(by_text) == ["EB10", "EB23"]
    assert by_text["EB10"]["ref"].startswith("3.2-") and by_text["EB10"]["change"] == "unchanged"
    assert by_text["EB23"]["ref"].startswith("6.2-")
    assert _pick(by_text["EB23"], "change", "rag_from", "rag_to") == ("improved", "Amber", "Green")
    assert 0.8 <= by_text["EB23"]["similarity"] < 1
    new = [a for a in data["actions"] if a["change"] == "new"]
    assert [a["ref"][:4] for a in new] == ["EB63", "9.1-"]
    slipped = sorted(a["ref"] for a in data["actions"] if (a["slipped_days"] or 0) > 0)
    assert slipped == ["EB02", "EB07"]


def test_third_period_compare_json(cycle):
    data, made = cycle["json"][1], cycle["made"]
    assert data["previous"] == {"report_date": "2027-02-28", "actions": 62}
    assert data["current"] == {"report_date": "2027-05-31", "actions": 62}
    assert data["counts"] == {
        "improved": 3, "worsened": 1, "unchanged": 57, "new": 1, "removed": 1,
        "completed": 2, "slipped": 2, "withdrawn": 0,
    }  # fmt: skip
    actions = _by_ref(data)
    assert _pick(actions["EB02"], *MOVE, "completed") == (
        "improved",
        "Green",
        "Complete",
        "ref",
        True,
    )
    assert _pick(actions["EB03"], *MOVE) == ("improved", "Red", "Amber", "ref")
    assert _pick(actions["EB63"], *MOVE) == ("improved", "Amber", "Green", "ref")
    assert _pick(actions["EB01"], *MOVE, "slipped_days") == ("worsened", "Green", "Red", "ref", 91)
    assert _pick(actions["EB57"], "change", "deadline_to", "slipped_days") == (
        "unchanged",
        "Q1 2027/28",
        124,
    )
    assert _pick(actions["EB26"], *MOVE) == ("unchanged", "Not rated", "Red", "ref")
    assert _pick(actions["EB05"], "change", "rag_from") == ("removed", "Complete")
    assert _pick(actions["EB64"], "change", "rag_to", "completed") == ("new", "Complete", True)
    # The Refs next-period wrote for actions that had none are the officer's now: matched by Ref,
    # even where the wording was rewritten since.
    for ref in made.values():
        assert _pick(actions[ref], "change", "matched_by", "ref_from") == ("unchanged", "ref", ref)
    by_text = [a for a in data["actions"] if a["matched_by"] == "text"]
    assert [a["ref_from"] for a in by_text] == ["EB14"]
    assert by_text[0]["ref"].startswith("4.2-") and by_text[0]["similarity"] == 1.0


# ------------------------------------------------------------------- the plans built --since


def _section(path: Path) -> list[str]:
    """The paragraphs of the "Progress since the last report" section, heading first."""
    document = docx.Document(str(path))
    texts = [(p.style.name, p.text.replace(NBSP, " ")) for p in document.paragraphs]
    start = next(
        i
        for i, (style, text) in enumerate(texts)
        if style == "Heading 1" and text.startswith("Progress since the last report")
    )
    end = next(i for i in range(start + 1, len(texts)) if texts[i][0] == "Heading 1")
    return [text for _, text in texts[start:end]]


def _tables(path: Path) -> dict[str, list[list[str]]]:
    return {caption: rows for caption, rows in word_tables(path)}


def _rag_cell(path: Path, ref: str) -> str:
    for row in action_rows(path):
        if cell_text(row.cells[0]) == ref:
            return cell_text(row.cells[-1])
    raise AssertionError(f"no action row {ref}")


def test_second_plan_has_the_progress_section(cycle):
    plan = cycle["periods"][1]
    section = _section(plan.docx)
    assert section[0] == "Progress since the last report (30 November 2026)"
    document = docx.Document(str(plan.docx))
    heads = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert heads[heads.index("Summary of progress") + 1].startswith("Progress since the last")
    assert section[1] == (
        "Since the last report, 5 actions' ratings got better (from Red to Amber, for example), 2 got worse and 53 stayed the same (or had no "
        "rating in one of the reports). 2 actions became complete and 2 deadlines moved later. "
        "2 new actions were added and 2 actions were removed."
    )
    tables = _tables(plan.docx)
    movements = {row[0]: row[-1] for row in tables["Changes in rating"][1:]}
    made = cycle["made"]
    assert movements == {
        "EB02": "Amber to Green", "EB03": "Amber to Red", "EB05": "Green to Complete",
        "EB07": "Red to Amber", "EB09": "Green to Amber", "EB18": "Amber to Complete",
        made["EB23"]: "Amber to Green",
    }  # fmt: skip
    assert {row[0]: row[-1] for row in tables["Newly complete"][1:]} == {
        "EB05": "Green",
        "EB18": "Amber",
    }
    slipped = {row[0]: row[2:] for row in tables["Deadlines moved later"][1:]}
    assert slipped == {
        "EB02": [f"31{NBSP}October{NBSP}2026", f"31{NBSP}January{NBSP}2027", "92 days later"],
        "EB07": [f"30{NBSP}September{NBSP}2026", f"Mar{NBSP}2027", "182 days later"],
    }
    assert [row[0] for row in tables["New actions"][1:]] == ["EB63", made["new"]]
    assert [row[-1] for row in tables["New actions"][1:]] == ["Amber", "Green"]
    assert {row[0]: row[-1] for row in tables["Actions removed since the last report"][1:]} == {
        "EB31": "Not rated",
        "EB48": "Amber",
    }
    note = next(t for t in section if t.startswith("Some actions have no Ref"))
    assert f"{made['EB10']} (was EB10)" in note and f"{made['EB23']} (was EB23)" in note
    # Each action's row shows its rating at the last report, or that it is new
    assert _rag_cell(plan.docx, "EB02") == "Green\nWas: Amber"
    assert _rag_cell(plan.docx, "EB26") == "Not rated\nWas: Red"
    assert _rag_cell(plan.docx, "EB63") == "Amber\nNew since the last report"
    assert _rag_cell(plan.docx, "EB18") == "Complete\nWas: Amber"
    assert "EB31" not in [cell_text(r.cells[0]) for r in action_rows(plan.docx)]


def test_third_plan_has_the_progress_section(cycle):
    plan, made = cycle["periods"][2], cycle["made"]
    section = _section(plan.docx)
    assert section[0] == "Progress since the last report (28 February 2027)"
    assert section[1].startswith(
        "Since the last report, 3 actions' ratings got better (from Red to Amber, for example), 1 got worse and 57 stayed the same"
    )
    assert section[1].endswith(
        "2 actions became complete and 2 deadlines moved later. 1 new action was added and "
        "1 action was removed."
    )
    tables = _tables(plan.docx)
    movements = {row[0]: row[-1] for row in tables["Changes in rating"][1:]}
    assert movements == {
        "EB01": "Green to Red", "EB02": "Green to Complete", "EB03": "Red to Amber",
        "EB63": "Amber to Green",
    }  # fmt: skip
    assert [row[0] for row in tables["Newly complete"][1:]] == ["EB02", "EB64"]
    assert {row[0]: row[-1] for row in tables["Deadlines moved later"][1:]} == {
        "EB01": "91 days later",
        "EB57": "124 days later",
    }
    assert [row[0] for row in tables["New actions"][1:]] == ["EB64"]
    removed = tables["Actions removed since the last report"][1:]
    assert [(row[0], row[-1]) for row in removed] == [("EB05", "Complete")]
    note = next(t for t in section if t.startswith("Some actions have no Ref"))
    assert "(was EB14)" in note and made["EB23"] not in note
    assert _rag_cell(plan.docx, made["EB23"]) == "Green\nWas: Green"
    assert _rag_cell(plan.docx, "EB64") == "Complete\nNew since the last report"
    text = all_text(plan.docx)
    assert EB23_REWRITTEN in text
    cover = all_text(plan.out / f"{plan.workbook.stem}-cover-report.docx")
    assert section[1] in cover  # the cover report's summary of progress says the same
    assert "Progress since the last report (28 February 2027)" in cover


@pytest.mark.parametrize("period", [1, 2])
def test_summary_workbook_has_the_changes_sheet(cycle, period):
    plan, data = cycle["periods"][period], cycle["json"][period - 1]
    sheet = openpyxl.load_workbook(plan.summary)[CHANGES_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    listed = [dict(zip(header, r, strict=True)) for r in rows[1:] if r[header.index("Change")]]
    assert [(r[h.REF], r["Change"]) for r in listed] == [
        (a["ref"], a["change"]) for a in data["actions"]
    ]
    eb03 = next(r for r in listed if r[h.REF] == "EB03")
    assert (eb03["RAG was"], eb03["RAG now"]) == (
        ("Amber", "Red") if period == 1 else ("Red", "Amber")
    )


def test_first_plan_has_no_progress_section(cycle):
    plan = cycle["periods"][0]
    assert "Progress since the last report" not in all_text(plan.docx)


# ------------------------------------------------------------------------------ the web page


@pytest.mark.parametrize("period", [1, 2])
def test_web_page_has_the_same_progress_section_as_word(cycle, period):
    plan = cycle["periods"][period]
    root = page(plan.html)
    heading = next(e for e in root.iter("h2") if e.text_content().startswith("Progress since"))
    word = _section(plan.docx)
    assert heading.text_content().replace(NBSP, " ") == word[0]
    contents = [a.get("href") for a in root.iter("a")]
    assert f"#{heading.get('id')}" in contents  # the contents list leads to it
    section = heading.getparent()
    paragraphs = [text_of(p).replace(NBSP, " ") for p in section.iter("p")]
    assert paragraphs[0] == word[1]
    since_tables = {caption: rows for caption, rows in html_tables(section)}
    for caption, rows in _tables(plan.docx).items():
        if caption in since_tables:
            assert since_tables[caption] == rows, caption
    assert set(since_tables) >= {
        "Changes in rating", "Newly complete", "Deadlines moved later", "New actions",
        "Actions removed since the last report",
    }  # fmt: skip
    # each action's previous rating, as in Word
    word_rags = {cell_text(r.cells[0]): cell_text(r.cells[-1]) for r in action_rows(plan.docx)}
    html_rags = {
        row[0]: row[-1]
        for caption, rows in html_tables(root)
        if caption.startswith("Actions for ")
        for row in rows[1:]
    }
    assert html_rags == word_rags
    assert any("\nWas: " in rag for rag in html_rags.values())
