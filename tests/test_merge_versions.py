"""Of several versions of one return, only the newest saved is merged: an older one is skipped.

HR's return was merged with EB48's update mistyped (v1, saved 25 November), then corrected
(v2, 27 November); a third version withdrew the update (v3, 29 November). A version turning
up late (v1 after v2) was taken as the latest: its mistyped words went back into the plan and
the log, v2's vanished, and v1, v3 then v2 brought the withdrawn update back. Two versions
given in one merge (a returns folder holding both) were in conflict with each other, so
neither was applied. Now a version saved before one merged already, or before another given
in the same merge, is skipped and the report says so, naming the newer version.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.merge_versions import _shown
from pipeline.uk_clock import uk_time
from pipeline.workbook import layout
from pipeline.workbook.engines import load_sheets
from pipeline.workbook.merged_record import _checksum, merged_returns, saved_when
from pipeline.workbook.returns import saved_at
from tests.conftest import MERGE_TODAY
from tests.test_merge_again import _actions, _edit
from tests.test_merge_conflicts import HR, HR_GROUP, LD, _return, joint_plan
from tests.test_merge_corrected_log import _log_rows
from tests.test_merge_log import _saved
from tests.test_returns import _merge

TYPO = "Mentoring pilot runing with 12 pairs."
FIXED = "Mentoring pilot running with 12 pairs."
V1_DAY, V2_DAY, V3_DAY = dt.date(2026, 11, 25), dt.date(2026, 11, 27), dt.date(2026, 11, 29)


def _versions(tmp_path: Path) -> tuple[dict, dict[str, Path]]:
    """The joint plan, and HR's return in three versions, each in a folder of its own under
    the name sent: v1 mistyped, v2 corrected, v3 with the update withdrawn (cleared)."""
    joint = joint_plan(tmp_path)
    (tmp_path / "v1").mkdir()
    v1 = _return(joint, tmp_path / "v1", HR, V1_DAY, EB48={"progress": TYPO})
    versions = {"v1": v1}
    for name, day, update in (("v2", V2_DAY, FIXED), ("v3", V3_DAY, None)):
        (tmp_path / name).mkdir()
        versions[name] = _saved(_edit(v1, tmp_path / name / HR, EB48={"progress": update}), day)
    return joint, versions


def _merged(folder: Path, *returned: Path, plan: Path) -> tuple[dict, Path]:
    folder.mkdir()
    result, report, merged = _merge(folder, *returned, plan=plan)
    assert result.exit_code == 0, result.output
    return report, merged


def _eb48(merged: Path) -> tuple[str, object]:
    action = _actions(merged)["EB48"]
    return action.progress, action.last_updated


def test_an_older_version_arriving_late_does_not_undo_the_newer(tmp_path):
    joint, versions = _versions(tmp_path)
    _report, first = _merged(tmp_path / "first", versions["v2"], plan=joint["plan"])
    assert _eb48(first) == (FIXED, V2_DAY)
    report, late = _merged(tmp_path / "late", versions["v1"], plan=first)
    [outcome] = report["returns"]
    assert outcome["status"] == "skipped" and outcome["compared_with"] is None
    assert outcome["older_than_merged"] == {
        "saved_on": "2026-11-25",
        "newer_file": HR,
        "newer_saved_on": "2026-11-27",
        "saved_at": "2026-11-25T10:00:00+00:00",
        "newer_saved_at": "2026-11-27T10:00:00+00:00",
    }
    assert outcome["merged_before"] is None  # not called an earlier version of v1
    assert report["updated"] == [] and report["conflicts"] == []
    assert _eb48(late) == (FIXED, V2_DAY)  # v2's words stay, dated its save
    assert _log_rows(late, "EB48") == _log_rows(first, "EB48")
    assert _log_rows(late, "EB48")[-1] == (V2_DAY, FIXED, "Amber", HR_GROUP)
    text = CliRunner().invoke(
        cli, ["merge", str(first), str(versions["v1"]), "-o", str(tmp_path / "text.xlsx")]
    )
    assert (
        f"{HR}: skipped: it was saved on 25 November 2026, before {HR} (saved on 27 November "
        "2026), a newer version of the same return already merged into this plan, so nothing "
        "from it is applied: what the owner said later stays."
    ) in " ".join(text.output.split())


def test_a_withdrawn_update_does_not_come_back_with_an_older_version(tmp_path):
    """v1, then v3 (withdraws the update), then v2: v2 is older than v3, so skipped."""
    joint, versions = _versions(tmp_path)
    _report, first = _merged(tmp_path / "first", versions["v1"], plan=joint["plan"])
    _report, withdrawn = _merged(tmp_path / "third", versions["v3"], plan=first)
    assert FIXED not in [row[1] for row in _log_rows(withdrawn, "EB48")]
    report, last = _merged(tmp_path / "late", versions["v2"], plan=withdrawn)
    [outcome] = report["returns"]
    assert outcome["status"] == "skipped"
    assert outcome["older_than_merged"]["newer_saved_on"] == "2026-11-29"
    assert report["updated"] == [] and report["conflicts"] == []
    assert _eb48(last) == _eb48(withdrawn)
    assert _log_rows(last, "EB48") == _log_rows(withdrawn, "EB48")
    assert FIXED not in [row[1] for row in _log_rows(last, "EB48")]


@pytest.mark.parametrize("order", [("v1", "v2"), ("v2", "v1")])
def test_of_two_versions_in_one_merge_only_the_newer_is_merged(tmp_path, order):
    joint, versions = _versions(tmp_path)
    given = [versions[name] for name in order]
    report, merged = _merged(tmp_path / "out", *given, plan=joint["plan"])
    outcomes = {Path(r["file"]).parent.name: r for r in report["returns"]}
    assert [Path(r["file"]).parent.name for r in report["returns"]] == list(order)
    assert outcomes["v2"]["status"] == "merged" and outcomes["v2"]["older_than_merged"] is None
    assert outcomes["v2"]["merged_before"] is None and outcomes["v2"]["compared_with"] == "sent"
    assert outcomes["v1"]["status"] == "skipped" and outcomes["v1"]["merged_before"] is None
    assert outcomes["v1"]["older_than_merged"] == {
        "saved_on": "2026-11-25",
        "newer_file": outcomes["v2"]["file"],
        "newer_saved_on": "2026-11-27",
        "saved_at": "2026-11-25T10:00:00+00:00",
        "newer_saved_at": "2026-11-27T10:00:00+00:00",
    }
    assert report["conflicts"] == []
    assert report["updated"] == [
        {"ref": "EB48", "fields": ["Progress update"], "file": outcomes["v2"]["file"]}
    ]
    assert _eb48(merged) == (FIXED, V2_DAY)
    rows = _log_rows(merged, "EB48")
    assert rows[-1] == (V2_DAY, FIXED, "Amber", HR_GROUP)
    assert TYPO not in [row[1] for row in rows]
    assert not any("Not applied" in str(row[1]) for row in rows)
    text = CliRunner().invoke(
        cli, ["merge", str(joint["plan"]), *map(str, given), "-o", str(tmp_path / "text.xlsx")]
    )
    said = " ".join(text.output.split())
    assert "a newer version of the same return given in this merge, so only that one" in said
    assert "was merged into this plan on" not in said


def test_versions_saved_the_same_day_are_merged_as_before(tmp_path):
    """Not told apart by age: each is merged, as before (they conflict over EB48)."""
    joint, versions = _versions(tmp_path)
    same_day = _saved(versions["v2"], V1_DAY)
    report, _merged_plan = _merged(tmp_path / "out", versions["v1"], same_day, plan=joint["plan"])
    assert [r["status"] for r in report["returns"]] == ["merged", "merged"]
    assert all(r["older_than_merged"] is None for r in report["returns"])


def _as_second_format(merged: Path, target: Path) -> Path:
    """merged, with its record written as eqplan wrote it before save dates were kept
    (eqplan-merged-2: no saved_on column), its checksum made again."""
    book = openpyxl.load_workbook(merged)
    sheet = book[layout.MERGED_SHEET]
    assert sheet["A1"].value == "eqplan-merged-3"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:9] == [
        "digest", "report_date", "split_on", "by", "group", "file", "merged_on", "saved_on",
        "fields",
    ]  # fmt: skip
    returns = next(n for n, row in enumerate(rows) if not any(row))
    for row in rows[:returns]:
        del row[7]  # saved_on
    texts = [["" if v is None else str(v) for v in row] for row in rows]
    for row in texts:
        while row and not row[-1]:
            row.pop()
    book.remove(sheet)
    again = book.create_sheet(layout.MERGED_SHEET)
    again.sheet_state = "veryHidden"
    again["A1"], again["B1"] = "eqplan-merged-2", _checksum(texts)
    for number, row in enumerate(texts, start=2):
        for column, text in enumerate(row, start=1):
            if text:
                again.cell(number, column).value = text
    book.save(target)
    return target


def test_a_plan_whose_record_has_no_save_dates_merges_as_before(tmp_path):
    """An eqplan-merged-2 record knows no save dates: a version saved earlier than the one
    merged is merged, compared with what that one said, as before save dates were kept."""
    joint, versions = _versions(tmp_path)
    _report, first = _merged(tmp_path / "first", versions["v2"], plan=joint["plan"])
    older = _as_second_format(first, tmp_path / "older-record.xlsx")
    [entry] = merged_returns(load_sheets(older))
    assert entry.saved_on == "" and entry.file == HR and entry.said
    report, merged = _merged(tmp_path / "out", versions["v1"], plan=older)
    [outcome] = report["returns"]
    assert outcome["status"] == "merged" and outcome["older_than_merged"] is None
    assert outcome["compared_with"] == "earlier_version"
    assert outcome["merged_before"]["file"] == HR
    assert report["record_not_used"] is False
    assert _eb48(merged) == (TYPO, V1_DAY)
    # the record is written again in the new format, v1's save date kept
    entries = merged_returns(load_sheets(merged))
    assert [e.saved_on for e in entries] == ["", "2026-11-25T10:00:00+00:00"]


def test_the_record_keeps_each_versions_save_date_and_is_still_checked(tmp_path):
    joint, versions = _versions(tmp_path)
    _report, first = _merged(tmp_path / "first", versions["v1"], plan=joint["plan"])
    [entry] = merged_returns(load_sheets(first))
    assert entry.saved_on == "2026-11-25T10:00:00+00:00"  # to the second, in UTC
    book = openpyxl.load_workbook(first)
    sheet = book[layout.MERGED_SHEET]
    sheet.cell(3, 8).value = "2026-12-31"  # a save date changed by hand
    book.save(tmp_path / "changed.xlsx")
    report, _merged_plan = _merged(tmp_path / "out", versions["v2"], plan=tmp_path / "changed.xlsx")
    assert report["record_not_used"] is True
    assert report["returns"][0]["status"] == "merged"


def test_versions_sent_the_same_day_are_told_apart_by_the_time_saved(tmp_path):
    """HR corrected the return within the day: v1 saved at 09:15, v2 at 14:30. Given together,
    or v1 after v2 was merged, only v2 counts, and the report gives both times."""
    joint, versions = _versions(tmp_path)
    earlier = _saved(versions["v1"], V1_DAY, "09:15:00Z")
    later = _saved(versions["v2"], V1_DAY, "14:30:00Z")
    report, together = _merged(tmp_path / "together", later, earlier, plan=joint["plan"])
    outcomes = {Path(r["file"]).parent.name: r for r in report["returns"]}
    assert outcomes["v2"]["status"] == "merged" and outcomes["v1"]["status"] == "skipped"
    assert outcomes["v1"]["older_than_merged"] == {
        "saved_on": "2026-11-25",
        "newer_file": outcomes["v2"]["file"],
        "newer_saved_on": "2026-11-25",
        "saved_at": "2026-11-25T09:15:00+00:00",
        "newer_saved_at": "2026-11-25T14:30:00+00:00",
    }
    assert report["conflicts"] == []
    assert _eb48(together) == (FIXED, V1_DAY)
    assert TYPO not in [row[1] for row in _log_rows(together, "EB48")]

    _report, first = _merged(tmp_path / "first", later, plan=joint["plan"])
    report, late = _merged(tmp_path / "late", earlier, plan=first)
    [outcome] = report["returns"]
    assert outcome["status"] == "skipped" and report["updated"] == []
    assert _eb48(late) == (FIXED, V1_DAY)
    assert _log_rows(late, "EB48") == _log_rows(first, "EB48")
    text = CliRunner().invoke(
        cli, ["merge", str(first), str(earlier), "-o", str(tmp_path / "t.xlsx")]
    )
    assert (
        "it was saved on 25 November 2026 at 09:15, before "
        f"{HR} (saved on 25 November 2026 at 14:30), a newer version of the same return "
        "already merged"
    ) in " ".join(text.output.split())


def test_a_record_that_knows_only_the_day_does_not_tell_same_day_versions_apart(tmp_path):
    """A plan merged by an earlier eqplan recorded the day alone: a version saved that same
    day, even earlier in it, is merged as a version sent again, as before."""
    joint, versions = _versions(tmp_path)
    later = _saved(versions["v2"], V1_DAY, "14:30:00Z")
    _report, first = _merged(tmp_path / "first", later, plan=joint["plan"])
    to_the_day = _record_saved_on(first, "2026-11-25", tmp_path / "to-the-day.xlsx")
    assert [e.saved_on for e in merged_returns(load_sheets(to_the_day))] == ["2026-11-25"]
    earlier = _saved(versions["v1"], V1_DAY, "09:15:00Z")
    report, merged = _merged(tmp_path / "out", earlier, plan=to_the_day)
    [outcome] = report["returns"]
    assert outcome["status"] == "merged" and outcome["older_than_merged"] is None
    assert outcome["compared_with"] == "earlier_version"
    assert _eb48(merged) == (TYPO, V1_DAY)


def _record_saved_on(merged: Path, text: str, target: Path) -> Path:
    """merged, its record's one save time replaced by text, the checksum made again."""
    book = openpyxl.load_workbook(merged)
    sheet = book[layout.MERGED_SHEET]
    assert sheet.cell(2, 8).value == "saved_on"
    sheet.cell(3, 8).value = text
    rows = [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows(2)]
    for row in rows:
        while row and not row[-1]:
            row.pop()
    sheet["B1"] = _checksum(rows)
    book.save(target)
    return target


