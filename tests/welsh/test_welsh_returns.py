"""`eqplan split`, `merge` and `combine` in Welsh, and the Welsh checked copy (issue 15).

A Welsh split writes the Welsh template's layout with a Welsh Read me; the owner picks
Welsh dropdown words; merge compares them with what was sent as the same ratings and
writes the merged plan in the language asked.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from babel.messages.extract import extract_from_file
from click.testing import CliRunner

from pipeline import headings as h
from pipeline.cli import cli
from pipeline.i18n import use_language
from pipeline.rag import Rag
from pipeline.status import ActionStatus
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from pipeline.workbook import layout
from tests.conftest import EXAMPLE, read_only_workbook
from tests.welsh.test_welsh_template import WELSH_SHEETS
from tests.welsh.test_welsh_text import EB01_WELSH

HR = "Human-Resources-and-OD.xlsx"
KEYS = [c.key for c in layout.ACTIONS.columns]
ROOT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: object) -> object:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result


@pytest.fixture(scope="module")
def sent(tmp_path_factory) -> Path:
    """The example plan split by owner in Welsh, once for the module."""
    folder = tmp_path_factory.mktemp("anfon")
    before = _sha(EXAMPLE)
    result = _run("split", EXAMPLE, "--by", "owner", "-o", folder, "--return-by", "15/01/2027",
                  "--language", "cy")  # fmt: skip
    assert result.exit_code == 0
    assert f"Ysgrifennwyd {folder / HR} ar gyfer Human Resources and OD" in result.output
    assert _sha(EXAMPLE) == before
    return folder


def _rows(ws) -> dict[str, int]:
    """Each Ref's row on an Actions sheet."""
    return {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}


def _value(ws, row: int, key: str) -> object:
    return ws.cell(row=row, column=KEYS.index(key) + 1).value


def _readme(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)


def test_a_welsh_split_writes_the_welsh_template_layout(sent):
    book = openpyxl.load_workbook(sent / HR)
    assert book.sheetnames == [*WELSH_SHEETS, layout.RECORD_SHEET]
    actions = book["Camau gweithredu"]
    assert [c.value for c in actions[1]][:4] == [
        "Cyf.", "Pwynt y fframwaith", "Sefyllfa bresennol / tystiolaeth", "Bwlch / cam gweithredu",
    ]  # fmt: skip
    rows = _rows(actions)
    # The dropdown words are the Welsh template's: the master's Amber and Green, in Welsh.
    assert _value(actions, rows["EB48"], "rag") == "Ambr"
    assert _value(actions, rows["EB47"], "rag") == "Gwyrdd"
    sources = {v.formula1 for v in actions.data_validations.dataValidation}
    assert any(s and s.startswith("'Rhestrau'!") for s in sources)
    assert any(s and "Ar waith" in s for s in sources)
    # the owner's cells open, the rest locked, as in English
    assert actions.protection.sheet
    assert not actions.cell(row=rows["EB48"], column=KEYS.index("progress") + 1).protection.locked
    assert actions.cell(row=rows["EB48"], column=KEYS.index("action") + 1).protection.locked
    assert book["Cynllun"].cell(row=2, column=1).value == "Enw'r cyngor"
    assert book["Cynllun"].cell(row=2, column=2).value == "Example Borough Council"


