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
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import InlineImage

from pipeline.errors import BuildIncomplete, TemplateError
from pipeline.io import Target, write_output
from pipeline.render.body_finish import BodyFinisher
from pipeline.render.chart_slot import ChartSlot  # Pillow loads only when a chart is drawn
from pipeline.render.cleaning import (
    BlockCleaner,
    CleaningFailed,
    Hazard,
    InvalidPart,
    clean_docx,
)
from pipeline.render.context import build_context, with_chart
from pipeline.render.docx_finish import (
    mark_header_rows,
    set_language,
    set_properties,
    update_fields_on_opening,
)
from pipeline.render.docx_save import docx_bytes
from pipeline.render.engine import PlanTemplate
from pipeline.render.isolation import Pending, one_at_a_time
from pipeline.render.memory_cap import memory_budget
from pipeline.render.pagination import keep_headings_with_tables
from pipeline.render.sandbox import DEFAULT_TIMEOUT
from pipeline.render.stopped import too_large
from pipeline.render.template_errors import invalid_xml, render_in_sandbox
from pipeline.render.template_file import check_template, read_checked
from pipeline.render.word_job import (  # render_word: where README.md tells scripts it is
    carrying_language,
    in_child,
    render_word,
    write_bytes,
)
from pipeline.view import BOOKMARK_PREFIX, PlanView

__all__ = ["make_plan", "render_cover", "render_word"]


def make_plan(
    view: PlanView,
    template: Path,
    timeout: float,
    include_checks: bool,
    history: bool,
    chart: Pending[bytes] | None,
    rendered: Callable[[], None],
) -> tuple[bytes, int, list[Hazard]]:
    """The Word plan from template: its bytes, the actions counted and what cleaning took out.

    The job render_word (word_job.py) runs in a child process where there is one: it loads
    the template, builds the context and makes the document (_make_plan). chart is the
    picture being drawn in a process of its own meanwhile, or None: then it is drawn here,
    on a thread, if anything is rated. Either way the plan is made around a blank of its
    size, and the chart takes its place as the plan is saved (chart_slot.py).
    """
    with memory_budget():  # the untrusted template is parsed here: capped too
        document = _load(template)
        context = build_context(view, include_checks=include_checks, history=history)
        try:
            return _make_plan(document, context, view, chart, template.name, timeout, rendered)
        except MemoryError:
            raise too_large(template.name, "it needs far more memory than any plan") from None


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
        data = in_child(carrying_language(work), template.name, timeout)
    write_output(out_path, functools.partial(write_bytes, data), suffix=".docx")
    return out_path


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
    Runs under make_plan's memory cap.
    """
    # The chart (none when nothing is rated) is drawn as the template is filled in around a
    # blank of its size, which it replaces as the document is saved.
    slot = ChartSlot(view, chart) if view.any_rated else None
    if slot is not None:
        picture = InlineImage(document, io.BytesIO(slot.blank), width=Mm(165))
        context = with_chart(context, picture)
    finisher = BodyFinisher(document.docx, view, slot.blank if slot else b"")
    document.stream_to(finisher.finish, finisher.flush)
    render_in_sandbox(document, context, name, timeout)
    rendered()
    return _finish(document, finisher, view, name, slot)


def _finish(
    document: PlanTemplate,
    finisher: BodyFinisher,
    view: PlanView,
    name: str,
    slot: ChartSlot | None,
) -> tuple[bytes, int, list[Hazard]]:
    """The rest, once the body is done: language, properties, fields, the count, the chart,
    cleaning."""
    docx = document.docx
    finisher.cleaner.clean([docx.element])  # what is left outside the body's blocks
    set_language(docx)
    set_properties(docx, view.plan)
    update_fields_on_opening(docx, finisher.instructions)
    found = _count_action_rows(finisher.bookmarks, view)
    charted = slot.replacing(docx) if slot is not None else {}
    data, removed = _cleaned(docx_bytes(docx, charted), name, finisher.cleaner)
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
        mark_header_rows(root)
    except Exception as exc:  # noqa: BLE001 - any failure to open means an unusable template
        detail = str(exc)
        if "is not a Word file, content type is " in detail:  # python-docx names its stream
            kind = detail.rpartition("content type is ")[2]
            detail = f"its main part is not a Word document body (its content type is {kind})"
        raise TemplateError(
            f"Cannot open the Word template {template}: {detail}.",
            hint="Save it again from Word as a .docx document.",
        ) from None
    return document


def _count_action_rows(bookmarks: list[str], view: PlanView) -> int:
    """Check that each action's bookmark (from its key) appears exactly once; raise if not."""
    found = Counter(name for name in bookmarks if name.startswith(BOOKMARK_PREFIX))
    missing = [a for a in view.actions if found[a.bookmark] == 0]
    twice = [a for a in view.actions if found[a.bookmark] > 1]
    if missing or twice or len(found) != len(view.actions):
        ours = {a.bookmark for a in view.actions}
        strangers = sorted(name for name in found if name not in ours)
        said = []
        if missing and not found:
            said.append("no action's row holds its anchor")
        if missing:
            rows = ", ".join(str(a.row) for a in missing[:10])
            refs = ", ".join(a.ref for a in missing[:10])
            more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            one = len(missing) == 1
            said.append(
                f"{'row' if one else 'rows'} {rows}{more} of the Actions sheet "
                f"{'is' if one else 'are'} missing: {refs}"
            )
        if twice:
            shown = ", ".join(a.ref for a in twice[:10])
            more = " and more" if len(twice) > 10 else ""
            said.append(
                f"{shown}{more} {'appears' if len(twice) == 1 else 'appear'} more than once"
            )
        if strangers:  # printed by the template itself: no action of this plan has it
            said.append(f"it holds a bookmark no action has: {', '.join(strangers[:3])}")
        detail = "; ".join(said)
        raise BuildIncomplete(
            f"The Word document does not list every action exactly once ({detail}); it was not written.",
            hint="If you use your own template, each action row must include {{r a.anchor }} in its "
            "first cell (see README.md). Otherwise please report this as a bug.",
        )
    return len(view.actions)
