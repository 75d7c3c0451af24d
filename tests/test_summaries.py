"""The figures are computed once, with one definition of complete and of an owner (issue 10)."""

from __future__ import annotations

import datetime as dt

from pipeline.validate import validate_workbook
from pipeline.view import build_view
from tests.conftest import action_row


def _summary(make_workbook, rows, owners=None):
    return build_view(validate_workbook(make_workbook(actions=rows, owners=owners)).plan)


def test_complete_by_deadline_counts_as_complete_everywhere(make_workbook):
    rows = [
        action_row(ref="A1", deadline="Complete", rag="Green"),
        action_row(ref="A2", deadline="Complete", rag=None, action="Two."),
        action_row(ref="A3", deadline=dt.date(2026, 1, 31), rag="Complete", action="Three."),
    ]
    summary = _summary(make_workbook, rows)
    assert summary.complete == 3 and summary.by_rag["Complete"] == 3
    assert summary.by_section[0].counts["Complete"] == summary.section_total.counts["Complete"] == 3
    assert sum(row.complete for row in summary.coverage) == 3
    assert summary.overdue == [] and summary.due_soon == []
    assert {r["rag"] for r in summary.action_records} == {"Complete"}
    assert [r["rag_given"] for r in summary.action_records] == ["Green", "Not rated", "Complete"]


def test_no_joint_owners_means_no_note(make_workbook):
    summary = _summary(make_workbook, [action_row(owner="policy  team")], owners=["Policy Team"])
    assert summary.owners_note == ""
    assert [(r.label, r.total, r.refs) for r in summary.by_owner] == [("Policy Team", 1, ["A1"])]


def test_the_json_shape_is_stable(make_workbook):
    figures = _summary(make_workbook, [action_row(strand="Race equality")]).as_dict()
    assert {"actions", "complete", "overdue", "due_soon", "by_rag", "by_section", "by_owner",
            "by_strand"} <= set(figures)  # fmt: skip
    assert list(figures["by_rag"]) == ["Red", "Amber", "Green", "Complete", "Not rated"]
    assert set(figures["by_section"][0]) >= {"ref", "title", "actions", "by_rag"}
    assert set(figures["by_owner"][0]) >= {"owner", "actions"}
    assert figures["by_strand"] == {"Race equality": 1}


def test_a_date_excel_cannot_show_is_written_as_text_in_the_summary(tmp_path):
    """`Q1 0001` is warned as implausible; the summary writes it as text, not as a date
    cell holding a negative serial that Excel shows as ####."""
    import openpyxl

    from pipeline.build import build
    from tests.conftest import action_row, write_plan_workbook

    book = write_plan_workbook(tmp_path / "plan.xlsx", [action_row(deadline="Q1 0001")])
    result = build(book, tmp_path / "out")
    assert result.report.valid
    sheet = openpyxl.load_workbook(tmp_path / "out" / "plan-summary.xlsx")["All actions"]
    due = [c.value for c in sheet[1]].index("Due date")
    assert sheet.cell(2, due + 1).value == "31 March 1"


def test_every_table_counts_each_action_by_its_own_rating(make_workbook):
    """summarise rates each action once and shares it: every table still counts exactly
    Action.rating (complete by Status or deadline, withdrawn as Not rated, joint owners)."""
    from collections import Counter

    rows = [
        action_row(ref="A1", rag="Red", owner="Policy Team; HR"),
        action_row(ref="A2", rag="Amber", status="Withdrawn", action="Two."),
        action_row(ref="A3", rag="Green", status="Complete", action="Three."),
        action_row(ref="A4", rag="Green", deadline="Complete", action="Four.", owner="HR"),
        action_row(ref="A5", rag=None, action="Five."),
    ]
    view = _summary(make_workbook, rows, owners=["Policy Team", "HR"])

    def rated(actions):
        found = Counter(action.rating.label for action in actions)
        return {label: found[label] for label in view.by_rag}

    assert view.by_rag == rated(view.plan.actions)
    assert view.by_rag == {"Red": 1, "Amber": 0, "Green": 0, "Complete": 2, "Not rated": 2}
    for row in [*view.figures.by_module, *view.by_owner]:
        assert row.counts == rated(row.actions), row.label
    assert [(row.label, row.total) for row in view.by_owner] == [("HR", 2), ("Policy Team", 4)]


def test_a_withdrawn_status_on_a_complete_action_is_counted_once_as_complete(make_workbook):
    """Found by a councillor's review: "5 are complete and 1 is withdrawn" counted one
    action twice (Status Withdrawn, RAG Complete). Complete wins, as Action.rating says;
    the Status column's own count stays as typed, and validation says so at the cell."""
    rows = [
        action_row(ref="A1", rag="Complete", status="Withdrawn"),
        action_row(ref="A2", rag="Amber", status="Withdrawn", action="Two."),
        action_row(ref="A3", rag="Green", action="Three."),
    ]
    summary = _summary(make_workbook, rows)
    assert (summary.complete, summary.withdrawn, summary.total_actions) == (1, 1, 3)
    assert summary.by_status["Withdrawn"] == 2  # the column as typed
    assert summary.as_dict()["withdrawn"] == 1
    report = validate_workbook(make_workbook(actions=rows)).report
    flagged = [(p.code, p.cell) for p in report.problems if p.code == "WITHDRAWN_COMPLETE"]
    assert flagged == [("WITHDRAWN_COMPLETE", "K2")]
