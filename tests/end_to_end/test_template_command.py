"""`eqplan template` and `make template` never replace a filled-in plan without being told to (issue 9)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import openpyxl
import pytest

from pipeline.cli import cli
from tests.conftest import ROOT, write_plan_workbook


def test_template_refuses_an_existing_file_without_force(tmp_path, runner):
    plan = write_plan_workbook(tmp_path / "plan.xlsx")
    before = plan.read_bytes()
    result = runner.invoke(cli, ["template", "-o", str(plan)])
    assert result.exit_code == 2, result.output
    assert "already exists, so it was not replaced" in result.output
    assert "add --force to replace it" in result.output
    assert plan.read_bytes() == before


def test_template_force_replaces_the_file(tmp_path, runner):
    plan = write_plan_workbook(tmp_path / "plan.xlsx")
    result = runner.invoke(cli, ["template", "-o", str(plan), "--force"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(plan)
    assert "Testshire Council" not in [c.value for row in wb["Plan"].iter_rows() for c in row]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_template_never_replaces_a_file(tmp_path):
    """Runs the Makefile's template target with eqplan from this checkout (no venv is made)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    eqplan = bin_dir / "eqplan"
    eqplan.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline "$@"\n')
    eqplan.chmod(0o755)
    target = write_plan_workbook(tmp_path / "plan-template.xlsx")
    before = target.read_bytes()

    # -o: treat the venv as installed, so make does not try to build one.
    make_template = ("make", "-s", "-o", ".venv/.installed-stamp", "template")

    def make(path):
        return subprocess.run(
            [*make_template, f"BIN={bin_dir}", f"TEMPLATE={path}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )

    refused = make(target)
    assert refused.returncode != 0
    assert "already exists" in refused.stdout and "make template TEMPLATE=" in refused.stdout
    assert target.read_bytes() == before
    written = make(tmp_path / "new.xlsx")
    assert written.returncode == 0, written.stdout + written.stderr
    assert "Actions" in openpyxl.load_workbook(tmp_path / "new.xlsx").sheetnames
