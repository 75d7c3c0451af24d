"""The Merge page: the plan and the owners' returns in, the merged plan and its report out (issue 16).

The same checks as the Compare page (CSRF token, size limit, content checks,
the merged workbook kept in the download store for a few minutes); the
merge is `eqplan merge`'s (pipeline/web/merge_work.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request

from pipeline import headings as h
from pipeline.formats import format_number
from pipeline.i18n import N_, _, ngettext
from pipeline.merge_own import PLAN_NOT_COPIED, own_not_taken
from pipeline.merge_report import (
    NOT_RETURNED,
    RECORD_NOT_USED,
    REFUSED,
    SKIPPED,
    MergeReport,
    conflict_values,
)
from pipeline.merge_said import earlier_version, undated
from pipeline.problems import CATALOGUE
from pipeline.render.context_words import counted
from pipeline.web import csrf
from pipeline.web.app import downloads, page
from pipeline.web.merge_work import PLAN, RETURNS, merge_uploads
from pipeline.web.views import FieldError, describe_size, problem_groups
from pipeline.web.work import upload_name

merge_pages = Blueprint("merge", __name__)

LABELS = {PLAN: N_("The plan's workbook"), RETURNS: N_("The owners' returned workbooks")}


def merge_form(errors: list[FieldError] | None = None, status: int = 200, **context: Any):
    """The Merge page's form, with any problems listed at the top and at their fields."""
    return page(
        "merge.html",
        status,
        errors=errors or [],
        labels={role: _(label) for role, label in LABELS.items()},
        max_mb=f"{current_app.config['MAX_UPLOAD_MB']:g}",
        csrf_token=csrf.token(),
        **context,
    )


@merge_pages.get("/merge")
def form():
    return merge_form()


@merge_pages.post("/merge")
def results():
    """Check the plan and, if it has no errors, merge the returns and show what happened."""
    csrf.require_token()
    plan = request.files.get(PLAN)
    returns = [upload for upload in request.files.getlist(RETURNS) if upload.filename]
    errors = []
    if plan is None or not plan.filename:
        errors.append(FieldError(PLAN, _("Choose the plan's workbook.")))
    if not returns:
        errors.append(FieldError(RETURNS, _("Choose at least one returned workbook.")))
    if errors:
        return merge_form(errors, 400)
    outcome = merge_uploads(
        (plan.read(), upload_name(plan.filename)),
        [(upload.read(), upload_name(upload.filename)) for upload in returns],
    )
    if outcome.unusable:
        error = outcome.unusable
        return merge_form([FieldError(PLAN, f"{error.message} {error.hint}".strip())], 400)
    if outcome.plan_invalid:
        message = _(
            "The plan (%(name)s) has errors, so no returns were merged. "
            "Fix them and upload the plan and the returns again."
        ) % {"name": outcome.plan_name}
        groups = problem_groups(outcome.plan_report, errors_only=True)
        return merge_form([FieldError("plan-problems", message)], 422, groups=groups)
    stored = downloads(current_app).keep({outcome.merged_name: outcome.merged})
    report = outcome.report
    not_sent_title, not_sent_lines = report.not_sent_section()
    held_back_title, held_back_lines = report.held_back_section()
    return page(
        "merge_results.html",
        plan_name=outcome.plan_name,
        report=report,
        returns=_returns(report),
        conflicts=[{**entry, "shown": conflict_values(entry)} for entry in report.conflicts],
        problems=_problems(report),
        errors=_refusals(report),
        document={"name": stored.names[0], "size": describe_size(len(outcome.merged))},
        token=stored.token,
        counts=_counts(report, outcome.plan_name),
        not_returned=_not_returned(report),
        not_sent={"title": not_sent_title, "lines": not_sent_lines},
        held_back={"title": held_back_title, "lines": held_back_lines},
        not_copied={"title": _(PLAN_NOT_COPIED), "lines": report.own_not_copied},
        record_not_used=_(RECORD_NOT_USED) if report.record_not_used else "",
    )