def test_the_welsh_read_me_is_welsh_with_welsh_dates(sent, tmp_path):
    text = _readme(sent / HR)
    assert "Eich camau gweithredu: Human Resources and OD" in text
    assert "erbyn 15 Ionawr 2027" in text
    assert "30 Tachwedd 2026" in text  # the report date
    assert "'Diweddariad ar gynnydd'" in text
    # None of the English fixed text: every message split.py writes, cut at its values,
    # and the English sheet names, headings and words it names.
    messages = [
        m[1] if isinstance(m[1], str) else m[1][0]
        for m in extract_from_file(
            "python", ROOT / "pipeline" / "split.py", keywords={"_": None, "N_": None}
        )
    ]
    fragments = {
        part.strip(" .,:;'")
        for message in messages
        for part in re.split(r"%\(\w+\)s", message)
        if " " in part.strip(" .,:;'")  # words, not a lone `cell` (Welsh `celloedd` holds it)
    }
    assert len(fragments) >= 15
    found = [f for f in fragments if f in text]
    # The plan's own title says "Plan": English names are matched as whole words, and the
    # Plan sheet is not looked for.
    english = [layout.ACTIONS_SHEET, layout.SECTIONS_SHEET, layout.REFERENCE_SHEET, h.PROGRESS,
               h.DEADLINE, h.COMPLETED_ON, h.NEXT_REVIEW, h.STATUS, ActionStatus.WITHDRAWN.label,
               "cell", "sheet", "November", "January"]  # fmt: skip
    found += [word for word in english if re.search(rf"\b{re.escape(word)}\b", text)]
    assert not found, found
    # and the English split's Read me is the English one
    folder = tmp_path / "send"
    _run("split", EXAMPLE, "--by", "owner", "-o", folder, "--return-by", "15/01/2027")
    assert "Your actions: Human Resources and OD" in _readme(folder / HR)
    assert "by 15 January 2027" in _readme(folder / HR)


def test_split_offers_english_or_welsh_not_both(tmp_path):
    result = CliRunner().invoke(cli, ["split", "--help"])
    assert "[en|cy]" in result.output and "Not both" in result.output
    result = CliRunner().invoke(
        cli, ["split", str(EXAMPLE), "--by", "owner", "-o", str(tmp_path), "--language", "both"]
    )
    assert result.exit_code == 2 and not list(tmp_path.iterdir())


def _owner_edits(sent: Path, tmp_path: Path) -> Path:
    """The HR return as its owner sends it back: Welsh dropdown words, a locked cell, a row."""
    path = tmp_path / HR
    shutil.copy(sent / HR, path)
    book = openpyxl.load_workbook(path)
    ws = book["Camau gweithredu"]
    rows = _rows(ws)

    def put(row: int, key: str, value: object) -> None:
        ws.cell(row=row, column=KEYS.index(key) + 1).value = value

    put(rows["EB48"], "rag", "Coch")
    put(rows["EB48"], "progress", "Oedi eto: dim digon o fentoriaid.")
    put(rows["EB48"], "status", "Ar waith")
    put(rows["EB47"], "action", "Geiriad newydd mewn cell wedi'i chloi.")
    new = max(r for r in rows.values() if r) + 1
    put(new, "point", _value(ws, rows["EB48"], "point"))
    put(new, "action", "Cynllun mentora newydd i staff anabl.")
    put(new, "deadline", "31/03/2027")
    put(new, "rag", "Gwyrdd")
    book.save(path)
    return path


