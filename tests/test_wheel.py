"""An installed eqplan finds its default Word templates from any folder (issue 11).

Builds the wheel from a clean copy of the project, installs it into a fresh
virtual environment and runs the installed `eqplan build` on the example
workbook from an empty folder. The new environment borrows this one's
installed libraries through a .pth file (eqplan's dependencies, not eqplan
itself), so only the wheel is new: it must carry the package, its data and
the templates. Building the wheel needs setuptools from PyPI (or pip's
cache); with neither, the test is skipped with the reason, except in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import EXAMPLE, ROOT

_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "outputs",
    "results",
)
_OFFLINE = (
    "Could not find a version",
    "No matching distribution",
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeout",
)
_TEMPLATES = ("action-plan-rag.docx", "action-plan-outcomes.docx", "cover-report.docx")


def _run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    wheels = tmp_path / "wheels"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(wheels)],
        cwd=tmp_path,
    )
    if built.returncode != 0:
        output = built.stdout + built.stderr
        if any(sign in output for sign in _OFFLINE) and not os.environ.get("CI"):
            pytest.skip("cannot build the wheel: no network and no cached setuptools>=77 for pip")
        pytest.fail(f"pip wheel failed:\n{output[-3000:]}")
    (wheel,) = wheels.glob("eqplan-*.whl")
    return wheel


def test_installed_wheel_builds_the_plan_from_an_empty_folder(tmp_path):
    wheel = _build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in _TEMPLATES:
            packaged = archive.read(f"pipeline/render/templates/{name}")
            assert packaged == (ROOT / "templates" / name).read_bytes(), name
        assert "pipeline/frameworks/eflg-2021.yaml" in names
        assert "pipeline/data/statutory.yaml" in names
        assert "pipeline/frameworks/compiled/eflg-2021.json" in names  # read instead of the YAML
        assert "pipeline/data/compiled/statutory.json" in names
        for page in ("base", "start", "results", "message", "_error_summary"):
            assert f"pipeline/web/templates/{page}.html" in names  # `eqplan serve` (issue 16)
        assert "pipeline/web/static/eqplan.css" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", str(wheel)],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=tmp_path,
        ).stdout.strip()
    )
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "eqplan-test-dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")

    empty = tmp_path / "empty"
    empty.mkdir()
    where = _run(
        [
            str(python),
            "-c",
            "import pipeline.render.template_file as t; print(t.default_template('rag'))",
        ],
        cwd=empty,
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout

    # The cover report's template too, asked for with the RAG plan (one build fewer).
    for layout, extra in (("rag", ["--cover"]), ("outcomes", [])):
        out = empty / layout
        command = ["build", str(EXAMPLE), "-o", str(out), "--layout", layout, *extra]
        result = _run([str(scripts / "eqplan"), *command], cwd=empty)
        assert result.returncode == 0, result.stdout + result.stderr
        plan = docx.Document(str(out / "example-plan.docx"))
        assert "Example Borough Council" in "\n".join(p.text for p in plan.paragraphs)
        assert (out / "example-plan-summary.xlsx").is_file()
    assert (empty / "rag" / "example-plan-cover-report.docx").is_file()
    assert not (empty / "outcomes" / "example-plan-cover-report.docx").exists()
    assert sorted(path.name for path in empty.iterdir()) == ["outcomes", "rag"]
