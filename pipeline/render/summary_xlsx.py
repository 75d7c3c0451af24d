"""Write the summary workbook: the plan's summary tables as formatted sheets, plus all actions.

Written with XlsxWriter, not openpyxl: every text value goes in as a shared
string through `pipeline.cells.text_cell` (`RowsSheet.add_row`, whole rows at
a time), so user text starting with `=` can never become a live formula
(CWE-1236, research/validation-anchors.md section 3), and it writes a
10,000-action plan in a fraction of openpyxl's time (bench/; xlsx_rows.py says
why rows, not cells). Its constant-memory mode is
not used: at 10,000 actions the shared strings table (a RAG word or owner
written once, not in every cell) is a tenth faster and the file a fifth smaller,
for about 25 MB more memory in the process writing it. Text
starting with `= + - @` also gets Excel's quote prefix, so editing the cell
later keeps it as text. Sheet names made from a framework's labels go
through `pipeline.cells.sheet_name`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline import headings as h
from pipeline.cells import sheet_name
from pipeline.formats import format_date
from pipeline.headings import ACTION_FIELDS
from pipeline.i18n import N_, _
from pipeline.io import Target, write_output
from pipeline.model import Rag
from pipeline.render.xlsx_rows import Cell, RowsWorkbook
from pipeline.summaries import CountRow
from pipeline.text import property_text
from pipeline.view import ActionView, AssessmentView, PlanView
from pipeline.welsh_text import in_language
from pipeline.workbook import layout

#: The first day an Excel date cell can show; an earlier date is written as text.
EXCEL_FIRST_DAY = dt.date(1900, 1, 1)
LINE_HEIGHT_PT = 15  # one line of 11 pt Calibri, Excel's default row
MAX_ROW_LINES = 27  # Excel's largest row (409 pt); longer text still wraps, unseen
_DAYS_OVERDUE = N_("Days overdue")


class _Writer:
    """One workbook and its shared formats; each sheet is written top to bottom."""

    def __init__(self, path: Path) -> None:
        self.book = RowsWorkbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        add = self.book.add_format
        self.header = add(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#1F4E79",
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.top = add({"valign": "top"})
        self.bold = add({"bold": True, "valign": "top"})
        self.bold_wrap = add({"bold": True, "text_wrap": True, "valign": "top"})
        self.italic = add({"italic": True})
        self.date = add({"num_format": "dd/mm/yyyy", "valign": "top"})
        self.quoted = add({"quote_prefix": True, "text_wrap": True, "valign": "top"})
        fills = {r: add({"bg_color": f"#{r.fill}", "valign": "top"}) for r in Rag}
        # Keyed by the word printed, in the language being built as well as in English.
        self.rag = {label: fills[r] for r in Rag for label in (r.label, _(r.label))}
        self.missing = add({"bg_color": f"#{Rag.RED.fill}", "text_wrap": True, "valign": "top"})

    def sheet(self, title: str, headings: Sequence[str], widths: Sequence[float]):
        """A sheet that prints well: landscape A4, fitted to the page width, header row repeated."""
        ws = self.book.add_worksheet(sheet_name(title, [w.name for w in self.book.worksheets()]))
        for index, width in enumerate(widths):
            ws.set_column(index, index, width)
        ws.freeze_panes(1, 0)
        ws.repeat_rows(0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.fit_to_pages(1, 0)
        ws.set_footer("&L&A&R" + _("Page &P of &N"))
        fit_row(ws, 0, [(h, w) for h, w in zip(headings, widths, strict=False)])
        ws.add_row(
            0, [(column, heading, self.header, None) for column, heading in enumerate(headings)]
        )
        return ws

    def put(self, ws, row: int, column: int, value: object, cell_format=None) -> None:
        """Write one value by its type; text is always text, never a formula."""
        ws.add_row(row, [self.as_cell(column, value, cell_format)])

    def put_row(self, ws, row: int, values: Iterable[tuple[object, Any]]) -> None:
        """Write a row's (value, format) pairs from its first column, each by its type."""
        ws.add_row(row, [self.as_cell(column, *pair) for column, pair in enumerate(values)])

    def as_cell(self, column: int, value: object, cell_format=None) -> Cell:
        """One value as a cell for `RowsSheet.add_row`, by its type: text is always text.

        Blank text is a blank cell, True and False are the words Yes and No, a
        date Excel cannot show is its text, and text that looks like a formula
        in an ordinary cell gets the quoted format.
        """
        if value is None or value == "":
            return column, None, cell_format, None
        if isinstance(value, str):
            quoted = self.quoted if cell_format in (None, self.wrap, self.top) else None
            return column, value, cell_format, quoted
        if isinstance(value, bool):
            return column, _("Yes") if value else _("No"), cell_format, None
        if isinstance(value, dt.date) and value < EXCEL_FIRST_DAY:  # Excel shows ####
            return column, format_date(value), cell_format, None
        if isinstance(value, dt.date):
            return column, dt.datetime.combine(value, dt.time()), self.date, None
        return column, value, cell_format, None