def test_a_welsh_return_merges_into_a_welsh_plan(sent, tmp_path):
    returned = _owner_edits(sent, tmp_path)
    shas = {p: _sha(p) for p in (EXAMPLE, returned)}
    merged = tmp_path / "cynllun-cyfun.xlsx"
    result = _run("merge", EXAMPLE, returned, "-o", merged, "--language", "cy", "--format", "json")
    report = json.loads(result.stdout)
    # the JSON keeps its keys and its field names, whatever the language
    assert list(report) == ["output", "returns", "updated", "conflicts", "locked_changed", "new",
                            "missing", "not_sent", "ref_and_words_differ", "not_returned",
                            "withdrawn_still_logged",
                            "own_not_copied", "refused", "problems", "record_not_used"]  # fmt: skip
    assert report["updated"] == [
        {"ref": "EB48", "fields": ["RAG", "Progress update", "Status"], "file": HR}
    ]
    assert report["conflicts"] == [] and report["missing"] == [] and report["refused"] == []
    assert [(x["ref"], x["field"]) for x in report["locked_changed"]] == [("EB47", "Gap / action")]
    assert report["locked_changed"][0]["cell"].startswith("Camau gweithredu!D")
    assert len(report["new"]) == 1
    assert {p: _sha(p) for p in shas} == shas  # the plan and the return are unchanged

    book = openpyxl.load_workbook(merged)
    assert book.sheetnames == [*WELSH_SHEETS, layout.MERGED_SHEET]  # and its record
    ws = book["Camau gweithredu"]
    rows = _rows(ws)
    with read_only_workbook(EXAMPLE) as master:
        refs = [r[0] for r in master["Actions"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert set(refs) <= set(rows)  # every master action is there
    assert _value(ws, rows["EB48"], "rag") == "Coch"
    assert _value(ws, rows["EB48"], "progress") == "Oedi eto: dim digon o fentoriaid."
    assert _value(ws, rows["EB48"], "status") == "Ar waith"
    assert _value(ws, rows["EB47"], "action") != "Geiriad newydd mewn cell wedi'i chloi."
    assert _value(ws, rows["EB47"], "rag") == "Gwyrdd"  # unchanged, in the plan's language
    added = rows[report["new"][0]["ref"]]
    assert _value(ws, added, "action") == "Cynllun mentora newydd i staff anabl."
    assert ws.cell(row=added, column=1).comment.text.startswith("Wedi'i ychwanegu o " + HR)
    log = [r for r in book["Log cynnydd"].iter_rows(min_row=2, values_only=True) if r[0] == "EB48"]
    assert [(r[2], r[3]) for r in log][-1:] == [("Oedi eto: dim digon o fentoriaid.", "Coch")]
    replaced = "Pilot launched in November after a delay in matching mentors."
    assert [(r[2], r[3]) for r in log][:-1] == [(replaced, "Ambr")]  # the update it replaced
    checked = validate_workbook(merged)
    assert checked.report.valid
    eb48 = next(a for a in checked.plan.actions if a.display_ref == "EB48")
    assert eb48.rating is Rag.RED and eb48.status is ActionStatus.IN_PROGRESS


def test_a_welsh_return_merges_into_an_english_plan_with_english_words(sent, tmp_path):
    returned = _owner_edits(sent, tmp_path)
    merged = tmp_path / "merged.xlsx"
    result = _run("merge", EXAMPLE, returned, "-o", merged)
    assert result.output.startswith("Merged 1 return into")
    assert "EB48: RAG, Progress update, Status (from Human-Resources-and-OD.xlsx)" in result.output
    book = openpyxl.load_workbook(merged)
    assert book.sheetnames[:6] == ["Read me", "Plan", "Report", "Sections", "Self-assessment",
                                   "Actions"]  # fmt: skip
    ws = book["Actions"]
    rows = _rows(ws)
    assert (_value(ws, rows["EB48"], "rag"), _value(ws, rows["EB48"], "status")) == (
        "Red",
        "In progress",
    )
    assert _value(ws, rows["EB47"], "rag") == "Green"


def test_an_untouched_welsh_return_changes_nothing(sent, tmp_path):
    """Gwyrdd sent for Green and returned as Gwyrdd is no change, in either language."""
    for language in ("cy", "en"):
        out = tmp_path / f"merged-{language}.xlsx"
        args = ("merge", EXAMPLE, sent / HR, "-o", out, "--format", "json", "--language", language)
        report = json.loads(_run(*args).stdout)
        assert (report["updated"], report["conflicts"], report["locked_changed"]) == ([], [], [])
        assert report["new"] == [] and report["missing"] == []


def test_the_merge_report_in_welsh(sent, tmp_path):
    returned = _owner_edits(sent, tmp_path)
    result = _run("merge", EXAMPLE, returned, "-o", tmp_path / "m.xlsx", "--language", "cy")
    text = result.output
    assert text.startswith("Cyfunwyd 1 ffurflen ddychwelyd i mewn i ")
    assert "EB48: Sgôr RAG, Diweddariad ar gynnydd, Statws (o Human-Resources-and-OD.xlsx)" in text
    assert (
        "Celloedd wedi'u cloi a newidiwyd" in text and "Gwiriwch ef gyda: eqplan validate" in text
    )
    for english in ("Merged", "Updated", "Locked cells changed", "New actions", "Check it with",
                    "Progress update", "(from "):  # fmt: skip
        assert english not in text, english
    # the command it gives checks the Welsh plan in Welsh, as the report is
    assert text.rstrip().endswith(f"eqplan validate {tmp_path / 'm.xlsx'} --language cy")
    english = _run("merge", EXAMPLE, returned, "-o", tmp_path / "e.xlsx").output
    assert english.rstrip().endswith(f"Check it with: eqplan validate {tmp_path / 'e.xlsx'}")


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("plans")
    plans = [folder / "housing.xlsx", folder / "adults.xlsx"]
    for plan in plans:
        shutil.copy(EXAMPLE, plan)
    return plans


def test_combine_in_welsh(two_plans, tmp_path):
    shas = [_sha(p) for p in two_plans]
    welsh, english = tmp_path / "cyfun.xlsx", tmp_path / "combined.xlsx"
    result = _run("combine", *two_plans, "-o", welsh, "--language", "cy")
    assert result.exit_code == 0
    assert result.output.startswith("Cyfunwyd 2 ")
    assert f"Ysgrifennwyd {welsh}. Gwiriwch ef gyda: eqplan validate {welsh} --language cy\n" in (
        result.output
    )
    assert "Cyfunwyd 2 gynllun (eflg-2021):" in result.output
    assert "124 cam gweithredu; 6 chofnod yn y log cynnydd; 10 perchennog" in result.output
    for phrase in ("Combined", "Refs used by more than one plan", "Plan details from", "Wrote",
                   "plans", "log entries", "owners"):  # fmt: skip
        assert phrase not in result.output, phrase
    assert _run("combine", *two_plans, "-o", english).output.startswith("Combined 2 plans")
    assert [_sha(p) for p in two_plans] == shas
    book = openpyxl.load_workbook(welsh)
    assert book.sheetnames == WELSH_SHEETS
    ws = book["Camau gweithredu"]
    rows = _rows(ws)
    assert _value(ws, rows["HOUSING-EB47"], "rag") == "Gwyrdd"
    assert _value(ws, rows["ADULTS-EB48"], "rag") == "Ambr"
    cymraeg, saesneg = validate_workbook(welsh), validate_workbook(english)
    assert cymraeg.report.valid
    assert build_view(cymraeg.plan).as_dict() == build_view(saesneg.plan).as_dict()


@pytest.mark.parametrize("language", ["cy", "both"])
def test_the_checked_copy_in_welsh(tmp_path, language):
    before = _sha(EXAMPLE)
    result = CliRunner().invoke(
        cli, ["validate", str(EXAMPLE), "--annotate", "-o", str(tmp_path), "--language", language]
    )
    assert result.exit_code == 0, result.output
    assert "Ysgrifennwyd copi wedi'i farcio i " in result.output
    book = openpyxl.load_workbook(tmp_path / "example-plan-checked.xlsx")
    assert book.sheetnames[0] == "Problemau" and "Problems" not in book.sheetnames
    sheet = book["Problemau"]
    assert [c.value for c in sheet[1]] == ["Difrifoldeb", "Ble", "Cod", "Problem", "Sut i'w drwsio"]
    column = {sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)}
    assert column == {"rhybudd"}  # the example has warnings only
    assert "workbook" not in {sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row)}
    noted = [c for row in book["Actions"].iter_rows() for c in row if c.comment]
    assert noted and all("I'w drwsio: " in c.comment.text for c in noted)
    assert not any("Fix: " in c.comment.text for c in noted)
    assert _sha(EXAMPLE) == before


