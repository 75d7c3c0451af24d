"""docxtpl, made strict and fast enough for 10,000-row tables.

docxtpl 0.20.2 (the newest release) renders a template in four steps after
Jinja2: it turns line breaks into Word breaks with a regex per paragraph and
run, re-parses the body with lxml's *recover* mode, fixes table grids, and
moves the new body into the document. Measured on a 10,000-action plan
(bench/), the last three steps took 17 of 19 seconds, and recover mode can
silently drop content (python-docx-template#634). This subclass keeps
docxtpl's template syntax and Jinja2 rendering and replaces those steps:

- line breaks and tabs are converted in one pass over the text nodes;
- the body is parsed strictly (malformed output is an error, never silently
  repaired) as Jinja2 renders it, a block at a time (body_stream.py): its
  text is never held whole, and a caller that sets `stream_to` finishes,
  cleans and writes out each block as it comes, so neither is its tree;
- the table-grid fix (only needed for `{%tc %}` column loops) runs only on
  tables whose rows outgrow their grid.

It also makes sure every part is rendered exactly once. docxtpl renders the
footnotes part once per section of the document, so from the second section
on, the workbook's text printed by the first pass would be rendered again
as template code (`{{ 7*7 }}` typed in a cell printing 49); here each part,
header, footer and footnotes part is rendered once, however many sections
or relationships point at it, and the footnotes are parsed strictly like
the body. Core properties are cut to the 255 characters Word allows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from types import TracebackType
from typing import Any

from docx.parts.document import DocumentPart
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree

from pipeline.errors import TemplateError
from pipeline.render.block_marks import BlockMarks
from pipeline.render.body_stream import NotOneBody, StreamedDocument, stream_document
from pipeline.render.english_parts import unmarked
from pipeline.render.fields import FieldCount
from pipeline.render.isolation import safe_parser
from pipeline.render.sandbox import PlanSandbox
from pipeline.text import property_text, shortened

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_WITH_BREAKS = re.compile(r"(<w:t(?: [^>]*)?>)([^<]*[\n\t][^<]*)(</w:t>)")
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_BODY = re.compile(r"<w:body\b.*</w:body>|<w:body\s*/>", re.DOTALL)
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
#: Core properties docxtpl fills in from the template's own (which may hold tags).
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
#: A complex field's marks in a rendered part's text (docxtpl's parts use the w: prefix).
#: docxtpl's way of printing a literal `{{` or `{%` from a template: `{_{`, `{_%` and so on.
_ESCAPED_BRACES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))
_REPLACEMENTS = {
    "\n": '</w:t><w:br/><w:t xml:space="preserve">',
    "\t": '</w:t><w:tab/><w:t xml:space="preserve">',
}


def _breaks(match: re.Match[str]) -> str:
    opening, text, closing = match.groups()
    for char, markup in _REPLACEMENTS.items():
        text = text.replace(char, markup)
    if "xml:space" not in opening:
        opening = '<w:t xml:space="preserve">'
    return opening + text + closing


class PlanTemplate(DocxTemplate):
    """A DocxTemplate with strict, linear-time post-processing of the rendered XML."""

    #: How error messages name the template (its file's name: word.py sets it).
    template_name = "in use"
    #: What stream_to asks to be done to each block of the body, and to groups of them.
    _finish_block: Callable[[Any, BlockMarks], None] | None = None
    _flush_blocks: Callable[[list[Any], list[BlockMarks]], None] | None = None

    def render_xml_part(self, src_xml, part, context, jinja_env=None) -> str:
        """Render one part as docxtpl does; on failure, note the tag at fault on the exception."""
        return "".join(self._rendered_pieces(src_xml, part, context, jinja_env))

    def _rendered_pieces(self, src_xml, part, context, jinja_env=None) -> Iterator[str]:
        """A part rendered as docxtpl renders it, in pieces that each end before a paragraph.

        docxtpl puts each paragraph on its own line before rendering (so Jinja's line numbers
        name paragraphs) and takes the line breaks out again afterwards with a regex; here that
        is two plain replacements, the same change in a fifth of the time at 10,000 rows. Each
        piece is cut just before a paragraph starts, where none of the replacements (nor
        resolve_listing's, within one w:t) can be cut in two, so the pieces are tidied one by
        one and the body need never be held whole (fix_tables).
        """
        lines = _PARAGRAPH_START.sub(r"\n<w:p\1", src_xml)
        try:
            self.current_rendering_part = part
            template = jinja_env.from_string(lines) if jinja_env else Template(lines)
            chunks = template.generate(context)
            if isinstance(jinja_env, PlanSandbox):
                chunks = jinja_env.checked_output(chunks)  # the clock and size checks
            for piece in _before_paragraphs(chunks):
                piece = piece.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
                for escaped, brace in _ESCAPED_BRACES:
                    piece = piece.replace(escaped, brace)
                yield self.resolve_listing(piece)
        except Exception as exc:
            exc.eqplan_tag = tag_at_fault(exc, lines)  # type: ignore[attr-defined]
            typed = vars(self).get("_typed", {}).get(src_xml, src_xml)  # template_blocks.py
            name = str(getattr(part, "partname", "")).lstrip("/")
            exc.eqplan_typed = (typed, name)  # type: ignore[attr-defined]
            raise

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's clean-up of Word's markup around tags, done once per part's text (compiled.py).

        Field marks in what docxtpl's clean-up deletes (a `{%p %}` tag's paragraph) are first
        moved out of it, so every field stays whole (field_repair.py).
        """
        from pipeline.render import field_repair
        from pipeline.render.compiled import kept

        def patched() -> str:
            return super(PlanTemplate, self).patch_xml(field_repair.keep_fields_whole(src_xml))

        result = kept("patched", "", src_xml, patched, str)
        vars(self).setdefault("_typed", {})[result] = src_xml  # the part as typed, for errors
        return result

    def resolve_listing(self, xml: str) -> str:
        """Line breaks become <w:br/> and tabs <w:tab/>, inside the same run.

        eqplan cleans every other control character at reading time, so the
        bell and form-feed handling of docxtpl's version is not needed.
        """
        if "\n" not in xml and "\t" not in xml:
            return xml  # most of a plan's text: two scans in C instead of the regex (0.15 s)
        return _TEXT_WITH_BREAKS.sub(_breaks, xml)

    def stream_to(
        self,
        finish: Callable[[Any, BlockMarks], None],
        flush: Callable[[list[Any], list[BlockMarks]], None] | None,
    ) -> None:
        """Have render() hand each block of the body to finish(block, marks) as it is parsed.

        With flush, finished blocks are passed on to flush(blocks, marks), then written out
        and dropped as the body is rendered (body_stream.py): saving writes them.
        """
        self._finish_block, self._flush_blocks = finish, flush

    def build_xml(self, context, jinja_env=None) -> str:
        """Start rendering the body: fix_tables parses it as the pieces come."""
        xml = self.patch_xml(self.get_xml())
        self._body_pieces = self._rendered_pieces(xml, self.docx._part, context, jinja_env)
        return ""

    def fix_tables(self, xml: str):
        """Render and parse the body strictly, a block at a time, and fix table grids.

        The document is fed to the parser in pieces (text before the body, the body as it
        is rendered, text after it), so the body's text is never held whole. Each child of
        the body gets its table grids fixed (`{%tc %}` column loops) and its pictures
        numbered as docxtpl numbers them, then goes to stream_to's finish and flush.
        """
        document = etree.tostring(self.docx._element, encoding="unicode")
        span = _BODY.search(document)
        if span is None:  # the body's prefix is not w:
            raise TemplateError(
                f"The Word template {self.template_name}'s body could not be found in its main "
                "part (word/document.xml names it in an unusual way).",
                hint="Open the template in Word and save it again as a .docx document.",
            )
        pieces = chain((document[: span.start()],), self._body_pieces, (document[span.end() :],))
        finish, flush = self._finish_block, self._flush_blocks

        def each(block: Any, marks: BlockMarks) -> None:
            for picture in marks.doc_prs:
                self.docx_ids_index += 1
                picture.set("id", str(self.docx_ids_index))
            alone = len(marks.tables) == 1 and marks.tables[0] is block
            for table in marks.tables:
                _fix_grid(table, marks.rows if alone else None)
            if finish is not None:
                finish(block, marks)

        try:
            streamed = stream_document(pieces, each, flush)
        except (etree.XMLSyntaxError, NotOneBody) as exc:
            raise TemplateError(
                f"The Word template produced invalid XML after rendering ({exc}).",
                hint="A tag may sit across Word's formatting runs; retype it in one go in Word.",
            ) from None
        finally:
            self._body_pieces = iter(())
        self._check_fields(streamed.fields, "word/document.xml")
        if flush is not None:
            part = self.docx._part
            if type(part) is not DocumentPart:  # python-docx loads every main part so
                raise TemplateError(
                    f"The Word template {self.template_name}'s main part is not a document.",
                    hint="Open it in Word and save it again as a Word Document (.docx).",
                )
            part.__class__ = _StreamedDocumentPart  # saved from the blocks, not the tree
            part.eqplan_streamed = streamed
        return streamed.root

    def _check_fields(self, fields: FieldCount, part: str) -> None:
        """Refuse a rendered part whose complex fields do not balance (fields.FieldCount)."""
        fault = fields.fault()
        if fault:
            raise TemplateError(
                f"The Word template {self.template_name} gave a document with {fault} "
                f"({part}), so nothing was written: Word and LibreOffice would show everything "
                "after a field never ended as part of it, often leaving one page.",
                hint="A field's start or end (the contents list's, say) is in a paragraph or "
                "table row that a {%p %} or {%tr %} tag removes or repeats. In Word, show field "
                "codes (Alt+F9) and keep each field out of the tags' paragraphs, or start again "
                "from a copy of templates/action-plan-rag.docx.",
            )

    def _check_part_fields(self, xml: str, part: Any) -> None:
        """Refuse a rendered header, footer or footnotes part whose fields do not balance,
        read as XML (any prefix the part binds to Word's namespace, any quoting)."""
        try:
            root = etree.fromstring(xml.encode("utf-8"), safe_parser())
        except etree.XMLSyntaxError:
            return  # broken XML: the part's own strict parse says so, naming the template
        fields = FieldCount()
        fields.add(root)
        self._check_fields(fields, str(part.partname).lstrip("/"))

    def build_headers_footers_xml(self, context, uri, jinja_env=None):
        """Render each header or footer part once, even if several relationships point at it."""
        self._shared_parts: dict[str, list[str]] = {}
        first_key: dict[int, str] = {}
        for rel_key, part in list(self.get_headers_footers(uri)):
            if id(part) in first_key:
                self._shared_parts[first_key[id(part)]].append(rel_key)
                continue
            first_key[id(part)] = rel_key
            self._shared_parts[rel_key] = []
        for rel_key in self._shared_parts:
            part = self.docx._part.rels[rel_key].target_part
            xml = self.get_part_xml(part)
            encoding = self.get_headers_footers_encoding(xml)
            xml = self.render_xml_part(self.patch_xml(xml), part, context, jinja_env)
            self._check_part_fields(xml, part)
            yield rel_key, xml.encode(encoding)

    def map_headers_footers_xml(self, rel_key, xml) -> None:
        """Put the rendered part in place, for every relationship that shared it."""
        super().map_headers_footers_xml(rel_key, xml)
        rels = self.docx._part.rels
        for other in self._shared_parts.get(rel_key, []):
            rels[other]._target = rels[rel_key]._target

    def render_footnotes(self, context, jinja_env: Environment | None = None) -> None:
        """Render each footnotes part once (docxtpl: once per section) and parse it strictly."""
        done: set[int] = set()
        for part in self.docx.part.package.iter_parts():
            if part.content_type != _FOOTNOTES or id(part) in done:
                continue
            done.add(id(part))
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            xml = self.render_xml_part(self.patch_xml(blob), part, context, jinja_env)
            self._check_part_fields(xml, part)
            # Footnotes stay a plain part (python-docx has no tree for them), so English in
            # a Welsh one is not cut into runs of its own: its marks are only taken out.
            data = unmarked(xml).encode("utf-8")
            etree.fromstring(data, safe_parser())  # XMLSyntaxError: the template broke the part
            part._blob = data

    def render_properties(self, context, jinja_env: Environment | None = None) -> None:
        """Render the template's core properties once, cut to the length Word allows."""
        properties = self.docx.core_properties
        for name in _PROPERTIES:
            rendered = jinja_env.from_string(getattr(properties, name)).render(context)
            setattr(properties, name, property_text(unmarked(rendered)))

    def fix_docpr_ids(self, tree) -> None:
        """Nothing: pictures are numbered block by block as the body is parsed (fix_tables)."""

    def map_tree(self, tree) -> None:
        """Swap in the newly parsed document rather than moving its body across documents."""
        self.docx._part._element = tree
        self.docx._element = tree
        self.docx._Document__body = None


#: Characters of rendered text gathered before they are cut into pieces (_before_paragraphs).
_PIECE = 1 << 17
_NEW_PARAGRAPH = "\n<w:p"


def _before_paragraphs(chunks: Iterable[str]) -> Iterator[str]:
    """chunks joined, then cut again just before paragraph starts, about _PIECE at a time.

    A paragraph starts where the template's text has a line break and `<w:p` (docxtpl's
    line per paragraph). Each chunk is searched once, with the few characters before it (a
    start may straddle two chunks), and joined only when a piece is cut: without a start
    (one huge paragraph) the text gathers, in linear time, until one comes.
    """
    pending: list[str] = []
    size = 0  # characters pending
    cut = -1  # where the last paragraph start pending begins, or -1
    tail = ""  # the pending text's last characters: the start of a start, maybe
    for chunk in chunks:
        window = "".join((tail, chunk))  # join, not +: a Markup chunk would escape the rest
        found = window.rfind(_NEW_PARAGRAPH)
        if found >= 0:
            cut = size - len(tail) + found
        pending.append(chunk)
        size += len(chunk)
        tail = window[-(len(_NEW_PARAGRAPH) - 1) :]
        if size >= _PIECE and cut > 0:
            text = "".join(pending)
            yield text[:cut]
            pending, size, cut = [text[cut:]], size - cut, -1
    if pending:
        yield "".join(pending)


class _StreamedDocumentPart(DocumentPart):
    """The main part, saved from its streamed body (the blocks written as it was parsed)."""

    eqplan_streamed: StreamedDocument

    @property
    def blob(self) -> bytes:
        return self.eqplan_streamed.serialise()


def _fix_grid(table, rows: list[Any] | None = None) -> None:
    """Add grid columns when `{%tc %}` loops gave rows more cells than the grid has.

    rows: every row in the table (nested tables' too), when they were found already.
    """
    grid = table.find(f"{_W}tblGrid")
    if grid is None:
        return
    columns = grid.findall(f"{_W}gridCol")
    n = len(columns)
    # A row has more cells than the grid only if it has more children (lxml counts those in
    # C); three times as fast as one XPath over the table, which cost 0.15 s at 10,000 rows.
    rows = table.iter(f"{_W}tr") if rows is None else rows
    if not any(len(row) > n and len(row.findall(f"{_W}tc")) > n for row in rows):
        return  # nearly always
    widest = max((len(row.findall(f"{_W}tc")) for row in table.iter(f"{_W}tr")), default=0)
    extra = widest - len(columns)
    if extra <= 0 or not columns:
        return
    widths = [float(c.get(f"{_W}w", 0)) for c in columns]
    total = sum(widths)
    if total > 0:
        new_average = total / (len(columns) + extra)
        scale = new_average / (total / len(columns))
        for column, width in zip(columns, widths, strict=True):
            column.set(f"{_W}w", str(int(width * scale)))
    else:
        new_average = 0
    for _ in range(extra):
        etree.SubElement(grid, f"{_W}gridCol", {f"{_W}w": str(int(new_average))})


# ------------------------------------------------------------------- naming the tag at fault

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]+>")
#: What a refusal names: a quoted attribute (`'__class__'`) or a called function (`range()`).
_NAMED = re.compile(r"'([^']+)'|\b(\w+)\(\)")


