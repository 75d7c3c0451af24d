"""The parts of the plan's view (pipeline.view): each action, section, owner and warning as printed.

Plain records with ready-to-print fields and the fixed words used where an
officer left a cell empty; pipeline.view builds them, renderers copy them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline import problems
from pipeline.i18n import N_, _
from pipeline.model import Action, ActionKey, Rag
from pipeline.problems import Problem
from pipeline.refs import fingerprint
from pipeline.status import ActionStatus
from pipeline.strands import NAMED_COLOURS
from pipeline.summaries import OwnerRow, SectionRow
from pipeline.text import joined_names
from pipeline.welsh_text import joined, listed

NO_FILL = "auto"
#: A withdrawn action's row: light grey, with "Withdrawn" in its RAG cell (issue 12).
WITHDRAWN_FILL = NAMED_COLOURS["light grey"]
WITHDRAWN = ActionStatus.WITHDRAWN.label
#: Added to a section's strand legend when one of its rows names several strands.
SEVERAL_STRANDS_NOTE = N_(
    "a row with several strands is labelled with each and shaded in the first one's colour"
)
#: Hidden bookmarks (a leading underscore hides them in Word's Bookmark list, as Word's own _Toc).
BOOKMARK_PREFIX = "_eqA"
BOOKMARK_ID_BASE = 900_000
_BOOKMARK_HASH = 12  # base-32 characters: `_eqA` + 12 = 16, well under Word's 40
MAX_WARNINGS_LISTED = 500
#: Warnings the document lists elsewhere (overdue actions have their own appendix).
LISTED_ELSEWHERE = (problems.OVERDUE,)
#: Words printed where an officer left a cell empty.
NO_LEAD_OFFICER = N_("not yet named")
NO_OWNER_YET = N_("not yet assigned")
NO_DEADLINE = N_("no deadline set")
NO_FURTHER_ACTION = N_("No further action planned.")
NOT_ASSESSED = N_("Not assessed")
NO_TARGET = N_("Not set")
#: The strand colours' names, printed in each section's legend (pipeline.strands.NAMED_COLOURS).
COLOUR_WORDS = (
    N_("light blue"),
    N_("light green"),
    N_("light orange"),
    N_("light purple"),
    N_("light yellow"),
    N_("light teal"),
    N_("light grey"),
    N_("light pink"),
)


def bookmark_name(key: ActionKey) -> str:
    """The hidden Word bookmark for an action: a short fingerprint of its key, never its row.

    Word allows 40 characters of letters, digits and underscores; the same
    plan always gives the same names.
    """
    text = "\x1f".join((key.source, key.ref, str(key.occurrence)))
    return BOOKMARK_PREFIX + fingerprint(text, _BOOKMARK_HASH)


@dataclass
class ActionView:
    """One action as every document prints it."""

    model: Action = field(repr=False)
    key: ActionKey
    bookmark: str
    bookmark_id: int
    row: int
    ref: str
    module: str  # the section's label, `1. Leadership`
    theme: str
    point: str
    point_descriptor: str
    evidence: str
    action: str
    outcome: str
    deadline: str  # as typed (a real Excel date as `30 November 2026`)
    deadline_text: str  # the cell's text
    due: dt.date | None  # the date understood, for sorting and windows only
    deadline_kind: str
    owner: str  # as typed
    owners: list[str]  # each owner once, as the Owners sheet spells them
    rating: Rag  # Complete for a complete action
    rag_given: Rag
    strand: str  # every strand the cell names, joined with `; `
    tint: str  # the first strand's fill, WITHDRAWN_FILL, or NO_FILL
    progress: str  # the Progress update, else the latest Progress log entry's
    overdue: bool
    due_soon: bool
    days_overdue: int | None
    status: str = ""  # the Status as given ('' when none)
    withdrawn: bool = False
    progress_date: dt.date | str | None = None  # log entry date or Last updated; text as typed
    since_note: str = ""  # `Was: Amber` with `--since` (pipeline.view_changes), else ''

    @property
    def rag(self) -> str:
        return _(WITHDRAWN) if self.withdrawn else _(self.rating.label)

    @property
    def rag_fill(self) -> str:
        return WITHDRAWN_FILL if self.withdrawn else self.rating.fill

    @property
    def action_or_evidence(self) -> str:
        return self.action or self.evidence

    @property
    def outcome_or_action(self) -> str:
        return self.outcome or self.action or _(NO_FURTHER_ACTION)

    @property
    def deadline_or_none(self) -> str:
        return self.deadline or _(NO_DEADLINE)

    @property
    def owner_or_none(self) -> str:
        return self.owner or _(NO_OWNER_YET)

    def record(self) -> dict[str, object]:
        """The action for dashboards (All actions sheet, CSV), keyed as `ACTION_FIELDS`."""
        return {
            "row": self.row,
            "ref": self.ref,
            "module": self.module,
            "theme": self.theme,
            "point": self.point,
            "evidence": self.evidence,
            "action": self.action,
            "outcome": self.outcome,
            "deadline_text": self.deadline_text,
            "deadline": self.deadline,
            "due": self.due,
            "deadline_kind": self.deadline_kind,
            "owner": self.owner,
            "owners": joined_names(self.owners),
            "rag": self.rating.label,
            "rag_given": self.rag_given.label,
            "strand": self.strand,
            "progress": self.progress,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "status": self.status,
        }


@dataclass
class StrandView:
    """A strand used in the plan: its fill and its colour in words, for legends."""

    name: str
    fill: str
    colour: str


@dataclass
class SectionView:
    """A section of the plan in the council's order, number and title, with its actions."""

    ref: str  # the framework module's
    number: int
    shown_number: str
    title: str
    label: str  # `1. Leadership`
    heading: str  # `Module 1: Leadership`
    framework_module: str  # where a renumbered or retitled section sits; '' otherwise
    description: str
    lead_officer: str
    aspirations: list[str]
    actions: list[ActionView]
    strands: list[StrandView]
    counts: SectionRow
    several_strands: bool = False  # a row names more than one strand

    @property
    def lead_officer_or_none(self) -> str:
        return self.lead_officer or _(NO_LEAD_OFFICER)

    @property
    def strands_text(self) -> str:
        """The legend: `Race equality (light blue), Workforce (light purple)`, and the rule for several."""
        text = listed((joined(s.name, f" ({_(s.colour)})") for s in self.strands), ", ")
        return joined(text, f"; {_(SEVERAL_STRANDS_NOTE)}") if self.several_strands else text