def fit_row(ws, row: int, cells: Iterable[tuple[object, float]]) -> None:
    """Set a row's height to fit its wrapped text: (value, column width) pairs.

    XlsxWriter cannot measure text and Excel does not always grow rows it did
    not type into, so a printed sheet would cut wrapped text off. A column
    width counts characters of the default font, so a line of text holds
    about that many characters, less one for the cell's padding.
    """
    lines = 1
    for value, width in cells:
        if not isinstance(value, str) or not value:
            continue
        per_line = max(1, int(width) - 1)
        lines = max(lines, sum(max(1, math.ceil(len(p) / per_line)) for p in value.split("\n")))
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT_PT * min(lines, MAX_ROW_LINES))


def _deadline_width(actions: Iterable[ActionView]) -> float:
    """Wide enough for the longest deadline as typed (up to 30), so none is cut off."""
    longest = max((len(a.deadline) for a in actions), default=0)
    return min(30, max(16, longest + 2))


def write_summary(view: PlanView, out_path: Target) -> Target:
    """Write the summary workbook to out_path, a path (atomically) or a binary stream.

    A plain copy of the view's fields. Its ~200,000 cells at 10,000 actions all stay alive
    until the book is closed: best written with the garbage collector paused, as build()
    writes it (gc_pause).
    """
    plan = view.plan

    def write(temp: Path) -> None:
        writer = _Writer(temp)
        labels = plan.framework.labels
        sections = view.section_word  # `Section` once the plan numbers them its own way
        _counts_sheet(
            writer,
            _("By %(module)s") % {"module": _(sections).lower()},
            _(sections),
            view.by_section,
            view.section_total,
        )
        _counts_sheet(
            writer,
            _("By owner"),
            _(h.OWNER),
            view.by_owner,
            view.owner_total,
            note=_(view.owners_note),
        )
        point = labels.point  # the framework's own words, as in the Word plan
        _actions_sheet(writer, _("Overdue"), view.overdue, view.report_date, point)
        _actions_sheet(writer, _("Due soon"), view.due_soon, view.report_date, point, late=False)
        _assessment_sheet(writer, view.assessments, _(labels.theme))
        _coverage_sheet(writer, view)
        _all_actions_sheet(writer, view)
        if view.since is not None:
            from pipeline.render.changes_xlsx import changes_sheet  # it builds on this module

            changes_sheet(writer, view.since)
        writer.book.set_properties(
            {
                "title": property_text(
                    _("%(title)s: summary tables")
                    % {"title": in_language(plan.welsh.plan, "title", plan.details.title)}
                ),
                "author": property_text(plan.details.author or plan.details.council),
                "company": property_text(plan.details.council),
                "created": dt.datetime.combine(
                    plan.details.report_date or dt.date(2000, 1, 1), dt.time(12)
                ),
            }
        )
        writer.book.close()

    return write_output(out_path, write, suffix=".xlsx")


def _counts_sheet(
    w: _Writer, title: str, label: str, rows: Sequence[CountRow], total: CountRow, note: str = ""
) -> None:
    ratings = [r.label for r in Rag]
    shown = [_(r) for r in ratings]
    ws = w.sheet(title, [label, *shown, _("Total")], [48, *([11] * len(ratings)), 10])
    for index, row in enumerate([*rows, total], start=1):
        is_total = row is total
        label_text = _(row.label) if is_total else row.label
        fit_row(ws, index, [(label_text, 48)])
        w.put(ws, index, 0, label_text, w.bold_wrap if is_total else w.wrap)
        for column, rating in enumerate(ratings, start=1):
            w.put(ws, index, column, row.counts.get(rating, 0), w.bold if is_total else None)
        w.put(ws, index, len(ratings) + 1, row.total, w.bold)
    if note:
        w.put(ws, len(rows) + 3, 0, note, w.italic)


def _actions_sheet(
    w: _Writer,
    title: str,
    actions: Sequence[ActionView],
    report_date: dt.date | None,
    point: str,
    late: bool = True,
) -> None:
    """A list of actions; point heads the framework point's column (`Framework point`,
    a council's `Objective`); `late` adds the Days overdue column (the Overdue sheet only)."""
    columns = [
        (h.REF, 10),
        (point, 34),
        (h.ACTION_OR_EVIDENCE, 60),
        (h.DEADLINE, _deadline_width(actions)),
        (h.DUE_DATE, 12),
        (_DAYS_OVERDUE, 10),
        (h.OWNER, 26),
        (h.RAG, 11),
        (h.PROGRESS, 40),
    ]
    if not late:
        columns = [c for c in columns if c[0] != _DAYS_OVERDUE]
    widths = [width for _, width in columns]
    ws = w.sheet(title, [_(heading) for heading, _width in columns], widths)
    row = 0
    for row, action in enumerate(actions, start=1):
        values = [
            (action.ref, w.top),
            (action.point, w.wrap),
            (action.action_or_evidence, w.wrap),
            (action.deadline, w.wrap),
            (action.due, None),
            *([(action.days_overdue, w.top)] if late else []),
            (action.owner, w.wrap),
            (action.rag, w.rag[action.rag]),
            (action.progress, w.wrap),
        ]
        fit_row(ws, row, [(v, width) for (v, _), width in zip(values, widths, strict=True)])
        w.put_row(ws, row, values)
    if report_date:
        as_at = _("Position as at %(date)s.") % {"date": format_date(report_date)}
        w.put(ws, row + 2, 0, as_at, w.italic)


