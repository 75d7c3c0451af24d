"""Building the Plan from a RawWorkbook made in code: values as officers type them (issue 11).

No file is written or read, so each case runs in milliseconds; the reader's
own tests (tests/workbook/test_reader.py) cover getting values out of files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from pipeline import frameworks
from pipeline.deadlines import DeadlineKind
from pipeline.i18n import use_language
from pipeline.model import Point, Rag, Status, Theme
from pipeline.sources import InputFile
from pipeline.workbook import layout
from pipeline.workbook.reader import PlanValue, RawRow, RawTable, RawWorkbook
from pipeline.workbook.table_values import as_meant
from pipeline.workbook.to_model import as_text, build_plan

PLAN_ROWS = {f.key: f"B{row}" for row, f in enumerate(layout.PLAN_FIELDS, start=2)}


def plan_values(**overrides: object) -> dict[str, PlanValue]:
    values: dict[str, object] = {
        "council": "Testshire  Council",
        "title": "Equality Plan",
        "framework_id": "eflg-2021",
        "report_date": dt.datetime(2026, 11, 30, 0, 0),
    }
    values.update(overrides)
    return {k: PlanValue(v, PLAN_ROWS[k]) for k, v in values.items() if v is not None}


def table(spec: layout.SheetSpec, *rows: dict[str, object], without: tuple[str, ...] = ()):
    """A sheet as the reader finds it: header in row 1, rows from 2, all columns but `without`."""
    columns = {
        c.key: get_column_letter(i)
        for i, c in enumerate(spec.columns, start=1)
        if c.key not in without
    }
    raw_rows = [
        RawRow(n, {k: v for k, v in r.items() if v is not None}) for n, r in enumerate(rows, 2)
    ]
    return RawTable(spec, spec.name, 1, columns, raw_rows)


def raw(*tables: RawTable, plan: dict[str, PlanValue] | None = None) -> RawWorkbook:
    return RawWorkbook(
        source=InputFile.from_path(Path("plan.xlsx")),
        sheet_names=[layout.PLAN_SHEET, *(t.title for t in tables)],
        plan=plan_values() if plan is None else plan,
        tables={t.spec.name: t for t in tables},
    )


def codes(problems_found) -> list[tuple[str, str]]:
    return [(p.code, p.cell) for p in problems_found]


def actions(*rows: dict[str, object], **kwargs):
    plan, found = build_plan(raw(table(layout.ACTIONS, *rows, **kwargs)))
    return plan.actions, found


# ---------------------------------------------------------------- cell values as text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "Yes"),
        (12.0, "12"),
        (1.25, "1.25"),
        (1234567.5, "1234567.5"),  # not 1.23457e+06
        (0.1234567, "0.1234567"),  # not 0.123457
        (-5.0, "-5"),
        (1e-05, "0.00001"),
        (12345678901234567.0, "12345678901234600"),  # Excel keeps 15 digits
        (dt.date(2027, 3, 31), "31 March 2027"),
        (dt.datetime(2027, 3, 31, 9, 30), "31 March 2027"),
        ("  padded  ", "padded"),
        (7, "7"),
    ],
)
def test_as_text(value, text):
    assert as_text(value) == text


# ---------------------------------------------------------------- the Plan sheet


def test_plan_details_as_typed():
    values = plan_values(
        status="final",
        objectives="• First objective\n\n- Second objective",
        period_start="01/04/2026",
        meeting_date=dt.date(2026, 12, 10),
    )
    plan, found = build_plan(raw(plan=values))
    details = plan.details
    assert found == []
    assert details.council == "Testshire Council"  # spacing squashed
    assert details.report_date == dt.date(2026, 11, 30)  # a datetime cell becomes its date
    assert details.period_start == dt.date(2026, 4, 1)
    assert details.meeting_date == dt.date(2026, 12, 10)
    assert details.status is Status.FINAL and details.status_text == "final"
    assert details.objectives == ["First objective", "Second objective"]
    assert plan.framework.id == "eflg-2021"


def test_plan_sheet_problems_are_at_their_cells():
    values = plan_values(
        title=None, report_date="next week", period_end="someday", status="Approved"
    )
    _, found = build_plan(raw(plan=values))
    assert codes(found) == [
        ("PLAN_FIELD_MISSING", ""),  # no Title row at all, so no cell to name
        ("DATE_UNCLEAR", PLAN_ROWS["period_end"]),
        ("STATUS_UNKNOWN", PLAN_ROWS["status"]),
        ("DATE_INVALID", PLAN_ROWS["report_date"]),
    ]


def test_a_date_typed_as_a_number_is_read_with_a_warning():
    plan, found = build_plan(raw(plan=plan_values(report_date=46356)))
    assert plan.details.report_date == dt.date(2026, 11, 30)
    assert codes(found) == [("DATE_AS_NUMBER", PLAN_ROWS["report_date"])]


def test_framework_named_on_the_plan_sheet_or_given():
    plan, found = build_plan(raw(plan=plan_values(framework_id="EFLG 2014")))
    assert plan.framework.id == "eflg-2014" and found == []

    unknown, found = build_plan(raw(plan=plan_values(framework_id="eflg-1999")))
    assert unknown is None
    assert codes(found) == [("FRAMEWORK_UNKNOWN", PLAN_ROWS["framework_id"])]

    wales = frameworks.load("eif-wales-2011")
    plan, found = build_plan(raw(), wales)
    assert plan.framework is wales
    assert codes(found) == [("FRAMEWORK_MISMATCH", PLAN_ROWS["framework_id"])]

    plan, _ = build_plan(raw(plan=plan_values(framework_id=None)))
    assert plan is None


# ---------------------------------------------------------------- Owners and Sections


def test_owners_skip_blank_rows_and_squash_names():
    owners = table(
        layout.OWNERS,
        {"name": "  Policy   Team ", "role": "Policy", "email": "p@example.gov.uk"},
        {"name": None, "role": "No name here"},
        {"name": "HR"},
    )
    plan, _ = build_plan(raw(owners))
    assert [(o.name, o.role, o.email, o.source.row) for o in plan.owners] == [
        ("Policy Team", "Policy", "p@example.gov.uk", 2),
        ("HR", "", "", 4),
    ]


def test_sections_follow_the_rows_and_number_by_position_when_reordered():
    fw = frameworks.load("eflg-2021")
    first, second = fw.modules[1], fw.modules[0]
    sections = table(
        layout.SECTIONS,
        {"module_ref": first.ref, "lead_officer": "Chief  Executive", "aspirations": "One\nTwo"},
        {"module": second.title.upper(), "section_title": "Our own title"},  # found by title
        {"module_ref": first.ref, "lead_officer": "Left out: a second row for the module"},
        {"module_ref": "9", "module": "Not a module"},
    )
    plan, found = build_plan(raw(sections))
    assert [s.module.ref for s in plan.sections] == [first.ref, second.ref] + [
        m.ref for m in fw.modules[2:]
    ]
    assert [s.shown_number for s in plan.sections] == ["1", "2", "3", "4"]
    assert plan.sections[0].lead_officer == "Chief Executive"
    assert plan.sections[0].aspirations == ["One", "Two"]
    assert plan.sections[1].display_title == "Our own title"
    assert plan.sections[2].source is None  # no row: added so its actions still print
    assert codes(found) == [
        ("ROW_REPEATED", "A4"),
        ("MODULE_UNKNOWN", "A5"),
        ("SECTION_ROW_MISSING", ""),  # modules 3 and 4: printed after the rows' modules
        ("SECTION_ROW_MISSING", ""),
    ]
    assert "already has row 2" in found[0].message


def test_sections_in_framework_order_keep_the_module_refs():
    fw = frameworks.load("eflg-2021")
    sections = table(layout.SECTIONS, *({"module_ref": m.ref} for m in fw.modules))
    plan, _ = build_plan(raw(sections))
    assert [s.shown_number for s in plan.sections] == [m.ref for m in fw.modules]


# ---------------------------------------------------------------- Self-assessment


def test_assessments_read_levels_and_sort_in_framework_order():
    assessment = table(
        layout.ASSESSMENT,
        {"theme_ref": "3", "current": "developing", "target": "Excellent "},
        {"theme_ref": None, "theme": "Theme 1", "target_date": "31/03/2027"},
        {"theme_ref": "3", "current": "Excellent"},  # a second row for theme 3: left out, said
        {"theme_ref": "2", "current": "Expert", "target_date": "someday"},
        {"theme_ref": "99", "theme": "Not a theme"},
    )
    plan, found = build_plan(raw(assessment))
    assert [a.theme.ref for a in plan.assessments] == ["1", "2", "3"]
    first, second, third = plan.assessments
    assert first.target_date.due == dt.date(2027, 3, 31)
    assert second.current is None
    assert (third.current.label, third.target.label, third.gap) == ("Developing", "Excellent", 2)
    assert codes(found) == [
        ("ROW_REPEATED", "A4"),
        ("DATE_UNCLEAR", "E5"),
        ("LEVEL_INVALID", "C5"),
        ("THEME_UNKNOWN", "A6"),
    ]


def test_a_target_date_reads_as_every_date_column_does():
    """A date typed as text prints as a date, in the language being built (defect from a
    tester); a month or a year, often how an aim is set, is kept as typed without a word, and
    words that are no date are DATE_UNCLEAR."""
    assessment = table(
        layout.ASSESSMENT,
        {"theme_ref": "1", "target_date": "31/03/2028"},
        {"theme_ref": "2", "target_date": "March 2028"},
        {"theme_ref": "3", "target_date": dt.datetime(2028, 3, 31)},
        {"theme_ref": "4", "target_date": "when we can"},
    )
    plan, found = build_plan(raw(assessment))
    typed, month, cell, words = (a.target_date for a in plan.assessments)
    assert (typed.due, typed.display) == (dt.date(2028, 3, 31), "31 March 2028")
    assert (cell.display, month.display) == ("31 March 2028", "March 2028")
    with use_language("cy"):
        assert typed.display == cell.display == "31 Mawrth 2028"
    (problem,) = found
    assert (problem.code, problem.cell, words.display) == ("DATE_UNCLEAR", "E5", "when we can")


# ---------------------------------------------------------------- Actions


def test_action_values_as_typed():
    (action,), found = actions(
        {
            "ref": " A 1 ",
            "point": "1.2",
            "evidence": "Census data.",
            "action": "Share it.",
            "outcome": "Shared.",
            "deadline": dt.datetime(2027, 3, 31),
            "owner": "Policy   Team\nHR",
            "rag": "g",
            "strand": " Race  equality ",
            "progress": "Started.",
        }
    )
    assert found == []
    assert action.ref == "A 1" and action.row == 2
    assert isinstance(action.point, Point) and action.point.ref == "1.2"
    assert action.theme.ref == "1"
    assert action.rag is Rag.GREEN
    assert action.deadline.due == dt.date(2027, 3, 31)
    assert action.owner == "Policy Team\nHR"
    assert action.strand == "Race equality"
    assert (action.evidence, action.action, action.outcome, action.progress) == (
        "Census data.",
        "Share it.",
        "Shared.",
        "Started.",
    )


def test_a_theme_alone_places_the_action_without_a_point():
    (action,), _ = actions({"ref": "A1", "point": "6", "action": "Do it."})
    assert isinstance(action.theme, Theme) and action.theme.ref == "6"
    assert action.point is None


def test_rows_holding_only_a_prefilled_point_are_not_actions():
    rows, found = actions(
        {"point": "1.1"}, {"ref": "A2"}, {"ref": "A3", "point": "1.1", "action": "Real."}
    )
    assert [a.ref for a in rows] == ["A3"]
    assert found == []


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"rag": "Yellow"}, [("RAG_INVALID", "H2")]),
        ({"rag": None}, []),  # empty: not rated, which the checks report if the action is open
        ({"deadline": "whenever"}, [("DEADLINE_UNCLEAR", "F2")]),
        ({"deadline": 46477}, [("DATE_AS_NUMBER", "F2")]),
        ({"point": "18.4"}, [("POINT_UNKNOWN", "B2")]),
        ({"point": None}, [("POINT_UNKNOWN", "B2")]),
        ({"evidence": None, "action": None, "owner": "HR"}, [("ROW_NO_TEXT", "C2")]),
    ],
)
def test_action_problems_are_at_their_cells(row, expected):
    values = {"ref": "A1", "point": "1.2", "evidence": "E.", "action": "Act.", **row}
    _, found = actions(values)
    assert codes(found) == expected


def test_unknown_point_suggests_the_closest_choice():
    _, (problem,) = actions(
        {"ref": "A1", "point": "Colecting and shring information", "action": "Act."}
    )
    assert problem.code == "POINT_UNKNOWN"
    assert "Did you mean '1 Collecting and sharing information'?" in problem.message


def test_rating_and_deadline_read_the_way_officers_type_them():
    rows, _ = actions(
        {"ref": "A1", "point": "1.1", "action": "One.", "rag": "COMPLETE", "deadline": "Ongoing"},
        {"ref": "A2", "point": "1.1", "action": "Two.", "rag": " r ", "deadline": "Q3 2027"},
    )
    assert [a.rag for a in rows] == [Rag.COMPLETE, Rag.RED]
    assert rows[0].deadline.kind is not DeadlineKind.DATE and rows[0].deadline.due is None
    assert rows[1].deadline.due is not None


def test_missing_refs_are_made_up_and_reported_once():
    rows, found = actions(
        {"ref": None, "point": "1.2", "action": "First."},
        {"ref": "1.2-X", "point": "1.2", "action": "Typed."},
        {"ref": None, "point": "99", "action": "Unplaced."},
    )
    assert rows[0].ref_generated and rows[0].ref.startswith("1.2-")
    assert rows[2].ref_generated and rows[2].ref.startswith("X-")
    assert not rows[1].ref_generated
    assert len({a.ref.casefold() for a in rows}) == 3
    missing = [p for p in found if p.code == "REF_MISSING"]
    assert [(p.cell, p.severity.value) for p in missing] == [("A2", "warning")]
    assert "A2" in missing[0].message and "A4" in missing[0].message


def test_a_missing_column_is_not_reported_on_every_row():
    """COLUMN_MISSING (the reader's) says it once; building the model adds nothing per row."""
    rows, found = actions(
        {"ref": "A1", "point": "1.2", "evidence": "E.", "action": None, "rag": "Yellow"},
        {"ref": "A2", "point": "1.2", "evidence": None, "action": None, "rag": "Yellow"},
        without=("rag", "evidence"),
    )
    assert len(rows) == 2
    assert codes(found) == []  # row 3's evidence may be in the column that was not found


def test_a_row_without_text_is_reported_when_both_text_columns_were_read():
    _rows, found = actions(
        {"ref": "A1", "point": "1.2", "evidence": "E.", "action": None},
        {"ref": "A2", "point": "1.2", "evidence": None, "action": None, "owner": "HR"},
    )
    assert codes(found) == [("ROW_NO_TEXT", "C3")]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("31/03/2028", dt.datetime(2028, 3, 31), True),
        ("31 March 2028", "31/03/2028", True),
        ("March 2028", "31/03/2028", False),  # a month is not its last day
        ("Nov 2026 & Ongoing", "Nov 2026", False),
        ("1,000", 1000.0, True),
        ("2.50", 2.5, False),  # text with a trailing 0 says more than a number: listed to check
        (" Developing ", "developing", True),
        ("1.10", "1.1", False),  # a point, not a number: found by a code review
        ("02", "2", False),
        ("1,000", 1000, True),
    ],
)
def test_as_meant_tells_a_value_typed_two_ways_from_another_value(one, other, same):
    assert (as_meant(one, "target_date") == as_meant(other, "target_date")) is same
