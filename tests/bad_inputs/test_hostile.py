"""Every hostile command line gives its stated result: nothing runs, nothing is overwritten (issue 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import cli
from tests.bad_inputs.hostile import HostileCase, all_cases

CASES = all_cases()
ROOT = Path(__file__).resolve().parents[2]


def test_hostile_cases_are_named_uniquely():
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _run(case: HostileCase, args: list[str], folder: Path, runner) -> tuple[int, str]:
    if case.subprocess:
        env = {**os.environ, **case.env, "PYTHONPATH": str(ROOT)}
        completed = subprocess.run(
            [sys.executable, "-m", "pipeline", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=case.timeout,
            env=env,
            check=False,
        )
        return completed.returncode, completed.stdout + completed.stderr
    previous = Path.cwd()
    os.chdir(folder)
    try:
        result = runner.invoke(cli, args, env=case.env or None, catch_exceptions=True)
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"uncaught {result.exception!r}\n{result.output}"
        ) from result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_case(case: HostileCase, tmp_path, runner):
    folder = tmp_path / "case"
    folder.mkdir()
    args = case.setup(folder)
    before = _snapshot(folder)
    code, output = _run(case, args, folder, runner)
    assert "Traceback" not in output, output
    assert code == case.exit_code, output
    if code != 0:
        assert "Error:" in output or "error" in output.lower(), output
    for text in case.says:
        assert text in output, f"{text!r} not in output:\n{output}"
    for text in case.never_says:
        assert text not in output, f"{text!r} in output:\n{output}"
    after = _snapshot(folder)
    for name, data in before.items():
        if name in case.may_change:
            continue
        assert after.get(name) == data, f"{name} was changed or removed by: eqplan {' '.join(args)}"
    for name in case.must_not_exist:
        assert not (folder / name).exists(), f"{name} exists: code ran"
