"""The plan's figures as plain-text tables, for `eqplan summary` in a terminal.

A plain copy of the view's fields (pipeline.view): nothing is counted here. Fixed text is
in the language being written (issue 15); the figures are the same in every language.
"""

from __future__ import annotations

from pipeline.formats import format_date, format_number
from pipeline.headings import ACTIONS, DEADLINE, OWNER, RAG, REF, STATUS, STRAND
from pipeline.i18n import _
from pipeline.model import Plan
from pipeline.summaries import NO_STATUS, RAG_ORDER
from pipeline.text import one_line
from pipeline.view import PlanView
from pipeline.view_changes import MATCHED_BY_TEXT, ChangesView
from pipeline.welsh_text import in_language, word_in_language
from pipeline.workbook.layout import ASSESSMENT_SHEET


def plan_heading(plan: Plan) -> str:
    """`Council: Title` above the figures, the title in the council's Welsh in Welsh."""
    details = plan.details
    return f"{details.council}: {in_language(plan.welsh.plan, 'title', details.title)}"


def figures_text(view: PlanView, heading: str = "") -> str:
    """The figures as readable tables, for `eqplan summary` in a terminal."""
    out = [heading] if heading else []
    if view.report_date:
        out.append(_("Position as at %(date)s.") % {"date": format_date(view.report_date)})
    out += [
        _("Actions: %(count)s") % {"count": format_number(view.total_actions)},
        _("Complete: %(count)s") % {"count": format_number(view.complete)},
        _("Overdue: %(count)s") % {"count": format_number(len(view.overdue))},
        _("Due in the next %(days)s days: %(count)s")
        % {"days": view.due_soon_days, "count": format_number(len(view.due_soon))},
        "",
    ]
    ratings = [*map(_, RAG_ORDER), _("Total")]
    rows = [
        [r.label, *map(format_number, r.counts.values()), format_number(r.total)]
        for r in view.by_section
    ]
    total = view.section_total
    rows.append(
        [_(total.label), *map(format_number, total.counts.values()), format_number(total.total)]
    )
    out += _table([word_in_language(view.section_word), *ratings], rows)  # as the documents
    owner_rows = [[r.label, format_number(r.total)] for r in view.by_owner]
    out += ["", *_table([_(OWNER), _(ACTIONS)], owner_rows)]
    if view.owners_note:
        out.append(_(view.owners_note))
    if view.by_strand:
        strand_rows = [[name, format_number(count)] for name, count in view.by_strand.items()]
        out += ["", *_table([_(STRAND), _(ACTIONS)], strand_rows)]
    if view.by_status[NO_STATUS] < view.total_actions:  # a Status is given somewhere
        status_rows = [[_(name), str(count)] for name, count in view.by_status.items()]
        out += ["", *_table([_(STATUS), _(ACTIONS)], status_rows)]
        # Two "Complete" figures would otherwise seem to disagree.
        out.append(
            _(
                "This table counts the Status column as typed. 'Complete' above also counts "
                "actions rated Complete or with Complete as their deadline."
            )
        )
    if view.since is not None:
        out += ["", view.since.heading, view.since.counts_text]
    return "\n".join(out)


def changes_text(changes: ChangesView, previous: str, current: str) -> str:
    """Progress since the last report, for `eqplan compare` in a terminal."""
    comparison = changes.comparison
    out = [
        changes.heading,
        _("Previous: %(file)s, as at %(date)s (%(count)s actions)")
        % {
            "file": previous,
            "date": changes.previous_report_date or _("no report date"),
            "count": len(comparison.previous.actions),
        },
        _("Current:  %(file)s, as at %(date)s (%(count)s actions)")
        % {
            "file": current,
            "date": changes.current_report_date or _("no report date"),
            "count": len(comparison.current.actions),
        },
        "",
        changes.counts_text,
        "",
    ]
    headings = [_(REF), _("Change"), _(RAG), _(STATUS), _(DEADLINE), _("Days later"), _(OWNER)]
    rows = [
        [
            r.ref + (" *" if r.note else ""),
            _(r.change),
            r.movement,
            _from_to(r.status_from, r.status_to, r.change),
            _from_to(r.deadline_from, r.deadline_to, r.change),
            r.slipped_text if r.slipped_days is None else str(r.slipped_days),  # or undated
            _from_to(r.owner_from, r.owner_to, r.change),
        ]
        for r in changes.rows
    ]
    out += _table(headings, rows, left=True) if rows else [_("No actions in either report.")]
    if any(r.note for r in changes.rows):
        note = _("%(matched)s; the previous Ref is in the JSON (ref_from).")
        out += ["", "* " + note % {"matched": _(MATCHED_BY_TEXT)}]
    if changes.levels:
        levels = [[lv.theme, lv.level_from, lv.level_to] for lv in changes.levels]
        level_headings = [_(ASSESSMENT_SHEET), _("Level was"), _("Level now")]
        out += ["", *_table(level_headings, levels)]
    return "\n".join(out)


def _from_to(was: str, now: str, change: str) -> str:
    """`Q3 2026 to Dec 2026`; one value when it did not change, or the action is new or removed."""
    if change == "new" or was == now:
        return now
    if change == "removed":
        return was
    return _("%(was)s to %(now)s") % {"was": was or _("(none)"), "now": now or _("(none)")}


def _table(
    headings: list[str], rows: list[list[str]], widest: int = 60, left: bool = False
) -> list[str]:
    """Plain-text columns: the first left-aligned (long labels shortened), the rest right-aligned.
    A cell of several lines (joint owners on two lines) is printed on one, as the summary
    workbook joins owners, never as a stray row under the table.

    left: every column left-aligned, for tables of words rather than counts.
    """
    rows = [[_shorten(one_line(row[0]), widest), *map(one_line, row[1:])] for row in rows]
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
