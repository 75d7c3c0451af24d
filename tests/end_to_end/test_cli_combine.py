"""`eqplan combine` (issue 13): three departments' plans with clashing Refs into one, then built."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline.cli import cli
from pipeline.combine import file_prefix
from tests.conftest import action_row


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    headings = [c.value for c in ws[1]]
    return [
        dict(zip(headings, values, strict=False))
        for values in ws.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in values)
    ]


def _owner_details(details: dict[str, tuple[str, str]]):
    """An edit giving Owners rows a role and email (the fixture writes names only)."""

    def edit(wb) -> None:
        ws = wb["Owners"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value in details:
                row[1].value, row[2].value = details[row[0].value]

    return edit


def _aspirations(text: str):
    """An edit setting the first section's aspirations."""

    def edit(wb) -> None:
        wb["Sections"].cell(row=2, column=5).value = text

    return edit


def _both(*edits):
    def edit(wb) -> None:
        for one in edits:
            one(wb)

    return edit


def _log(ref: str, update: str) -> dict[str, object]:
    return {"ref": ref, "date": dt.date(2026, 8, 31), "update": update, "rag": "Green"}


@pytest.fixture
def departments(make_workbook) -> list[Path]:
    """Housing, Adults and Children: A1 in all three, B1 in two, one action with no Ref."""
    housing = make_workbook(
        "housing.xlsx",
        actions=[
            action_row(ref="A1", action="Audit the allocations policy.", owner="Housing Team"),
            action_row(ref="H2", action="Survey tenants about access.", owner="Policy Team"),
        ],
        lead_officer="Head of Housing",
        assessments={"1": ("Developing", "Achieving")},
        progress_log=[_log("A1", "Audit started."), _log("H2", "Survey sent.")],
        edit=_owner_details({"Policy Team": ("Corporate policy", "policy@example.org")}),
    )
    adults = make_workbook(
        "adults.xlsx",
        actions=[
            action_row(ref="A1", action="Train carers' assessors.", owner="Adults Team"),
            action_row(ref="B1", action="Translate the care leaflet.", owner="Policy Team"),
            action_row(ref=None, point="2.1", action="Publish the workforce profile."),
        ],
        lead_officer="Head of Adult Care",
        assessments={"1": ("Achieving", "Achieving")},
        progress_log=[_log("A1", "Two sessions held.")],
        edit=_both(
            _owner_details({"Policy Team": ("Corporate policy", "equality@example.org")}),
            _aspirations("Aspiration one\nKeep carers informed"),
        ),
    )
    children = make_workbook(
        "children.xlsx",
        actions=[
            action_row(ref="A1", action="Review school exclusions data.", owner="Children Team"),
            action_row(ref="B1", action="Check nursery places by ward.", owner="Children Team"),
            action_row(ref="C3", action="Consult young carers.", owner="Children Team"),
        ],
        lead_officer="Head of Housing",
        progress_log=[_log("B1", "Data requested.")],
    )
    return [housing, adults, children]


def _combine(runner, inputs: list[Path], out: Path, *extra: str):
    return runner.invoke(cli, ["combine", *map(str, inputs), "-o", str(out), *extra])


def test_file_prefix_is_the_name_in_capitals():
    assert file_prefix(Path("housing.xlsx")) == "HOUSING"
    assert file_prefix(Path("Adult social care (v2).xlsx")) == "ADULT-SOCIAL-CARE-V2"
    assert file_prefix(Path("___.xlsx")) == "PLAN"


