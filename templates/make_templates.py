"""Build the default Word templates: templates/action-plan-rag.docx and action-plan-outcomes.docx.

The templates are ordinary Word documents with Jinja2 tags (docxtpl syntax),
so a council can open them in Word and change fonts, colours, the logo and
wording without touching Python. This script only makes the starting point;
run it with `make templates`. The variables the tags may use are listed in
README.md ("The Word template context").

docxtpl rules followed here: a `{%p ...%}` tag is alone in its paragraph,
a `{%tr ...%}` tag alone in its table row, `{{r ...}}` alone in its run, and
`{% cellbg ... %}` sits inside the cell it colours.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.run import Run

from pipeline import headings as h
from pipeline.render.column_widths import (
    DATE_WIDTH_CM,
    OWNER_WIDTH_CM,
    RAG_WIDTH_CM,
    RATING_WIDTHS_CM,
    REF_WIDTH_CM,
    TOTAL_WIDTH_CM,
)

HERE = Path(__file__).resolve().parent
FONT = "Arial"
DARK_BLUE = RGBColor(0x1F, 0x4E, 0x79)
HEADER_FILL = "1F4E79"
LANDSCAPE_WIDTH_CM = 26.7
TABLE_TEXT_PT = 12


#: Under an action's rating with `--since`: `Was: Amber` (or that it is new), in smaller type.
SINCE_NOTE = ("{%p if a.since_note %}", "{{ a.since_note }}", "{%p endif %}")
SMALL_PT = 10


def T_(message: str, **values: str) -> str:
    """A tag printing fixed text in the plan's language: `{{ _('Contents') }}` (issue 15).

    The English message is looked up in the Welsh catalogue when the plan is built
    in Welsh, so the template itself holds no English a Welsh plan would print, and a
    council's restyled copy works in both languages. values are context expressions
    put in for `%(name)s`: T_("Version %(version)s", version="plan.version").
    Single quotes, as Word would escape double ones in a table's caption; a message
    with an apostrophe uses double quotes (never in a caption).
    """
    quote = '"' if "'" in message else "'"
    args = "".join(f", {name}={expression}" for name, expression in values.items())
    return f"{{{{ _({quote}{message}{quote}{args}) }}}}"


@dataclass
class Col:
    """A column of a looped table: heading, width, the cell's lines and how it is shaded."""

    heading: str
    width: float
    lines: tuple[str, ...]
    shade: str = ""  # a context expression giving the fill, e.g. "a.rag_fill"
    bold_first: bool = False


def main() -> None:
    for layout in ("rag", "outcomes"):
        path = HERE / f"action-plan-{layout}.docx"
        build(layout).save(path)
        print(f"Wrote {path.relative_to(HERE.parent)}")


def build(layout: str):
    doc = Document()
    _styles(doc)
    _page(doc.sections[0], landscape=False)
    _footer(doc.sections[0])
    _front_matter(doc)
    landscape = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(landscape, landscape=True)
    _modules(doc, layout)
    _appendices(doc)
    _settings(doc)
    _trim(doc)
    doc.core_properties.title = "{{ plan.title }}"
    doc.core_properties.author = "{{ plan.author }}"
    doc.core_properties.language = "en-GB"  # eqplan sets the plan's language when it builds
    doc.core_properties.comments = "Template for eqplan (action plan, " + layout + " layout)."
    return doc