def _not_returned(report: MergeReport) -> dict[str, Any] | None:
    """The table of groups with no return in this merge; None when all returned (or unknown)."""
    if not report.not_returned:
        return None
    by = report.not_returned[0]["by"]
    return {
        "caption": _(NOT_RETURNED[by]),
        "heading": _(h.OWNER) if by == "owner" else _("Section"),
        "rows": report.not_returned,
    }


def _counts(report: MergeReport, plan_name: str) -> str:
    """The page's first sentence: how many returns merged, and what each list holds."""
    merged = report.merged
    updated, conflicts = len(report.updated), len(report.conflicts)
    locked, new = len(report.locked_changed), len(report.new)
    found = [
        counted(updated, "%(count)s update applied", "%(count)s updates applied", none=False),
        counted(conflicts, "%(count)s conflict", "%(count)s conflicts", none=False),
        counted(
            locked, "%(count)s locked cell changed", "%(count)s locked cells changed", none=False
        ),
        counted(new, "%(count)s new action", "%(count)s new actions", none=False),
        _("%(count)s missing") % {"count": len(report.missing)},
    ]
    returns = len(report.returns)
    return ngettext(
        "%(merged)s of %(count)s return merged into the plan (%(plan)s): %(found)s.",
        "%(merged)s of %(count)s returns merged into the plan (%(plan)s): %(found)s.",
        returns,
    ) % {
        "merged": merged,
        "count": format_number(returns),
        "plan": plan_name,
        "found": ", ".join(found),
    }


def _returns(report: MergeReport) -> list[dict[str, Any]]:
    """Each return's row of the first table: its id, file, result and reason."""
    rows = []
    for number, outcome in enumerate(report.returns, start=1):
        errors = sum(1 for p in outcome.problems if p.is_error)
        if outcome.status == REFUSED:
            result = _("Refused")
        elif outcome.status == SKIPPED:
            result = _("Skipped: merged before") if outcome.merged_before else _("Skipped: a copy")
        else:
            result = _("Merged: %(actions)s updated") % {
                "actions": counted(
                    outcome.updated, "%(count)s action", "%(count)s actions", none=False
                )
            }
            if errors:
                result += _("; %(errors)s, not applied (see below)") % {
                    "errors": counted(errors, "%(count)s error", "%(count)s errors", none=False)
                }
        rows.append(
            {
                "id": f"return-{number}",
                "file": outcome.file,
                "refused": outcome.status == REFUSED,
                "result": result,
                "reason": outcome.reason or "",
                "code": outcome.code,
                "plan_changed": outcome.plan_changed,
                "undated": undated(outcome.dated_by_merge) if outcome.dated_by_merge else "",
                "earlier": (
                    earlier_version(outcome.merged_before, outcome.compared_with)
                    if outcome.merged_before and outcome.status != SKIPPED
                    else ""
                ),
                "not_taken": own_not_taken(outcome),
            }
        )
    return rows


def _refusals(report: MergeReport) -> list[FieldError]:
    """The error summary: each refused return, and each return with errors, linked to its row."""
    found = []
    for row, outcome in zip(_returns(report), report.returns, strict=True):
        if outcome.status == REFUSED:
            found.append(
                FieldError(
                    row["id"],
                    _("%(file)s was refused: %(reason)s")
                    % {"file": outcome.file, "reason": outcome.reason},
                )
            )
        elif any(p.is_error for p in outcome.problems):
            found.append(
                FieldError(
                    f"{row['id']}-problems",
                    _("%(file)s has errors: the cells with errors were not applied.")
                    % {"file": outcome.file},
                )
            )
    return found


def _problems(report: MergeReport) -> list[dict[str, Any]]:
    """Each return's problems, with the return's id so the summary can link to them."""
    listed = []
    for number, outcome in enumerate(report.returns, start=1):
        if not outcome.problems:
            continue
        rows = []
        for problem in outcome.problems:
            kind = CATALOGUE.get(problem.code)
            rows.append(
                {
                    "error": problem.is_error,
                    "where": problem.where if problem.cell else (problem.sheet or "-"),
                    "code": problem.code,
                    "title": _(kind.title) if kind else problem.code,
                    "message": problem.message,
                    "hint": problem.hint,
                }
            )
        listed.append({"id": f"return-{number}-problems", "file": outcome.file, "rows": rows})
    return listed
