"""The plan's figures as plain-text tables, for `eqplan summary` in a terminal.

A plain copy of the view's fields (pipeline.view): nothing is counted here.
"""

from __future__ import annotations

from pipeline.deadlines import format_date
from pipeline.headings import ACTIONS, OWNER, STATUS, STRAND
from pipeline.summaries import NO_STATUS, RAG_ORDER
from pipeline.view import PlanView


def figures_text(view: PlanView, heading: str = "") -> str:
    """The figures as readable tables, for `eqplan summary` in a terminal."""
    out = [heading] if heading else []
    if view.report_date:
        out.append(f"Position as at {format_date(view.report_date)}.")
    out += [
        f"Actions: {view.total_actions}",
        f"Complete: {view.complete}",
        f"Overdue: {len(view.overdue)}",
        f"Due in the next {view.due_soon_days} days: {len(view.due_soon)}",
        "",
    ]
    ratings = [*RAG_ORDER, "Total"]
    rows = [[r.label, *map(str, r.counts.values()), str(r.total)] for r in view.by_section]
    total = view.section_total
    rows.append([total.label, *map(str, total.counts.values()), str(total.total)])
    out += _table(["Section", *ratings], rows)
    out += ["", *_table([OWNER, ACTIONS], [[r.label, str(r.total)] for r in view.by_owner])]
    if view.owners_note:
        out.append(view.owners_note)
    if view.by_strand:
        strand_rows = [[name, str(count)] for name, count in view.by_strand.items()]
        out += ["", *_table([STRAND, ACTIONS], strand_rows)]
    if view.by_status[NO_STATUS] < view.total_actions:  # a Status is given somewhere
        status_rows = [[name, str(count)] for name, count in view.by_status.items()]
        out += ["", *_table([STATUS, ACTIONS], status_rows)]
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
