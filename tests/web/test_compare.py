"""The Compare page and POST /api/compare (issue 16): two quarters' workbooks, what changed."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets

import docx
import openpyxl
import pytest

from pipeline.cli import cli
from tests.bad_inputs.catalogue import CASES
from tests.conftest import EXAMPLE, action_row
from tests.web.conftest import accessible, downloads_in, form_token, secure

SEPT = dt.date(2026, 9, 30)
#: Every file the command line refuses (renamed files, encrypted, zip bombs, XML attacks …).
UNREADABLE = [case for case in CASES if case.expect.outcome == "unreadable"]


@pytest.fixture
def quarters(make_workbook):
    """September and November workbooks: a rating up, one complete, one new, one removed."""
    before = make_workbook(
        "plan-september.xlsx",
        actions=[
            action_row(ref="Q1", rag="Amber", deadline="Q3 2026"),
            action_row(ref="Q2", rag="Green", action="Publish the pay gap figures"),
            action_row(ref="", rag="Red", action="Hold listening events in every ward"),
            action_row(ref="Q5", rag="Amber", action="Pilot we stopped"),
        ],
        plan={"report_date": SEPT},
        assessments={"1": ("Developing", "Achieving")},
    )
    after = make_workbook(
        "plan-november.xlsx",
        actions=[
            action_row(ref="Q1", rag="Green", deadline="Dec 2026"),
            action_row(ref="Q2", rag="Complete", action="Publish the pay gap figures"),
            action_row(ref="", rag="Amber", action="Hold listening events in every ward."),
            action_row(ref="Q9", rag="Amber", action="New <b>survey</b> & =SUM(A1)"),
        ],
        assessments={"1": ("Achieving", "Achieving")},
    )
    return before, after


def _post(client, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]):
    """A multipart POST built in memory (the test client would spool a large one to a file)."""
    boundary = secrets.token_hex(16)
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        )
        body.write(value.encode() + b"\r\n")
    for name, (filename, content) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    kind = f"multipart/form-data; boundary={boundary}"
    with client.post(path, data=body.getvalue(), content_type=kind) as response:
        response.get_data()
        return response


def _files(previous: bytes | None, current: bytes | None, names: dict[str, str] | None = None):
    names = {"previous": "plan-september.xlsx", "current": "plan-november.xlsx", **(names or {})}
    given = {"previous": previous, "current": current}
    return {role: (names[role], data) for role, data in given.items() if data is not None}


def _send(
    client,
    previous: bytes | None,
    current: bytes | None,
    token: str | None = "",
    names: dict[str, str] | None = None,
):
    fields = {} if token is None else {"csrf_token": token or form_token(client)}
    return _post(client, "/compare", fields, _files(previous, current, names))


def _stored(app) -> list:
    return list(app.extensions["eqplan_downloads"].root.iterdir())


def test_start_page_links_to_the_compare_page(client):
    assert 'href="/compare"' in client.get("/").get_data(as_text=True)
    response = client.get("/compare")
    assert response.status_code == 200
    secure(response.headers)
    page = accessible(response.get_data(as_text=True))
    fields = {f["id"] for f in page.all("input") if f.get("type") == "file"}
    assert fields == {"previous", "current"}
    assert any(f.get("name") == "csrf_token" for f in page.all("input"))


def test_two_clean_workbooks_show_what_changed_and_offer_the_documents(client, quarters):
    before, after = quarters
    response = _send(client, before.read_bytes(), after.read_bytes())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = accessible(html)
    assert "What changed since the last report" in html
    assert "as at 30 September 2026 (4 actions)" in html
    assert "Since the last report, 3 actions&#39; ratings got better" in html
    assert {"counts", "movements", "new", "removed", "matched-by-text", "levels"} <= page.ids
    movements = html.split('id="movements"')[1].split("</table>")[0]
    assert "Q1" in movements and "Amber to Green" in movements and "92 days later" in movements
    new = html.split('id="new"')[1].split("</table>")[0]
    assert "New &lt;b&gt;survey&lt;/b&gt; &amp; =SUM(A1)" in new and "<b>survey" not in html
    removed = html.split('id="removed"')[1].split("</table>")[0]
    assert "Q5" in removed and "Removed: last Amber" in removed
    by_text = html.split('id="matched-by-text"')[1].split("</table>")[0]
    assert "1.2-" in by_text and "matched by its point and text" in by_text
    assert "Developing to Achieving" in html

    links = downloads_in(html)
    assert sorted(links) == ["plan-november-changes.docx", "plan-november-changes.xlsx"]
    document = docx.Document(io.BytesIO(client.get(links["plan-november-changes.docx"]).data))
    assert any("Since the last report" in p.text for p in document.paragraphs)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(links["plan-november-changes.xlsx"]).data)
    )
    assert {"Counts", "Changes"} <= set(workbook.sheetnames)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Ref,Action\nA1,Do things\n", "Save As"),  # FILE_NOT_XLSX, a renamed CSV
        (b"", "empty"),  # FILE_EMPTY
        (b"PK\x03\x04 not really a zip", "damaged"),  # FILE_DAMAGED
    ],
)
@pytest.mark.parametrize("role", ["previous", "current"])
def test_a_file_that_is_not_a_workbook_is_explained_at_its_field(
    make_app, quarters, content, words, role
):
    app = make_app()
    client = app.test_client()
    files = {"previous": quarters[0].read_bytes(), "current": quarters[1].read_bytes()}
    files[role] = content
    response = _send(client, files["previous"], files["current"])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    accessible(html)
    assert f'href="#{role}"' in html and f'id="{role}-error"' in html
    assert words.lower() in html.lower()
    assert not _stored(app)


def test_missing_workbooks_are_each_listed(client):
    response = _send(client, None, None)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    accessible(html)
    assert 'href="#previous"' in html and 'href="#current"' in html


def test_a_workbook_with_errors_is_listed_by_cell_and_nothing_is_compared(
    make_app, make_workbook, quarters
):
    app = make_app()
    client = app.test_client()
    bad = make_workbook("bad.xlsx", actions=[action_row(rag="Purple")])
    response = _send(
        client, quarters[0].read_bytes(), bad.read_bytes(), names={"current": "bad.xlsx"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    accessible(html)
    assert 'href="#current-problems"' in html and "bad.xlsx" in html
    problems = html.split('id="current-problems"')[1]
    assert "Actions!H2" in problems and "RAG_INVALID" in problems
    assert "What changed" not in html and not _stored(app)


def test_workbooks_of_two_frameworks_are_refused(client, make_workbook, quarters):
    wales = make_workbook("wales.xlsx", framework="eif-wales-2011", actions=[])
    response = _send(client, quarters[0].read_bytes(), wales.read_bytes())
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#current"' in html and "different frameworks" in html
    response = _api(client, quarters[0].read_bytes(), wales.read_bytes())
    assert response.status_code == 400 and response.get_json()["code"] == "FRAMEWORKS_DIFFER"


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_form_without_this_browsers_token_is_refused(make_app, quarters, token):
    app = make_app()
    client = app.test_client()
    response = _send(client, quarters[0].read_bytes(), quarters[1].read_bytes(), token=token)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The form had expired" in html and 'id="previous"' in html  # the compare form again
    assert not _stored(app)


def test_uploads_over_the_limit_get_413_and_the_compare_form_again(make_app):
    client = make_app(MAX_UPLOAD_MB=0.01).test_client()
    response = _send(client, EXAMPLE.read_bytes(), EXAMPLE.read_bytes())
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "larger than 0.01 MB" in html and 'href="#previous"' in html
    assert "Compare with the last report" in html


def test_download_names_come_from_the_current_workbooks_own_name(client, quarters):
    response = _send(
        client,
        quarters[0].read_bytes(),
        quarters[1].read_bytes(),
        names={"current": "..\\..\\nov.xlsx"},
    )
    assert sorted(downloads_in(response.get_data(as_text=True))) == [
        "nov-changes.docx",
        "nov-changes.xlsx",
    ]


# ----------------------------------------------------------------------------- the API


def _api(client, previous: bytes | None, current: bytes | None):
    return _post(client, "/api/compare", {}, _files(previous, current))


def test_api_gives_what_eqplan_compare_json_gives(client, runner, quarters):
    response = _api(client, quarters[0].read_bytes(), quarters[1].read_bytes())
    assert response.status_code == 200 and response.mimetype == "application/json"
    secure(response.headers)
    result = runner.invoke(cli, ["compare", *map(str, quarters), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert response.get_json() == json.loads(result.stdout)
    assert response.get_json()["counts"]["new"] == 1


def test_api_422_has_each_workbooks_report(client, make_workbook, quarters):
    bad = make_workbook("bad.xlsx", actions=[action_row(rag="Purple")])
    response = _api(client, bad.read_bytes(), quarters[1].read_bytes())
    assert response.status_code == 422
    body = response.get_json()
    assert "previous workbook has errors" in body["error"] and body["hint"]
    assert body["reports"]["previous"]["valid"] is False
    assert body["reports"]["current"]["valid"] is True
    (error,) = [p for p in body["reports"]["previous"]["problems"] if p["severity"] == "error"]
    assert error["code"] == "RAG_INVALID" and error["where"].startswith("Actions!H")


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"Ref,Action\nA1,Do things\n", "FILE_NOT_XLSX"), (b"", "FILE_EMPTY")],
)
def test_api_400_names_the_field_and_the_reason(client, quarters, content, code):
    response = _api(client, quarters[0].read_bytes(), content)
    assert response.status_code == 400
    body = response.get_json()
    assert (body["code"], body["field"]) == (code, "current") and body["error"] and body["hint"]


@pytest.mark.parametrize("case", UNREADABLE, ids=lambda c: c.name)
def test_every_file_the_command_line_refuses_is_refused_here(make_app, quarters, tmp_path, case):
    """The bad-input catalogue's unreadable files: on the page at their field, by the API with 400."""
    app = make_app()
    client = app.test_client()
    bad = case.make(tmp_path)
    content = bad.read_bytes() if bad.is_file() else b""
    response = _send(client, content, quarters[1].read_bytes())
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#previous"' in html and 'id="previous-error"' in html
    response = _api(client, quarters[0].read_bytes(), content)
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "current" and body["error"] and body["hint"]
    assert body["code"] == (case.expect.code if bad.is_file() else "FILE_EMPTY")
    assert not _stored(app)


