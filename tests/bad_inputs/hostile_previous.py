"""Hostile cases: the previous report's workbook given wrongly (see hostile.py for the contract).

`eqplan compare` and `build --since` take the last report's workbook as the previous one.
Given the wrong way round, or `--since` the plan itself, they warn (PREVIOUS_NOT_EARLIER)
naming both files and dates (`--strict` stopping the build is tests/end_to_end/
test_previous_order.py's: it needs a plan with no other warning). Neither workbook is changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.bad_inputs.hostile import HostileCase
from tests.conftest import write_plan_workbook


def _two_quarters(folder: Path) -> None:
    write_plan_workbook(folder / "plan-may.xlsx", plan={"report_date": dt.date(2027, 5, 31)})
    write_plan_workbook(folder / "plan-august.xlsx", plan={"report_date": dt.date(2027, 8, 31)})


def _compare_the_wrong_way_round(folder: Path) -> list[str]:
    _two_quarters(folder)
    return ["compare", "plan-august.xlsx", "plan-may.xlsx"]


def _build_since_itself(folder: Path) -> list[str]:
    _two_quarters(folder)
    return ["build", "plan-may.xlsx", "--since", "plan-may.xlsx", "-o", "out"]


CASES = [
    HostileCase(
        "compare-the-wrong-way-round",
        "the later report given as the previous one: compared, with a warning naming both",
        _compare_the_wrong_way_round,
        0,
        says=(
            "PREVIOUS_NOT_EARLIER",
            "plan-august.xlsx, is as at 31 August 2027",
            "plan-may.xlsx, as at 31 May 2027",
        ),
    ),
    HostileCase(
        "build-since-the-plan-itself",
        "--since the plan's own workbook: built, with a warning that it compares with itself",
        _build_since_itself,
        0,
        says=("PREVIOUS_NOT_EARLIER", "they are the same workbook", "Wrote out/plan-may.docx"),
    ),
]
