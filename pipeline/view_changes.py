"""Progress since the last report as every document prints it: a plain copy of a Comparison.

pipeline.compare decides what changed; this turns it into words ("Amber to
Green", "2 months later") and the rows each table prints, so the Word plan,
the changes document, the workbooks and `eqplan compare` agree word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.compare import ActionChange, Change, Comparison, MatchedBy, shown_rating
from pipeline.deadlines import format_date
from pipeline.formats import format_number
from pipeline.i18n import N_, _, ngettext
from pipeline.model import Action, Plan
from pipeline.view_parts import NOT_ASSESSED
from pipeline.view_welsh import theme_label
from pipeline.welsh_text import in_language

#: Printed where an action was matched by its text because it has no Ref of the officer's.
MATCHED_BY_TEXT = N_("matched by its point and text (no Ref typed)")
NEW_ACTION = N_("New since the last report")
#: The words the Changes sheet prints for Change and MatchedBy values (for the catalogue).
VALUE_WORDS = (
    N_("improved"),
    N_("worsened"),
    N_("unchanged"),
    N_("new"),
    N_("removed"),
    N_("withdrawn"),
    N_("ref"),
    N_("text"),
)


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
    slipped_text: str  # `92 days later`, `59 days earlier`, `no longer dated`, `` otherwise
    slipped: bool  # moved later, or no longer dated (compare.ActionChange.slipped)
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
    withdrawn: list[ChangeRow]
    levels: list[LevelRow]
    was: dict[int, ChangeRow]  # by id of each current Action

    @property
    def plan_title(self) -> str:
        """The current plan's title as its documents print it: the council's Welsh in Welsh."""
        plan = self.comparison.current
        return in_language(plan.welsh.plan, "title", plan.details.title)

    @property
    def heading(self) -> str:
        """`Progress since the last report (30 September 2026)`."""
        if self.previous_report_date:
            return _("Progress since the last report (%(date)s)") % {
                "date": self.previous_report_date
            }
        return _("Progress since the last report")

    @property
    def text_matched_note(self) -> str:
        """Says which actions were matched by their text, and their Refs then; '' if none."""
        rows = [r for r in self.rows if r.note]
        if not rows:
            return ""
        refs = ", ".join(_("%(ref)s (was %(ref_from)s)") % vars(r) for r in rows)
        return _(
            "Some actions have no Ref typed by the council, so they were matched with the last "
            "report by their framework point and similar wording: %(refs)s."
        ) % {"refs": refs}

    def since_note(self, action: Action) -> str:
        """The small line under an action's rating: `Was: Amber`, or that it is new."""
        row = self.was.get(id(action))
        if row is None:
            return ""
        if row.change == Change.NEW.value:
            return _(NEW_ACTION)
        return _("Was: %(rag)s") % {"rag": row.rag_from}

    def as_dict(self) -> dict[str, object]:
        """The short form for `eqplan summary --format json --since` (key "since"), with the
        warnings about the two workbooks given (PREVIOUS_NOT_EARLIER)."""
        data = self.comparison.as_dict()
        return {
            "previous": data["previous"],
            "current": data["current"],
            "counts": self.counts,
            "problems": data["problems"],
        }


def build_changes_view(comparison: Comparison) -> ChangesView:
    """The printed form of a comparison."""
    rows = [_row(change, comparison) for change in comparison.actions]
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
        withdrawn=[r for r in rows if r.change == Change.WITHDRAWN.value],
        levels=[
            LevelRow(_theme_label(comparison.current, level.theme), was, now, _moved(was, now))
            for level in comparison.levels
            for was, now in [
                (_(level.level_from or NOT_ASSESSED), _(level.level_to or NOT_ASSESSED))
            ]
        ],
        was={id(c.current): r for c, r in paired if c.current is not None},
    )


