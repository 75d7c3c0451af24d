"""A render forks a child only in a single-threaded process (the web server has threads)."""

from __future__ import annotations

import threading

from pipeline.render.isolation import can_isolate, run_isolated


def test_no_fork_while_another_thread_runs():
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert not can_isolate()
        # The work still runs, in this process: it sees this process's thread count.
        assert run_isolated(lambda rendered: threading.active_count(), 5) >= 2
    finally:
        release.set()
        worker.join()
    assert can_isolate() == ("fork" in __import__("multiprocessing").get_all_start_methods())
