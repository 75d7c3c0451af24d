"""The plan's figures, computed once: every count the plan's documents print.

Pure computation from a Plan: the counting part of the plan's view
(pipeline/view.py), which every output copies; no output counts for
itself, so a committee paper, its workbook and a script reading the JSON
cannot disagree (issue 10). Each definition has one home: complete is
`Action.is_complete` (a Complete rating, deadline or status),
owners are read by `pipeline.owners`, and the due-soon window is
`DUE_SOON_DAYS`. Every count table carries a Total row and column, and every
RAG rating appears as a column even when no action has it, so tables keep
the same shape from plan to plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from pipeline.i18n import N_, _
from pipeline.model import DUE_SOON_DAYS, Action, Assessment, Plan, Rag, Theme
from pipeline.owners import NO_OWNER, OwnerNames
from pipeline.status import ActionStatus
from pipeline.strands import strand_names
from pipeline.text import match_key
from pipeline.welsh_text import english_text

__all__ = ["DUE_SOON_DAYS", "Summary", "summarise"]

RAG_ORDER = [r.label for r in Rag]
#: Counted for actions whose Status is empty (or the workbook has no Status column).
NO_STATUS = N_("Not given")
STATUS_ORDER = [s.label for s in ActionStatus] + [NO_STATUS]
#: Printed under every owners table when an action has more than one owner.
JOINT_OWNERS_NOTE = N_("Actions with joint owners are counted once for each owner.")


@dataclass
class CountRow:
    """One row of a RAG count table: a label, a count per rating, the total and the actions counted."""

    label: str
    counts: dict[str, int]
    total: int
    actions: list[Action] = field(default_factory=list, repr=False)

    def count(self, rag: Rag) -> int:
        return self.counts.get(rag.label, 0)

    @property
    def refs(self) -> list[str]:
        """The counted actions' references, in plan order."""
        return [action.display_ref for action in self.actions]


@dataclass
class SectionRow(CountRow):
    """A section's row: its module's ref and title as well as the label `1. Title`."""

    ref: str = ""  # the section's number as the plan prints it
    title: str = ""  # the council's title, else the module's
    module_ref: str = ""  # the framework module it is built on


@dataclass
class OwnerRow(CountRow):
    """An owner's row, with the role the Owners sheet gives them."""

    role: str = ""


@dataclass
class CoverageRow:
    """Actions under one theme of the framework, open and complete."""

    module: str
    theme: str
    actions: int
    complete: int
    overdue: int

    @property
    def open(self) -> int:
        return self.actions - self.complete


@dataclass
class Summary:
    """All the figures and tables of one plan, as at its report date."""

    report_date: dt.date | None
    due_soon_days: int
    actions: int
    by_rag: dict[str, int]
    by_module: list[SectionRow]
    module_total: CountRow
    by_owner: list[OwnerRow]
    owner_total: CountRow
    joint_owned: int
    by_strand: dict[str, int]
    by_status: dict[str, int]  # the Status column as typed (a Withdrawn status may be complete)
    #: Actions withdrawn (Action.is_withdrawn): counted apart, never overdue or due soon. Not
    #: by_status's Withdrawn: an action also rated Complete is counted as Complete only.
    withdrawn: int
    overdue: list[Action]
    due_soon: list[Action]
    coverage: list[CoverageRow]
    uncovered: list[Theme]
    assessments: list[Assessment]

    @property
    def total_actions(self) -> int:
        return self.actions

    @property
    def complete(self) -> int:
        return self.by_rag[Rag.COMPLETE.label]

    @property
    def due_soon_until(self) -> dt.date | None:
        """The last day of the due-soon window."""
        if self.report_date is None:
            return None
        return self.report_date + dt.timedelta(days=self.due_soon_days)

    @property
    def owners_note(self) -> str:
        """The note under owners tables, or '' when no action has joint owners."""
        return _(JOINT_OWNERS_NOTE) if self.joint_owned else ""

    def as_dict(self) -> dict[str, object]:
        """The figures for `eqplan summary --format json`: a stable shape scripts rely on."""
        return {
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "due_soon_days": self.due_soon_days,
            "actions": self.actions,
            "complete": self.complete,
            "overdue": len(self.overdue),
            "due_soon": len(self.due_soon),
            "by_rag": dict(self.by_rag),
            "by_section": [
                {
                    "ref": r.ref,
                    "title": r.title,
                    "actions": r.total,
                    "by_rag": dict(r.counts),
                    "framework_module": r.module_ref,
                }
                for r in self.by_module
            ],
            "by_owner": [
                {"owner": r.label, "actions": r.total, "by_rag": dict(r.counts), "refs": r.refs}
                for r in self.by_owner
            ],
            "joint_owned": self.joint_owned,
            "by_strand": dict(self.by_strand),
            "by_status": dict(self.by_status),
            "withdrawn": self.withdrawn,
        }


