"""Render the plan as one self-contained, accessible HTML page a council can publish.

The page says what the Word plan says: its context is the Word template's
(render/context.py, copied from the view), so every heading, action and
figure is the same text. Only the wrapping differs: semantic headings,
tables with captions and header cells, landmarks, a skip link, a contents
list and a print stylesheet. Everything is in the one file (styles in a
<style> element, the RAG chart as a data: PNG with the Word plan's alt
text), so it makes no outside requests and needs no JavaScript.

The template is rendered in the same sandbox as Word templates
(render/sandbox.py), with autoescape on: officers' text such as `<b>` or
`{{ x }}` comes out literally.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from pipeline import headings
from pipeline.errors import TemplateError
from pipeline.i18n import _, current_language
from pipeline.io import Target, write_output
from pipeline.render.chart import alt_text, rag_chart_png
from pipeline.render.context import build_context, with_chart
from pipeline.render.docx_finish import LANGUAGE
from pipeline.render.english_parts import html_mark
from pipeline.render.memory_cap import memory_budget
from pipeline.render.sandbox import DEFAULT_TIMEOUT, PlanSandbox, TemplateTimeout
from pipeline.render.template_file import LAYOUTS
from pipeline.view import PlanView
from pipeline.welsh_text import EnglishText

#: The HTML template, shipped inside the package (pyproject.toml, package-data).
TEMPLATE = Path(__file__).resolve().parent / "html_templates" / "plan.html.j2"
_NOT_ID = re.compile(r"[^a-z0-9]+")
_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")


def anchor(text: object) -> str:
    """An id for a heading, from its words: `Appendix A: Overdue actions` -> `appendix-a-overdue-actions`.

    The contents list and the headings both use it, so every link finds its
    heading. Words with no letters or digits a-z (a Welsh or other title
    made only of accented letters) still get an id from their length.
    """
    slug = _NOT_ID.sub("-", str(text).casefold()).strip("-")
    return slug or f"part-{len(str(text))}"


def css_colour(fill: object) -> str:
    """`#BDD7EE` for a six-digit fill, else '' (Word's `auto`): nothing else reaches a style."""
    text = str(fill)
    return f"#{text}" if _HEX_COLOUR.fullmatch(text) else ""


def html_context(
    view: PlanView, *, layout: str = "rag", include_checks: bool = False, history: bool = False
) -> dict[str, Any]:
    """The Word template's context, with the chart as a data: address and its alt text."""
    if layout not in LAYOUTS:
        raise TemplateError(
            f"Unknown layout '{layout}'.", hint=f"Use one of: {', '.join(LAYOUTS)}."
        )
    png = rag_chart_png(view) if view.any_rated else b""  # no all-grey chart, as in Word
    chart = f"data:image/png;base64,{base64.b64encode(png).decode('ascii')}" if png else ""
    context = build_context(view, include_checks=include_checks, history=history)
    context = with_chart(context, chart)
    context["chart_alt"] = alt_text(view, view.section_word) if png else ""
    context["layout"] = layout
    context["language"] = "cy" if current_language() == "cy" else LANGUAGE
    context["headings"] = {
        "ref": _(headings.REF),
        "evidence": _(headings.EVIDENCE),
        "action": _(headings.ACTION),
        "action_or_evidence": _(headings.ACTION_OR_EVIDENCE),
        "deadline": _(headings.DEADLINE),
        "owner": _(headings.OWNER),
        "rag": _(headings.RAG),
        "actions": _(headings.ACTIONS),
        "status": _(headings.STATUS),
        "log_date": _(headings.LOG_DATE),
        "log_update": _(headings.LOG_UPDATE),
        "log_by": _(headings.LOG_BY),
    }
    return context


def render_html(
    view: PlanView,
    out_path: Target,
    *,
    layout: str = "rag",
    include_checks: bool = False,
    history: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> Target:
    """Write the plan as one HTML page to out_path (a path, atomically, or a binary stream)."""
    page = html_page(
        view, layout=layout, include_checks=include_checks, history=history, timeout=timeout
    )
    data = page.encode("utf-8")
    return write_output(out_path, lambda path: path.write_bytes(data), suffix=".html")


def html_page(
    view: PlanView,
    *,
    layout: str = "rag",
    include_checks: bool = False,
    history: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """The plan's HTML page as text."""
    welsh = current_language() == "cy"
    environment = PlanSandbox(timeout, mark_english=html_mark if welsh else None)
    environment.tests["english"] = lambda value: type(value) is EnglishText
    environment.filters["anchor"] = anchor
    environment.filters["css_colour"] = css_colour
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    context = html_context(view, layout=layout, include_checks=include_checks, history=history)
    environment.start_clock()
    try:
        with memory_budget():
            return template.render(context)
    except TemplateTimeout:
        raise TemplateError(
            f"Writing the HTML plan took longer than {timeout:g} seconds, so it was stopped.",
            hint="For a very large plan, allow more time with --template-timeout SECONDS.",
        ) from None
