"""A corrected update takes the place of the Progress log entry its earlier version made.

HR's return said "Mentoring pilot runing with 12 pairs." and was merged; HR corrected the
typing error and sent the return again. The corrected version is compared with the earlier
one (test_merge_corrected.py), so only the update is applied; but the log kept the first,
mistyped update as a dated entry and gained the corrected one as a second, so the plan's
history said HR reported twice. The corrected words now replace that entry, in its place;
an entry the officer has edited since, or one another return gave too, is left alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from pipeline.workbook import layout
from tests.test_merge_again import _actions, _edit
from tests.test_merge_conflicts import HR, HR_GROUP, LD, LD_GROUP, _return, joint_plan
from tests.test_merge_log import _saved
from tests.test_returns import _merge

TYPO = "Mentoring pilot runing with 12 pairs."
FIXED = "Mentoring pilot running with 12 pairs."
#: EB48's update in the plan sent, moved onto the log by the first merge.
SENT_UPDATE = "Pilot launched in November after a delay in matching mentors."
FIRST_DAY, SECOND_DAY = dt.date(2026, 11, 25), dt.date(2026, 11, 27)


def _sheet(path: Path, name: str) -> list[dict]:
    """A sheet of the merged workbook as the officer reads it: each row by its headings."""
    book = openpyxl.load_workbook(path)
    try:
        sheet = book[name]
        head = [cell.value for cell in sheet[1]]
        return [dict(zip(head, row, strict=False)) for row in sheet.iter_rows(2, values_only=True)]
    finally:
        book.close()


def _log_rows(path: Path, ref: str) -> list[tuple]:
    """The Progress log rows of ref: Date, Update, RAG, By."""
    return [
        (_day(r["Date"]), r["Update"], r["RAG"], r["By"])
        for r in _sheet(path, layout.PROGRESS_LOG_SHEET)
        if r["Ref"] == ref
    ]


def _day(value: object) -> object:
    return value.date() if isinstance(value, dt.datetime) else value


def _merged(folder: Path, returned: Path, plan: Path) -> tuple[dict, Path]:
    folder.mkdir(exist_ok=True)
    result, report, merged = _merge(folder, returned, plan=plan)
    assert result.exit_code == 0, result.output
    return report, merged


def _first_merge(tmp_path: Path, **eb48: object) -> tuple[dict, Path, Path]:
    """The joint plan, and HR's return (EB48's update mistyped, with eb48) merged into it."""
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, FIRST_DAY, EB48={"progress": TYPO, **eb48})
    _report, merged = _merged(tmp_path / "first", returned, joint["plan"])
    assert _log_rows(merged, "EB48")[-1] == (FIRST_DAY, TYPO, "Amber", HR_GROUP)
    return joint, returned, merged


def _corrected(tmp_path: Path, returned: Path, **corrections: dict) -> Path:
    """HR's return again, corrected, saved on SECOND_DAY (the same file name, as sent)."""
    folder = tmp_path / "second"
    folder.mkdir(exist_ok=True)
    return _saved(_edit(returned, folder / HR, **corrections), SECOND_DAY)


def test_the_corrected_update_replaces_the_entry_its_earlier_version_made(tmp_path):
    _joint, returned, merged = _first_merge(tmp_path)
    before = _log_rows(merged, "EB48")
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": FIXED}), merged
    )
    assert report["returns"][0]["compared_with"] == "earlier_version"
    assert report["updated"] == [{"ref": "EB48", "fields": ["Progress update"], "file": HR}]
    # One entry from HR, where the mistyped one was, dated the corrected version's save.
    assert _log_rows(again, "EB48") == [*before[:-1], (SECOND_DAY, FIXED, "Amber", HR_GROUP)]
    assert (FIRST_DAY, SENT_UPDATE) in [r[:2] for r in before]
    action = _actions(again)["EB48"]
    assert action.progress == FIXED and action.last_updated == SECOND_DAY
    # Every other action's log is as the first merge left it.
    assert _log_rows(again, "EB60") == _log_rows(merged, "EB60")


def test_a_correction_that_also_changes_the_rag_rates_the_one_entry(tmp_path):
    _joint, returned, merged = _first_merge(tmp_path)
    before = _log_rows(merged, "EB48")
    corrected = _corrected(tmp_path, returned, EB48={"progress": FIXED, "rag": "Green"})
    report, again = _merged(tmp_path / "out", corrected, merged)
    assert report["updated"] == [{"ref": "EB48", "fields": ["RAG", "Progress update"], "file": HR}]
    assert _log_rows(again, "EB48") == [*before[:-1], (SECOND_DAY, FIXED, "Green", HR_GROUP)]
    assert _actions(again)["EB48"].rag.label == "Green"


