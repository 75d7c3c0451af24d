"""Finishing touches on a rendered Word document that templates cannot reliably carry.

The language in the default style, document properties, alt text on the
chart, header rows repeated on every page, and fields updated on opening.
Used by the plan (word.py), the cover report and the changes document.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline import __version__
from pipeline.i18n import _, current_language, language_tag
from pipeline.model import Plan
from pipeline.render.english_parts import english_runs
from pipeline.text import property_text
from pipeline.welsh_text import in_language

#: The language an English document is tagged with (Word, HTML, PDF); Welsh ones are cy-GB.
LANGUAGE = "en-GB"
#: What may follow w:lang in a run's properties (ECMA-376 CT_RPr), so w:lang goes before them.
_AFTER_LANG = tuple(
    qn(f"w:{name}") for name in ("eastAsianLayout", "specVanish", "oMath", "rPrChange")
)


_TBL, _INLINE = qn("w:tbl"), qn("wp:inline")
_INSTR_TEXT, _FLD_SIMPLE, _INSTR = qn("w:instrText"), qn("w:fldSimple"), qn("w:instr")


@dataclass
class BodyParts:
    """The elements of a document's body that the finishing steps look at, in order.

    Found in one walk (body_parts): at 10,000 actions each walk over the body cost 0.05 s,
    and the steps took six. The steps add only properties (header rows, rows kept whole,
    keep-with-next), never elements of these kinds, so the lists stay true as they work.
    """

    tables: list[Any] = field(default_factory=list)  # every w:tbl, nested ones too
    pictures: list[Any] = field(default_factory=list)  # wp:inline drawings
    instructions: list[str] = field(default_factory=list)  # field codes, complex and simple


def body_parts(docx: Any) -> BodyParts:
    """The tables, pictures and field codes of docx's body, in one walk."""
    return block_parts(docx.element.body)


def block_parts(block: Any) -> BodyParts:
    """The tables, pictures and field codes in one element (a block of the body)."""
    parts = BodyParts()
    for element in block.iter(_TBL, _INLINE, _INSTR_TEXT, _FLD_SIMPLE):
        tag = element.tag
        if tag == _TBL:
            parts.tables.append(element)
        elif tag == _INLINE:
            parts.pictures.append(element)
        elif tag == _INSTR_TEXT:
            parts.instructions.append(element.text or "")
        else:
            parts.instructions.append(element.get(_INSTR, ""))
    return parts


def set_language(docx: Any) -> None:
    """Tag the document in the language being built, where Word and screen readers look for it.

    The default run properties always; in a Welsh document also every style and every run
    that names a language, and every run of the body, headers and footers, so that spell-check
    and screen readers switch to Welsh throughout (issue 15).
    """
    tag = language_tag()
    styles = docx.styles.element
    defaults = find_or_add(styles, "w:docDefaults", first=True)
    rpr = find_or_add(find_or_add(defaults, "w:rPrDefault", first=True), "w:rPr")
    lang = find_or_add(rpr, "w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    if current_language() == "en":
        return  # English documents stay exactly as before: the default says it all
    for element in styles.iter(qn("w:lang")):
        element.set(qn("w:val"), tag)
    theme = docx.settings.element.find(qn("w:themeFontLang"))  # the theme fonts' language
    if theme is not None:
        theme.set(qn("w:val"), tag)
    # Headers and footers through the relationships: docxtpl puts each rendered one there.
    parts = [docx.element] + [
        rel.target_part._element
        for rel in docx.part.rels.values()
        if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] in ("header", "footer")
    ]
    for root in parts:
        tag_runs(root)


def tag_runs(root: Any) -> None:
    """Tag every run in root (a part, or a block of the body) in the language being built,
    and the English a Welsh document prints where it has no Welsh `en-GB` (english_parts.py)."""
    tag = language_tag()
    english = english_runs(root)
    for run in root.iter(qn("w:r")):
        _tag_run(run, LANGUAGE if run in english else tag)


#: qn for the few names find_or_add is given: it runs twice for every table row of the plan.
_clark = functools.cache(qn)


def find_or_add(parent: Any, name: str, *, first: bool = False) -> Any:
    """parent's child element called name, added (first, or last) if it has none."""
    tag = _clark(name)
    child = parent.find(tag)
    if child is None:
        child = parent.makeelement(tag)  # in parent's document: python-docx's element classes
        if first:
            parent.insert(0, child)
        else:
            parent.append(child)
    return child


def _tag_run(run: Any, tag: str) -> None:
    """Give one run its own w:lang (Word checks spelling by the run's language)."""
    rpr = find_or_add(run, "w:rPr", first=True)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        later = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        if later is None:
            rpr.append(lang)
        else:
            later.addprevious(lang)
    lang.set(qn("w:val"), tag)


def set_properties(docx: Any, plan: Plan, title: str = "") -> None:
    """Title, author, subject and language; dates fixed to the report date so output is repeatable."""
    details = plan.details
    props = docx.core_properties
    props.title = property_text(title or in_language(plan.welsh.plan, "title", details.title))
    props.author = property_text(details.author or details.council)
    props.subject = property_text(
        _("%(council)s: equality action plan (%(framework)s)")
        % {"council": details.council, "framework": plan.framework.short_title}
    )
    props.keywords = property_text(
        _("equality; action plan; %(framework)s") % {"framework": plan.framework.short_title}
    )
    props.language = language_tag()
    props.comments = f"Generated by eqplan {__version__}"
    props.last_modified_by = "eqplan"
    stamp = dt.datetime.combine(details.report_date or dt.date(2000, 1, 1), dt.time(12, 0))
    props.created = props.modified = stamp
    props.revision = 1


