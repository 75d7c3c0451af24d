"""The Merge page and POST /api/merge (issue 16): the plan and the owners' returns, merged.

The returns are the end-to-end round trip's (tests/end_to_end/test_returns.py):
split by owner, edited the way owners edit them, with last quarter's return
and a CSV renamed to .xlsx among them.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import secrets
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.validate import validate_workbook
from pipeline.workbook import layout
from pipeline.workbook.returns import RECORD_FIELDS
from tests.bad_inputs.catalogue import CASES
from tests.conftest import EXAMPLE, action_row
from tests.end_to_end.test_returns import BIT, HR
from tests.test_merge_conflicts import _returns, joint_plan
from tests.web.conftest import (
    accessible,
    downloads_in,
    form_token,
    owners_returns,
    secure,
)

#: Every file the command line refuses (renamed files, encrypted, zip bombs, XML attacks …).
UNREADABLE = [case for case in CASES if case.expect.outcome == "unreadable"]


@pytest.fixture(scope="module")
def sent(returns_made, tmp_path_factory) -> dict[str, Path]:
    return owners_returns(tmp_path_factory.mktemp("web-merge"), returns_made)


def _post(client, path: str, fields: dict[str, str], files: list[tuple[str, str, bytes]]):
    """A multipart POST built in memory, a field repeated for each of its files."""
    boundary = secrets.token_hex(16)
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        )
        body.write(value.encode() + b"\r\n")
    for name, filename, content in files:
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


def _files(plan: Path | bytes | None, returns: list[Path | tuple[str, bytes]]):
    files = []
    if plan is not None:
        files.append(("plan", "plan.xlsx", plan if isinstance(plan, bytes) else plan.read_bytes()))
    for given in returns:
        name, data = given if isinstance(given, tuple) else (given.name, given.read_bytes())
        files.append(("returns", name, data))
    return files


def _send(client, plan, returns, token: str | None = ""):
    fields = {} if token is None else {"csrf_token": token or form_token(client)}
    return _post(client, "/merge", fields, _files(plan, returns))


def _api(client, plan, returns):
    return _post(client, "/api/merge", {}, _files(plan, returns))


def _stored(app) -> list:
    return list(app.extensions["eqplan_downloads"].root.iterdir())


def _table(html: str, id_: str) -> str:
    return html.split(f'id="{id_}"')[1].split("</table>")[0]


def test_start_page_links_to_the_merge_page(client):
    assert 'href="/merge"' in client.get("/").get_data(as_text=True)
    response = client.get("/merge")
    assert response.status_code == 200
    secure(response.headers)
    page = accessible(response.get_data(as_text=True))
    fields = {f["id"]: f for f in page.all("input") if f.get("type") == "file"}
    assert set(fields) == {"plan", "returns"}
    assert "multiple" in fields["returns"] and "multiple" not in fields["plan"]
    assert any(f.get("name") == "csrf_token" for f in page.all("input"))


def test_the_page_shows_the_merge_report_and_offers_the_merged_plan(make_app, sent):
    app = make_app()
    client = app.test_client()
    response = _send(client, sent["plan"], sent["returns"])
    assert response.status_code == 200
    secure(response.headers)
    html = response.get_data(as_text=True)
    page = accessible(html)
    assert "The returns are merged" in html
    assert "3 of 5 returns merged into the plan (plan.xlsx): 1 update applied, 1 conflict" in html
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#return-4"' in summary and 'href="#return-5"' in summary
    assert 'href="#return-2-problems"' in summary  # HR's Pink RAG: an error, not applied
    returns = _table(html, "returns")
    assert "RETURN_OTHER_VERSION" in returns and "FILE_NOT_XLSX" in returns
    assert "Save As" in returns and "Merged: 1 action updated" in returns
    assert "EB03" in _table(html, "updated") and "RAG, Progress update" in _table(html, "updated")
    conflicts = _table(html, "conflicts")
    assert "EB01" in conflicts and f"{BIT}: Amber" in conflicts and f"{HR}: Red" in conflicts
    assert "EB46" in _table(html, "locked-changed") and "Actions!D" in _table(
        html, "locked-changed"
    )
    assert BIT in _table(html, "new") and "EB49" in _table(html, "missing")
    problems = _table(html, "return-2-problems")
    assert "Actions!H" in problems and "RAG_INVALID" in problems and HR in problems
    assert {"returns", "updated", "conflicts", "locked-changed", "new", "missing"} <= page.ids
    assert "<b>done" not in html  # an owner's words are shown as words

    links = downloads_in(html)
    assert list(links) == ["plan-merged.xlsx"]
    merged = client.get(links["plan-merged.xlsx"])
    assert merged.status_code == 200
    plan = validate_workbook(io.BytesIO(merged.data), name="plan-merged.xlsx").plan
    by_ref = {a.ref: a for a in plan.actions}
    assert by_ref["EB03"].rag.label == "Green"
    assert by_ref["EB03"].progress == "Map <b>done</b> & =SUM(A1)"
    assert by_ref["EB01"].rag.label == validate_workbook(sent["plan"]).plan.actions[0].rag.label
    assert "Publish a ward map." in [a.action for a in plan.actions]
    assert len(plan.actions) == len(validate_workbook(sent["plan"]).plan.actions) + 1
    assert len(_stored(app)) == 1  # one folder of downloads; nothing else written


def test_api_gives_the_merged_plan_and_what_eqplan_merge_json_gives(client, sent, monkeypatch):
    response = _api(client, sent["plan"], sent["returns"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    secure(response.headers)
    assert "plan-merged.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() == ["merged.xlsx", "merge.json"]
        report = json.loads(archive.read("merge.json"))
        merged = archive.read("merged.xlsx")
    monkeypatch.chdir(sent["back"])  # the command line names files as it is given them
    args = ["merge", str(sent["plan"]), *(p.name for p in sent["returns"])]
    result = CliRunner().invoke(cli, [*args, "-o", "merged.xlsx", "--format", "json"])
    assert result.exit_code == 1, result.output  # two returns refused
    assert report == json.loads(result.stdout)
    assert [r["status"] for r in report["returns"]].count("refused") == 2
    ours = openpyxl.load_workbook(io.BytesIO(merged))["Actions"]
    theirs = openpyxl.load_workbook(sent["back"] / "merged.xlsx")["Actions"]
    assert [[c.value for c in row] for row in ours.iter_rows()] == [
        [c.value for c in row] for row in theirs.iter_rows()
    ]


def test_the_inputs_are_not_changed_and_nothing_else_is_written(make_app, sent):
    app = make_app()
    before = {p: p.read_bytes() for p in [sent["plan"], *sent["returns"]]}
    listing = sorted(p.name for p in sent["back"].iterdir())
    assert _send(app.test_client(), sent["plan"], sent["returns"]).status_code == 200
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in sent["back"].iterdir()) == listing


def test_missing_files_are_each_listed(make_app):
    app = make_app()
    client = app.test_client()
    response = _send(client, None, [])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    accessible(html)
    assert 'href="#plan"' in html and 'href="#returns"' in html and 'id="returns-error"' in html
    response = _api(client, EXAMPLE, [])
    assert response.status_code == 400
    assert "No returns sent" in response.get_json()["error"]
    assert "No plan sent" in _api(client, None, [EXAMPLE]).get_json()["error"]
    assert not _stored(app)


def test_a_plan_with_errors_is_listed_by_cell_and_nothing_is_merged(make_app, make_workbook, sent):
    app = make_app()
    client = app.test_client()
    bad = make_workbook("bad.xlsx", actions=[action_row(rag="Purple")])
    response = _send(client, bad.read_bytes(), sent["returns"][:1])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    accessible(html)
    assert 'href="#plan-problems"' in html
    problems = html.split('id="plan-problems"')[1]
    assert "Actions!H2" in problems and "RAG_INVALID" in problems
    assert "The returns are merged" not in html and not _stored(app)
    response = _api(client, bad.read_bytes(), sent["returns"][:1])
    assert response.status_code == 422
    body = response.get_json()
    assert "plan has errors" in body["error"] and body["hint"]
    assert body["report"]["valid"] is False
    (error,) = [p for p in body["report"]["problems"] if p["severity"] == "error"]
    assert error["code"] == "RAG_INVALID" and error["where"] == "Actions!H2"


def test_a_return_given_as_the_plan_is_refused_at_the_plan_field(client, sent):
    response = _send(client, sent["returns"][0].read_bytes(), sent["returns"][1:2])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="plan-error"' in html and "made by eqplan split" in html
    response = _api(client, sent["returns"][0].read_bytes(), sent["returns"][1:2])
    assert response.status_code == 400 and response.get_json()["field"] == "plan"
    assert response.get_json()["code"] == "SPLIT_WORKBOOK"  # scripts branch on the code


def test_a_return_whose_record_cannot_be_read_is_still_refused_as_the_plan(client, sent, tmp_path):
    """Split's record sheet alone says so (other_sheets.made_by_split): the record is not read
    again, so an occurrence typed as `²` (a digit to str.isdigit, not to int) is no error 500."""
    wb = openpyxl.load_workbook(sent["returns"][0])
    wb[layout.RECORD_SHEET][f"B{len(RECORD_FIELDS) + 3}"] = "²"
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    response = _api(client, changed.read_bytes(), sent["returns"][1:2])
    assert response.status_code == 400 and response.get_json()["field"] == "plan"
    assert response.get_json()["code"] == "SPLIT_WORKBOOK"


@pytest.mark.parametrize("case", UNREADABLE, ids=lambda c: c.name)
def test_every_file_the_command_line_refuses(make_app, sent, tmp_path, case):
    """The bad-input catalogue: as the plan, 400 at its field; as a return, refused in the report."""
    app = make_app()
    client = app.test_client()
    bad = case.make(tmp_path)
    content = bad.read_bytes() if bad.is_file() else b""
    code = case.expect.code if bad.is_file() else "FILE_EMPTY"
    response = _send(client, content, sent["returns"][:1])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#plan"' in html and 'id="plan-error"' in html
    response = _api(client, content, sent["returns"][:1])
    assert response.status_code == 400
    body = response.get_json()
    assert (body["field"], body["code"]) == ("plan", code) and body["error"] and body["hint"]
    assert not _stored(app)
    response = _api(client, sent["plan"], [sent["returns"][0], ("bad.xlsx", content)])
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        report = json.loads(archive.read("merge.json"))
    assert report["refused"] == [
        {"file": "bad.xlsx", "reason": report["refused"][0]["reason"], "code": code}
    ]
    assert "bad.xlsx" in report["refused"][0]["reason"]
    assert str(tmp_path) not in json.dumps(report)  # no server folder in any message


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_form_without_this_browsers_token_is_refused(make_app, sent, token):
    app = make_app()
    response = _send(app.test_client(), sent["plan"], sent["returns"][:1], token=token)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The form had expired" in html and 'id="returns"' in html  # the merge form again
    assert not _stored(app)


def test_uploads_over_the_limit_get_413_and_the_merge_form_again(make_app):
    client = make_app(MAX_UPLOAD_MB=0.01).test_client()
    response = _send(client, EXAMPLE, [EXAMPLE])
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "larger than 0.01 MB" in html and 'href="#plan"' in html
    assert "Merge the owners" in html
    response = _api(client, EXAMPLE, [EXAMPLE])
    assert response.status_code == 413
    assert "larger than 0.01 MB" in response.get_json()["error"]


def test_the_download_is_named_after_the_plans_own_name(client, sent):
    files = _files(sent["plan"], sent["returns"][:1])
    files[0] = ("plan", "..\\..\\our plan.xlsx", files[0][2])
    html = _post(client, "/merge", {"csrf_token": form_token(client)}, files).get_data(as_text=True)
    assert list(downloads_in(html)) == ["our-plan-merged.xlsx"]


def test_two_files_of_one_name_are_told_apart_and_one_file_twice_merged_once(client, sent):
    bit, hr = sent["returns"][0].read_bytes(), sent["returns"][1].read_bytes()
    response = _api(client, sent["plan"], [("r.xlsx", bit), ("r.xlsx", hr), ("r.xlsx", bit)])
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        report = json.loads(archive.read("merge.json"))
    assert [(r["file"], r["status"]) for r in report["returns"]] == [
        ("r.xlsx", "merged"),
        ("r-2.xlsx", "merged"),
        ("r.xlsx", "skipped"),
    ]
    assert "given twice" in report["returns"][2]["reason"]


def test_the_page_says_what_a_return_in_conflict_did_not_apply(make_app, tmp_path):
    """EB60's joint owners disagree: HR's Status is listed as not applied, with the plan's
    value, and the page says where their updates are kept."""
    client = make_app().test_client()
    joint = joint_plan(tmp_path)
    html = _send(client, joint["plan"], _returns(joint, tmp_path)).get_data(as_text=True)
    conflicts = _table(html, "conflicts")
    row = next(r for r in conflicts.split("<tr>") if "<td>Status</td>" in r)
    assert "EB60" in row and "plan.xlsx: (empty)" in row
    assert "(not applied, as the return is in conflict over EB60)" in row
    assert "Progress log, marked Not applied" in html


def test_the_page_lists_whom_to_chase_and_a_return_dated_by_the_merge(make_app, sent, tmp_path):
    """The owners with no return in this merge (the CSV renamed to .xlsx is no return), and a
    return with no save date (from Google Sheets) whose updates the merge's day dated."""
    from tests.test_merge_chase import _undated

    undated = tmp_path / BIT
    undated.write_bytes(sent["returns"][0].read_bytes())
    _undated(undated)
    client = make_app().test_client()
    html = _send(client, sent["plan"], [undated, *sent["returns"][1:]]).get_data(as_text=True)
    page = accessible(html)
    assert "not-returned" in page.ids
    chase = _table(html, "not-returned")
    assert "No return given in this merge from these owners" in chase
    assert "<td>Customer Services Manager</td><td>3</td>" in chase
    assert "<td>Procurement and Commissioning</td><td>3</td>" in chase
    assert "Human Resources and OD" not in chase and "Business Intelligence" not in chase
    returns = _table(html, "returns")
    row = returns.split('id="return-1"')[1].split("</tr>")[0]
    assert "Its save date is not recorded" in row and "correct those dates" in row
    assert "Its save date is not recorded" not in returns.split('id="return-2"')[1]
    response = _api(client, sent["plan"], [undated, *sent["returns"][1:]])
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        report = json.loads(archive.read("merge.json"))
    assert report["returns"][0]["saved_on"] is None and report["returns"][0]["dated_today"]
    assert {e["group"] for e in report["not_returned"]} >= {"Customer Services Manager"}