def test_api_400_when_a_workbook_is_missing(client, quarters):
    response = _api(client, quarters[0].read_bytes(), None)
    assert response.status_code == 400
    assert "No current workbook was sent" in response.get_json()["error"]


def test_api_413_over_the_limit(make_app):
    client = make_app(MAX_UPLOAD_MB=0.01).test_client()
    response = _api(client, EXAMPLE.read_bytes(), EXAMPLE.read_bytes())
    assert response.status_code == 413
    assert "larger than 0.01 MB" in response.get_json()["error"]


def test_a_split_workbook_is_refused_as_either_report(client, runner, quarters, tmp_path):
    """One owner's workbook (eqplan split) compared with the plan would list every other
    action as removed or new: the page says what it is instead."""
    from pipeline.cli import cli

    sent = tmp_path / "sent"
    result = runner.invoke(cli, ["split", str(quarters[1]), "--by", "owner", "-o", str(sent)])
    assert result.exit_code == 0, result.output
    one = next(sent.glob("*.xlsx")).read_bytes()
    response = _send(client, quarters[0].read_bytes(), one)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#current"' in html and "was made by eqplan split" in html
    assert "What changed" not in html
    response = _api(client, quarters[0].read_bytes(), one)
    assert response.status_code == 400
    assert (response.get_json()["field"], response.get_json()["code"]) == (
        "current",
        "SPLIT_WORKBOOK",
    )