@pytest.mark.parametrize(
    ("text", "day", "shown"),
    [
        ("2026-06-01T23:30:00+00:00", dt.date(2026, 6, 2), "00:30"),  # British Summer Time
        ("2026-11-25T09:15:00+00:00", dt.date(2026, 11, 25), "09:15"),
        ("2026-11-25", dt.date(2026, 11, 25), None),  # an earlier record: the day alone
    ],
)
def test_a_recorded_save_is_read_back_on_the_uk_clock(text, day, shown):
    saved = saved_when(text)
    assert saved.day == day
    assert (uk_time(saved.moment) if saved.moment else None) == shown
    assert saved_when("") is None and saved_when("not a date") is None


def test_versions_saved_within_one_second_arriving_out_of_order(tmp_path):
    """The record keeps the save time as precisely as the file gives it: v2, saved 0.4 s after
    v1, merged first; v1 arriving late is still the older, and is skipped."""
    joint, versions = _versions(tmp_path)
    earlier = _saved(versions["v1"], V1_DAY, "10:00:00.3Z")
    later = _saved(versions["v2"], V1_DAY, "10:00:00.7Z")
    _report, first = _merged(tmp_path / "first", later, plan=joint["plan"])
    assert [e.saved_on for e in merged_returns(load_sheets(first))] == [
        "2026-11-25T10:00:00.700000+00:00"
    ]
    report, late = _merged(tmp_path / "late", earlier, plan=first)
    assert report["returns"][0]["status"] == "skipped"
    assert _eb48(late) == (FIXED, V1_DAY)


