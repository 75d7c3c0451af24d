"""in_background: the summary workbook is written in a second process while Word renders."""

from __future__ import annotations

import os
import threading
import time

import pytest

from pipeline.render import isolation
from pipeline.render.isolation import in_background

needs_fork = pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")


@needs_fork
def test_work_runs_in_another_process_at_the_same_time_as_this_one():
    started = time.monotonic()
    pending = in_background(lambda: (time.sleep(0.6), os.getpid())[1])
    time.sleep(0.6)  # this process's own work, meanwhile
    assert pending.result() != os.getpid()
    assert time.monotonic() - started < 1.1  # one after the other: 1.2 s


@needs_fork
def test_an_exception_in_the_child_is_raised_here():
    pending = in_background(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        pending.result()


@needs_fork
def test_a_child_the_system_stopped_is_run_again_here():
    parent = os.getpid()
    pending = in_background(lambda: "here" if os.getpid() == parent else os._exit(9))
    assert pending.result() == "here"


@needs_fork
def test_cancel_stops_a_child_still_running(tmp_path):
    flag = tmp_path / "finished"
    pending = in_background(lambda: (time.sleep(3), flag.touch()))
    pending.cancel()
    pending.cancel()  # twice is harmless
    time.sleep(0.2)
    assert not flag.exists()


def test_without_fork_work_runs_here_when_asked(monkeypatch):
    monkeypatch.setattr(isolation, "can_isolate", lambda: False)
    ran = []
    pending = in_background(lambda: ran.append(threading.get_ident()) or "done")
    assert ran == []
    assert pending.result() == "done"
    assert ran == [threading.get_ident()]


@needs_fork
def test_the_child_leaves_the_parents_objects_out_of_garbage_collection():
    import gc

    # Frozen: a collection in the child never walks (and so never copies) the parent's objects.
    frozen, collecting = in_background(lambda: (gc.get_freeze_count(), gc.isenabled())).result()
    assert frozen > 1000
    assert not collecting
    assert gc.isenabled() and gc.get_freeze_count() == 0  # this process is as it was


@needs_fork
def test_a_child_forked_later_takes_the_result_and_the_parent_reaps_the_worker():
    """The Word plan's child takes the chart drawn in a process started before it (word.py):
    the result arrives there, and only the process that started the worker stops it."""
    pending = in_background(lambda: (time.sleep(0.3), ("chart", os.getpid()))[1])
    worker = pending._child.pid
    taker = isolation.run_isolated(lambda rendered: (pending.result(), os.getpid()), 10)
    (what, drawn_in), taken_in = taker
    assert what == "chart" and drawn_in == worker and taken_in not in (worker, os.getpid())
    assert pending._child is not None  # the taker's cancel did not touch this process's copy
    pending.cancel()
    assert pending._child is None
    with pytest.raises(ChildProcessError):
        os.waitpid(worker, os.WNOHANG)  # reaped