def test_combine_keeps_every_action_and_renames_clashing_refs(runner, tmp_path, departments):
    before = {path: _sha(path) for path in departments}
    out = tmp_path / "council.xlsx"
    result = _combine(runner, departments, out)
    assert result.exit_code == 0, result.output
    assert {path: _sha(path) for path in departments} == before  # inputs untouched
    for line in (
        "housing.xlsx: A1 -> HOUSING-A1",
        "adults.xlsx: A1 -> ADULTS-A1",
        "children.xlsx: A1 -> CHILDREN-A1",
        "adults.xlsx: B1 -> ADULTS-B1",
        "children.xlsx: B1 -> CHILDREN-B1",
    ):
        assert line in result.output
    assert "H2 ->" not in result.output and "C3 ->" not in result.output

    actions = _rows(out, "Actions")
    by_ref = {row["Ref"]: row["Gap / action"] for row in actions}
    expected = {
        "HOUSING-A1": "Audit the allocations policy.",
        "H2": "Survey tenants about access.",
        "ADULTS-A1": "Train carers' assessors.",
        "ADULTS-B1": "Translate the care leaflet.",
        "CHILDREN-A1": "Review school exclusions data.",
        "CHILDREN-B1": "Check nursery places by ward.",
        "C3": "Consult young carers.",
    }
    assert {ref: by_ref[ref] for ref in expected} == expected
    # nothing lost: every action of every input is there, by its (possibly new) Ref
    inputs_actions = [row["Gap / action"] for path in departments for row in _rows(path, "Actions")]
    assert sorted(row["Gap / action"] for row in actions) == sorted(inputs_actions)
    made = next(row for row in actions if row["Gap / action"] == "Publish the workforce profile.")
    assert made["Ref"].startswith("2.1-")  # the Ref eqplan made is now written in

    log = {(row["Ref"], row["Update"]) for row in _rows(out, "Progress log")}
    assert log == {
        ("HOUSING-A1", "Audit started."),
        ("H2", "Survey sent."),
        ("ADULTS-A1", "Two sessions held."),
        ("CHILDREN-B1", "Data requested."),
    }
    owners = _rows(out, "Owners")
    names = [row["Owner"] for row in owners]
    assert sorted(names) == sorted(set(names))
    assert set(names) == {"Housing Team", "Policy Team", "Adults Team", "Children Team"}
    policy = next(row for row in owners if row["Owner"] == "Policy Team")
    assert policy["Email"] == "policy@example.org"  # the first plan's
    assert (
        "Owners Policy Team, Email: housing.xlsx: 'policy@example.org'; "
        "adults.xlsx: 'equality@example.org'. Kept: 'policy@example.org'"
    ) in result.output

    sections = _rows(out, "Sections")
    assert {row["Lead officer"] for row in sections} == {"Head of Housing\nHead of Adult Care"}
    assert "Sections 1, Lead officer: housing.xlsx: 'Head of Housing'; adults.xlsx:" in (
        result.output
    )
    first = next(row for row in sections if row["Module ref"] == "1")
    assert first["Aspirations"] == "Aspiration one\nAspiration two\nKeep carers informed"
    other = next(row for row in sections if row["Module ref"] == "2")
    assert other["Aspirations"] == "Aspiration one\nAspiration two"
    assert "Sections 1, Aspirations:" in result.output
    assert "Sections 2, Aspirations:" not in result.output
    assessment = next(row for row in _rows(out, "Self-assessment") if row["Theme ref"] == "1")
    assert assessment["Current level"] == "Developing"
    assert (
        "Self-assessment 1, Current level: housing.xlsx: 'Developing'; adults.xlsx: 'Achieving'"
        in result.output
    )

    wb = openpyxl.load_workbook(out)
    assert wb["Actions"].data_validations.dataValidation  # dropdowns from the template

    built = runner.invoke(cli, ["build", str(out), "-o", str(tmp_path / "docs")])
    assert built.exit_code == 0, built.output
    assert "All 8 actions are in the plan." in built.output
    text = "\n".join(
        cell.text
        for table in docx.Document(str(tmp_path / "docs" / "council.docx")).tables
        for row in table.rows
        for cell in row.cells
    )
    for ref in expected:
        assert ref in text


