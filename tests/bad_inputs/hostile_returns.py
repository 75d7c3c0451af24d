"""Hostile cases: sending actions out and merging returns (issue 13; see hostile.py for the contract).

Owners' names that try to leave the output folder or take a device name,
returns that are not what they claim (another plan, last quarter's, a plain
workbook, a CSV renamed), and outputs that lead back to an input. Refused
returns are left out with their code and the rest still merge (exit code 1);
no input is ever changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from pipeline.split import split_workbook
from pipeline.workbook import layout
from tests.bad_inputs.hostile import HostileCase
from tests.conftest import action_row, write_plan_workbook

_OWNERS = ("../../outside", "CON", "Policy Team")


def _plan(path: Path, **plan: object) -> Path:
    actions = [
        action_row(ref=f"A{n}", owner=owner, point=f"1.{n}")
        for n, owner in enumerate(_OWNERS, start=1)
    ]
    return write_plan_workbook(path, actions=actions, plan=plan or None)


def _sent(folder: Path, plan: Path, into: str) -> Path:
    split_workbook(plan, folder / into, by="owner")
    return folder / into / "Policy-Team.xlsx"


def _owner_names_that_leave_the_folder(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    return ["split", "plan.xlsx", "--by", "owner", "-o", "out"]


def _return_from_another_plan(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    other = _plan(folder / "other.xlsx", council="Other Town Council")
    _sent(folder, other, "other-sent").rename(folder / "other-return.xlsx")
    return ["merge", "plan.xlsx", "other-return.xlsx", "-o", "merged.xlsx"]


def _return_from_last_quarter(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    old = _plan(folder / "plan-august.xlsx", report_date=dt.date(2026, 8, 31))
    _sent(folder, old, "august").rename(folder / "august-return.xlsx")
    return ["merge", "plan.xlsx", "august-return.xlsx", "-o", "merged.xlsx"]


def _plain_workbook_and_renamed_csv(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    _plan(folder / "copy.xlsx")
    (folder / "renamed.xlsx").write_text("Ref,RAG\nA1,Red\n", encoding="utf-8")
    return ["merge", "plan.xlsx", "copy.xlsx", "renamed.xlsx", "-o", "merged.xlsx"]


def _returns_with_one_name_in_two_folders(folder: Path) -> list[str]:
    """Two owners' returns both saved as return.xlsx, in two folders: the report tells them apart."""
    plan = _plan(folder / "plan.xlsx")
    split_workbook(plan, folder / "sent", by="owner")
    for folder_name, sent, ref in (("q1", "Policy-Team", "A3"), ("q2", "outside", "A1")):
        (folder / folder_name).mkdir()
        _edit(folder / "sent" / f"{sent}.xlsx", folder / folder_name / "return.xlsx", ref)
    return ["merge", "plan.xlsx", "q1/return.xlsx", "q2/return.xlsx", "-o", "merged.xlsx"]


def _edit(sent: Path, target: Path, which: str, **values: object) -> None:
    """Save a copy of a sent workbook as its owner would, with the action's RAG set to Red."""
    columns = [c.key for c in layout.ACTIONS.columns]
    wb = openpyxl.load_workbook(sent)
    ws = wb[layout.ACTIONS_SHEET]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == which:
            for key, value in {"rag": "Red", **values}.items():
                ws.cell(row=row, column=columns.index(key) + 1).value = value
    wb.save(target)


def _plans_with_one_name_in_two_folders(folder: Path) -> list[str]:
    """Two departments' plans both called plan.xlsx: the renamings say which folder's is which."""
    for name in ("housing", "adults"):
        (folder / name).mkdir()
        write_plan_workbook(folder / name / "plan.xlsx", actions=[action_row(action=name)])
    return ["combine", "housing/plan.xlsx", "adults/plan.xlsx", "-o", "council.xlsx"]


def _prefixes_that_clash_again(folder: Path) -> list[str]:
    """a/housing.xlsx, HOUSING2.xlsx and b/housing.xlsx: the second housing's prefix must not be
    HOUSING2, which already names another file's actions."""
    for name in ("a/housing.xlsx", "HOUSING2.xlsx", "b/housing.xlsx"):
        (folder / name).parent.mkdir(exist_ok=True)
        write_plan_workbook(folder / name, actions=[action_row(action=name)])
    return ["combine", "a/housing.xlsx", "HOUSING2.xlsx", "b/housing.xlsx", "-o", "council.xlsx"]


