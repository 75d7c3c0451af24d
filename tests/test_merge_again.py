"""A return merged into the plan again, and conflicts whose sides say the same.

Found living four quarters of the cycle: the officer merged the Q1 returns, then set
EB60's RAG back from Red to Amber after talking to its owner, reworded EB48's update and
moved EB61's deadline; when a late return came, merging the folder again (the first
return too) put EB60 back to Red as a fresh change, listed the officer's other edits as
conflicts and logged a second Not applied row. And re-merging a plan whose Welsh update the
officer had typed in listed a conflict whose two sides said the same words.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.validate import validate_workbook
from pipeline.workbook import layout
from tests.conftest import MERGE_TODAY
from tests.test_merge_conflicts import HR, HR_GROUP, _return, joint_plan
from tests.test_merge_log import _log
from tests.test_returns import COLUMNS, _merge

NOT_APPLIED = "Not applied (a conflict for the officer to settle, then delete this row): "
HR_CHANGES = {
    "EB60": {"rag": "Red", "progress": "Trainer off sick: 28 trained."},
    "EB48": {"progress": "Mentoring pilot running with 12 pairs."},
    "EB61": {"deadline": dt.datetime(2027, 6, 30)},
}


def _edit(source: Path, target: Path, **changes: dict) -> Path:
    """target: source with the officer's edits, by Ref and field key (saved as Excel would)."""
    book = openpyxl.load_workbook(source)
    sheet = book[layout.ACTIONS_SHEET]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for ref, values in changes.items():
        for key, value in values.items():
            sheet.cell(rows[ref], COLUMNS.index(key) + 1).value = value
    book.save(target)
    return target


def _actions(path: Path) -> dict:
    return {a.ref: a for a in validate_workbook(path).plan.actions}


def _officer_edited(joint, tmp_path: Path) -> tuple[Path, Path]:
    """HR's return merged, then the officer's decisions typed into the merged plan."""
    returned = _return(joint, tmp_path, HR, dt.date(2026, 11, 25), **HR_CHANGES)
    first = tmp_path / "first"
    first.mkdir()
    result, _report, merged = _merge(first, returned, plan=joint["plan"])
    assert result.exit_code == 0, result.output
    assert _actions(merged)["EB60"].rag.label == "Red"
    officer = _edit(
        merged,
        tmp_path / "officer.xlsx",
        EB60={"rag": "Amber"},  # back to the value sent, after talking to the owner
        EB48={"progress": "Mentoring pilot running with twelve pairs across three councils."},
        EB61={"deadline": dt.datetime(2027, 5, 31)},
    )
    return returned, officer


def test_a_return_merged_again_is_skipped_and_the_officers_values_stay(tmp_path):
    joint = joint_plan(tmp_path)
    returned, officer = _officer_edited(joint, tmp_path)
    renamed = tmp_path / "HR update (1).xlsx"  # owners rename files: the content tells
    shutil.copy(returned, renamed)
    again = tmp_path / "again"
    again.mkdir()
    result, report, merged = _merge(again, returned, renamed, plan=officer)
    assert result.exit_code == 0, result.output
    assert report["updated"] == [] and report["conflicts"] == []
    first = report["returns"][0]
    assert first["status"] == "skipped" and first["updated"] == 0
    assert first["merged_before"] == {"file": HR, "merged_on": MERGE_TODAY.isoformat()}
    assert "nothing from it is applied again" in first["reason"]
    assert report["returns"][1]["status"] == "skipped"
    assert HR_GROUP not in [g["group"] for g in report["not_returned"]]  # it has returned
    actions = _actions(merged)
    assert actions["EB60"].rag.label == "Amber"
    assert actions["EB48"].progress.startswith("Mentoring pilot running with twelve pairs")
    assert actions["EB61"].deadline.due == dt.date(2027, 5, 31)
    for ref in HR_CHANGES:
        assert _log(merged, ref) == _log(officer, ref)  # no Not applied row, nothing twice
    text = CliRunner().invoke(
        cli, ["merge", str(officer), str(returned), "-o", str(tmp_path / "text.xlsx")]
    )
    assert text.exit_code == 0, text.output
    day = MERGE_TODAY
    assert (
        f"{HR}: skipped: it was merged into this plan on {day.day} {day:%B %Y} (as {HR}), "
        "so nothing from it is applied again."
    ) in text.output


def test_the_record_goes_with_the_merged_plan_and_not_to_the_next_period(tmp_path):
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, dt.date(2026, 11, 25), **HR_CHANGES)
    _result, _report, merged = _merge(tmp_path, returned, plan=joint["plan"])
    book = openpyxl.load_workbook(merged)
    assert book[layout.MERGED_SHEET].sheet_state == "veryHidden"
    problems = validate_workbook(merged).report.problems
    assert not [p for p in problems if p.sheet == layout.MERGED_SHEET]
    following = tmp_path / "next.xlsx"
    moved = CliRunner().invoke(cli, ["next-period", str(merged), "-o", str(following)])
    assert moved.exit_code == 0, moved.output
    assert layout.MERGED_SHEET not in openpyxl.load_workbook(following).sheetnames


