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

import datetime as dt
import functools
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import InlineImage
from lxml import etree

from pipeline import __version__, problems
from pipeline.errors import BuildIncomplete, TemplateError
from pipeline.io import Target, write_output
from pipeline.model import Plan
from pipeline.render.chart import alt_text, rag_chart_png
from pipeline.render.context import build_context
from pipeline.render.engine import PlanTemplate
from pipeline.render.fields import disarm, risky_fields
from pipeline.render.pagination import keep_headings_with_tables, keep_rows_whole
from pipeline.render.sandbox import (
    DEFAULT_TIMEOUT,
    PlanSandbox,
    TemplateLimit,
    TemplateTimeout,
    memory_budget,
)
from pipeline.render.template_file import (
    check_template,
    is_plain_web_address,
    remove_outside_links,
)
from pipeline.view import BOOKMARK_PREFIX, PlanView

LAYOUTS = ("rag", "outcomes")
#: The default templates inside an installed eqplan (copied from templates/ by setup.py).
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: templates/ of the eqplan checkout this module is running from, if it is one.
PROJECT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LANGUAGE = "en-GB"
COVER_TEMPLATE = "cover-report.docx"


@dataclass
class WordResult:
    """What was written, and what the completeness check counted."""

    path: Target  # the path or stream written
    actions_found: int


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
) -> WordResult:
    """Render plan into out_path from template; raise if any action is missing.

    out_path is a path (written atomically) or a binary stream (written only
    once the document is whole; pipeline/io.py write_output).

    The template is rendered in a sandbox (pipeline/render/sandbox.py) and
    stopped after timeout seconds; outside links are removed from the result.
    include_checks adds the appendix of data checks (see build_context).
    """
    plan = view.plan
    document = _load(template)
    png = rag_chart_png(view) if view.any_rated else b""  # no all-grey chart
    chart = InlineImage(document, io.BytesIO(png), width=Mm(165)) if png else ""
    context = build_context(view, chart=chart, include_checks=include_checks)
    _render(document, context, template, timeout)

    docx = document.docx
    _disarm_fields(docx)
    _set_language(docx)
    _set_properties(docx, plan)
    if png:
        _describe_picture(docx, png, alt_text(view, plan.framework.labels.module))
    _repeat_header_rows(docx)
    keep_rows_whole(docx)
    keep_headings_with_tables(docx)
    found = _count_action_rows(docx, view)
    write_output(out_path, functools.partial(_save, document), suffix=".docx")
    return WordResult(out_path, found)


def render_cover(
    view: PlanView,
    out_path: Target,
    template: Path,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    movements: Sequence[Mapping[str, str]] = (),
    since: str = "",
) -> Target:
    """Render the committee cover report into out_path from template, as the plan is rendered.

    The same sandbox, time budget, link removal, language, properties and
    header rows as the plan (render_word); no action rows, so no bookmark
    count. movements and since are the changes since the last report
    (render/cover.py), empty until a previous plan is given.
    """
    from pipeline.render.cover import build_cover_context

    document = _load(template)
    context = build_cover_context(view, movements=movements, since=since)
    _render(document, context, template, timeout)
    docx = document.docx
    _disarm_fields(docx)
    _set_language(docx)
    _set_properties(docx, view.plan, title=context["report"]["title"])
    _repeat_header_rows(docx)
    keep_headings_with_tables(docx)
    return write_output(out_path, functools.partial(_save, document), suffix=".docx")