def _a_return_combined_as_a_plan(folder: Path) -> list[str]:
    """An officer mixes up combine and merge: the return's actions would be in the plan twice."""
    plan = _plan(folder / "plan.xlsx")
    _sent(folder, plan, "sent")
    return ["combine", "plan.xlsx", "sent/Policy-Team.xlsx", "-o", "council.xlsx"]


def _one_plan_combined_twice(folder: Path) -> list[str]:
    """The same plan given twice (once through a link) would double every action."""
    _plan(folder / "plan.xlsx")
    (folder / "again.xlsx").symlink_to(folder / "plan.xlsx")
    return ["combine", "plan.xlsx", "again.xlsx", "-o", "council.xlsx"]


def _ref_changed_by_the_owner(folder: Path) -> list[str]:
    """The owner typed over a Ref (the sheet's protection has no password): still that action."""
    plan = _plan(folder / "plan.xlsx")
    split_workbook(plan, folder / "sent", by="owner")
    _edit(folder / "sent" / "Policy-Team.xlsx", folder / "return.xlsx", "A3", ref="P-3")
    return ["merge", "plan.xlsx", "return.xlsx", "-o", "merged.xlsx"]


def _row_copied_from_another_owners_return(folder: Path) -> list[str]:
    """An owner pastes another owner's action into their own return: it was not sent to them."""
    plan = _plan(folder / "plan.xlsx")
    split_workbook(plan, folder / "sent", by="owner")
    theirs = openpyxl.load_workbook(folder / "sent" / "outside.xlsx")[layout.ACTIONS_SHEET]
    wb = openpyxl.load_workbook(folder / "sent" / "Policy-Team.xlsx")
    ws = wb[layout.ACTIONS_SHEET]
    for column in range(1, ws.max_column + 1):
        ws.cell(row=3, column=column).value = theirs.cell(row=2, column=column).value
    ws.cell(row=3, column=[c.key for c in layout.ACTIONS.columns].index("rag") + 1).value = "Red"
    wb.save(folder / "return.xlsx")
    return ["merge", "plan.xlsx", "return.xlsx", "-o", "merged.xlsx"]


def _rows_sorted_by_the_owner(folder: Path) -> list[str]:
    """The owner sorts their rows (here: two actions, reversed) and rates one Red."""
    plan = write_plan_workbook(
        folder / "plan.xlsx",
        actions=[action_row(ref="A1"), action_row(ref="A2", action="Second action")],
    )
    split_workbook(plan, folder / "sent", by="owner")
    wb = openpyxl.load_workbook(folder / "sent" / "Policy-Team.xlsx")
    ws = wb[layout.ACTIONS_SHEET]
    first, second = ([cell.value for cell in ws[row]] for row in (2, 3))
    for column, (a, b) in enumerate(zip(second, first, strict=True), start=1):
        ws.cell(row=2, column=column).value, ws.cell(row=3, column=column).value = a, b
    wb.save(folder / "sorted.xlsx")
    _edit(folder / "sorted.xlsx", folder / "return.xlsx", "A1")
    return ["merge", "plan.xlsx", "return.xlsx", "-o", "merged.xlsx"]


def _merged_over_a_return(folder: Path) -> list[str]:
    plan = _plan(folder / "plan.xlsx")
    _sent(folder, plan, "sent").rename(folder / "return.xlsx")
    return ["merge", "plan.xlsx", "return.xlsx", "-o", "return.xlsx", "--force"]


