"""The pages officers use: start (template and upload), results, downloads, and error pages.

Every page works without JavaScript. Form problems are listed in an error
summary at the top, each linking to the field or problem it is about.
"""

from __future__ import annotations

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
    N_,
    _,
    current_language,
    language_tag,
    languages_for,
    ngettext,
    use_language,
)
from pipeline.problems import CATALOGUE
from pipeline.render.context_words import counted
from pipeline.render.pdf import find_soffice
from pipeline.render.template_file import LAYOUTS
from pipeline.validate import Report
from pipeline.validate.report import WARNINGS_SHOWN_PER_CODE
from pipeline.web import csrf
from pipeline.web.app import downloads, page
from pipeline.web.work import make_documents, report_language_for, upload_name, zip_of

pages = Blueprint("pages", __name__)

#: Errors of one code listed on the results page before the rest are counted (see the checked copy).
ERRORS_SHOWN_PER_CODE = 100
LAYOUT_NAMES = {
    "rag": N_("RAG: evidence, action, deadline, owner and RAG rating columns"),
    "outcomes": N_("Outcomes: where we are now, and what we want to have achieved"),
}
#: Each language's name as the page offers it: its own name, then (for Welsh) the English one.
LANGUAGE_NAMES = {"en": ("English", ""), "cy": ("Cymraeg", N_("Welsh"))}
#: The documents' language choices (`both`: the matching pair, Welsh listed first, issue 15).
DOCUMENT_LANGUAGES = {
    **LANGUAGE_NAMES,
    "both": ("", N_("Both: Welsh and English, as a matching pair (the Welsh listed first)")),
}
#: The refusals error_page names by their HTTP name, for the catalogue (the rest have own words).
_HTTP_NAMES = (N_("Bad Request"), N_("Method Not Allowed"), N_("Unsupported Media Type"))
_KINDS = (
    ("-summary.xlsx", N_("Summary workbook (figures by module and owner, overdue, every action)")),
    ("-actions.csv", N_("Every action as a CSV file, for dashboards")),
    ("-cover-report.docx", N_("Committee cover report (Word), with the plan as Appendix 1")),
    (".docx", N_("Word action plan")),
    (".html", N_("Web page of the action plan, ready for the council's website")),
    (".pdf", N_("PDF of the action plan")),
    (".zip", N_("All the documents in one zip file")),
    ("-checked.xlsx", N_("Checked copy of your workbook (problem cells marked)")),
)


@dataclass
class FieldError:
    """A problem with the form: the id of the field it is about and what to do."""

    field: str
    message: str


def _framework_titles() -> dict[str, str]:
    """Every framework a template can be made for: the shipped ones, and any offered (each
    is loaded once; the offers are made before the page starts, by `eqplan serve`)."""
    return {name: frameworks.load(name).title for name in frameworks.available()}


def _pdf_available() -> bool:
    return bool(current_app.config["PDF"]) and find_soffice() is not None


def _choices(names: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Language choices in the page's language: a Welsh page names Cymraeg without `(Welsh)`."""
    welsh_page = current_language() == "cy"
    return {
        id: (own, "" if welsh_page and own else _(english)) for id, (own, english) in names.items()
    }


def _start(errors: list[FieldError] | None = None, status: int = 200, **chosen: Any):
    """The start page; a Welsh page offers the Welsh workbook and documents first."""
    language = "cy" if current_language() == "cy" else "en"
    return page(
        "start.html",
        status,
        errors=errors or [],
        frameworks=_framework_titles(),
        layouts={id: _(description) for id, description in LAYOUT_NAMES.items()},
        pdf_available=_pdf_available(),
        max_mb=f"{current_app.config['MAX_UPLOAD_MB']:g}",
        csrf_token=csrf.token(),
        template_languages=_choices(LANGUAGE_NAMES),
        document_languages=_choices(DOCUMENT_LANGUAGES),
        chosen={
            "framework": "eflg-2021",
            "layout": "rag",
            "template_language": language,
            "language": language,
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
        errors.append(FieldError("framework", _("Choose a framework from the list.")))
    if language not in LANGUAGES:
        message = _("Choose the language of the workbook: English or Cymraeg (Welsh).")
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
        errors.append(FieldError("workbook", _("Choose the workbook to upload.")))
    if layout not in LAYOUTS:
        errors.append(FieldError("layout-rag", _("Choose a layout for the Word plan.")))
        layout = "rag"
    if language not in LANGUAGE_CHOICES:
        message = _("Choose the language of the documents: English, Cymraeg (Welsh) or both.")
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
        title = _("The documents could not be made")
        return page("message.html", 500, title=title, error=error)
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
        message = _(
            "The file is larger than %(limit)s, the most this page accepts. Remove unused sheets or pictures, or ask IT to raise the limit."
        ) % {"limit": limit}
        return form([FieldError(field, message)], 413)
    if status == 503 and error.description == "busy":  # busy.py: no place came free
        message = _("The page is busy making other plans. Send your workbook again in a minute.")
        return form([FieldError(field, message)], 503)
    if status == 400 and error.description == "csrf":
        message = _(
            "The form had expired (or came from another site). Choose your workbook again and resend it."
        )
        return form([FieldError(field, message)], 400)
    if status == 404:
        expired = error.description == "expired"
        title = _("This download has expired") if expired else _("Page not found")
        minutes = f"{current_app.config['DOWNLOAD_MINUTES']:g}"
        text = (
            _(
                "Documents are kept for %(minutes)s minutes after an upload. Upload the workbook again to make them again."
            )
            % {"minutes": minutes}
            if expired
            else _("Check the address, or start again from the first page.")
        )
        return page("message.html", 404, title=title, text=text)
    title = _(error.name) if status < 500 else _("Something went wrong")
    return page("message.html", status, title=title, text=_("Start again from the first page."))


def _describe(name: str, stem: str, choice: str) -> str:
    """What a download is, with its language when Welsh documents were asked for."""
    what = _(next((what for ending, what in _KINDS if name.endswith(ending)), N_("Document")))
    if choice == "en" or name.endswith((".zip", "-checked.xlsx")):
        return what
    made = languages_for(choice)
    language = next((lang for lang in made if name.startswith(f"{stem}-{lang}")), made[0])
    return f"{what} ({LANGUAGE_NAMES[language][0]})"


def describe_size(size: int) -> str:
    """`25 KB`, `1.2 MB`: a download's size as the page shows it."""
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


def _counts(report: Report) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    return (
        counted(errors, "%(count)s error", "%(count)s errors", none=False)
        + ", "
        + counted(warnings, "%(count)s warning", "%(count)s warnings", none=False)
        + "; "
        + counted(report.actions, "%(count)s action read", "%(count)s actions read", none=False)
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
        sheet = problem.sheet or _("Whole workbook")
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
            ngettext(
                "%(count)s more %(code)s problem on this sheet are not listed here: the checked copy marks every one.",
                "%(count)s more %(code)s problems on this sheet are not listed here: the checked copy marks every one.",
                count,
            )
            % {"count": count, "code": code}
            for code, count in sorted(hidden[group["sheet"]].items())
        ]
    return [group for group in groups if group["rows"] or group["more"]]
