"""How `eqplan merge` reads each return: once, and nothing an owner typed is lost unsaid."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.merge import merge_workbooks
from pipeline.workbook import engines, layout, reader
from tests.conftest import EXAMPLE, read_only_workbook

HR = "Human-Resources-and-OD.xlsx"
DS = "Democratic-Services.xlsx"
COLUMNS = [c.key for c in layout.ACTIONS.columns]


def _count_reads(monkeypatch) -> Counter:
    """Every parse of a workbook's sheets (engines.load_book, by the reader or anyone else),
    counted by the file read."""
    reads: Counter = Counter()
    real = engines.load_book

    def counted(content: Path | bytes):
        reads[content.name if isinstance(content, Path) else "<bytes>"] += 1
        return real(content)

    monkeypatch.setattr(engines, "load_book", counted)
    monkeypatch.setattr(reader, "load_book", counted)
    return reads


def test_each_return_is_read_once(sent, tmp_path, monkeypatch):
    """The record split hides in a return is one of the sheets the reader keeps aside as not
    read (RawWorkbook.unread_sheets): merge takes it from there. It used to read the whole
    workbook again (returns.read_record) for that one sheet."""
    returns = [shutil.copy(sent / name, tmp_path / name) for name in (HR, DS)]
    reads = _count_reads(monkeypatch)
    report = merge_workbooks(EXAMPLE, [Path(p) for p in returns], tmp_path / "merged.xlsx")
    assert [r.status for r in report.returns] == ["merged", "merged"]
    assert reads == {EXAMPLE.name: 1, HR: 1, DS: 1}


def _with_own_columns(sent: Path, tmp_path: Path) -> Path:
    """HR's return as an owner may send it back: EB47's RAG changed, a column 'My notes' added
    (unprotecting the sheet) with a note beside EB46 and EB47, and a column with no heading
    with something typed below the actions."""
    path = tmp_path / HR
    wb = openpyxl.load_workbook(sent / HR)
    ws = wb[layout.ACTIONS_SHEET]
    assert ws.cell(row=1, column=19).value is None  # S: the first column after eqplan's
    refs = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row=refs["EB47"], column=COLUMNS.index("rag") + 1).value = "Red"
    ws["S1"], ws["S2"], ws["S3"] = "My notes", "Chased HR.", "Ask the union."
    ws["T20"] = "spare"
    wb.save(path)
    return path


def test_the_report_names_each_returns_own_columns_not_taken_with_their_cells(sent, tmp_path):
    """merge takes only the owners' fields from a return; a column an owner added (split
    sends none of the plan's own) used to be dropped without a word. Each is named beside
    its return, with its heading cell and how many cells hold something, each with its Ref."""
    returned = _with_own_columns(sent, tmp_path)
    other = shutil.copy(sent / DS, tmp_path / DS)
    out = tmp_path / "merged.xlsx"
    args = ["merge", str(EXAMPLE), str(returned), str(other), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["returns"][0]["own_columns"] == [
        {
            "column": "My notes",
            "cell": "Actions!S1",
            "cells": [
                {"cell": "Actions!S2", "ref": "EB46"},
                {"cell": "Actions!S3", "ref": "EB47"},
            ],
        },
        {"column": None, "cell": "Actions!T1", "cells": [{"cell": "Actions!T20", "ref": None}]},
    ]
    assert report["returns"][1]["own_columns"] == []  # DS's return has none
    assert report["updated"] == [{"ref": "EB47", "fields": ["RAG"], "file": HR}]

    text = CliRunner().invoke(cli, [*args, "--force"]).output
    lines = text.splitlines()
    at = lines.index(f"  {HR}: merged, 1 action updated.")
    assert lines[at + 1].startswith("    Columns of its own (not eqplan's): what they hold is not")
    assert "Copy what is needed into the merged plan by hand." in lines[at + 1]
    assert lines[at + 2 : at + 5] == [
        "      'My notes' (Actions!S1): 2 cells with something in: S2 (EB46), S3 (EB47)",
        "      A column with no heading (Actions!T1): 1 cell with something in: T20",
        f"  {DS}: merged, 0 actions updated.",
    ]
    with read_only_workbook(out) as merged:
        headings = next(merged[layout.ACTIONS_SHEET].iter_rows(max_row=1, values_only=True))
    assert "My notes" not in headings  # as the report says: not in the merged plan


def _merged_in_welsh(returned: Path, tmp_path: Path) -> str:
    """What `eqplan merge --language cy` prints for the example and one return."""
    out = tmp_path / "merged.xlsx"
    args = ["merge", str(EXAMPLE), str(returned), "-o", str(out), "--language", "cy"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_returns_own_columns_are_named_in_welsh_too(sent, tmp_path):
    output = _merged_in_welsh(_with_own_columns(sent, tmp_path), tmp_path)
    assert "Ei cholofnau ei hun (nid rhai eqplan)" in output
    assert "'My notes' (Actions!S1): 2 gell â rhywbeth ynddynt: S2 (EB46), S3 (EB47)" in output


def _with_own_sheet(sent: Path, tmp_path: Path) -> Path:
    """HR's return with a sheet the owner added, 'Evidence', holding three cells (one a number),
    and an empty sheet of Excel's (nothing to lose)."""
    path = tmp_path / HR
    wb = openpyxl.load_workbook(sent / HR)
    evidence = wb.create_sheet("Evidence")
    evidence["A1"], evidence["A2"], evidence["C5"] = "Notes", "Minutes of 3 March", 42
    wb.create_sheet("Sheet1")
    wb.save(path)
    return path


