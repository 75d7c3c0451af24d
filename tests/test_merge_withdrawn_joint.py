"""Withdrawals the first withdrawn-update fix got wrong: a joint action, and a conflict.

A reviewer found these after updates withdrawn in a corrected return were taken off the
Progress log (test_merge_withdrawn_log.py):

- EB60 is HR's and L&D's. Both returned one update; HR corrected theirs, then withdrew
  it. The update split sent went back in the Progress update cell, hiding L&D's later
  update (still on the log), and the report said nothing;
- HR's update was a conflict (the officer had typed their own), so it was logged Not
  applied; HR withdrew it. The Not applied row stayed, and the report listed a conflict
  over an empty update.
"""

from __future__ import annotations

import datetime as dt

import openpyxl

from pipeline.workbook import layout
from tests.test_merge_again import _edit
from tests.test_merge_conflicts import HR, HR_GROUP, LD, LD_GROUP, _return, joint_plan
from tests.test_merge_corrected_log import (
    FIRST_DAY,
    SECOND_DAY,
    TYPO,
    _corrected,
    _log_rows,
    _merged,
)
from tests.test_merge_log import _saved
from tests.test_merge_withdrawn_log import _action_row
from tests.test_merge_withdrawn_reasons import _officer
from tests.test_returns import _merge

THIRD_DAY = dt.date(2026, 11, 28)
WORDS, FIXED = "Trainer off sick: 28 trianed.", "Trainer off sick: 28 trained."


def _third(tmp_path, second, **changes):
    """HR's return a third time, with changes, saved on THIRD_DAY."""
    (tmp_path / "third").mkdir(exist_ok=True)
    return _saved(_edit(second, tmp_path / "third" / HR, **changes), THIRD_DAY)


def _both_gave(tmp_path):
    """EB60's owners each returned WORDS, merged: the joint plan, HR's return, the merged plan."""
    joint = joint_plan(tmp_path)
    hr = _return(joint, tmp_path, HR, FIRST_DAY, EB60={"progress": WORDS})
    ld = _return(joint, tmp_path, LD, FIRST_DAY, EB60={"progress": WORDS})
    (tmp_path / "first").mkdir()
    result, _report, merged = _merge(tmp_path / "first", hr, ld, plan=joint["plan"])
    assert result.exit_code == 0, result.output
    return joint, hr, merged


def test_a_joint_update_corrected_then_withdrawn_leaves_the_other_owners(tmp_path):
    _joint, hr, merged = _both_gave(tmp_path)
    before = _log_rows(merged, "EB60")
    assert before[-1] == (FIRST_DAY, WORDS, "Amber", f"{HR_GROUP}; {LD_GROUP}")
    second = _corrected(tmp_path, hr, EB60={"progress": FIXED})
    _report, corrected = _merged(tmp_path / "out2", second, merged)
    assert _action_row(corrected, "EB60")[0] == FIXED
    report, again = _merged(
        tmp_path / "out3", _third(tmp_path, second, EB60={"progress": None}), corrected
    )
    # L&D's update is the plan's again: in its cell, dated as given, and on the log as L&D's.
    assert _action_row(again, "EB60") == (WORDS, dt.datetime(2026, 11, 25))
    assert _log_rows(again, "EB60") == [*before[:-1], (FIRST_DAY, WORDS, "Amber", LD_GROUP)]
    assert report["withdrawn_still_logged"] == [
        {"ref": "EB60", "update": WORDS, "file": HR, "reason": "given_by_another"}
    ]
    third = tmp_path / "third" / HR
    result, _report, _out = _merge(
        tmp_path / "out3", third, plan=corrected, extra=["--format", "text", "--force"]
    )
    said = " ".join(result.output.split())
    assert f"EB60: {WORDS!r}, withdrawn in {HR}: another return gave it too" in said


def test_withdrawing_an_update_not_applied_takes_its_note_off(tmp_path):
    joint = joint_plan(tmp_path)
    officer = _edit(joint["plan"], tmp_path / "officer.xlsx", EB48={"progress": "Officer's."})
    returned = _return(joint, tmp_path, HR, FIRST_DAY, EB48={"progress": TYPO})
    _report, merged = _merged(tmp_path / "first", returned, officer)
    before = _log_rows(merged, "EB48")
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": None}), merged
    )
    assert report["conflicts"] == []
    assert _log_rows(again, "EB48") == before[:-1]
    assert _action_row(again, "EB48")[0] == "Officer's."
    assert report["withdrawn_still_logged"] == []