def test_a_save_time_at_the_edge_of_the_calendar_does_not_stop_the_merge(tmp_path):
    """31 December 9999, five hours behind UTC, is past the last moment the UK clock can show:
    it used to end the merge with a traceback, losing every return given with it."""
    joint, versions = _versions(tmp_path)
    odd = _saved(versions["v1"], dt.date(9999, 12, 31), "23:59:59-05:00")
    other = _return(joint, tmp_path, LD, V2_DAY, EB60={"progress": "Course booked."})
    report, _merged_plan = _merged(tmp_path / "out", odd, other, plan=joint["plan"])
    assert [r["status"] for r in report["returns"]] == ["merged", "merged"]
    assert report["returns"][0]["saved_on"] is None  # after today: not believed
    assert report["returns"][0]["dated_today"] is True


def test_a_save_time_after_today_is_not_believed(tmp_path):
    """A wrong clock said v1 was saved next year. Its updates are dated today, as a return's
    with no save date are, and it does not outrank v2, saved before today."""
    joint, versions = _versions(tmp_path)
    ahead = _saved(versions["v1"], dt.date(2028, 1, 5))
    report, first = _merged(tmp_path / "first", ahead, plan=joint["plan"])
    [outcome] = report["returns"]
    assert outcome["saved_on"] is None and outcome["dated_today"] is True
    assert _eb48(first) == (TYPO, MERGE_TODAY)
    text = CliRunner().invoke(
        cli, ["merge", str(joint["plan"]), str(ahead), "-o", str(tmp_path / "t.xlsx")]
    )
    assert (
        "Its save date is not recorded (Google Sheets, for one, does not record it) or is after today"
        in " ".join(text.output.split())
    )
    report, second = _merged(tmp_path / "second", versions["v2"], plan=first)
    [outcome] = report["returns"]
    assert outcome["status"] == "merged" and outcome["older_than_merged"] is None
    assert _eb48(second) == (FIXED, V2_DAY)


