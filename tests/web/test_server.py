"""A real waitress server on 127.0.0.1 takes several uploads at once (issue 16), and `eqplan serve`."""

from __future__ import annotations

import contextlib
import io
import os
import re
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
from pathlib import Path

import pytest
import waitress
from waitress import wasyncore

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


class _Server:
    """`eqplan serve` in its own process on an ephemeral port, its temporary folder in tmp.

    Its output goes to a log file (never an unread pipe, which could fill and stall it),
    so a test that fails can show what the server said.
    """

    def __init__(self, tmp: Path, log: Path) -> None:
        self.tmp = tmp
        self.log_path = log
        self._log = log.open("w")
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--port", "0"],
            cwd=ROOT,
            env=env,
            stderr=self._log,
            text=True,
        )
        self.port = self._port_when_ready()

    def _port_when_ready(self, seconds: float = 60) -> int:
        """The port, from the line the server prints once its socket is open."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", self.log_path.read_text())
            if match:
                return int(match.group(1))
            time.sleep(0.05)
        raise AssertionError(f"eqplan serve did not start:\n{self.said()}")

    def said(self, last: int = 4000) -> str:
        """The end of what the server has printed (its log)."""
        return self.log_path.read_text()[-last:]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; killed if it does not stop within 20 s."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            return self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            self._log.close()


@pytest.fixture
def served(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    server_ = _Server(tmp, tmp_path / "server.log")
    yield server_
    server_.stop()


def test_concurrent_uploads_to_a_real_server(served):
    """Four officers upload at once; each gets their own documents, named after their file."""
    workbook = EXAMPLE.read_bytes()

    def post(number: int) -> tuple[int, list[str]]:
        body, kind = _multipart({"layout": "rag"}, {"workbook": (f"plan-{number}.xlsx", workbook)})
        request = urllib.request.Request(
            served.url("/api/build"), data=body, headers={"Content-Type": kind}
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as exc:  # say what the server answered and logged
            answer = exc.read().decode("utf-8", "replace")[:2000]
            raise AssertionError(
                f"upload {number}: HTTP {exc.code}: {answer}\nserver log:\n{served.said()}"
            ) from None
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return status, sorted(archive.namelist())

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(post, range(4)))
    elapsed = time.monotonic() - started
    for number, (status, names) in enumerate(results):
        assert status == 200
        assert f"plan-{number}.docx" in names and f"plan-{number}-summary.xlsx" in names
    assert elapsed < 120
    with urllib.request.urlopen(served.url("/"), timeout=10) as response:
        assert response.headers["X-Frame-Options"] == "DENY"


def test_serve_stops_on_sigterm_and_removes_its_download_folder(served):
    """A service manager stops the server with SIGTERM: it exits 0 and leaves no documents."""
    assert [p.name[:11] for p in served.tmp.iterdir()] == ["eqplan-web-"]
    assert served.stop() == 0
    assert not list(served.tmp.iterdir())


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

    class FakeServer:
        effective_port = 8123

        def run(self) -> None:
            seen["ran"] = True

        def close(self) -> None:
            seen["closed"] = True

    def fake_create_server(app, **options):
        seen.update(options, max_upload=app.config["MAX_CONTENT_LENGTH"])
        return FakeServer()

    monkeypatch.setattr(waitress, "create_server", fake_create_server)
    monkeypatch.setattr(DownloadStore, "start_sweeper", lambda self: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # leave pytest's handlers alone
    result = runner.invoke(
        cli, ["serve", "--host", "0.0.0.0", "--port", "8123", "--max-upload-mb", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "Warning: eqplan is listening on 0.0.0.0" in result.output
    assert "http://0.0.0.0:8123/" in result.output
    assert (seen["host"], seen["port"], seen["ran"], seen["closed"]) == (
        "0.0.0.0",
        8123,
        True,
        True,
    )
    assert seen["max_upload"] == 5 * 1024 * 1024


def _served_options(runner, monkeypatch) -> dict:
    """The waitress options `eqplan serve` gives, without starting it."""
    seen: dict = {}

    class FakeServer:
        effective_port = 8123

        def run(self) -> None: ...

        def close(self) -> None: ...

    monkeypatch.setattr(waitress, "create_server", lambda app, **o: seen.update(o) or FakeServer())
    monkeypatch.setattr(DownloadStore, "start_sweeper", lambda self: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    assert runner.invoke(cli, ["serve", "--port", "8123"]).exit_code == 0
    monkeypatch.undo()
    return seen


def _ask(port: int, path: str) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: eqplan\r\n\r\n".encode())
    return connection


def test_a_request_whose_client_gave_up_while_waiting_for_a_thread_is_never_run(
    runner, monkeypatch
):
    """Every thread busy (four slow builds), three more uploads whose clients give up: they
    were built anyway, one after another, keeping the page from everyone for minutes (an
    attacker's review: eight abandoned 10,000-action uploads held it for almost 4 minutes)."""
    options = _served_options(runner, monkeypatch)
    release, started = threading.Event(), []

    def slow_app(environ, start_response):
        started.append(environ["PATH_INFO"])
        if environ["PATH_INFO"].startswith("/busy"):
            release.wait(30)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"]

    real = waitress.create_server(slow_app, **{**options, "host": "127.0.0.1", "port": 0})

    def run() -> None:
        with contextlib.suppress(OSError):  # its sockets closed under it, at the end
            real.run()

    runs = threading.Thread(target=run, daemon=True)
    runs.start()
    try:
        busy = [_ask(real.effective_port, f"/busy-{n}") for n in range(server.THREADS)]
        deadline = time.monotonic() + 20
        while len(started) < server.THREADS and time.monotonic() < deadline:
            time.sleep(0.05)
        gone = [_ask(real.effective_port, f"/gone-{n}") for n in range(3)]
        time.sleep(0.3)
        for connection in gone:
            connection.close()
        time.sleep(0.5)
        release.set()
        for connection in busy:
            assert connection.recv(100).startswith(b"HTTP/1.1 200")
            connection.close()
        later = _ask(real.effective_port, "/later")
        assert later.recv(100).startswith(b"HTTP/1.1 200")
        later.close()
    finally:
        release.set()
        real.task_dispatcher.shutdown()
        wasyncore.close_all(real._map)  # the listening socket and every connection: run() ends
        runs.join(timeout=10)
    assert [path for path in started if not path.startswith("/busy")] == ["/later"]


def test_importing_the_command_line_does_not_load_flask():
    """Only `eqplan serve` imports the web package, so every other command starts fast."""
    code = "import sys, pipeline.cli; print(sorted(m for m in ('flask', 'waitress', 'werkzeug', 'pipeline.web') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


OURS = (
    "id: our-objectives\ntitle: Our objectives\nmodules:\n"
    "  - ref: 'A'\n    title: People\n    themes:\n      - {ref: 'A1', title: Fair pay}\n"
)


def _quiet_server(monkeypatch) -> None:
    """serve as far as starting waitress, which is not started."""

    class FakeServer:
        effective_port = 8123

        def run(self) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(waitress, "create_server", lambda app, **options: FakeServer())
    monkeypatch.setattr(DownloadStore, "start_sweeper", lambda self: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)


def test_serve_takes_a_councils_framework_and_the_page_reads_workbooks_naming_it(
    runner, monkeypatch, tmp_path, make_app
):
    """The FRAMEWORK_UNKNOWN hint says to give the framework with --framework: the web page
    had no way to (a tester's council could not use it at all)."""
    from pipeline import frameworks
    from tests.conftest import action_row, write_plan_workbook
    from tests.web.conftest import upload

    monkeypatch.setattr(frameworks, "_OFFERED", {})  # this process's offers end with the test
    ours = tmp_path / "our objectives.yaml"
    ours.write_text(OURS, encoding="utf-8")
    plan = write_plan_workbook(
        tmp_path / "plan.xlsx",
        actions=[action_row(point="A1")],
        plan={"framework_id": "our-objectives"},
    )
    client = make_app().test_client()
    before = upload(client, plan.read_bytes()).get_data(as_text=True)
    assert "FRAMEWORK_UNKNOWN" in before
    _quiet_server(monkeypatch)
    result = runner.invoke(cli, ["serve", "--port", "8123", "--framework", str(ours)])
    assert result.exit_code == 0, result.output
    assert "our-objectives" in frameworks.available()
    after = upload(client, plan.read_bytes()).get_data(as_text=True)
    assert "FRAMEWORK_UNKNOWN" not in after and "plan.docx" in after
    assert "Our objectives" in client.get("/").get_data(as_text=True)  # its blank template


def test_serve_refuses_a_broken_framework_file_before_it_starts(runner, monkeypatch, tmp_path):
    broken = tmp_path / "ours.yaml"
    broken.write_text("id: ours\nmodules: [\n", encoding="utf-8")
    _quiet_server(monkeypatch)
    result = runner.invoke(cli, ["serve", "--framework", str(broken)])
    assert result.exit_code == 2, result.output
    assert "ours.yaml" in result.output and "Traceback" not in result.output
