"""The web page's language choices (issues 15 and 16): a Welsh template, Welsh or both documents."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from pipeline.i18n import LANGUAGE_CHOICES, LANGUAGES
from pipeline.web.views import DOCUMENT_LANGUAGES, LANGUAGE_NAMES
from pipeline.workbook import read_workbook
from tests.conftest import EXAMPLE, action_row, write_plan_workbook
from tests.web.conftest import accessible, downloads_in, form_token, upload
from tests.welsh.test_welsh_template import WELSH_SHEETS

W_LANG = qn("w:lang")
WELSH_HEADING = "Rheoli'r ddogfen"  # the plan's "Document control" heading in Welsh


def _welsh_plan(data: bytes) -> docx.Document:
    """The Word plan in data, checked to be Welsh: its heading, and every run tagged cy-GB
    (or en-GB where it prints English for want of Welsh)."""
    plan = docx.Document(io.BytesIO(data))
    assert WELSH_HEADING in {p.text for p in plan.paragraphs}
    assert plan.core_properties.language == "cy-GB"
    runs = list(plan.element.body.iter(qn("w:r")))
    assert runs
    tags = [r.find(f"{qn('w:rPr')}/{W_LANG}").get(qn("w:val")) for r in runs]
    assert set(tags) <= {"cy-GB", "en-GB"}
    assert tags.count("cy-GB") > tags.count("en-GB")
    return plan


def test_the_start_page_offers_each_language_in_fieldsets(client):
    html = client.get("/").get_data(as_text=True)
    page = accessible(html)
    radios = [i for i in page.all("input") if i.get("type") == "radio"]
    by_form = {}
    for radio in radios:
        by_form.setdefault(radio["id"].rsplit("-", 1)[0], []).append(radio["value"])
    assert by_form["template-language"] == list(LANGUAGES)
    assert by_form["language"] == list(LANGUAGE_CHOICES)
    assert {r["id"] for r in radios if "checked" in r} >= {"template-language-en", "language-en"}
    assert '<legend class="label">Language of the workbook</legend>' in html
    assert '<legend class="label">Language of the documents</legend>' in html
    assert '<span lang="cy">Cymraeg</span>' in html
    assert tuple(LANGUAGE_NAMES) == LANGUAGES and tuple(DOCUMENT_LANGUAGES) == LANGUAGE_CHOICES


def test_the_welsh_blank_workbook_has_welsh_sheet_names(client):
    response = client.get("/template?framework=eif-wales-2011&language=cy")
    assert response.status_code == 200
    assert "plan-template-eif-wales-2011-cy.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == WELSH_SHEETS
    raw = read_workbook(io.BytesIO(response.data))  # the reader takes it as it takes the English
    assert raw.plan["framework_id"].value == "eif-wales-2011"


def test_the_english_blank_workbook_is_unchanged_by_default(client):
    response = client.get("/template?framework=eif-wales-2011")  # no language chosen
    assert "plan-template-eif-wales-2011.xlsx" in response.headers["Content-Disposition"]
    names = openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames
    assert "Darllen fi" not in names and "Read me" in names and "Actions" in names


def test_a_bad_template_language_is_refused_on_the_form(client):
    response = client.get("/template?framework=eflg-2021&language=fr")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = accessible(html)
    assert 'href="#template-language-en"' in html and "English or Cymraeg" in html
    fieldset = next(f for f in page.all("fieldset") if "template-language-error" in str(f))
    assert fieldset["aria-describedby"] == "template-language-error"


def test_welsh_documents_are_offered_singly_and_in_the_zip(client):
    response = upload(client, language="cy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    accessible(html)
    links = downloads_in(html)
    assert list(links) == [
        "our-plan-cy.docx",
        "our-plan-cy-summary.xlsx",
        "our-plan-cy-actions.csv",
        "our-plan-cy.html",
        "our-plan-cy-cover-report.docx",
        "our-plan.zip",
        "our-plan-checked.xlsx",
    ]
    assert "Word action plan (Cymraeg)" in html
    _welsh_plan(client.get(links["our-plan-cy.docx"]).data)
    with zipfile.ZipFile(io.BytesIO(client.get(links["our-plan.zip"]).data)) as archive:
        assert archive.namelist() == [
            "our-plan-cy.docx",
            "our-plan-cy-summary.xlsx",
            "our-plan-cy-actions.csv",
            "our-plan-cy.html",
            "our-plan-cy-cover-report.docx",
        ]
        assert 'lang="cy"' in archive.read("our-plan-cy.html").decode("utf-8")
        _welsh_plan(archive.read("our-plan-cy.docx"))
    # the check of the workbook is in Welsh too, and marked as Welsh for screen readers
    assert "Cam gweithredu sy&#39;n hwyr" in html and 'lang="cy-GB"' in html
    assert "Overdue action" not in html


def test_both_lists_the_welsh_documents_first_then_the_english(client):
    response = upload(client, language="both")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    accessible(html)
    names = list(downloads_in(html))
    welsh, english = names.index("our-plan-cy.docx"), names.index("our-plan-en.docx")
    assert welsh < english and names.index("our-plan-cy-summary.xlsx") < english
    assert html.index("Word action plan (Cymraeg)") < html.index("Word action plan (English)")
    links = downloads_in(html)
    _welsh_plan(client.get(links["our-plan-cy.docx"]).data)
    english_plan = docx.Document(io.BytesIO(client.get(links["our-plan-en.docx"]).data))
    assert english_plan.core_properties.language == "en-GB"
    assert "Document control" in {p.text for p in english_plan.paragraphs}
    with zipfile.ZipFile(io.BytesIO(client.get(links["our-plan.zip"]).data)) as archive:
        inside = archive.namelist()
    assert inside.index("our-plan-cy.docx") < inside.index("our-plan-en.docx")
    assert {"our-plan-cy-summary.xlsx", "our-plan-en-summary.xlsx"} <= set(inside)


def test_welsh_errors_are_listed_in_welsh(client, tmp_path):
    path = write_plan_workbook(tmp_path / "bad.xlsx", actions=[action_row(rag="Purple")])
    html = upload(client, path.read_bytes(), name="bad.xlsx", language="cy").get_data(as_text=True)
    accessible(html)
    assert "There is a problem" in html  # the page itself stays English
    assert "Sgôr RAG heb ei hadnabod" in html and "RAG rating not recognised" not in html
    assert list(downloads_in(html)) == ["bad-checked.xlsx"]


def test_english_errors_stay_english(client, tmp_path):
    path = write_plan_workbook(tmp_path / "bad.xlsx", actions=[action_row(rag="Purple")])
    html = upload(client, path.read_bytes(), name="bad.xlsx").get_data(as_text=True)
    assert "RAG rating not recognised" in html and 'lang="en-GB"' in html


@pytest.mark.parametrize("bad", ["fr", "CY", "cy,en", ""])
def test_a_bad_documents_language_is_refused_on_the_form(client, make_app, bad):
    response = upload(client, language=bad)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    accessible(html)
    assert 'href="#language-en"' in html
    assert "Choose the language of the documents: English, Cymraeg (Welsh) or both." in html
    assert 'id="language-error"' in html
    assert not list(make_app().extensions["eqplan_downloads"].root.iterdir())  # nothing built


def test_a_refused_form_keeps_the_language_chosen(client):
    token = form_token(client)
    response = client.post(
        "/plan",
        data={"csrf_token": token, "layout": "rag", "language": "both"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = accessible(response.get_data(as_text=True))
    checked = {r["id"] for r in page.all("input") if "checked" in r}
    assert "language-both" in checked and "language-en" not in checked


def _api_build(client, data: bytes, name: str = "our-plan.xlsx", **fields: str):
    form: dict[str, object] = {"workbook": (io.BytesIO(data), name), **fields}
    with client.post("/api/build", data=form, content_type="multipart/form-data") as response:
        response.get_data()
        return response


def test_the_api_sends_only_the_welsh_documents_for_cy(client):
    response = _api_build(client, EXAMPLE.read_bytes(), language="cy")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        _welsh_plan(archive.read("our-plan-cy.docx"))
    assert names == [
        "our-plan-cy.docx",
        "our-plan-cy-summary.xlsx",
        "our-plan-cy-actions.csv",
        "our-plan-cy.html",
        "our-plan-cy-cover-report.docx",
        "our-plan-checks.json",
    ]


def test_the_api_reports_errors_in_welsh_for_cy(client, tmp_path):
    path = write_plan_workbook(tmp_path / "bad.xlsx", actions=[action_row(rag="Purple")])
    english = _api_build(client, path.read_bytes(), name="bad.xlsx").get_json()
    welsh = _api_build(client, path.read_bytes(), name="bad.xlsx", language="cy").get_json()
    (en,) = [p for p in english["problems"] if p["code"] == "RAG_INVALID"]
    (cy,) = [p for p in welsh["problems"] if p["code"] == "RAG_INVALID"]
    assert (en["cell"], en["sheet"]) == (cy["cell"], cy["sheet"])
    assert en["message"] != cy["message"] and en["hint"] != cy["hint"]


@pytest.mark.parametrize(
    "query",
    ["endpoint=x", "_method=POST", "_external=1", "_anchor=top", "_scheme=ftp&_external=1"],
)
def test_a_query_naming_url_for_arguments_is_only_carried_by_the_language_link(client, query):
    """?endpoint= and ?_method= ended the page in a 500; ?_external= made the link absolute."""
    for path in ("/", "/compare", "/merge"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)
        link = re.search(r'class="header-language" href="([^"]+)"', response.text).group(1)
        assert link.startswith(f"{path}?") and "#" not in link and "://" not in link, link
        assert link.endswith("lang=cy")
    refused = client.get(f"/template?framework=nope&{query}")
    assert refused.status_code == 400