def test_a_corrected_version_of_a_merged_return_is_merged_and_says_so(tmp_path):
    """The owner adds EB47's update and sends the return again: it is merged; its values
    the plan holds already (EB60's Red, EB61's deadline) are neither changes nor conflicts."""
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, dt.date(2026, 11, 25), **HR_CHANGES)
    first = tmp_path / "first"
    first.mkdir()
    _result, _report, merged = _merge(first, returned, plan=joint["plan"])
    second = tmp_path / "second"
    second.mkdir()
    corrected = _edit(returned, second / HR, EB47={"progress": "Adverts placed with 6 groups."})
    result, report, again = _merge(second, corrected, plan=merged)
    assert result.exit_code == 0, result.output
    outcome = report["returns"][0]
    assert outcome["status"] == "merged"
    assert outcome["merged_before"] == {"file": HR, "merged_on": MERGE_TODAY.isoformat()}
    assert report["updated"] == [{"ref": "EB47", "fields": ["Progress update"], "file": HR}]
    assert report["conflicts"] == []
    actions = _actions(again)
    assert actions["EB47"].progress == "Adverts placed with 6 groups."
    assert actions["EB60"].rag.label == "Red"
    text = (
        CliRunner()
        .invoke(cli, ["merge", str(merged), str(corrected), "-o", str(tmp_path / "text.xlsx")])
        .output
    )
    assert "An earlier version of it (Human-Resources-and-OD.xlsx) was merged" in text


def test_the_plans_own_value_returned_is_never_a_conflict_english_or_welsh(tmp_path):
    """The return's update, in English and Welsh, typed into the plan by the officer (no
    merge): merging the return finds nothing to settle, and logs no Not applied row. The
    Welsh alone, returned with no English beside it, likewise."""
    joint = joint_plan(tmp_path)
    welsh = "Cynllun peilot mentora yn rhedeg gyda 12 pâr."
    returned = _return(
        joint,
        tmp_path,
        HR,
        dt.date(2026, 11, 25),
        EB48={"progress": "Mentoring pilot running with 12 pairs.", layout.PROGRESS_CY: welsh},
        EB61={layout.PROGRESS_CY: "Hyfforddiant wedi ei gwblhau."},  # no English beside it
    )
    typed = _edit(
        joint["plan"],
        tmp_path / "plan.xlsx",
        EB48={"progress": "Mentoring pilot running with 12 pairs.  ", layout.PROGRESS_CY: welsh},
        EB61={
            "progress": "Training complete.",
            layout.PROGRESS_CY: "Hyfforddiant wedi ei gwblhau.",
        },
    )
    merged_dir = tmp_path / "m"
    merged_dir.mkdir()
    result, report, merged = _merge(merged_dir, returned, plan=typed)
    assert result.exit_code in (0, 1), result.output
    assert report["conflicts"] == []
    for ref in ("EB48", "EB61"):
        assert not [row for row in _log(merged, ref) if row[1].startswith(NOT_APPLIED.strip())]


def test_the_welsh_the_plan_holds_is_no_conflict_beside_an_english_one(tmp_path):
    """The officer reworded the English update the return gave, keeping its Welsh: the
    English is a conflict; the Welsh, the same on both sides, is not."""
    joint = joint_plan(tmp_path)
    welsh = "Cynllun peilot mentora yn rhedeg gyda 12 pâr."
    returned = _return(
        joint,
        tmp_path,
        HR,
        dt.date(2026, 11, 25),
        EB48={"progress": "Mentoring pilot running with 12 pairs.", layout.PROGRESS_CY: welsh},
    )
    typed = _edit(
        joint["plan"],
        tmp_path / "plan.xlsx",
        EB48={"progress": "Mentoring pilot: twelve pairs.", layout.PROGRESS_CY: welsh},
    )
    merged_dir = tmp_path / "m"
    merged_dir.mkdir()
    _result, report, _merged = _merge(merged_dir, returned, plan=typed)
    assert [c["field"] for c in report["conflicts"]] == ["Progress update"]


def test_conflicts_give_dates_as_every_other_message_does(tmp_path):
    """The text report and the web page say 30 June 2027; the JSON keeps ISO dates."""
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, dt.date(2026, 11, 25), EB61=HR_CHANGES["EB61"])
    typed = _edit(
        joint["plan"], tmp_path / "plan.xlsx", EB61={"deadline": dt.datetime(2027, 5, 31)}
    )
    merged_dir = tmp_path / "m"
    merged_dir.mkdir()
    _result, report, _merged = _merge(merged_dir, returned, plan=typed)
    assert [c["values"] for c in report["conflicts"]] == [["2027-06-30", "2027-05-31"]]
    text = (
        CliRunner()
        .invoke(cli, ["merge", str(typed), str(returned), "-o", str(tmp_path / "text.xlsx")])
        .output
    )
    assert f"EB61 Deadline: {HR} says '30 June 2027'; plan.xlsx says '31 May 2027'" in text


def test_report_json_still_has_the_keys_scripts_read(tmp_path):
    joint = joint_plan(tmp_path)
    returned = _return(joint, tmp_path, HR, dt.date(2026, 11, 25), **HR_CHANGES)
    _result, report, _merged = _merge(tmp_path, returned, plan=joint["plan"])
    assert json.loads(json.dumps(report))["returns"][0]["merged_before"] is None
    assert {"file", "status", "reason", "code", "updated", "group"} <= set(report["returns"][0])