def tag_at_fault(exc: BaseException, source: str) -> str:
    """The template tag (as typed in Word) on the line where exc was raised, or ''.

    Jinja2 rewrites tracebacks so that template frames carry the template's
    own line number; docxtpl puts each Word paragraph on its own line, so the
    line is the paragraph and its text holds the tag. Where a paragraph holds
    several tags (a table row's first cell), the first one holding what the sandbox
    says is at fault (exc.in_tag: `~`, `_(`, `include`) is named, else the first one
    holding the refused attribute or the function refused its arguments
    (`range() was given ...`). Jinja knows only the line, so of two tags in one
    paragraph that both hold it, the first is named.
    """
    line_number = 0
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line_number = tb.tb_lineno
        tb = tb.tb_next
    line_number = line_number or getattr(exc, "lineno", 0) or 0
    lines = source.splitlines()
    if not 0 < line_number <= len(lines):
        return ""
    text = html.unescape(_XML_TAG.sub("", lines[line_number - 1]))
    tags = _TAG.findall(text)
    if not tags:
        return ""
    names = [quoted or called for quoted, called in _NAMED.findall(str(exc))]
    for name in [getattr(exc, "in_tag", ""), *names]:
        for tag in tags:
            if name and name in tag[2:-2]:  # inside the braces: `%` is in every {% %}
                return _shorten(tag)
    return _shorten(tags[0])


def _shorten(tag: str) -> str:
    return shortened(" ".join(tag.split()))
