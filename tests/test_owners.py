"""One rule for owner cells, shared by checks, summaries and documents (issue 10)."""

from __future__ import annotations

from pipeline.model import Owner
from pipeline.owners import OwnerNames
from pipeline.validate import validate_workbook
from tests.conftest import action_row

LISTED = [
    Owner("Insight Team", role="Data and research"),
    Owner("Human Resources"),
    Owner("Finance"),
    Owner("Learning & Development"),
    Owner("Housing; Planning"),
]


def test_names_match_the_owners_sheet_ignoring_case_and_spacing():
    names = OwnerNames(LISTED)
    assert names.names("insight team") == ["Insight Team"]
    assert names.names("  INSIGHT\u00a0  Team ") == ["Insight Team"]
    assert names.role("insight  TEAM") == "Data and research"
    assert names.names("") == []


def test_line_breaks_and_semicolons_always_separate_owners():
    names = OwnerNames(LISTED)
    assert names.names("Insight Team\nfinance") == ["Insight Team", "Finance"]
    assert names.names("Finance; Insight Team;") == ["Finance", "Insight Team"]
    assert names.names("Finance\nfinance") == ["Finance"]  # each owner once per action


def test_slash_and_ampersand_separate_only_listed_names():
    names = OwnerNames(LISTED)
    assert names.names("Human Resources / Finance") == ["Human Resources", "Finance"]
    assert names.names("finance & insight team") == ["Finance", "Insight Team"]
    assert names.names("Learning & Development") == ["Learning & Development"]
    assert names.names("Finance /") == ["Finance"]  # a second owner deleted, the slash left
    unknown = names.split("Finance / Payroll")
    assert [(o.name, o.listed) for o in unknown] == [("Finance / Payroll", False)]


def test_a_listed_name_holding_a_separator_is_kept_whole():
    assert OwnerNames(LISTED).names("housing; planning") == ["Housing; Planning"]


def test_unlisted_names_group_without_case_under_the_first_spelling():
    names = OwnerNames(LISTED)
    assert names.names("Equality  Champions") == ["Equality Champions"]
    assert names.names("equality champions") == ["Equality Champions"]
    split = names.split("EQUALITY CHAMPIONS")[0]
    assert (split.typed, split.listed) == ("EQUALITY CHAMPIONS", False)


def test_checks_use_the_same_rule(make_workbook):
    rows = [
        action_row(ref="A1", owner="insight team\nHuman Resources / Finance"),
        action_row(ref="A2", owner="Finance / Payroll", action="Second."),
        action_row(ref="A3", owner="Learning & Development", action="Third."),
    ]
    path = make_workbook(
        actions=rows,
        owners=["Insight Team", "Human Resources", "Finance", "Learning & Development"],
    )
    report = validate_workbook(path).report
    unlisted = [(p.cell, p.value) for p in report.problems if p.code == "OWNER_UNLISTED"]
    assert unlisted == [("G3", '"Finance / Payroll"')]
