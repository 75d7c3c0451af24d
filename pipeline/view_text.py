"""The plan's figures as plain-text tables, for `eqplan summary` in a terminal.

A plain copy of the view's fields (pipeline.view): nothing is counted here.
"""

from __future__ import annotations

from pipeline.formats import format_date, format_number
from pipeline.headings import ACTIONS, OWNER, STRAND
from pipeline.summaries import RAG_ORDER
from pipeline.view import PlanView


def figures_text(view: PlanView, heading: str = "") -> str:
    """The figures as readable tables, for `eqplan summary` in a terminal."""
    out = [heading] if heading else []
    if view.report_date:
        out.append(f"Position as at {format_date(view.report_date)}.")
    out += [
        f"Actions: {format_number(view.total_actions)}",
        f"Complete: {format_number(view.complete)}",
        f"Overdue: {format_number(len(view.overdue))}",
        f"Due in the next {view.due_soon_days} days: {format_number(len(view.due_soon))}",
        "",
    ]
    ratings = [*RAG_ORDER, "Total"]
    rows = [
        [r.label, *map(format_number, r.counts.values()), format_number(r.total)]
        for r in view.by_section
    ]
    total = view.section_total
    rows.append(
        [total.label, *map(format_number, total.counts.values()), format_number(total.total)]
    )
    out += _table(["Section", *ratings], rows)
    out += [
        "",
        *_table([OWNER, ACTIONS], [[r.label, format_number(r.total)] for r in view.by_owner]),
    ]
    if view.owners_note:
        out.append(view.owners_note)
    if view.by_strand:
        strand_rows = [[name, format_number(count)] for name, count in view.by_strand.items()]
        out += ["", *_table([STRAND, ACTIONS], strand_rows)]
    return "\n".join(out)


def _table(headings: list[str], rows: list[list[str]], widest: int = 60) -> list[str]:
    """Plain-text columns: the first left-aligned (long labels shortened), the rest right-aligned."""
    rows = [[_shorten(row[0], widest), *row[1:]] for row in rows]
    widths = [max(len(line[i]) for line in [headings, *rows]) for i in range(len(headings))]
    lines = []
    for line in [headings, *rows]:
        cells = [line[0].ljust(widths[0])]
        cells += [value.rjust(width) for value, width in zip(line[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."
