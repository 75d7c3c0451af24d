"""Shared pieces for the web page tests: an app with its own download folder, and uploads."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from pipeline.web import create_app
from tests.conftest import EXAMPLE

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


def accessible(html: str) -> Page:
    """Check the rules every page keeps: language, one h1, a label for every field, no script."""
    page = Page(html)
    assert page.all("html")[0].get("lang") == "en-GB"
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
