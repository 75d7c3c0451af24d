"""Write the summary workbook: the plan's summary tables as formatted sheets, plus all actions.

Every text value is stored as a string cell, never a formula: openpyxl would
otherwise turn user text starting with `=` into a live formula (CWE-1236,
research/validation-anchors.md section 3). Leading `= + - @` also get
Excel's quote prefix, so editing the cell later keeps it as text. The
workbook is written in openpyxl's write-only mode to keep 10,000-action
plans fast and small in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.deadlines import format_date
from pipeline.io import write_atomic
from pipeline.model import Action, Plan, Rag
from pipeline.summaries import CountRow, Summary

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
RAG_FILLS = {r.label: PatternFill("solid", fgColor=r.fill) for r in Rag}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_summary(plan: Plan, summary: Summary, out_path: Path) -> Path:
    """Write the summary workbook to out_path (atomically)."""
    wb = Workbook(write_only=True)
    labels = plan.framework.labels
    _counts_sheet(
        wb, f"By {labels.module.lower()}", labels.module, summary.by_module, summary.module_total
    )
    _counts_sheet(wb, "By owner", "Owner", summary.by_owner, summary.owner_total)
    _actions_sheet(wb, "Overdue", summary.overdue, summary.report_date)
    _actions_sheet(wb, "Due soon", summary.due_soon, summary.report_date)
    _assessment_sheet(wb, summary)
    _coverage_sheet(wb, plan)
    _all_actions_sheet(wb, summary)
    wb.properties.title = f"{plan.details.title}: summary tables"
    wb.properties.creator = plan.details.author or plan.details.council
    wb.properties.language = "en-GB"
    return write_atomic(out_path, wb.save)


def _cell(
    ws, value: object, *, font=None, fill=None, alignment=None, number_format=None
) -> WriteOnlyCell:
    """A cell whose text can never become a formula or an error value."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _sheet(wb: Workbook, title: str, headings: Sequence[str], widths: Sequence[float]):
    ws = wb.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.append([_cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP) for h in headings])
    return ws


def _counts_sheet(
    wb: Workbook, title: str, label: str, rows: list[CountRow], total: CountRow
) -> None:
    ratings = [r.label for r in Rag]
    ws = _sheet(wb, title, [label, *ratings, "Total"], [48, *([11] * len(ratings)), 10])
    for row in [*rows, total]:
        font = BOLD if row is total else None
        cells = [_cell(ws, row.label, font=font, alignment=WRAP)]
        cells += [_cell(ws, row.counts.get(r, 0), font=font) for r in ratings]
        cells.append(_cell(ws, row.total, font=BOLD))
        ws.append(cells)


def _action_cells(ws, action: Action, report_date: dt.date | None) -> list[WriteOnlyCell]:
    due = action.deadline.due
    late = (report_date - due).days if report_date and due and due < report_date else None
    return [
        _cell(ws, action.display_ref, alignment=TOP),
        _cell(ws, action.point_label, alignment=WRAP),
        _cell(ws, action.action or action.evidence, alignment=WRAP),
        _cell(ws, action.deadline.display, alignment=TOP),
        _cell(ws, due, number_format="dd/mm/yyyy", alignment=TOP),
        _cell(ws, late, alignment=TOP),
        _cell(ws, action.owner, alignment=WRAP),
        _cell(ws, action.rag.label, fill=RAG_FILLS[action.rag.label], alignment=TOP),
        _cell(ws, action.progress, alignment=WRAP),
    ]


def _actions_sheet(
    wb: Workbook, title: str, actions: Iterable[Action], report_date: dt.date | None
) -> None:
    headings = [
        "Ref",
        "Framework point",
        "Action",
        "Deadline",
        "Due date",
        "Days overdue",
        "Owner",
        "RAG",
        "Progress update",
    ]
    ws = _sheet(wb, title, headings, [10, 34, 60, 16, 12, 10, 26, 11, 40])
    for action in actions:
        ws.append(_action_cells(ws, action, report_date))
    if report_date:
        ws.append([])
        ws.append(
            [_cell(ws, f"Position as at {format_date(report_date)}.", font=Font(italic=True))]
        )


