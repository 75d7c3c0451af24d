"""Returns in conflict over an action: nothing of theirs is applied to it, nothing is lost.

Found running a year of the quarterly cycle: EB60's joint owners disagreed (HR: a new
update, RAG, Status Complete and a Completed on date; L&D: another update, RAG Green).
The update and RAG were conflicts and kept as they were, but HR's Status and Completed on
were applied, so the plan counted EB60 as Complete beside its old Amber and update; and
neither owner's words were kept anywhere in the merged plan.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import cli
from pipeline.split import split_workbook
from pipeline.validate import validate_workbook
from tests.conftest import EXAMPLE
from tests.test_merge_log import _log, _saved
from tests.test_returns import COLUMNS, _merge

HR, LD = "Human-Resources-and-OD.xlsx", "Learning-and-Development-Team.xlsx"
HR_GROUP, LD_GROUP = "Human Resources and OD", "Learning and Development Team"
NOT_APPLIED = "Not applied (a conflict for the officer to settle, then delete this row): "


@pytest.fixture(scope="module")
def joint(tmp_path_factory) -> dict[str, Path]:
    return joint_plan(tmp_path_factory.mktemp("joint60"))


def joint_plan(folder: Path) -> dict[str, Path]:
    """The example with EB60 owned by HR and L&D, in folder; split by owner.

    Made once per test process and copied (a split takes seconds, and a dozen tests start
    from it); each caller gets files of its own to change."""
    made = _joint_made()
    plan, sent = folder / "plan.xlsx", folder / "sent"
    shutil.copy(made / "plan.xlsx", plan)
    shutil.copytree(made / "sent", sent)
    return {"plan": plan, "sent": sent}


#: The day the joint plan's returns were sent: before every day a test saves one on, as in
#: a real round of returns (and whatever the machine's date).
JOINT_SENT_ON = dt.date(2026, 11, 20)


@functools.cache
def _joint_made() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="eqplan-joint-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    plan = folder / "plan.xlsx"
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB60")
    sheet.cell(row, COLUMNS.index("owner") + 1).value = f"{HR_GROUP}; {LD_GROUP}"
    book.save(plan)
    split_workbook(plan, folder / "sent", by="owner", today=JOINT_SENT_ON)
    return folder


def _return(joint, folder: Path, name: str, day: dt.date, **changes: dict) -> Path:
    path = folder / name
    shutil.copy(joint["sent"] / name, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for ref, values in changes.items():
        for key, value in values.items():
            sheet.cell(rows[ref], COLUMNS.index(key) + 1).value = value
    book.save(path)
    return _saved(path, day)


def _returns(joint, folder: Path) -> list[Path]:
    hr = {
        "EB60": {
            "progress": "40 trained, target met.",
            "rag": "Complete",
            "status": "Complete",
            "completed_on": dt.datetime(2026, 11, 20),
        },
        "EB48": {"progress": "Mentors matched."},  # HR's alone: applied
    }
    ld = {"EB60": {"progress": "35 trained.", "rag": "Green"}}
    return [
        _return(joint, folder, HR, dt.date(2026, 11, 25), **hr),
        _return(joint, folder, LD, dt.date(2026, 11, 24), **ld),
    ]


def test_returns_in_conflict_over_an_action_give_it_nothing_and_lose_nothing(joint, tmp_path):
    result, report, merged = _merge(tmp_path, *_returns(joint, tmp_path), plan=joint["plan"])
    assert result.exit_code == 0, result.output
    validation = validate_workbook(merged)
    actions = {a.ref: a for a in validation.plan.actions}
    eb60 = actions["EB60"]
    assert (eb60.rag.label, eb60.status, eb60.completed_on) == ("Amber", None, None)
    assert eb60.progress == "28 trained so far." and not eb60.is_complete
    assert not [p for p in validation.report.problems if p.code == "COMPLETE_MISMATCH"]
    assert actions["EB48"].progress == "Mentors matched."
    assert [u["ref"] for u in report["updated"]] == ["EB48"]
    conflicts = [(c["field"], c["files"], c["values"], c["held_back"]) for c in report["conflicts"]]
    assert conflicts == [
        ("RAG", [HR, LD], ["Complete", "Green"], False),
        ("Progress update", [HR, LD], ["40 trained, target met.", "35 trained."], False),
        ("Status", [HR, "plan.xlsx"], ["Complete", ""], True),
        ("Completed on", [HR, "plan.xlsx"], ["2026-11-20", ""], True),
    ]
    assert _log(merged, "EB60") == [
        (dt.date(2026, 11, 25), NOT_APPLIED + "40 trained, target met.", "Complete", HR_GROUP),
        (dt.date(2026, 11, 24), NOT_APPLIED + "35 trained.", "Green", LD_GROUP),
    ]
    statuses = [e.status_text for e in validation.plan.progress_log if e.ref == "EB60"]
    assert statuses == ["Complete", ""]
    text = CliRunner().invoke(
        cli,
        ["merge", str(joint["plan"]), *(str(tmp_path / n) for n in (HR, LD)),
         "-o", str(tmp_path / "text.xlsx")],
    ).output  # fmt: skip
    assert (
        f"EB60 Status: {HR} says 'Complete'; plan.xlsx says '(empty)' "
        "(not applied, as the return is in conflict over EB60)"
    ) in text
    assert "its update is on the Progress log, marked Not applied" in " ".join(text.split())


def test_the_same_returns_merged_again_log_nothing_twice(joint, tmp_path):
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir(), second.mkdir()
    returns = _returns(joint, first)
    _result, _report, merged = _merge(first, *returns, plan=joint["plan"])
    result, report, again = _merge(second, *returns, plan=merged)
    assert result.exit_code == 0, result.output
    assert report["updated"] == [] and report["conflicts"] == []  # merged before: skipped
    assert [r["status"] for r in report["returns"]] == ["skipped", "skipped"]
    assert _log(again, "EB60") == _log(merged, "EB60")


def test_a_return_in_conflict_with_the_plan_gives_that_action_nothing(joint, tmp_path):
    """The officer set EB47's RAG after sending; HR's return changes it and gives a new
    update: the update is not applied beside the officer's rating, but kept on the log."""
    plan = tmp_path / "plan.xlsx"
    book = openpyxl.load_workbook(joint["plan"])
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "EB47")
    sheet.cell(row, COLUMNS.index("rag") + 1).value = "Red"
    book.save(plan)
    returned = _return(
        joint, tmp_path, HR, dt.date(2026, 11, 25), EB47={"rag": "Amber", "progress": "Done."}
    )
    _result, report, merged = _merge(tmp_path, returned, plan=plan)
    assert [(c["field"], c["held_back"]) for c in report["conflicts"]] == [
        ("RAG", False),
        ("Progress update", True),
    ]
    eb47 = next(a for a in validate_workbook(merged).plan.actions if a.ref == "EB47")
    assert (eb47.rag.label, eb47.progress) == ("Red", "")
    assert _log(merged, "EB47") == [
        (dt.date(2026, 11, 25), NOT_APPLIED + "Done.", "Amber", HR_GROUP)
    ]


