"""A corrected version of a return merged before is compared with that earlier version.

The owner's return was merged (EB60 Amber -> Red); the officer set EB60 back to Amber after
talking to the owner; the owner then sent the return again with a typing error in EB48's
update corrected, EB60 still Red. Compared with what was sent, EB60's Red looked like a
fresh change and undid the officer's decision, and a correction of a value the first
version had changed looked like a conflict with the plan. The merged plan's record keeps
what each return said, so the corrected version is compared with that instead.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import io
import json
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.workbook import layout
from pipeline.workbook.engines import load_sheets
from pipeline.workbook.merged_record import (
    MergedRecordDamaged,
    MergedReturn,
    merged_returns,
    write_merged_returns,
)
from pipeline.workbook.reader import read_workbook
from tests.test_merge_again import HR_CHANGES, _actions, _edit
from tests.test_merge_conflicts import HR, _return, joint_plan
from tests.test_merge_log import _log
from tests.test_returns import _merge

TYPO = "Mentoring pilot runing with 12 pairs."
FIXED = "Mentoring pilot running with 12 pairs."


def _first_merge(tmp_path: Path) -> tuple[Path, Path]:
    """HR's return (EB48's update with a typing error) merged into the joint plan, in tmp_path:
    the return and the merged plan.

    Made once per test process and copied, as joint_plan is (a split and a merge take
    seconds, and ten tests start from it); each caller gets files of its own to change."""
    shutil.copytree(_first_merge_made(), tmp_path, dirs_exist_ok=True)
    return tmp_path / HR, tmp_path / "first" / "merged.xlsx"


@functools.cache
def _first_merge_made() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="eqplan-first-merge-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    joint = joint_plan(folder)
    returned = _return(
        joint, folder, HR, dt.date(2026, 11, 25), **{**HR_CHANGES, "EB48": {"progress": TYPO}}
    )
    first = folder / "first"
    first.mkdir()
    result, _report, merged = _merge(first, returned, plan=joint["plan"])
    assert result.exit_code == 0, result.output
    assert returned == folder / HR and merged == first / "merged.xlsx"
    return folder


def _merge_corrected(tmp_path, returned, plan, **corrections):
    """The owner's corrected return (returned with corrections), merged into plan."""
    second = tmp_path / "second"
    second.mkdir(exist_ok=True)
    corrected = _edit(returned, second / HR, **corrections)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result, report, merged = _merge(out, corrected, plan=plan)
    assert result.exit_code == 0, result.output
    return report, merged, corrected


def test_the_officers_decision_stays_and_the_owners_correction_is_applied(tmp_path):
    returned, merged = _first_merge(tmp_path)
    officer = _edit(merged, tmp_path / "officer.xlsx", EB60={"rag": "Amber"})
    report, again, corrected = _merge_corrected(
        tmp_path, returned, officer, EB48={"progress": FIXED}
    )
    assert report["conflicts"] == []
    assert report["updated"] == [{"ref": "EB48", "fields": ["Progress update"], "file": HR}]
    assert report["record_not_used"] is False
    assert report["returns"][0]["compared_with"] == "earlier_version"
    actions = _actions(again)
    assert actions["EB60"].rag.label == "Amber"  # the officer's, not the owner's Red again
    assert actions["EB48"].progress == FIXED
    assert actions["EB61"].deadline.due == dt.date(2027, 6, 30)
    assert _log(again, "EB60") == _log(officer, "EB60")  # no Not applied row
    text = CliRunner().invoke(
        cli, ["merge", str(officer), str(corrected), "-o", str(tmp_path / "text.xlsx")]
    )
    assert "Only what the owner changed since that version is applied" in text.output


