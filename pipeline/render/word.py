"""Render the Word action plan from an editable template with docxtpl, then check it.

docxtpl is run with autoescape on: its default (off) silently drops rows
holding `&` or `<` because it re-parses the XML with lxml's recover mode
(research/docgen-anchors.md, python-docx-template#557, #634). After
rendering, the document gets what templates cannot reliably carry:
the language in the default style, document properties, alt text on the
chart, a repeated header row on every table, and page-break rules that
depend on the officers' text (render/pagination.py). Finally every action's
hidden bookmark is counted, so a template or rendering fault that loses a
row stops the build instead of reaching a committee.
"""

from __future__ import annotations

import functools
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import InlineImage

from pipeline.errors import BuildIncomplete, TemplateError
from pipeline.i18n import current_language, framework_words, use_framework_words, use_language
from pipeline.io import Target, write_output
from pipeline.render.body_finish import BodyFinisher
from pipeline.render.chart import rag_chart_png  # Pillow loads only when a chart is drawn
from pipeline.render.cleaning import (
    BlockCleaner,
    CleaningFailed,
    Hazard,
    InvalidPart,
    clean_docx,
)
from pipeline.render.context import build_context, with_chart
from pipeline.render.docx_finish import (
    repeat_header_rows,
    set_language,
    set_properties,
    update_fields_on_opening,
)
from pipeline.render.docx_save import docx_bytes
from pipeline.render.engine import PlanTemplate
from pipeline.render.isolation import (
    FINISH_SECONDS,
    ChildDied,
    FinishTimeout,
    Pending,
    RenderTimeout,
    in_background,
    one_at_a_time,
    run_isolated,
)
from pipeline.render.memory_cap import memory_budget
from pipeline.render.pagination import keep_headings_with_tables
from pipeline.render.sandbox import DEFAULT_TIMEOUT
from pipeline.render.template_errors import invalid_xml, render_in_sandbox, too_large, too_slow
from pipeline.render.template_file import check_template, read_checked
from pipeline.view import BOOKMARK_PREFIX, PlanView

T = TypeVar("T")
LAYOUTS = ("rag", "outcomes")
#: The default templates inside an installed eqplan (copied from templates/ by setup.py).
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: templates/ of the eqplan checkout this module is running from, if it is one.
PROJECT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
COVER_TEMPLATE = "cover-report.docx"


@dataclass
class WordResult:
    """What was written, and what the completeness check counted."""

    path: Target  # the path or stream written
    actions_found: int
    #: Each link or field taken out of the plan as rendered: the template's own (which
    #: check_template reports) and any its tags printed.
    removed: list[Hazard] = field(default_factory=list)


def default_template(layout: str) -> Path:
    """The shipped Word template for a layout: inside the installed package, or in the checkout.

    An installed eqplan carries the defaults in the package (setup.py copies
    them from templates/ when the wheel is built); run from a checkout, they
    are in its templates/ folder, beside make_templates.py. The working
    folder is never searched: a council's own template is always given with
    --template, so no stray file can take its place.
    """
    if layout not in LAYOUTS:
        raise TemplateError(
            f"Unknown layout '{layout}'.", hint=f"Use one of: {', '.join(LAYOUTS)}."
        )
    return _shipped(
        f"action-plan-{layout}.docx", f"the default Word template for the '{layout}' layout"
    )


def default_cover_template() -> Path:
    """The shipped committee cover report template (templates/cover-report.docx), found likewise."""
    return _shipped(COVER_TEMPLATE, "the default cover report template")


def _shipped(name: str, what: str) -> Path:
    """A shipped template: inside the installed package, else in the checkout's templates/."""
    checkout = PROJECT_TEMPLATES if (PROJECT_TEMPLATES / "make_templates.py").is_file() else None
    for folder in (PACKAGED_TEMPLATES, checkout):
        if folder is not None and (folder / name).is_file():
            return folder / name
    raise TemplateError(
        f"{what[0].upper()}{what[1:]} ({name}) is missing from this eqplan installation.",
        hint="Reinstall eqplan (in a copy of the project, run 'make templates' to recreate it), "
        "or pass your own template with --template.",
    )


