"""Each plan-level check on a Plan built in code: no workbook, so these run in milliseconds (issue 11).

tests/validate/test_rules.py checks the same codes end to end, one workbook
per rule; here each check's edges are pinned down directly.
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.utils import get_column_letter

from pipeline import frameworks, problems
from pipeline.deadlines import parse_deadline
from pipeline.model import (
    Action,
    Assessment,
    Owner,
    Plan,
    PlanDetails,
    Point,
    Rag,
    Section,
    Source,
)
from pipeline.progress_log import ProgressEntry
from pipeline.status import ActionStatus
from pipeline.summaries import summarise
from pipeline.validate import checks
from pipeline.workbook import layout

FRAMEWORK = frameworks.load("eflg-2021")
REPORT_DATE = dt.date(2026, 11, 30)


def _columns(spec: layout.SheetSpec) -> dict[str, str]:
    """Column letters by field key, as the template lays the sheet out."""
    return {c.key: get_column_letter(i) for i, c in enumerate(spec.columns, start=1)}


def action(row: int = 2, **fields: object) -> Action:
    """An open, rated, owned action with a date deadline, read from Actions row `row`."""
    values: dict[str, object] = {
        "ref": f"A{row}",
        "evidence": "Census data published.",
        "action": f"Share ward profiles, part {row}.",
        "deadline": "31/03/2027",
        "owner": "Policy Team",
        "rag": Rag.GREEN,
        "progress": "Started.",
    }
    values.update(fields)
    values["deadline"] = parse_deadline(values["deadline"])
    found = FRAMEWORK.resolve(str(values.pop("point", "1.2")))  # a point, or a whole theme
    point = found if isinstance(found, Point) else None
    return Action(
        row=row,
        theme=FRAMEWORK.theme(point.theme_ref) if point else found,
        point=point,
        source=Source("Actions", row, _columns(layout.ACTIONS)),
        **values,
    )


def plan(*actions: Action, report_date: dt.date | None = REPORT_DATE, **parts) -> Plan:
    return Plan(
        details=PlanDetails(council="Testshire", report_date=report_date),
        framework=FRAMEWORK,
        actions=list(actions),
        owners=parts.pop("owners", [Owner("Policy Team"), Owner("Human Resources")]),
        **parts,
    )


def found(check, the_plan: Plan) -> list[tuple[str, str]]:
    """(code, cell) of each problem one check reports."""
    return [(p.code, p.cell) for p in check(the_plan) if p is not None]


# ---------------------------------------------------------------- ratings


def test_ratings_unrated_open_action_is_rag_missing():
    assert found(checks.check_ratings, plan(action(rag=Rag.NOT_RATED))) == [("RAG_MISSING", "H2")]


@pytest.mark.parametrize("done", [{"rag": Rag.COMPLETE}, {"deadline": "Complete"}])
def test_ratings_complete_actions_need_no_rating_or_update(done):
    unrated = action(**{"rag": Rag.NOT_RATED, **done})
    assert found(checks.check_ratings, plan(unrated)) == []


def test_ratings_red_without_progress_update():
    red = action(rag=Rag.RED, progress="")
    assert found(checks.check_ratings, plan(red)) == [("RED_NO_UPDATE", "J2")]
    assert found(checks.check_ratings, plan(action(rag=Rag.RED))) == []


def test_ratings_complete_deadline_with_an_open_rating_is_one_mismatch():
    """Counted as Complete, so its missing Red update is not reported as well."""
    red = action(rag=Rag.RED, progress="", deadline="Complete")
    problems_found = [p for p in checks.check_ratings(plan(red)) if p is not None]
    assert [(p.code, p.cell) for p in problems_found] == [("COMPLETE_MISMATCH", "H2")]
    assert "Red" in problems_found[0].message
    assert found(checks.check_ratings, plan(action(rag=Rag.GREEN, deadline="Complete"))) == []


# ---------------------------------------------------------------- completeness


def test_completeness_evidence_without_action():
    assert found(checks.check_completeness, plan(action(action=""))) == [("ACTION_MISSING", "D2")]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"owner": ""}, [("OWNER_MISSING", "G2")]),
        ({"deadline": None}, [("DEADLINE_MISSING", "F2")]),
        ({"deadline": "Quarterly"}, [("DEADLINE_RECURRING", "F2")]),
        ({"owner": "", "deadline": None}, [("OWNER_MISSING", "G2"), ("DEADLINE_MISSING", "F2")]),
        ({"owner": "", "deadline": None, "rag": Rag.COMPLETE}, []),  # finished: nothing to chase
        ({"deadline": "Ongoing"}, []),
    ],
)
def test_completeness_open_actions_need_an_owner_and_a_deadline(fields, expected):
    assert found(checks.check_completeness, plan(action(**fields))) == expected


# ---------------------------------------------------------------- dates


def test_dates_nothing_is_overdue_without_a_report_date():
    late = action(deadline="31/01/2026")
    assert found(checks.check_dates, plan(late, report_date=None)) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"deadline": "31/01/2026", "rag": Rag.AMBER}, ["OVERDUE"]),
        ({"deadline": "31/01/2026", "rag": Rag.GREEN}, ["OVERDUE", "GREEN_OVERDUE"]),
        ({"deadline": "29/11/2026", "rag": Rag.RED}, ["OVERDUE"]),
        ({"deadline": "30/11/2026"}, []),  # due on the report date: not yet overdue
        ({"deadline": "31/01/2026", "rag": Rag.COMPLETE}, []),
        ({"deadline": "Complete"}, []),
        ({"deadline": "1/1/2204"}, ["DEADLINE_IMPLAUSIBLE"]),  # and not overdue as well
        ({"deadline": "1/1/1999", "rag": Rag.GREEN}, ["DEADLINE_IMPLAUSIBLE"]),
    ],
)
def test_dates_overdue_and_implausible(fields, expected):
    assert [code for code, _ in found(checks.check_dates, plan(action(**fields)))] == expected


@pytest.mark.parametrize(
    "deadline", ["1990", "1/1/1999", "2204", "31/01/2026", "29/11/2026", "Q3 2026", "30/11/2026"]
)
def test_the_figures_count_as_overdue_exactly_the_actions_warned_overdue(deadline):
    """One rule for overdue: an implausible deadline (text 1990) is warned, never counted."""
    built = plan(action(deadline=deadline, rag=Rag.AMBER))
    warned = [code for code, _ in found(checks.check_dates, built)].count("OVERDUE")
    figures = summarise(built)
    assert len(figures.overdue) == warned


def test_dates_overdue_message_names_both_dates():
    late = action(deadline="31/01/2026", rag=Rag.AMBER)
    (problem,) = checks.check_dates(plan(late))
    assert problem.cell == "F2" and problem.item == "A2"
    assert problem.message == "Deadline 31/01/2026 has passed (report date 30 November 2026)."


# ---------------------------------------------------------------- owners


def test_owners_listed_names_match_whatever_the_case_and_spacing():
    typed = action(owner="policy   TEAM\nHuman Resources")
    assert found(checks.check_owners, plan(typed)) == []


def test_owners_unlisted_name_gets_the_closest_suggestion_once_per_name():
    rows = [action(2, owner="Policy Tem"), action(3, owner="Policy Tem; Nobody Like This")]
    reported = [p for p in checks.check_owners(plan(*rows)) if p is not None]
    assert [(p.cell, p.value) for p in reported] == [
        ("G2", '"Policy Tem"'),
        ("G3", '"Policy Tem"'),
        ("G3", '"Nobody Like This"'),
    ]
    assert "Did you mean 'Policy Team'?" in reported[0].message
    assert "Did you mean" not in reported[2].message


# ---------------------------------------------------------------- duplicates


def test_duplicates_ref_compared_without_case_and_action_without_spacing():
    rows = [
        action(2, ref="A1", action="Share the data."),
        action(3, ref="a1", action="Other work."),
        action(4, ref="A4", action="share  the DATA."),
    ]
    reported = [p for p in checks.check_duplicates(plan(*rows)) if p is not None]
    assert [(p.code, p.cell) for p in reported] == [
        ("REF_DUPLICATE", "A3"),
        ("ACTION_DUPLICATE", "D4"),
    ]
    assert all("row 2" in p.message for p in reported)


def test_duplicates_empty_refs_and_actions_are_not_duplicates():
    rows = [action(2, ref="", action=""), action(3, ref="", action="")]
    assert found(checks.check_duplicates, plan(*rows)) == []


# ---------------------------------------------------------------- coverage


def test_coverage_lists_each_theme_without_actions():
    covering = [action(n, point=theme.ref) for n, theme in enumerate(FRAMEWORK.themes[1:], 2)]
    reported = [p for p in checks.check_coverage(plan(*covering)) if p is not None]
    assert [(p.code, p.item) for p in reported] == [("THEME_NO_ACTIONS", FRAMEWORK.themes[0].ref)]
    everything = [action(n, point=t.ref) for n, t in enumerate(FRAMEWORK.themes, 2)]
    assert found(checks.check_coverage, plan(*everything)) == []
    assert len(found(checks.check_coverage, plan())) == len(FRAMEWORK.themes)


# ---------------------------------------------------------------- assessments and sections


def _assessment(current: str | None, target: str | None) -> Assessment:
    return Assessment(
        theme=FRAMEWORK.themes[0],
        current=FRAMEWORK.level(current) if current else None,
        target=FRAMEWORK.level(target) if target else None,
        source=Source("Self-assessment", 2, _columns(layout.ASSESSMENT)),
    )


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        ("Excellent", "Developing", [("TARGET_BELOW_CURRENT", "D2")]),
        ("Developing", "Developing", []),
        ("Developing", "Excellent", []),
        (None, "Developing", []),
        ("Excellent", None, []),
    ],
)
def test_assessments_target_below_current(current, target, expected):
    assessed = plan(assessments=[_assessment(current, target)])
    assert found(checks.check_assessments, assessed) == expected


def test_sections_without_a_lead_officer():
    module = FRAMEWORK.modules[0]
    source = Source("Sections", 2, _columns(layout.SECTIONS))
    sections = [
        Section(module=module, lead_officer="", source=source),
        Section(module=FRAMEWORK.modules[1], lead_officer="Head of Policy"),
    ]
    reported = [p for p in checks.check_sections(plan(sections=sections)) if p is not None]
    assert [(p.code, p.cell, p.item) for p in reported] == [
        ("LEAD_OFFICER_MISSING", "D2", module.ref)
    ]


def test_section_built_in_code_is_reported_at_its_sheet():
    """A record with no source (built by a program, not read) is reported at the sheet."""
    sections = [Section(module=FRAMEWORK.modules[0])]
    (problem,) = checks.check_sections(plan(sections=sections))
    assert (problem.sheet, problem.cell, problem.where) == ("Sections", "", "Sections")


# ---------------------------------------------------------------- the whole list


def test_a_missing_column_is_not_repeated_on_every_row():
    """An action read from a sheet without its RAG column: COLUMN_MISSING says it once."""
    columns = {k: v for k, v in _columns(layout.ACTIONS).items() if k != "rag"}
    unrated = action(rag=Rag.NOT_RATED)
    unrated.source = Source("Actions", 2, columns)
    assert (
        checks.check(
            plan(unrated, *[action(n, point=t.ref) for n, t in enumerate(FRAMEWORK.themes, 3)])
        )
        == []
    )


def test_each_check_reports_only_the_codes_it_declares():
    rows = [
        action(2, rag=Rag.NOT_RATED, owner="", deadline=None),
        action(3, rag=Rag.RED, progress="", deadline="31/01/2026", owner="Policy Tem"),
        action(
            4, rag=Rag.RED, deadline="Complete", ref="a3", action="Share ward profiles, part 3."
        ),
        action(5, action="", deadline="Quarterly"),
        action(6, rag=Rag.GREEN, deadline="31/01/2026"),
        action(7, deadline="1/1/2204"),
        action(8, deadline="Quarterly"),
        action(9, status=ActionStatus.COMPLETE),
        action(10, rag=Rag.COMPLETE, status=ActionStatus.WITHDRAWN),
        action(11, point="1.1", point_text="1.1 Health and wellbeing - Developing"),
    ]
    whole = plan(
        *rows,
        assessments=[_assessment("Excellent", "Developing")],
        sections=[Section(module=FRAMEWORK.modules[0])],
    )
    whole.assessments[0].theme_text = "Health and wellbeing"
    whole.progress_log = [
        ProgressEntry("Z9", source=Source("Progress log", 2, {"ref": "A"})),
        ProgressEntry(
            "a1",
            update="Not applied (a conflict for the officer to settle, then delete this row): x",
            source=Source("Progress log", 3, {"ref": "A", "update": "C"}),
        ),
    ]
    every: set[str] = set()
    for check, declared in checks.CHECKS.items():
        codes = {code for code, _ in found(check, whole)}
        declared_codes = {kind.code for kind in declared}
        assert codes <= declared_codes, (check.__name__, codes - declared_codes)
        every |= codes
    assert every == {kind.code for declared in checks.CHECKS.values() for kind in declared}
    assert [p.code for p in checks.check(whole)] == [
        p.code for check in checks.CHECKS for p in check(whole) if p is not None
    ]
    for code in every:
        assert problems.CATALOGUE[code].code == code


@pytest.mark.parametrize(
    ("typed", "warned"),
    [
        ("1.1 Health and wellbeing - Developing", True),  # 1.1's number, theme 17's title
        ("6 Health and wellbeing", True),
        ("17 Health and wellbeing - Achieving", False),  # number and title agree
        ("1.1 Collecting and sharing information - Developing", False),
        ("1.1", False),  # a number alone
        ("Health and wellbeing", False),  # a title alone
        ("1.1 Our own words for it", False),  # words that are no theme's title
    ],
)
def test_a_point_whose_number_and_title_name_two_themes_is_warned_of(typed, warned):
    """An officer workflow review: a plan moved to another framework by retyping its name
    kept its points' old numbers, so its actions went under other themes without a word."""
    row = action(2, point=typed, point_text=typed)
    reported = [p for p in checks.check_point_titles(plan(row)) if p is not None]
    assert [(p.code, p.cell) for p in reported] == (
        [("POINT_TITLE_MISMATCH", "B2")] if warned else []
    )
    if warned and typed.startswith("1.1"):
        assert reported[0].message == (
            f"\"{typed}\": 1.1 is 'Collecting and sharing information' in EFLG 2021, and "
            "'Health and wellbeing' is 17; the action is filed under 1.1."
        )


@pytest.mark.parametrize(
    ("typed", "warned"),
    [("Health and wellbeing", True), ("Collecting and sharing information", False), ("", False)],
)
def test_a_self_assessment_row_naming_another_theme_than_its_ref_is_warned_of(typed, warned):
    row = _assessment("Developing", "Achieving")
    row.theme_text = typed
    reported = [p for p in checks.check_point_titles(plan(assessments=[row])) if p is not None]
    assert [(p.code, p.cell) for p in reported] == (
        [("THEME_TITLE_MISMATCH", "B2")] if warned else []
    )
    if warned:
        assert reported[0].message == (
            "Theme ref 1 is 'Collecting and sharing information' in EFLG 2021, and this row's "
            "Theme, 'Health and wellbeing', is 17; its levels and evidence are read as 1's."
        )
