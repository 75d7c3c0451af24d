"""The pages officers use: start (template and upload), results, downloads, and error pages.

Every page works without JavaScript. Form problems are listed in an error
summary at the top, each linking to the field or problem it is about.
"""

from __future__ import annotations

import functools
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, request, send_file
from werkzeug.exceptions import HTTPException, NotFound

from pipeline import frameworks
from pipeline.errors import EqplanError, WorkbookUnreadable
from pipeline.i18n import (
    LANGUAGE_CHOICES,
    LANGUAGES,
    _,
    language_tag,
    languages_for,
    use_language,
)
from pipeline.problems import CATALOGUE
from pipeline.render.pdf import find_soffice
from pipeline.render.word import LAYOUTS
from pipeline.text import plural
from pipeline.validate import Report
from pipeline.validate.report import WARNINGS_SHOWN_PER_CODE
from pipeline.web import csrf
from pipeline.web.app import downloads, page
from pipeline.web.work import make_documents, report_language_for, upload_name, zip_of

pages = Blueprint("pages", __name__)

#: Errors of one code listed on the results page before the rest are counted (see the checked copy).
ERRORS_SHOWN_PER_CODE = 100
LAYOUT_NAMES = {
    "rag": "RAG: evidence, action, deadline, owner and RAG rating columns",
    "outcomes": "Outcomes: where we are now, and what we want to have achieved",
}
#: Each language's name as the page offers it: its own name, then (for Welsh) the English one.
LANGUAGE_NAMES = {"en": ("English", ""), "cy": ("Cymraeg", "Welsh")}
#: The documents' language choices (`both`: the matching pair, Welsh listed first, issue 15).
DOCUMENT_LANGUAGES = {
    **LANGUAGE_NAMES,
    "both": ("", "Both: Welsh and English, as a matching pair (the Welsh listed first)"),
}
_KINDS = (
    ("-summary.xlsx", "Summary workbook (figures by module and owner, overdue, every action)"),
    ("-actions.csv", "Every action as a CSV file, for dashboards"),
    ("-cover-report.docx", "Committee cover report (Word), with the plan as Appendix 1"),
    (".docx", "Word action plan"),
    (".html", "Web page of the action plan, ready for the council's website"),
    (".pdf", "PDF of the action plan"),
    (".zip", "All the documents in one zip file"),
    ("-checked.xlsx", "Checked copy of your workbook (problem cells marked)"),
)


@dataclass
class FieldError:
    """A problem with the form: the id of the field it is about and what to do."""

    field: str
    message: str


@functools.cache
def _framework_titles() -> dict[str, str]:
    return {name: frameworks.load(name).title for name in frameworks.available()}


def _pdf_available() -> bool:
    return bool(current_app.config["PDF"]) and find_soffice() is not None


def _start(errors: list[FieldError] | None = None, status: int = 200, **chosen: Any):
    return page(
        "start.html",
        status,
        errors=errors or [],
        frameworks=_framework_titles(),
        layouts=LAYOUT_NAMES,
        pdf_available=_pdf_available(),
        max_mb=f"{current_app.config['MAX_UPLOAD_MB']:g}",
        csrf_token=csrf.token(),
        template_languages=LANGUAGE_NAMES,
        document_languages=DOCUMENT_LANGUAGES,
        chosen={
            "framework": "eflg-2021",
            "layout": "rag",
            "template_language": "en",
            "language": "en",
            **chosen,
        },
    )


@pages.get("/")
def start():
    return _start()


@pages.get("/template")
def template():
    """A blank workbook for the chosen framework, in English or Welsh, as a download.

    The Welsh one is `eqplan template --language cy`'s: Welsh sheet names, headings and help.
    """
    from pipeline.workbook import write_template

    framework_id = request.args.get("framework", "")
    language = request.args.get("language", "en")
    errors = []
    if framework_id not in _framework_titles():
        errors.append(FieldError("framework", "Choose a framework from the list."))
    if language not in LANGUAGES:
        message = "Choose the language of the workbook: English or Cymraeg (Welsh)."
        errors.append(FieldError("template-language-en", message))
        language = "en"
    if errors:
        return _start(errors, 400, template_language=language)
    buffer = io.BytesIO()
    write_template(frameworks.load(framework_id), buffer, language=language)
    buffer.seek(0)
    suffix = "" if language == "en" else f"-{language}"
    return send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"plan-template-{framework_id}{suffix}.xlsx",
    )


