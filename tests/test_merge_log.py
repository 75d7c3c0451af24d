"""The Progress log across merges: each update once, dated and rated as reported.

Found by running a year of quarterly cycles as a data officer would: an owner's workbook
saved twice under two names logged its updates twice (and the older save set Last
updated); an update on a row the owner added was never logged; a rating corrected after
its update was logged stayed wrong in the history; a Ref typed on an added row that was
another action's was replaced without a word.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.validate import validate_workbook
from tests.conftest import EXAMPLE
from tests.test_returns import COLUMNS, HR, _merge, _return

LD = "Learning-and-Development-Team.xlsx"


def _saved(path: Path, day: dt.date, at: str = "10:00:00Z") -> Path:
    """path as if last saved on day (the date merge gives an owner's updates), at the time
    given (as document properties record it, in UTC)."""
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    core = parts["docProps/core.xml"].decode()
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", rf"\g<1>{day.isoformat()}T{at}", core)
    parts["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def _log(path: Path, ref: str) -> list[tuple]:
    plan = validate_workbook(path).plan
    return [
        (e.date, e.update, e.rag.label if e.rag else None, e.by)
        for e in plan.progress_log
        if e.ref == ref
    ]


def _add_row(path: Path, point: str, action: str, **values: object) -> None:
    book = openpyxl.load_workbook(path)
    ws = book["Actions"]
    row = next(r for r in range(2, ws.max_row + 2) if not ws.cell(r, 4).value)
    ws.cell(row, COLUMNS.index("point") + 1).value = point
    ws.cell(row, COLUMNS.index("action") + 1).value = action
    ws.cell(row, COLUMNS.index("deadline") + 1).value = "31/03/2028"
    for key, value in values.items():
        ws.cell(row, COLUMNS.index(key) + 1).value = value
    book.save(path)


def test_one_update_in_two_saves_is_logged_once_dated_the_later(sent, tmp_path):
    first = _return(sent, tmp_path, HR, EB48={"progress": "Mentors recruited: 12."})
    _saved(first, dt.date(2027, 2, 12))
    second = tmp_path / "Human-Resources-and-OD v2.xlsx"
    shutil.copy(first, second)
    book = openpyxl.load_workbook(second)
    ws = book["Actions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "EB47")
    ws.cell(row, COLUMNS.index("progress") + 1).value = "Policy agreed."
    book.save(second)
    _saved(second, dt.date(2027, 2, 14))
    result, _report, merged = _merge(tmp_path, first, second)
    assert result.exit_code == 0, result.output
    assert [entry for entry in _log(merged, "EB48") if entry[1] == "Mentors recruited: 12."] == [
        (dt.date(2027, 2, 14), "Mentors recruited: 12.", "Amber", "Human Resources and OD")
    ]
    eb48 = next(a for a in validate_workbook(merged).plan.actions if a.ref == "EB48")
    assert eb48.last_updated == dt.date(2027, 2, 14)


def test_a_rating_corrected_later_is_corrected_on_the_logged_update(sent, tmp_path):
    """The first return's RAG has a typing error (not applied); the owner's corrected
    return, merged into the merged plan, sets Red: the update's log entry says Red too."""
    words = "Completion 80%."
    typo = _return(sent, tmp_path, LD, EB57={"progress": words, "rag": "Amberr"})
    result, _report, merged = _merge(tmp_path, typo)
    assert [(u, rag) for _d, u, rag, _b in _log(merged, "EB57") if u == words] == [(words, "Amber")]
    fixed_folder = tmp_path / "fixed"
    fixed_folder.mkdir()
    fixed = _return(sent, fixed_folder, LD, EB57={"progress": words, "rag": "Red"})
    result, _report, again = _merge(fixed_folder, fixed, plan=merged)
    assert result.exit_code == 0, result.output
    assert [(u, rag) for _d, u, rag, _b in _log(again, "EB57") if u == words] == [(words, "Red")]


def test_an_update_on_an_added_row_is_logged_on_its_save_date(sent, tmp_path):
    path = _return(sent, tmp_path, HR)
    _add_row(path, "4.1", "Easy read versions of HR policies.", progress="Supplier booked.")
    _saved(path, dt.date(2027, 2, 20))
    result, report, merged = _merge(tmp_path, path)
    assert result.exit_code == 0, result.output
    (new,) = report["new"]
    assert _log(merged, new["ref"]) == [
        (dt.date(2027, 2, 20), "Supplier booked.", None, "Human Resources and OD")
    ]
    added = next(a for a in validate_workbook(merged).plan.actions if a.ref == new["ref"])
    assert added.last_updated == dt.date(2027, 2, 20)
    later = tmp_path / "next.xlsx"
    moved = CliRunner().invoke(cli, ["next-period", str(merged), "-o", str(later)])
    assert moved.exit_code == 0, moved.output
    assert [u for _d, u, _r, _b in _log(later, new["ref"])] == ["Supplier booked."]  # once


def test_a_typed_ref_that_is_another_actions_is_replaced_and_said(sent, tmp_path):
    path = _return(sent, tmp_path, HR)
    _add_row(path, "4.1", "Exit interviews include equality questions.", ref="EB05")
    _add_row(path, "4.2", "Publish the pay gap by ethnicity.", ref="NEW1")
    result, report, merged = _merge(tmp_path, path)
    assert result.exit_code == 0, result.output
    clash, kept = report["new"]
    assert clash["typed_ref"] == "EB05" and clash["ref"] != "EB05"
    assert kept["typed_ref"] is None and kept["ref"] == "NEW1"
    text = CliRunner().invoke(
        cli, ["merge", str(EXAMPLE), str(path), "-o", str(tmp_path / "t.xlsx")]
    )
    assert (
        f"The Ref EB05 typed in it is already another action's, so it has the Ref {clash['ref']}."
        in text.output
    )
    note = openpyxl.load_workbook(merged)["Actions"].cell(clash["row"], 1).comment.text
    assert "The Ref EB05 typed in it is already another action's" in note


def test_next_period_logs_the_rating_reported_with_a_merged_update(sent, tmp_path):
    """A conflict settled by the officer after the merge: the log keeps what was reported."""
    path = _return(sent, tmp_path, HR, EB48={"progress": "Scheme paused.", "rag": "Amber"})
    _result, _report, merged = _merge(tmp_path, path)
    book = openpyxl.load_workbook(merged)
    ws = book["Actions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "EB48")
    ws.cell(row, COLUMNS.index("rag") + 1).value = "Red"
    book.save(merged)
    later = tmp_path / "next.xlsx"
    assert CliRunner().invoke(cli, ["next-period", str(merged), "-o", str(later)]).exit_code == 0
    assert [(u, rag) for _d, u, rag, _b in _log(later, "EB48") if u == "Scheme paused."] == [
        ("Scheme paused.", "Red")
    ]


def test_an_update_replaced_before_it_was_logged_goes_on_the_log_once(sent, tmp_path):
    """The plan's own updates (typed in, or a plan combined mid-year) were not on the log
    yet: a return's new update replaced them and, without Welsh beside them, they were lost.
    Each now goes on the log as next-period would have put it, and next-period adds none
    again: EB32 has no Last updated (dated the report date, but not after the new update),
    EB06 has one and no Welsh, EB01 has Welsh."""
    bit, policy = "Business-Intelligence-Team.xlsx", "Corporate-Policy-and-Equalities-Team.xlsx"
    day = dt.date(2026, 11, 25)
    updates = {"EB01": {"progress": "All 20 wards done."}, "EB32": {"progress": "All six."}}
    returned = [
        _saved(_return(sent, tmp_path, bit, **updates), day),
        _saved(_return(sent, tmp_path, policy, EB06={"progress": "Used for every proposal."}), day),
    ]
    result, _report, merged = _merge(tmp_path, *returned)
    assert result.exit_code == 0, result.output
    old = {a.ref: a for a in validate_workbook(EXAMPLE).plan.actions}
    later = tmp_path / "next.xlsx"
    moved = CliRunner().invoke(cli, ["next-period", str(merged), "-o", str(later)])
    assert moved.exit_code == 0, moved.output
    for path in (merged, later):
        assert _log(path, "EB32") == [
            (day, old["EB32"].progress, "Amber", "Business Intelligence Team"),
            (day, "All six.", "Amber", "Business Intelligence Team"),
        ]
        assert _log(path, "EB06") == [
            (dt.date(2026, 11, 5), old["EB06"].progress, "Amber", old["EB06"].owner),
            (day, "Used for every proposal.", "Amber", old["EB06"].owner),
        ]
        eb01 = [e for e in validate_workbook(path).plan.progress_log if e.ref == "EB01"]
        assert [(e.date, e.update) for e in eb01 if e.update == old["EB01"].progress] == [
            (dt.date(2026, 11, 18), old["EB01"].progress)
        ]
    assert validate_workbook(merged).plan.progress_log[-4].status.label == "Ongoing"
