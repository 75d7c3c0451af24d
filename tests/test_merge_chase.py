"""What merge tells the officer to chase: whose return was not given, and a return it had to date.

Found by running a year of the cycle: in three quarters an owner returned nothing and
merge never said so (the officer compared the sent and returned folders by hand); a
return saved by Google Sheets, which records no save date, had its updates dated the
day of the merge without a word; and a return saved just after midnight in British
Summer Time was dated the day before.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.merge_not_returned import not_returned
from pipeline.merge_report import ReturnOutcome
from pipeline.validate import validate_workbook
from pipeline.workbook import layout
from pipeline.workbook.returns import read_record, saved_day, saved_on
from tests.conftest import EXAMPLE, MERGE_TODAY
from tests.test_merge_log import _saved
from tests.test_returns import COLUMNS, HR, _merge, _return

DEM = "Democratic-Services.xlsx"


def _groups(folder: Path) -> dict[str, int]:
    """Each split workbook's group and how many actions were sent in it, from its record."""
    records = [read_record(path) for path in sorted(folder.glob("*.xlsx"))]
    return {record.get("group"): len(record.rows) for record in records}


def _undated(path: Path) -> Path:
    """path as Google Sheets saves it: no document properties, so no save date."""
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    parts = {name: data for name, data in parts.items() if not name.startswith("docProps/")}
    for name in ("[Content_Types].xml", "_rels/.rels"):
        text = parts[name].decode()
        for gone in (
            "/docProps/core.xml",
            "/docProps/app.xml",
            "docProps/core.xml",
            "docProps/app.xml",
        ):
            text = text.replace(f'"{gone}"', '"/gone"')
        parts[name] = text.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    assert saved_on(path) is None
    return path


# ------------------------------------------------------------------ no return given


def test_merge_lists_each_owner_whose_return_was_not_given_with_their_actions(sent, tmp_path):
    hr = _return(sent, tmp_path, EB47={"rag": "Red"})
    dem = _return(sent, tmp_path, DEM)
    result, report, _out = _merge(tmp_path, hr, dem)
    assert result.exit_code == 0, result.output
    waiting = {
        g: n
        for g, n in _groups(sent).items()
        if g not in ("Human Resources and OD", "Democratic Services")
    }
    assert len(waiting) == 8
    assert {e["group"]: e["actions"] for e in report["not_returned"]} == waiting
    assert all(e["by"] == "owner" for e in report["not_returned"])
    names = [e["group"] for e in report["not_returned"]]
    assert names == sorted(names, key=str.lower)  # as the sent folder lists them
    plan = validate_workbook(EXAMPLE).plan
    procurement = next(
        e for e in report["not_returned"] if e["group"] == "Procurement and Commissioning"
    )
    assert procurement["refs"] == [a.ref for a in plan.actions if "Procurement" in a.owner]

    text = CliRunner().invoke(
        cli, ["merge", str(EXAMPLE), str(hr), str(dem), "-o", str(tmp_path / "t.xlsx")]
    )
    assert "No return given in this merge from these owners" in text.output
    count = waiting["Procurement and Commissioning"]
    assert f"  Procurement and Commissioning: {count} actions" in text.output
    assert "  Democratic Services:" not in text.output


def test_merging_a_few_returns_at_a_time_lists_those_not_given_in_that_run(sent, tmp_path):
    """The second run, into the first's merged plan, names the owners not given in it: the
    wording says "in this merge", so an owner merged the first time is listed again."""
    first = _merge(tmp_path, _return(sent, tmp_path, EB47={"rag": "Red"}))[2]
    (tmp_path / "two").mkdir()
    again = tmp_path / "again.xlsx"
    args = ["merge", str(first), str(_return(sent, tmp_path / "two", DEM)), "-o", str(again)]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    listed = {e["group"] for e in json.loads(result.stdout)["not_returned"]}
    assert "Human Resources and OD" in listed and "Democratic Services" not in listed


