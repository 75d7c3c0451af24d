"""Shared pieces for the web page tests: an app with its own download folder, and uploads."""

from __future__ import annotations

import io
import re
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