def test_the_checked_copy_stays_english_by_default(tmp_path):
    CliRunner().invoke(cli, ["validate", str(EXAMPLE), "--annotate", "-o", str(tmp_path)])
    book = openpyxl.load_workbook(tmp_path / "example-plan-checked.xlsx")
    sheet = book["Problems"]
    assert [c.value for c in sheet[1]] == ["Severity", "Where", "Code", "Problem", "How to fix it"]
    assert sheet.cell(row=2, column=1).value == "warning"


def test_combine_in_english_keeps_the_councils_welsh(two_plans, tmp_path):
    """The English combined workbook keeps the (Cymraeg) columns and Plan rows: a Welsh plan
    built from it prints the officers' Welsh, not English standing in."""
    combined = tmp_path / "combined.xlsx"
    assert _run("combine", *two_plans, "-o", combined).exit_code == 0
    validation = validate_workbook(combined, language="cy")
    assert validation.report.valid
    with use_language("cy"):
        view = build_view(validation.plan)
    actions = {a.ref: a for a in view.actions}
    assert actions["HOUSING-EB01"].action == actions["ADULTS-EB01"].action == EB01_WELSH
    assert validation.plan.welsh.plan["title"].text.startswith("Cynllun Gweithredu Cydraddoldeb")


@pytest.fixture(scope="module")
def welsh_plan(tmp_path_factory) -> Path:
    """The example plan as a workbook made in Welsh (Welsh sheet names and dropdown words)."""
    from pipeline.workbook import read_workbook
    from pipeline.workbook.upgrade import read_data

    path = tmp_path_factory.mktemp("cynllun") / "cynllun.xlsx"
    read_data(read_workbook(EXAMPLE)).save_to(path, EXAMPLE, language="cy")
    return path