def summarise(plan: Plan, due_soon_days: int = DUE_SOON_DAYS) -> Summary:
    """Every figure and table for plan, as at its report date."""
    report_date = plan.details.report_date
    owner_names = OwnerNames(plan.owners)
    owners_of = [owner_names.names(action.owner) for action in plan.actions]
    # Each action's rating (Action.rating), worked out once: every table counts it.
    rating = {id(action): action.rating.label for action in plan.actions}

    by_module = []
    for section in plan.sections:
        module = section.module
        actions = plan.actions_for(module)
        counts, total = _counts(actions, rating)
        by_module.append(  # the plan's order, numbers and titles
            SectionRow(
                section.label,
                counts,
                total,
                actions,
                section.printed_number,
                section.display_title,
                module.ref,
            )
        )
    module_total = _total(by_module)

    credited: dict[str, list[Action]] = {}
    no_owner = _(NO_OWNER)  # in the language being written
    for action, names in zip(plan.actions, owners_of, strict=True):
        for name in names or [no_owner]:
            credited.setdefault(name, []).append(action)
    by_owner = [  # names and roles as typed, with no Welsh asked for: marked English in Welsh
        OwnerRow(
            name if name == no_owner else english_text(name),
            *_counts(credited[name], rating),
            credited[name],
            english_text(owner_names.role(name)),
        )
        for name in sorted(credited, key=lambda n: (n == no_owner, n.casefold()))
    ]

    strand_named = strand_names(action.strand for action in plan.actions)
    strands = Counter(match_key(name) for action in plan.actions for name in action.strands)
    statuses = Counter(
        action.status.label if action.status else NO_STATUS for action in plan.actions
    )
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
    coverage = _coverage(plan, set(map(id, overdue)))
    covered = {a.theme.ref for a in plan.actions if a.theme is not None}
    return Summary(
        report_date=report_date,
        due_soon_days=due_soon_days,
        actions=len(plan.actions),
        by_rag=_counts(plan.actions, rating)[0],
        by_module=by_module,
        module_total=module_total,
        by_owner=by_owner,
        owner_total=_total(by_owner),
        joint_owned=sum(1 for names in owners_of if len(names) > 1),
        by_strand={
            strand_named[key]: strands[key]
            for key in sorted(strands, key=lambda key: strand_named[key].casefold())
        },
        by_status={label: statuses[label] for label in STATUS_ORDER},
        withdrawn=sum(1 for action in plan.actions if action.is_withdrawn),
        overdue=overdue,
        due_soon=due_soon,
        coverage=coverage,
        uncovered=[t for t in plan.framework.themes if t.ref not in covered],
        assessments=plan.assessments,
    )


def _counts(actions: list[Action], rating: dict[int, str]) -> tuple[dict[str, int], int]:
    """Actions per rating (every rating present, in order) and their number; rating holds
    each action's rating label by id()."""
    found = Counter(rating[id(action)] for action in actions)
    return {rag: found[rag] for rag in RAG_ORDER}, len(actions)


def _total(rows: list[CountRow]) -> CountRow:
    """The Total row of a table: each column summed, so the table adds up as printed."""
    totals = {rag: sum(row.counts[rag] for row in rows) for rag in RAG_ORDER}
    return CountRow(N_("Total"), totals, sum(totals.values()))


def _coverage(plan: Plan, overdue: set[int]) -> list[CoverageRow]:
    by_theme: dict[str, list[Action]] = {}
    for action in plan.actions:
        if action.theme is not None:
            by_theme.setdefault(action.theme.ref, []).append(action)
    rows = []
    for section in plan.sections:  # the plan's order and titles
        for theme in section.module.themes:
            actions = by_theme.get(theme.ref, [])
            rows.append(
                CoverageRow(
                    module=section.label,
                    theme=theme.label,
                    actions=len(actions),
                    complete=sum(1 for a in actions if a.is_complete),
                    overdue=sum(1 for a in actions if id(a) in overdue),
                )
            )
    return rows
