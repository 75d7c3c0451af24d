"""The plan and the owners' returns, uploaded: the same library calls as `eqplan merge`.

The plan is checked by its content (open_workbook) and validated like any
workbook: a file that is not a usable workbook, or a return given as the
plan, is reported against the plan's field; a plan with errors stops the
merge with its report. The returns go to pipeline.merge as uploads held in
memory, so a return that is not a workbook, or from another plan or
period, is refused in the merge report as `eqplan merge` refuses it, and
the rest are merged. The merged workbook is made in memory.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.errors import EqplanError, WorkbookUnreadable
from pipeline.i18n import _, current_language
from pipeline.input_checks import open_workbook
from pipeline.io import safe_filename
from pipeline.merge import Incoming, merge_returns
from pipeline.merge_report import MergeReport
from pipeline.validate import Report, validate_raw
from pipeline.workbook import read_workbook
from pipeline.workbook.other_sheets import made_by_split
from pipeline.workbook.upgrade import workbook_language

#: The form fields: the plan (one file) and the returns (one or more).
PLAN, RETURNS = "plan", "returns"


@dataclass
class MergeOutcome:
    """What the uploads gave: the plan's report or why it is unusable; the merge when it is clean."""

    plan_name: str
    merged_name: str
    plan_report: Report | None = None
    unusable: EqplanError | None = None  # the plan cannot be merged into
    report: MergeReport | None = None
    merged: bytes = b""

    @property
    def plan_invalid(self) -> bool:
        return self.plan_report is not None and not self.plan_report.valid


def merge_uploads(
    plan: tuple[bytes, str], returns: list[tuple[bytes, str]], *, merged_name: str = ""
) -> MergeOutcome:
    """Check the plan ((bytes, safe name)) and, if it has no errors, merge the returns into it.

    Never raises for a bad upload. merged_name is the merged workbook's name
    in the report (`output`); by default `<plan>-merged.xlsx`. The report is in the
    language being written (a Welsh page's); the merged plan is the one `eqplan merge`
    writes: in the language the plan was made in.
    """
    return _merged(plan, returns, merged_name)


def _merged(
    plan: tuple[bytes, str], returns: list[tuple[bytes, str]], merged_name: str
) -> MergeOutcome:
    """The checks and merge of merge_uploads, in the language being written."""
    data, name = plan
    stem = safe_filename(PurePosixPath(name).stem, fallback="action-plan")
    outcome = MergeOutcome(plan_name=name, merged_name=merged_name or f"{stem}-merged.xlsx")
    try:
        raw = read_workbook(open_workbook(io.BytesIO(data), name), name)
        validation = validate_raw(raw)
    except WorkbookUnreadable as error:
        outcome.unusable = error
        return outcome
    outcome.plan_report = validation.report
    if outcome.plan_invalid or validation.plan is None:
        return outcome
    if made_by_split(raw.sheet_names):
        outcome.unusable = EqplanError(
            _("%(name)s is a workbook made by eqplan split (one owner's actions), not the plan.")
            % {"name": name},
            hint=_(
                "Choose the plan's own workbook as the plan, and the owners' workbooks as returns."
            ),
            code="SPLIT_WORKBOOK",
        )
        return outcome
    incoming = [
        Incoming(io.BytesIO(content), given, hashlib.sha256(content).digest())
        for content, given in _distinct_names(returns)
    ]
    try:
        report, save = merge_returns(
            raw,
            validation.plan,
            name,
            incoming,
            language=current_language(),
            plan_language=workbook_language(raw),
        )
    except WorkbookUnreadable as error:  # a plan whose framework cannot be placed
        outcome.unusable = error
        return outcome
    report.output = outcome.merged_name
    buffer = io.BytesIO()
    save(buffer)
    outcome.report, outcome.merged = report, buffer.getvalue()
    return outcome


def _distinct_names(returns: list[tuple[bytes, str]]) -> list[tuple[bytes, str]]:
    """The returns with a name each of their own (`hr.xlsx`, `hr-2.xlsx`), so the report
    tells apart two different files of one name; the same file twice keeps its name."""
    taken: dict[str, bytes] = {}
    named = []
    for content, name in returns:
        given, number = name, 1
        while given.lower() in taken and taken[given.lower()] != content:
            number += 1
            path = PurePosixPath(name)
            given = f"{path.stem}-{number}{path.suffix}"
        taken.setdefault(given.lower(), content)
        named.append((content, given))
    return named
