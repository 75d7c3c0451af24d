"""Shared pieces for the web page tests: an app with its own download folder, and uploads."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from pipeline.cli import cli
from pipeline.web import create_app
from tests.conftest import EXAMPLE
from tests.end_to_end.test_returns import BIT, DEM, HR, _edit, _master

_TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
DOWNLOAD_LINK = re.compile(r'href="(/download/[^"]+)"')


@pytest.fixture
def make_app(tmp_path: Path):
    """An app factory writing its downloads under the test's folder."""

    def make(**config: object):
        settings = {"TESTING": True, "DOWNLOAD_DIR": str(tmp_path / "downloads"), "PDF": False}
        settings.update(config)
        return create_app(settings)

    return make


@pytest.fixture
def client(make_app) -> FlaskClient:
    return make_app().test_client()


def form_token(client: FlaskClient) -> str:
    """The CSRF token the start page gives this browser."""
    match = _TOKEN_FIELD.search(client.get("/").get_data(as_text=True))
    assert match, "the start page has no CSRF token field"
    return match.group(1)


def upload(
    client: FlaskClient,
    data: bytes | None = None,
    name: str = "our-plan.xlsx",
    token: str | None = "",
    **fields: str,
):
    """POST a workbook (the example unless data is given) through the start page's form."""
    form: dict[str, object] = {
        "workbook": (io.BytesIO(EXAMPLE.read_bytes() if data is None else data), name),
        "layout": "rag",
        **fields,
    }
    if token is not None:
        form["csrf_token"] = token or form_token(client)
    return client.post("/plan", data=form, content_type="multipart/form-data")


def downloads_in(html: str) -> dict[str, str]:
    """The page's download links by file name."""
    return {link.rsplit("/", 1)[1]: link for link in DOWNLOAD_LINK.findall(html)}


class Page(HTMLParser):
    """What the accessibility checks need from a page: tags, ids, labels and link targets."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}


def accessible(html: str, lang: str = "en-GB") -> Page:
    """Check the rules every page keeps: language, one h1, a label for every field, no script."""
    page = Page(html)
    assert page.all("html")[0].get("lang") == lang
    assert len(page.all("h1")) == 1
    assert not page.all("script")
    assert "style=" not in html  # the CSP forbids inline styles; all styling is in eqplan.css
    labelled = {label["for"] for label in page.all("label")}
    for field in page.all("input") + page.all("select"):
        if field.get("type") != "hidden":
            assert field.get("id") in labelled, field
    for link in page.all("a"):
        if link.get("href", "").startswith("#"):
            assert link["href"][1:] in page.ids, link  # every summary link has its target
    return page


def secure(headers) -> None:
    """The headers every response must carry (issue 16)."""
    assert headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"


LAST_QUARTER = "BIT-from-august.xlsx"
RENAMED = "Customer-Services-Manager.xlsx"


@pytest.fixture(scope="session")
def returns_made(tmp_path_factory) -> Path:
    """A folder holding what owners_returns gives, made once per process: it splits two plans,
    seconds each, and three modules (browser, merge, Welsh pages) use the same files."""
    folder = tmp_path_factory.mktemp("owners-returns")
    _make_owners_returns(folder)
    return folder


def owners_returns(folder: Path, made: Path) -> dict[str, object]:
    """The plan, and its owners' returns edited as owners edit them (as in the round trip):
    copies of those in made (returns_made), in folder, so a test may change its own."""
    shutil.copytree(made, folder, dirs_exist_ok=True)
    back = folder / "back"
    return {
        "plan": folder / "plan.xlsx",
        "back": back,
        "returns": [back / name for name in (BIT, HR, DEM, LAST_QUARTER, RENAMED)],
    }


def _make_owners_returns(folder: Path) -> None:
    """Split the plan and its August version, and edit the returns in folder/back."""
    runner = CliRunner()
    plan = _master(folder / "plan.xlsx")
    out = folder / "send"
    assert runner.invoke(cli, ["split", str(plan), "--by", "owner", "-o", str(out)]).exit_code == 0
    old_plan = _master(folder / "plan-august.xlsx", dt.date(2026, 8, 31))
    old = folder / "send-august"
    assert (
        runner.invoke(cli, ["split", str(old_plan), "--by", "owner", "-o", str(old)]).exit_code == 0
    )
    back = folder / "back"
    back.mkdir()
    for name in (BIT, HR, DEM):
        (back / name).write_bytes((out / name).read_bytes())
    _edit(
        back / BIT,
        {
            "EB01": {"rag": "Amber"},
            "EB03": {"rag": "Green", "progress": "Map <b>done</b> & =SUM(A1)"},
        },
        add=[{"point": "1.1", "action": "Publish a ward map.", "deadline": "June 2027"}],
    )
    _edit(
        back / HR,
        {
            "EB01": {"rag": "Red"},
            "EB46": {"action": "Use diverse panels."},
            "EB47": {"rag": "Pink"},
        },
        delete=["EB49"],
    )
    (back / LAST_QUARTER).write_bytes((old / BIT).read_bytes())
    (back / RENAMED).write_text("Ref,RAG\nEB05,Red\n", encoding="utf-8")
