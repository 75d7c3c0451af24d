"""Run the web app on waitress (pure Python, several uploads at once): what `eqplan serve` calls."""

from __future__ import annotations

import ipaddress
import signal
import sys

from pipeline.web.app import create_app, downloads
from pipeline.web.busy import THREADS


def is_loopback(host: str) -> bool:
    """True when only this computer can reach host (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str:
    """The warning printed when the page is reachable from other computers, else ''."""
    if is_loopback(host):
        return ""
    return (
        f"Warning: eqplan is listening on {host}, so other computers can reach this page. "
        "It has no sign-in of its own: the council must put it behind its own sign-in "
        "(for example a reverse proxy with single sign-on, and HTTPS) before anyone else uses it."
    )


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(host: str, port: int, max_upload_mb: float) -> None:
    """Serve the app until stopped (Ctrl+C)."""
    import waitress

    app = create_app({"MAX_UPLOAD_MB": max_upload_mb})
    # Stopped by a service manager (SIGTERM) as by Ctrl+C: exit normally, so the download
    # folder is removed (create_app registers that at exit).
    signal.signal(signal.SIGTERM, _stop)
    downloads(app).start_sweeper()
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    httpd = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=THREADS,
        # waitress refuses bodies far over the limit itself; Flask answers the rest with 413.
        max_request_body_size=app.config["MAX_CONTENT_LENGTH"] * 2 + 1024 * 1024,
        ident="eqplan",
        # Keep reading a connection whose request waits for a thread, so a client that gave up
        # (closed its browser, a script's timeout) is noticed and its build never started: each
        # request left behind used to be built in turn, keeping the page from everyone else.
        channel_request_lookahead=1,
    )
    shown = f"[{host}]" if ":" in host else host
    try:
        # The port actually opened (--port 0 picks a free one, as the tests do).
        print(
            f"eqplan is ready at http://{shown}:{httpd.effective_port}/ (press Ctrl+C to stop).",
            file=sys.stderr,
            flush=True,
        )
        httpd.run()  # returns on Ctrl+C or SIGTERM, after waitress stops its threads
    except KeyboardInterrupt:
        pass
    finally:
        httpd.close()
        print("eqplan has stopped.", file=sys.stderr)
