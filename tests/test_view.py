"""The view of a plan (pipeline/view.py), built from a Plan made in code: fast, no workbook."""

from __future__ import annotations

import datetime as dt
import re

from pipeline import problems
from pipeline.deadlines import parse_deadline
from pipeline.model import (
    DUE_SOON_DAYS,
    Action,
    ActionKey,
    Framework,
    Module,
    Owner,
    Plan,
    PlanDetails,
    Point,
    Rag,
    Section,
    Theme,
)
from pipeline.refs import key_actions
from pipeline.summaries import summarise
from pipeline.view import MAX_WARNINGS_LISTED, build_view

REPORT = dt.date(2026, 11, 30)
POINTS = {
    ref: Point(ref, ref[0], f"Theme {ref[0]}", "Achieving", f"About {ref}")
    for ref in ("1.1", "2.1")
}
THEMES = [
    Theme("1", "Knowing communities", "A", points=(POINTS["1.1"],)),
    Theme("2", "Fair employer", "B", points=(POINTS["2.1"],)),
]
FRAMEWORK = Framework(
    id="test",
    title="Test framework",
    short_title="TF",
    modules=(Module("A", "Communities", themes=(THEMES[0],)), Module("B", "Workforce", themes=(THEMES[1],))),
)  # fmt: skip


def _action(
    ref: str, point: str = "1.1", deadline: object = "", rag: Rag = Rag.GREEN, **kw
) -> Action:
    found = POINTS[point]
    theme = FRAMEWORK.theme(found.theme_ref)
    return Action(
        row=kw.pop("row", 2), ref=ref, point=found, theme=theme, action=kw.pop("action", f"Do {ref}"),
        deadline=parse_deadline(deadline), rag=rag, **kw,
    )  # fmt: skip


def _plan(actions: list[Action], reorder: bool = False) -> Plan:
    a, b = FRAMEWORK.modules
    sections = [
        Section(b, number=1, shown_number="1", title="People first"),
        Section(a, number=2, shown_number="2"),
    ]
    if not reorder:
        sections = [Section(a, number=1, shown_number="A"), Section(b, number=2, shown_number="B")]
    key_actions(actions)
    return Plan(
        details=PlanDetails(council="Test", title="Plan", report_date=REPORT),
        framework=FRAMEWORK, sections=sections, actions=actions,
        owners=[Owner("Policy Team"), Owner("HR", role="People")],
    )  # fmt: skip


def test_figures_count_complete_overdue_and_the_due_soon_window():
    window_end = REPORT + dt.timedelta(days=DUE_SOON_DAYS)
    actions = [
        _action("L1", deadline=dt.date(2026, 10, 1), rag=Rag.AMBER),  # overdue
        _action("L2", deadline=window_end),  # last day of the window: due soon
        _action("L3", deadline=window_end + dt.timedelta(days=1)),  # just outside
        _action("L4", deadline="Complete", rag=Rag.RED),  # complete by its deadline
        _action("L5", deadline=dt.date(2026, 1, 1), rag=Rag.COMPLETE),  # complete, not overdue
    ]
    view = build_view(_plan(actions))
    assert view.total_actions == 5 and view.complete == 2
    assert view.by_rag == {"Red": 0, "Amber": 1, "Green": 2, "Complete": 2, "Not rated": 0}
    assert [a.ref for a in view.overdue] == ["L1"] and view.overdue[0].days_overdue == 60
    assert [a.ref for a in view.due_soon] == ["L2"]
    assert view.due_soon_until == window_end
    assert [a.rag for a in view.actions] == ["Amber", "Green", "Green", "Complete", "Complete"]
    assert [r["overdue"] for r in view.action_records] == [True, False, False, False, False]
    assert view.as_dict()["due_soon"] == 1 and view.as_dict()["overdue"] == 1


def test_sections_follow_the_councils_order_numbers_and_titles():
    view = build_view(_plan([_action("L1"), _action("W1", point="2.1")], reorder=True))
    assert [(s.number, s.label, s.heading) for s in view.sections] == [
        (1, "1. People first", "Section 1: People first"),
        (2, "2. Communities", "Section 2: Communities"),
    ]
    assert [[a.ref for a in s.actions] for s in view.sections] == [["W1"], ["L1"]]
    assert view.sections[0].framework_module == "In the TF framework this is module B: Workforce."
    assert [r.label for r in view.by_section] == ["1. People first", "2. Communities"]
    assert view.actions[0].module == "2. Communities"  # as the plan numbers it