# ------------------------------------------------------------------------- styles


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(6)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for name, size in (
        ("Title", 28),
        ("Subtitle", 18),
        ("Heading 1", 18),
        ("Heading 2", 14),
        ("Heading 3", 12),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = DARK_BLUE
        style.font.bold = name.startswith("Heading") or name == "Title"
        style.font.italic = False
        rfonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
        if rfonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                rfonts.attrib.pop(qn(attr), None)
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                rfonts.set(qn(attr), FONT)
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 1"].paragraph_format.keep_with_next = True
    styles["Heading 2"].paragraph_format.keep_with_next = True
    styles["Caption"].font.size = Pt(12)
    styles["Caption"].font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    styles["Caption"].font.italic = False
    toc = styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.base_style = normal
    toc.paragraph_format.space_after = Pt(3)
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(12)
    cell.paragraph_format.space_after = Pt(2)
    head = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = cell
    head.font.bold = True
    head.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    # The document language lives in the default run properties (python-docx #727).
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")
    lang.set(qn("w:bidi"), "ar-SA")


def _page(section, landscape: bool) -> None:
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    margin = Cm(1.5) if landscape else Cm(1.9)  # landscape pages hold the wide action tables
    for side in ("left_margin", "right_margin"):
        setattr(section, side, margin)
    section.top_margin = section.bottom_margin = Cm(1.5) if landscape else Cm(1.8)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) with a placeholder result."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.add_run("{{ plan.title }}, {{ plan.council }}. " + T_("Page") + " ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" " + T_("of") + " ")
    _field(paragraph, "NUMPAGES", "1")
    # Every run, the page numbers' inside their fields too (paragraph.runs leaves those out,
    # and they were printed larger than the words around them).
    for element in paragraph._p.iter(qn("w:r")):
        run = Run(element, paragraph)
        run.font.size = Pt(10)
        run.font.name = FONT


def _settings(doc) -> None:
    """Ask Word to refresh the contents list and page numbers when the file is opened."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


#: Word 2010's second copy of the styles (with its text effects), which python-docx's starting
#: document carries; Word 2013 and later neither need nor write it, LibreOffice ignores it.
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _trim(doc) -> None:
    """Leave out what python-docx's starting document carries and no plan uses: Word 2010's
    styles-with-effects part and the definitions of the table styles no table uses (96
    built-in ones, LightGrid-Accent1 and the like: 300 of the 350 KB of styles.xml).

    Every build reads, writes, cleans and compresses the template's parts (issue 17:
    about 45 ms of a 100-action build). Word and LibreOffice still offer every built-in
    table style, and add its definition to the document when one is chosen.
    """
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rel_id)
    styles = doc.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.iter(qn("w:style"))}
    parts = [part for part in doc.part.package.iter_parts() if hasattr(part, "element")]
    wanted = {
        value
        for part in parts
        for style in part.element.iter(qn("w:tblStyle"))
        if (value := style.get(qn("w:val")))
    }
    wanted |= {i for i, style in by_id.items() if style.get(qn("w:default")) in ("1", "true")}
    for style_id in list(wanted):  # and what they are built on
        while (style := by_id.get(style_id)) is not None and (
            based := style.find(qn("w:basedOn"))
        ) is not None:
            style_id = based.get(qn("w:val"))
            wanted.add(style_id)
    for style_id, style in by_id.items():
        if style.get(qn("w:type")) == "table" and style_id not in wanted:
            styles.remove(style)


# ------------------------------------------------------------------------ helpers


def _p(doc, text: str = "", style: str | None = None):
    paragraph = doc.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def _tag(doc, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag, e.g. {%p for x in xs %}."""
    doc.add_paragraph(tag)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _header_row(table, caption: str) -> None:
    row = table.rows[0]
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)
    tblpr = table._tbl.tblPr
    cap = OxmlElement("w:tblCaption")
    cap.set(qn("w:val"), caption)
    tblpr.append(cap)
    for cell in row.cells:
        _shade(cell, HEADER_FILL)
        for paragraph in cell.paragraphs:
            paragraph.style = "Table Heading"