def describe_picture(
    docx: Any, png: bytes, description: str, parts: BodyParts | None = None
) -> None:
    """Give the chart picture its alt text (docPr descr); docxtpl 0.20 cannot."""
    part = docx.part
    for inline in (parts or body_parts(docx)).pictures:
        blip = next(inline.iter(qn("a:blip")), None)
        if blip is None:
            continue
        rel_id = blip.get(qn("r:embed"))
        related = part.related_parts.get(rel_id)
        if related is not None and related.blob == png:
            doc_pr = inline.find(qn("wp:docPr"))
            doc_pr.set("descr", description)
            doc_pr.set("title", _("Actions by RAG rating"))


def mark_header_rows(root: Any) -> None:
    """In a template before it is filled in (or a document eqplan builds itself, the
    changes document): mark each table's first row as a header row
    repeated on each page, unless a tag there repeats or removes rows (`{%tr for %}`, any
    `{% %}` statement: _holds_statement). A table whose rows all come from a loop then never
    has an action's row made its header, however many rows each action takes: marked after
    rendering, a template's first action (or its first row of text) was repeated on every page
    of the PDF, and 18 actions were left out (two attackers' reviews of templates).

    Whether rows may split across pages is decided after rendering from each row's text
    (render/pagination.py).
    """
    for table in root.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        if len(rows) < 2 or _holds_statement(rows[0]):
            continue
        find_or_add(find_or_add(rows[0], "w:trPr", first=True), "w:tblHeader")


def _holds_statement(row: Any) -> bool:
    """Whether Jinja sees a `{% %}` statement in row once docxtpl has patched it, as it
    patches the template: a tag split across Word's runs joined, `{%tr %}` standing for the
    row, `{% cellbg %}` and `{% colspan %}` made the cell's shading and span.

    So a heading that prints `{%` (`{{ '{%' }}`, or docxtpl's escape `{_%`), a `{ %` with a
    space, a `{% %}` in a comment or a shaded heading cell is still a header; before, any
    `{%` in its text was taken for a loop.
    """
    text = "".join(row.itertext())
    if "{" not in text or "%" not in text:
        return False  # nearly every heading: neither docxtpl nor Jinja is needed
    from docxtpl import DocxTemplate
    from jinja2 import Environment, TemplateSyntaxError
    from lxml import etree

    from pipeline.render.compiled import kept

    xml = etree.tostring(row, encoding="unicode")
    # kept as the part's own clean-up is: one of docxtpl's regexes takes time growing with the
    # square of a row's `{%` count (8 s for 20,000), paid again on every build of the template
    patched = kept("header-row", "", xml, lambda: DocxTemplate.patch_xml(None, xml), str)  # type: ignore[arg-type]
    try:
        return any(kind in _STATEMENT for _, kind, _ in Environment().lex(patched))
    except TemplateSyntaxError:  # a tag begun here and ended in another row: as before
        return "{%" in patched


#: Jinja's tokens that start a statement (`{% raw %}` has tokens of its own).
_STATEMENT = frozenset(("block_begin", "raw_begin"))


#: What may follow w:updateFields in settings.xml (ECMA-376 Part 1, 17.15.1.78, CT_Settings order).
_AFTER_UPDATE_FIELDS = frozenset(
    qn(tag)
    for tag in (
        "w:hdrShapeDefaults w:footnotePr w:endnotePr w:compat w:docVars w:rsids m:mathPr "
        "w:attachedSchema w:themeFontLang w:clrSchemeMapping w:doNotIncludeSubdocsInStats "
        "w:doNotAutoCompressPictures w:forceUpgrade w:captions w:readModeInkLockDown "
        "w:smartTagType w:schemaLibrary w:shapeDefaults w:doNotEmbedSmartTags "
        "w:decimalSymbol w:listSeparator"
    ).split()
)


def has_contents_field(docx: Any, instructions: list[str] | None = None) -> bool:
    """Whether the body holds a contents list (a TOC field, complex or simple).

    instructions: the body's field codes, when they were gathered as it was parsed.
    """
    if instructions is None:
        instructions = body_parts(docx).instructions
    return any(instruction.strip().upper().startswith("TOC") for instruction in instructions)


def update_fields_on_opening(docx: Any, instructions: list[str] | None = None) -> None:
    """Ask Word to update fields on opening, so the contents list gets its page numbers.

    The contents list is filled in with the headings but no page numbers:
    only Word (or LibreOffice, for the PDF) can lay out the pages, and a
    number guessed here would be wrong. Word asks the reader whether to
    update; answering Yes adds the numbers. Set only when there is a
    contents list, so a council's template without one never prompts, and
    placed where the schema wants it (after a template that put it last).
    """
    if not has_contents_field(docx, instructions):
        return
    settings = docx.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    follower = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
    if follower is None:
        settings.append(update)
    else:
        follower.addprevious(update)