def test_the_page_names_a_returns_own_columns_not_taken(make_app, tmp_path):
    """As `eqplan merge` says it, beside the return: what its own columns hold, cell by cell."""
    from tests.test_merge_returns_read import _with_own_columns

    folder = tmp_path / "sent"
    split = CliRunner().invoke(cli, ["split", str(EXAMPLE), "--by", "owner", "-o", str(folder)])
    assert split.exit_code == 0, split.output
    returned = _with_own_columns(folder, tmp_path)
    html = _send(make_app().test_client(), EXAMPLE, [returned]).get_data(as_text=True)
    row = _table(html, "returns").split('id="return-1"')[1].split("</tr>")[0]
    assert "Columns of its own (not eqplan" in row and "by hand." in row
    assert "(Actions!S1): 2 cells with something in: S2 (EB46), S3 (EB47)</li>" in row
    assert "<li>A column with no heading (Actions!T1): 1 cell with something in: T20</li>" in row


def test_the_page_names_a_returns_own_sheets_not_taken(make_app, tmp_path):
    """As `eqplan merge` says it, beside the return: each sheet of its own, with its cells,
    and a hidden one said to be hidden, with how to show it."""
    from tests.test_merge_returns_read import _with_own_sheet

    folder = tmp_path / "sent"
    split = CliRunner().invoke(cli, ["split", str(EXAMPLE), "--by", "owner", "-o", str(folder)])
    assert split.exit_code == 0, split.output
    returned = _with_own_sheet(folder, tmp_path)
    wb = openpyxl.load_workbook(returned)
    hidden = wb.create_sheet("Old notes")
    hidden["B2"], hidden.sheet_state = "Kept from 2024", "hidden"
    wb.save(returned)
    other = folder / "Democratic-Services.xlsx"
    html = _send(make_app().test_client(), EXAMPLE, [returned, other]).get_data(as_text=True)
    returns = _table(html, "returns")
    row = returns.split('id="return-1"')[1].split("</tr>")[0]
    assert "Sheets of its own (not eqplan" in row and "by hand." in row
    assert "<li>&#39;Evidence&#39;: 3 cells with something in</li>" in row
    assert (
        "<li>&#39;Old notes&#39; (hidden: to see it in Excel, right-click a sheet tab &gt; "
        "Unhide): 1 cell with something in</li>"
    ) in row
    assert "Sheets of its own" not in returns.split('id="return-2"')[1]


