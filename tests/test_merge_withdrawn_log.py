"""An update the owner withdraws in a corrected return leaves the plan as if never given.

HR's return said "Mentoring pilot runing with 12 pairs." and was merged: the update split
sent went onto the Progress log and HR's took its place. HR then sent the return again
with the update cleared, or with the update they were sent typed back: they take their
own back. The log kept HR's withdrawn entry (the plan printed it as EB48's latest update
when the cell was empty), or logged the update sent a second time. Now the withdrawn entry
is taken off and the update sent goes back in its cell, off the log. A conflicting update
corrected and still in conflict has one Not applied row, not one a version.
"""

from __future__ import annotations

import datetime as dt

import openpyxl

from pipeline.progress_log import NOT_APPLIED
from pipeline.workbook import layout
from tests.test_merge_again import _edit
from tests.test_merge_conflicts import HR, HR_GROUP, LD, LD_GROUP, _return, joint_plan
from tests.test_merge_corrected_log import (
    FIRST_DAY,
    FIXED,
    SECOND_DAY,
    SENT_UPDATE,
    TYPO,
    _corrected,
    _first_merge,
    _log_rows,
    _merged,
    _sheet,
)
from tests.test_merge_log import _saved
from tests.test_returns import _merge


def _action_row(path, ref: str) -> tuple:
    """The Actions row of ref as the officer reads it: Progress update, Last updated."""
    row = next(r for r in _sheet(path, layout.ACTIONS_SHEET) if r["Ref"] == ref)
    return row["Progress update"], row["Last updated"]


def _withdrawn(tmp_path, update: object) -> tuple[dict, dict, object]:
    """HR's return merged, then again with EB48's update given as update: report, plan, merged."""
    joint, returned, merged = _first_merge(tmp_path)
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": update}), merged
    )
    return report, joint, again


def test_a_correction_that_clears_the_update_takes_its_entry_back(tmp_path):
    report, joint, again = _withdrawn(tmp_path, None)
    assert report["returns"][0]["compared_with"] == "earlier_version"
    # As before HR's return: the update sent in its cell, undated as it was, the log as it was.
    assert _log_rows(again, "EB48") == _log_rows(joint["plan"], "EB48")
    assert TYPO not in [r[1] for r in _log_rows(again, "EB48")]
    assert _action_row(again, "EB48") == _action_row(joint["plan"], "EB48")
    assert _action_row(again, "EB48")[0] == SENT_UPDATE
    assert report["withdrawn_still_logged"] == []


def test_a_correction_that_types_back_the_update_sent_logs_it_once(tmp_path):
    report, joint, again = _withdrawn(tmp_path, SENT_UPDATE)
    assert _log_rows(again, "EB48") == _log_rows(joint["plan"], "EB48")
    assert [r[1] for r in _log_rows(again, "EB48")].count(SENT_UPDATE) == 0
    assert _action_row(again, "EB48") == (SENT_UPDATE, None)
    assert report["updated"] == [{"ref": "EB48", "fields": ["Progress update"], "file": HR}]


def test_a_version_after_the_withdrawal_is_compared_with_the_update_put_back(tmp_path):
    """HR clears the update, then sends a third version with new words: they replace the
    update put back, as any return's would, and are no conflict with it."""
    _report, joint, again = _withdrawn(tmp_path, None)
    third_day = dt.date(2026, 11, 28)
    (tmp_path / "third").mkdir()
    third = _saved(
        _edit(tmp_path / "second" / HR, tmp_path / "third" / HR, EB48={"progress": FIXED}),
        third_day,
    )
    report, merged = _merged(tmp_path / "out3", third, again)
    assert report["conflicts"] == []
    assert _action_row(merged, "EB48")[0] == FIXED
    assert [r[1] for r in _log_rows(merged, "EB48")] == [
        *(r[1] for r in _log_rows(joint["plan"], "EB48")),
        SENT_UPDATE,
        FIXED,
    ]


def test_a_withdrawn_entry_the_officer_edited_stays_and_the_report_says_so(tmp_path):
    joint, returned, merged = _first_merge(tmp_path)
    officer = tmp_path / "officer.xlsx"
    book = openpyxl.load_workbook(merged)
    typo_row = next(r for r in book[layout.PROGRESS_LOG_SHEET].iter_rows(2) if r[2].value == TYPO)
    typo_row[2].value = edited = "Mentoring pilot running with 12 pairs (checked with HR)."
    book.save(officer)
    corrected = _corrected(tmp_path, returned, EB48={"progress": None})
    report, again = _merged(tmp_path / "out", corrected, officer)
    # The officer's row stays; the update sent is back in its cell, off the log.
    assert _log_rows(again, "EB48") == [
        *_log_rows(joint["plan"], "EB48"),
        (FIRST_DAY, edited, "Amber", HR_GROUP),
    ]
    assert _action_row(again, "EB48") == (SENT_UPDATE, None)
    assert report["withdrawn_still_logged"] == [
        {"ref": "EB48", "update": TYPO, "file": HR, "reason": "edited"}
    ]
    result, _report, _out = _merge(
        tmp_path / "out", corrected, plan=officer, extra=["--format", "text", "--force"]
    )
    assert "Updates withdrawn but still on the Progress log" in result.output
    assert f"EB48: {TYPO!r}, withdrawn in {HR}: its Progress log row has been edited" in (
        " ".join(result.output.split())
    )


def test_a_withdrawn_joint_update_stays_the_other_owners(tmp_path):
    """HR and L&D both gave EB60's update; HR withdraws theirs: it stays L&D's, in the plan
    and on the log, and the report says why it is still there."""
    joint = joint_plan(tmp_path)
    words = "Trainer off sick: 28 trianed."
    hr = _return(joint, tmp_path, HR, FIRST_DAY, EB60={"progress": words})
    ld = _return(joint, tmp_path, LD, FIRST_DAY, EB60={"progress": words})
    (tmp_path / "first").mkdir()
    result, _report, merged = _merge(tmp_path / "first", hr, ld, plan=joint["plan"])
    assert result.exit_code == 0, result.output
    before = _log_rows(merged, "EB60")
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, hr, EB60={"progress": None}), merged
    )
    assert _log_rows(again, "EB60") == [*before[:-1], (FIRST_DAY, words, "Amber", LD_GROUP)]
    assert _action_row(again, "EB60") == _action_row(merged, "EB60")
    assert report["withdrawn_still_logged"] == [
        {"ref": "EB60", "update": words, "file": HR, "reason": "given_by_another"}
    ]


def test_a_corrected_update_still_in_conflict_has_one_not_applied_row(tmp_path):
    """The officer typed their own EB48 update after the split, so HR's is a conflict (a Not
    applied row); HR corrects it and it is still one: that row now holds the corrected words."""
    joint = joint_plan(tmp_path)
    officer = _edit(joint["plan"], tmp_path / "officer.xlsx", EB48={"progress": "Officer's."})
    returned = _return(joint, tmp_path, HR, FIRST_DAY, EB48={"progress": TYPO})
    _report, merged = _merged(tmp_path / "first", returned, officer)
    before = _log_rows(merged, "EB48")
    note = NOT_APPLIED % {"update": TYPO}
    assert before[-1] == (FIRST_DAY, note, "Amber", HR_GROUP)
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": FIXED}), merged
    )
    assert [c["values"] for c in report["conflicts"]] == [[FIXED, "Officer's."]]
    fixed = NOT_APPLIED % {"update": FIXED}
    assert _log_rows(again, "EB48") == [*before[:-1], (SECOND_DAY, fixed, "Amber", HR_GROUP)]
    assert _action_row(again, "EB48")[0] == "Officer's."
