"""Word documents made by threads (the web server) are made one at a time, each parse with
its own parser (render/isolation.py's note: lxml's names table and python-docx's one parser)."""

from __future__ import annotations

import io
import threading

from pipeline.compare import compare
from pipeline.render.changes_docx import write_changes_docx
from pipeline.render.isolation import one_at_a_time, safe_parser
from pipeline.render.template_file import default_cover_template, default_template
from pipeline.render.word import render_cover
from pipeline.render.word_job import render_word
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from pipeline.view_changes import build_changes_view
from tests.conftest import EXAMPLE


def test_each_thread_parses_with_a_parser_of_its_own():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(safe_parser()))
    thread.start()
    thread.join()
    assert safe_parser() is safe_parser()
    assert seen[0] is not safe_parser()


def _waits_for_the_lock(make) -> None:
    """make() in another thread does not finish while this thread holds the lock, then does."""
    done = threading.Event()
    failed = []

    def run():
        try:
            make()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failed.append(exc)
        done.set()

    worker = threading.Thread(target=run)
    with one_at_a_time():
        worker.start()
        assert not done.wait(1.0), "a Word document was made while another thread held the lock"
    worker.join(60)
    assert done.is_set() and not failed, failed


def test_the_plan_and_cover_report_wait_for_a_document_being_made():
    plan = validate_workbook(EXAMPLE).plan
    view = build_view(plan)
    _waits_for_the_lock(lambda: render_word(view, io.BytesIO(), default_template("rag")))
    _waits_for_the_lock(lambda: render_cover(view, io.BytesIO(), default_cover_template()))


def test_the_changes_document_waits_for_a_document_being_made():
    plan = validate_workbook(EXAMPLE).plan
    changes = build_changes_view(compare(plan, plan))
    _waits_for_the_lock(lambda: write_changes_docx(changes, io.BytesIO()))
