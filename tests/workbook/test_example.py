"""The example plan: its records in inputs/example-plan.yaml make inputs/example-plan.xlsx (issue 11)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import openpyxl
import pytest

from pipeline import frameworks
from pipeline.workbook import build_template, fill_workbook, layout
from tests.conftest import EXAMPLE, ROOT


def _make_example():
    spec = importlib.util.spec_from_file_location(
        "make_example", ROOT / "inputs" / "make_example.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells(path: Path) -> dict[str, dict[str, tuple[object, str]]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: {
            c.coordinate: (c.value, c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
        for ws in wb.worksheets
    }


def test_committed_workbook_is_what_the_records_make(tmp_path):
    """Edit example-plan.yaml, then run `make example`: the two must never disagree."""
    built = _make_example().build(tmp_path / "example.xlsx")
    assert _cells(built) == _cells(EXAMPLE), "run make example"


def test_records_are_keyed_by_field_not_position():
    data = _make_example().load()
    assert len(data["actions"]) == 62
    first = data["actions"][0]
    assert first["ref"] == "EB01" and first["owner"] == "Business Intelligence Team"
    assert all(set(record) <= {c.key for c in layout.ACTIONS.columns} for record in data["actions"])


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (
            ("  rag: Green\n", "  rag: Green\n  colour: Blue\n"),
            "action EB01 has unknown field colour",
        ),
        (("  deadline: 2027-03-31\n", "  deadline: 31.3\n"), "put it in quotes"),
        (("  rag: Green\n", "  rag: Green\n  rag: Red\n"), "line 213: the key 'rag' appears twice"),
    ],
)
def test_a_mistyped_record_is_refused(tmp_path, edit, says):
    source = ROOT / "inputs" / "example-plan.yaml"
    text = source.read_text(encoding="utf-8").replace(*edit, 1)
    broken = tmp_path / "example-plan.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match=re.escape(says)):
        _make_example().load(broken)


def test_filler_takes_assessment_and_owner_records():
    wb = fill_workbook(
        build_template(frameworks.load("eflg-2021")),
        assessments={"2": {"evidence": "Only evidence.", "current": "Developing"}},
        owners=[{"name": "Policy Team", "email": "policy@example.gov.uk"}],
    )
    assessment = wb[layout.ASSESSMENT_SHEET]
    assert [c.value for c in assessment[3]][:6] == [
        "2",
        assessment["B3"].value,
        "Developing",
        None,
        None,
        "Only evidence.",
    ]
    assert [c.value for c in wb[layout.OWNERS_SHEET][2]][:3] == [
        "Policy Team",
        None,
        "policy@example.gov.uk",
    ]
    with pytest.raises(KeyError, match="phone"):
        fill_workbook(build_template(frameworks.load("eflg-2021")), owners=[{"phone": "1"}])
