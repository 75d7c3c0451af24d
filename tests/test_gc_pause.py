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


def spy_on(monkeypatch, seen: list, module, name: str, label: str) -> None:
    """Replace module.name with a wrapper noting (label, whether the collector is on) per call."""
    original = getattr(module, name)

    def spy(*args, **kwargs):
        seen.append((label, gc.isenabled()))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)


def test_reading_and_building_the_view_run_paused(monkeypatch):
    seen = []
    spy_on(monkeypatch, seen, validate, "read_workbook", "read")
    spy_on(monkeypatch, seen, view, "summarise", "view")
    checked = validate.validate_workbook(EXAMPLE)
    view.build_view(checked.plan, checked.report.warnings)
    assert seen == [("read", False), ("view", False)]
    assert gc.isenabled()


def test_a_build_runs_paused(monkeypatch, tmp_path):
    """The plan's view is made with the whole plan alive: the whole build runs paused, and
    the collector is on again afterwards. (The Word context is made in the plan's child,
    which never collects: isolation.py.)"""
    from pipeline import build as build_module

    seen = []
    spy_on(monkeypatch, seen, build_module, "build_view", "view")
    build_module.build(EXAMPLE, tmp_path)
    assert seen == [("view", False)]
    assert gc.isenabled()


def test_reading_and_building_the_model_run_paused_when_called_directly(monkeypatch):
    """combine, split and the benchmark call read_workbook and build_plan themselves."""
    from pipeline.workbook import reader, to_model

    seen = []
    spy_on(monkeypatch, seen, reader, "load_book", "read")
    spy_on(monkeypatch, seen, to_model, "read_report", "model")
    to_model.build_plan(reader.read_workbook(EXAMPLE))
    assert seen == [("read", False), ("model", False)]
    assert gc.isenabled()
