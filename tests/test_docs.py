"""The documentation cannot drift from the code: codes, commands and template names (issues 2, 4, 5)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from pipeline import problem_docs, problems
from pipeline.cli import cli
from pipeline.render.context import build_context
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from tests.conftest import EXAMPLE, ROOT, read_only_workbook
from tests.render.helpers import all_text

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_problem_docs_are_generated_from_the_catalogue():
    assert (ROOT / "docs" / "problems.md").read_text(encoding="utf-8") == problem_docs.markdown(), (
        "run make docs"
    )
    block = re.search(r"<!-- problems:start -->\n(.*?)<!-- problems:end -->", README, re.S)
    assert block and block.group(1) == problem_docs.table(), "run make docs"


def test_every_code_has_a_hint_and_description():
    for kind in problems.CATALOGUE.values():
        assert re.fullmatch(r"[A-Z][A-Z_]+", kind.code)
        assert kind.title and kind.description and kind.template and kind.hint


def test_every_command_is_documented():
    context = click.Context(cli)
    commands = set(cli.list_commands(context))  # those imported when run too (cli_options.Group)
    assert commands == {
        "frameworks", "template", "validate", "build", "summary", "compare", "problems", "upgrade",
        "next-period", "serve", "combine", "split", "merge",
    }  # fmt: skip
    for name in commands:
        assert f"eqplan {name}" in README, name
        command = cli.get_command(context, name)
        assert command.help and "Example:" in command.help


def test_every_context_name_is_documented(tmp_path):
    validation = validate_workbook(EXAMPLE)
    context = build_context(build_view(validation.plan, validation.report.warnings))
    section = README.split("### The Word template context", 1)[1].split("## Frameworks", 1)[0]
    for name in context:
        assert f"`{name}`" in section, name
    for name in vars(context["sections"][0]["actions"][0]):
        assert f"`{name}`" in section, name
    for name in context["plan"]:
        assert f"`{name}`" in section, name
    for name in context["summary"]:
        assert f"`{name}`" in section, name


def _checkout_copy(folder: Path) -> Path:
    """What `make plan` reads, copied as a fresh checkout has it (outputs/ empty)."""
    copy = folder / "eqplan"
    for name in ("Makefile", "pyproject.toml", "README.md"):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pipeline", "templates"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    (copy / "inputs").mkdir()
    shutil.copy2(EXAMPLE, copy / "inputs" / EXAMPLE.name)
    (copy / "outputs").mkdir()
    return copy


def _installed_venv(folder: Path) -> Path:
    """A stand-in for the virtualenv `make` would create: its eqplan runs this Python.

    Its install stamp is newer than pyproject.toml, so make sees nothing to install.
    """
    venv = folder / "venv"
    (venv / "bin").mkdir(parents=True)
    eqplan = venv / "bin" / "eqplan"
    eqplan.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline "$@"\n')
    eqplan.chmod(0o755)
    stamp = venv / ".installed-stamp"
    stamp.touch()
    later = time.time() + 60
    os.utime(stamp, (later, later))
    return venv


@pytest.mark.parametrize("target", ["template", "validate", "plan", "pdf", "report", "serve"])
def test_make_targets_give_the_framework_when_one_is_named(target):
    """`make plan FRAMEWORK=ours.yaml` (README) builds under the council's own framework."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    environment = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "FRAMEWORK")}

    def planned(*args: str) -> str:
        run = subprocess.run(
            [make, "--no-print-directory", "-n", "-s", target, "BIN=bin", "STAMP=", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.splitlines()[-1]

    assert '--framework "inputs/ours.yaml"' in planned("FRAMEWORK=inputs/ours.yaml")
    unnamed = planned()  # the framework the workbook names; a blank template's is eflg-2021
    assert ('--framework "eflg-2021"' in unnamed) == (target == "template"), unnamed
    assert "FRAMEWORK=inputs/ours.yaml" in README


def test_readme_commands_work(tmp_path):
    """`make plan`, as the README gives it, builds the example plan into outputs/."""
    assert "make plan" in README and "make test" in README
    make = shutil.which("make")
    if make is None:
        if os.environ.get("CI"):
            pytest.fail("make is missing in CI")
        pytest.skip("make is not installed")
    copy = _checkout_copy(tmp_path)
    venv = _installed_venv(tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(copy)}
    for name in ("MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "INPUT", "OUT", "LAYOUT", "FRAMEWORK"):
        environment.pop(name, None)  # as typed at a fresh shell, not inherited from `make test`

    def run_make(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [make, "--no-print-directory", *args, "plan", f"VENV={venv}"],
            cwd=copy,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    planned = run_make("-n")
    assert planned.returncode == 0, planned.stderr
    commands = planned.stdout.splitlines()
    expected = f"{venv}/bin/eqplan build inputs/example-plan.xlsx -o outputs --layout rag"
    assert commands == [expected], f"make plan would run: {commands}"

    made = run_make()
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Traceback" not in made.stderr
    document = copy / "outputs" / "example-plan.docx"
    summary = copy / "outputs" / "example-plan-summary.xlsx"
    assert document.is_file() and summary.is_file(), sorted(os.listdir(copy / "outputs"))
    text = all_text(document)
    assert "Example Borough Council" in text
    refs = [f"EB{n:02d}" for n in range(1, 63)]
    assert all(ref in text for ref in refs), [ref for ref in refs if ref not in text]
    with read_only_workbook(summary) as workbook:
        cells = {
            str(v)
            for ws in workbook.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
        }
    assert set(refs) <= cells, sorted(set(refs) - cells)


def test_every_since_name_is_documented():
    from pipeline.compare import compare

    plan = validate_workbook(EXAMPLE).plan
    context = build_context(build_view(plan, since=compare(plan, plan)))
    section = README.split("### The Word template context", 1)[1].split("## Frameworks", 1)[0]
    since = context["since"]
    names = [*since, *vars(since["actions"][0]), *vars(since["levels"][0]), *since["counts"]]
    for name in names:
        assert f"`{name}`" in section, name
    assert "since_note" in vars(context["sections"][0]["actions"][0])


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
def test_make_clean_keeps_the_officers_folders_and_files(tmp_path):
    """Found by a data officer's walk-through: `make clean` deleted every file and folder
    under outputs/, where the README tells officers to keep each committee's documents."""
    outputs = tmp_path / "outputs"
    (outputs / "2026-11").mkdir(parents=True)
    kept = [outputs / "2026-11" / "example-plan.docx", outputs / "notes.txt", outputs / ".gitkeep"]
    made = [outputs / "example-plan.docx", outputs / "example-plan-summary.xlsx"]
    for path in [*kept, *made]:
        path.write_text("x")
    subprocess.run(
        ["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), "clean"],
        check=True,
        capture_output=True,
    )
    assert all(path.exists() for path in kept) and not any(path.exists() for path in made)
