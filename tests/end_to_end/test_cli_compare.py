"""`eqplan compare` and `--since`: progress since the last report, through the command line (issue 12).

Two quarters of one plan are written as real workbooks; the outputs are
opened and read back.
"""

from __future__ import annotations

import datetime as dt
import json

import docx
import openpyxl
import pytest

from pipeline.cli import cli
from tests.conftest import action_row
from tests.render.helpers import all_text, cell_text, stale_metadata

SEPT = dt.date(2026, 9, 30)
PROFILES = "Publish the ward profiles for every service manager"


@pytest.fixture
def quarters(make_workbook):
    """September and November workbooks of one plan: each kind of change once."""
    before = make_workbook(
        "plan-september.xlsx",
        actions=[
            action_row(ref="L1", rag="Amber", deadline="Q3 2026"),
            action_row(ref="L2", rag="Green", action="Review the gender pay gap"),
            action_row(ref="", rag="Red", action=PROFILES),
            action_row(ref="L4", rag="Red", action="Run staff survey"),
            action_row(ref="L5", rag="Amber", action="Old action we dropped"),
        ],
        plan={"report_date": SEPT},
        assessments={"1": ("Developing", "Achieving")},
    )
    after = make_workbook(
        "plan-november.xlsx",
        actions=[
            action_row(ref="L1", rag="Green", deadline="Dec 2026"),  # improved, slipped 92 days
            action_row(ref="L2", rag="Complete", action="Review the gender pay gap"),
            action_row(ref="", rag="Amber", action=PROFILES + "s."),  # no Ref: matched by text
            action_row(ref="L4", rag="", action="Run staff survey"),  # to Not rated: unchanged
            action_row(ref="L9", rag="Amber", action="=SUM(A1) new {{ x }} & <b>"),  # new
        ],  # L5 removed
        assessments={"1": ("Achieving", "Achieving")},
    )
    return before, after


