"""The benchmark runs, on a tiny plan only: `make bench` itself stays out of the test run."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
try:
    import reference_writer
finally:
    sys.path.remove(str(ROOT / "bench"))


def test_reference_writer_makes_a_word_table_with_every_row_and_shaded_ratings(tmp_path):
    rows = [
        {"ref": "A1", "action": "Publish <b>pay</b> & gap data", "rag": "Red", "progress": None},
        {"ref": "A2", "action": "{{ x }}", "deadline": "2027-03-31", "rag": None},
    ]
    target = reference_writer.write_docx(rows, tmp_path / "reference.docx")
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None
    table = docx.Document(str(target)).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [h for _, h in reference_writer.COLUMNS]
    assert [row.cells[0].text for row in table.rows[1:]] == ["A1", "A2"]
    assert table.rows[1].cells[1].text == "Publish <b>pay</b> & gap data"
    assert table.rows[2].cells[1].text == "{{ x }}"
    rag = [row.cells[5] for row in table.rows[1:]]
    assert [cell.text for cell in rag] == ["Red", "Not rated"]
    fills = [cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) for cell in rag]
    assert fills == ["FF7C80", "E7E6E6"]


def _printed_by(script: str, *options: str) -> str:
    """What bench/script printed, run with options; it must end well."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_bench_runs_on_a_tiny_plan_and_prints_every_figure(tmp_path):
    printed = _printed_by("run.py", "--sizes", "12", "--repeats", "1", "--results", str(tmp_path))
    for label in ("eqplan build median / min", "eqplan validate peak", "build / reference, CPU"):
        assert label in printed
    for stage in ("read", "model", "summary_xlsx", "word"):
        assert any(line.startswith(stage) for line in printed.splitlines())
    figures = json.loads((tmp_path / "results.json").read_text())["12"]
    assert figures["build"]["median"] > figures["reference"]["median"] > 0
    assert figures["build"]["peak_mb"] > 0
    assert figures["build"]["cpu"] > 0 and figures["cpu_ratio"] > 0
    assert (tmp_path / "out-12" / "plan-12.docx").is_file()
    reference = docx.Document(str(tmp_path / "reference-12.docx"))
    assert len(reference.tables[0].rows) == 13


def test_the_commands_are_timed_in_turn_after_one_warm_up_each(monkeypatch):
    """A change in the machine's speed must fall on the build and the reference alike."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "bench"))
    ran = []
    monkeypatch.setattr(run, "run_process", lambda command: ran.append(command[0]) or (1, 2, 3))
    figures = run.in_turn({"build": ["b"], "validate": ["v"], "reference": ["r"]}, 2)
    assert ran == ["b", "v", "r", "b", "v", "r", "v", "r", "b"]  # warm-ups, then rounds
    assert figures["reference"] == {"median": 1, "min": 1, "peak_mb": 2, "cpu": 3, "runs": 2}


def test_the_build_without_its_word_plan_is_timed_beside_the_whole_build(tmp_path):
    printed = _printed_by("without_word.py", "12", "--repeats", "1", "--results", str(tmp_path))
    lines = printed.splitlines()
    assert lines[0] == "12 actions, the median of 1 runs of each, run in turn:"
    assert [line.split("  ")[1] for line in lines[1:]] == [
        "eqplan build",
        "eqplan build, no Word plan",
        "reference writer",
    ]
    assert all(line.endswith("x the reference") for line in lines[1:3])
    # The Word plan was left out of the second build only; its summary workbook was made.
    assert (tmp_path / "out-12" / "plan-12.docx").stat().st_size > 10_000
    assert (tmp_path / "nw-12" / "plan-12.docx").stat().st_size == 0
    assert (tmp_path / "nw-12" / "plan-12-summary.xlsx").stat().st_size > 5_000


@pytest.mark.parametrize(
    ("script", "options"),
    [
        ("run.py", ["--repeats", "0"]),
        ("run.py", ["--sizes", "100,abc"]),
        ("without_word.py", ["-5"]),
        ("without_word.py", ["--repeats", "0"]),
    ],
)
def test_a_size_or_count_below_one_is_refused_before_anything_runs(tmp_path, script, options):
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *options, "--results", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "is not a whole number above 0" in completed.stderr
    assert "Traceback" not in completed.stderr and not any(tmp_path.iterdir())