def render_word(
    view: PlanView,
    out_path: Target,
    template: Path,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    include_checks: bool = False,
    history: bool = False,
) -> WordResult:
    """Render plan into out_path from template; raise if any action is missing.

    out_path is a path (written atomically) or a binary stream (written only
    once the document is whole; pipeline/io.py write_output).

    The template is rendered in a sandbox (pipeline/render/sandbox.py), in a
    child process killed after timeout seconds where the system allows
    (isolation.py); everything that fetches or runs is removed from every
    part of the result (cleaning.py), which is checked before it is written.
    include_checks adds the appendix of data checks, history the Progress log
    appendix (see build_context).
    """
    # The chart is drawn in a process of its own while the template is loaded and the context
    # built (at 10,000 actions, 0.2 s); the plan's child takes the picture as it starts.
    chart = in_background(functools.partial(rag_chart_png, view)) if view.any_rated else None
    try:
        with one_at_a_time():  # python-docx has one parser for every thread (isolation.py)
            document = _load(template)
            context = build_context(view, include_checks=include_checks, history=history)
            work = functools.partial(
                _make_plan, document, context, view, chart, template.name, timeout
            )
            data, found, removed = _in_child(_in_language(work), template.name, timeout)
    finally:
        if chart is not None:
            chart.cancel()
    write_output(out_path, functools.partial(_write_bytes, data), suffix=".docx")
    return WordResult(out_path, found, removed)


def render_cover(
    view: PlanView,
    out_path: Target,
    template: Path,
    timeout: float = DEFAULT_TIMEOUT,
) -> Target:
    """Render the committee cover report into out_path from template, as the plan is rendered.

    The same sandbox, child process and time budget, cleaning, language,
    properties and header rows as the plan (render_word); no action rows, so
    no bookmark count. With a previous report in the view (`--since`), it
    says what moved since then (render/cover.py).
    """
    from pipeline.render.cover import build_cover_context

    with one_at_a_time():  # python-docx has one parser for every thread (isolation.py)
        document = _load(template)
        context = build_cover_context(view)
        title = context["report"]["title"]
        work = functools.partial(
            _make_cover, document, context, view, template.name, timeout, title
        )
        data = _in_child(_in_language(work), template.name, timeout)
    write_output(out_path, functools.partial(_write_bytes, data), suffix=".docx")
    return out_path


def _in_language(work: Callable[[Callable[[], None]], T]) -> Callable[[Callable[[], None]], T]:
    """work, run in the language being built now, with the words of the plan's framework
    (use_framework_words), even in a child process (which starts in English)."""
    language, words = current_language(), framework_words()

    def in_language(rendered: Callable[[], None]) -> T:
        with use_language(language), use_framework_words(words):
            return work(rendered)

    return in_language


def _in_child(work: Callable[[Callable[[], None]], T], name: str, timeout: float) -> T:
    """run_isolated(work), its ways of failing turned into TemplateErrors naming the template."""
    try:
        return run_isolated(work, timeout)
    except RenderTimeout:
        raise too_slow(name, timeout) from None
    except FinishTimeout:
        raise too_large(name, f"it took over {FINISH_SECONDS:g} seconds") from None
    except ChildDied:
        detail = "the process filling it in was stopped by the system, usually for lack of memory"
        raise too_large(name, detail) from None


def _make_cover(
    document: PlanTemplate,
    context: dict[str, Any],
    view: PlanView,
    name: str,
    timeout: float,
    title: str,
    rendered: Callable[[], None],
) -> bytes:
    """Fill in the cover report template, finish it and clean it: its bytes."""
    with memory_budget():
        render_in_sandbox(document, context, name, timeout)
        rendered()
        docx = document.docx
        set_language(docx)
        set_properties(docx, view.plan, title=title)
        repeat_header_rows(docx)
        keep_headings_with_tables(docx)
        return _cleaned(docx_bytes(docx), name)[0]  # build gives the shipped cover template