def test_an_entry_the_officer_edited_since_is_kept(tmp_path):
    """The officer typed their own words over the logged update: theirs stays, the
    corrected update gets an entry of its own, and the mistyped words are not logged again."""
    _joint, returned, merged = _first_merge(tmp_path)
    officer = tmp_path / "officer.xlsx"
    book = openpyxl.load_workbook(merged)
    sheet = book[layout.PROGRESS_LOG_SHEET]
    typo_row = next(r for r in sheet.iter_rows(2) if r[2].value == TYPO)
    typo_row[2].value = edited = "Mentoring pilot running with 12 pairs (checked with HR)."
    book.save(officer)
    before = _log_rows(officer, "EB48")
    _report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": FIXED}), officer
    )
    after = _log_rows(again, "EB48")
    assert after == [*before, (SECOND_DAY, FIXED, "Amber", HR_GROUP)]
    assert (FIRST_DAY, edited, "Amber", HR_GROUP) in after
    assert TYPO not in [r[1] for r in after]


def test_a_correction_of_a_joint_update_leaves_the_other_owners_entry(tmp_path):
    """HR and L&D both returned EB60's mistyped update (one entry naming both); HR corrects
    it: L&D's entry stays, naming L&D alone, and HR's corrected update has its own."""
    joint = joint_plan(tmp_path)
    typo, fixed = "Trainer off sick: 28 trianed.", "Trainer off sick: 28 trained."
    hr = _return(joint, tmp_path, HR, FIRST_DAY, EB60={"progress": typo})
    ld = _return(joint, tmp_path, LD, FIRST_DAY, EB60={"progress": typo})
    first = tmp_path / "first"
    first.mkdir()
    result, _report, merged = _merge(first, hr, ld, plan=joint["plan"])
    assert result.exit_code == 0, result.output
    both = f"{HR_GROUP}; {LD_GROUP}"
    before = _log_rows(merged, "EB60")
    assert before[-1] == (FIRST_DAY, typo, "Amber", both)
    _report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, hr, EB60={"progress": fixed}), merged
    )
    assert _log_rows(again, "EB60") == [
        *before[:-1],
        (FIRST_DAY, typo, "Amber", LD_GROUP),
        (SECOND_DAY, fixed, "Amber", HR_GROUP),
    ]


def test_an_update_the_earlier_version_left_as_sent_is_logged_as_any_replaced_one(tmp_path):
    """The earlier version changed only the RAG; the corrected one gives an update: the
    plan's update (the last period's, not this return's) goes on the log as it always did."""
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, FIRST_DAY, EB48={"rag": "Green"})
    _report, merged = _merged(tmp_path / "first", returned, joint["plan"])
    before = _log_rows(merged, "EB48")
    assert SENT_UPDATE not in [r[1] for r in before]
    _report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": FIXED}), merged
    )
    after = _log_rows(again, "EB48")
    assert [r[1] for r in after] == [*(r[1] for r in before), SENT_UPDATE, FIXED]
    assert after[-1] == (SECOND_DAY, FIXED, "Green", HR_GROUP)


def test_the_welsh_returned_with_the_update_stays_beside_the_corrected_words(tmp_path):
    """The earlier version gave the update's Welsh too and the correction is to the English
    alone: the Welsh is still the owner's for this update, so it stays beside the corrected
    words in the plan and on their one entry (it was moved off the Actions sheet before)."""
    welsh = "Cynllun mentora ar waith gyda 12 pâr."
    _joint, returned, merged = _first_merge(tmp_path, **{layout.PROGRESS_CY: welsh})
    _report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": FIXED}), merged
    )
    eb48 = next(r for r in _sheet(again, layout.ACTIONS_SHEET) if r["Ref"] == "EB48")
    assert (eb48["Progress update"], eb48["Progress update (Cymraeg)"]) == (FIXED, welsh)
    logged = [r for r in _sheet(again, layout.PROGRESS_LOG_SHEET) if r["Ref"] == "EB48"]
    assert [(r["Update"], r["Update (Cymraeg)"]) for r in logged][-1] == (FIXED, welsh)
    assert TYPO not in [r["Update"] for r in logged]