def test_compare_json_has_the_documented_shape(runner, quarters):
    result = runner.invoke(cli, ["compare", *map(str, quarters), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["previous"] == {"report_date": "2026-09-30", "actions": 5}
    assert data["current"] == {"report_date": "2026-11-30", "actions": 5}
    assert data["counts"] == {
        "improved": 3, "worsened": 0, "unchanged": 1, "new": 1, "removed": 1,
        "completed": 1, "slipped": 1, "withdrawn": 0,
    }  # fmt: skip
    actions = {a["ref"]: a for a in data["actions"]}
    assert {k: actions["L1"][k] for k in ("change", "rag_from", "rag_to", "deadline_from",
            "deadline_to", "slipped_days", "matched_by")} == {
        "change": "improved", "rag_from": "Amber", "rag_to": "Green", "deadline_from": "Q3 2026",
        "deadline_to": "Dec 2026", "slipped_days": 92, "matched_by": "ref",
    }  # fmt: skip
    by_text = next(a for a in data["actions"] if a["matched_by"] == "text")
    assert by_text["ref"].startswith("1.2-") and by_text["ref"] != by_text["ref_from"]
    assert (actions["L4"]["change"], actions["L4"]["rag_to"]) == ("unchanged", "Not rated")
    assert actions["L5"]["change"] == "removed" and actions["L5"]["rag_from"] == "Amber"
    assert actions["L9"]["change"] == "new" and actions["L9"]["matched_by"] is None
    assert data["assessments"][0]["level_from"] == "Developing"


def test_compare_text_lists_every_action_and_says_how_it_was_matched(runner, quarters):
    result = runner.invoke(cli, ["compare", *map(str, quarters)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Progress since the last report (30 September 2026)")
    assert (
        "3 actions' ratings got better (from Red to Amber, for example), 0 got worse and 1 stayed the same"
        in out
    )
    assert "1 action was removed" in out
    lines = out.splitlines()
    assert any(line.startswith("L1 ") and "Q3 2026 to Dec 2026" in line for line in lines)
    assert any(line.startswith("L5 ") and "Removed: last Amber" in line for line in lines)
    assert any(" * " in line and "Red to Amber" in line for line in lines)
    assert "matched by its point and text" in out
    # The level was Developing and is now Achieving, in that order on the theme's line.
    level = next(line for line in lines if "Developing" in line)
    assert level.index("Developing") < level.index("Achieving")


def test_compare_text_prints_a_cell_of_several_lines_on_its_row(runner, make_workbook):
    """Joint owners on two lines are joined with `; `, as the summary workbook joins them:
    a line break would print a stray row under the table."""
    owners = ["Housing Team", "Insight Team"]
    joint = {"owner": "Housing Team\nInsight Team"}
    before = make_workbook(
        "before.xlsx", actions=[action_row(ref="L1", **joint)], owners=owners,
        plan={"report_date": SEPT},
    )  # fmt: skip
    after = make_workbook("after.xlsx", actions=[action_row(ref="L1", **joint)], owners=owners)
    result = runner.invoke(cli, ["compare", str(before), str(after)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    [row] = [line for line in lines if line.startswith("L1 ")]
    assert row.endswith("  Housing Team; Insight Team")
    assert not any(line.startswith("Insight Team") for line in lines)


def test_compare_writes_a_word_document_and_a_workbook(runner, quarters, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["compare", *map(str, quarters), "-o", str(out)])
    assert result.exit_code == 0, result.output
    word, book = out / "plan-november-changes.docx", out / "plan-november-changes.xlsx"
    assert sorted(p.name for p in out.iterdir()) == [word.name, book.name]

    assert stale_metadata(word) == []
    document = docx.Document(str(word))
    assert document.core_properties.title.endswith(
        "Progress since the last report (30 September 2026)"
    )
    assert document.core_properties.language == "en-GB"
    styles = document.styles.element.xpath("//w:docDefaults//w:lang/@w:val")
    assert styles == ["en-GB"]
    heads = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Progress since the last report (30 September 2026)" in heads
    assert {"Changes in rating", "Newly complete", "Deadlines moved later", "New actions",
            "Actions removed since the last report"} <= set(heads)  # fmt: skip
    for table in document.tables:
        if len(table.rows) > 1:
            assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "header row repeats"
    text = all_text(word)
    assert "Amber to Green" in text and "92 days later" in text
    assert "=SUM(A1) new {{ x }} & <b>" in text  # user text comes out literally
    removed = next(t for t in document.tables if cell_text(t.rows[0].cells[-1]) == "Last rating")
    levels = next(t for t in document.tables if cell_text(t.rows[0].cells[-1]) == "Level now")
    assert [cell_text(c) for c in levels.rows[1].cells][1:] == ["Developing", "Achieving"]
    assert [cell_text(c) for c in removed.rows[1].cells][::2] == ["L5", "Amber"]

    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["Counts", "Changes", "Self-assessment changes"]
    assessed = [r for r in workbook["Self-assessment changes"].iter_rows(values_only=True)]
    assert any(r[1:3] == ("Developing", "Achieving") for r in assessed), assessed
    counts = {
        r[0]: r[1]
        for r in workbook["Counts"].iter_rows(min_row=2, values_only=True)
        if r[1] is not None
    }
    assert counts["Improved"] == 3 and counts["Removed"] == 1 and counts["Slipped"] == 1
    rows = list(workbook["Changes"].iter_rows(values_only=True))
    header = rows[0]
    l9 = next(r for r in rows if r[0] == "L9")
    assert l9[header.index("Change")] == "new"
    cell = next(c for c in workbook["Changes"]["B"] if c.value and "SUM" in str(c.value))
    assert cell.data_type == "s" and cell.value.startswith("=SUM")  # text, never a formula


def test_compare_never_writes_over_the_previous_workbook_and_says_how_to_avoid_it(
    runner, quarters, tmp_path
):
    """The previous report's workbook named like the changes workbook: refused, with a hint
    naming what compare has (an attacker's review found it offered --name, which it lacks)."""
    previous, current = quarters
    clash = previous.with_name(f"{current.stem}-changes.xlsx")
    previous.rename(clash)
    before = clash.read_bytes()
    result = runner.invoke(cli, ["compare", str(clash), str(current), "-o", str(clash.parent)])
    assert result.exit_code == 2, result.output
    assert "same file as the input" in result.output and "--name" not in result.output
    assert "Choose another output folder with -o, or rename the previous report" in result.output
    assert clash.read_bytes() == before


def test_build_since_adds_the_progress_section_in_both_layouts(runner, quarters, tmp_path):
    before, after = quarters
    for layout in ("rag", "outcomes"):
        out = tmp_path / layout
        args = ["build", str(after), "--since", str(before), "-o", str(out), "--layout", layout]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        path = out / "plan-november.docx"
        document = docx.Document(str(path))
        heads = [
            p.text.replace("\u00a0", " ")
            for p in document.paragraphs
            if p.style.name == "Heading 1"
        ]
        title = "Progress since the last report (30 September 2026)"
        assert heads.index(title) == heads.index("Summary of progress") + 1
        text = all_text(path)
        assert (
            "3 actions' ratings got better (from Red to Amber, for example), 0 got worse and 1 stayed the same"
            in text
        )
        for words in ("Amber to Green", "Green to Complete", "Red to Amber", "92 days later"):
            assert words in text, (layout, words)
        assert "Was: Amber" in text and "Was: Red" in text and "New since the last report" in text
        removed = next(
            t for t in document.tables if cell_text(t.rows[0].cells[-1]) == "Last rating"
        )
        assert cell_text(removed.rows[1].cells[0]) == "L5"
        assert title in text  # in the contents list too
        assert "matched with the last report by their framework point" in text

    summary = openpyxl.load_workbook(tmp_path / "rag" / "plan-november-summary.xlsx")
    assert summary.sheetnames[-1] == "Changes"
    refs = [r[0] for r in summary["Changes"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert {"L1", "L2", "L4", "L5", "L9"} <= set(refs)


def test_build_without_since_has_no_progress_section(runner, quarters, tmp_path):
    result = runner.invoke(cli, ["build", str(quarters[1]), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = all_text(tmp_path / "plan-november.docx")
    assert "Progress since the last report" not in text and "Was: " not in text
    assert (
        "Changes" not in openpyxl.load_workbook(tmp_path / "plan-november-summary.xlsx").sheetnames
    )


def test_summary_json_since_copies_the_comparison_counts(runner, quarters):
    before, after = quarters
    result = runner.invoke(cli, ["summary", str(after), "--format", "json", "--since", str(before)])
    assert result.exit_code == 0, result.output
    since = json.loads(result.stdout)["since"]
    compared = json.loads(
        runner.invoke(cli, ["compare", str(before), str(after), "--format", "json"]).stdout
    )
    assert since["counts"] == compared["counts"]
    assert since["previous"]["report_date"] == "2026-09-30"


def test_errors_in_the_previous_workbook_stop_with_its_report(runner, quarters, make_workbook):
    broken = make_workbook("broken.xlsx", actions=[action_row(rag="Yellow")])
    for args in (
        ["compare", str(broken), str(quarters[1])],
        ["build", str(quarters[1]), "--since", str(broken), "-o", "unused"],
        ["summary", str(quarters[1]), "--since", str(broken)],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert "previous workbook has errors" in result.output
        assert "RAG_INVALID" in result.output
        assert "Traceback" not in result.output


def test_unreadable_and_other_framework_workbooks_exit_2(runner, quarters, make_workbook, tmp_path):
    text_file = tmp_path / "notes.xlsx"
    text_file.write_text("not a workbook", encoding="utf-8")
    result = runner.invoke(cli, ["compare", str(text_file), str(quarters[1])])
    assert result.exit_code == 2 and result.output.startswith("Error:")

    wales = make_workbook(
        "wales.xlsx", framework="eif-wales-2011", actions=[action_row(point="1.1")]
    )
    result = runner.invoke(cli, ["compare", str(wales), str(quarters[1])])
    assert result.exit_code == 2, result.output
    assert "different frameworks" in result.output and "Traceback" not in result.output


def test_summary_text_since_says_the_counts_in_words(runner, quarters):
    before, after = quarters
    result = runner.invoke(cli, ["summary", str(after), "--since", str(before)])
    assert result.exit_code == 0, result.output
    assert "Progress since the last report (30 September 2026)" in result.stdout
    assert "1 new action was added" in result.stdout