@pages.post("/plan")
def plan():
    """Check the uploaded workbook and, if it has no errors, make its documents."""
    csrf.require_token()
    upload = request.files.get("workbook")
    layout = request.form.get("layout", "rag")
    language = request.form.get("language", "en")
    errors = []
    if upload is None or not upload.filename:
        errors.append(FieldError("workbook", "Choose the workbook to upload."))
    if layout not in LAYOUTS:
        errors.append(FieldError("layout-rag", "Choose a layout for the Word plan."))
        layout = "rag"
    if language not in LANGUAGE_CHOICES:
        message = "Choose the language of the documents: English, Cymraeg (Welsh) or both."
        errors.append(FieldError("language-en", message))
        language = "en"
    chosen = {"layout": layout, "language": language}
    if errors:
        return _start(errors, 400, **chosen)
    name = upload_name(upload.filename)
    want_pdf = request.form.get("pdf") == "yes" and _pdf_available()
    try:
        outcome = make_documents(
            upload.read(),
            name,
            layout=layout,
            pdf=want_pdf,
            pdf_timeout=current_app.config["PDF_TIMEOUT"],
            language=language,
        )
    except WorkbookUnreadable as error:
        return _start([FieldError("workbook", f"{error.message} {error.hint}")], 400, **chosen)
    except EqplanError as error:
        return page("message.html", 500, title="The documents could not be made", error=error)
    files = dict(outcome.documents)
    if files:
        files[f"{outcome.stem}.zip"] = zip_of(outcome.documents)
    checked_name = f"{outcome.stem}-checked.xlsx"
    files[checked_name] = outcome.checked
    stored = downloads(current_app).keep(files)
    offered = [
        {
            "name": kept,
            "what": _describe(given, outcome.stem, language),
            "size": describe_size(len(files[given])),
            "given": given,
        }
        for given, kept in zip(files, stored.names, strict=True)
    ]
    report_language = report_language_for(language)
    with use_language(report_language):
        groups = problem_groups(outcome.report)
    return page(
        "results.html",
        name=name,
        report=outcome.report,
        counts=_counts(outcome.report),
        documents=[o for o in offered if o["given"] != checked_name],
        checked=[o for o in offered if o["given"] == checked_name],
        token=stored.token,
        groups=groups,
        report_language=language_tag(report_language),
        notes=outcome.notes,
    )


@pages.get("/download/<token>/<name>")
def download(token: str, name: str):
    """One stored document, while its link has not expired (404 afterwards)."""
    path = downloads(current_app).find(token, name)
    if path is None:
        raise NotFound(description="expired")
    # Read whole (a few MB at most), so a sweep may remove the folder while the file is sent.
    return send_file(io.BytesIO(path.read_bytes()), as_attachment=True, download_name=path.name)


def error_page(error: HTTPException):
    """The page for a refused request: the form again with the reason, or a short message."""
    status = error.code or 500  # an HTTP status, not a problem code
    form, field = _start, "workbook"
    if (request.endpoint or "").startswith("compare."):
        from pipeline.web.compare_page import compare_form as form

        field = "previous"
    elif (request.endpoint or "").startswith("merge."):
        from pipeline.web.merge_page import merge_form as form

        field = "plan"
    if status == 413:
        limit = f"{current_app.config['MAX_UPLOAD_MB']:g} MB"
        message = f"The file is larger than {limit}, the most this page accepts. Remove unused sheets or pictures, or ask IT to raise the limit."
        return form([FieldError(field, message)], 413)
    if status == 400 and error.description == "csrf":
        message = "The form had expired (or came from another site). Choose your workbook again and resend it."
        return form([FieldError(field, message)], 400)
    if status == 404:
        expired = error.description == "expired"
        title = "This download has expired" if expired else "Page not found"
        text = (
            f"Documents are kept for {current_app.config['DOWNLOAD_MINUTES']:g} minutes after an upload. Upload the workbook again to make them again."
            if expired
            else "Check the address, or start again from the first page."
        )
        return page("message.html", 404, title=title, text=text)
    title = error.name if status < 500 else "Something went wrong"
    return page("message.html", status, title=title, text="Start again from the first page.")


def _describe(name: str, stem: str, choice: str) -> str:
    """What a download is, with its language when Welsh documents were asked for."""
    what = next((what for ending, what in _KINDS if name.endswith(ending)), "Document")
    if choice == "en" or name.endswith((".zip", "-checked.xlsx")):
        return what
    made = languages_for(choice)
    language = next((lang for lang in made if name.startswith(f"{stem}-{lang}")), made[0])
    return f"{what} ({LANGUAGE_NAMES[language][0]})"


def describe_size(size: int) -> str:
    """`25 KB`, `1.2 MB`: a download's size as the page shows it."""
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


def _counts(report: Report) -> str:
    return (
        f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}; "
        f"{plural(report.actions, 'action')} read"
    )


def problem_groups(
    report: Report, *, errors_only: bool = False, prefix: str = "problem"
) -> list[dict[str, Any]]:
    """Problems by sheet, each with an id to link to; long runs of one code are counted instead.

    errors_only leaves warnings out; prefix starts each id (`problem-3`), so two
    workbooks' problems can share a page.
    """
    groups: list[dict[str, Any]] = []
    shown: Counter[tuple[str, str]] = Counter()
    hidden: dict[str, Counter[str]] = {}
    for number, problem in enumerate(report.problems, start=1):
        sheet = problem.sheet or "Whole workbook"
        if not groups or groups[-1]["sheet"] != sheet:
            groups.append({"sheet": sheet, "rows": [], "more": []})
            hidden[sheet] = Counter()
        is_error = problem.is_error or report.strict
        if errors_only and not is_error:
            continue
        cap = ERRORS_SHOWN_PER_CODE if is_error else WARNINGS_SHOWN_PER_CODE
        shown[(sheet, problem.code)] += 1
        if shown[(sheet, problem.code)] > cap:
            hidden[sheet][problem.code] += 1
            continue
        kind = CATALOGUE.get(problem.code)
        groups[-1]["rows"].append(
            {
                "id": f"{prefix}-{number}",
                "error": is_error,
                "where": problem.where if problem.cell else (problem.sheet or "-"),
                "place": problem.where,
                "code": problem.code,
                "title": _(kind.title) if kind else problem.code,
                "message": problem.message,
                "hint": problem.hint,
            }
        )
    for group in groups:
        group["more"] = [
            f"{count} more {code} {'problems' if count != 1 else 'problem'} on this sheet are not listed here: the checked copy marks every one."
            for code, count in sorted(hidden[group["sheet"]].items())
        ]
    return [group for group in groups if group["rows"] or group["more"]]