def _render(
    document: PlanTemplate, context: dict[str, Any], template: Path, timeout: float
) -> None:
    """Render in the sandbox, turning every way a template can fail into a TemplateError."""
    environment = PlanSandbox(timeout)
    environment.start_clock()
    name = template.name
    try:
        with memory_budget():
            document.render(context, jinja_env=environment, autoescape=True)
    except TemplateTimeout:
        raise TemplateError(
            f"The Word template {name} took longer than {timeout:g} second"
            f"{'' if timeout == 1 else 's'} to fill in, so it was stopped and no plan was written.",
            hint="A loop in the template may never end: check its {% for %} tags. For a very large "
            "plan, allow more time with --template-timeout SECONDS.",
        ) from None
    except TemplateLimit as exc:
        raise _unsafe(name, exc, "it asks for far more work than any plan needs") from None
    except jinja2.exceptions.SecurityError as exc:
        raise _unsafe(name, exc, "") from None
    except etree.XMLSyntaxError as exc:
        raise TemplateError(
            f"The Word template {name} produced invalid XML after rendering ({exc}).",
            hint="A tag may sit across Word's formatting runs, or print raw markup with |safe; "
            "retype it in one go in Word.",
        ) from None
    except MemoryError as exc:
        raise _unsafe(name, exc, "it needs far more memory than any plan") from None
    except RecursionError as exc:
        tag = getattr(exc, "eqplan_tag", "")
        raise TemplateError(
            f"The Word template {name} calls itself without end"
            + (f" (at {tag})" if tag else "")
            + ", so it was stopped and no plan was written.",
            hint="A {% macro %} in the template calls itself; make sure it stops.",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"The Word template {name} uses a name eqplan does not provide: {exc.message}.",
            hint="Check the tag's spelling against 'The Word template context' in README.md.",
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(
            f"The Word template {name} has a broken tag: {exc}.",
            hint="Each {% %} tag needs its matching end tag, and each tag must be typed in one go "
            "so Word keeps it in one piece.",
        ) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        tag = getattr(exc, "eqplan_tag", "")
        raise TemplateError(
            f"The Word template {name} could not be filled in"
            + (f" at {tag}" if tag else "")
            + f": {type(exc).__name__}: {exc}.",
            hint="Check the tag: it may do arithmetic or call something on a value that does not "
            "allow it.",
        ) from None


def _unsafe(name: str, exc: Exception, reason: str) -> TemplateError:
    """TEMPLATE_UNSAFE, naming the tag as typed in the template."""
    tag = getattr(exc, "eqplan_tag", "")
    detail = "; ".join(part for part in (str(exc).rstrip("."), reason) if part)
    problem = problems.TEMPLATE_UNSAFE.at(path=name, tag=f": {tag}" if tag else "", detail=detail)
    return TemplateError(f"{problem.code}: {problem.message}", hint=problem.hint, code=problem.code)


def _save(document: PlanTemplate, target: Path) -> None:
    """Save the plan, then take out any outside links it carried over from the template."""
    document.save(target)
    remove_outside_links(target)


def _load(template: Path) -> PlanTemplate:
    check_template(template)
    try:
        document = PlanTemplate(str(template))
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


def _disarm_fields(docx: Any) -> None:
    """Empty field instructions that would fetch or run something (fields.py) in every Word part."""
    for part in docx.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            disarm(risky_fields(element, is_plain_web_address))


def _set_language(docx: Any) -> None:
    """Set en-GB in the default run properties, where Word and screen readers look for it."""
    styles = docx.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _set_properties(docx: Any, plan: Plan, title: str = "") -> None:
    """Title (the plan's unless given), author, subject and language; dates fixed to the report date."""
    details = plan.details
    props = docx.core_properties
    props.title = title or details.title
    props.author = details.author or details.council
    props.subject = f"{details.council}: equality action plan ({plan.framework.short_title})"
    props.keywords = "equality; action plan; " + plan.framework.short_title
    props.language = LANGUAGE
    props.comments = f"Generated by eqplan {__version__}"
    props.last_modified_by = "eqplan"
    stamp = dt.datetime.combine(details.report_date or dt.date(2000, 1, 1), dt.time(12, 0))
    props.created = props.modified = stamp
    props.revision = 1


def _describe_picture(docx: Any, png: bytes, description: str) -> None:
    """Give the chart picture its alt text (docPr descr); docxtpl 0.20 cannot."""
    part = docx.part
    for inline in part.element.body.iter(qn("wp:inline")):
        blip = next(inline.iter(qn("a:blip")), None)
        if blip is None:
            continue
        rel_id = blip.get(qn("r:embed"))
        related = part.related_parts.get(rel_id)
        if related is not None and related.blob == png:
            doc_pr = inline.find(qn("wp:docPr"))
            doc_pr.set("descr", description)
            doc_pr.set("title", "Actions by RAG rating")


def _repeat_header_rows(docx: Any) -> None:
    """Mark every table's first row as a header row repeated on each page.

    Whether rows may split across pages is decided afterwards from each row's
    text (render/pagination.py).
    """
    body = docx.element.body
    for table in body.iter(qn("w:tbl")):
        first = table.find(qn("w:tr"))
        if first is None or first.getnext() is None:
            continue
        trpr = first.find(qn("w:trPr"))
        if trpr is None:
            trpr = OxmlElement("w:trPr")
            first.insert(0, trpr)
        if trpr.find(qn("w:tblHeader")) is None:
            trpr.append(OxmlElement("w:tblHeader"))


def _count_action_rows(docx: Any, view: PlanView) -> int:
    """Check that each action's bookmark (from its key) appears exactly once; raise if not."""
    names = [
        element.get(qn("w:name"), "")
        for element in docx.element.body.iter(qn("w:bookmarkStart"))
        if element.get(qn("w:name"), "").startswith(BOOKMARK_PREFIX)
    ]
    found = Counter(names)
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
