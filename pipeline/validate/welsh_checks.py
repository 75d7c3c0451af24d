"""Checks for a document built in Welsh: the officers' Welsh text is there (issue 15)."""

from __future__ import annotations

from pipeline import problems
from pipeline.model import Plan
from pipeline.problems import Problem
from pipeline.text import plural

#: Cells listed in one warning before "and N more".
CELLS_LISTED = 30


def check_welsh(plan: Plan) -> list[Problem]:
    """WELSH_TEXT_MISSING for each sheet with English text that has no Welsh beside it."""
    found = []
    for sheet, cells in plan.welsh.missing().items():
        shown = ", ".join(cells[:CELLS_LISTED])
        if len(cells) > CELLS_LISTED:
            shown += f" and {len(cells) - CELLS_LISTED} more"
        count = plural(len(cells), "cell")
        found.append(problems.WELSH_TEXT_MISSING.at(sheet, cells[0], count=count, cells=shown))
    return found
