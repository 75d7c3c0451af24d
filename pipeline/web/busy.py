"""At most DOCUMENT_SLOTS requests making documents at once, one more waiting, and a thread
always left for the pages.

A request that makes documents (a plan, a comparison, a merge) holds its thread until they
are made: four uploads of 40,000-action workbooks once held all of waitress's threads for
minutes, and the first page waited over eight minutes for one (an attacker's review of the
web page). So such a request first takes one of DOCUMENT_SLOTS places. When none is free,
one request (WAITING) may wait up to BUSY_WAIT_SECONDS for a place; any other, or one whose
wait runs out, is answered 503 at once (`SERVER_BUSY` from the API, the form again with the
reason on the web page) with a Retry-After, and its upload is never read. THREADS is one
more than the places and the one waiting, so the start page, the template, downloads and
the forms always have a thread.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app, g, request
from werkzeug.exceptions import ServiceUnavailable

#: Requests making documents at once (each is mostly one CPU core), and those that may wait.
DOCUMENT_SLOTS, WAITING = 4, 1
#: Threads answering requests at once (server.py): the places, the waiting one and the pages'.
THREADS = DOCUMENT_SLOTS + WAITING + 1
#: How long a request waits for a place before it is told the page is busy.
BUSY_WAIT_SECONDS = 30.0
#: Seconds a refused client is told to wait (the Retry-After header).
RETRY_AFTER_SECONDS = 60
#: The endpoints that make documents.
MAKING_DOCUMENTS = frozenset(
    {"api.build", "api.compare", "api.merge", "pages.plan", "compare.results", "merge.results"}
)
SERVER_BUSY = "SERVER_BUSY"


def install(app: Flask) -> None:
    """Give the app its places (config DOCUMENT_SLOTS; a request waits at most
    BUSY_WAIT_SECONDS), taken before a request that makes documents and given back when it
    ends, however it ends."""
    places = threading.BoundedSemaphore(app.config["DOCUMENT_SLOTS"])
    waiting = threading.BoundedSemaphore(WAITING)
    app.extensions["eqplan_places"] = places

    @app.before_request
    def _take_place() -> None:
        if request.endpoint not in MAKING_DOCUMENTS:
            return
        if not places.acquire(blocking=False):
            if not waiting.acquire(blocking=False):  # another is waiting already
                raise ServiceUnavailable(description="busy")
            try:
                if not places.acquire(timeout=current_app.config["BUSY_WAIT_SECONDS"]):
                    raise ServiceUnavailable(description="busy")
            finally:
                waiting.release()
        g.eqplan_place = True

    @app.teardown_request
    def _give_back(_error: BaseException | None) -> None:
        if g.pop("eqplan_place", False):
            places.release()
