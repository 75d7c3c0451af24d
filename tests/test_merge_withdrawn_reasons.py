"""What a withdrawn (or corrected) update leaves on the Progress log, and what the report says.

Found by a reviewer after withdrawn updates were taken off the log (test_merge_withdrawn_log.py):

- HR's update came with a RAG of Green; HR withdrew it, then gave it again: the update
  split sent was logged a second time, rated Green, a rating nobody gave it;
- the report said HR's withdrawn update had been `edited` on the log when the officer had
  changed only the plan's Last updated, or had deleted the log row;
- HR's first words stayed on the log, unreported, when a correction could not take their
  place: the officer had edited their row, or typed over the plan's update, in between.
"""

from __future__ import annotations

import datetime as dt

import openpyxl

from pipeline.workbook import layout
from tests.test_merge_again import _edit
from tests.test_merge_conflicts import HR, HR_GROUP, _return, joint_plan
from tests.test_merge_corrected_log import (
    FIRST_DAY,
    FIXED,
    SENT_UPDATE,
    TYPO,
    _corrected,
    _first_merge,
    _log_rows,
    _merged,
    _sheet,
)
from tests.test_merge_log import _saved
from tests.test_merge_withdrawn_log import _action_row
from tests.test_returns import _merge

THIRD_DAY = dt.date(2026, 11, 28)
OFFICER = "Mentoring pilot running with twelve pairs across three councils."


def _officer(merged, path, change) -> object:
    """The merged plan with the officer's change to its Progress log (change(book)), as path."""
    book = openpyxl.load_workbook(merged)
    change(book[layout.PROGRESS_LOG_SHEET])
    book.save(path)
    return path


def _typo_row(sheet) -> tuple:
    return next(r for r in sheet.iter_rows(2) if r[2].value == TYPO)


def test_an_update_given_again_after_a_withdrawal_keeps_the_sent_updates_rating(tmp_path):
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, FIRST_DAY, EB48={"progress": TYPO, "rag": "Green"})
    _report, merged = _merged(tmp_path / "first", returned, joint["plan"])
    second = _corrected(tmp_path, returned, EB48={"progress": None})
    _report, withdrawn = _merged(tmp_path / "out2", second, merged)
    (tmp_path / "third").mkdir()
    third = _saved(_edit(second, tmp_path / "third" / HR, EB48={"progress": FIXED}), THIRD_DAY)
    _report, again = _merged(tmp_path / "out3", third, withdrawn)
    rows = _log_rows(again, "EB48")
    # The update sent is logged once, with the rating it had when sent; never Green.
    assert [r for r in rows if r[1] == SENT_UPDATE] == [(FIRST_DAY, SENT_UPDATE, "Amber", HR_GROUP)]
    assert rows[-1] == (THIRD_DAY, FIXED, "Green", HR_GROUP)


def test_a_withdrawal_after_the_officer_changed_only_last_updated_is_no_edit(tmp_path):
    """The officer changed the plan's Last updated of HR's update, not its log row: the row
    is as merge made it, so it is taken off as any other, and nothing is said to be edited."""
    joint, returned, merged = _first_merge(tmp_path)
    officer = _edit(
        merged, tmp_path / "officer.xlsx", EB48={"last_updated": dt.datetime(2026, 11, 26)}
    )
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": None}), officer
    )
    assert report["withdrawn_still_logged"] == []
    assert _log_rows(again, "EB48") == _log_rows(joint["plan"], "EB48")
    assert _action_row(again, "EB48") == (SENT_UPDATE, None)


def test_a_withdrawn_update_whose_row_was_deleted_is_said_to_be_not_found(tmp_path):
    joint, returned, merged = _first_merge(tmp_path)
    officer = _officer(
        merged, tmp_path / "officer.xlsx", lambda sheet: sheet.delete_rows(_typo_row(sheet)[0].row)
    )
    corrected = _corrected(tmp_path, returned, EB48={"progress": None})
    report, again = _merged(tmp_path / "out", corrected, officer)
    assert report["withdrawn_still_logged"] == [
        {"ref": "EB48", "update": TYPO, "file": HR, "reason": "not_found"}
    ]
    assert _log_rows(again, "EB48") == _log_rows(joint["plan"], "EB48")
    result, _report, _out = _merge(
        tmp_path / "out", corrected, plan=officer, extra=["--format", "text", "--force"]
    )
    said = " ".join(result.output.split())
    assert f"EB48: {TYPO!r}, withdrawn in {HR}: its Progress log row is no longer there" in said


