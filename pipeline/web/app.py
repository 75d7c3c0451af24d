"""The Flask app: configuration, security headers, size limit and error pages.

create_app(config) is the one way to make it (tests pass their own config;
`eqplan serve` passes the command's options). Pages are in views.py, the
API for scripts in api.py.
"""

from __future__ import annotations

import atexit
import io
import logging
import secrets
import shutil
import tempfile
import traceback
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from pipeline.web import busy
from pipeline.web.downloads import DownloadStore

#: What every response carries: no script at all, no framing, no referrer, no sniffing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DEFAULT_MAX_UPLOAD_MB = 20.0
DEFAULT_DOWNLOAD_MINUTES = 15.0
#: The web page stops LibreOffice sooner than the command line does (300 s): someone is waiting.
DEFAULT_PDF_TIMEOUT = 120.0

_log = logging.getLogger("eqplan.web")


class _InMemoryRequest(Request):
    """Uploads are held in memory (at most MAX_CONTENT_LENGTH), never spooled to a named file."""

    def _get_file_stream(self, *args: Any, **kwargs: Any) -> io.BytesIO:
        return io.BytesIO()


class _App(Flask):
    request_class = _InMemoryRequest

    def log_exception(self, exc_info: Any) -> None:
        """Log where a failure happened but not its message, which may quote the workbook."""
        kind, _value, tb = exc_info
        frames = traceback.extract_tb(tb)[-4:] if tb else []
        where = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in frames)
        _log.error("%s %s failed with %s\n%s", request.method, request.path, kind.__name__, where)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The eqplan web app. config may set MAX_UPLOAD_MB, DOWNLOAD_DIR, DOWNLOAD_MINUTES,
    PDF (False to never offer PDFs), PDF_TIMEOUT, SECRET_KEY, DOCUMENT_SLOTS and
    BUSY_WAIT_SECONDS (busy.py) and any Flask setting.
    """
    app = _App(__name__)
    app.config.update(
        MAX_UPLOAD_MB=DEFAULT_MAX_UPLOAD_MB,
        DOWNLOAD_MINUTES=DEFAULT_DOWNLOAD_MINUTES,
        PDF_TIMEOUT=DEFAULT_PDF_TIMEOUT,
        PDF=True,
        DOCUMENT_SLOTS=busy.DOCUMENT_SLOTS,
        BUSY_WAIT_SECONDS=busy.BUSY_WAIT_SECONDS,
        SECRET_KEY=secrets.token_bytes(32),  # forms from before a restart are refused
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="eqplan_session",
    )
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    app.config["MAX_FORM_MEMORY_SIZE"] = 100_000  # the form's other fields are a few words
    root = app.config.get("DOWNLOAD_DIR")
    if not root:  # a private folder (mode 700), removed when the server stops
        root = tempfile.mkdtemp(prefix="eqplan-web-")
        atexit.register(shutil.rmtree, root, ignore_errors=True)
    app.extensions["eqplan_downloads"] = DownloadStore(
        Path(root), app.config["DOWNLOAD_MINUTES"] * 60
    )

    from pipeline.web import api, compare_page, language, merge_page, views

    language.install(app)
    busy.install(app)

    app.register_blueprint(views.pages)
    app.register_blueprint(compare_page.compare_pages)
    app.register_blueprint(merge_page.merge_pages)
    app.register_blueprint(api.api)

    @app.context_processor
    def _minutes() -> dict[str, float]:
        return {"minutes": app.config["DOWNLOAD_MINUTES"]}

    @app.before_request
    def _sweep() -> None:
        downloads(app).sweep()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        if request.endpoint != "static":  # reports and documents are never kept by a browser cache
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        answer = make_response(
            api.error_response(error)
            if request.path.startswith("/api/")
            else views.error_page(error)
        )
        if answer.status_code == 503:
            answer.headers["Retry-After"] = str(busy.RETRY_AFTER_SECONDS)
        return answer

    return app


def downloads(app: Flask) -> DownloadStore:
    """The app's store of documents waiting to be downloaded."""
    return app.extensions["eqplan_downloads"]


def page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """A rendered page and its status."""
    return render_template(template, **context), status
