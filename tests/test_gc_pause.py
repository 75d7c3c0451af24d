"""The cyclic garbage collector is paused while a plan is read and its view built, then restored."""

from __future__ import annotations

import gc

import pytest

from pipeline import validate, view
from pipeline.gc_pause import paused_gc
from tests.conftest import EXAMPLE


def test_paused_inside_and_restored_after_even_on_an_error():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), paused_gc():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_reading_and_building_the_view_run_paused(monkeypatch):
    seen = []
    read = validate.read_workbook
    summarise = view.summarise

    def spy_read(*args, **kwargs):
        seen.append(("read", gc.isenabled()))
        return read(*args, **kwargs)

    def spy_summarise(*args, **kwargs):
        seen.append(("view", gc.isenabled()))
        return summarise(*args, **kwargs)

    monkeypatch.setattr(validate, "read_workbook", spy_read)
    monkeypatch.setattr(view, "summarise", spy_summarise)
    checked = validate.validate_workbook(EXAMPLE)
    view.build_view(checked.plan, checked.report.warnings)
    assert seen == [("read", False), ("view", False)]
    assert gc.isenabled()


def test_the_word_context_is_made_paused(monkeypatch):
    """The Word template's context is made in the parent before the Word child is forked:
    on the build's critical path, with the whole plan alive (issue 17)."""
    from pipeline.render import context

    seen = []
    action = context._action

    def spy_action(*args, **kwargs):
        seen.append(gc.isenabled())
        return action(*args, **kwargs)

    monkeypatch.setattr(context, "_action", spy_action)
    checked = validate.validate_workbook(EXAMPLE)
    context.build_context(view.build_view(checked.plan, checked.report.warnings))
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_build_runs_paused(monkeypatch, tmp_path):
    """The chart and the Word context are made in the parent with the whole plan alive: the
    whole build runs paused, and the collector is on again afterwards."""
    from pipeline import build as build_module
    from pipeline.render import word

    seen = []
    chart = word.rag_chart_png

    def spy_chart(*args, **kwargs):
        seen.append(gc.isenabled())
        return chart(*args, **kwargs)

    monkeypatch.setattr(word, "rag_chart_png", spy_chart)
    build_module.build(EXAMPLE, tmp_path)
    assert seen == [False]
    assert gc.isenabled()


def test_reading_and_building_the_model_run_paused_when_called_directly(monkeypatch):
    """combine, split and the benchmark call read_workbook and build_plan themselves."""
    from pipeline.workbook import reader, to_model

    seen = []
    load_book = reader.load_book
    read_report = to_model.read_report

    def spy_load(*args, **kwargs):
        seen.append(("read", gc.isenabled()))
        return load_book(*args, **kwargs)

    def spy_report(*args, **kwargs):
        seen.append(("model", gc.isenabled()))
        return read_report(*args, **kwargs)

    monkeypatch.setattr(reader, "load_book", spy_load)
    monkeypatch.setattr(to_model, "read_report", spy_report)
    to_model.build_plan(reader.read_workbook(EXAMPLE))
    assert seen == [("read", False), ("model", False)]
    assert gc.isenabled()