@dataclass
class LogEntryView:
    """One Progress log entry as printed in the history appendix."""

    date: dt.date | str | None  # a Date cell that is no date: as typed
    update: str
    rag: str
    status: str
    by: str


@dataclass
class HistoryView:
    """An action's Progress log, oldest first, for the history appendix (`--history`)."""

    action: ActionView
    entries: list[LogEntryView]


@dataclass
class OwnerView:
    """An owner (each joint owner separately) with the actions credited to them."""

    name: str
    role: str
    actions: list[ActionView]
    counts: OwnerRow

    @property
    def refs(self) -> list[str]:
        return [a.ref for a in self.actions]


@dataclass
class AssessmentView:
    """A theme's self-assessment as printed."""

    theme: str
    theme_marked: str  # with derived_title_mark() when eqplan wrote the title
    current: str
    target: str
    gap: int | None
    target_date: str
    evidence: str
    assessed: bool


@dataclass
class WarningView:
    """A data check listed in the plan's appendix."""

    where: str
    code: str
    title: str
    message: str


def warning_view(w: Problem) -> WarningView:
    """A check as the plan's appendix lists it: where, code, title and message."""
    where = (w.where if w.cell else w.sheet or _("workbook")) + (
        f" ({w.item})" if w.item and w.cell else ""
    )
    return WarningView(where, w.code, problems.CATALOGUE[w.code].title, w.message)
