"""The quarterly cycle's rules and figures (issue 12): status, withdrawn, several strands, the log."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.model import Rag, Section, Source
from pipeline.progress_log import ProgressEntry
from pipeline.status import ActionStatus
from pipeline.summaries import summarise
from pipeline.validate import checks
from pipeline.view import build_view
from pipeline.view_parts import WITHDRAWN_FILL
from tests.validate.test_checks import FRAMEWORK, REPORT_DATE, action, found, plan

S = ActionStatus


def _codes(check, the_plan) -> list[str]:
    return [code for code, _cell in found(check, the_plan)]


@pytest.mark.parametrize(
    ("status", "warned"),
    [
        (None, True),  # no Status: today's behaviour
        (S.IN_PROGRESS, True),
        (S.ONGOING, True),
        (S.NOT_STARTED, False),
        (S.DEFERRED, False),
        (S.WITHDRAWN, False),
        (S.COMPLETE, False),
    ],
)
def test_rag_missing_only_for_actions_under_way_when_a_status_is_given(status, warned):
    the_plan = plan(action(2, rag=Rag.NOT_RATED, status=status, completed_on=REPORT_DATE))
    assert ("RAG_MISSING" in _codes(checks.check_ratings, the_plan)) is warned


def test_status_complete_counts_as_complete_everywhere():
    done = action(2, rag=Rag.GREEN, status=S.COMPLETE, deadline="31/01/2026")
    assert done.is_complete and done.rating is Rag.COMPLETE
    assert not done.is_overdue(REPORT_DATE)
    figures = summarise(plan(done, action(3)))
    assert figures.complete == 1 and figures.by_rag["Complete"] == 1 and not figures.overdue


def test_status_complete_without_a_date_is_a_warning_at_completed_on():
    the_plan = plan(action(2, rag=Rag.COMPLETE, status=S.COMPLETE))
    assert ("COMPLETE_NO_DATE", "L2") in found(checks.check_ratings, the_plan)
    dated = plan(action(2, rag=Rag.COMPLETE, status=S.COMPLETE, completed_on=REPORT_DATE))
    assert "COMPLETE_NO_DATE" not in _codes(checks.check_ratings, dated)


def test_a_completion_date_on_a_reopened_action_is_a_warning_at_completed_on():
    """A reviewer reopened EB13 (In progress, Amber) and its old Completed on stayed, silently."""
    reopened = action(2, rag=Rag.AMBER, status=S.IN_PROGRESS, completed_on=dt.date(2026, 8, 20))
    (problem,) = [p for p in checks.check_ratings(plan(reopened)) if p is not None]
    assert (problem.code, problem.cell) == ("COMPLETED_BUT_OPEN", "L2")
    assert problem.message == "'Completed on' holds 20 August 2026, but the action is still open."
    finished = [
        action(2, rag=Rag.COMPLETE, completed_on=REPORT_DATE),  # complete by its rating
        action(2, rag=Rag.GREEN, status=S.COMPLETE, completed_on=REPORT_DATE),
        action(2, deadline="Complete", completed_on=REPORT_DATE),
        action(2, status=S.WITHDRAWN, completed_on=REPORT_DATE),  # not open either
    ]
    for done in finished:
        assert "COMPLETED_BUT_OPEN" not in _codes(checks.check_ratings, plan(done)), done


@pytest.mark.parametrize("rag", [Rag.RED, Rag.AMBER])
def test_status_complete_with_an_open_rating_is_complete_mismatch(rag):
    the_plan = plan(action(2, rag=rag, status=S.COMPLETE, completed_on=REPORT_DATE))
    problems = [p for p in checks.check_ratings(the_plan) if p is not None]
    mismatch = next(p for p in problems if p.code == "COMPLETE_MISMATCH")
    assert mismatch.cell == "H2" and "Status says Complete" in mismatch.message
    assert "RED_NO_UPDATE" not in {p.code for p in problems}


def test_withdrawn_is_never_overdue_or_due_soon_and_has_its_own_count():
    late = action(2, rag=Rag.RED, status=S.WITHDRAWN, deadline="31/01/2026", progress="Merged.")
    soon = action(3, rag=Rag.GREEN, status=S.WITHDRAWN, deadline="31/12/2026")
    figures = summarise(plan(late, soon, action(4, deadline="31/01/2026")))
    assert [a.row for a in figures.overdue] == [4]
    assert figures.due_soon == []
    assert figures.by_status["Withdrawn"] == 2 and figures.withdrawn == 2
    assert figures.by_rag["Red"] == 0 and figures.by_rag["Not rated"] == 2
    assert list(figures.as_dict()["by_status"]) == [
        "Not started", "In progress", "Ongoing", "Deferred", "Complete", "Withdrawn", "Not given",
    ]  # fmt: skip
    assert figures.as_dict()["by_status"]["Not given"] == 1
    assert "OVERDUE" not in _codes(checks.check_dates, plan(late))


def test_withdrawn_row_is_grey_with_withdrawn_in_the_rag_cell():
    view = build_view(
        plan(action(2, status=S.WITHDRAWN, strand="Race equality", progress="Merged"))
    )
    row = view.actions[0]
    assert (row.rag, row.rag_fill, row.tint) == ("Withdrawn", WITHDRAWN_FILL, WITHDRAWN_FILL)
    assert row.withdrawn and row.progress == "Merged"


def test_several_strands_each_counted_labelled_and_first_colour_shades():
    both = action(2, strand="Race equality\nWorkforce")
    also = action(3, strand="Workforce; Disability")
    the_plan = plan(
        both,
        also,
        action(4, strand="Race equality"),
        sections=[Section(module=m) for m in FRAMEWORK.modules],
    )
    assert summarise(the_plan).by_strand == {"Disability": 1, "Race equality": 2, "Workforce": 2}
    view = build_view(the_plan)
    tints = {s.name: s.fill for s in view.strands}
    assert view.actions[0].strand == "Race equality; Workforce"
    assert view.actions[0].tint == tints["Race equality"]
    assert view.actions[1].tint == tints["Workforce"]
    legend = next(s for s in view.sections if s.actions).strands_text
    assert "Disability (" in legend and "several strands" in legend


def _entry(ref: str, day: int, update: str, row: int = 2) -> ProgressEntry:
    return ProgressEntry(
        ref,
        dt.date(2026, 8, day),
        update,
        rag=Rag.GREEN,
        by="Policy Team",
        source=Source("Progress log", row, {"ref": "A"}),
    )


def test_latest_update_falls_back_to_the_log_with_its_date():
    the_plan = plan(action(2, progress=""), action(3, progress="Now.", last_updated=REPORT_DATE))
    the_plan.progress_log = [_entry("a2", 31, "Later."), _entry("A2", 1, "Earlier.")]
    first, second = build_view(the_plan).actions
    assert (first.progress, first.progress_date) == ("Later.", dt.date(2026, 8, 31))
    assert (second.progress, second.progress_date) == ("Now.", REPORT_DATE)


def test_history_lists_each_actions_log_in_plan_order_oldest_first():
    the_plan = plan(
        action(3, point="6.1"),  # module 2: printed after A2 though listed first
        action(2),
        sections=[Section(module=m) for m in FRAMEWORK.modules],
    )
    the_plan.progress_log = [
        _entry("A3", 5, "Three."),
        _entry("A2", 9, "Two b."),
        _entry("A2", 1, "Two a."),
    ]
    history = build_view(the_plan).history
    assert [(h.action.ref, [e.update for e in h.entries]) for h in history] == [
        ("A2", ["Two a.", "Two b."]),
        ("A3", ["Three."]),
    ]


def test_log_row_for_no_action_is_a_warning_at_its_cell():
    the_plan = plan(action(2))
    the_plan.progress_log = [_entry("A2", 1, "Fine."), _entry("Z9", 1, "Orphan.", row=3)]
    problems = [p for p in checks.check_progress_log(the_plan) if p is not None]
    assert [(p.code, p.sheet, p.cell) for p in problems] == [
        ("LOG_REF_UNKNOWN", "Progress log", "A3")
    ]
