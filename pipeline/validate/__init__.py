"""Validation: read a workbook, build the plan and check it, reporting every problem in one pass."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.model import Framework, Plan
from pipeline.validate.checks import check
from pipeline.validate.report import Report
from pipeline.workbook import build_plan, read_workbook

__all__ = ["Report", "Validation", "check", "validate_workbook"]


@dataclass
class Validation:
    """The outcome of validating a workbook: the plan (if one could be built) and the report."""

    plan: Plan | None
    report: Report


def validate_workbook(
    path: Path, framework: Framework | None = None, strict: bool = False
) -> Validation:
    """Read, build and check the workbook at path. Raises WorkbookUnreadable for unusable files.

    framework overrides the framework the Plan sheet names (for custom framework files).
    """
    raw = read_workbook(path)
    plan, value_problems = build_plan(raw, framework)
    found = [*raw.problems, *value_problems]
    if plan is not None:
        found.extend(check(plan))
    source = getattr(path, "name", "")  # each problem says which workbook it is about
    found = [problem if problem.source else replace(problem, source=source) for problem in found]
    rows_read = {table.title: len(table.rows) for table in raw.tables.values()}
    report = Report(
        path=str(path),
        problems=found,
        rows_read=rows_read,
        actions=len(plan.actions) if plan else 0,
        strict=strict,
    )
    return Validation(plan=plan, report=report)
