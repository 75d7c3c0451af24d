"""End to end through the command line: build, validate, annotate (issues 5 and 6)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import docx
import openpyxl

from pipeline.cli import cli
from tests.conftest import EXAMPLE, action_row


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_example(runner, tmp_path):
    before = _sha(EXAMPLE)
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "All 62 actions are in the plan." in result.output
    assert (tmp_path / "example-plan.docx").is_file()
    assert (tmp_path / "example-plan-summary.xlsx").is_file()
    assert _sha(EXAMPLE) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_build_stops_on_errors_and_writes_nothing(runner, tmp_path, make_workbook):
    path = make_workbook(actions=[action_row(rag="Yellow")])
    result = runner.invoke(cli, ["build", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Actions!H2" in result.output and "RAG_INVALID" in result.output
    assert "No plan was built" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_build_strict_refuses_warnings(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--strict"])
    assert result.exit_code == 1
    assert not (tmp_path / "example-plan.docx").exists()


def test_build_with_custom_framework_file(runner, tmp_path, make_workbook):
    source = tmp_path / "ours.yaml"
    source.write_text(
        "id: our-objectives\ntitle: Our objectives\nmodules:\n"
        "  - ref: 'A'\n    title: People\n    themes:\n      - {ref: 'A1', title: Fair pay}\n",
        encoding="utf-8",
    )
    path = make_workbook(actions=[action_row(point="A1")], plan={"framework_id": "our-objectives"})
    unknown = runner.invoke(cli, ["validate", str(path)])
    assert unknown.exit_code == 1 and "FRAMEWORK_UNKNOWN" in unknown.output
    result = runner.invoke(
        cli, ["build", str(path), "-o", str(tmp_path / "out"), "--framework", str(source)]
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(
        p.text for p in docx.Document(str(tmp_path / "out" / (path.stem + ".docx"))).paragraphs
    )
    assert "Module A: People" in text


def test_validate_exit_codes_and_json(runner, make_workbook):
    ok = runner.invoke(cli, ["validate", str(EXAMPLE)])
    assert ok.exit_code == 0 and ok.output.startswith("OK: ")
    strict = runner.invoke(cli, ["validate", str(EXAMPLE), "--strict"])
    assert strict.exit_code == 1
    bad = make_workbook(actions=[action_row(rag="Yellow", point="99")])
    result = runner.invoke(cli, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["valid"] is False
    cells = {(p["code"], p["where"]) for p in data["problems"]}
    assert {("RAG_INVALID", "Actions!H2"), ("POINT_UNKNOWN", "Actions!B2")} <= cells
    assert data["stats"]["errors"] == 2


def test_validate_annotate_marks_a_copy(runner, tmp_path, make_workbook):
    path = make_workbook(
        actions=[action_row(rag="Yellow"), action_row(ref="A2", action="Other.", owner=None)]
    )
    before = _sha(path)
    out = tmp_path / "checked"
    result = runner.invoke(cli, ["validate", str(path), "--annotate", "-o", str(out)])
    assert result.exit_code == 1
    assert _sha(path) == before
    copy = out / f"{path.stem}-checked.xlsx"
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == "Problems"
    rag = wb["Actions"]["H2"]
    assert rag.comment is not None and "RAG_INVALID" in rag.comment.text
    assert rag.fill.fgColor.rgb.endswith("FFC7CE")
    owner = wb["Actions"]["G3"]
    assert "OWNER_MISSING" in owner.comment.text and owner.fill.fgColor.rgb.endswith("FFEB9C")
    problems = wb["Problems"]
    links = {c.value: c.hyperlink.location for c in problems["B"][1:] if c.hyperlink}
    assert links["Actions!H2"] == "'Actions'!H2"


def test_missing_workbook_is_exit_2(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(tmp_path / "none.xlsx"), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_broken_template_is_exit_2(runner, tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a docx")
    result = runner.invoke(
        cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--template", str(broken)]
    )
    assert result.exit_code == 2
    assert "Cannot open the Word template" in result.output