def test_the_report_names_each_returns_own_sheets_not_taken_with_their_cell_count(sent, tmp_path):
    """A sheet an owner adds to their return used to be dropped without a word: merge takes
    only the owners' fields. It is named beside its return, with how many cells hold something;
    split's own sheets (the template's and its hidden record) and an empty sheet are not."""
    returned = _with_own_sheet(sent, tmp_path)
    other = shutil.copy(sent / DS, tmp_path / DS)
    out = tmp_path / "merged.xlsx"
    args = ["merge", str(EXAMPLE), str(returned), str(other), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["returns"][0]["own_sheets"] == [
        {"sheet": "Evidence", "cells": 3, "hidden": False, "very_hidden": False, "looks_like": None}
    ]
    assert report["returns"][1]["own_sheets"] == []  # DS's return has none

    text = CliRunner().invoke(cli, [*args, "--force"]).output
    lines = text.splitlines()
    at = lines.index(f"  {HR}: merged, 0 actions updated.")
    assert lines[at + 1].startswith("    Sheets of its own (not eqplan's): what they hold is not")
    assert "Copy what is needed into the merged plan by hand." in lines[at + 1]
    assert lines[at + 2 : at + 4] == [
        "      'Evidence': 3 cells with something in",
        f"  {DS}: merged, 0 actions updated.",
    ]
    assert text.count("Sheets of its own") == 1 and "Sheet1" not in text
    with read_only_workbook(out) as merged:
        sheets = merged.sheetnames
    assert "Evidence" not in sheets  # as the report says: not in the merged plan


def test_a_returns_own_sheets_are_named_in_welsh_too(sent, tmp_path):
    output = _merged_in_welsh(_with_own_sheet(sent, tmp_path), tmp_path)
    assert "Ei thaflenni ei hun (nid rhai eqplan)" in output
    assert "'Evidence': 3 cell â rhywbeth ynddynt" in output


def _merged(returned: Path, tmp_path: Path) -> tuple[dict, str]:
    """merge's JSON report and its text for the example and one return."""
    out = tmp_path / "merged.xlsx"
    args = ["merge", str(EXAMPLE), str(returned), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    text = CliRunner().invoke(cli, [*args, "--force"])
    assert text.exit_code == 0, text.output
    return json.loads(result.stdout), text.output


def test_a_hidden_own_sheet_is_said_to_be_hidden_with_how_to_show_it(sent, tmp_path):
    """An officer looking in Excel for a hidden 'Evidence' sheet would not see it: it used to
    be named like any other. It is said to be hidden, and how to show it (JSON: hidden)."""
    path = _with_own_sheet(sent, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Evidence"].sheet_state = "hidden"
    wb.save(path)
    report, text = _merged(path, tmp_path)
    assert report["returns"][0]["own_sheets"] == [
        {"sheet": "Evidence", "cells": 3, "hidden": True, "very_hidden": False, "looks_like": None}
    ]
    assert (
        "      'Evidence' (hidden: to see it in Excel, right-click a sheet tab > "
        "Unhide): 3 cells with something in"
    ) in text.splitlines()


def test_a_very_hidden_own_sheet_is_not_sent_to_excels_unhide(sent, tmp_path):
    """A sheet a macro made very hidden is not in Excel's Unhide list, so that advice was
    wrong (an attacker found it); a sheet named like merge's own record is the owner's in a
    return (split never sends one) and was dropped without a word."""
    path = _with_own_sheet(sent, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Evidence"].sheet_state = "veryHidden"
    wb.create_sheet(layout.MERGED_SHEET)["A1"] = "Owner's notes"
    wb.save(path)
    report, text = _merged(path, tmp_path)
    assert report["returns"][0]["own_sheets"] == [
        {"sheet": "Evidence", "cells": 3, "hidden": True, "very_hidden": True, "looks_like": None},
        {
            "sheet": layout.MERGED_SHEET,
            "cells": 1,
            "hidden": False,
            "very_hidden": False,
            "looks_like": None,
        },
    ]
    assert (
        "      'Evidence' (very hidden: Excel's Unhide does not list it; LibreOffice Calc's "
        "Sheet > Show Sheet does): 3 cells with something in"
    ) in text.splitlines()
    assert f"      '{layout.MERGED_SHEET}': 1 cell with something in" in text.splitlines()


def test_a_sheet_named_like_one_of_the_templates_that_split_did_not_send_is_the_owners(
    sent, tmp_path
):
    """A return holds only the sheets split wrote (the template's, in the return's language,
    and its record): a sheet an owner added under another of the template's names (its
    Welsh names, in an English return) used to be taken for eqplan's and dropped unsaid."""
    path = _with_own_sheet(sent, tmp_path)
    wb = openpyxl.load_workbook(path)
    owners = wb.create_sheet("Perchnogion")
    owners["A1"], owners["A2"] = "Who to ask", "Jo Bloggs"
    wb.create_sheet("Darllen fi")["A1"] = "Read this first"
    wb.save(path)
    report, _text = _merged(path, tmp_path)
    assert [(s["sheet"], s["cells"]) for s in report["returns"][0]["own_sheets"]] == [
        ("Evidence", 3),
        ("Perchnogion", 2),
        ("Darllen fi", 1),
    ]


def test_an_owners_sheet_added_to_a_welsh_return_is_the_owners_not_read_as_eqplans(tmp_path):
    """A Welsh return's Owners sheet is 'Perchnogion'; an 'Owners' sheet an owner adds to it
    is theirs. It used to be read as the plan's Owners sheet instead of split's (an error,
    SHEET_NO_HEADER, for a sheet the owner was never asked about) and named nowhere."""
    folder = tmp_path / "sent"
    args = ["split", str(EXAMPLE), "--by", "owner", "--language", "cy", "-o", str(folder)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    path = tmp_path / HR
    wb = openpyxl.load_workbook(folder / HR)
    owners = wb.create_sheet("Owners")
    owners["A1"], owners["A2"] = "Who to ask", "Jo Bloggs"
    wb.save(path)
    report, _text = _merged(path, tmp_path)
    assert report["problems"] == []
    assert [(s["sheet"], s["cells"]) for s in report["returns"][0]["own_sheets"]] == [("Owners", 2)]


def test_a_copy_of_the_actions_sheet_is_named_once_as_a_copy_not_read(sent, tmp_path):
    """Excel names a copied sheet 'Actions (2)'; what an owner types there is not merged. It
    is one of the return's own sheets, and SHEET_NOT_READ says the same of it: it is named
    once, beside the return, as looking like the Actions sheet, which alone is read (JSON:
    looks_like), and not again among the return's problems."""
    path = tmp_path / HR
    wb = openpyxl.load_workbook(sent / HR)
    copy = wb.copy_worksheet(wb[layout.ACTIONS_SHEET])
    copy.title = "Actions (2)"
    copy["B30"] = "A new action typed on the copy"
    wb.save(path)
    report, text = _merged(path, tmp_path)
    (own,) = report["returns"][0]["own_sheets"]
    assert (own["sheet"], own["hidden"], own["looks_like"]) == ("Actions (2)", False, "Actions")
    assert not [p for p in report["problems"] if p["code"] == "SHEET_NOT_READ"]
    line = (
        f"      'Actions (2)' (like the Actions sheet, but only that one is read): {own['cells']} "
    )
    assert line + "cells with something in" in text.splitlines()
    assert text.count("Actions (2)") == 1 and "SHEET_NOT_READ" not in text