CASES = [
    HostileCase(
        "split-owner-names-leave-folder",
        "owners named ../../outside and CON get safe file names inside the folder",
        _owner_names_that_leave_the_folder,
        0,
        says=(
            "out/outside.xlsx for ../../outside (1 action)",
            "out/actions.xlsx for CON (1 action)",
            "out/Policy-Team.xlsx for Policy Team (1 action)",
        ),
        must_not_exist=("outside.xlsx", "../outside.xlsx", "out/CON.xlsx"),
    ),
    HostileCase(
        "merge-return-from-another-plan",
        "a return split from another council's plan is refused",
        _return_from_another_plan,
        1,
        says=("refused (RETURN_OTHER_PLAN)", "comes from another plan (Other Town Council"),
    ),
    HostileCase(
        "merge-return-from-last-quarter",
        "last quarter's return is refused, not merged over this quarter's updates",
        _return_from_last_quarter,
        1,
        says=("refused (RETURN_OTHER_VERSION)", "for the report dated 31 August 2026"),
    ),
    HostileCase(
        "merge-plain-workbook-and-renamed-csv",
        "a workbook not made by split and a CSV renamed .xlsx are refused; the merge goes on",
        _plain_workbook_and_renamed_csv,
        1,
        says=(
            "refused (RETURN_NOT_SPLIT): copy.xlsx was not made by eqplan split",
            "refused (FILE_NOT_XLSX)",
            "Merged 0 returns",
        ),
    ),
    HostileCase(
        "merge-returns-same-name-two-folders",
        "two returns called return.xlsx in two folders are told apart in the report",
        _returns_with_one_name_in_two_folders,
        0,
        says=(
            "A3: RAG (from q1/return.xlsx)",
            "A1: RAG (from q2/return.xlsx)",
            "q1/return.xlsx: merged, 1 action updated",
            "q2/return.xlsx: merged, 1 action updated",
        ),
    ),
    HostileCase(
        "combine-plans-same-name-two-folders",
        "two plans called plan.xlsx in two folders are told apart in the report",
        _plans_with_one_name_in_two_folders,
        0,
        says=("housing/plan.xlsx: A1 -> PLAN-A1", "adults/plan.xlsx: A1 -> PLAN2-A1"),
    ),
    HostileCase(
        "combine-prefixes-clash-again",
        "a file's prefix never repeats another file's, so each new Ref says where it came from",
        _prefixes_that_clash_again,
        0,
        says=(
            "a/housing.xlsx: A1 -> HOUSING-A1",
            "HOUSING2.xlsx: A1 -> HOUSING2-A1",
            "b/housing.xlsx: A1 -> HOUSING3-A1",
        ),
    ),
    HostileCase(
        "combine-a-return",
        "a workbook made by eqplan split is refused by combine, which points to eqplan merge",
        _a_return_combined_as_a_plan,
        2,
        says=(
            "sent/Policy-Team.xlsx was made by eqplan split",
            "eqplan merge PLAN.xlsx sent/Policy-Team.xlsx",
        ),
        must_not_exist=("council.xlsx",),
    ),
    HostileCase(
        "combine-same-plan-twice",
        "one plan given twice is refused, not combined with itself",
        _one_plan_combined_twice,
        2,
        says=("again.xlsx is the same file as plan.xlsx",),
        must_not_exist=("council.xlsx",),
    ),
    HostileCase(
        "merge-ref-changed-by-owner",
        "a Ref typed over is listed as a locked change, not taken for a deleted and a new action",
        _ref_changed_by_the_owner,
        0,
        says=("A3: RAG (from return.xlsx)", "A3 Ref: return.xlsx Actions!A2"),
        never_says=("New actions", "Missing"),
    ),
    HostileCase(
        "merge-row-copied-from-another-return",
        "another owner's action pasted into a return is listed, not added to the plan again",
        _row_copied_from_another_owners_return,
        0,
        says=("A1: return.xlsx Actions!A3 holds an action that was not sent in this workbook",),
        never_says=("New actions", "Updated"),
    ),
    HostileCase(
        "merge-rows-sorted-by-owner",
        "rows sorted by the owner are matched by Ref: the change goes to the right action",
        _rows_sorted_by_the_owner,
        0,
        says=("A1: RAG (from return.xlsx)",),
        never_says=("A2: RAG", "Locked", "New actions", "Missing"),
    ),
    HostileCase(
        "merge-output-is-a-return",
        "writing the merged plan over a return is refused even with --force",
        _merged_over_a_return,
        2,
        says=("same file as the input",),
    ),
]
