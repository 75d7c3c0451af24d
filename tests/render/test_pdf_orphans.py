"""LibreOffice ends when `eqplan build --pdf` is stopped while it converts (render/pdf.py).

The fake `soffice` has the shape of Debian's: the command eqplan starts (there a script
that execs oosplash) starts a child of its own (soffice.bin), and both would run for ever.
Each check stops eqplan while they run and waits for both to go: after SIGKILL (Linux: the
kernel's death signal), SIGTERM (a service manager stopping it) and SIGINT (Ctrl+C). After
the last two, which eqplan can act on, LibreOffice's work folder is removed too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bad_inputs.hostile_outputs import fake_soffice
from tests.conftest import ROOT, write_plan_workbook
from tests.render.test_isolation_orphans import GRACE_SECONDS, _running

#: How long the build may take to reach LibreOffice on a busy machine.
START_SECONDS = 120.0
#: Writes its own and its child's process ids, then waits for the child, which never ends.
_SLOW_SOFFICE = 'sleep 600 & echo $! > "{pids}/soffice.bin"; echo $$ > "{pids}/soffice"; wait\n'


def _as_from_a_terminal(ignoring_sigterm: bool) -> Callable[[], None]:
    """Signals set up in the build as a terminal gives them: SIGINT at its default, since a
    test process that ignores SIGINT (as one CI run's did) passes that on, and Python then
    never raises KeyboardInterrupt, so the SIGINT case would wait for ever; SIGTERM ignored
    when asked."""

    def set_up() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if ignoring_sigterm:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)

    return set_up


def _pids_when_started(pids: Path, build: subprocess.Popen) -> list[int]:
    """The fake LibreOffice's process ids, once both are written (the build is then converting)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and build.poll() is None:
        written = [pids / "soffice.bin", pids / "soffice"]
        if all(path.is_file() and path.read_text().endswith("\n") for path in written):
            return [int(path.read_text()) for path in written]
        time.sleep(0.05)
    raise AssertionError(f"the build never started LibreOffice: {build.communicate()[0]}")


@pytest.mark.parametrize(
    ("stop", "ignoring_sigterm"),
    [
        (signal.SIGKILL, False),
        (signal.SIGTERM, False),
        (signal.SIGINT, False),
        # Started by a parent that ignores SIGTERM (some service managers): the ignored one would be
        # passed on to the shell LibreOffice runs under, which could then not act on it.
        (signal.SIGKILL, True),
    ],
    ids=["SIGKILL", "SIGTERM", "SIGINT", "SIGKILL-started-ignoring-SIGTERM"],
)
def test_no_libreoffice_outlives_a_stopped_build(tmp_path, stop, ignoring_sigterm):
    if stop == signal.SIGKILL and not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    pids, scratch = tmp_path / "pids", tmp_path / "tmp"
    pids.mkdir()
    scratch.mkdir()
    bin_dir = fake_soffice(tmp_path, _SLOW_SOFFICE.format(pids=pids))
    write_plan_workbook(tmp_path / "plan.xlsx")
    build = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "plan.xlsx", "-o", "out", "--pdf"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT),
            "TMPDIR": str(scratch),  # where LibreOffice's work folder goes
        },
        preexec_fn=_as_from_a_terminal(ignoring_sigterm),
    )
    started: list[int] = []
    try:
        started = _pids_when_started(pids, build)
        build.send_signal(stop)
        output = build.communicate(timeout=60)[0]
        deadline = time.monotonic() + GRACE_SECONDS
        while any(map(_running, started)) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in started if _running(pid)]
        assert not left, f"LibreOffice outlived eqplan ({stop.name}) by {GRACE_SECONDS} s"
        if stop != signal.SIGKILL:
            assert not list(scratch.glob("eqplan-lo-*")), "LibreOffice's work folder was left"
        if stop == signal.SIGTERM:  # as if the signal had ended it, once it has tidied up
            assert build.returncode == 128 + signal.SIGTERM
        if stop == signal.SIGINT:  # Ctrl+C: click's "Aborted!"
            assert build.returncode == 1 and "Aborted!" in output
    finally:
        if build.poll() is None:
            build.kill()
            build.communicate()
        for pid in started:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
