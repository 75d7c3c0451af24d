"""Which of a return's problems the merge report lists, once its changes are applied.

A return is checked as it is read, against the plan as split sent it; by the time every
return is merged, some of those warnings no longer hold (another return moved the deadline
the warning was about). merge.py gathers what each return touched, and this keeps only the
problems that still say something true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline import problems
from pipeline.merge_report import ReturnOutcome


@dataclass
class ReturnWarnings:
    """Which of a return's problems to list: every error, and the warnings on rows the owner
    added, or changed (at a cell they changed, or anywhere in a row whose other cells still
    hold what the merged plan holds). A warning about a value the plan has changed since
    the return was sent (a deadline moved in another return) is no longer true: left out."""

    outcome: ReturnOutcome
    sheet: str
    touched: set[int]  # rows the owner changed or added
    changed_cells: set[str] = field(default_factory=set)
    # A sent row's merged plan values (changed by apply()) and the fields the owner left as sent.
    as_sent: dict[int, tuple[dict[str, object], dict[str, str]]] = field(default_factory=dict)

    def keep_those_that_hold(self, same: Callable[[str, object, str], bool]) -> None:
        """Keep the problems that hold once the changes are applied; same(field, plan's
        value, value as sent) compares as merge does."""
        current = {
            row: all(same(key, merged.get(key), sent) for key, sent in left.items())
            for row, (merged, left) in self.as_sent.items()
        }
        self.outcome.problems = [
            p
            for p in self.outcome.problems
            if p.is_error
            or (
                p.row in self.touched
                and p.sheet == self.sheet
                and not p.is_kind(problems.REF_MISSING)
                and (p.cell in self.changed_cells or current.get(p.row, True))
            )
        ]