def test_the_other_owners_update_comes_back_when_the_row_of_the_update_sent_is_deleted(tmp_path):
    """The officer deleted the log row the first merge made of the update split sent (it
    has no date of its own): L&D's update is still found, given since the returns were sent."""
    joint, hr, merged = _both_gave(tmp_path)
    sent_words = _action_row(joint["plan"], "EB60")[0]

    def delete_sent(sheet):
        row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[2].value == sent_words)
        sheet.delete_rows(row)

    edited = _officer(merged, tmp_path / "officer.xlsx", delete_sent)
    second = _corrected(tmp_path, hr, EB60={"progress": FIXED})
    _report, corrected = _merged(tmp_path / "out2", second, edited)
    report, again = _merged(
        tmp_path / "out3", _third(tmp_path, second, EB60={"progress": None}), corrected
    )
    assert _action_row(again, "EB60") == (WORDS, dt.datetime(2026, 11, 25))
    assert {"ref": "EB60", "update": WORDS, "file": HR, "reason": "given_by_another"} in report[
        "withdrawn_still_logged"
    ]


def test_an_entry_left_by_two_corrections_in_one_merge_is_listed_once_for_each(tmp_path):
    """Both owners corrected WORDS, which the officer had redated on the log: the entry
    stays (edited), listed once for each return, not once for each pair of them."""
    _joint, hr, merged = _both_gave(tmp_path)

    def redate(sheet):
        for row in sheet.iter_rows(min_row=2):
            if row[2].value == WORDS:
                row[1].value = dt.datetime(2026, 11, 24)

    edited = _officer(merged, tmp_path / "officer.xlsx", redate)
    hr2 = _corrected(tmp_path, hr, EB60={"progress": FIXED})
    (tmp_path / "ld2").mkdir()
    ld2 = _saved(_edit(tmp_path / LD, tmp_path / "ld2" / LD, EB60={"progress": FIXED}), SECOND_DAY)
    (tmp_path / "out").mkdir()
    result, report, _out = _merge(tmp_path / "out", hr2, ld2, plan=edited)
    assert result.exit_code == 0, result.output
    assert sorted((e["file"], e["reason"]) for e in report["withdrawn_still_logged"]) == [
        (HR, "edited"),
        (LD, "edited"),
    ]


def test_an_update_withdrawn_after_the_other_owner_corrected_theirs_comes_off(tmp_path):
    """L&D corrected the update both gave; HR then withdrew it. Nobody stands by those words
    now, and it was L&D, not the officer, who changed the plan's update: the row comes off,
    and nothing is said to be left beside an officer's update."""
    _joint, hr, merged = _both_gave(tmp_path)
    ours = "L&D: 30 trained."
    (tmp_path / "ld2").mkdir()
    ld2 = _saved(_edit(tmp_path / LD, tmp_path / "ld2" / LD, EB60={"progress": ours}), SECOND_DAY)
    _report, corrected = _merged(tmp_path / "out2", ld2, merged)
    assert (FIRST_DAY, WORDS, "Amber", HR_GROUP) in _log_rows(corrected, "EB60")
    report, again = _merged(
        tmp_path / "out3", _third(tmp_path, hr, EB60={"progress": None}), corrected
    )
    assert report["withdrawn_still_logged"] == [] and report["conflicts"] == []
    assert WORDS not in [row[1] for row in _log_rows(again, "EB60")]
    assert _action_row(again, "EB60")[0] == ours
    assert (SECOND_DAY, ours, "Amber", LD_GROUP) in _log_rows(again, "EB60")


def _together(tmp_path, plan, *returns):
    (tmp_path / "together").mkdir()
    result, report, merged = _merge(tmp_path / "together", *returns, plan=plan)
    assert result.exit_code == 0, result.output
    return report, merged


def test_a_withdrawal_merged_with_the_other_owners_correction_is_no_conflict(tmp_path):
    """HR withdrew the update both gave, in the same merge as L&D corrected it: a withdrawal
    is no update of HR's, so nothing is in conflict; L&D's words are the plan's."""
    _joint, hr, merged = _both_gave(tmp_path)
    ours = "L&D: 30 trained."
    (tmp_path / "ld2").mkdir()
    ld2 = _saved(_edit(tmp_path / LD, tmp_path / "ld2" / LD, EB60={"progress": ours}), SECOND_DAY)
    withdrawn = _third(tmp_path, hr, EB60={"progress": None})
    report, again = _together(tmp_path, merged, withdrawn, ld2)
    assert report["conflicts"] == [] and report["withdrawn_still_logged"] == []
    assert _action_row(again, "EB60") == (ours, dt.datetime(2026, 11, 27))
    logged = _log_rows(again, "EB60")
    assert WORDS not in [row[1] for row in logged]
    assert logged[-1] == (SECOND_DAY, ours, "Amber", LD_GROUP)
    assert not any("Not applied" in str(row[1]) for row in logged)