def counts_sentence(counts: dict[str, int]) -> str:
    """The counts in words, each verb agreeing with its count (in the language being built);
    a count of none in words ("No new action was added", not "0 new actions were added")."""

    number = {key: format_number(value) for key, value in counts.items()}
    rated = (
        ngettext(
            "Since the last report, %(improved)s action's rating got better (from Red to Amber, "
            "for example), %(worsened)s got worse and %(unchanged)s stayed the same (or had no "
            "rating in one of the reports).",
            "Since the last report, %(improved)s actions' ratings got better (from Red to Amber, "
            "for example), %(worsened)s got worse and %(unchanged)s stayed the same (or had no "
            "rating in one of the reports).",
            counts["improved"],
        )
        % number
    )
    completed = (
        ngettext(
            "%(completed)s action became complete",
            "%(completed)s actions became complete",
            counts["completed"],
        )
        % number
        if counts["completed"]
        else _("No action became complete")
    )
    slipped = (
        ngettext(
            "%(slipped)s deadline moved later",
            "%(slipped)s deadlines moved later",
            counts["slipped"],
        )
        % number
        if counts["slipped"]
        else _("no deadline moved later")
    )
    new = (
        ngettext("%(new)s new action was added", "%(new)s new actions were added", counts["new"])
        % number
        if counts["new"]
        else _("No new action was added")
    )
    removed = (
        ngettext(
            "%(removed)s action was removed", "%(removed)s actions were removed", counts["removed"]
        )
        % number
        if counts["removed"]
        else _("no action was removed")
    )
    pair = _("%(first)s and %(second)s.")
    sentences = [
        rated,
        pair % {"first": completed, "second": slipped},
        pair % {"first": new, "second": removed},
    ]
    if counts.get("withdrawn"):
        sentences.append(
            ngettext(
                "%(withdrawn)s action was withdrawn.",
                "%(withdrawn)s actions were withdrawn.",
                counts["withdrawn"],
            )
            % number
        )
    return " ".join(sentences)


def _row(change: ActionChange, comparison: Comparison) -> ChangeRow:
    before, after = change.previous, change.current
    action = change.action
    rag_from = _(shown_rating(before)) if before else ""
    rag_to = _(shown_rating(after)) if after else ""
    if change.change is Change.NEW:
        movement = _("New: %(rag)s") % {"rag": rag_to}
    elif change.change is Change.REMOVED:
        movement = _("Removed: last %(rag)s") % {"rag": rag_from}
    else:
        movement = _moved(rag_from, rag_to)
    days = change.slipped_days
    return ChangeRow(
        ref=change.ref,
        ref_from=before.display_ref if before else "",
        action=_action_text(comparison.current if after else comparison.previous, action),
        change=change.change.value,
        movement=movement,
        rag_from=rag_from,
        rag_to=rag_to,
        status_from=_(before.status.label) if before and before.status else "",
        status_to=_(after.status.label) if after and after.status else "",
        deadline_from=before.deadline.display if before else "",
        deadline_to=after.deadline.display if after else "",
        slipped_days=days,
        slipped_text=_("no longer dated") if change.undated else _slipped(days),
        slipped=change.slipped,
        owner_from=before.owner if before else "",
        owner_to=after.owner if after else "",
        matched_by=change.matched_by.value if change.matched_by else "",
        note=_(MATCHED_BY_TEXT) if change.matched_by is MatchedBy.TEXT else "",
    )


def _action_text(plan: Plan, action: Action) -> str:
    """The action (else its evidence) as the plan prints it: the officer's Welsh in Welsh."""
    entry = plan.welsh.action_entry(action.source)
    text = in_language(entry, "action", action.action)
    return text or in_language(entry, "evidence", action.evidence)


def _theme_label(plan: Plan, label: str) -> str:
    """A theme as the plan prints it: `1.2 Title`, with the framework's Welsh title in Welsh."""
    framework = plan.framework
    theme = next((t for t in framework.themes if t.label == label), None)
    return label if theme is None else theme_label(framework, theme)


def _moved(was: str, now: str) -> str:
    if was == now:
        return _("%(now)s (no change)") % {"now": now}
    return _("%(was)s to %(now)s") % {"was": was, "now": now}


def _slipped(days: int | None) -> str:
    if not days:
        return ""
    count = {"count": format_number(abs(days))}
    if days > 0:
        return ngettext("%(count)s day later", "%(count)s days later", abs(days)) % count
    return ngettext("%(count)s day earlier", "%(count)s days earlier", abs(days)) % count


def _date(plan: Plan) -> str:
    report_date = plan.details.report_date
    return format_date(report_date) if report_date else ""