def _table(doc, columns: list[Col], caption: str, rows: int):
    table = doc.add_table(rows=rows, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # fixed layout (w:tblLayout), where the schema puts it
    for index, column in enumerate(columns):
        table.columns[index].width = Cm(column.width)
        for cell in table.columns[index].cells:
            cell.width = Cm(column.width)
        table.rows[0].cells[index].paragraphs[0].add_run(column.heading)
    _header_row(table, caption)
    return table


def _loop_table(doc, columns: list[Col], loop: str, caption: str):
    """A table with a header row and one data row repeated by {%tr for ... %}."""
    table = _table(doc, columns, caption, rows=4)
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    data = table.rows[2]
    for index, column in enumerate(columns):
        cell = data.cells[index]
        _lighten(cell, shaded=bool(column.shade))
        first = cell.paragraphs[0]
        first.style = "Table Text"
        for number, line in enumerate(column.lines):
            paragraph = first if number == 0 else cell.add_paragraph(style="Table Text")
            _cell_line(paragraph, line, bold=column.bold_first and number == 0)
            if line == SINCE_NOTE[1]:
                paragraph.runs[-1].font.size = Pt(SMALL_PT)
        if column.shade:
            first.add_run(f"{{% cellbg {column.shade} %}}")
    return table


def _lighten(cell, shaded: bool) -> None:
    """Drop the repeated cell width from a looped row: the table grid already gives it.

    Each element in a repeated row is multiplied by the number of actions, and
    a 10,000-action plan's memory is mostly these elements. A shaded cell keeps
    a placeholder fill, so its properties element is never empty (docxtpl's
    cellbg needs one to write into).
    """
    tcpr = cell._tc.tcPr
    if tcpr is None:
        return
    for width in tcpr.findall(qn("w:tcW")):
        tcpr.remove(width)
    if shaded:
        _shade(cell, "auto")
    elif len(tcpr) == 0:
        cell._tc.remove(tcpr)


def _cell_line(paragraph, line: str, bold: bool = False) -> None:
    """One line of a template cell; `{%p ...%}` and `{{r ...}}` lines stay alone in their run."""
    if line.startswith("{{r "):
        tag, _, rest = line.partition("}}")
        paragraph.add_run(tag + "}}")  # alone in its run, as docxtpl requires
        if rest:
            run = paragraph.add_run(rest)
            if bold:
                run.bold = True
        return
    run = paragraph.add_run(line)
    if bold:
        run.bold = True


def _static_table(doc, headings: list[tuple[str, float]], rows: list[list[str]], caption: str):
    columns = [Col(h, w, ()) for h, w in headings]
    table = _table(doc, columns, caption, rows=len(rows) + 1)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            paragraph = table.rows[r].cells[c].paragraphs[0]
            paragraph.style = "Table Text"
            paragraph.add_run(value)
    _keep_rows_whole(table)
    return table


def _keep_rows_whole(table) -> None:
    """Short summary tables stay on one page, rows whole; action rows (long text) may break."""
    for number, row in enumerate(table.rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if number < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _count_table(doc, label: str, loop: str, total: str, caption: str):
    """A RAG count table: label, one column per rating, total; looped rows and a total row."""
    ratings = [
        (T_("Red"), "red"),
        (T_("Amber"), "amber"),
        (T_("Green"), "green"),
        (T_("Complete"), "complete"),
        (T_("Not rated"), "not_rated"),
    ]
    var = loop.split(" ")[0]
    counts = sum(RATING_WIDTHS_CM.values()) + TOTAL_WIDTH_CM
    columns = [Col(label, round(17.2 - counts, 2), (f"{{{{ {var}.label }}}}",))]
    columns += [
        Col(name, RATING_WIDTHS_CM[key], (f"{{{{ {var}.{key} }}}}",)) for name, key in ratings
    ]
    columns.append(Col(T_("Total"), TOTAL_WIDTH_CM, (f"{{{{ {var}.total }}}}",), bold_first=True))
    table = _loop_table(doc, columns, loop, caption)
    row = table.add_row()
    for index, key in enumerate(["label", *[k for _, k in ratings], "total"]):
        paragraph = row.cells[index].paragraphs[0]
        paragraph.style = "Table Text"
        paragraph.add_run(f"{{{{ {total}.{key} }}}}").bold = True
    _keep_rows_whole(table)
    return table


# -------------------------------------------------------------------- the content


def _front_matter(doc) -> None:
    _p(doc, "{{ plan.council }}", "Title")
    _p(doc, "{{ plan.title }}", "Subtitle")
    _tag(doc, "{%p if plan.period %}")
    _p(doc, T_("Period: %(period)s", period="plan.period"))
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if plan.version_line %}")  # only what the plan gives (context_words)
    _p(doc, "{{ plan.version_line }}")
    _tag(doc, "{%p endif %}")
    _p(doc, T_("Position as at %(date)s", date="plan.report_date"))
    _tag(doc, "{%p if plan.meeting_line %}")
    _p(doc, "{{ plan.meeting_line }}")
    _tag(doc, "{%p endif %}")

    _p(doc, T_("Contents"), "TOC Heading")
    _toc(doc)

    _p(doc, T_("Document control"), "Heading 1")
    # Its rows come from the context (context_words.document_control), as the web page's
    # do: only the Plan fields that have a value, so no label stands with nothing beside it.
    _keep_rows_whole(
        _loop_table(
            doc,
            [
                Col(T_("Item"), 5.0, ("{{ row.item }}",)),
                Col(T_("Detail"), 12.2, ("{{ row.detail }}",)),
            ],
            "row in plan.document_control",
            T_("Document control"),
        )
    )

    _tag(doc, "{%p if plan.introduction %}")
    _p(doc, T_("Introduction"), "Heading 1")
    _tag(doc, "{%p for paragraph in plan.introduction %}")
    _p(doc, "{{ paragraph }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")

    # The statute's words come from pipeline/data/statutory.yaml through the context, never
    # from a copy here: a paraphrase once said "remove" where section 149 says "eliminate".
    _p(doc, "{{ statutory.psed.title }}", "Heading 2")
    _p(doc, T_("%(citation)s says:", citation="statutory.psed.citation"))
    _p(doc, "{{ statutory.psed.introduction }}", "Quote")
    _tag(doc, "{%p for aim in statutory.psed.aims %}")
    _p(doc, "{{ aim }}", "Quote")
    _tag(doc, "{%p endfor %}")
    _p(doc, T_("Source: %(source)s", source="statutory.psed.source"), "Caption")

    _tag(doc, "{%p if plan.objectives %}")
    _p(doc, T_("Our equality objectives"), "Heading 1")
    _tag(doc, "{%p for objective in plan.objectives %}")
    _p(doc, "{{ objective }}", "List Number")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")

    _p(doc, T_("Summary of progress"), "Heading 1")
    _p(doc, "{{ summary.summary_text }}")
    _tag(doc, "{%p if summary.any_rated %}")
    _p(doc, T_("Ratings by %(section)s", section="plan.labels.section | lower"), "Heading 2")
    _count_table(
        doc,
        "{{ plan.labels.section }}",
        "row in summary.modules",
        "summary.total",
        T_("RAG ratings by %(section)s", section="plan.labels.section | lower"),
    )
    _tag(doc, "{%p if summary.chart %}")
    _p(doc, "{{ summary.chart }}")
    _p(doc, T_("Figure 1: %(caption)s", caption="summary.chart_caption"), "Caption")
    _tag(doc, "{%p endif %}")

    _p(doc, T_("What the ratings mean"), "Heading 2")
    key = _loop_table(
        doc,
        [
            Col(T_("Rating"), 4.0, ("{{ key.label }}",), shade="key.fill", bold_first=True),
            Col(T_("Meaning"), 13.2, ("{{ key.meaning }}",)),
        ],
        "key in rag_key",
        T_("What the ratings mean"),
    )
    _keep_rows_whole(key)
    _tag(doc, "{%p endif %}")

    _tag(doc, "{%p if summary.any_assessed %}")
    _p(doc, T_("Self-assessment against the framework"), "Heading 2")
    _p(
        doc,
        T_(
            "Where we assess ourselves now, and the level we aim to reach, for each %(theme)s of the %(framework)s. The levels, lowest first, are: %(levels)s.",
            theme="plan.labels.theme | lower",
            framework="plan.framework.title",
            levels="plan.framework.assessment_levels_text",
        ),
    )
    _loop_table(
        doc,
        [
            Col("{{ plan.labels.theme }}", 4.0, ("{{ a.theme }}",)),
            Col(T_("Current level"), 2.6, ("{{ a.current }}",)),
            Col(T_("Target level"), 2.6, ("{{ a.target }}",)),
            Col(T_("Target date"), DATE_WIDTH_CM, ("{{ a.target_date }}",)),
            # The rest of the portrait page's 17.2 cm.
            Col(T_("Evidence"), round(17.2 - 9.2 - DATE_WIDTH_CM, 2), ("{{ a.evidence }}",)),
        ],
        "a in assessments",
        T_("Self-assessment: current and target levels"),
    )
    _tag(doc, "{%p if plan.framework.derived_titles_note %}")
    _p(doc, "{{ plan.framework.derived_titles_note }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")
    _since(doc)


def _since(doc) -> None:
    """Progress since the last report (`eqplan build --since`): counts, then each kind of change."""
    _tag(doc, "{%p if since %}")
    _p(doc, "{{ since.heading }}", "Heading 1")
    _p(doc, "{{ since.counts_text }}")
    ref, action = (
        Col(T_(h.REF), REF_WIDTH_CM, ("{{ c.ref }}",)),
        Col(T_(h.ACTION_OR_EVIDENCE), 8.0, ("{{ c.action }}",)),
    )
    parts = [
        ("movements", T_("Changes in rating"), T_("No action's rating went up or down."),
         [Col(T_("Rating"), 7.0, ("{{ c.movement }}",), bold_first=True)]),
        ("completed", T_("Newly complete"), T_("No action became complete."),
         [Col(T_("Rating was"), 7.0, ("{{ c.rag_from }}",))]),
        ("slipped", T_("Deadlines moved later"), T_("No deadline moved later."),
         [Col(T_("Deadline was"), DATE_WIDTH_CM, ("{{ c.deadline_from }}",)),
          Col(T_("Deadline now"), DATE_WIDTH_CM, ("{{ c.deadline_to }}",)),
          Col(T_("Moved"), 2.7, ("{{ c.slipped_text }}",))]),
        ("new", T_("New actions"), T_("No actions were added."),
         [Col(T_(h.DEADLINE), DATE_WIDTH_CM, ("{{ c.deadline_to }}",)),
          Col(T_(h.RAG), RAG_WIDTH_CM, ("{{ c.rag_to }}",))]),
        ("removed", T_("Actions removed since the last report"), T_("No actions were removed."),
         [Col(T_("Last rating"), 7.0, ("{{ c.rag_from }}",))]),
    ]  # fmt: skip
    for key, heading, empty, columns in parts:
        _p(doc, heading, "Heading 2")
        _tag(doc, f"{{%p if since.{key} %}}")
        # Ref, action and the columns fill the portrait page's 17.2 cm.
        rest = round(17.2 - ref.width - sum(c.width for c in columns), 2)
        narrow = Col(action.heading, rest, action.lines)
        _loop_table(doc, [ref, narrow, *columns], f"c in since.{key}", heading)
        _tag(doc, "{%p else %}")
        _p(doc, empty)
        _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if since.text_matched_note %}")
    _p(doc, "{{ since.text_matched_note }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if since.levels %}")
    _p(doc, T_("Self-assessment levels"), "Heading 2")
    _loop_table(
        doc,
        [
            Col("{{ plan.labels.theme }}", 7.2, ("{{ lv.theme }}",)),
            Col(T_("Level was"), 5.0, ("{{ lv.level_from }}",)),
            Col(T_("Level now"), 5.0, ("{{ lv.level_to }}",)),
        ],
        "lv in since.levels",
        T_("Self-assessment levels at the two reports"),
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")


def _toc(doc) -> None:
    """A contents field, prefilled with the section headings so it reads well before Word updates it."""
    begin = doc.add_paragraph(style="TOC 1")
    for kind, text in (("begin", None), ("instr", 'TOC \\o "1-1" \\h \\z \\u'), ("separate", None)):
        run = begin.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    _tag(doc, "{%p for entry in toc %}")
    _p(doc, "{{ entry }}", "TOC 1")
    _tag(doc, "{%p endfor %}")
    end = doc.add_paragraph(style="TOC 1")
    run = end.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    run._r.append(char)


#: The latest update (the Progress update, else the Progress log's latest), with its date.
#: A withdrawn action's update is its reason, printed in the RAG cell instead.
UPDATE = (
    "{%p if a.progress and not a.withdrawn %}",
    T_("Update") + "{% if a.progress_date %} ({{ a.progress_date }}){% endif %}: {{ a.progress }}",
    "{%p endif %}",
)
WITHDRAWN_REASON = ("{%p if a.withdrawn and a.progress %}", "{{ a.progress }}", "{%p endif %}")


def _action_columns(layout: str) -> list[Col]:
    ref = Col(T_(h.REF), REF_WIDTH_CM, ("{{r a.anchor }}{{ a.ref }}",), shade="a.tint")
    strand = ("{%p if a.strand %}", T_("Strand: %(strand)s", strand="a.strand"), "{%p endif %}")
    if layout == "rag":
        fixed = REF_WIDTH_CM + 3.4 + DATE_WIDTH_CM + OWNER_WIDTH_CM + RAG_WIDTH_CM
        # Evidence is usually the longest text, so its column sets the rows' height: kept
        # at 7 cm, with action the rest (4.1 cm), a council plan prints on fewer pages.
        evidence = 7.0
        action = LANDSCAPE_WIDTH_CM - fixed - evidence
        return [
            ref,
            Col("{{ plan.labels.point }}", 3.4, ("{{ a.point }}", *strand), shade="a.tint"),
            Col(T_(h.EVIDENCE), evidence, ("{{ a.evidence }}",), shade="a.tint"),
            Col(
                T_(h.ACTION),
                round(action, 2),
                ("{{ a.action }}", *UPDATE),
                shade="a.tint",
            ),
            Col(T_(h.DEADLINE), DATE_WIDTH_CM, ("{{ a.deadline }}",), shade="a.tint"),
            Col(T_(h.OWNER), OWNER_WIDTH_CM, ("{{ a.owner }}",), shade="a.tint"),
            Col(
                T_(h.RAG),
                RAG_WIDTH_CM,
                ("{{ a.rag }}", *WITHDRAWN_REASON, *SINCE_NOTE),
                shade="a.rag_fill",
                bold_first=True,
            ),
        ]
    # Outcomes layout: the action is printed once. With an outcome, it is the next step in
    # "Where we are now"; without one, it is what we want to have achieved (outcome_or_action).
    return [
        ref,
        Col(
            "{{ plan.labels.point }}",
            round(LANDSCAPE_WIDTH_CM - REF_WIDTH_CM - 9.4 - 9.3, 2),  # the rest of the page
            (
                "{{ a.point }}",
                "{%p if a.point_descriptor %}",
                "{{ a.point_descriptor }}",
                "{%p endif %}",
                *strand,
            ),
            shade="a.tint",
        ),
        Col(
            T_("Where we are now"),
            9.4,
            (
                "{%p if a.evidence %}",  # no empty first line where there is no evidence
                "{{ a.evidence }}",
                "{%p endif %}",
                "{%p if a.action and a.outcome %}",
                T_("Next step: %(action)s", action="a.action"),
                "{%p endif %}",
                T_("Responsible: %(owner)s", owner="a.owner_or_none"),
                *UPDATE,
            ),
            shade="a.tint",
        ),
        Col(
            T_("What we want to have achieved by %(year)s", year="plan.target_year_or_end"),
            9.3,
            (
                "{{ a.outcome_or_action }}",
                T_(
                    "Deadline: %(deadline)s (rating: %(rag)s)",
                    deadline="a.deadline_or_none",
                    rag="a.rag",
                ),
                *WITHDRAWN_REASON,
                *SINCE_NOTE,
            ),
            shade="a.tint",
        ),
    ]


def _modules(doc, layout: str) -> None:
    _tag(doc, "{%p for section in sections %}")
    heading = _p(doc, "{{ section.heading }}", "Heading 1")
    # RAG layout: each section starts on a new page, so a committee can turn to it.
    heading.paragraph_format.page_break_before = layout == "rag"
    _tag(doc, "{%p if section.framework_module %}")
    _p(doc, "{{ section.framework_module }}")
    _tag(doc, "{%p endif %}")
    _p(doc, T_("Lead officer: %(officer)s", officer="section.lead_officer_or_none"))
    _tag(doc, "{%p if section.aspirations %}")
    _p(doc, T_("Our aspirations"), "Heading 2")
    _tag(doc, "{%p for aspiration in section.aspirations %}")
    _p(doc, "{{ aspiration }}", "List Bullet")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    _p(doc, T_("Actions"), "Heading 2")
    _tag(doc, "{%p if section.actions %}")
    _tag(doc, "{%p if section.strands %}")
    _p(
        doc,
        T_(
            "Rows tagged with a strand are labelled under the %(point)s and shaded: %(strands)s.",
            point="plan.labels.point | lower",
            strands="section.strands",
        ),
    )
    _tag(doc, "{%p endif %}")
    _loop_table(
        doc,
        _action_columns(layout),
        "a in section.actions",
        T_("Actions for %(heading)s", heading="section.heading"),
    )
    _tag(doc, "{%p else %}")
    _p(
        doc,
        T_(
            "No actions are recorded for this %(section)s.",
            section="plan.labels.section | lower",
        ),
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")


def _short_columns() -> list[Col]:
    action = LANDSCAPE_WIDTH_CM - (
        REF_WIDTH_CM + 4.2 + DATE_WIDTH_CM + OWNER_WIDTH_CM + RAG_WIDTH_CM
    )
    return [
        Col(T_(h.REF), REF_WIDTH_CM, ("{{ a.ref }}",)),
        Col("{{ plan.labels.point }}", 4.2, ("{{ a.point }}",)),
        Col(T_(h.ACTION_OR_EVIDENCE), round(action, 2), ("{{ a.action_or_evidence }}",)),
        Col(T_(h.DEADLINE), DATE_WIDTH_CM, ("{{ a.deadline }}",)),
        Col(T_(h.OWNER), OWNER_WIDTH_CM, ("{{ a.owner }}",)),
        Col(T_(h.RAG), RAG_WIDTH_CM, ("{{ a.rag }}",), shade="a.rag_fill", bold_first=True),
    ]


def _owner_table(doc) -> None:
    """Appendix C: one row per owner with their counts by rating and their actions' refs.

    One page instead of every action again by owner; the full lists by owner
    are in the summary workbook. A plan that rates nothing gets counts only.
    """
    _tag(doc, "{%p if summary.any_rated %}")
    ratings = [
        (T_("Red"), "red"),
        (T_("Amber"), "amber"),
        (T_("Green"), "green"),
        (T_("Complete"), "complete"),
        (T_("Not rated"), "not_rated"),
    ]
    fixed = 5.6 + sum(RATING_WIDTHS_CM.values()) + TOTAL_WIDTH_CM
    columns = [Col(T_(h.OWNER), 5.6, ("{{ row.label }}",))]
    columns += [
        Col(name, RATING_WIDTHS_CM[key], (f"{{{{ row.{key} }}}}",)) for name, key in ratings
    ]
    columns.append(Col(T_("Total"), TOTAL_WIDTH_CM, ("{{ row.total }}",), bold_first=True))
    columns.append(
        Col(T_("Actions (refs)"), round(LANDSCAPE_WIDTH_CM - fixed, 2), ("{{ row.refs }}",))
    )
    table = _loop_table(doc, columns, "row in summary.owners", T_("RAG ratings by owner"))
    _keep_rows_whole(table)
    _tag(doc, "{%p else %}")
    table = _loop_table(
        doc,
        [
            Col(T_(h.OWNER), 7.0, ("{{ row.label }}",)),
            Col(T_(h.ACTIONS), 2.4, ("{{ row.total }}",), bold_first=True),
            Col(T_("Actions (refs)"), LANDSCAPE_WIDTH_CM - 9.4, ("{{ row.refs }}",)),
        ],
        "row in summary.owners",
        T_("Actions by owner"),
    )
    _keep_rows_whole(table)
    _tag(doc, "{%p endif %}")


def _appendices(doc) -> None:
    _p(doc, T_("Appendix A: Overdue actions"), "Heading 1")
    _tag(doc, "{%p if overdue %}")
    _p(
        doc,
        T_(
            "Actions whose deadline is before %(date)s and that are neither complete nor withdrawn.",
            date="plan.report_date",
        ),
    )
    _loop_table(doc, _short_columns(), "a in overdue", T_("Overdue actions"))
    _tag(doc, "{%p else %}")
    _p(doc, T_("No actions are overdue as at %(date)s.", date="plan.report_date"))
    _tag(doc, "{%p endif %}")

    _p(
        doc,
        T_("Appendix B: Actions due in %(window)s", window="summary.due_soon_window"),
        "Heading 1",
    )
    _tag(doc, "{%p if due_soon %}")
    between = {"start": "plan.report_date", "end": "summary.due_soon_until"}
    _p(doc, T_("Open actions due between %(start)s and %(end)s.", **between))
    _loop_table(doc, _short_columns(), "a in due_soon", T_("Actions due soon"))
    _tag(doc, "{%p else %}")
    _p(doc, T_("No open actions are due between %(start)s and %(end)s.", **between))
    _tag(doc, "{%p endif %}")

    _p(doc, T_("Appendix C: Actions by owner"), "Heading 1")
    _p(
        doc,
        T_(
            "Each owner's actions by rating, with their references. The summary workbook lists every action by owner in full."
        ),
    )
    _owner_table(doc)
    _tag(doc, "{%p if summary.owners_note %}")
    _p(doc, "{{ summary.owners_note }}")
    _tag(doc, "{%p endif %}")

    _p(doc, "{{ appendix_d_heading }}", "Heading 1")
    _tag(doc, "{%p if uncovered %}")
    _p(doc, T_("These parts of the framework have no evidence or actions in this plan:"))
    _tag(doc, "{%p for theme in uncovered %}")
    _p(doc, "{{ theme }}", "List Bullet")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p else %}")
    _p(
        doc,
        T_(
            "Every %(theme)s of the framework has at least one action or piece of evidence.",
            theme="plan.labels.theme | lower",
        ),
    )
    _tag(doc, "{%p endif %}")

    # Officers' working notes (cells such as Actions!F72): only with `eqplan build --include-checks`.
    _tag(doc, "{%p if include_checks %}")
    _p(doc, T_("Appendix E: Checks on the data"), "Heading 1")
    _tag(doc, "{%p if warnings %}")
    _p(
        doc,
        T_(
            "eqplan checked the workbook before building this plan. These points did not stop the plan being built, but are worth reviewing. Overdue actions are listed in Appendix A."
        ),
    )
    _loop_table(
        doc,
        [
            Col(T_("Where"), 4.0, ("{{ w.where }}",)),
            Col(T_("Check"), 5.5, ("{{ w.title }}",)),
            Col(T_("Detail"), 17.2, ("{{ w.message }}",)),
        ],
        "w in warnings",
        T_("Data checks"),
    )
    _tag(doc, "{%p if warnings_more %}")
    _p(
        doc,
        T_(
            "%(more)s. Run 'eqplan validate' for the full list.",
            more="warnings_more_text",
        ),
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p else %}")
    _p(
        doc,
        T_("eqplan checked the workbook before building this plan and found nothing to review."),
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    # Each action's earlier updates: only with `eqplan build --history`.
    _tag(doc, "{%p if include_history %}")
    _p(doc, "{{ history_heading }}", "Heading 1")
    _tag(doc, "{%p if history %}")
    _p(
        doc,
        T_(
            "Every update recorded on the Progress log sheet, action by action in the order of the plan, oldest first."
        ),
    )
    _tag(doc, "{%p for h in history %}")
    _p(doc, "{{ h.ref }}: {{ h.action }}", "Heading 2")
    _loop_table(
        doc,
        [
            Col(T_(h.LOG_DATE), DATE_WIDTH_CM, ("{{ e.date }}",)),
            Col(T_(h.LOG_UPDATE), 13.0, ("{{ e.update }}",)),
            Col(T_(h.RAG), RAG_WIDTH_CM, ("{{ e.rag }}",)),
            Col(T_(h.STATUS), 2.6, ("{{ e.status }}",)),
            Col(
                T_(h.LOG_BY),
                round(LANDSCAPE_WIDTH_CM - 15.6 - DATE_WIDTH_CM - RAG_WIDTH_CM, 2),
                ("{{ e.by }}",),
            ),
        ],
        "e in h.entries",
        T_("Progress history of %(ref)s", ref="h.ref"),
    )
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p else %}")
    _p(doc, T_("No earlier updates are recorded on the Progress log sheet."))
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")
    _p(doc, T_("Framework text: %(source)s", source="plan.framework.source"), "Caption")


if __name__ == "__main__":
    sys.exit(main())