def test_json_report_and_plan_from(runner, tmp_path, departments, make_workbook):
    corporate = make_workbook("corporate.xlsx", plan={"council": "Combined Council"})
    out = tmp_path / "council.xlsx"
    result = _combine(runner, departments, out, "--plan-from", str(corporate), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["plan_from"] == "corporate.xlsx"
    assert report["actions"] == 8 and report["progress_log"] == 4
    assert [i["file"] for i in report["inputs"]] == ["housing.xlsx", "adults.xlsx", "children.xlsx"]
    assert {"file": "adults.xlsx", "from": "B1", "to": "ADULTS-B1"} in report["renamed"]
    assert len(report["renamed"]) == 5
    fields = {(d["sheet"], d["item"], d["field"]) for d in report["differences"]}
    assert ("Owners", "Policy Team", "Email") in fields
    plan = {row["Field"]: row["Value"] for row in _rows(out, "Plan")}
    assert plan["Council name"] == "Combined Council"


def test_same_file_names_in_two_folders_get_numbered_prefixes(runner, tmp_path, make_workbook):
    first = make_workbook("plan.xlsx", actions=[action_row(ref="A1", action="One.")])
    (tmp_path / "east").mkdir()
    second = tmp_path / "east" / "plan.xlsx"
    second.write_bytes(first.read_bytes())
    result = _combine(runner, [first, second], tmp_path / "both.xlsx")
    assert result.exit_code == 0, result.output
    assert "A1 -> PLAN-A1" in result.output and "A1 -> PLAN2-A1" in result.output


def test_different_frameworks_are_refused(runner, tmp_path, make_workbook):
    first = make_workbook("housing.xlsx")
    other = make_workbook("wales.xlsx", framework="eif-wales-2011", actions=[])
    result = _combine(runner, [first, other], tmp_path / "out.xlsx")
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and "Traceback" not in result.output
    assert "housing.xlsx follows eflg-2021" in result.output
    assert "wales.xlsx follows eif-wales-2011" in result.output
    assert not (tmp_path / "out.xlsx").exists()


def test_a_plan_with_errors_is_reported_by_file_and_cell(runner, tmp_path, make_workbook):
    good = make_workbook("housing.xlsx")
    bad = make_workbook("adults.xlsx", actions=[action_row(rag="Purple")])
    result = _combine(runner, [good, bad], tmp_path / "out.xlsx")
    assert result.exit_code == 1, result.output
    assert "NOT READY:" in result.output and "adults.xlsx" in result.output
    assert "Actions!H2" in result.output
    assert "housing.xlsx" not in result.output.split("NOT READY")[1]  # only the bad one listed
    assert not (tmp_path / "out.xlsx").exists()


def test_a_plan_missing_a_sheet_is_reported_by_file(runner, tmp_path, make_workbook):
    good = make_workbook("housing.xlsx")
    bad = make_workbook("adults.xlsx", edit=lambda wb: wb.remove(wb["Actions"]))
    result = _combine(runner, [good, bad], tmp_path / "out.xlsx")
    assert result.exit_code == 1, result.output
    assert "NOT READY: " in result.output and "adults.xlsx" in result.output
    assert "SHEET_MISSING" in result.output
    assert "Traceback" not in result.output


def test_refuses_to_write_over_an_input(runner, tmp_path, departments):
    before = _sha(departments[1])
    result = _combine(runner, departments, departments[1])
    assert result.exit_code == 2, result.output
    assert _sha(departments[1]) == before
    result = _combine(runner, departments[:1], tmp_path / "out.xlsx")
    assert result.exit_code == 2 and "at least two plans" in result.output


def test_refuses_to_replace_an_existing_output_without_force(runner, tmp_path, departments):
    out = tmp_path / "council.xlsx"
    out.write_bytes(b"someone's plan")
    result = _combine(runner, departments, out)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_bytes() == b"someone's plan"
    assert _combine(runner, departments, out, "--force").exit_code == 0


def test_a_log_row_for_no_action_of_its_plan_never_joins_another_plans_action(
    runner, tmp_path, make_workbook
):
    """Adults' log has a row for C3, which is not an Adults action; Children's C3 must not
    gain it: it is renamed with the Adults prefix and stays unmatched (LOG_REF_UNKNOWN)."""
    adults = make_workbook(
        "adults.xlsx",
        actions=[action_row(ref="A1", action="Train carers' assessors.")],
        progress_log=[_log("A1", "Two sessions held."), _log("C3", "Stray row.")],
    )
    children = make_workbook(
        "children.xlsx",
        actions=[action_row(ref="C3", action="Consult young carers.")],
        progress_log=[_log("C3", "Consultation planned.")],
    )
    out = tmp_path / "council.xlsx"
    result = _combine(runner, [adults, children], out)
    assert result.exit_code == 0, result.output
    assert "adults.xlsx: C3 -> ADULTS-C3" in result.output
    log = {(r["Ref"], r["Update"]) for r in _rows(out, "Progress log")}
    assert log == {("A1", "Two sessions held."), ("ADULTS-C3", "Stray row."),
                   ("C3", "Consultation planned.")}  # fmt: skip
    validated = runner.invoke(cli, ["validate", str(out)])
    assert "LOG_REF_UNKNOWN" in validated.output


def test_plans_of_the_councils_own_framework_combine_with_framework(
    runner, tmp_path, make_workbook
):
    """The refusal says 'Give the framework with --framework': combine takes it, for every plan."""
    ours = tmp_path / "our objectives.yaml"  # a space: the command printed must still paste
    ours.write_text(
        "id: our-objectives\ntitle: Our objectives\nmodules:\n"
        "  - ref: 'A'\n    title: People\n    themes:\n      - {ref: 'A1', title: Fair pay}\n",
        encoding="utf-8",
    )
    named = {"framework_id": "our-objectives"}
    housing = make_workbook("housing.xlsx", actions=[action_row(point="A1")], plan=named)
    adults = make_workbook(
        "adults.xlsx", actions=[action_row(ref="B1", point="A1", action="Two.")], plan=named
    )
    out = tmp_path / "council.xlsx"
    args = ["combine", str(housing), str(adults), "-o", str(out)]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 2 and "Give the framework with --framework" in refused.output
    result = runner.invoke(cli, [*args, "--framework", str(ours)])
    assert result.exit_code == 0, result.output
    assert "Combined 2 plans (our-objectives)" in result.output
    assert f"eqplan validate {out} --framework '{ours}'" in result.output
    assert [row["Ref"] for row in _rows(out, "Actions")] == ["A1", "B1"]
    checked = runner.invoke(cli, ["validate", str(out), "--framework", str(ours)])
    assert checked.exit_code == 0, checked.output
    over = runner.invoke(cli, [*args[:-2], "-o", str(ours), "--framework", str(ours), "--force"])
    assert over.exit_code == 2 and ours.read_text(encoding="utf-8").startswith("id: our-")


def _typed_over_the_template(wb) -> None:
    """The template's unused rows, as an officer leaves them: one prefilled framework point
    per theme under the actions typed over the first rows (write_plan_workbook clears them)."""
    from pipeline import frameworks
    from pipeline.workbook import build_template

    blank = build_template(frameworks.load("eflg-2021"))["Actions"]
    ws = wb["Actions"]
    first_unused = next(row for row in range(2, ws.max_row + 2) if ws.cell(row, 2).value is None)
    for row in range(first_unused, blank.max_row + 1):
        ws.cell(row=row, column=2).value = blank.cell(row=row, column=2).value


def test_the_templates_unused_rows_are_neither_counted_nor_copied(runner, tmp_path, make_workbook):
    """A plan made from the template with 3 actions was reported as 17 and its 14 unused
    prefilled rows were copied into the middle of the combined sheet (a tester's find)."""
    housing = make_workbook(
        "housing.xlsx",
        actions=[action_row(ref=f"H{n}", action=f"Housing action {n}.") for n in (1, 2, 3)],
        edit=_typed_over_the_template,
    )
    placeholders = [row for row in _rows(housing, "Actions") if not row["Gap / action"]]
    assert len(placeholders) == 14 and all(row["Framework point"] for row in placeholders)
    adults = make_workbook(
        "adults.xlsx",
        actions=[action_row(ref=f"B{n}", action=f"Adults action {n}.") for n in (1, 2)],
    )
    out = tmp_path / "council.xlsx"
    result = _combine(runner, [housing, adults], out)
    assert result.exit_code == 0, result.output
    assert "housing.xlsx: 3 actions" in result.output
    assert "adults.xlsx: 2 actions" in result.output
    assert "\n5 actions, " in result.output

    ws = openpyxl.load_workbook(out)["Actions"]
    filled = [
        (row[0].row, row[3].value)
        for row in ws.iter_rows(min_row=2)
        if any(cell.value is not None for cell in row)
    ]
    assert filled == [
        (2, "Housing action 1."),
        (3, "Housing action 2."),
        (4, "Housing action 3."),
        (5, "Adults action 1."),
        (6, "Adults action 2."),
    ]
    checked = runner.invoke(cli, ["validate", str(out), "--format", "json"])
    stats = json.loads(checked.stdout)["stats"]
    assert stats["actions"] == 5 and stats["rows_read"]["Actions"] == 5
    as_json = json.loads(
        _combine(runner, [housing, adults], out, "--force", "--format", "json").stdout
    )
    assert [i["actions"] for i in as_json["inputs"]] == [3, 2] and as_json["actions"] == 5


def test_a_date_or_number_typed_two_ways_is_no_difference(runner, tmp_path, make_workbook):
    """`31/03/2028` typed as text and a date cell are one date; `1,000` and 1000 one number:
    only a real disagreement (another date) is listed for the officer."""
    typed = make_workbook(
        "typed.xlsx",
        actions=[action_row(ref="A1")],
        assessments={"1": ("Developing", "Achieving", "31/03/2028", "1,000"),
                     "2": ("Developing", "Achieving", "31/03/2028", "")},
    )  # fmt: skip
    dated = make_workbook(
        "dated.xlsx",
        actions=[action_row(ref="B1")],
        assessments={"1": ("Developing", "Achieving", dt.date(2028, 3, 31), 1000),
                     "2": ("Developing", "Achieving", dt.date(2027, 9, 30), "")},
    )  # fmt: skip
    result = _combine(runner, [typed, dated], tmp_path / "both.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    differences = json.loads(result.stdout)["differences"]
    assert [(d["item"], d["field"]) for d in differences] == [("2", "Target date")]
    assert differences[0]["values"] == [
        {"file": "typed.xlsx", "value": "31/03/2028"},
        {"file": "dated.xlsx", "value": "30 September 2027"},
    ]