def test_an_update_the_plan_already_holds_is_not_logged_as_not_applied(joint, tmp_path):
    """HR's return merged first, then HR's and L&D's together: L&D's update conflicts with
    HR's, which the plan already holds; only L&D's goes on the log as not applied."""
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir(), second.mkdir()
    hr, ld = _returns(joint, first)
    _result, _report, merged = _merge(first, hr, plan=joint["plan"])
    _result, report, again = _merge(second, hr, ld, plan=merged)
    assert ("Progress update", False) in [(c["field"], c["held_back"]) for c in report["conflicts"]]
    assert [u for _d, u, _r, _b in _log(again, "EB60") if u.startswith("Not applied")] == [
        NOT_APPLIED + "35 trained."
    ]


def test_an_unsettled_note_is_never_printed_as_progress(joint, tmp_path):
    """After next-period moves EB60's update to the log, the notes dated later than it must
    not become its latest update in the next plan, nor appear in its printed history."""
    _result, _report, merged = _merge(tmp_path, *_returns(joint, tmp_path), plan=joint["plan"])
    following = tmp_path / "next.xlsx"
    moved = CliRunner().invoke(cli, ["next-period", str(merged), "-o", str(following)])
    assert moved.exit_code == 0, moved.output
    assert "1 action still has a merge conflict to settle (EB60)" in moved.output
    assert any(NOT_APPLIED in row[1] for row in _log(following, "EB60"))  # still there
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(following), "-o", str(out), "--history"])
    assert built.exit_code in (0, 1), built.output
    words = "\n".join(
        cell.text for table in Document(out / "next.docx").tables for row in table.rows
        for cell in row.cells
    )  # fmt: skip
    assert "28 trained so far." in words
    assert "Not applied" not in words and "35 trained." not in words


def test_an_unsettled_note_is_warned_of_and_never_sent_to_owners(joint, tmp_path):
    """Found by an officer's review: validate and next-period said nothing of the notes,
    and split sent HR's unsettled words to the joint owner."""
    _result, _report, merged = _merge(tmp_path, *_returns(joint, tmp_path), plan=joint["plan"])
    report = validate_workbook(merged).report
    unsettled = [p for p in report.problems if p.code == "CONFLICT_UNSETTLED"]
    assert unsettled and all(p.item == "EB60" for p in unsettled)
    assert all(p.where.startswith("'Progress log'!C") for p in unsettled)
    sent = tmp_path / "sent"
    result = CliRunner().invoke(cli, ["split", str(merged), "--by", "owner", "-o", str(sent)])
    assert result.exit_code == 0, result.output
    for name in (HR, LD):
        logged = [row[1] for row in _log(sent / name, "EB60")]
        assert not any(NOT_APPLIED in words for words in logged), name