def test_the_page_lists_actions_not_sent_in_that_workbook_as_the_command_line_does(
    make_app, tmp_path, monkeypatch
):
    """Another owner's action pasted into a return is not applied: `eqplan merge` lists it
    under "Actions not sent in that workbook", and the page used to say nothing of it."""
    from tests.bad_inputs.hostile_returns import _row_copied_from_another_owners_return

    monkeypatch.chdir(tmp_path)  # the command's arguments name the files in the folder
    said = CliRunner().invoke(cli, _row_copied_from_another_owners_return(tmp_path)).output
    said = said.splitlines()
    plan, returned = tmp_path / "plan.xlsx", tmp_path / "return.xlsx"
    html = _send(make_app().test_client(), plan, [returned]).get_data(as_text=True)
    title = next(line for line in said if line.startswith("Actions not sent in that workbook"))
    line = said[said.index(title) + 1].strip()
    assert line.startswith("A1: return.xlsx Actions!A3 holds an action that was not sent")
    assert "not-sent" in accessible(html).ids
    page = html_lib.unescape(html)
    assert title.rsplit(" (", 1)[0] in page  # the CLI's title, less its count
    listed = page.split('id="not-sent"')[1].split("</ul>")[0]
    assert f"<li>{line}</li>" in listed


def test_the_page_has_no_not_sent_list_when_every_action_was_sent(client, sent):
    html = _send(client, sent["plan"], sent["returns"][:1]).get_data(as_text=True)
    assert 'id="not-sent"' not in html and "Actions not sent in that workbook" not in html
    assert 'id="own-not-copied"' not in html  # nor of the plan's own cells, with none


