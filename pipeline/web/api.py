"""`POST /api/build` for scripts: a workbook in, a zip of its documents (or the report) out.

Fields (multipart/form-data): `workbook` (the file, required), `layout`
(rag or outcomes, default rag), `language` (`en`, the default; `cy` for the
Welsh documents, `<name>-cy.docx` ...; `both` for the Welsh and the English,
`<name>-cy…` then `<name>-en…`), `pdf` ("yes" to add a PDF; needs LibreOffice
on the server). Answers: 200 a zip of the documents and `<name>-checks.json`
(the report, warnings included); 422 the validation report as JSON when the
workbook has errors; 400 JSON `{"error", "hint", "code"}` for a file that is
not a usable workbook or a bad field (any other `language` included); 413
over the size limit; 503 `SERVER_BUSY` when no place to make documents came free
(busy.py). With `cy` or `both` the report's messages and hints are
in Welsh, as `eqplan validate --language cy` gives them.

`POST /api/compare` with fields `previous` and `current` (the two
workbooks): 200 the `eqplan compare --format json` comparison; 422
`{"error", "hint", "reports": {"previous": ..., "current": ...}}` with each
workbook's validation report when either has errors; 400 (with `field`, the
workbook it is about) and 413 as above.

`POST /api/merge` with the field `plan` (the plan's workbook) and `returns`
(each owner's returned workbook, the field repeated): 200 a zip holding
`merged.xlsx` (the merged plan) and `merge.json` (the report of
`eqplan merge --format json`, `output` being `merged.xlsx`), also when
some returns were refused (the report says which and why); 422
`{"error", "hint", "report"}` with the plan's validation report when the
plan has errors; 400 (with `field`: `plan`) for a plan that is not a usable
workbook or is a return, or a missing field; 413 as above.
"""

from __future__ import annotations

import io
import json
from pathlib import PurePosixPath

from flask import Blueprint, Response, current_app, request, send_file
from werkzeug.exceptions import HTTPException

from pipeline.errors import EqplanError, WorkbookUnreadable
from pipeline.i18n import LANGUAGE_CHOICES
from pipeline.render.pdf import find_soffice
from pipeline.render.template_file import LAYOUTS
from pipeline.web.busy import SERVER_BUSY
from pipeline.web.work import make_documents, upload_name, zip_of

api = Blueprint("api", __name__, url_prefix="/api")

LANGUAGES = LANGUAGE_CHOICES  # en, cy, or both (the Welsh and English documents, issue 15)


def _json(data: dict, status: int) -> Response:
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False), status, mimetype="application/json"
    )


#: The codes of requests refused for their fields or size (a file that is not a usable
#: workbook has its FILE_* problem code instead); scripts branch on these, never the words.
FIELD_MISSING, FIELD_INVALID = "FIELD_MISSING", "FIELD_INVALID"
PDF_UNAVAILABLE, UPLOAD_TOO_LARGE = "PDF_UNAVAILABLE", "UPLOAD_TOO_LARGE"
#: The `pdf` field's words for yes and for no (absent is no).
PDF_YES, PDF_NO = ("yes", "true", "1"), ("", "no", "false", "0")


def _refuse(error: str, hint: str, code: str, status: int = 400) -> Response:
    return _json({"error": error, "hint": hint, "code": code}, status)