def test_a_correction_that_cannot_take_an_edited_rows_place_says_so(tmp_path):
    """The officer redated HR's logged update: the corrected words get a row of their own,
    and the first words, left on the log, are listed."""
    _joint, returned, merged = _first_merge(tmp_path)

    def redate(sheet) -> None:
        _typo_row(sheet)[1].value = dt.datetime(2026, 11, 24)

    officer = _officer(merged, tmp_path / "officer.xlsx", redate)
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": FIXED}), officer
    )
    assert [r[1] for r in _log_rows(again, "EB48")][-2:] == [TYPO, FIXED]
    assert report["withdrawn_still_logged"] == [
        {"ref": "EB48", "update": TYPO, "file": HR, "reason": "edited"}
    ]


def test_first_words_left_beside_the_officers_update_are_listed(tmp_path):
    """The officer typed over HR's update in the plan; HR then corrects it (a conflict with
    the officer's) or withdraws it: HR's first words stay on the log, and the report says so."""
    _joint, returned, merged = _first_merge(tmp_path)
    officer = _edit(merged, tmp_path / "officer.xlsx", EB48={"progress": OFFICER})
    expected = [{"ref": "EB48", "update": TYPO, "file": HR, "reason": "plan_edited"}]
    for n, update in enumerate((FIXED, None)):
        report, again = _merged(
            tmp_path / f"out{n}", _corrected(tmp_path, returned, EB48={"progress": update}), officer
        )
        assert report["withdrawn_still_logged"] == expected
        assert TYPO in [r[1] for r in _log_rows(again, "EB48")]
        assert _action_row(again, "EB48")[0] == OFFICER
    assert report["conflicts"] == []  # a withdrawal is no conflict with the officer's update


def test_the_officers_welsh_for_a_withdrawn_update_stays_on_its_row(tmp_path):
    """HR gave an update in English only; the officer typed its Welsh into the plan; HR then
    withdrew the update. The translation was lost from the plan and the log: it now stays,
    on the update's row, which the report lists as left beside the officer's words."""
    _joint, returned, merged = _first_merge(tmp_path)
    officer_welsh = "Cyfieithiad y swyddog: cynllun mentora gyda 12 pâr."
    officer = _edit(merged, tmp_path / "officer.xlsx", EB48={layout.PROGRESS_CY: officer_welsh})
    report, again = _merged(
        tmp_path / "out", _corrected(tmp_path, returned, EB48={"progress": None}), officer
    )
    assert _action_row(again, "EB48")[0] == SENT_UPDATE
    rows = [r for r in _sheet(again, layout.PROGRESS_LOG_SHEET) if r["Ref"] == "EB48"]
    assert [(r["Update"], r["Update (Cymraeg)"]) for r in rows if r["Update"] == TYPO] == [
        (TYPO, officer_welsh)
    ]
    assert report["withdrawn_still_logged"] == [
        {"ref": "EB48", "update": TYPO, "file": HR, "reason": "plan_edited"}
    ]


def test_a_version_after_a_withdrawal_leaving_the_update_empty_clears_nothing(tmp_path):
    """HR withdrew their update by clearing it; a third version changed only the RAG, its
    update cell still empty. That emptiness is the withdrawal, not a new clearing: the update
    split sent stays the plan's, with its date, and only the RAG is applied."""
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, FIRST_DAY, EB48={"progress": TYPO, "rag": "Green"})
    _report, merged = _merged(tmp_path / "first", returned, joint["plan"])
    second = _corrected(tmp_path, returned, EB48={"progress": None})
    _report, withdrawn = _merged(tmp_path / "out2", second, merged)
    assert _action_row(withdrawn, "EB48")[0] == SENT_UPDATE
    (tmp_path / "third").mkdir()
    third = _saved(_edit(second, tmp_path / "third" / HR, EB48={"rag": "Red"}), THIRD_DAY)
    report, again = _merged(tmp_path / "out3", third, withdrawn)
    assert _action_row(again, "EB48") == _action_row(withdrawn, "EB48")
    assert report["updated"] == [{"ref": "EB48", "fields": ["RAG"], "file": HR}]
    # nothing logged or taken off (the update's row takes the rating now given with it)
    assert [(r[0], r[1], r[3]) for r in _log_rows(again, "EB48")] == [
        (r[0], r[1], r[3]) for r in _log_rows(withdrawn, "EB48")
    ]
    (tmp_path / "fourth").mkdir()
    fourth = _saved(_edit(third, tmp_path / "fourth" / HR, EB48={"progress": FIXED}), THIRD_DAY)
    report, last = _merged(tmp_path / "out4", fourth, again)
    assert report["conflicts"] == [] and _action_row(last, "EB48")[0] == FIXED