def _make_plan(
    document: PlanTemplate,
    context: dict[str, Any],
    view: PlanView,
    chart: Pending[bytes] | None,
    name: str,
    timeout: float,
    rendered: Callable[[], None],
) -> tuple[bytes, int, list[Hazard]]:
    """Fill in the template, finish the document and clean it: its bytes, the actions counted
    and what cleaning took out.

    Runs in the child process where there is one (isolation.py); rendered()
    tells the parent the template's part, the one under the time budget, is done.
    The body is parsed, finished and cleaned a block at a time as it is rendered
    (BodyFinisher), so the whole body's tree is never held; that work happens while
    the template is filled in, so it counts in the time budget (--template-timeout)
    too, and what goes wrong in it is reported as rendering faults are (template_errors.py).
    """
    with memory_budget():
        png = chart.result() if chart is not None else b""  # none when nothing is rated
        if png:
            picture = InlineImage(document, io.BytesIO(png), width=Mm(165))
            context = with_chart(context, picture)
        finisher = BodyFinisher(document.docx, view, png)
        document.stream_to(finisher.finish, finisher.flush)
        try:
            render_in_sandbox(document, context, name, timeout)
            rendered()
            return _finish(document, finisher, view, name)
        except MemoryError:
            raise too_large(name, "it needs far more memory than any plan") from None


def _finish(
    document: PlanTemplate, finisher: BodyFinisher, view: PlanView, name: str
) -> tuple[bytes, int, list[Hazard]]:
    """The rest, once the body is done: language, properties, fields, the count, cleaning."""
    docx = document.docx
    finisher.cleaner.clean([docx.element])  # what is left outside the body's blocks
    set_language(docx)
    set_properties(docx, view.plan)
    update_fields_on_opening(docx, finisher.instructions)
    found = _count_action_rows(finisher.bookmarks, view)
    data, removed = _cleaned(docx_bytes(docx), name, finisher.cleaner)
    return data, found, removed


def _cleaned(
    saved: bytes, name: str, streamed: BlockCleaner | None = None
) -> tuple[bytes, list[Hazard]]:
    """The saved document with everything that fetches or runs removed (cleaning.py), and
    what was removed.

    streamed: the cleaner of the part cleaned as it was parsed (clean_docx).
    """
    try:
        data, removed = clean_docx(saved, streamed)
    except InvalidPart as exc:
        raise invalid_xml(name, f"in {exc.part}: {exc.detail}") from None
    except CleaningFailed as exc:
        raise TemplateError(
            f"The Word template {name} holds links or fields eqplan could not take out of the "
            f"plan safely ({exc}), so no plan was written.",
            hint="Remove linked pictures, linked objects and fields that fetch files from the "
            "template in Word, or start from the template made by 'eqplan template'.",
        ) from None
    return data, removed


def _write_bytes(data: bytes, target: Path) -> None:
    target.write_bytes(data)


def _load(template: Path) -> PlanTemplate:
    check_template(template)
    data = read_checked(template)  # opened from the very bytes that were checked
    try:
        document = PlanTemplate(io.BytesIO(data))
        document.template_name = template.name
        document.init_docx()
        root = document.docx.element
        if root.tag != qn("w:document") or root.find(qn("w:body")) is None:
            raise ValueError("its main part has no document body")
    except Exception as exc:  # noqa: BLE001 - any failure to open means an unusable template
        raise TemplateError(
            f"Cannot open the Word template {template}: {exc}.",
            hint="Save it again from Word as a .docx document.",
        ) from None
    return document


def _count_action_rows(bookmarks: list[str], view: PlanView) -> int:
    """Check that each action's bookmark (from its key) appears exactly once; raise if not."""
    found = Counter(name for name in bookmarks if name.startswith(BOOKMARK_PREFIX))
    missing = [a for a in view.actions if found[a.bookmark] == 0]
    twice = [a for a in view.actions if found[a.bookmark] > 1]
    if missing or twice or len(found) != len(view.actions):
        rows = ", ".join(str(a.row) for a in missing[:10])
        refs = ", ".join(a.ref for a in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        detail = f"rows {rows}{more} are missing: {refs}" if missing else "some appear twice"
        raise BuildIncomplete(
            f"The Word document does not list every action exactly once ({detail}); it was not written.",
            hint="If you use your own template, each action row must include {{r a.anchor }} in its "
            "first cell (see README.md). Otherwise please report this as a bug.",
        )
    return len(view.actions)
