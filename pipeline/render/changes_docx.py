"""The Word "changes" document `eqplan compare -o` writes: progress since the last report.

Made with python-docx directly (no template, so nothing from outside is
rendered): real headings, tables with a repeated header row, ratings in
words, the title, author and language (en-GB, or cy-GB for Welsh) set as the
plan's are (pipeline/render/word.py). A plain copy of the changes view, its
fixed text in the language being built (issue 15); in a Welsh document the English
it prints where no Welsh was given is tagged en-GB, as in the plan (english_parts.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pipeline import __version__
from pipeline import headings as h
from pipeline.i18n import N_, _, language_tag
from pipeline.io import Target, write_output
from pipeline.render.column_widths import (
    DATE_WIDTH_CM,
    OWNER_WIDTH_CM,
    RAG_WIDTH_CM,
    REF_WIDTH_CM,
)
from pipeline.render.context import unbroken_dates
from pipeline.render.docx_finish import mark_header_rows, set_language
from pipeline.render.docx_save import docx_bytes
from pipeline.render.english_parts import marked, word_mark
from pipeline.render.isolation import one_at_a_time
from pipeline.text import xml_safe
from pipeline.view_changes import ChangeRow, ChangesView
from pipeline.welsh_text import joined
from pipeline.workbook.layout import ASSESSMENT_SHEET


def write_changes_docx(changes: ChangesView, out_path: Target) -> Target:
    """Write the changes document to out_path (a path, atomically, or a binary stream)."""

    def write(temp: Path) -> None:
        with one_at_a_time():  # python-docx's one parser (isolation.py)
            temp.write_bytes(docx_bytes(_document(changes)))  # as the plan is saved

    return write_output(out_path, write, suffix=".docx")


def _document(changes: ChangesView):
    current = changes.comparison.current.details
    doc = Document()
    page = doc.sections[0]  # landscape: the tables have up to seven columns
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(12)
    title = f"{changes.plan_title}: {changes.heading}"
    doc.add_heading(
        _text(joined(current.council, ": ", changes.plan_title, ": ", changes.heading)), level=0
    )
    doc.add_paragraph(
        _("Position as at %(current)s, compared with the report as at %(previous)s.")
        % {
            "current": changes.current_report_date or _("the current report"),
            "previous": changes.previous_report_date or _("the previous report"),
        }
    )
    doc.add_heading(changes.heading, level=1)
    doc.add_paragraph(changes.counts_text)
    _section(
        doc,
        _("Changes in rating"),
        changes.movements,
        [(h.REF, "ref"), (h.ACTION_OR_EVIDENCE, "action"), (h.RATING, "movement")],
        _("No action's rating went up or down."),
    )
    _section(
        doc,
        _("Newly complete"),
        changes.completed,
        [(h.REF, "ref"), (h.ACTION_OR_EVIDENCE, "action"), (N_("Rating was"), "rag_from")],
        _("No action became complete."),
    )
    _section(
        doc,
        _("Deadlines moved later"),
        changes.slipped,
        [
            (h.REF, "ref"),
            (h.ACTION_OR_EVIDENCE, "action"),
            (N_("Deadline was"), "deadline_from"),
            (N_("Deadline now"), "deadline_to"),
            (N_("Moved"), "slipped_text"),
        ],
        _("No deadline moved later."),
    )
    _section(
        doc,
        _("New actions"),
        changes.new,
        [(h.REF, "ref"), (h.ACTION_OR_EVIDENCE, "action"), (h.DEADLINE, "deadline_to"),
         (h.OWNER, "owner_to"), (h.RAG, "rag_to")],
        _("No actions were added."),
    )  # fmt: skip
    _section(
        doc,
        _("Actions removed since the last report"),
        changes.removed,
        [(h.REF, "ref"), (h.ACTION_OR_EVIDENCE, "action"), (N_("Last rating"), "rag_from")],
        _("No actions were removed."),
    )
    _section(
        doc,
        _("Every action"),
        changes.rows,
        [
            (h.REF, "ref"),
            (h.RATING, "movement"),
            (N_("Status was"), "status_from"),
            (N_("Status now"), "status_to"),
            (N_("Deadline was"), "deadline_from"),
            (N_("Deadline now"), "deadline_to"),
            (N_("Owner now"), "owner_to"),
        ],
        _("Neither report has any actions."),
    )
    if changes.text_matched_note:
        doc.add_paragraph(_text(changes.text_matched_note))
    doc.add_heading(_(ASSESSMENT_SHEET), level=1)
    if changes.levels:
        _table(
            doc,
            [_(h.THEME), _("Level was"), _("Level now")],
            [[lv.theme, lv.level_from, lv.level_to] for lv in changes.levels],
        )
    else:
        doc.add_paragraph(_("No theme is self-assessed in either report."))
    _finish(doc, changes, title)
    return doc


def _section(doc, heading: str, rows: list[ChangeRow], columns, empty: str) -> None:
    """A heading, then the table of rows (columns: heading to translate, ChangeRow field)."""
    doc.add_heading(heading, level=2)
    if not rows:
        doc.add_paragraph(empty)
        return
    dated = ("deadline_from", "deadline_to")  # kept on one line, as in the plan
    _table(
        doc,
        [_(name) for name, _key in columns],
        [
            [unbroken_dates(row_value) if key in dated else row_value for key, row_value in
             ((key, _value(getattr(row, key))) for _name, key in columns)]
            for row in rows
        ],
        [key for _name, key in columns],
    )  # fmt: skip


def _table(doc, headings: list[str], rows: list[list[str]], keys: list[str] | None = None) -> None:
    """A table with a bold header row, filling the page: Ref narrow, dates whole, text widest."""
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.autofit = False
    section = doc.sections[-1]
    page = (section.page_width - section.left_margin - section.right_margin) / Cm(1)
    keys = keys or [""] * len(headings)
    fixed = {"ref": REF_WIDTH_CM, "deadline_from": DATE_WIDTH_CM, "deadline_to": DATE_WIDTH_CM}
    fixed |= {"slipped_text": 3.2, "rag_to": RAG_WIDTH_CM, "owner_to": OWNER_WIDTH_CM}
    weights = [2.0 if key == "action" else 1.0 for key in keys if key not in fixed]
    share = (page - sum(fixed.get(key, 0) for key in keys)) / sum(weights)
    widths = [fixed.get(key) or share * (2.0 if key == "action" else 1.0) for key in keys]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which Word (fixed layout) and LibreOffice read
    for cell, heading, width in zip(table.rows[0].cells, headings, widths, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].add_run(heading).bold = True
    for values in rows:  # built directly: python-docx's add_row is slow for long tables
        table._tbl.append(_row(values))


def _row(values: list[str]):
    """A table row of plain text cells; line breaks in the text are kept."""
    tr = OxmlElement("w:tr")
    for value in values:
        run = OxmlElement("w:r")
        for number, line in enumerate(_text(value).split("\n")):
            if number:
                run.append(OxmlElement("w:br"))
            text = OxmlElement("w:t")
            text.set(qn("xml:space"), "preserve")
            text.text = line
            run.append(text)
        paragraph = OxmlElement("w:p")
        paragraph.append(run)
        cell = OxmlElement("w:tc")
        cell.append(paragraph)
        tr.append(cell)
    return tr


def _finish(doc, changes: ChangesView, title: str) -> None:
    """Header rows, language and properties: what makes the document accessible and repeatable."""
    mark_header_rows(doc.element)
    set_language(doc)
    current = changes.comparison.current.details
    props = doc.core_properties
    props.title = xml_safe(title)  # properties are plain text: no English marked in them
    props.author = xml_safe(current.author or current.council)
    props.language = language_tag()
    props.comments = f"Generated by eqplan {__version__}"
    props.last_modified_by = "eqplan"
    stamp = dt.datetime.combine(current.report_date or dt.date(2000, 1, 1), dt.time(12, 0))
    props.created = props.modified = stamp
    props.revision = 1


def _value(value: object) -> str:
    """A field of a change row as a cell prints it: text as it is (English marked or not)."""
    return value if isinstance(value, str) else str(value)


def _text(value: str) -> str:
    """Text Word can store: officers' text is kept as typed, less XML-illegal characters; the
    English a Welsh document prints is marked, to be tagged en-GB as the runs are (_finish)."""
    return xml_safe(marked(value, word_mark))