def test_owners_are_split_once_and_each_credited():
    view = build_view(_plan([_action("L1", owner="policy team; HR"), _action("L2", owner="HR")]))
    assert [(o.name, o.role, o.refs) for o in view.owners] == [
        ("HR", "People", ["L1", "L2"]),
        ("Policy Team", "", ["L1"]),
    ]
    assert view.actions[0].owners == ["Policy Team", "HR"]
    assert view.actions[0].owner == "policy team; HR"  # printed as typed
    assert view.owners_note  # a joint owner: the tables say so


def test_each_action_carries_its_display_fields():
    plain = _action("L1", deadline="Nov 2026 & Ongoing", rag=Rag.NOT_RATED)
    view = build_view(_plan([plain, _action("L2", strand="Race equality", owner="")]))
    first, second = view.actions
    assert first.point == POINTS["1.1"].label and first.point_descriptor == "About 1.1"
    assert first.deadline == "Nov 2026 & Ongoing"  # as typed
    assert (first.rag, first.rag_fill) == ("Not rated", Rag.NOT_RATED.fill)
    assert first.tint == "auto" and second.tint != "auto"
    assert [s.name for s in view.strands] == ["Race equality"]
    assert second.owner_or_none == "not yet assigned"
    assert view.any_rated and view.by_rag["Not rated"] == 1


def test_a_strand_typed_in_another_case_is_one_strand_everywhere():
    """The legend, each row's shading and the strand counts agree: one strand, named as the
    plan spells it most, whatever the case of one cell (found by a review of the figures)."""
    actions = [
        _action("L1", strand="race equality"),
        _action("L2", strand="Race equality"),
        _action("L3", point="2.1", strand="Race equality; Age"),
    ]
    view = build_view(_plan(actions))
    assert [s.name for s in view.strands] == ["Age", "Race equality"]
    assert len({a.tint for a in view.actions}) == 1
    assert {s.ref: [x.name for x in s.strands] for s in view.sections} == {
        "B": ["Age", "Race equality"],
        "A": ["Race equality"],
    }
    assert summarise(_plan(actions)).by_strand == {"Age": 1, "Race equality": 3}


def test_warnings_leave_out_overdue_and_are_capped():
    found = [problems.OVERDUE.at("Actions", "E2", deadline="x", report_date="y")]
    found += [problems.RAG_MISSING.at("Actions", "H3", item="L1")] * (MAX_WARNINGS_LISTED + 2)
    view = build_view(_plan([_action("L1")]), found)
    assert len(view.warnings) == MAX_WARNINGS_LISTED and view.warnings_more == 2
    assert view.warnings[0].where == "Actions!H3 (L1)"
    assert view.warnings[0].code == problems.RAG_MISSING.code


def test_keys_never_depend_on_the_row():
    moved = [_action("L2", row=9), _action("L1", row=3)]
    before = {
        a.ref: a.bookmark for a in build_view(_plan([_action("L1"), _action("L2", row=3)])).actions
    }
    after = {a.ref: a.bookmark for a in build_view(_plan(moved)).actions}
    assert before == after  # same keys, same bookmarks, whatever the rows


def test_bookmarks_are_valid_word_names_and_stable():
    view = build_view(_plan([_action(f"L{n}", row=n) for n in range(2, 40)]))
    names = [a.bookmark for a in view.actions]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"_eqA[0-9A-Z]+", n) and len(n) <= 40 for n in names)
    assert names == [
        a.bookmark
        for a in build_view(_plan([_action(f"L{n}", row=n) for n in range(2, 40)])).actions
    ]


def test_duplicate_refs_and_several_workbooks_never_collide():
    same_row = [_action("L1"), _action("l1"), _action("L1")]  # one Ref three times, one row
    view = build_view(_plan(same_row))
    assert [a.key for a in view.actions] == [
        ActionKey("", "L1", 1),
        ActionKey("", "l1", 2),
        ActionKey("", "L1", 3),
    ]
    first, second = [_action("L1")], [_action("L1")]
    key_actions(first, "north.xlsx")
    key_actions(second, "south.xlsx")
    actions = first + second
    plan = _plan([])
    plan.actions = actions  # two workbooks in one plan, the same Ref and row in each
    keys = [a.key for a in build_view(plan).actions]
    assert keys == [ActionKey("north.xlsx", "L1"), ActionKey("south.xlsx", "L1")]
    assert len({a.bookmark for a in build_view(plan).actions}) == 2
