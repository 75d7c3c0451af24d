"""POST /api/build for scripts (issue 16): 200 zip, 422 report, 400 not a workbook, 413 too large."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest

from tests.conftest import EXAMPLE, action_row, write_plan_workbook


def _post(client, data: bytes | None = None, name: str = "our-plan.xlsx", **fields: str):
    form: dict[str, object] = dict(fields)
    if data is not None:
        form["workbook"] = (io.BytesIO(data), name)
    with client.post("/api/build", data=form, content_type="multipart/form-data") as response:
        response.get_data()
        return response


def test_a_clean_workbook_gives_a_zip_of_its_documents(client):
    response = _post(client, EXAMPLE.read_bytes())
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "our-plan.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == [
            "our-plan-actions.csv",
            "our-plan-checks.json",
            "our-plan-cover-report.docx",
            "our-plan-summary.xlsx",
            "our-plan.docx",
            "our-plan.html",
        ]
        plan = docx.Document(io.BytesIO(archive.read("our-plan.docx")))
        page = archive.read("our-plan.html").decode("utf-8")
        cover = docx.Document(io.BytesIO(archive.read("our-plan-cover-report.docx")))
        checks = json.loads(archive.read("our-plan-checks.json"))
    assert '<html lang="en-GB"' in page or '<html lang="en"' in page
    assert "Example Borough Council" in page
    assert any(p.text.startswith("Appendix 1") for p in cover.paragraphs)
    assert "Example Borough Council" in "\n".join(p.text for p in plan.paragraphs)
    assert checks["valid"] is True and checks["stats"]["actions"] == 62
    assert all(p["severity"] == "warning" for p in checks["problems"])


def test_layout_outcomes_is_used(client):
    response = _post(client, EXAMPLE.read_bytes(), layout="outcomes", language="en")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        plan = docx.Document(io.BytesIO(archive.read("our-plan.docx")))
    headings = {cell.text for table in plan.tables for cell in table.rows[0].cells}
    assert any(h.startswith("Where we are now") for h in headings), headings


def test_language_both_sends_the_welsh_and_the_english_documents(client):
    response = _post(client, EXAMPLE.read_bytes(), language="both")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        welsh = docx.Document(io.BytesIO(archive.read("our-plan-cy.docx")))
    assert {"our-plan-cy.docx", "our-plan-en.docx", "our-plan-cy-summary.xlsx"} <= set(names)
    assert "Rheoli'r ddogfen" in {p.text for p in welsh.paragraphs}


def test_a_filled_down_dde_formula_gets_422_and_the_report_not_a_bare_400(client, tmp_path):
    """The checked copy failed on it (openpyxl cannot translate the shared formula), and
    the answer was 400 with no code or fix, the report lost."""
    from tests.render.test_annotate import _filled_down

    response = _post(client, _filled_down(tmp_path).read_bytes(), name="plan.xlsx")
    assert response.status_code == 422
    errors = [p for p in response.get_json()["problems"] if p["severity"] == "error"]
    assert [(p["code"], p["where"]) for p in errors] == [
        ("FORMULA_EXTERNAL", "Actions!D2"),
        ("FORMULA_EXTERNAL", "Actions!E2"),
    ]


def test_a_workbook_with_errors_gets_422_and_the_report(client, tmp_path):
    path = write_plan_workbook(tmp_path / "bad.xlsx", actions=[action_row(rag="Purple")])
    response = _post(client, path.read_bytes(), name="bad.xlsx")
    assert response.status_code == 422
    assert response.mimetype == "application/json"
    report = response.get_json()
    assert report["valid"] is False and report["stats"]["errors"] == 1
    (error,) = [p for p in report["problems"] if p["severity"] == "error"]
    assert (error["code"], error["sheet"], error["source"]) == (
        "RAG_INVALID",
        "Actions",
        "bad.xlsx",
    )
    assert error["where"].startswith("Actions!H") and error["hint"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"Ref,Action\nA1,Do things\n", "FILE_NOT_XLSX"),
        (b"", "FILE_EMPTY"),
        (b"PK\x03\x04 not really a zip", "FILE_DAMAGED"),
    ],
)
def test_a_file_that_is_not_a_workbook_gets_400_with_the_reason(client, content, code):
    response = _post(client, content, name="plan.xlsx")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == code and body["error"] and body["hint"]


@pytest.mark.parametrize(
    ("fields", "words", "code"),
    [
        ({}, "No workbook", "FIELD_MISSING"),
        ({"layout": "fancy"}, "Unknown layout", "FIELD_INVALID"),
        ({"language": "fr"}, "language 'fr'", "FIELD_INVALID"),
        ({"pdf": "maybe"}, "'maybe' is not yes or no", "FIELD_INVALID"),  # was taken as no
    ],
)
def test_bad_fields_get_400_with_a_message_and_a_code(client, fields, words, code):
    """Found by an attacker's review: these answers had an empty code, which the README
    promises scripts can branch on."""
    data = None if not fields else EXAMPLE.read_bytes()
    response = _post(client, data, **fields)
    assert response.status_code == 400
    body = response.get_json()
    assert words in body["error"] and body["hint"] and body["code"] == code


@pytest.mark.parametrize("field", ["layout", "language", "pdf"])
def test_a_field_sent_as_a_file_is_refused_not_ignored(client, field):
    """`-F layout=@outcomes` sends a file part: it was ignored, and the RAG layout built
    without a word (an attacker's review of the web page)."""
    sent = {
        "workbook": (io.BytesIO(EXAMPLE.read_bytes()), "plan.xlsx"),
        field: (io.BytesIO(b"outcomes"), "outcomes"),
    }
    response = client.post("/api/build", data=sent, content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "FIELD_INVALID"
    assert f"'{field}' was sent as a file" in body["error"] and "without @" in body["hint"]


def test_over_the_size_limit_gets_413_as_json(make_app):
    client = make_app(MAX_UPLOAD_MB=0.01).test_client()
    response = _post(client, EXAMPLE.read_bytes())
    assert response.status_code == 413
    body = response.get_json()
    assert "larger than 0.01 MB" in body["error"] and body["code"] == "UPLOAD_TOO_LARGE"


def test_api_needs_no_form_token_and_sets_the_security_headers(client):
    response = _post(client, b"not a workbook")
    assert response.status_code == 400  # judged on the file, not refused for a missing token
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_pdf_asked_for_without_libreoffice_is_refused_before_building(client):
    response = _post(client, EXAMPLE.read_bytes(), pdf="yes")  # the test app has PDF off
    assert response.status_code == 400
    assert "LibreOffice" in response.get_json()["error"]
    assert response.get_json()["code"] == "PDF_UNAVAILABLE"


@pytest.mark.parametrize(
    "fields",
    [{"layout": "r" * 200_000}, {f"extra{n}": "1" for n in range(1_100)}],
    ids=["long-field", "many-parts"],
)
def test_a_form_over_its_own_limits_is_not_called_a_file_too_large(client, fields):
    """A 200,000-byte layout or 1,100 fields were refused as 'The file is larger than 20 MB'."""
    response = _post(client, EXAMPLE.read_bytes(), **fields)
    assert response.status_code == 413
    body = response.get_json()
    assert "larger than" not in body["error"] and "form is too large" in body["error"]
    assert body["code"] == "UPLOAD_TOO_LARGE"
