"""The Welsh of a returned update, and one update from joint owners, across merges.

Found by reviewing the merge changes: a return's Welsh was applied beside English that
was not (a conflict, or another owner's new update), and could overwrite the logged
Welsh of the old update; a Welsh update cleared came back from the log; joint owners'
returns merged one at a time logged the update under whichever came first.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.validate import validate_workbook
from pipeline.workbook import layout
from tests.conftest import EXAMPLE
from tests.test_merge_log import _saved
from tests.test_returns import COLUMNS, _merge

HR, LD = "Human-Resources-and-OD.xlsx", "Learning-and-Development-Team.xlsx"
OLD, OLD_CY = "Pilot under way with six mentors.", "Cynllun peilot ar waith gyda chwe mentor."


@pytest.fixture(scope="module")
def joint(tmp_path_factory) -> dict[str, Path]:
    """The example with EB48 owned by HR and L&D, its update logged with its Welsh; split."""
    folder = tmp_path_factory.mktemp("joint")
    plan = folder / "plan.xlsx"
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB48")
    for key, value in (
        ("owner", "Human Resources and OD; Learning and Development Team"),
        ("progress", OLD),
        (layout.PROGRESS_CY, OLD_CY),
        ("last_updated", dt.datetime(2026, 11, 10)),
    ):
        sheet.cell(row, COLUMNS.index(key) + 1).value = value
    log = book["Progress log"]
    log.append(["EB48", dt.datetime(2026, 11, 10), OLD, "Amber", None, "HR", OLD_CY])
    book.save(plan)
    sent = folder / "sent"
    result = CliRunner().invoke(cli, ["split", str(plan), "--by", "owner", "-o", str(sent)])
    assert result.exit_code == 0, result.output
    return {"plan": plan, "sent": sent}


def _return(joint, folder: Path, name: str, day: dt.date, **values: object) -> Path:
    path = folder / name
    shutil.copy(joint["sent"] / name, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB48")
    for key, value in values.items():
        sheet.cell(row, COLUMNS.index(key) + 1).value = value
    book.save(path)
    return _saved(path, day)


def _eb48(path: Path) -> tuple[dict, list[tuple]]:
    plan = validate_workbook(path, language="cy").plan
    action = next(a for a in plan.actions if a.ref == "EB48")
    welsh = plan.welsh.actions[("Actions", action.row)].get("progress")
    log = [(e.date, e.update, e.update_cy, e.by) for e in plan.progress_log if e.ref == "EB48"]
    return {"progress": action.progress, "welsh": welsh.text if welsh else None}, log


def test_an_english_split_of_a_plan_with_welsh_carries_the_welsh_columns(joint):
    sheet = openpyxl.load_workbook(joint["sent"] / HR)["Actions"]
    column = COLUMNS.index(layout.PROGRESS_CY) + 1
    assert sheet.cell(1, column).value == "Progress update (Cymraeg)"
    assert not sheet.cell(2, column).protection.locked


def test_the_welsh_of_an_english_update_in_conflict_is_not_applied(joint, tmp_path):
    """HR and L&D give EB48 different words: a conflict; HR's Welsh goes nowhere, and the
    Welsh logged with the old update stays."""
    day = dt.date(2027, 2, 12)
    hr = _return(joint, tmp_path, HR, day, progress="New A.", **{layout.PROGRESS_CY: "Newydd A."})
    ld = _return(joint, tmp_path, LD, day, progress="New B.")
    _result, report, merged = _merge(tmp_path, hr, ld, plan=joint["plan"])
    fields = {c["field"] for c in report["conflicts"] if c["ref"] == "EB48"}
    assert fields == {"Progress update", "Progress update (Cymraeg)"}
    now, log = _eb48(merged)
    assert now == {"progress": OLD, "welsh": OLD_CY}
    assert (dt.date(2026, 11, 10), OLD, OLD_CY, "HR") in log


def test_welsh_for_the_old_words_is_not_put_beside_another_owners_new_update(joint, tmp_path):
    day = dt.date(2027, 2, 12)
    hr = _return(joint, tmp_path, HR, day, progress="New A.", **{layout.PROGRESS_CY: "Newydd A."})
    ld = _return(joint, tmp_path, LD, day, **{layout.PROGRESS_CY: "Cywiriad o'r hen eiriau."})
    _result, report, merged = _merge(tmp_path, hr, ld, plan=joint["plan"])
    assert [c["files"] for c in report["conflicts"]] == [[LD, "plan.xlsx"]]
    now, log = _eb48(merged)
    assert now == {"progress": "New A.", "welsh": "Newydd A."}
    assert (day, "New A.", "Newydd A.", "Human Resources and OD") in log
    assert (dt.date(2026, 11, 10), OLD, OLD_CY, "HR") in log


def test_a_welsh_update_cleared_is_cleared_from_its_log_entry(joint, tmp_path):
    hr = _return(joint, tmp_path, HR, dt.date(2027, 2, 12), **{layout.PROGRESS_CY: None})
    _result, report, merged = _merge(tmp_path, hr, plan=joint["plan"])
    assert report["updated"][0]["fields"] == ["Progress update (Cymraeg)"]
    now, log = _eb48(merged)
    assert now["welsh"] in ("", None)
    assert (dt.date(2026, 11, 10), OLD, "", "HR") in log


@pytest.mark.parametrize("order", [(HR, LD), (LD, HR)])
def test_joint_owners_returns_merged_one_at_a_time_log_the_update_once(joint, tmp_path, order):
    """The same entry whatever order the returns come in: the later save, both owners."""
    days = {HR: dt.date(2027, 2, 12), LD: dt.date(2027, 2, 14)}
    plan = joint["plan"]
    for number, name in enumerate(order):
        folder = tmp_path / str(number)
        folder.mkdir()
        returned = _return(joint, folder, name, days[name], progress="Mentors matched.")
        result, _report, plan = _merge(folder, returned, plan=plan)
        assert result.exit_code == 0, result.output
    _now, log = _eb48(plan)
    assert [entry for entry in log if entry[1] == "Mentors matched."] == [
        (
            dt.date(2027, 2, 14),
            "Mentors matched.",
            "",
            "Human Resources and OD; Learning and Development Team",
        )
    ]
    eb48 = next(a for a in validate_workbook(plan).plan.actions if a.ref == "EB48")
    assert eb48.last_updated == dt.date(2027, 2, 14)


def test_welsh_from_the_second_of_two_joint_returns_fills_the_empty_cell(joint, tmp_path):
    """HR's return (no Welsh) merged first moves the old Welsh to the log; L&D's, merged
    next with the same English and its Welsh, fills the emptied cell as if merged together."""
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir(), second.mkdir()
    hr = _return(joint, first, HR, dt.date(2027, 2, 14), progress="Mentors matched.")
    welsh = {"progress": "Mentors matched.", layout.PROGRESS_CY: "Mentoriaid wedi paru."}
    ld = _return(joint, second, LD, dt.date(2027, 2, 12), **welsh)
    _result, _report, merged = _merge(first, hr, plan=joint["plan"])
    _result, report, merged = _merge(second, ld, plan=merged)
    assert report["conflicts"] == []
    now, log = _eb48(merged)
    assert now == {"progress": "Mentors matched.", "welsh": "Mentoriaid wedi paru."}
    assert [e for e in log if e[1] == "Mentors matched."] == [
        (
            dt.date(2027, 2, 14),
            "Mentors matched.",
            "Mentoriaid wedi paru.",
            "Human Resources and OD; Learning and Development Team",
        )
    ]


def test_words_the_officer_typed_in_are_logged_for_the_return_that_gave_them(joint, tmp_path):
    plan = tmp_path / "plan.xlsx"
    book = openpyxl.load_workbook(joint["plan"])
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB48")
    sheet.cell(row, COLUMNS.index("progress") + 1).value = "Mentors matched."
    sheet.cell(row, COLUMNS.index(layout.PROGRESS_CY) + 1).value = None
    book.save(plan)
    hr = _return(joint, tmp_path, HR, dt.date(2027, 2, 12), progress="Mentors matched.")
    _result, _report, merged = _merge(tmp_path, hr, plan=plan)
    _now, log = _eb48(merged)
    assert [e for e in log if e[1] == "Mentors matched."] == [
        (dt.date(2027, 2, 12), "Mentors matched.", "", "Human Resources and OD")
    ]


def test_the_same_return_merged_again_after_a_revert_logs_nothing_twice(joint, tmp_path):
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir(), second.mkdir()
    hr = _return(joint, first, HR, dt.date(2027, 2, 12), progress="Mentors matched.")
    _result, _report, merged = _merge(first, hr, plan=joint["plan"])
    book = openpyxl.load_workbook(merged)  # the officer types the old update back
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB48")
    sheet.cell(row, COLUMNS.index("progress") + 1).value = OLD
    sheet.cell(row, COLUMNS.index(layout.PROGRESS_CY) + 1).value = OLD_CY
    book.save(merged)
    _result, _report, again = _merge(second, hr, plan=merged)
    _now, log = _eb48(again)
    assert sorted(log) == [
        (dt.date(2026, 11, 10), OLD, OLD_CY, "HR"),
        (dt.date(2027, 2, 12), "Mentors matched.", "", "Human Resources and OD"),
    ]


def test_welsh_beside_a_cleared_english_update_is_a_conflict(joint, tmp_path):
    """The Welsh is in conflict, so the return's other change to the action (clearing the
    English) is held back too: the plan keeps both its words."""
    welsh = {"progress": None, layout.PROGRESS_CY: "Dim ond Cymraeg."}
    hr = _return(joint, tmp_path, HR, dt.date(2027, 2, 12), **welsh)
    _result, report, merged = _merge(tmp_path, hr, plan=joint["plan"])
    shown = [(c["field"], c["held_back"]) for c in report["conflicts"]]
    assert sorted(shown) == [("Progress update", True), ("Progress update (Cymraeg)", False)]
    assert report["updated"] == []
    assert _eb48(merged)[0] == {"progress": OLD, "welsh": OLD_CY}


@pytest.fixture(scope="module")
def no_update(joint, tmp_path_factory) -> dict[str, Path]:
    """The joint plan with no update on EB48 (as next-period leaves it), split."""
    folder = tmp_path_factory.mktemp("no-update")
    plan = folder / "plan.xlsx"
    book = openpyxl.load_workbook(joint["plan"])
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB48")
    for key in ("progress", layout.PROGRESS_CY):
        sheet.cell(row, COLUMNS.index(key) + 1).value = None
    book.save(plan)
    sent = folder / "sent"
    result = CliRunner().invoke(cli, ["split", str(plan), "--by", "owner", "-o", str(sent)])
    assert result.exit_code == 0, result.output
    return {"plan": plan, "sent": sent}


def test_welsh_with_no_english_update_holds_back_the_returns_other_changes(no_update, tmp_path):
    """Found by an officer's review: the Welsh was a conflict but the same return's new
    Deadline was applied, leaving the action half updated; the Welsh was lost from the log."""
    day = dt.date(2027, 2, 12)
    changes = {"deadline": "March 2027", layout.PROGRESS_CY: "Dim ond Cymraeg."}
    hr = _return(no_update, tmp_path, HR, day, **changes)
    _result, report, merged = _merge(tmp_path, hr, plan=no_update["plan"])
    shown = sorted((c["field"], c["held_back"]) for c in report["conflicts"])
    assert shown == [("Deadline", True), ("Progress update (Cymraeg)", False)]
    assert report["updated"] == []
    plan = validate_workbook(merged, language="cy").plan
    action = next(a for a in plan.actions if a.ref == "EB48")
    assert action.deadline.text != "March 2027"
    notes = [e for e in plan.progress_log if e.ref == "EB48" and e.date == day]
    assert len(notes) == 1
    assert notes[0].update.startswith("Not applied")
    assert notes[0].update_cy.endswith("Dim ond Cymraeg.")
    _result, _report, again = _merge(tmp_path / "again", hr, plan=merged)  # logged once
    log = validate_workbook(again, language="cy").plan.progress_log
    assert len([e for e in log if e.ref == "EB48" and e.date == day]) == 1


def test_welsh_beside_the_english_the_plan_keeps_is_applied(joint, tmp_path):
    """HR clears the English and writes Welsh beside nothing: HR's return is held back, so
    the plan keeps its English, and L&D's Welsh, written beside those words, is applied."""
    day = dt.date(2027, 2, 12)
    hr = _return(joint, tmp_path, HR, day, progress=None, **{layout.PROGRESS_CY: "Dim ond."})
    ld = _return(joint, tmp_path, LD, day, **{layout.PROGRESS_CY: "Cywiriad."})
    _result, report, merged = _merge(tmp_path, hr, ld, plan=joint["plan"])
    shown = sorted((c["field"], c["files"][0], c["held_back"]) for c in report["conflicts"])
    assert shown == [("Progress update", HR, True), ("Progress update (Cymraeg)", HR, False)]
    assert report["updated"] == [
        {"ref": "EB48", "fields": ["Progress update (Cymraeg)"], "file": LD}
    ]
    assert _eb48(merged)[0] == {"progress": OLD, "welsh": "Cywiriad."}


