"""A request making documents waits for one of the app's places, or is answered 503: one
thread is always left for the pages (web/busy.py; an attacker held all four for minutes)."""

from __future__ import annotations

import io
import threading
import time

from pipeline.web.busy import DOCUMENT_SLOTS, THREADS, WAITING
from tests.conftest import EXAMPLE
from tests.web.conftest import accessible, upload


def _all_places_taken(app) -> None:
    places = app.extensions["eqplan_places"]
    while places.acquire(blocking=False):
        pass


def test_one_thread_is_always_left_for_the_pages():
    assert THREADS == DOCUMENT_SLOTS + WAITING + 1 and DOCUMENT_SLOTS >= 4  # four officers at once


def test_one_request_waits_for_a_place_and_another_is_told_at_once(make_app):
    app = make_app(DOCUMENT_SLOTS=1, BUSY_WAIT_SECONDS=5)
    places = app.extensions["eqplan_places"]
    places.acquire()
    answers: list[int] = []
    waiter = threading.Thread(
        target=lambda: answers.append(app.test_client().post("/api/build", data={}).status_code)
    )
    waiter.start()
    time.sleep(0.5)  # the waiter is waiting for the place
    started = time.monotonic()
    assert app.test_client().post("/api/build", data={}).status_code == 503
    assert time.monotonic() - started < 1  # told at once, not after the wait
    places.release()  # the place comes free: the waiter takes it
    waiter.join(10)
    assert answers == [400]  # served (refused for its missing workbook), not told it is busy


def test_the_api_says_busy_when_no_place_comes_free_and_the_pages_still_answer(make_app):
    app = make_app(DOCUMENT_SLOTS=2, BUSY_WAIT_SECONDS=0)
    client = app.test_client()
    _all_places_taken(app)
    sent = {"workbook": (io.BytesIO(EXAMPLE.read_bytes()), "plan.xlsx")}
    answer = client.post("/api/build", data=sent, content_type="multipart/form-data")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "60"
    assert answer.get_json()["code"] == "SERVER_BUSY"
    for refused in ("/api/compare", "/api/merge"):
        assert client.post(refused, data={}).status_code == 503
    assert client.get("/").status_code == 200  # the pages are answered all the same
    assert client.get("/template?framework=eflg-2021").status_code == 200  # the blank workbook


def test_a_place_is_given_back_however_the_request_ends(make_app):
    app = make_app(DOCUMENT_SLOTS=1, BUSY_WAIT_SECONDS=0)
    client = app.test_client()
    for _ in range(3):  # refused for a missing field, then a workbook that is not one
        assert client.post("/api/build", data={}).status_code == 400
        not_a_workbook = {"workbook": (io.BytesIO(b"hello"), "plan.xlsx")}
        answer = client.post("/api/build", data=not_a_workbook, content_type="multipart/form-data")
        assert answer.status_code == 400
    sent = {"workbook": (io.BytesIO(EXAMPLE.read_bytes()), "plan.xlsx")}
    assert (
        client.post("/api/build", data=sent, content_type="multipart/form-data").status_code == 200
    )


def test_the_page_shows_the_form_again_saying_it_is_busy_in_english_and_welsh(make_app):
    app = make_app(DOCUMENT_SLOTS=1, BUSY_WAIT_SECONDS=0)
    client = app.test_client()
    _all_places_taken(app)
    answer = upload(client)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "60"
    assert "The page is busy making other plans. Send your workbook again in a minute." in html
    accessible(html)
    answer = client.post(
        "/plan?lang=cy",
        data={"workbook": (io.BytesIO(EXAMPLE.read_bytes()), "plan.xlsx"), "layout": "rag"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 503
    assert "Mae&#39;r dudalen yn brysur yn gwneud cynlluniau eraill." in answer.get_data(
        as_text=True
    )