def test_a_correction_to_a_value_the_first_version_changed_is_applied(tmp_path):
    """EB60 Red, then Green in the corrected version: the plan still holds the first
    version's Red, so Green is applied, with no conflict; a third version saying Green again
    after the officer set it to Amber changes nothing."""
    returned, merged = _first_merge(tmp_path)
    report, again, corrected = _merge_corrected(tmp_path, returned, merged, EB60={"rag": "Green"})
    assert report["conflicts"] == []
    assert report["updated"] == [{"ref": "EB60", "fields": ["RAG"], "file": HR}]
    assert _actions(again)["EB60"].rag.label == "Green"
    officer = _edit(again, tmp_path / "officer.xlsx", EB60={"rag": "Amber"})
    third = tmp_path / "third"
    third.mkdir()
    latest = _edit(corrected, third / HR, EB47={"progress": "Adverts placed."})
    _result, report, final = _merge(third, latest, plan=officer)
    assert report["conflicts"] == [] and [u["ref"] for u in report["updated"]] == ["EB47"]
    assert _actions(final)["EB60"].rag.label == "Amber"


def test_a_correction_the_officer_changed_too_is_a_conflict(tmp_path):
    returned, merged = _first_merge(tmp_path)
    officer = _edit(merged, tmp_path / "officer.xlsx", EB60={"rag": "Amber"})
    report, again, _corrected = _merge_corrected(tmp_path, returned, officer, EB60={"rag": "Green"})
    assert [(c["field"], c["values"]) for c in report["conflicts"]] == [("RAG", ["Green", "Amber"])]
    assert _actions(again)["EB60"].rag.label == "Amber"


def _damage(merged, target, how):
    book = openpyxl.load_workbook(merged)
    sheet = book[layout.MERGED_SHEET]
    how(sheet)
    book.save(target)
    return target


def _value_cell(sheet, text):
    return next(c for row in sheet.iter_rows() for c in row if c.value == text)


DAMAGES = {
    "a value typed over": lambda s: setattr(_value_cell(s, "Red"), "value", "Amber"),
    "the checksum typed over": lambda s: setattr(s.cell(1, 2), "value", "0" * 64),
    "a row deleted": lambda s: s.delete_rows(3),
    "a cell added": lambda s: setattr(s.cell(40, 40), "value", 7),
    "an unknown format": lambda s: setattr(s.cell(1, 1), "value", "eqplan-merged-9"),
    "emptied": lambda s: s.delete_rows(1, s.max_row),
}


@pytest.mark.parametrize("how", list(DAMAGES), ids=list(DAMAGES))
def test_a_damaged_record_is_not_used_and_the_report_says_so(tmp_path, how):
    """Nothing is skipped or kept back on the record's word: the return is compared with
    what was sent, as when the plan has no record, and the report says the record was not
    used; the merged plan gets a fresh record."""
    returned, merged = _first_merge(tmp_path)
    damaged = _damage(merged, tmp_path / "damaged.xlsx", DAMAGES[how])
    with pytest.raises(MergedRecordDamaged):
        merged_returns(read_workbook(damaged).unread_sheets)
    report, again, corrected = _merge_corrected(
        tmp_path, returned, damaged, EB48={"progress": FIXED}
    )
    assert report["record_not_used"] is True
    outcome = report["returns"][0]
    assert outcome["status"] == "merged" and outcome["compared_with"] == "sent"
    assert {c["ref"] for c in report["conflicts"]} == {"EB48"}  # as before the record
    assert merged_returns(read_workbook(again).unread_sheets)[0].said
    text = CliRunner().invoke(
        cli, ["merge", str(damaged), str(corrected), "-o", str(tmp_path / "text.xlsx")]
    )
    assert "hidden record of the returns merged into it has been changed or damaged" in (
        text.output
    )


