"""The model keeps the council's own structure (issue 10): section order and titles,
a reference for every action, strand colours, and the framework's own levels."""

from __future__ import annotations

import re

from pipeline.refs import describe_cells
from pipeline.summaries import summarise
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from tests.conftest import EXAMPLE, action_row


def _sections(plan) -> list[tuple[int, str, str]]:
    return [(s.number, s.module.ref, s.display_title) for s in plan.sections]


def test_sections_sheet_row_order_numbers_the_sections(make_workbook):
    path = make_workbook(
        section_order=["2", "1", "3", "4"], section_titles={"2": "Leadership first"}
    )
    plan = validate_workbook(path).plan
    assert _sections(plan) == [
        (1, "2", "Leadership first"),
        (2, "1", "Understanding and working with your communities"),
        (3, "3", "Responsive services and customer care"),
        (4, "4", "Diverse and engaged workforce"),
    ]
    assert plan.sections[0].label == "1. Leadership first"
    assert [row.label for row in summarise(plan).by_module][:2] == [
        "1. Leadership first",
        "2. Understanding and working with your communities",
    ]


def test_module_without_a_row_follows_the_listed_ones(make_workbook):
    def drop_module_one(wb):
        wb["Sections"].delete_rows(2)  # module 1's row

    plan = validate_workbook(make_workbook(edit=drop_module_one)).plan
    assert [(s.number, s.module.ref) for s in plan.sections] == [
        (1, "2"),
        (2, "3"),
        (3, "4"),
        (4, "1"),
    ]


def test_older_workbook_without_section_title_column_reads_unchanged(make_workbook):
    def older(wb):
        wb["Sections"].delete_cols(3)  # the Section title column

    result = validate_workbook(make_workbook(edit=older))
    assert result.report.valid, result.report.to_text()
    assert not [p for p in result.report.problems if p.sheet == "Sections"]
    assert [(s.number, s.module.ref, s.title) for s in result.plan.sections] == [
        (1, "1", ""),
        (2, "2", ""),
        (3, "3", ""),
        (4, "4", ""),
    ]
    assert result.plan.sections[0].lead_officer == "Head of Policy"


def test_shipped_example_keeps_framework_numbers():
    plan = validate_workbook(EXAMPLE).plan
    assert [str(s.number) for s in plan.sections] == [m.ref for m in plan.framework.modules]
    assert [s.label for s in plan.sections][:2] == [
        "1. Understanding and working with our communities",  # the council's own title
        "2. Leadership, partnership and organisational commitment",
    ]


def test_summary_records_use_the_councils_section(make_workbook):
    path = make_workbook(
        actions=[action_row(point="6.1")],
        section_order=["2", "1", "3", "4"],
        section_titles={"2": "Leadership first"},
    )
    plan = validate_workbook(path).plan
    assert build_view(plan).action_records[0]["module"] == "1. Leadership first"


# ------------------------------------------------------------------ references


def _refs(path) -> list[str]:
    return [a.ref for a in validate_workbook(path).plan.actions]


def test_blank_refs_are_made_from_point_and_text(make_workbook):
    rows = [
        action_row(ref="L-12"),
        action_row(ref=None, action="Train managers."),
        action_row(ref=None, point="6", action="Agree a vision."),
    ]
    result = validate_workbook(make_workbook(actions=rows))
    actions = result.plan.actions
    assert actions[0].ref == "L-12" and not actions[0].ref_generated
    assert re.fullmatch(r"1\.2-[0-9A-Z]{4}", actions[1].ref) and actions[1].ref_generated
    assert re.fullmatch(r"6-[0-9A-Z]{4}", actions[2].ref)
    missing = [p for p in result.report.problems if p.code == "REF_MISSING"]
    assert len(missing) == 1
    assert missing[0].cell == "A3"
    assert "2 actions with no Ref (A3 to A4)" in missing[0].message
    assert actions[1].ref in missing[0].message


def test_made_up_ref_survives_rows_added_and_removed(make_workbook):
    target = action_row(ref=None, action="Publish ward profiles.")
    before = _refs(make_workbook(actions=[action_row(ref="A1"), target]))[1]
    others = [action_row(ref=None, action=f"Other {n}.") for n in range(3)]
    after = _refs(make_workbook(actions=[*others, target]))[3]
    alone = _refs(make_workbook(actions=[target]))[0]
    assert before == after == alone


def test_made_up_refs_never_collide(make_workbook):
    twin = action_row(ref=None, action="Same words.")
    generated = _refs(make_workbook(actions=[twin]))[0]
    # An officer typed that very ref further down, and a second identical row exists.
    rows = [twin, twin, action_row(ref=generated.lower(), action="Officer's own.")]
    refs = _refs(make_workbook(actions=rows))
    assert refs[2] == generated.lower()
    assert len({r.casefold() for r in refs}) == 3
    assert all(refs)


def test_duplicate_officer_refs_are_reported(make_workbook):
    rows = [action_row(ref="A1"), action_row(ref="a1", action="Another action.")]
    report = validate_workbook(make_workbook(actions=rows)).report
    duplicate = [p for p in report.problems if p.code == "REF_DUPLICATE"]
    assert [(p.cell, p.value) for p in duplicate] == [("A3", '"a1"')]
    assert "REF_MISSING" not in report.count_by_code()


def test_missing_ref_cells_are_listed_briefly():
    assert describe_cells(["A2", "A3", "A4", "A9"]) == "A2 to A4, A9"
    many = describe_cells([f"A{n}" for n in range(2, 60, 2)])
    assert many.endswith("and 17 more")
