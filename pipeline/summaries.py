"""Summary tables computed from a Plan: RAG by module and owner, overdue, due soon, coverage.

Pure computation, shared by the Word renderer and the summary workbook so
the two always agree. Every count table carries a Total row and column, and
every RAG rating appears as a column even when no action has it, so tables
keep the same shape from plan to plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from pipeline.model import Action, Assessment, Plan, Rag, Theme

DUE_SOON_DAYS = 90
#: The fields of each action record, with the column heading used in the outputs.
ACTION_FIELDS = {
    "row": "Row",
    "ref": "Ref",
    "module": "Module",
    "theme": "Theme",
    "point": "Framework point",
    "evidence": "Current position / evidence",
    "action": "Gap / action",
    "outcome": "Outcome sought",
    "deadline_text": "Deadline as written",
    "deadline": "Deadline",
    "due": "Due date",
    "deadline_kind": "Deadline kind",
    "owner": "Owner",
    "rag": "RAG",
    "strand": "Strand",
    "progress": "Progress update",
    "overdue": "Overdue",
    "due_soon": "Due soon",
}
RAG_ORDER = [r.label for r in Rag]


@dataclass
class CountRow:
    """One row of a RAG count table: a label and a count per rating, plus the total."""

    label: str
    counts: dict[str, int]
    total: int

    def count(self, rag: Rag) -> int:
        return self.counts.get(rag.label, 0)


@dataclass
class Summary:
    """All the summary tables of one plan."""

    report_date: dt.date | None
    by_module: list[CountRow]
    module_total: CountRow
    by_owner: list[CountRow]
    owner_total: CountRow
    overdue: list[Action]
    due_soon: list[Action]
    uncovered: list[Theme]
    assessments: list[Assessment]
    action_records: list[dict[str, object]] = field(repr=False, default_factory=list)

    @property
    def total_actions(self) -> int:
        return self.module_total.total


def summarise(plan: Plan, due_soon_days: int = DUE_SOON_DAYS) -> Summary:
    """Every summary table for plan, as at its report date."""
    records = action_records(plan)
    report_date = plan.details.report_date
    module_labels = [section.label for section in plan.sections]  # the plan's order and titles
    by_module, module_total = _count_table(records, "module", module_labels)
    owners = sorted({str(r["owner"]) for r in records if r["owner"]}, key=str.casefold)
    if any(not r["owner"] for r in records):
        owners.append("")
    by_owner, owner_total = _count_table(records, "owner", owners, blank_label="(no owner)")
    overdue: list[Action] = []
    due_soon: list[Action] = []
    if report_date is not None:
        overdue = sorted(
            (a for a in plan.actions if a.is_overdue(report_date)),
            key=lambda a: (a.deadline.due, a.row),
        )
        due_soon = sorted(
            (a for a in plan.actions if a.is_due_soon(report_date, due_soon_days)),
            key=lambda a: (a.deadline.due, a.row),
        )
    covered = {a.theme.ref for a in plan.actions if a.theme is not None}
    uncovered = [t for t in plan.framework.themes if t.ref not in covered]
    return Summary(
        report_date=report_date,
        by_module=by_module,
        module_total=module_total,
        by_owner=by_owner,
        owner_total=owner_total,
        overdue=overdue,
        due_soon=due_soon,
        uncovered=uncovered,
        assessments=plan.assessments,
        action_records=records,
    )


def action_records(plan: Plan) -> list[dict[str, object]]:
    """One record per action with the fields a dashboard needs, deadlines parsed."""
    report_date = plan.details.report_date
    modules = {m.ref: m.label for m in plan.framework.modules}
    modules.update({s.module.ref: s.label for s in plan.sections})  # as the plan numbers them
    records = []
    for action in plan.actions:
        theme = action.theme
        records.append(
            {
                "row": action.row,
                "ref": action.display_ref,
                "module": modules.get(theme.module_ref, "") if theme else "",
                "theme": theme.label if theme else "",
                "point": action.point_label,
                "evidence": action.evidence,
                "action": action.action,
                "outcome": action.outcome,
                "deadline_text": action.deadline.text,
                "deadline": action.deadline.display,
                "due": action.deadline.due,
                "deadline_kind": action.deadline.kind.value,
                "owner": action.owner,
                "rag": action.rag.label,
                "strand": action.strand,
                "progress": action.progress,
                "overdue": bool(report_date and action.is_overdue(report_date)),
                "due_soon": bool(report_date and action.is_due_soon(report_date)),
            }
        )
    return records


def _count_table(
    records: list[dict[str, object]], by: str, labels: list[str], blank_label: str = ""
) -> tuple[list[CountRow], CountRow]:
    """RAG counts per value of field `by`, in the order of labels, with a total row."""
    counts = Counter((record[by], record["rag"]) for record in records)
    rows = []
    for label in labels:
        values = {rag: counts[(label, rag)] for rag in RAG_ORDER}
        rows.append(CountRow(label or blank_label, values, sum(values.values())))
    totals = {rag: sum(row.counts[rag] for row in rows) for rag in RAG_ORDER}
    return rows, CountRow("Total", totals, sum(totals.values()))
