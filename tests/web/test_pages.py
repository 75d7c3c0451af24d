"""The web page for officers (issue 16): template, upload, report, downloads, all without script."""

from __future__ import annotations

import io
import time
import zipfile

import docx
import openpyxl
import pytest

from pipeline import frameworks
from pipeline.render.annotate import PROBLEMS_SHEET
from pipeline.workbook import read_workbook
from tests.conftest import action_row, write_plan_workbook
from tests.web.conftest import accessible as _accessible
from tests.web.conftest import downloads_in, form_token, upload
from tests.web.conftest import secure as _secure


def test_start_page_offers_every_framework_and_the_upload_form(client):
    response = client.get("/")
    assert response.status_code == 200
    page = _accessible(response.get_data(as_text=True))
    options = [o["value"] for o in page.all("option")]
    assert options == frameworks.available()
    forms = page.all("form")
    assert [f["method"] for f in forms] == ["get", "post"]
    assert forms[1]["enctype"] == "multipart/form-data"
    assert {i["value"] for i in page.all("input") if i.get("name") == "layout"} == {
        "rag",
        "outcomes",
    }


@pytest.mark.parametrize("framework_id", frameworks.available())
def test_blank_template_download_is_for_the_chosen_framework(client, framework_id):
    response = client.get(f"/template?framework={framework_id}")
    assert response.status_code == 200
    assert f"plan-template-{framework_id}.xlsx" in response.headers["Content-Disposition"]
    raw = read_workbook(io.BytesIO(response.data))
    assert raw.plan["framework_id"].value == framework_id


def test_unknown_framework_is_refused_with_an_error_summary(client):
    response = client.get("/template?framework=../../etc/passwd")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    _accessible(html)
    assert 'href="#framework"' in html and "Choose a framework" in html


def test_a_clean_workbook_gives_every_document_to_download(client):
    response = upload(client, name="our-plan.xlsx")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    _accessible(html)
    assert "Your documents are ready" in html and "There is a problem" not in html
    links = downloads_in(html)
    assert sorted(links) == sorted(
        [
            "our-plan.docx",
            "our-plan-summary.xlsx",
            "our-plan-actions.csv",
            "our-plan.html",
            "our-plan-cover-report.docx",
            "our-plan.zip",
            "our-plan-checked.xlsx",
        ]
    )
    assert "Committee cover report" in html and "Web page of the action plan" in html
    with client.get(links["our-plan.docx"]) as document:
        _secure(document.headers)
        assert document.headers["Cache-Control"] == "no-store"
        assert "attachment" in document.headers["Content-Disposition"]
        plan = docx.Document(io.BytesIO(document.data))
    assert "Example Borough Council" in "\n".join(p.text for p in plan.paragraphs)
    summary = openpyxl.load_workbook(io.BytesIO(client.get(links["our-plan-summary.xlsx"]).data))
    assert "All actions" in summary.sheetnames
    with zipfile.ZipFile(io.BytesIO(client.get(links["our-plan.zip"]).data)) as archive:
        assert sorted(archive.namelist()) == [
            "our-plan-actions.csv",
            "our-plan-cover-report.docx",
            "our-plan-summary.xlsx",
            "our-plan.docx",
            "our-plan.html",
        ]
        assert archive.read("our-plan.docx") == client.get(links["our-plan.docx"]).data
    checked = openpyxl.load_workbook(io.BytesIO(client.get(links["our-plan-checked.xlsx"]).data))
    assert checked.sheetnames[0] == PROBLEMS_SHEET
    # warnings are listed by sheet, with the cell, what is wrong and the fix
    assert "Actions!F3" in html and "Overdue action" in html and "agree a new deadline" in html
    # No command line for officers on the web page (found by a data officer's walk-through).
    assert "choose the Outcomes layout (under Layout of the Word plan, on the form)" in html
    assert "--layout" not in html and "make plan" not in html


def test_errors_are_listed_at_the_top_with_links_to_each_problem(client, tmp_path):
    path = write_plan_workbook(
        tmp_path / "bad.xlsx",
        actions=[action_row(rag="Purple"), action_row(ref="A2", point="99.9")],
    )
    response = upload(client, path.read_bytes(), name="bad.xlsx")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = _accessible(html)
    assert "There is a problem" in html and "Your workbook needs changes" in html
    summary_links = [a["href"] for a in page.all("a") if a.get("href", "").startswith("#problem-")]
    assert len(summary_links) == 2
    assert "RAG rating not recognised" in html and "Framework point not recognised" in html
    assert "Actions!H" in html  # the RAG cell's reference
    # Each link says what is wrong at that cell, not only the kind of problem (three
    # missing Plan details read as one repeated line; found by a data officer).
    summary = html.split('class="error-summary-list"')[1].split("</ul>")[0]
    assert "&#34;Purple&#34; is not a RAG rating." in summary
    assert list(downloads_in(html)) == ["bad-checked.xlsx"]  # no documents, only the marked copy


