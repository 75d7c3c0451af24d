"""The model keeps the council's own structure (issue 10): section order and titles,
a reference for every action, strand colours, and the framework's own levels."""

from __future__ import annotations

from pipeline.summaries import summarise
from pipeline.validate import validate_workbook
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
    assert all(s.label == s.module.label for s in plan.sections)


def test_summary_records_use_the_councils_section(make_workbook):
    path = make_workbook(
        actions=[action_row(point="6.1")],
        section_order=["2", "1", "3", "4"],
        section_titles={"2": "Leadership first"},
    )
    plan = validate_workbook(path).plan
    assert summarise(plan).action_records[0]["module"] == "1. Leadership first"
