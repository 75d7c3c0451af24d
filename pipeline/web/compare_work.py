"""Two uploaded workbooks compared: the same library calls as `eqplan compare`.

Each upload is checked by its content (open_workbook) and validated like any
workbook; a file that is not a usable workbook is reported against its own
form field, a workbook with errors stops the comparison with its report.
With both clean, pipeline.compare lines them up and the changes document and
workbook are made in memory, exactly as `eqplan compare -o` writes them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.compare import Comparison
from pipeline.compare_files import compare_reports, refuse_comparing_split
from pipeline.errors import EqplanError, WorkbookUnreadable
from pipeline.i18n import current_language, use_language
from pipeline.input_checks import open_workbook
from pipeline.io import safe_filename
from pipeline.validate import Report, validate_workbook
from pipeline.view_changes import ChangesView, build_changes_view

#: The two form fields, in the order they are read and shown.
ROLES = ("previous", "current")


@dataclass
class CompareOutcome:
    """What two uploads gave: per role the name, report or reason; the comparison when both are clean."""

    names: dict[str, str]
    reports: dict[str, Report] = field(default_factory=dict)
    unreadable: dict[str, EqplanError] = field(default_factory=dict)  # by role
    comparison: Comparison | None = None
    changes: ChangesView | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # the changes .docx and .xlsx

    @property
    def invalid(self) -> list[str]:
        """The roles whose workbook has errors."""
        return [role for role, report in self.reports.items() if not report.valid]


def compare_uploads(uploads: dict[str, tuple[bytes, str]]) -> CompareOutcome:
    """Validate both uploads ((bytes, safe name) by role) and, if both are clean, compare them.

    Never raises for a bad upload: unreadable files are in `unreadable`,
    workbooks with errors in `invalid`; two frameworks count as the current
    workbook being unusable, as `eqplan compare` refuses them (exit code 2).
    The report and the changes are in the language being written (a Welsh page's);
    the changes documents are always English, as `eqplan compare` writes them, so a
    Welsh page compares the workbooks a second time in English for them.
    """
    outcome = _compared(uploads)
    if outcome.changes is not None:
        english = outcome
        if current_language() != "en":
            with use_language("en"):
                english = _compared(uploads)
        with use_language("en"):
            outcome.files = changes_files(english.changes, outcome.names["current"])
    return outcome


def _compared(uploads: dict[str, tuple[bytes, str]]) -> CompareOutcome:
    """The checks and comparison of compare_uploads, in the language being written."""
    outcome = CompareOutcome(names={role: name for role, (_, name) in uploads.items()})
    plans = {}
    for role in ROLES:
        data, name = uploads[role]
        try:
            validation = validate_workbook(open_workbook(io.BytesIO(data), name), name=name)
        except WorkbookUnreadable as error:
            outcome.unreadable[role] = error
            continue
        outcome.reports[role] = validation.report
        plans[role] = validation.plan
        try:
            refuse_comparing_split(validation.report, role)
        except EqplanError as error:
            outcome.unreadable[role] = error
    if outcome.unreadable or outcome.invalid:
        return outcome
    try:
        names = (outcome.reports["previous"].path, outcome.reports["current"].path)
        outcome.comparison = compare_reports(plans["previous"], plans["current"], names)
    except EqplanError as error:  # different frameworks
        outcome.unreadable["current"] = error
        return outcome
    outcome.changes = build_changes_view(outcome.comparison)
    return outcome


def changes_files(changes: ChangesView, current_name: str) -> dict[str, bytes]:
    """`<current>-changes.docx` and `.xlsx`, named as `eqplan compare -o` names them."""
    from pipeline.render.changes_docx import write_changes_docx
    from pipeline.render.changes_xlsx import write_changes_workbook

    stem = safe_filename(PurePosixPath(current_name).stem)
    files = {}
    for suffix, write in ((".docx", write_changes_docx), (".xlsx", write_changes_workbook)):
        buffer = io.BytesIO()
        write(changes, buffer)
        files[f"{stem}-changes{suffix}"] = buffer.getvalue()
    return files