def test_a_withdrawal_merged_with_the_other_owners_first_update_is_no_conflict(tmp_path):
    """HR alone had given an update; HR withdrew it in the same merge as L&D sent their first:
    L&D's is the plan's update, HR's words leave the log, the update split sent stays on it."""
    joint = joint_plan(tmp_path)
    sent_words = _action_row(joint["plan"], "EB60")[0]
    hr = _return(joint, tmp_path, HR, FIRST_DAY, EB60={"progress": WORDS})
    (tmp_path / "first").mkdir()
    result, _report, merged = _merge(tmp_path / "first", hr, plan=joint["plan"])
    assert result.exit_code == 0, result.output
    ours = "L&D: 30 trained."
    ld = _return(joint, tmp_path, LD, SECOND_DAY, EB60={"progress": ours})
    report, again = _together(tmp_path, merged, _third(tmp_path, hr, EB60={"progress": None}), ld)
    assert report["conflicts"] == [] and report["withdrawn_still_logged"] == []
    assert _action_row(again, "EB60")[0] == ours
    logged = [row[1] for row in _log_rows(again, "EB60")]
    assert WORDS not in logged and sent_words in logged and logged[-1] == ours


def test_the_other_owners_welsh_given_beside_a_withdrawal_is_applied(tmp_path):
    """L&D's corrected update came with its Welsh, in the same merge as HR's withdrawal: the
    Welsh is L&D's, not the withdrawing return's, so it is applied with the English."""
    _joint, hr, merged = _both_gave(tmp_path)
    ours, ours_cy = "L&D: 30 trained.", "D&D: 30 wedi'u hyfforddi."
    (tmp_path / "ld2").mkdir()
    ld2 = _edit(tmp_path / LD, tmp_path / "ld2" / LD, EB60={"progress": ours})
    ld2 = _saved(_edit(ld2, ld2, EB60={layout.PROGRESS_CY: ours_cy}), SECOND_DAY)
    report, again = _together(tmp_path, merged, _third(tmp_path, hr, EB60={"progress": None}), ld2)
    assert report["conflicts"] == []
    row = next(
        r
        for r in openpyxl.load_workbook(again)[layout.ACTIONS_SHEET].iter_rows(values_only=True)
        if r[0] == "EB60"
    )
    assert ours in row and ours_cy in row


def test_a_withdrawal_with_new_welsh_beside_the_other_owners_update_loses_no_words(tmp_path):
    """HR cleared their English update but typed new Welsh, in the same merge as L&D's first
    update. That return is no plain withdrawal: it is compared as any other (in conflict
    here, Welsh beside no English), so its Welsh is kept, on the log as not applied; it used
    to be withdrawn first and the Welsh lost from the plan and the log."""
    joint = joint_plan(tmp_path)
    hr = _return(joint, tmp_path, HR, FIRST_DAY, EB60={"progress": WORDS})
    hr = _saved(_edit(hr, hr, EB60={layout.PROGRESS_CY: "Geiriau HR."}), FIRST_DAY)
    (tmp_path / "first").mkdir()
    result, _report, merged = _merge(tmp_path / "first", hr, plan=joint["plan"])
    assert result.exit_code == 0, result.output
    other_welsh = "Geiriau eraill HR."
    withdrawn = _third(tmp_path, hr, EB60={"progress": None, layout.PROGRESS_CY: other_welsh})
    ld = _return(joint, tmp_path, LD, SECOND_DAY, EB60={"progress": "L&D: 30 trained."})
    _report, again = _together(tmp_path, merged, withdrawn, ld)
    book = openpyxl.load_workbook(again)
    sheets = [book[layout.ACTIONS_SHEET], book[layout.PROGRESS_LOG_SHEET]]  # not the record's
    cells = [c for s in sheets for row in s.iter_rows(values_only=True) for c in row]
    assert any(other_welsh in str(c) for c in cells if c)


def test_two_owners_withdrawing_the_same_update_differently_is_no_conflict(tmp_path):
    """Both withdrew the update they gave together, in one merge: HR cleared it, L&D typed
    back the update split sent. Both mean no update of theirs, so they agree: the update
    sent is the plan's again, and their words leave the log."""
    joint, hr, merged = _both_gave(tmp_path)
    sent_words = _action_row(joint["plan"], "EB60")[0]
    (tmp_path / "ld2").mkdir()
    ld2 = _saved(
        _edit(tmp_path / LD, tmp_path / "ld2" / LD, EB60={"progress": sent_words}), SECOND_DAY
    )
    report, again = _together(tmp_path, merged, _third(tmp_path, hr, EB60={"progress": None}), ld2)
    assert report["conflicts"] == [] and report["withdrawn_still_logged"] == []
    assert _action_row(again, "EB60")[0] == sent_words
    logged = [row[1] for row in _log_rows(again, "EB60")]
    assert WORDS not in logged
    assert not any("Not applied" in str(words) for words in logged)
