"""Hostile-input catalogue: templates, output paths, XML forms and framework files (issue 9).

Where `catalogue.py` holds workbooks and what validation must say of them,
these cases are whole command lines an attacker (or an unlucky officer)
might run. Each case prepares files in an empty folder and returns the
arguments after `eqplan`; `test_hostile.py` runs every case and checks the
stated exit code and text, and the invariants that hold for all of them:

- no traceback and no process abort (every failure is an `Error:` line);
- every file that existed before the run has the same bytes after it,
  unless the case names it in `may_change` (the input is never overwritten);
- no file named in `must_not_exist` appears (a sign that code ran).

The cases live in one module per topic (`hostile_*.py`), each exposing CASES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class HostileCase:
    """One command line and its stated result."""

    name: str
    about: str
    setup: Callable[[Path], list[str]]  # makes files in the folder, returns the eqplan arguments
    exit_code: int
    says: tuple[str, ...] = ()  # text the combined output must contain (e.g. a problem code)
    never_says: tuple[str, ...] = ()  # text it must not contain (e.g. the output of `id`)
    may_change: tuple[str, ...] = ()  # pre-existing files (relative) a run may legitimately replace
    must_not_exist: tuple[str, ...] = ()  # files (relative) whose appearance means code ran
    subprocess: bool = False  # run as a separate process (for cases that could abort one)
    timeout: float = 120.0  # seconds, subprocess cases only
    env: dict[str, str] = field(default_factory=dict)  # extra environment variables


def all_cases() -> list[HostileCase]:
    """Every hostile case from every topic module, in a stable order."""
    from tests.bad_inputs import (
        hostile_frameworks,
        hostile_outputs,
        hostile_previous,
        hostile_returns,
        hostile_templates,
        hostile_xml,
        hostile_zip,
    )

    cases: list[HostileCase] = []
    for module in (
        hostile_templates,
        hostile_outputs,
        hostile_previous,
        hostile_returns,
        hostile_xml,
        hostile_zip,
        hostile_frameworks,
    ):
        cases.extend(module.CASES)
    return cases