@pytest.fixture(scope="module")
def welsh_sent(welsh_plan, tmp_path_factory):
    """The Welsh plan split by owner without --language: the folder and the command's result
    (read only: tests copy a return before changing it)."""
    sent = tmp_path_factory.mktemp("welsh-split") / "anfon"
    return sent, _run("split", welsh_plan, "--by", "owner", "-o", sent)


def test_split_and_merge_follow_the_language_the_plan_was_made_in(welsh_plan, welsh_sent, tmp_path):
    """Without --language a Welsh plan's owners get Welsh workbooks and the merged plan stays
    Welsh (an English copy would hold the Welsh plan's words under English dropdowns)."""
    (sent, result), merged = welsh_sent, tmp_path / "cyfun.xlsx"
    assert result.exit_code == 0
    assert f"Ysgrifennwyd {sent / HR} ar gyfer Human Resources and OD" in result.output
    assert openpyxl.load_workbook(sent / HR).sheetnames == [*WELSH_SHEETS, layout.RECORD_SHEET]
    returned = _owner_edits(sent, tmp_path)
    result = _run("merge", welsh_plan, returned, "-o", merged)
    assert result.output.startswith("Cyfunwyd 1 ffurflen ddychwelyd i mewn i ")
    book = openpyxl.load_workbook(merged)
    assert book.sheetnames == [*WELSH_SHEETS, layout.MERGED_SHEET]
    ws = book["Camau gweithredu"]
    assert _value(ws, _rows(ws)["EB48"], "rag") == "Coch"
    assert validate_workbook(merged).report.valid
    # asked for in English, English it is
    english = tmp_path / "merged.xlsx"
    assert _run("merge", welsh_plan, returned, "-o", english, "--language", "en").output.startswith(
        "Merged 1 return into"
    )
    assert openpyxl.load_workbook(english).sheetnames[5] == "Actions"
    _run("split", welsh_plan, "--by", "owner", "-o", tmp_path / "send", "--language", "en")
    assert "Actions" in openpyxl.load_workbook(tmp_path / "send" / HR).sheetnames


def test_combine_follows_the_plan_its_details_come_from(welsh_plan, two_plans, tmp_path):
    welsh, english = tmp_path / "cyfun.xlsx", tmp_path / "combined.xlsx"
    result = _run("combine", welsh_plan, two_plans[0], "-o", welsh)
    assert result.exit_code == 0 and result.output.startswith("Cyfunwyd 2 gynllun")
    assert openpyxl.load_workbook(welsh).sheetnames == WELSH_SHEETS
    result = _run("combine", welsh_plan, two_plans[0], "-o", english, "--plan-from", two_plans[0])
    assert result.output.startswith("Combined 2 plans")
    assert openpyxl.load_workbook(english).sheetnames[5] == "Actions"
    assert validate_workbook(welsh).report.valid and validate_workbook(english).report.valid


BIT = "Business-Intelligence-Team.xlsx"
EB01_LOGGED_WELSH = "Ychwanegwyd data iaith ac anabledd ar gyfer 12 o'r 20 ward."