@api.post("/build")
def build():
    upload = request.files.get("workbook")
    layout = request.form.get("layout", "rag")
    language = request.form.get("language", "en")
    if upload is None:
        return _refuse(
            "No workbook was sent.",
            "Send the .xlsx file in the form field 'workbook'.",
            FIELD_MISSING,
        )
    sent_as_file = next((f for f in ("layout", "language", "pdf") if f in request.files), None)
    if sent_as_file:  # `-F layout=@rag` sends a file, which the form's fields never hold
        return _refuse(
            f"The field '{sent_as_file}' was sent as a file, so it could not be read.",
            f"Send it as a plain field: -F {sent_as_file}=value (without @).",
            FIELD_INVALID,
        )
    if layout not in LAYOUTS:
        return _refuse(
            f"Unknown layout '{layout}'.", f"Use one of: {', '.join(LAYOUTS)}.", FIELD_INVALID
        )
    if language not in LANGUAGES:
        return _refuse(
            f"Documents in language '{language}' cannot be made.",
            "Send 'en' (English, the default), 'cy' (Welsh) or 'both'.",
            FIELD_INVALID,
        )
    pdf = request.form.get("pdf", "").strip().lower()
    if pdf not in PDF_YES + PDF_NO:
        return _refuse(
            f"'{pdf}' is not yes or no for the field 'pdf'.",
            "Send pdf=yes for a PDF, or leave the field out.",
            FIELD_INVALID,
        )
    want_pdf = pdf in PDF_YES
    if want_pdf and (not current_app.config["PDF"] or find_soffice() is None):
        return _refuse(
            "This server cannot make PDFs: LibreOffice is not installed on it.",
            "Leave out the 'pdf' field, or ask IT to install LibreOffice.",
            PDF_UNAVAILABLE,
        )
    name = upload_name(upload.filename)
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
        return _refuse(error.message, error.hint, error.code)
    except EqplanError as error:
        return _refuse(error.message, error.hint, error.code, status=500)
    report = outcome.report.to_json()
    if not outcome.report.valid:
        return Response(report, 422, mimetype="application/json")
    files = {**outcome.documents, f"{outcome.stem}-checks.json": report.encode("utf-8")}

    return send_file(
        io.BytesIO(zip_of(files)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{outcome.stem}.zip",
    )


@api.post("/compare")
def compare():
    from pipeline.web.compare_work import ROLES, compare_uploads

    uploads = {role: request.files.get(role) for role in ROLES}
    missing = [role for role, upload in uploads.items() if upload is None]
    if missing:
        return _refuse(
            f"No {' or '.join(missing)} workbook was sent.",
            "Send the previous report's .xlsx in the field 'previous' and the current one in "
            "'current'.",
            FIELD_MISSING,
        )
    outcome = compare_uploads(
        {role: (upload.read(), upload_name(upload.filename)) for role, upload in uploads.items()}
    )
    for role, error in outcome.unreadable.items():
        body = {"error": error.message, "hint": error.hint, "code": error.code, "field": role}
        return _json(body, 400)
    if outcome.invalid:
        roles = " and ".join(outcome.invalid)
        body = {
            "error": f"The {roles} workbook has errors, so the two reports were not compared.",
            "hint": "Fix the errors each report lists and send both workbooks again.",
            "reports": {
                role: json.loads(report.to_json()) for role, report in outcome.reports.items()
            },
        }
        return _json(body, 422)
    return _json(outcome.comparison.as_dict(), 200)


#: The files in /api/merge's zip: fixed names, so a script can take them out without looking.
MERGED_NAME, MERGE_REPORT_NAME = "merged.xlsx", "merge.json"


@api.post("/merge")
def merge():
    from pipeline.web.merge_work import PLAN, RETURNS, merge_uploads

    plan = request.files.get(PLAN)
    returns = request.files.getlist(RETURNS)
    if plan is None or not returns:
        missing = " or ".join(
            what for what, absent in (("plan", plan is None), ("returns", not returns)) if absent
        )
        return _refuse(
            f"No {missing} sent.",
            "Send the plan's .xlsx in the field 'plan' and each return in a field 'returns' "
            "(repeat the field for each file).",
            FIELD_MISSING,
        )
    name = upload_name(plan.filename)
    outcome = merge_uploads(
        (plan.read(), name),
        [(upload.read(), upload_name(upload.filename)) for upload in returns],
        merged_name=MERGED_NAME,
    )
    if outcome.unusable:
        error = outcome.unusable
        body = {"error": error.message, "hint": error.hint, "code": error.code, "field": PLAN}
        return _json(body, 400)
    if outcome.plan_invalid:
        body = {
            "error": "The plan has errors, so no returns were merged.",
            "hint": "Fix the errors the report lists and send the plan and the returns again.",
            "report": json.loads(outcome.plan_report.to_json()),
        }
        return _json(body, 422)
    report = json.dumps(outcome.report.as_dict(), indent=2, ensure_ascii=False, default=str)
    files = {MERGED_NAME: outcome.merged, MERGE_REPORT_NAME: report.encode("utf-8")}
    stem = PurePosixPath(name).stem or "action-plan"
    return send_file(
        io.BytesIO(zip_of(files)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{stem}-merged.zip",
    )


def error_response(error: HTTPException) -> Response:
    """A refused API request as JSON (413 over the size limit, 404, 405 …)."""
    status = error.code or 500  # an HTTP status, not a problem code
    length = request.content_length  # None when sent in chunks: then it may be the size
    if status == 413 and length is not None and length <= current_app.config["MAX_CONTENT_LENGTH"]:
        # Under the size limit, so the form's own limits were met: a field (not a file) over
        # MAX_FORM_MEMORY_SIZE, or more parts than werkzeug takes. Said as a file too large,
        # this sent a script looking for a file it had not sent (an attacker's review).
        return _refuse(
            "The form is too large: a field other than a file is over "
            f"{current_app.config['MAX_FORM_MEMORY_SIZE']:,} bytes, or it has too many parts.",
            "Keep fields other than files short (layout=rag), and send no more than 1,000 fields and files.",
            UPLOAD_TOO_LARGE,
            status=413,
        )
    if status == 503 and error.description == "busy":  # busy.py: no place came free
        return _refuse(
            "The server is busy making other documents.",
            "Send the request again in a minute (the Retry-After header says how long).",
            SERVER_BUSY,
            status=503,
        )
    if status == 413:
        limit = f"{current_app.config['MAX_UPLOAD_MB']:g} MB"
        return _refuse(
            f"The file is larger than {limit}, the most this server accepts.",
            "Remove unused sheets or pictures, or ask IT to raise --max-upload-mb.",
            UPLOAD_TOO_LARGE,
            status=413,
        )
    return _refuse(error.name, error.description or "", f"HTTP_{status}", status=status)
