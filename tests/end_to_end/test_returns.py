"""Send actions out and collect them back (issue 13): the round trip of the issue's "Done when".

A realistic plan (the shipped example, with one action given joint owners)
is split by owner; the returns are edited the way owners edit them (updates,
RAG changes, the joint action rated differently by its two owners, a locked
cell typed over, a row added, a row deleted), and merged together with last
quarter's return and a CSV renamed to .xlsx. The merged plan then builds.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.validate import validate_workbook
from pipeline.workbook import layout
from pipeline.workbook.reader import read_workbook
from pipeline.workbook.upgrade import read_data
from tests.conftest import EXAMPLE

JOINT = "Business Intelligence Team; Human Resources and OD"
BIT = "Business-Intelligence-Team.xlsx"
HR = "Human-Resources-and-OD.xlsx"
DEM = "Democratic-Services.xlsx"
COLUMNS = [c.key for c in layout.ACTIONS.columns]


def _master(path: Path, report_date: dt.date | None = None) -> Path:
    """The example plan with EB01 owned jointly, written through the template writer."""
    data = read_data(read_workbook(EXAMPLE))
    for values in data.actions:
        if values.get("ref") == "EB01":
            values["owner"] = JOINT
    if report_date is not None:
        data.plan["report_date"] = report_date
    return data.save_to(path, EXAMPLE)


def _edit(path: Path, changes=None, add=(), delete=()) -> None:
    """Edit a return as an owner does in Excel: cells by Ref and field key, rows added, deleted."""
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.ACTIONS_SHEET]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for ref, values in (changes or {}).items():
        for key, value in values.items():
            ws.cell(row=rows[ref], column=COLUMNS.index(key) + 1).value = value
    last = max(r for ref, r in rows.items() if ref)
    for number, values in enumerate(add, start=last + 1):
        for key, value in values.items():
            ws.cell(row=number, column=COLUMNS.index(key) + 1).value = value
    for ref in delete:
        ws.delete_rows(rows[ref])
    wb.save(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """Split, edit, merge: the folder, the merge's result and the inputs' digests."""
    runner = CliRunner()
    folder = tmp_path_factory.mktemp("returns")
    plan = _master(folder / "plan.xlsx")
    send = folder / "send"
    result = runner.invoke(
        cli, ["split", str(plan), "--by", "owner", "-o", str(send), "--return-by", "15/01/2027"]
    )
    assert result.exit_code == 0, result.output
    old_plan = _master(folder / "plan-august.xlsx", dt.date(2026, 8, 31))
    old_send = folder / "send-august"
    assert (
        runner.invoke(cli, ["split", str(old_plan), "--by", "owner", "-o", str(old_send)]).exit_code
        == 0
    )

    back = folder / "back"
    back.mkdir()
    for name in (BIT, HR, DEM):
        (back / name).write_bytes((send / name).read_bytes())
    _edit(
        back / BIT,
        {
            "EB01": {
                "rag": "Amber",
                "progress": "Disability data added; deprivation due in March.",
            },
            "EB03": {"rag": "Green"},
        },
        add=[
            {
                "point": "1.1",
                "action": "Publish a ward map of language needs.",
                "deadline": "June 2027",
                "rag": "Green",
            }
        ],
    )
    _edit(
        back / HR,
        {
            "EB01": {"rag": "Red"},
            "EB46": {"action": "Use diverse panels for every post."},
            "EB48": {
                "progress": "Second cohort of mentees started.",
                "next_review": dt.date(2027, 2, 1),
            },
        },
        delete=["EB49"],
    )
    last_quarter = back / "BIT-from-august.xlsx"
    last_quarter.write_bytes((old_send / BIT).read_bytes())
    renamed = back / "Customer-Services-Manager.xlsx"
    renamed.write_text("Ref,RAG\nEB05,Red\n", encoding="utf-8")

    returns = [back / BIT, back / HR, back / DEM, last_quarter, renamed]
    before = {p: _digest(p) for p in [plan, *returns]}
    merged = folder / "plan-merged.xlsx"
    result = runner.invoke(
        cli, ["merge", str(plan), *map(str, returns), "-o", str(merged), "--format", "json"]
    )
    return {
        "folder": folder,
        "plan": plan,
        "returns": returns,
        "merged": merged,
        "result": result,
        "before": before,
    }


def test_split_writes_one_protected_workbook_per_owner(round_trip):
    send = round_trip["folder"] / "send"
    names = sorted(p.name for p in send.iterdir())
    assert len(names) == 10 and BIT in names and HR in names
    wb = openpyxl.load_workbook(send / HR)
    ws = wb[layout.ACTIONS_SHEET]
    refs = [ws.cell(row=r, column=1).value for r in range(2, 17)]
    assert refs == ["EB01", *(f"EB{n}" for n in range(46, 56)), "EB60", "EB61", "EB62", None]
    assert all(sheet.protection.sheet for sheet in wb.worksheets)
    assert not wb.security or not wb.security.workbookPassword
    rag = ws.cell(row=2, column=COLUMNS.index("rag") + 1)
    action = ws.cell(row=2, column=COLUMNS.index("action") + 1)
    assert rag.protection.locked is False and action.protection.locked is True
    assert ws.row_dimensions[40].protection.locked is False  # new actions go in empty rows
    assert wb[layout.RECORD_SHEET].sheet_state == "veryHidden"
    readme = "\n".join(str(c.value) for c in wb[layout.README_SHEET]["A"] if c.value)
    assert "Your actions: Human Resources and OD" in readme
    assert "15 January 2027" in readme and "Progress update" in readme
    assert len(ws.data_validations.dataValidation) >= 6  # the template's dropdowns


def test_merge_reports_exactly_what_happened(round_trip):
    result, folder = round_trip["result"], round_trip["folder"]
    assert result.exit_code == 1, result.output  # two returns refused: the officer must look
    report = json.loads(result.stdout)
    today = dt.datetime.now(dt.UTC).date()
    saved = dt.datetime.now(ZoneInfo("Europe/London")).date().isoformat()  # by the UK clock
    new_ref = report["new"][0]["ref"]
    assert new_ref.startswith("1.1-")
    other_version = (
        "BIT-from-august.xlsx was sent on "
        f"{today.day} {today.strftime('%B')} {today.year} for the report dated 31 August 2026; "
        "the plan's report date is 30 November 2026, so it was not merged. Send the owner this "
        "report's workbook (eqplan split), or copy any new update in by hand."
    )
    csv_reason = (
        f"{folder / 'back' / 'Customer-Services-Manager.xlsx'} is a CSV or text file, not an Excel "
        "workbook (.xlsx). Open it in Excel or LibreOffice and use File > Save As > Excel Workbook "
        "(.xlsx)."
    )
    assert report == {
        "output": str(round_trip["merged"]),
        "returns": [
            {"file": BIT, "status": "merged", "reason": None, "code": None, "updated": 1,
             "group": "Business Intelligence Team", "plan_changed": False, "saved_on": saved,
             "dated_today": False, "own_columns": [], "own_sheets": [], "merged_before": None, "compared_with": "sent",
             "older_than_merged": None},
            {"file": HR, "status": "merged", "reason": None, "code": None, "updated": 1,
             "group": "Human Resources and OD", "plan_changed": False, "saved_on": saved,
             "dated_today": False, "own_columns": [], "own_sheets": [], "merged_before": None, "compared_with": "sent",
             "older_than_merged": None},
            {"file": DEM, "status": "merged", "reason": None, "code": None, "updated": 0,
             "group": "Democratic Services", "plan_changed": False, "saved_on": saved,
             "dated_today": False, "own_columns": [], "own_sheets": [], "merged_before": None, "compared_with": "sent",
             "older_than_merged": None},
            {"file": "BIT-from-august.xlsx", "status": "refused", "reason": other_version,
             "code": "RETURN_OTHER_VERSION", "updated": 0, "group": "Business Intelligence Team", "plan_changed": False, "saved_on": None,
             "dated_today": False, "own_columns": [], "own_sheets": [], "merged_before": None, "compared_with": None,
             "older_than_merged": None},
            {"file": "Customer-Services-Manager.xlsx", "status": "refused", "reason": csv_reason,
             "code": "FILE_NOT_XLSX", "updated": 0, "group": "", "plan_changed": False,
             "saved_on": None, "dated_today": False, "own_columns": [], "own_sheets": [], "merged_before": None, "compared_with": None,
             "older_than_merged": None},
        ],
        "updated": [
            {"ref": "EB03", "fields": ["RAG"], "file": BIT},
            {"ref": "EB48", "fields": ["Progress update", "Next review"], "file": HR},
        ],
        "conflicts": [
            {"ref": "EB01", "field": "RAG", "files": [BIT, HR], "values": ["Amber", "Red"],
             "held_back": False},
            # BIT's new update: not in conflict, but BIT's return is, over EB01
            {"ref": "EB01", "field": "Progress update", "files": [BIT, "plan.xlsx"],
             "values": ["Disability data added; deprivation due in March.",
                        "Language and disability data added for 12 of 20 wards."],
             "held_back": True},
        ],
        "locked_changed": [
            {"ref": "EB46", "field": "Gap / action", "file": HR, "cell": "Actions!D3",
             "typed": "Use diverse panels for every post."},
        ],
        "new": [{"ref": new_ref, "file": BIT, "cell": "Actions!A9", "row": 64, "typed_ref": None}],
        "missing": [{"ref": "EB49", "file": HR, "missing_from": "return"}],
        "not_sent": [],
        "ref_and_words_differ": [],
        # the owners no return was given from (last quarter's and a CSV are none of this report's)
        "not_returned": [
            {"by": "owner", "group": group, "actions": len(refs), "refs": refs}
            for group, refs in (
                ("Communications and Engagement Team",
                 ["EB09", "EB10", "EB11", "EB12", "EB16", "EB31", "EB44"]),
                ("Community Safety Partnership", ["EB13", "EB14", "EB15"]),
                ("Corporate Policy and Equalities Team",
                 ["EB02", "EB06", "EB21", "EB22", "EB24", "EB25", "EB26", "EB27", "EB28", "EB30",
                  "EB39", "EB40"]),
                ("Customer Services Manager", ["EB05", "EB42", "EB43"]),
                ("Head of Housing Needs", ["EB07", "EB41", "EB45"]),
                ("Learning and Development Team", ["EB36", "EB57", "EB58", "EB59"]),
                ("Procurement and Commissioning", ["EB35", "EB37", "EB38"]),
            )
        ],
        "withdrawn_still_logged": [],
        "own_not_copied": [],
        "refused": [
            {"file": "BIT-from-august.xlsx", "reason": other_version, "code": "RETURN_OTHER_VERSION"},
            {"file": "Customer-Services-Manager.xlsx", "reason": csv_reason, "code": "FILE_NOT_XLSX"},
        ],
        "problems": [
            {"file": HR, "where": "Actions!F5", "code": "OVERDUE", "severity": "warning",
             "message": "Deadline 30 September 2026 has passed (report date 30 November 2026).",
             "hint": "Update the RAG to Complete if it is done, or agree a new deadline and add "
             "a progress update."},
        ],
        "record_not_used": False,
    }  # fmt: skip


def test_nothing_is_lost_and_the_inputs_are_unchanged(round_trip):
    assert {p: _digest(p) for p in round_trip["before"]} == round_trip["before"]
    master = validate_workbook(round_trip["plan"]).plan
    validation = validate_workbook(round_trip["merged"])
    assert validation.report.valid, validation.report.to_text()
    merged = {a.display_ref: a for a in validation.plan.actions}
    report = json.loads(round_trip["result"].stdout)
    expected = [a.display_ref for a in master.actions] + [n["ref"] for n in report["new"]]
    assert list(merged) == [r for r in expected if r in merged] and set(expected) == set(merged)
    assert merged["EB01"].rag.label == "Green"  # the conflict: the plan keeps its value
    # and nothing else from the returns in conflict over EB01: BIT's update is logged
    assert merged["EB01"].progress == master.actions[0].progress
    assert merged["EB03"].rag.label == "Green"
    assert merged["EB46"].action == master.actions[45].action  # the locked cell was not applied
    assert merged["EB49"].action  # deleted from a return, kept in the plan
    assert merged["EB48"].next_review == dt.date(2027, 2, 1)
    added = merged[report["new"][0]["ref"]]
    assert added.action == "Publish a ward map of language needs."
    assert added.owner == "Business Intelligence Team"
    logged = {(e.ref, e.update): e for e in validation.plan.progress_log}
    saved = dt.datetime.now(dt.UTC).date()  # openpyxl records the save time, in UTC
    entry = logged[("EB48", "Second cohort of mentees started.")]
    assert entry.date == saved and entry.by == "Human Resources and OD"
    assert merged["EB48"].last_updated == saved
    not_applied = (
        "Not applied (a conflict for the officer to settle, then delete this row): "
        "Disability data added; deprivation due in March."
    )
    entry = logged[("EB01", not_applied)]
    assert (entry.rag.label, entry.by) == ("Amber", "Business Intelligence Team")


def test_the_merged_plan_keeps_every_sheet_of_the_plan(round_trip):
    master, merged = (
        read_data(read_workbook(round_trip["plan"])),
        read_data(read_workbook(round_trip["merged"])),
    )
    assert master.report and merged.report == master.report  # the cover report's words
    assert merged.plan == master.plan and merged.sections == master.sections
    assert merged.assessments == master.assessments and merged.owners == master.owners
    assert merged.strands == master.strands
    assert merged.progress_log[: len(master.progress_log)] == master.progress_log


def test_the_merged_plan_is_a_fresh_template_workbook_and_builds(round_trip, tmp_path):
    wb = openpyxl.load_workbook(round_trip["merged"])
    assert layout.RECORD_SHEET not in wb.sheetnames
    actions = wb[layout.ACTIONS_SHEET]
    assert len(actions.data_validations.dataValidation) >= 6
    assert wb[layout.REFERENCE_SHEET].protection.sheet
    assert "Added from Business-Intelligence-Team.xlsx" in actions["A64"].comment.text
    result = CliRunner().invoke(
        cli, ["build", str(round_trip["merged"]), "-o", str(tmp_path), "--csv"]
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "plan-merged-actions.csv").open(encoding="utf-8-sig") as handle:
        refs = {row["Ref"] for row in csv.DictReader(handle)}
    master = validate_workbook(round_trip["plan"]).plan
    assert {a.display_ref for a in master.actions} < refs
    assert json.loads(round_trip["result"].stdout)["new"][0]["ref"] in refs


def test_merging_the_same_returns_again_adds_no_action_twice(round_trip, runner):
    """The README's promise: merging the same return again changes nothing; the owner's new
    row (no Ref of its own) was added by the first merge and is not added again."""
    first = json.loads(round_trip["result"].stdout)
    assert len(first["new"]) == 1
    again = round_trip["folder"] / "plan-merged-again.xlsx"
    result = runner.invoke(
        cli,
        ["merge", str(round_trip["merged"]), *map(str, round_trip["returns"]), "-o", str(again),
         "--format", "json"],
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["new"] == [] and report["updated"] == []
    before = [a.display_ref for a in validate_workbook(round_trip["merged"]).plan.actions]
    assert [a.display_ref for a in validate_workbook(again).plan.actions] == before


@pytest.mark.libreoffice
def test_libreoffice_locks_what_split_locks_and_opens_the_rest(round_trip, tmp_path):
    """The owner's view in a real spreadsheet: the RAG and progress of each action and every
    cell of the empty rows are open, the action's own words and the headings locked (the
    empty rows are unlocked as rows, so LibreOffice is asked, not openpyxl)."""
    import os
    import subprocess

    from pipeline.render.pdf import uno_python
    from tests.conftest import require_soffice

    soffice = require_soffice()
    python = uno_python(soffice)
    if python is None:
        if os.environ.get("CI"):
            pytest.fail("python3-uno is missing in CI; .ci/run should have installed it")
        pytest.skip("LibreOffice's Python bridge (python3-uno) is not installed")
    letter = {key: openpyxl.utils.get_column_letter(i + 1) for i, key in enumerate(COLUMNS)}
    cells = {
        f"{letter['ref']}1": "locked",
        f"{letter['action']}2": "locked",
        f"{letter['rag']}2": "open",
        f"{letter['progress']}2": "open",
        f"{letter['ref']}40": "open",
        f"{letter['action']}40": "open",
        f"{letter['action']}{layout.TEMPLATE_ROWS + 1}": "open",
        f"{letter['action']}{layout.TEMPLATE_ROWS + 2}": "locked",
    }
    script = Path(__file__).with_name("uno_locked.py")
    workbook = round_trip["folder"] / "send" / HR
    command = [python, str(script), soffice, (tmp_path / "profile").as_uri(),
               f"eqplan-test-{os.getpid()}", str(workbook), layout.ACTIONS_SHEET, *cells]  # fmt: skip
    said = subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)
    lines = said.stdout.split()
    assert dict(zip(lines[:-1:2], lines[1:-1:2], strict=True)) == cells, said.stdout
    assert lines[-1] == "protected"


def test_a_split_workbook_is_never_taken_for_the_plan(round_trip, runner, tmp_path):
    """Found by an attacker's review: one owner's workbook given as the previous report
    made the plan say "55 new actions were added", and compare said 55 were removed."""
    plan, sent = round_trip["plan"], round_trip["folder"] / "send" / BIT
    said = runner.invoke(cli, ["validate", str(sent)])
    assert "SPLIT_WORKBOOK" in said.output and "Traceback" not in said.output
    # next-period and upgrade made it a plan of its own (a second attacker's review); a third
    # found their hint spoke of merging, which neither command does.
    instead = "Give the plan's own workbook, the one the owners' workbooks were split from."
    for args, hint in (
        (["compare", str(plan), str(sent)], "eqplan merge"),
        (["compare", str(sent), str(plan)], "eqplan merge"),
        (["build", str(plan), "-o", str(tmp_path / "out"), "--since", str(sent)], "eqplan merge"),
        (["next-period", str(sent), "-o", str(tmp_path / "out" / "next.xlsx")], instead),
        (["upgrade", str(sent), "-o", str(tmp_path / "out" / "upgraded.xlsx")], instead),
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code != 0, result.output
        assert "made by eqplan split" in result.output and hint in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
