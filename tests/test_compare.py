"""Progress since the last report (pipeline/compare.py), on Plans built in code: fast, no workbook."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from pipeline.compare import TEXT_MATCH_THRESHOLD, Change, MatchedBy, compare
from pipeline.deadlines import parse_deadline
from pipeline.errors import EqplanError
from pipeline.levels import Level
from pipeline.model import (
    Action,
    Assessment,
    Framework,
    Module,
    Plan,
    PlanDetails,
    Point,
    Rag,
    Section,
    Theme,
)
from pipeline.refs import key_actions
from pipeline.render.changes_xlsx import write_changes_workbook
from pipeline.status import ActionStatus
from pipeline.view import build_view
from pipeline.view_text import changes_text

POINTS = {
    ref: Point(ref, ref[0], f"Theme {ref[0]}", "Achieving", f"About {ref}")
    for ref in ("1.1", "2.1")
}
THEMES = [
    Theme("1", "Knowing communities", "A", points=(POINTS["1.1"],)),
    Theme("2", "Fair employer", "B", points=(POINTS["2.1"],)),
]
FRAMEWORK = Framework(
    id="test", title="Test framework", short_title="TF",
    modules=(Module("A", "Communities", themes=(THEMES[0],)), Module("B", "Workforce", themes=(THEMES[1],))),
)  # fmt: skip
SEPT, NOV = dt.date(2026, 9, 30), dt.date(2026, 11, 30)


def _action(
    ref: str, rag: Rag = Rag.GREEN, deadline: object = "", point: str = "1.1", **kw
) -> Action:
    found = POINTS[point]
    return Action(
        row=kw.pop("row", 2), ref=ref, point=found, theme=FRAMEWORK.theme(found.theme_ref),
        action=kw.pop("action", f"Do the work called {ref}"), deadline=parse_deadline(deadline),
        rag=rag, **kw,
    )  # fmt: skip


def _plan(
    actions: list[Action], report_date: dt.date, framework: Framework = FRAMEWORK, **kw
) -> Plan:
    key_actions(actions, f"{report_date:%b}.xlsx")
    return Plan(
        details=PlanDetails(council="Test", title="Plan", report_date=report_date),
        framework=framework, sections=[Section(m, number=i) for i, m in enumerate(framework.modules, 1)],
        actions=actions, **kw,
    )  # fmt: skip


def _by_ref(comparison) -> dict[str, object]:
    return {c.ref: c for c in comparison.actions}


def test_every_change_kind_by_ref_with_counts():
    before = [
        _action("L1", Rag.AMBER),
        _action("L2", Rag.GREEN),
        _action("L3", Rag.RED),
        _action("L4", Rag.AMBER),
        _action("L5", Rag.RED),
    ]
    after = [
        _action("L1", Rag.GREEN),  # improved
        _action("L2", Rag.RED),  # worsened
        _action("L3", Rag.RED),  # unchanged
        _action("L4", Rag.COMPLETE),  # improved and complete
        _action("L9", Rag.AMBER),  # new
    ]  # L5 removed
    comparison = compare(_plan(before, SEPT), _plan(after, NOV))
    changes = _by_ref(comparison)
    assert {ref: c.change for ref, c in changes.items()} == {
        "L1": Change.IMPROVED,
        "L2": Change.WORSENED,
        "L3": Change.UNCHANGED,
        "L4": Change.IMPROVED,
        "L9": Change.NEW,
        "L5": Change.REMOVED,
    }
    assert comparison.counts == {
        "improved": 2, "worsened": 1, "unchanged": 1, "new": 1, "removed": 1,
        "completed": 1, "slipped": 0, "withdrawn": 0,
    }  # fmt: skip
    assert all(changes[r].matched_by is MatchedBy.REF for r in ("L1", "L2", "L3", "L4"))
    assert changes["L9"].matched_by is None and changes["L5"].matched_by is None
    # The current plan's order, then what was removed.
    assert [c.ref for c in comparison.actions] == ["L1", "L2", "L3", "L4", "L9", "L5"]


def test_removed_actions_are_listed_with_their_last_rating():
    comparison = compare(_plan([_action("L5", Rag.RED), _action("L6")], SEPT), _plan([], NOV))
    removed = comparison.as_dict()["actions"]
    assert [(a["ref"], a["change"], a["rag_from"], a["rag_to"]) for a in removed] == [
        ("L5", "removed", "Red", None),
        ("L6", "removed", "Green", None),
    ]
    assert comparison.counts["removed"] == 2


def test_complete_by_deadline_counts_as_complete_and_improved():
    before = [_action("L1", Rag.AMBER, deadline="31/12/2026")]
    after = [_action("L1", Rag.AMBER, deadline="Complete")]  # complete by its deadline cell
    change = compare(_plan(before, SEPT), _plan(after, NOV)).actions[0]
    assert change.change is Change.IMPROVED
    assert (change.rag_from, change.rag_to) == (Rag.AMBER, Rag.COMPLETE)
    assert change.became_complete


@pytest.mark.parametrize(
    ("was", "now"),
    [(Rag.NOT_RATED, Rag.GREEN), (Rag.RED, Rag.NOT_RATED), (Rag.NOT_RATED, Rag.COMPLETE)],
)
def test_a_change_to_or_from_not_rated_is_unchanged_with_both_shown(was, now):
    comparison = compare(_plan([_action("L1", was)], SEPT), _plan([_action("L1", now)], NOV))
    record = comparison.as_dict()["actions"][0]
    assert record["change"] == "unchanged"
    assert (record["rag_from"], record["rag_to"]) == (was.label, now.label)


def test_slipped_and_brought_forward_deadlines_as_typed():
    before = [
        _action("L1", deadline="Q3 2026"),  # 30 September 2026
        _action("L2", deadline=dt.date(2027, 3, 31)),
        _action("L3", deadline="Ongoing"),
        _action("L4", deadline="Dec 2026"),
    ]
    after = [
        _action("L1", deadline="Dec 2026"),  # later by 92 days
        _action("L2", deadline="Jan 2027"),  # brought forward
        _action("L3", deadline="Mar 2027"),  # no date before: cannot say
        _action("L4", deadline="31/12/2026"),  # same date, typed differently
    ]
    comparison = compare(_plan(before, SEPT), _plan(after, NOV))
    records = {a["ref"]: a for a in comparison.as_dict()["actions"]}
    assert (records["L1"]["deadline_from"], records["L1"]["deadline_to"]) == ("Q3 2026", "Dec 2026")
    assert records["L1"]["slipped_days"] == 92
    assert records["L2"]["deadline_from"] == "31 March 2027"
    assert records["L2"]["slipped_days"] == -59
    assert records["L3"]["slipped_days"] is None
    assert records["L4"]["slipped_days"] == 0
    assert comparison.counts["slipped"] == 1
    assert [c.ref for c in comparison.slipped] == ["L1"]


def test_a_deadline_that_loses_its_date_is_listed_as_slipped_while_open(tmp_path):
    """`Jun 2027` changed to `after the review`: put off with no date, which a committee
    should see beside the deadlines moved later, not lose from every list."""
    before = [
        _action("L1", deadline="Jun 2027"),
        _action("L2", deadline="Jun 2027"),
        _action("L3", deadline="Ongoing"),
        _action("L4", deadline="31/03/2027"),
        _action("L5", deadline="Q3 2026"),
    ]
    after = [
        _action("L1", deadline="after the review"),
        _action("L2", Rag.COMPLETE, deadline="Ongoing"),  # done: nothing to hold it to
        _action("L3", deadline="To be agreed"),  # never had a date
        _action("L4", deadline="Ongoing"),
        _action("L5", deadline="Dec 2026"),
    ]
    previous, current = _plan(before, SEPT), _plan(after, NOV)
    comparison = compare(previous, current)
    assert [c.ref for c in comparison.slipped] == ["L1", "L4", "L5"]
    assert comparison.counts["slipped"] == 3
    records = {a["ref"]: a for a in comparison.as_dict()["actions"]}
    assert [records[r]["undated"] for r in ("L1", "L2", "L3", "L4", "L5")] == [
        True, False, False, True, False,
    ]  # fmt: skip
    assert records["L1"]["slipped_days"] is None
    rows = build_view(current, since=comparison).since.slipped
    assert [(r.ref, r.deadline_from, r.deadline_to, r.slipped_text) for r in rows] == [
        ("L1", "Jun 2027", "after the review", "no longer dated"),
        ("L4", "31/03/2027", "Ongoing", "no longer dated"),  # as typed
        ("L5", "Q3 2026", "Dec 2026", "92 days later"),
    ]
    changes = build_view(current, since=comparison).since
    text = changes_text(changes, "Sep.xlsx", "Nov.xlsx")
    assert (
        next(line for line in text.splitlines() if line.startswith("L1 ")).count("no longer dated")
        == 1
    )  # the text report's Days later column says why it counts
    out = write_changes_workbook(changes, tmp_path / "changes.xlsx")
    sheet = openpyxl.load_workbook(out)["Changes"]
    headings = [c.value for c in sheet[1]]
    slipped = {
        row[0]: row[headings.index("Slipped")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert {ref: slipped[ref] for ref in ("L1", "L2", "L3", "L4", "L5")} == {
        "L1": "Yes", "L2": "No", "L3": "No", "L4": "Yes", "L5": "Yes",
    }  # fmt: skip


def test_generated_refs_fall_back_to_point_and_similar_text():
    text = "Publish ward profiles for every service manager"
    before = [_action("1.1-AAAA", action=text, ref_generated=True, rag=Rag.AMBER)]
    after = [
        _action("1.1-BBBB", action=text + "s.", ref_generated=True, rag=Rag.GREEN),
        _action("2.1-CCCC", action=text, point="2.1", ref_generated=True),  # other point: new
    ]
    comparison = compare(_plan(before, SEPT), _plan(after, NOV))
    matched, other = comparison.actions
    assert matched.matched_by is MatchedBy.TEXT and matched.change is Change.IMPROVED
    assert matched.similarity is not None and matched.similarity >= TEXT_MATCH_THRESHOLD
    assert matched.as_dict()["matched_by"] == "text"
    assert matched.as_dict()["ref_from"] == "1.1-AAAA"
    assert other.change is Change.NEW
    assert comparison.counts["removed"] == 0


def test_text_fallback_when_the_ref_is_typed_on_one_side_only():
    text = "Train all managers in inclusive recruitment"
    before = [_action("1.1-AAAA", action=text, ref_generated=True)]
    after = [_action("L-12", action=text)]  # the officer has since typed a Ref
    change = compare(_plan(before, SEPT), _plan(after, NOV)).actions[0]
    assert change.matched_by is MatchedBy.TEXT and change.ref == "L-12"


def test_a_made_ref_written_into_its_cell_finds_its_action_however_reworded():
    """`eqplan next-period` writes the Ref eqplan made into the cell: it is the same action."""
    before = [_action("1.1-AAAA", action="Publish ward profiles", ref_generated=True)]
    after = [_action("1.1-AAAA", action="Set up a staff disability network", rag=Rag.RED)]
    change = compare(_plan(before, SEPT), _plan(after, NOV)).actions
    assert [(c.ref, c.change, c.matched_by) for c in change] == [
        ("1.1-AAAA", Change.WORSENED, MatchedBy.REF)
    ]


def test_different_text_or_two_typed_refs_are_not_matched():
    before = [
        _action("1.1-AAAA", action="Publish ward profiles", ref_generated=True),
        _action("L1", action="Review the pay gap"),
    ]
    after = [
        _action("1.1-BBBB", action="Set up a staff disability network", ref_generated=True),
        _action("L2", action="Review the pay gap"),  # same text, but both Refs typed
    ]
    comparison = compare(_plan(before, SEPT), _plan(after, NOV))
    assert comparison.counts["new"] == 2 and comparison.counts["removed"] == 2


def test_status_and_owner_from_and_to():
    before = [_action("L1", owner="HR", status=ActionStatus.NOT_STARTED)]
    after = [_action("L1", owner="Policy Team", status=ActionStatus.IN_PROGRESS)]
    record = compare(_plan(before, SEPT), _plan(after, NOV)).as_dict()["actions"][0]
    assert (record["status_from"], record["status_to"]) == ("Not started", "In progress")
    assert (record["owner_from"], record["owner_to"]) == ("HR", "Policy Team")


def test_json_shape_and_plan_headers():
    comparison = compare(_plan([_action("L1")], SEPT), _plan([_action("L1"), _action("L2")], NOV))
    data = comparison.as_dict()
    assert data["previous"] == {"report_date": "2026-09-30", "actions": 1}
    assert data["current"] == {"report_date": "2026-11-30", "actions": 2}
    assert set(data["counts"]) == {
        "improved", "worsened", "unchanged", "new", "removed", "completed", "slipped",
        "withdrawn",
    }  # fmt: skip
    for key in ("ref", "change", "rag_from", "rag_to", "status_from", "status_to",
                "deadline_from", "deadline_to", "slipped_days", "undated", "matched_by"):  # fmt: skip
        assert key in data["actions"][0]


def test_self_assessment_level_movements_per_theme():
    levels = FRAMEWORK.assessment_levels

    def assessed(theme: Theme, level: str) -> Assessment:
        return Assessment(theme, current=Level(level, levels.index(level)))

    before = _plan(
        [], SEPT, assessments=[assessed(THEMES[0], "Developing"), assessed(THEMES[1], "Achieving")]
    )
    after = _plan([], NOV, assessments=[assessed(THEMES[0], "Achieving")])
    moves = compare(before, after).levels
    assert [(m.theme, m.level_from, m.level_to, m.moved) for m in moves] == [
        ("1 Knowing communities", "Developing", "Achieving", 1),
        ("2 Fair employer", "Achieving", None, None),
    ]


def test_different_frameworks_stop_with_a_clear_error():
    other = Framework(id="other", title="Other", short_title="OF", modules=FRAMEWORK.modules)
    with pytest.raises(EqplanError, match="different frameworks"):
        compare(_plan([], SEPT), _plan([], NOV, framework=other))


def test_the_view_prints_movements_in_words_and_each_action_its_previous_rating():
    before = [_action("L1", Rag.AMBER, deadline="Q3 2026"), _action("L5", Rag.RED)]
    after = [_action("L1", Rag.GREEN, deadline="Dec 2026"), _action("L9", Rag.AMBER)]
    previous, current = _plan(before, SEPT), _plan(after, NOV)
    view = build_view(current, since=compare(previous, current))
    changes = view.since
    assert changes is not None
    assert changes.heading == "Progress since the last report (30 September 2026)"
    assert [(r.ref, r.movement) for r in changes.movements] == [("L1", "Amber to Green")]
    assert [(r.ref, r.slipped_text) for r in changes.slipped] == [("L1", "92 days later")]
    assert [(r.ref, r.movement) for r in changes.removed] == [("L5", "Removed: last Red")]
    assert [r.ref for r in changes.new] == ["L9"]
    assert [a.since_note for a in view.actions] == ["Was: Amber", "New since the last report"]
    assert (
        "1 action's rating got better (from Red to Amber, for example), 0 got worse and 0 "
        "stayed the same"
    ) in changes.counts_text
    assert "1 new action was added and 1 action was removed" in changes.counts_text
    assert view.as_dict()["since"]["counts"] == changes.counts
    assert "since" not in build_view(current).as_dict()
    assert build_view(current).actions[0].since_note == ""


def test_the_changes_document_keeps_line_breaks_and_landscape_tables():
    import io

    import docx

    from pipeline.render.changes_docx import write_changes_docx
    from pipeline.view_changes import build_changes_view

    after = [_action("L9", Rag.AMBER, action="First line\nSecond line & <b>{{ x }}</b>")]
    comparison = compare(_plan([], SEPT), _plan(after, NOV))
    stream = io.BytesIO()
    write_changes_docx(build_changes_view(comparison), stream)
    document = docx.Document(io.BytesIO(stream.getvalue()))
    new = next(t for t in document.tables if t.rows[0].cells[-1].text == "RAG")
    assert new.rows[1].cells[1].text == "First line\nSecond line & <b>{{ x }}</b>"
    assert new.rows[1].cells[0].text == "L9"
    assert document.sections[0].page_width > document.sections[0].page_height


def test_an_action_withdrawn_since_the_last_report_is_counted_and_said():
    """Amber to Withdrawn is not "the same": it is counted, said in words, and the next
    report's note says it was withdrawn (not Not rated)."""
    before = [_action("L1", Rag.AMBER), _action("L2", Rag.GREEN)]
    after = [_action("L1", Rag.AMBER, status=ActionStatus.WITHDRAWN), _action("L2", Rag.GREEN)]
    previous, current = _plan(before, SEPT), _plan(after, NOV)
    comparison = compare(previous, current)
    assert comparison.counts["withdrawn"] == 1 and comparison.counts["unchanged"] == 1
    assert [c.change for c in comparison.actions] == [Change.WITHDRAWN, Change.UNCHANGED]
    records = comparison.as_dict()["actions"]
    assert [a["withdrawn"] for a in records] == [True, False]
    # The JSON keeps the model's rating (what it always gave); the change says withdrawn.
    rating = current.actions[0].rating.label
    assert (records[0]["change"], records[0]["rag_to"]) == ("withdrawn", rating)
    changes = build_view(current, since=comparison).since
    assert changes.counts_text.endswith("1 action was withdrawn.")
    assert [r.ref for r in changes.withdrawn] == ["L1"]
    assert (changes.rows[0].ref, changes.rows[0].rag_to) == ("L1", "Withdrawn")
    later = _plan([_action("L1", Rag.AMBER, status=ActionStatus.WITHDRAWN)], dt.date(2027, 2, 28))
    again = build_view(later, since=compare(current, later))
    assert again.actions[0].since_note == "Was: Withdrawn"
    assert "withdrawn" not in again.since.counts_text  # withdrawn before: nothing new to say
