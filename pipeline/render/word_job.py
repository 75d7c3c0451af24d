"""The Word plan made as one job in a child process, from the plan's view and the template's path.

This module is what `eqplan build` needs of the Word plan before the plan is rendered, and
it imports none of the Word libraries: python-docx, docxtpl and Jinja take about 0.08 s to
import, a fifth of a 100-action build (issue 17). So the build forks a warm child
(isolation.Warm, with WORD_MODULES) as it starts, which imports them on the core the
build leaves idle while it reads the workbook; render_word then hands that child the job,
pickled. A plan of more than WARM_ACTIONS actions is forked as before (pickling its view
would cost more than the imports save), as is any render without a warm child (other
callers, the web server, a second language). Either way the job loads the template, builds
the context and makes the document in the child (word.make_plan); the chart is drawn by a
warm child itself, on a thread beside the render (chart_slot.py), else in a process of its
own beside the forked one.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.i18n import current_language, framework_words, use_framework_words, use_language
from pipeline.io import Target, write_output
from pipeline.render.isolation import (
    FINISH_SECONDS,
    ChildDied,
    FinishTimeout,
    RenderTimeout,
    Warm,
    in_background,
    one_at_a_time,
    run_isolated,
)
from pipeline.render.limits import TEMPLATE_SECONDS
from pipeline.render.stopped import too_large, too_slow

if TYPE_CHECKING:
    from pipeline.render.cleaning import Hazard
    from pipeline.view import PlanView

T = TypeVar("T")
#: What the warm child imports: the Word plan's renderer, and with it python-docx, docxtpl,
#: Jinja and the sandbox; and Pillow's modules for the chart (chart.py).
WORD_MODULES = ("pipeline.render.word", "PIL.Image", "PIL.ImageDraw", "PIL.PngImagePlugin")
#: The most actions whose view is sent to a warm child. Pickling a view and loading it again
#: take about 0.06 s at 1,000 actions (0.007 s at 100, 0.6 s at 10,000), against about
#: 0.08 s of imports saved.
WARM_ACTIONS = 1_000


@dataclass
class WordResult:
    """What was written, and what the completeness check counted."""

    path: Target  # the path or stream written
    actions_found: int
    #: Each link or field taken out of the plan as rendered: the template's own (which
    #: check_template reports) and any its tags printed.
    removed: list[Hazard] = field(default_factory=list)


@contextmanager
def warm_word_child() -> Iterator[Warm | None]:
    """A Warm child importing WORD_MODULES for the block, stopped at its end if unused.

    None where they are loaded here already (a server, a test run): a child forked from this
    process has them, and sending it the view would only cost time.
    """
    warm = None
    if not all(name in sys.modules for name in WORD_MODULES):
        with contextlib.suppress(OSError):  # a refused fork: the plan is made as without one
            warm = Warm(WORD_MODULES)
    try:
        yield warm
    finally:
        if warm is not None:
            warm.cancel()


def render_word(
    view: PlanView,
    out_path: Target,
    template: Path,
    timeout: float = TEMPLATE_SECONDS,
    *,
    include_checks: bool = False,
    history: bool = False,
    warm: Warm | None = None,
) -> WordResult:
    """Render plan into out_path from template; raise if any action is missing.

    out_path is a path (written atomically) or a binary stream (written only
    once the document is whole; pipeline/io.py write_output).

    The template is rendered in a sandbox (pipeline/render/sandbox.py), in a
    child process killed after timeout seconds where the system allows
    (isolation.py); everything that fetches or runs is removed from every
    part of the result (cleaning.py), which is checked before it is written.
    include_checks adds the appendix of data checks, history the Progress log
    appendix (see build_context). warm, a child started with WORD_MODULES, makes the
    plan if it has at most WARM_ACTIONS actions; it is stopped otherwise.
    """
    if warm is not None and len(view.actions) > WARM_ACTIONS:
        warm.cancel()
        warm = None
    # The chart is drawn in a process of its own while the plan's child makes the plan
    # around a blank of its size (chart_slot.py). A warm child, which has Pillow loaded,
    # draws it itself on a thread: the drawing's process would be forked after it, so it
    # could not take the picture.
    chart = None
    if view.any_rated and (warm is None or not warm.waiting):
        # Imported here: chart.py brings pipeline.view, and this module is imported just
        # before the warm child is forked, so the sooner it is the better.
        from pipeline.render.chart import rag_chart_png

        chart = in_background(functools.partial(rag_chart_png, view))
    job = functools.partial(_plan_job, view, template, timeout, include_checks, history, chart)
    try:
        with one_at_a_time():  # python-docx has one parser for every thread (isolation.py)
            data, found, removed = in_child(carrying_language(job), template.name, timeout, warm)
    finally:
        if chart is not None:
            chart.cancel()
    write_output(out_path, functools.partial(write_bytes, data), suffix=".docx")
    return WordResult(out_path, found, removed)


def _plan_job(*arguments: Any) -> tuple[bytes, int, list[Hazard]]:
    """word.make_plan(*arguments), found where the job runs (loaded already in a warm child):
    pickled by name, so this process never loads it."""
    from pipeline.render.word import make_plan

    return make_plan(*arguments)


def carrying_language(
    work: Callable[[Callable[[], None]], T],
) -> Callable[[Callable[[], None]], T]:
    """work, run in the language being built now, with the words of the plan's framework
    (use_framework_words), even in a child process (which starts in English). Pickled
    whole when work is (a warm child's job)."""
    return functools.partial(_in_language, current_language(), dict(framework_words()), work)


def _in_language(
    language: str, words: Any, work: Callable[[Callable[[], None]], T], rendered: Callable[[], None]
) -> T:
    with use_language(language), use_framework_words(words):
        return work(rendered)


def in_child(
    work: Callable[[Callable[[], None]], T], name: str, timeout: float, warm: Warm | None = None
) -> T:
    """run_isolated(work), its ways of failing turned into TemplateErrors naming the template."""
    try:
        return run_isolated(work, timeout, warm=warm)
    except RenderTimeout:
        raise too_slow(name, timeout) from None
    except FinishTimeout:
        raise too_large(name, f"it took over {FINISH_SECONDS:g} seconds") from None
    except ChildDied:
        detail = "the process filling it in was stopped by the system, usually for lack of memory"
        raise too_large(name, detail) from None


def write_bytes(data: bytes, target: Path) -> None:
    target.write_bytes(data)