# Found by a code review of the Welsh hold-back: the notes of Welsh returned with no
# English were not known as notes, were logged again on every merge, and a conflict over
# the Welsh alone held nothing back.


def test_notes_of_welsh_with_no_english_are_known_as_notes_and_logged_once(no_update, tmp_path):
    day = dt.date(2027, 2, 12)
    hr = _return(no_update, tmp_path, HR, day, **{layout.PROGRESS_CY: "Cymraeg HR."})
    ld = _return(no_update, tmp_path, LD, day, **{layout.PROGRESS_CY: "Cymraeg LD."})
    _result, _report, merged = _merge(tmp_path, hr, ld, plan=no_update["plan"])
    report = validate_workbook(merged).report
    assert [p.item for p in report.problems if p.code == "CONFLICT_UNSETTLED"] == ["EB48"] * 2
    plan = validate_workbook(merged, language="cy").plan
    printed = plan.logs_by_ref().get("eb48", [])
    assert printed and not [e for e in printed if e.date == day]  # never printed as progress
    sent = tmp_path / "sent"
    CliRunner().invoke(cli, ["split", str(merged), "--by", "owner", "-o", str(sent)])
    for name in (HR, LD):
        sent_log = validate_workbook(sent / name, language="cy").plan.progress_log
        assert not [e for e in sent_log if e.ref == "EB48" and e.date == day], name
    again = merged
    for round_ in range(2):  # merged again, and again: the two notes stay two
        folder = tmp_path / f"again-{round_}"
        _result, _report, again = _merge(folder, hr, ld, plan=again)
        log = validate_workbook(again, language="cy").plan.progress_log
        assert len([e for e in log if e.ref == "EB48" and e.date == day]) == 2