def test_an_owner_may_write_the_welsh_of_their_update(sent, tmp_path):
    """The (Cymraeg) column of the progress update is open in a Welsh return, named in its
    Read me; merged, the new Welsh stands beside the new update and goes on its log entry,
    and the Welsh of the update it replaced goes to that update's entry (found running a
    Welsh council's quarter: the column was locked, so the Welsh was refused)."""
    book = openpyxl.load_workbook(sent / BIT)
    ws = book["Camau gweithredu"]
    row = _rows(ws)["EB01"]
    column = KEYS.index(layout.PROGRESS_CY) + 1
    assert ws.cell(row=1, column=column).value == "Diweddariad ar gynnydd (Cymraeg)"
    assert not ws.cell(row=row, column=column).protection.locked
    assert ws.cell(row=row, column=KEYS.index("action") + 1).protection.locked
    readme = _readme(sent / BIT)
    assert "Diweddariad ar gynnydd (Cymraeg)" in readme
    assert "Cynllun Gweithredu Cydraddoldeb" in readme  # the plan's own Welsh title
    ws.cell(row=row, column=KEYS.index("progress") + 1).value = "Data added for all 20 wards."
    ws.cell(row=row, column=column).value = "Ychwanegwyd data ar gyfer pob un o'r 20 ward."
    returned = tmp_path / BIT
    book.save(returned)
    merged = tmp_path / "merged.xlsx"
    report = json.loads(_run("merge", EXAMPLE, returned, "-o", merged, "--format", "json").stdout)
    assert report["locked_changed"] == [] and report["conflicts"] == []
    assert report["updated"] == [
        {"ref": "EB01", "fields": ["Progress update", "Progress update (Cymraeg)"], "file": BIT}
    ]
    plan = validate_workbook(merged, language="cy").plan
    eb01 = next(a for a in plan.actions if a.ref == "EB01")
    assert plan.welsh.actions[("Actions", eb01.row)]["progress"].text == (
        "Ychwanegwyd data ar gyfer pob un o'r 20 ward."
    )
    log = {e.update: e.update_cy for e in plan.progress_log if e.ref == "EB01"}
    assert log["Data added for all 20 wards."] == "Ychwanegwyd data ar gyfer pob un o'r 20 ward."
    assert log["Language and disability data added for 12 of 20 wards."] == EB01_LOGGED_WELSH


def test_the_welsh_alone_may_be_returned(sent, tmp_path):
    """An owner who only puts the Welsh beside an unchanged update: applied, no conflict."""
    book = openpyxl.load_workbook(sent / BIT)
    ws = book["Camau gweithredu"]
    row = _rows(ws)["EB03"]
    ws.cell(row=row, column=KEYS.index(layout.PROGRESS_CY) + 1).value = "Cymraeg newydd."
    returned = tmp_path / BIT
    book.save(returned)
    merged = tmp_path / "merged.xlsx"
    report = json.loads(_run("merge", EXAMPLE, returned, "-o", merged, "--format", "json").stdout)
    assert report["updated"] == [
        {"ref": "EB03", "fields": ["Progress update (Cymraeg)"], "file": BIT}
    ]
    assert report["conflicts"] == [] and report["locked_changed"] == []
    plan = validate_workbook(merged, language="cy").plan
    eb03 = next(a for a in plan.actions if a.ref == "EB03")
    assert plan.welsh.actions[("Actions", eb03.row)]["progress"].text == "Cymraeg newydd."


def test_the_web_merge_keeps_a_welsh_plan_welsh(welsh_plan, welsh_sent, tmp_path):
    """The Merge screen writes the merged plan as `eqplan merge` does: a plan made in Welsh
    stays Welsh, whatever the page's language; the page's report is in its own."""
    from pipeline.web.merge_work import merge_uploads

    sent, split = welsh_sent
    assert split.exit_code == 0
    returned = _owner_edits(sent, tmp_path)
    upload = (welsh_plan.read_bytes(), welsh_plan.name)
    for page in ("en", "cy"):
        with use_language(page):
            outcome = merge_uploads(upload, [(returned.read_bytes(), returned.name)])
        book = openpyxl.load_workbook(io.BytesIO(outcome.merged))
        assert book.sheetnames == [*WELSH_SHEETS, layout.MERGED_SHEET], page
        assert (
            book["Darllen fi"]["A1"].value
            == openpyxl.load_workbook(welsh_plan)["Darllen fi"]["A1"].value
        )
