"""The Compare page: the previous and current report's workbooks in, what changed out (issue 16).

The same checks as the upload on the start page (CSRF token, size limit,
content checks, documents kept in the download store for a few minutes);
the comparison is `eqplan compare`'s (pipeline/web/compare_work.py).
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from pipeline.i18n import N_, _
from pipeline.web import csrf
from pipeline.web.app import downloads, page
from pipeline.web.compare_work import ROLES, compare_uploads
from pipeline.web.views import FieldError, describe_size, problem_groups
from pipeline.web.work import upload_name

compare_pages = Blueprint("compare", __name__)

LABELS = {"previous": N_("Previous report's workbook"), "current": N_("Current report's workbook")}
#: What the form says when a workbook is not chosen, and the heading over its errors.
_CHOOSE = {
    "previous": N_("Choose the previous report's workbook."),
    "current": N_("Choose the current report's workbook."),
}
_HAS_ERRORS = {
    "previous": N_(
        "The previous workbook (%(name)s) has errors, so the two reports were not compared. "
        "Fix them and upload both workbooks again."
    ),
    "current": N_(
        "The current workbook (%(name)s) has errors, so the two reports were not compared. "
        "Fix them and upload both workbooks again."
    ),
}
_ERRORS_IN = {
    "previous": N_("Errors in the previous workbook (%(name)s)"),
    "current": N_("Errors in the current workbook (%(name)s)"),
}
_DOCUMENTS = {
    ".docx": N_("Word document of the changes (tables of every movement, new and removed action)"),
    ".xlsx": N_("Workbook of the changes (sheets Counts, Changes and Self-assessment changes)"),
}


def compare_form(errors: list[FieldError] | None = None, status: int = 200, **context):
    """The Compare page's form, with any problems listed at the top and at their fields."""
    return page(
        "compare.html",
        status,
        errors=errors or [],
        labels={role: _(label) for role, label in LABELS.items()},
        max_mb=f"{current_app.config['MAX_UPLOAD_MB']:g}",
        csrf_token=csrf.token(),
        **context,
    )


@compare_pages.get("/compare")
def form():
    return compare_form()


@compare_pages.post("/compare")
def results():
    """Check both workbooks and, if neither has errors, show and offer what changed."""
    csrf.require_token()
    uploads = {role: request.files.get(role) for role in ROLES}
    missing = [role for role, upload in uploads.items() if upload is None or not upload.filename]
    if missing:
        errors = [FieldError(role, _(_CHOOSE[role])) for role in missing]
        return compare_form(errors, 400)
    outcome = compare_uploads(
        {role: (upload.read(), upload_name(upload.filename)) for role, upload in uploads.items()}
    )
    if outcome.unreadable:
        errors = [
            FieldError(role, f"{error.message} {error.hint}".strip())
            for role, error in outcome.unreadable.items()
        ]
        return compare_form(errors, 400)
    if outcome.invalid:
        errors = [
            FieldError(f"{role}-problems", _(_HAS_ERRORS[role]) % {"name": outcome.names[role]})
            for role in outcome.invalid
        ]
        problems = [
            {
                "role": role,
                "name": outcome.names[role],
                "heading": _(_ERRORS_IN[role]) % {"name": outcome.names[role]},
                "groups": problem_groups(outcome.reports[role], errors_only=True),
            }
            for role in outcome.invalid
        ]
        return compare_form(errors, 422, problems=problems)
    stored = downloads(current_app).keep(outcome.files)
    offered = [
        {
            "name": kept,
            "what": _(_DOCUMENTS[given[given.rindex(".") :]]),
            "size": describe_size(len(data)),
        }
        for (given, data), kept in zip(outcome.files.items(), stored.names, strict=True)
    ]
    return page(
        "compare_results.html",
        names=outcome.names,
        changes=outcome.changes,
        documents=offered,
        token=stored.token,
    )