def _assessment_sheet(wb: Workbook, summary: Summary) -> None:
    headings = [
        "Theme",
        "Current level",
        "Target level",
        "Levels to go",
        "Target date",
        "Evidence summary",
    ]
    ws = _sheet(wb, "Self-assessment", headings, [44, 14, 14, 11, 16, 70])
    for a in summary.assessments:
        ws.append(
            [
                _cell(ws, a.theme.label, alignment=WRAP),
                _cell(ws, a.current.label if a.current else "Not assessed"),
                _cell(ws, a.target.label if a.target else "Not set"),
                _cell(ws, a.gap),
                _cell(ws, a.target_date.display if a.target_date else ""),
                _cell(ws, a.evidence, alignment=WRAP),
            ]
        )


def _coverage_sheet(wb: Workbook, plan: Plan) -> None:
    labels = plan.framework.labels
    headings = [labels.module, labels.theme, "Actions", "Open", "Complete", "Overdue"]
    ws = _sheet(wb, "Coverage", headings, [44, 48, 10, 10, 11, 10])
    report_date = plan.details.report_date
    by_theme: dict[str, list[Action]] = {}
    for action in plan.actions:
        if action.theme is not None:
            by_theme.setdefault(action.theme.ref, []).append(action)
    for module in plan.framework.modules:
        for theme in module.themes:
            actions = by_theme.get(theme.ref, [])
            complete = sum(1 for a in actions if not a.is_open())
            overdue = sum(1 for a in actions if report_date and a.is_overdue(report_date))
            fill = RAG_FILLS[Rag.RED.label] if not actions else None
            ws.append(
                [
                    _cell(ws, module.label, alignment=WRAP),
                    _cell(ws, theme.label, alignment=WRAP, fill=fill),
                    _cell(ws, len(actions)),
                    _cell(ws, len(actions) - complete),
                    _cell(ws, complete),
                    _cell(ws, overdue),
                ]
            )


_ALL_COLUMNS = [
    ("Row", "row", 7),
    ("Ref", "ref", 10),
    ("Module", "module", 30),
    ("Theme", "theme", 30),
    ("Framework point", "point", 34),
    ("Current position / evidence", "evidence", 50),
    ("Gap / action", "action", 50),
    ("Outcome sought", "outcome", 36),
    ("Deadline as written", "deadline_text", 18),
    ("Deadline", "deadline", 18),
    ("Due date", "due", 12),
    ("Deadline kind", "deadline_kind", 14),
    ("Owner", "owner", 26),
    ("RAG", "rag", 11),
    ("Strand", "strand", 16),
    ("Progress update", "progress", 40),
    ("Overdue", "overdue", 9),
    ("Due soon", "due_soon", 9),
]


def _all_actions_sheet(wb: Workbook, summary: Summary) -> None:
    ws = _sheet(wb, "All actions", [h for h, _, _ in _ALL_COLUMNS], [w for _, _, w in _ALL_COLUMNS])
    keys = [k for _, k, _ in _ALL_COLUMNS]
    for record in summary.actions[keys].itertuples(index=False, name=None):
        cells = []
        for key, value in zip(keys, record, strict=True):
            if key == "due":
                cells.append(
                    _cell(
                        ws,
                        value if isinstance(value, dt.date) else None,
                        number_format="dd/mm/yyyy",
                    )
                )
            elif key in ("overdue", "due_soon"):
                cells.append(_cell(ws, "Yes" if value else "No"))
            elif key == "rag":
                cells.append(_cell(ws, value, fill=RAG_FILLS[value]))
            elif key == "row":
                cells.append(_cell(ws, int(value)))
            else:
                cells.append(_cell(ws, value))
        ws.append(cells)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(summary.actions) + 1}"
