"""A real waitress server on 127.0.0.1 takes several uploads at once (issue 16), and `eqplan serve`."""

from __future__ import annotations

import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
import waitress

from pipeline.cli import cli
from pipeline.web import server
from pipeline.web.downloads import DownloadStore
from tests.conftest import EXAMPLE, ROOT


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_concurrent_uploads_to_a_real_server(make_app):
    """Four officers upload at once; each gets their own documents, named after their file."""
    app = make_app(TESTING=False)
    httpd = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    port = httpd.effective_port
    runner = threading.Thread(target=httpd.run, daemon=True)
    runner.start()
    workbook = EXAMPLE.read_bytes()

    def post(number: int) -> tuple[int, list[str]]:
        body, kind = _multipart({"layout": "rag"}, {"workbook": (f"plan-{number}.xlsx", workbook)})
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/build", data=body, headers={"Content-Type": kind}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            status, content = response.status, response.read()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return status, sorted(archive.namelist())

    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(post, range(4)))
        elapsed = time.monotonic() - started
        for number, (status, names) in enumerate(results):
            assert status == 200
            assert f"plan-{number}.docx" in names and f"plan-{number}-summary.xlsx" in names
        assert elapsed < 120
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.headers["X-Frame-Options"] == "DENY"
    finally:
        httpd.close()
        runner.join(timeout=10)
    assert not runner.is_alive()


@pytest.mark.parametrize(
    ("host", "exposed"),
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("127.0.0.2", False),
     ("0.0.0.0", True), ("::", True), ("192.168.1.20", True), ("eqplan.council.local", True)],
)  # fmt: skip
def test_binding_beyond_this_computer_warns_about_sign_in(host, exposed):
    warning = server.exposure_warning(host)
    assert bool(warning) is exposed
    if exposed:
        assert "sign-in" in warning and host in warning


def test_serve_command_passes_its_options_and_warns(runner, monkeypatch):
    seen = {}

    def fake_serve(app, **options):
        seen.update(options, max_upload=app.config["MAX_CONTENT_LENGTH"])

    monkeypatch.setattr(waitress, "serve", fake_serve)
    monkeypatch.setattr(DownloadStore, "start_sweeper", lambda self: None)
    result = runner.invoke(
        cli, ["serve", "--host", "0.0.0.0", "--port", "8123", "--max-upload-mb", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "Warning: eqplan is listening on 0.0.0.0" in result.output
    assert (seen["host"], seen["port"]) == ("0.0.0.0", 8123)
    assert seen["max_upload"] == 5 * 1024 * 1024


def test_importing_the_command_line_does_not_load_flask():
    """Only `eqplan serve` imports the web package, so every other command starts fast."""
    code = "import sys, pipeline.cli; print(sorted(m for m in ('flask', 'waitress', 'werkzeug', 'pipeline.web') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_serve_stops_on_sigterm_and_removes_its_download_folder(tmp_path):
    """A service manager stops the server with SIGTERM: it exits 0 and leaves no documents."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "eqplan is ready" in process.stderr.readline()
        for _ in range(50):  # the socket opens just after the message
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        assert [p.name[:11] for p in tmp_path.iterdir()] == ["eqplan-web-"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        process.stderr.close()
    assert not list(tmp_path.iterdir())
