"""The warm child: the Word libraries imported while the workbook is read (issue 17).

`eqplan build` forks it as the command starts (cli.py); the plan's job is sent to it
pickled (word_job.py, isolation.Warm). The documents must be the very ones a forked
child makes. (That the command's own process never loads the Word libraries is checked
with the other imports, in tests/test_startup.py.)
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.errors import TemplateError
from pipeline.render import isolation, word_job
from pipeline.render.isolation import RenderTimeout, Warm, run_isolated
from tests.bad_inputs.crafted_docx import crafted_template
from tests.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
needs_fork = pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")


def _parts(path: Path) -> dict[str, bytes]:
    """A package's parts, but for its properties (they hold the moment it was made)."""
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


@pytest.fixture
def handed(monkeypatch):
    """Each hand-over to a warm child: whether the child took the work."""
    taken: list[bool] = []
    hand = Warm.hand

    def spy(self, work):
        started = hand(self, work)
        taken.append(started is not None)
        return started

    monkeypatch.setattr(Warm, "hand", spy)
    return taken


def _in_child_with(rendered):
    return os.getpid(), "json" in sys.modules


def _sleeps(rendered):
    time.sleep(30)


# ----------------------------------------------------------------------------- Warm itself


@needs_fork
def test_work_handed_to_a_warm_child_runs_there_with_its_modules_loaded():
    warm = Warm(("json",))
    pid, loaded = run_isolated(_in_child_with, 10, warm=warm)
    assert pid != os.getpid() and loaded


@needs_fork
def test_a_warm_child_that_has_died_is_replaced_by_a_fork():
    warm = Warm(("json",))
    os.kill(warm._child.pid, 9)
    warm._child.join()
    pid, _ = run_isolated(_in_child_with, 10, warm=warm)
    assert pid != os.getpid()


@needs_fork
def test_work_in_a_warm_child_is_stopped_when_its_time_is_up():
    warm = Warm(("json",))
    child = warm._child
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        run_isolated(_sleeps, 0.5, warm=warm)
    assert time.monotonic() - started < 10
    assert not child.is_alive()


@needs_fork
def test_a_warm_child_given_no_work_is_stopped_at_the_end_of_its_block(monkeypatch):
    monkeypatch.setattr(word_job, "WORD_MODULES", ("tabnanny",))  # a module nothing loads
    with word_job.warm_word_child() as warm:
        child = warm._child
        assert child.is_alive()
    assert not child.is_alive()
    warm.cancel()  # twice is harmless


def test_no_warm_child_is_started_where_the_word_libraries_are_loaded(monkeypatch):
    """A server or a second build in one process: a fork of it has them already."""
    monkeypatch.setattr(word_job, "WORD_MODULES", ("json",))
    with word_job.warm_word_child() as warm:
        assert warm is None


# ----------------------------------------------------------------------------- the plan


@needs_fork
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_plan_made_in_a_warm_child_is_the_plan_a_fork_makes(tmp_path, language, handed):
    forked = build(EXAMPLE, tmp_path / "forked", language=language)
    warm = Warm(word_job.WORD_MODULES)
    child = warm._child
    sent = build(EXAMPLE, tmp_path / "warm", language=language, warm=warm)
    assert handed == [True]  # the job went to it...
    assert warm._child is None and not child.is_alive()  # ...and it ended
    assert sent.actions == forked.actions == 62
    assert _parts(sent.docx) == _parts(forked.docx)


@needs_fork
def test_a_plan_larger_than_warm_actions_is_forked_and_the_warm_child_stopped(
    tmp_path, monkeypatch, handed
):
    monkeypatch.setattr(word_job, "WARM_ACTIONS", 61)  # the example has 62
    warm = Warm(word_job.WORD_MODULES)
    child = warm._child
    result = build(EXAMPLE, tmp_path / "out", warm=warm)
    assert result.actions == 62
    assert handed == []
    assert warm._child is None and not child.is_alive()


@needs_fork
def test_a_template_that_fails_in_a_warm_child_is_reported_as_in_a_fork(tmp_path, handed):
    template = crafted_template(tmp_path / "t.docx", "{{ plan.titel }}")
    messages = []
    for warm in (None, Warm(word_job.WORD_MODULES)):  # forked, then sent to a warm child
        with pytest.raises(TemplateError) as raised:
            build(EXAMPLE, tmp_path / "out", template=template, warm=warm)
        messages.append(str(raised.value))
    assert handed == [True]
    assert messages[0] == messages[1]
    assert "plan.titel" in messages[0]


def test_scripts_find_render_word_where_the_readme_says():
    from pipeline.render import word

    assert word.render_word is word_job.render_word