def test_upgrade_keeps_the_record_so_a_return_merged_before_is_known(tmp_path):
    returned, merged = _first_merge(tmp_path)
    officer = _edit(merged, tmp_path / "officer.xlsx", EB60={"rag": "Amber"})
    upgraded = tmp_path / "upgraded.xlsx"
    result = CliRunner().invoke(cli, ["upgrade", str(officer), "-o", str(upgraded)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(upgraded)[layout.MERGED_SHEET].sheet_state == "veryHidden"
    again = tmp_path / "again"
    again.mkdir()
    _result, report, _merged = _merge(again, returned, plan=upgraded)
    assert report["returns"][0]["status"] == "skipped" and report["updated"] == []
    report, corrected_merge, _corrected = _merge_corrected(
        tmp_path, returned, upgraded, EB48={"progress": FIXED}
    )
    assert report["returns"][0]["compared_with"] == "earlier_version"
    assert report["conflicts"] == [] and _actions(corrected_merge)["EB60"].rag.label == "Amber"


def _record(entries) -> list:
    """entries written as a merged plan's record and read back."""
    book = openpyxl.Workbook()
    write_merged_returns(book, entries)
    return load_sheets(_saved_bytes(book))


def _saved_bytes(book) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _entry(digest: str, group: str, said) -> MergedReturn:
    return MergedReturn(digest * 64, "2026-09-30", "2026-10-01", "owner", group, "x.xlsx",
                        "2026-11-28", said)  # fmt: skip


def test_the_record_keeps_what_the_latest_version_of_each_return_said():
    """Text as typed (a formula's look, an escape's, lines, Welsh letters) comes back as it
    was; an earlier version's values are not kept, so the record stays the plan's size."""
    text = "=SUM(_x0041_) 'quoted'\nline two: ŵ"
    entries = [
        _entry("a", "HR", {("eb48", 1): {"progress": "first", "rag": "Red"}}),
        _entry("b", "HR", {("eb48", 1): {"progress": text, "rag": ""}}),
        _entry("c", "LD", {("eb60", 2): {"progress": "28", "deadline": "2027-06-30"}}),
    ]
    read = merged_returns(_record(entries))
    assert read == entries  # identities
    assert [e.said for e in read] == [None, entries[1].said, entries[2].said]


def test_a_record_from_the_first_format_is_read_without_values():
    book = openpyxl.Workbook()
    sheet = book.create_sheet(layout.MERGED_SHEET)
    sheet["A1"] = "eqplan-merged-1"
    columns = ("digest", "report_date", "split_on", "by", "group", "file", "merged_on")
    for column, name in enumerate(columns, start=1):
        sheet.cell(2, column).value = name
        sheet.cell(3, column).value = "a" * 64 if column == 1 else "2026-09-30"
    (entry,) = merged_returns(load_sheets(_saved_bytes(book)))
    assert entry.digest == "a" * 64 and entry.said is None


FORGED = {
    "values of a return not listed": lambda rows: rows.append(["z" * 64, "eb1", "1"]),
    "a field eqplan does not know": lambda rows: rows[1].__setitem__(-1, "progress owner"),
    "an occurrence that is no number": lambda rows: rows[-1].__setitem__(2, "first"),
    "a return listed twice": lambda rows: rows.insert(2, list(rows[1])),
}


@pytest.mark.parametrize("how", list(FORGED), ids=list(FORGED))
def test_a_forged_record_with_a_matching_checksum_is_not_used(how):
    """Rows not as eqplan writes them, with the checksum made again to match."""
    book = openpyxl.Workbook()
    write_merged_returns(book, [_entry("a", "HR", {("eb48", 1): {"progress": "x"}})])
    sheet = book[layout.MERGED_SHEET]
    rows = [[str(c.value or "") for c in row] for row in sheet.iter_rows(min_row=2)]
    rows = [r[: max((i + 1 for i, v in enumerate(r) if v), default=0)] for r in rows]
    FORGED[how](rows)
    sheet.delete_rows(2, sheet.max_row)
    for number, row in enumerate(rows, start=2):
        for column, text in enumerate(row, start=1):
            sheet.cell(number, column).value = text or None
    sheet["B1"] = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    with pytest.raises(MergedRecordDamaged):
        merged_returns(load_sheets(_saved_bytes(book)))
