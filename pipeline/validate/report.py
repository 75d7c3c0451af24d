"""The validation report: problems with counts, as terminal text or JSON.

`valid` is worked out from the error count, as in frictionless-py. The
terminal text is grouped by sheet and written for equality officers: where
to look, what is wrong, how to fix it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from pipeline.i18n import _, ngettext
from pipeline.problems import Problem, Severity
from pipeline.workbook import layout

_SHEET_ORDER = [
    "workbook",
    layout.PLAN_SHEET,
    layout.SECTIONS_SHEET,
    layout.ASSESSMENT_SHEET,
    layout.ACTIONS_SHEET,
    layout.OWNERS_SHEET,
]
#: Warnings of one code shown in the terminal before the rest are summarised.
WARNINGS_SHOWN_PER_CODE = 25


@dataclass
class Report:
    """All problems found in one workbook, with what was read."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    actions: int = 0
    strict: bool = False

    def __post_init__(self) -> None:
        self.problems.sort(key=_sort_key)

    def add(self, found: list[Problem]) -> None:
        """Add problems found outside the workbook (e.g. in the Word template), keeping the order."""
        self.problems.extend(found)
        self.problems.sort(key=_sort_key)

    @property
    def errors(self) -> list[Problem]:
        if self.strict:
            return list(self.problems)
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        if self.strict:
            return []
        return [p for p in self.problems if not p.is_error]

    @property
    def valid(self) -> bool:
        return not self.errors

    def count_by_code(self) -> Counter[str]:
        return Counter(p.code for p in self.problems)

    def flatten(self, fields: list[str]) -> list[list[object]]:
        """Chosen fields of each problem, e.g. ["code", "cell"], for tests and tables."""
        return [[p.as_dict()[f] for f in fields] for p in self.problems]

    def to_json(self) -> str:
        data = {
            "path": self.path,
            "valid": self.valid,
            "strict": self.strict,
            "stats": {
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "actions": self.actions,
                "rows_read": self.rows_read,
            },
            "counts_by_code": dict(sorted(self.count_by_code().items())),
            "problems": [p.as_dict() for p in self.problems],
        }
        return json.dumps(data, indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        lines = [self.summary_line()]
        if not self.problems:
            return lines[0] + "\n" + _("No problems found.")
        current_sheet = None
        shown: Counter[str] = Counter()
        hidden: Counter[str] = Counter()
        for problem in self.problems:
            is_error = problem.is_error or self.strict
            if not is_error:
                shown[problem.code] += 1
                if shown[problem.code] > WARNINGS_SHOWN_PER_CODE:
                    hidden[problem.code] += 1
                    continue
            sheet = problem.sheet or "workbook"
            if sheet != current_sheet:
                shown_sheet = sheet if problem.sheet else _("workbook")
                lines += ["", f"{shown_sheet} ({self._sheet_counts(sheet)})"]
                current_sheet = sheet
            lines += problem_lines(problem, is_error)
        if hidden:
            lines.append("")
            for code, count in sorted(hidden.items()):
                more = ngettext(
                    "... and %(count)s more %(code)s warning.",
                    "... and %(count)s more %(code)s warnings.",
                    count,
                )
                lines.append("  " + more % {"count": count, "code": code})
            lines.append("  " + _("Run with --format json or --annotate to see every one."))
        lines += ["", self.summary_line()]
        return "\n".join(lines)

    def _sheet_counts(self, sheet: str) -> str:
        on_sheet = [p for p in self.problems if (p.sheet or "workbook") == sheet]
        errors = sum(1 for p in on_sheet if p.is_error or self.strict)
        warnings = len(on_sheet) - errors
        return _counts(errors, warnings)

    def summary_line(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        sheets = ", ".join(f"{name} {count}" for name, count in self.rows_read.items())
        verdict = _("OK") if self.valid else _("NOT READY")
        read = ngettext("%(count)s action read", "%(count)s actions read", self.actions)
        return (
            f"{verdict}: {self.path}: {_counts(errors, warnings)}; "
            + read % {"count": self.actions}
            + (" " + _("(rows: %(sheets)s)") % {"sheets": sheets} if sheets else "")
            + "."
        )


def problem_lines(problem: Problem, is_error: bool | None = None) -> list[str]:
    """One problem as the text report lists it: where, code and message, then the fix.

    is_error says how to label it (a warning under --strict is an error); None: by its kind.
    Commands that print a problem outside a report (compare's, on stderr) use it too."""
    is_error = problem.is_error if is_error is None else is_error
    label = (_("ERROR") if is_error else _("warning")).ljust(7)
    where = _place(problem)
    item = f" [{problem.item}]" if problem.item else ""
    return [
        f"  {label} {where:<22} {problem.code}{item}: {problem.message}",
        f"          {'':<22} " + _("Fix: %(hint)s") % {"hint": problem.hint},
    ]


def _counts(errors: int, warnings: int) -> str:
    """`1 error, 3 warnings`, in the language being written."""
    return (
        ngettext("%(count)s error", "%(count)s errors", errors) % {"count": errors}
        + ", "
        + ngettext("%(count)s warning", "%(count)s warnings", warnings) % {"count": warnings}
    )


def _sort_key(problem: Problem) -> tuple:
    sheet = problem.sheet or "workbook"
    order = _SHEET_ORDER.index(sheet) if sheet in _SHEET_ORDER else len(_SHEET_ORDER)
    return (
        order,
        sheet,
        problem.severity is not Severity.ERROR,
        problem.row or 0,
        problem.cell,
        problem.code,
    )


def _place(problem: Problem) -> str:
    """Where to look, for the text report: the cell, else its row (a heading), else its
    sheet as a whole, else "-" (the workbook)."""
    if problem.cell:
        return problem.where
    if problem.sheet and problem.row:
        return _("%(sheet)s row %(row)s") % {"sheet": problem.sheet, "row": problem.row}
    return problem.sheet or "-"
