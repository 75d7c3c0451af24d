"""The quarterly cycle keeps the council's Welsh: next-period carries the (Cymraeg) text over."""

from __future__ import annotations

from pathlib import Path

from pipeline.cli import cli
from pipeline.workbook import read_workbook

EXAMPLE = Path(__file__).resolve().parents[2] / "inputs" / "example-plan.xlsx"


def _welsh(path: Path) -> dict[str, list[object]]:
    """Every Welsh value of the workbook, by field key (Plan rows, then each sheet's columns)."""
    raw = read_workbook(path)
    found: dict[str, list[object]] = {
        key: [entry.value] for key, entry in raw.plan.items() if key.endswith("_cy")
    }
    for sheet in ("Sections", "Self-assessment", "Actions"):
        for row in raw.tables[sheet].rows:
            for key, value in row.values.items():
                if key.endswith("_cy") and key != "progress_cy" and value not in (None, ""):
                    found.setdefault(f"{sheet}:{key}", []).append(value)
    return found


def test_next_period_keeps_the_councils_welsh(tmp_path, runner):
    before = _welsh(EXAMPLE)
    assert before, "the shipped example has Welsh text to carry over"
    out = tmp_path / "next.xlsx"
    result = runner.invoke(cli, ["next-period", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _welsh(out) == before