def test_two_owners_welsh_for_the_same_english_is_a_conflict_that_holds_all_back(joint, tmp_path):
    day = dt.date(2027, 2, 12)
    done = {"rag": "Complete", "status": "Complete", "completed_on": dt.datetime(2027, 2, 1)}
    hr = _return(
        joint, tmp_path, HR, day, progress="Mentors matched.",
        **{layout.PROGRESS_CY: "Mentoriaid wedi'u paru."}, **done,
    )  # fmt: skip
    ld = _return(
        joint, tmp_path, LD, day, progress="Mentors matched.",
        **{layout.PROGRESS_CY: "Paru mentoriaid."},
    )  # fmt: skip
    _result, report, merged = _merge(tmp_path, hr, ld, plan=joint["plan"])
    assert report["updated"] == []
    plan = validate_workbook(merged, language="cy").plan
    action = next(a for a in plan.actions if a.ref == "EB48")
    assert (action.progress, action.status, action.completed_on) == (OLD, None, None)
    notes = [e.update_cy for e in plan.progress_log if e.ref == "EB48" and e.date == day]
    assert sorted(n.rsplit(": ", 1)[-1] for n in notes) == [
        "Mentoriaid wedi'u paru.",
        "Paru mentoriaid.",
    ]


def test_welsh_the_plan_changed_since_it_was_sent_is_a_conflict_that_holds_all_back(
    joint, tmp_path
):
    plan_path = tmp_path / "plan.xlsx"
    book = openpyxl.load_workbook(joint["plan"])
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB48")
    sheet.cell(row, COLUMNS.index(layout.PROGRESS_CY) + 1).value = "Cywiriad y swyddog."
    book.save(plan_path)  # the officer corrects the Welsh after sending
    day = dt.date(2027, 2, 12)
    hr = _return(
        joint, tmp_path, HR, day, rag="Complete", status="Complete",
        completed_on=dt.datetime(2027, 2, 1), **{layout.PROGRESS_CY: "Cymraeg HR."},
    )  # fmt: skip
    _result, report, merged = _merge(tmp_path, hr, plan=plan_path)
    assert report["updated"] == []
    plan = validate_workbook(merged, language="cy").plan
    action = next(a for a in plan.actions if a.ref == "EB48")
    assert (action.status, action.completed_on) == (None, None)
    assert _eb48(merged)[0]["welsh"] == "Cywiriad y swyddog."
    assert any(e.update_cy.endswith("Cymraeg HR.") for e in plan.progress_log if e.date == day)