def _assessment_sheet(w: _Writer, assessments: Sequence[AssessmentView], theme: str) -> None:
    headings = [
        theme,
        _("Current level"),
        _("Target level"),
        _("Levels to go"),
        _("Target date"),
        _("Evidence summary"),
    ]
    widths = [44, 14, 14, 11, 16, 70]
    ws = w.sheet(_(layout.ASSESSMENT_SHEET), headings, widths)
    for row, a in enumerate(assessments, start=1):
        fit_row(ws, row, [(a.theme, widths[0]), (a.evidence, widths[5])])
        values = (
            (a.theme, w.wrap),
            (a.current, w.top),
            (a.target, w.top),
            (a.gap, w.top),
            (a.target_date, w.top),
            (a.evidence, w.wrap),
        )
        w.put_row(ws, row, values)


def _coverage_sheet(w: _Writer, view: PlanView) -> None:
    labels = view.plan.framework.labels
    headings = [
        view.section_word,
        labels.theme,
        h.ACTIONS,
        N_("Open"),
        Rag.COMPLETE.label,
        "Overdue",
    ]
    ws = w.sheet(_("Coverage"), [_(heading) for heading in headings], [44, 48, 10, 10, 11, 10])
    for row, line in enumerate(view.coverage, start=1):
        fit_row(ws, row, [(line.module, 44), (line.theme, 48)])
        w.put(ws, row, 0, line.module, w.wrap)
        w.put(ws, row, 1, line.theme, w.wrap if line.actions else w.missing)
        for column, value in enumerate(
            (line.actions, line.open, line.complete, line.overdue), start=2
        ):
            w.put(ws, row, column, value)


_WIDTHS = {
    "row": 7, "ref": 10, "module": 30, "theme": 30, "point": 34, "evidence": 50, "action": 50,
    "outcome": 36, "deadline_text": 18, "deadline": 18, "due": 12, "deadline_kind": 14,
    "owner": 26, "owners": 26, "rag": 11, "rag_given": 11, "strand": 16, "progress": 40, "overdue": 9, "due_soon": 9, "status": 13,
}  # fmt: skip
_ALL_COLUMNS = [(heading, key, _WIDTHS[key]) for key, heading in ACTION_FIELDS.items()]
#: Each kind of deadline (DeadlineKind's values) as the All actions sheet words it: in Welsh
#: in a Welsh workbook, as its other columns are (the CSV keeps the values themselves).
DEADLINE_KINDS = (
    N_("empty"), N_("date"), N_("month"), N_("quarter"), N_("year"), N_("financial year"),
    N_("ongoing"), N_("tbc"), N_("complete"), N_("recurring"), N_("unclear"),
)  # fmt: skip


def _all_actions_sheet(w: _Writer, view: PlanView) -> None:
    """One row per action with parsed deadlines and flags, ready for a dashboard.

    The largest sheet by far, so each row goes in with one `add_row`, and the
    text columns skip the type dispatch of `_Writer.as_cell`.
    """
    headings = [_(heading) for heading, _key, _width in _ALL_COLUMNS]
    deadline = _deadline_width(view.actions)
    widths = [
        deadline if key in ("deadline_text", "deadline") else width
        for _, key, width in _ALL_COLUMNS
    ]
    ws = w.sheet(_("All actions"), headings, widths)
    keys = [k for _, k, _ in _ALL_COLUMNS]
    top, quoted = w.top, w.quoted
    typed = {"row", "due", "overdue", "due_soon", "rag", "rag_given", "status", "deadline_kind"}
    text_columns = [(column, key) for column, key in enumerate(keys) if key not in typed]
    other_columns = [(column, key) for column, key in enumerate(keys) if key in typed]
    records = view.action_records
    for row, record in enumerate(records, start=1):
        # Text first, then the typed columns: the order the shared strings are numbered in.
        cells = [(column, record[key], top, quoted) for column, key in text_columns if record[key]]
        for column, key in other_columns:
            value = record[key]
            if key == "rag":
                cells.append(w.as_cell(column, _(value), w.rag[value]))
            else:
                # the dropdown's words, and the deadline's kind, translated
                words = key in ("rag_given", "status", "deadline_kind")
                cells.append(w.as_cell(column, _(value) if words and value else value, top))
        ws.add_row(row, cells)
    if records:
        ws.autofilter(0, 0, len(records), len(keys) - 1)