@pytest.mark.parametrize(
    ("saved", "other", "shown"),
    [
        ("2026-11-25T10:00:10+00:00", "2026-11-25T10:00:50+00:00", "25 November 2026 at 10:00:10"),
        ("2026-11-25T09:15:00+00:00", "2026-11-25T14:30:00+00:00", "25 November 2026 at 09:15"),
        # the hour the clocks go back: 01:30 BST came before 01:10 GMT
        ("2026-10-25T00:30:00+00:00", "2026-10-25T01:10:00+00:00", "25 October 2026 at 01:30 BST"),
        ("2026-10-25T01:10:00+00:00", "2026-10-25T00:30:00+00:00", "25 October 2026 at 01:10 GMT"),
        ("2026-11-25T09:15:00+00:00", "2026-11-26T08:00:00+00:00", "25 November 2026"),
        ("2026-11-25T09:15:00+00:00", "2026-11-25", "25 November 2026"),
    ],
)
def test_a_save_time_is_shown_as_precisely_as_telling_two_versions_apart_needs(saved, other, shown):
    assert _shown(saved_when(saved), saved_when(other)) == shown


def test_a_save_time_recorded_without_its_zone_is_on_the_uk_clock(tmp_path):
    _joint, versions = _versions(tmp_path)
    british_summer = _saved(versions["v1"], dt.date(2026, 6, 1), "23:30:00")
    assert saved_at(british_summer.read_bytes()) == dt.datetime(2026, 6, 1, 22, 30, tzinfo=dt.UTC)
    assert saved_at(_saved(versions["v2"], V1_DAY, "nonsense").read_bytes()) is None