def test_nothing_is_listed_when_every_owner_returned(sent, tmp_path):
    returns = [_return(sent, tmp_path, path.name) for path in sorted(sent.glob("*.xlsx"))]
    result, report, _out = _merge(tmp_path, *returns)
    assert result.exit_code == 0, result.output
    assert report["not_returned"] == []
    text = CliRunner().invoke(
        cli, ["merge", str(EXAMPLE), *map(str, returns), "-o", str(tmp_path / "t.xlsx")]
    )
    assert "No return given" not in text.output


def test_a_split_by_section_lists_the_sections_not_returned(tmp_path):
    sections = tmp_path / "sections"
    args = ["split", str(EXAMPLE), "--by", "section", "-o", str(sections)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    first, *others = sorted(sections.glob("*.xlsx"))
    result, report, _out = _merge(tmp_path, first)
    assert result.exit_code == 0, result.output
    assert [(e["by"], e["group"], e["actions"]) for e in report["not_returned"]] == [
        ("section", read_record(path).get("group"), len(read_record(path).rows)) for path in others
    ]


def test_nothing_is_listed_when_the_groups_cannot_be_told(sent, tmp_path):
    """Returns from a split by owner and one by section; none of this plan's; a return whose
    owner the plan no longer has: the plan's groups may not be the ones sent, so no list."""
    sections = tmp_path / "sections"
    args = ["split", str(EXAMPLE), "--by", "section", "-o", str(sections)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    section = sorted(sections.glob("*.xlsx"))[0]
    result, report, _out = _merge(tmp_path, _return(sent, tmp_path), section)
    assert result.exit_code == 0, result.output
    assert report["not_returned"] == []

    other = tmp_path / "other.xlsx"
    book = openpyxl.load_workbook(EXAMPLE)
    book[layout.PLAN_SHEET]["B2"] = "Another council"
    book.save(other)
    result, report, _out = _merge(tmp_path, _return(sent, tmp_path), plan=other, extra=["--force"])
    assert report["returns"][0]["status"] == "refused" and report["not_returned"] == []

    plan = validate_workbook(EXAMPLE).plan
    renamed = ReturnOutcome("hr.xlsx", group="HR and OD (renamed since)", by="owner")
    assert not_returned(plan, [renamed]) == []
    known = ReturnOutcome("hr.xlsx", group="Human Resources and OD", by="owner")
    assert len(not_returned(plan, [known])) == 9


# ------------------------------------------------------------------ the day a return is dated


def test_a_return_with_no_save_date_says_its_updates_are_dated_today(sent, tmp_path):
    undated = _undated(_return(sent, tmp_path, EB47={"rag": "Red", "progress": "Panel met."}))
    (tmp_path / "dated").mkdir()
    dated = _saved(_return(sent, tmp_path / "dated", DEM), dt.date(2026, 12, 12))
    result, report, out = _merge(tmp_path, undated, dated)
    assert result.exit_code == 0, result.output
    today = MERGE_TODAY
    by_file = {r["file"]: r for r in report["returns"]}
    assert by_file[HR]["saved_on"] is None and by_file[HR]["dated_today"] is True
    assert by_file[DEM]["saved_on"] == "2026-12-12"
    assert by_file[DEM]["dated_today"] is False
    ws = openpyxl.load_workbook(out)[layout.ACTIONS_SHEET]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "EB47")
    assert row[COLUMNS.index("last_updated")].date() == today

    text = (
        CliRunner()
        .invoke(
            cli, ["merge", str(EXAMPLE), str(undated), str(dated), "-o", str(tmp_path / "t.xlsx")]
        )
        .output
    )
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {HR}: merged"))
    assert lines[at + 1].startswith("    Its save date is not recorded")
    assert f"dated the day of this merge, {today.day} " in lines[at + 1]
    assert "correct those dates" in lines[at + 1]
    assert text.count("Its save date is not recorded") == 1  # not said of the dated return


def test_a_return_with_no_save_date_and_no_changes_says_nothing_about_dates(sent, tmp_path):
    result, report, _out = _merge(tmp_path, _undated(_return(sent, tmp_path)))
    assert result.exit_code == 0, result.output
    assert report["returns"][0]["saved_on"] is None and report["returns"][0]["dated_today"] is False


def test_a_return_is_dated_by_the_uk_day_it_was_saved():
    """00:30 on 2 June in British Summer Time is 23:30 on 1 June in UTC, as files record it."""
    assert saved_day("2026-06-01T23:30:00Z") == dt.date(2026, 6, 2)
    assert saved_day("2026-06-01T22:59:59Z") == dt.date(2026, 6, 1)
    assert saved_day("2026-12-01T23:30:00Z") == dt.date(2026, 12, 1)  # GMT: UTC is UK time
    assert saved_day("2026-03-29T00:30:00Z") == dt.date(2026, 3, 29)  # the clocks go forward
    assert saved_day("2026-06-01T23:30:00.123456789Z") == dt.date(2026, 6, 2)
    assert saved_day("2026-06-01T23:30:00") == dt.date(2026, 6, 1)  # no zone: as written
    assert saved_day("2026-06-01") == dt.date(2026, 6, 1)


def test_merge_dates_an_update_saved_after_midnight_in_summer_by_that_day(sent, tmp_path):
    path = _return(sent, tmp_path, EB47={"progress": "Panel met after midnight."})
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    core = parts["docProps/core.xml"].decode()
    start = core.index("<dcterms:modified")
    end = core.index("</dcterms:modified>")
    opening = core[start : core.index(">", start) + 1]
    parts["docProps/core.xml"] = (
        core[:start] + opening + "2026-07-14T23:30:00Z" + core[end:]
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    result, report, out = _merge(tmp_path, path)
    assert result.exit_code == 0, result.output
    plan = validate_workbook(out).plan
    entry = next(e for e in plan.progress_log if e.update == "Panel met after midnight.")
    assert entry.date == dt.date(2026, 7, 15)
    assert report["returns"][0]["saved_on"] == "2026-07-15"


# ------------------------------------------------------------------ copies and locked cells


def test_a_copy_of_a_return_is_skipped_and_the_original_name_merged(sent, tmp_path):
    """The tester's folder: `Copy of Democratic-Services.xlsx` sorts first; the copy is skipped
    with a note, the file with the owner's own name is the one merged, and the exit code is 0."""
    original = _return(sent, tmp_path, DEM, EB17={"rag": "Red"})
    copy = tmp_path / f"Copy of {DEM}"
    copy.write_bytes(original.read_bytes())
    args = ["merge", str(EXAMPLE), str(copy), str(original), "-o", str(tmp_path / "m.xlsx")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (
        f"  Copy of {DEM}: skipped: it is the same file as {DEM} (a copy), so only that one is "
        "read." in result.output
    )
    assert f"  {DEM}: merged, 1 action updated." in result.output
    assert "Merged 1 return into" in result.output and "refused" not in result.output
    result, report, _out = _merge(tmp_path, copy, original, extra=["--force"])
    assert result.exit_code == 0, result.output
    assert [(r["file"], r["status"]) for r in report["returns"]] == [
        (f"Copy of {DEM}", "skipped"),
        (DEM, "merged"),
    ]
    assert report["refused"] == [] and report["updated"][0]["file"] == DEM
    assert "Democratic Services" not in {e["group"] for e in report["not_returned"]}


def test_a_locked_cell_changed_is_reported_with_what_the_owner_typed(sent, tmp_path):
    wording = "Run diverse interview panels for every senior post, " * 3
    hr = _return(sent, tmp_path, EB46={"action": wording})
    _result, report, _out = _merge(tmp_path, hr)
    assert report["locked_changed"][0]["typed"] == wording.strip()  # in full, to copy across
    args = ["merge", str(EXAMPLE), str(hr), "-o", str(tmp_path / "t.xlsx")]
    text = CliRunner().invoke(cli, args).output
    line = next(line for line in text.splitlines() if line.startswith("  EB46 Gap / action"))
    assert f"{HR} Actions!D" in line
    assert "now says 'Run diverse interview panels for every senior post, Run d...'" in line
