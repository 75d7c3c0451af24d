"""Progress since the last report as every document prints it: a plain copy of a Comparison.

pipeline.compare decides what changed; this turns it into words ("Amber to
Green", "2 months later") and the rows each table prints, so the Word plan,
the changes document, the workbooks and `eqplan compare` agree word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.compare import ActionChange, Change, Comparison, MatchedBy
from pipeline.deadlines import format_date
from pipeline.model import Action, Plan
from pipeline.text import plural

#: Printed where an action was matched by its text because it has no Ref of the officer's.
MATCHED_BY_TEXT = "matched by its point and text (no Ref typed)"
NEW_ACTION = "New since the last report"
NOT_ASSESSED = "Not assessed"


@dataclass
class ChangeRow:
    """One action's change, ready to print."""

    ref: str
    ref_from: str  # the Ref at the previous report (differs when matched by text)
    action: str  # the action (or the evidence), as it stands now or as it was last reported
    change: str  # improved, worsened, unchanged, new, removed
    movement: str  # `Amber to Green`, `Green (no change)`, `New: Amber`, `Removed: last Red`
    rag_from: str
    rag_to: str
    status_from: str
    status_to: str
    deadline_from: str
    deadline_to: str
    slipped_days: int | None
    slipped_text: str  # `92 days later`, `59 days earlier`, `` when unchanged or unknown
    owner_from: str
    owner_to: str
    matched_by: str  # ref, text, or '' for new and removed actions
    note: str  # MATCHED_BY_TEXT or ''


@dataclass
class LevelRow:
    """A theme's self-assessed level at the two reports."""

    theme: str
    level_from: str
    level_to: str
    movement: str  # `Developing to Achieving`, `Achieving (no change)`


@dataclass
class ChangesView:
    """Everything the documents print about progress since the last report."""

    comparison: Comparison
    previous_report_date: str  # `30 September 2026`, or '' if the previous plan had none
    current_report_date: str
    counts: dict[str, int]
    counts_text: str  # the counts in one sentence
    rows: list[ChangeRow]  # every action: the current plan's order, then removed ones
    movements: list[ChangeRow]  # improved and worsened
    completed: list[ChangeRow]
    slipped: list[ChangeRow]
    new: list[ChangeRow]
    removed: list[ChangeRow]
    levels: list[LevelRow]
    was: dict[int, ChangeRow]  # by id of each current Action

    @property
    def heading(self) -> str:
        """`Progress since the last report (30 September 2026)`."""
        when = f" ({self.previous_report_date})" if self.previous_report_date else ""
        return f"Progress since the last report{when}"

    @property
    def text_matched_note(self) -> str:
        """Says which actions were matched by their text, and their Refs then; '' if none."""
        rows = [r for r in self.rows if r.note]
        if not rows:
            return ""
        refs = ", ".join(f"{r.ref} (was {r.ref_from})" for r in rows)
        return (
            "Some actions have no Ref typed by the council, so they were matched with the last "
            f"report by their framework point and similar wording: {refs}."
        )

    def since_note(self, action: Action) -> str:
        """The small line under an action's rating: `Was: Amber`, or that it is new."""
        row = self.was.get(id(action))
        if row is None:
            return ""
        return NEW_ACTION if row.change == Change.NEW.value else f"Was: {row.rag_from}"

    def as_dict(self) -> dict[str, object]:
        """The short form for `eqplan summary --format json --since` (key "since")."""
        data = self.comparison.as_dict()
        return {"previous": data["previous"], "current": data["current"], "counts": self.counts}


def build_changes_view(comparison: Comparison) -> ChangesView:
    """The printed form of a comparison."""
    rows = [_row(change) for change in comparison.actions]
    paired = list(zip(comparison.actions, rows, strict=True))
    counts = comparison.counts
    return ChangesView(
        comparison=comparison,
        previous_report_date=_date(comparison.previous),
        current_report_date=_date(comparison.current),
        counts=counts,
        counts_text=counts_sentence(counts),
        rows=rows,
        movements=[r for r in rows if r.change in (Change.IMPROVED.value, Change.WORSENED.value)],
        completed=[r for c, r in paired if c.became_complete],
        slipped=[r for c, r in paired if c.slipped],
        new=[r for r in rows if r.change == Change.NEW.value],
        removed=[r for r in rows if r.change == Change.REMOVED.value],
        levels=[
            LevelRow(
                level.theme,
                level.level_from or NOT_ASSESSED,
                level.level_to or NOT_ASSESSED,
                _moved(level.level_from or NOT_ASSESSED, level.level_to or NOT_ASSESSED),
            )
            for level in comparison.levels
        ],
        was={id(c.current): r for c, r in paired if c.current is not None},
    )


def counts_sentence(counts: dict[str, int]) -> str:
    """The counts in words, each verb agreeing with its count."""

    def were(count: int) -> str:
        return "was" if count == 1 else "were"

    improved, new, removed = counts["improved"], counts["new"], counts["removed"]
    return (
        f"Since the last report, {plural(improved, 'action')} {were(improved)} rated higher, "
        f"{counts['worsened']} lower and {counts['unchanged']} the same (or had no rating in "
        f"one of the reports). {plural(counts['completed'], 'action')} became complete and "
        f"{plural(counts['slipped'], 'deadline')} moved later. {plural(new, 'new action')} "
        f"{were(new)} added and {plural(removed, 'action')} {were(removed)} removed."
    )


def _row(change: ActionChange) -> ChangeRow:
    before, after = change.previous, change.current
    action = change.action
    rag_from = before.rating.label if before else ""
    rag_to = after.rating.label if after else ""
    if change.change is Change.NEW:
        movement = f"New: {rag_to}"
    elif change.change is Change.REMOVED:
        movement = f"Removed: last {rag_from}"
    else:
        movement = _moved(rag_from, rag_to)
    days = change.slipped_days
    return ChangeRow(
        ref=change.ref,
        ref_from=before.display_ref if before else "",
        action=action.action or action.evidence,
        change=change.change.value,
        movement=movement,
        rag_from=rag_from,
        rag_to=rag_to,
        status_from=before.status.label if before and before.status else "",
        status_to=after.status.label if after and after.status else "",
        deadline_from=before.deadline.display if before else "",
        deadline_to=after.deadline.display if after else "",
        slipped_days=days,
        slipped_text=_slipped(days),
        owner_from=before.owner if before else "",
        owner_to=after.owner if after else "",
        matched_by=change.matched_by.value if change.matched_by else "",
        note=MATCHED_BY_TEXT if change.matched_by is MatchedBy.TEXT else "",
    )


def _moved(was: str, now: str) -> str:
    return f"{now} (no change)" if was == now else f"{was} to {now}"


def _slipped(days: int | None) -> str:
    if not days:
        return ""
    return f"{plural(abs(days), 'day')} {'later' if days > 0 else 'earlier'}"


def _date(plan: Plan) -> str:
    report_date = plan.details.report_date
    return format_date(report_date) if report_date else ""
