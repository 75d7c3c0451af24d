"""A forked child ends when its parent does, even one killed with SIGKILL (isolation.py).

Each check starts a parent in a fresh interpreter that forks a child busy for ever (a
template render running to its time limit, a background job), kills the parent with
SIGKILL, which gives it no chance to stop its children, and waits for the child to go.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.render import isolation

needs_fork = pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")
ROOT = Path(__file__).resolve().parents[2]
#: How long a child may outlive its parent: the kernel's way takes milliseconds, the
#: fallback's up to PARENT_CHECK_SECONDS.
GRACE_SECONDS = 5.0

_PARENT = """
import os, sys, time
from pipeline.render import isolation

if sys.argv[1] == "without-the-kernel":  # as on macOS: the child's own check must do it
    isolation._kernel_ends_orphans = lambda: None

def busy():
    while True:
        pass

if sys.argv[2] == "in_background":
    print(isolation.in_background(busy)._child.pid, flush=True)
    time.sleep(600)
else:  # the Word render's child; run_isolated waits here, so the child says who it is
    isolation.run_isolated(lambda rendered: print(os.getpid(), flush=True) or busy(), 600)
"""


def _running(pid: int) -> bool:
    """True while pid is a live process (a zombie nobody has reaped yet counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().rpartition(")")[2].split()[0] not in ("Z", "X")
        except OSError:
            return False
    return True


@needs_fork
@pytest.mark.parametrize("how", ["in_background", "run_isolated"])
@pytest.mark.parametrize("way", ["with-the-kernel", "without-the-kernel"])
def test_a_child_ends_soon_after_its_parent_is_killed(how, way):
    if way == "with-the-kernel" and not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, way, how],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    child = 0
    try:
        child = int(parent.stdout.readline())
        assert _running(child)
        parent.kill()  # SIGKILL
        parent.wait()
        deadline = time.monotonic() + GRACE_SECONDS
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(child), f"the child outlived its parent by {GRACE_SECONDS} s"
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()
        if child and _running(child):
            os.kill(child, signal.SIGKILL)


@needs_fork
def test_a_child_whose_parent_died_before_it_could_ask_ends_at_once():
    """The parent may die between the fork and the child's request to the kernel: the child
    then already has another parent, and ends rather than run for nothing."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        isolation._end_with_parent(os.getppid() + 1_000_000)  # not its parent: it has died
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == isolation.ORPHANED