def test_a_file_that_is_not_a_workbook_is_explained_on_the_form(client):
    response = upload(client, b"Ref,Action\nA1,Do things\n", name="plan.xlsx")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    _accessible(html)
    assert 'href="#workbook"' in html and "Save As" in html  # FILE_NOT_XLSX's hint


def test_the_content_decides_not_the_name(client):
    """A real workbook named .txt is read (with a warning); a renamed text file is not."""
    response = upload(client, name="plan.txt")
    assert response.status_code == 200
    assert "Unexpected file extension" in response.get_data(as_text=True)


def test_missing_file_and_unknown_layout_are_both_listed(client):
    token = form_token(client)
    response = client.post(
        "/plan", data={"csrf_token": token, "layout": "fancy"}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    _accessible(html)
    assert 'href="#workbook"' in html and 'href="#layout-rag"' in html


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_form_without_this_browsers_token_is_refused(client, make_app, token):
    response = upload(client, token=token)  # None: no token field at all
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert not list(make_app().extensions["eqplan_downloads"].root.iterdir())  # nothing built


def test_a_token_from_another_browser_is_refused(make_app):
    app = make_app()
    token = form_token(app.test_client())
    response = upload(app.test_client(), token=token)
    assert response.status_code == 400


def test_an_upload_over_the_limit_gets_413_and_the_form_again(make_app):
    client = make_app(MAX_UPLOAD_MB=0.01).test_client()
    token = form_token(client)
    response = upload(client, token=token)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "larger than 0.01 MB" in html and 'href="#workbook"' in html


def test_download_names_cannot_leave_their_folder(client, tmp_path):
    (tmp_path / "secret.txt").write_text("not for download")
    response = upload(client, name="../../secret.xlsx")
    links = downloads_in(response.get_data(as_text=True))
    assert "secret.docx" in links  # only the last part of the name is used
    token = links["secret.docx"].split("/")[2]
    for name in ("..%2F..%2Fsecret.txt", "../../secret.txt", "%2e%2e", ".", "..", "secret.txt"):
        assert client.get(f"/download/{token}/{name}").status_code == 404, name
    assert client.get(f"/download/../{token}/secret.docx").status_code == 404
    assert client.get("/download/short/secret.docx").status_code == 404


def test_downloads_expire_and_are_removed(make_app):
    app = make_app(DOWNLOAD_MINUTES=0.0001)  # expire after 6 ms
    client = app.test_client()
    links = downloads_in(upload(client).get_data(as_text=True))
    store = app.extensions["eqplan_downloads"]
    folder = store.root / links["our-plan.docx"].split("/")[2]
    assert folder.is_dir()
    time.sleep(0.05)
    response = client.get(links["our-plan.docx"])
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
    assert not folder.exists()  # cleaned when the expired link was used
    upload(client)
    time.sleep(0.05)
    assert store.sweep(force=True) == 1 and not list(store.root.iterdir())


@pytest.mark.parametrize(
    "path", ["/", "/template?framework=eflg-2021", "/static/eqplan.css", "/nowhere", "/api/build"]
)
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:
        headers = response.headers
    _secure(headers)
    if "static" not in path:  # reports and documents never stay in a browser's cache
        assert headers["Cache-Control"] == "no-store"


def test_workbook_text_is_shown_as_text_never_markup(client, tmp_path):
    path = write_plan_workbook(tmp_path / "x.xlsx", actions=[action_row(rag="<script>x</script>")])
    html = upload(client, path.read_bytes()).get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_crash_is_logged_without_the_workbooks_content(make_app, monkeypatch, caplog):
    import pipeline.web.views as views

    def fail(*args, **kwargs):
        raise RuntimeError("Confidential: staff survey results")

    monkeypatch.setattr(views, "make_documents", fail)
    client = make_app(TESTING=False).test_client()
    response = upload(client)
    assert response.status_code == 500
    assert "Confidential" not in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text and "Confidential" not in caplog.text


@pytest.mark.libreoffice
def test_pdf_is_offered_when_libreoffice_is_there(make_app):
    from pipeline.render.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    client = make_app(PDF=True).test_client()
    assert 'name="pdf"' in client.get("/").get_data(as_text=True)
    links = downloads_in(upload(client, pdf="yes").get_data(as_text=True))
    assert client.get(links["our-plan.pdf"]).data.startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(client.get(links["our-plan.zip"]).data)) as archive:
        assert "our-plan.pdf" in archive.namelist()
