"""The plan's figures as plain-text tables, for `eqplan summary` in a terminal.

A plain copy of the view's fields (pipeline.view): nothing is counted here.
"""

from __future__ import annotations

from pipeline.formats import format_date, format_number
from pipeline.headings import ACTIONS, DEADLINE, OWNER, RAG, REF, STATUS, STRAND
from pipeline.summaries import NO_STATUS, RAG_ORDER
from pipeline.view import PlanView
from pipeline.view_changes import MATCHED_BY_TEXT, ChangesView
from pipeline.workbook.layout import ASSESSMENT_SHEET


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
    if view.by_status[NO_STATUS] < view.total_actions:  # a Status is given somewhere
        status_rows = [[name, str(count)] for name, count in view.by_status.items()]
        out += ["", *_table([STATUS, ACTIONS], status_rows)]
    if view.since is not None:
        out += ["", view.since.heading, view.since.counts_text]
    return "\n".join(out)


def changes_text(changes: ChangesView, previous: str, current: str) -> str:
    """Progress since the last report, for `eqplan compare` in a terminal."""
    comparison = changes.comparison
    out = [
        changes.heading,
        f"Previous: {previous}, as at {changes.previous_report_date or 'no report date'} "
        f"({len(comparison.previous.actions)} actions)",
        f"Current:  {current}, as at {changes.current_report_date or 'no report date'} "
        f"({len(comparison.current.actions)} actions)",
        "",
        changes.counts_text,
        "",
    ]
    headings = [REF, "Change", RAG, STATUS, DEADLINE, "Days later", OWNER]
    rows = [
        [
            r.ref + (" *" if r.note else ""),
            r.change,
            r.movement,
            _from_to(r.status_from, r.status_to, r.change),
            _from_to(r.deadline_from, r.deadline_to, r.change),
            "" if r.slipped_days is None else str(r.slipped_days),
            _from_to(r.owner_from, r.owner_to, r.change),
        ]
        for r in changes.rows
    ]
    out += _table(headings, rows, left=True) if rows else ["No actions in either report."]
    if any(r.note for r in changes.rows):
        out += ["", f"* {MATCHED_BY_TEXT}; the previous Ref is in the JSON (ref_from)."]
    if changes.levels:
        levels = [[lv.theme, lv.level_from, lv.level_to] for lv in changes.levels]
        out += ["", *_table([ASSESSMENT_SHEET, "Level was", "Level now"], levels)]
    return "\n".join(out)


def _from_to(was: str, now: str, change: str) -> str:
    """`Q3 2026 to Dec 2026`; one value when it did not change, or the action is new or removed."""
    if change == "new" or was == now:
        return now
    if change == "removed":
        return was
    return f"{was or '(none)'} to {now or '(none)'}"


def _table(
    headings: list[str], rows: list[list[str]], widest: int = 60, left: bool = False
) -> list[str]:
    """Plain-text columns: the first left-aligned (long labels shortened), the rest right-aligned.

    left: every column left-aligned, for tables of words rather than counts.
    """
    rows = [[_shorten(row[0], widest), *row[1:]] for row in rows]
    widths = [max(len(line[i]) for line in [headings, *rows]) for i in range(len(headings))]
    lines = []
    for line in [headings, *rows]:
        cells = [line[0].ljust(widths[0])]
        cells += [
            value.ljust(width) if left else value.rjust(width)
            for value, width in zip(line[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."