def test_the_page_lists_rows_held_back_as_the_command_line_does(make_app, tmp_path):
    """A row whose Ref names one action and whose words another is held back, not guessed:
    the page lists it as `eqplan merge` does."""
    folder = tmp_path / "sent"
    split = CliRunner().invoke(cli, ["split", str(EXAMPLE), "--by", "owner", "-o", str(folder)])
    assert split.exit_code == 0, split.output
    returned = tmp_path / "Human-Resources-and-OD.xlsx"
    wb = openpyxl.load_workbook(folder / returned.name)
    ws = wb["Actions"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for column in (2, 4):  # EB46's row given EB47's point and action text, EB47's row gone
        ws.cell(row=rows["EB46"], column=column).value = ws.cell(
            row=rows["EB47"], column=column
        ).value
    ws.delete_rows(rows["EB47"])
    wb.save(returned)
    html = _send(make_app().test_client(), EXAMPLE, [returned]).get_data(as_text=True)
    assert "held-back" in accessible(html).ids
    listed = html_lib.unescape(html).split('id="held-back"')[1].split("</ul>")[0]
    assert "its Ref is EB46, but its point and action text are EB47's</li>" in listed


def test_the_page_names_the_plans_own_cells_the_merged_plan_has_no_place_for(
    client, sent, tmp_path
):
    """As `eqplan merge` now says it: a title typed above the plan's Actions headings."""
    titled = tmp_path / "titled.xlsx"
    wb = openpyxl.load_workbook(sent["plan"])
    wb["Actions"].insert_rows(1)
    wb["Actions"]["A1"] = "Our equality actions, autumn review"
    wb.save(titled)
    html = _send(client, titled, sent["returns"][:1]).get_data(as_text=True)
    assert "own-not-copied" in accessible(html).ids
    listed = html_lib.unescape(html).split('id="own-not-copied"')[1].split("</ul>")[0]
    assert "<li>Actions: 1 cell above its headings (row 1), such as a title:" in listed


def test_the_page_says_a_return_merged_before_was_skipped(client, sent):
    """A late return arrives and the officer sends every return again with the merged plan:
    the one already in it is skipped as merged before, not applied a second time."""
    bit = sent["returns"][0].read_bytes()
    response = _api(client, sent["plan"], [(BIT, bit)])
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        merged = archive.read("merged.xlsx")
    html = _send(client, merged, [(f"Copy of {BIT}", bit)]).get_data(as_text=True)
    row = _table(html, "returns").split("<tbody>")[1]  # the one return, its name made safe
    assert f"Copy-of-{BIT}" in row and "Skipped: merged before" in row
    assert f"(as {BIT}), so nothing from it is applied again" in row
    assert "Business Intelligence Team" not in _table(html, "not-returned")  # it did return
    again = _api(client, merged, [(BIT, bit)])
    with zipfile.ZipFile(io.BytesIO(again.data)) as archive:
        report = json.loads(archive.read("merge.json"))
    (only,) = report["returns"]
    assert only["status"] == "skipped" and only["merged_before"]["file"] == BIT


def test_the_page_says_when_the_plans_merge_record_was_not_used(client, sent):
    """A merged plan whose hidden record was changed by hand: the record is not trusted, so
    nothing is skipped on its word, and the page says so above the returns, as the command
    line does."""
    bit = sent["returns"][0].read_bytes()
    response = _api(client, sent["plan"], [(BIT, bit)])
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        merged = openpyxl.load_workbook(io.BytesIO(archive.read("merged.xlsx")))
    merged[layout.MERGED_SHEET].cell(1, 2).value = "0" * 64  # the checksum typed over
    damaged = io.BytesIO()
    merged.save(damaged)
    html = _send(client, damaged.getvalue(), [(BIT, bit)]).get_data(as_text=True)
    said = html.split('id="record-not-used"')[1].split("</p>")[0]
    assert "hidden record of the returns merged into it has been changed or damaged" in said
    row = _table(html, "returns").split("<tbody>")[1]
    assert "Skipped" not in row and "Merged" in row  # compared with what was sent, as before
    clean = _send(client, sent["plan"], [(BIT, bit)]).get_data(as_text=True)
    assert 'id="record-not-used"' not in clean


def test_the_page_asks_the_sections_lead_about_rows_held_back_from_a_section_return(
    make_app, tmp_path
):
    """Returns split by section went to each section's lead: the page's list of rows held
    back asks the lead, not an owner, which action each row is (as `eqplan merge` does)."""
    folder = tmp_path / "sent"
    split = CliRunner().invoke(cli, ["split", str(EXAMPLE), "--by", "section", "-o", str(folder)])
    assert split.exit_code == 0, split.output
    first = sorted(folder.iterdir())[0]
    returned = tmp_path / first.name
    wb = openpyxl.load_workbook(first)
    ws = wb["Actions"]
    for column in (2, 4):  # the first action's row given the second's point and action text
        ws.cell(row=2, column=column).value = ws.cell(row=3, column=column).value
    ws.delete_rows(3)
    wb.save(returned)
    html = _send(make_app().test_client(), EXAMPLE, [returned]).get_data(as_text=True)
    shown = html_lib.unescape(html).split("Rows whose Ref and words disagree")[1]
    title = shown.split('id="held-back"')[0]
    assert "Ask the section's lead which action each row is" in title
    assert "Ask the owner" not in title
    assert "its Ref is EB01, but its point and action text are EB02's" in shown