def test_a_previous_workbook_dated_after_the_current_is_warned_of(client, make_workbook):
    """Given the wrong way round: PREVIOUS_NOT_EARLIER on the page and in the API's JSON."""
    august = make_workbook("plan-august.xlsx", plan={"report_date": dt.date(2027, 8, 31)})
    may = make_workbook("plan-may.xlsx", plan={"report_date": dt.date(2027, 5, 31)})
    names = {"previous": "plan-august.xlsx", "current": "plan-may.xlsx"}
    response = _send(client, august.read_bytes(), may.read_bytes(), names=names)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    warning = html.split('id="previous_not_earlier"')[1].split("</p>")[0]
    assert "plan-august.xlsx, is as at 31 August 2027" in warning
    assert "plan-may.xlsx, as at 31 May 2027" in warning and "swap them" in warning

    files = {role: (names[role], data) for role, data in (("previous", august.read_bytes()),
             ("current", may.read_bytes()))}  # fmt: skip
    (problem,) = _post(client, "/api/compare", {}, files).get_json()["problems"]
    assert problem["code"] == "PREVIOUS_NOT_EARLIER"
    again = _send(client, may.read_bytes(), august.read_bytes(), names=names)  # the right way
    assert 'id="previous_not_earlier"' not in again.get_data(as_text=True)
