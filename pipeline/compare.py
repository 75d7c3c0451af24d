"""What changed between two reports of the same plan: the one home of every "since last time" figure.

Pure computation from two Plans (issue 12). Actions are matched by their
Ref; where a Ref is missing on either side (eqplan made one up, and a made-up
Ref changes when the action's text is edited: pipeline.refs) an action is
matched instead by its framework point plus similar action text, and says so
(`matched_by` is "text"); a Ref eqplan made last time and `eqplan next-period`
wrote into its cell is matched as a Ref. Each matched action is improved, worsened or
unchanged by its rating (`Action.rating`, the one definition of complete):
Red < Amber < Green < Complete; a change to or from Not rated cannot be
ranked, so it is unchanged, with both ratings shown. Actions only in the
current plan are new; actions only in the previous plan are removed and are
always listed, with their last rating. The view (pipeline.view_changes) and
every output copy these figures and never compare for themselves.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from dataclasses import dataclass, field

from pipeline.errors import EqplanError
from pipeline.model import Action, Assessment, Plan, Rag
from pipeline.problem_types import Problem
from pipeline.status import ActionStatus
from pipeline.text import match_key

#: How alike two actions' texts must be to be the same action when either has no Ref of the
#: officer's: difflib's ratio (0 to 1) over the words of each text, case and spacing ignored.
#: 0.8 keeps an action whose wording was tidied (one word in five changed, a typo fixed) and
#: refuses a different action under the same point.
TEXT_MATCH_THRESHOLD = 0.8

#: The order ratings improve in. Not rated has no place: a change to or from it is unchanged.
RAG_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.COMPLETE: 3}


class Change(enum.Enum):
    """What happened to one action since the previous report."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    NEW = "new"
    REMOVED = "removed"
    WITHDRAWN = "withdrawn"  # Status Withdrawn now, not at the previous report


class MatchedBy(enum.Enum):
    """How a current action was found in the previous plan."""

    REF = "ref"
    TEXT = "text"


@dataclass
class ActionChange:
    """One action's movement between the two reports (previous None: new; current None: removed)."""

    previous: Action | None
    current: Action | None
    change: Change
    matched_by: MatchedBy | None = None
    similarity: float | None = None  # the text ratio, for actions matched by text

    @property
    def action(self) -> Action:
        """The action as it stands now, or as it was last reported if it was removed."""
        found = self.current or self.previous
        assert found is not None
        return found

    @property
    def ref(self) -> str:
        return self.action.display_ref

    @property
    def rag_from(self) -> Rag | None:
        return self.previous.rating if self.previous else None

    @property
    def rag_to(self) -> Rag | None:
        return self.current.rating if self.current else None

    @property
    def became_complete(self) -> bool:
        """Complete now and not complete at the previous report (a new complete action counts)."""
        was = self.previous is not None and self.previous.is_complete
        return self.current is not None and self.current.is_complete and not was

    @property
    def slipped_days(self) -> int | None:
        """Days the understood deadline moved (later is positive); None unless both are dates."""
        if self.previous is None or self.current is None:
            return None
        before, after = self.previous.deadline.due, self.current.deadline.due
        if before is None or after is None:
            return None
        return (after - before).days

    @property
    def undated(self) -> bool:
        """A dated deadline replaced by words with no date (`after the review`, `Ongoing`)
        while the action is still open: put off with no date to hold it to."""
        before, after = self.previous, self.current
        if before is None or after is None or after.is_complete or after.is_withdrawn:
            return False
        return before.deadline.due is not None and after.deadline.due is None

    @property
    def slipped(self) -> bool:
        """The deadline moved later, or lost its date (undated)."""
        return (self.slipped_days or 0) > 0 or self.undated

    def as_dict(self) -> dict[str, object]:
        """The action for `eqplan compare --format json` (a stable shape)."""
        before, after = self.previous, self.current
        return {
            "ref": self.ref,
            "change": self.change.value,
            "rag_from": before.rating.label if before else None,
            "rag_to": after.rating.label if after else None,
            "status_from": _status(before),
            "status_to": _status(after),
            "deadline_from": before.deadline.display if before else None,
            "deadline_to": after.deadline.display if after else None,
            "slipped_days": self.slipped_days,
            "undated": self.undated,
            "matched_by": self.matched_by.value if self.matched_by else None,
            "ref_from": before.display_ref if before else None,
            "owner_from": before.owner if before else None,
            "owner_to": after.owner if after else None,
            "completed": self.became_complete,
            "withdrawn": self.change is Change.WITHDRAWN,
            "similarity": round(self.similarity, 3) if self.similarity is not None else None,
        }


@dataclass
class LevelChange:
    """A theme's self-assessed level at the two reports (None: not assessed then)."""

    theme: str
    level_from: str | None
    level_to: str | None
    moved: int | None  # levels climbed (negative: fell); None unless both are assessed


@dataclass
class Comparison:
    """Every action's and theme's movement between the previous and the current report."""

    previous: Plan = field(repr=False)
    current: Plan = field(repr=False)
    actions: list[ActionChange]  # the current plan's order, then removed ones in the previous order
    levels: list[LevelChange]
    #: Warnings about the two workbooks given (PREVIOUS_NOT_EARLIER: pipeline.compare_files).
    problems: list[Problem] = field(default_factory=list)

    def of_kind(self, change: Change) -> list[ActionChange]:
        return [a for a in self.actions if a.change is change]

    @property
    def completed(self) -> list[ActionChange]:
        return [a for a in self.actions if a.became_complete]

    @property
    def slipped(self) -> list[ActionChange]:
        return [a for a in self.actions if a.slipped]

    @property
    def counts(self) -> dict[str, int]:
        """Actions by change (withdrawn among them), then those that became complete and
        those whose deadline slipped."""
        found = {change.value: len(self.of_kind(change)) for change in Change}
        return found | {"completed": len(self.completed), "slipped": len(self.slipped)}

    def as_dict(self) -> dict[str, object]:
        """`eqplan compare --format json`: a stable shape (keys may be added, never renamed)."""
        return {
            "previous": _plan_dict(self.previous),
            "current": _plan_dict(self.current),
            "counts": self.counts,
            "actions": [a.as_dict() for a in self.actions],
            "assessments": [
                {
                    "theme": c.theme,
                    "level_from": c.level_from,
                    "level_to": c.level_to,
                    "moved": c.moved,
                }
                for c in self.levels
            ],
            "problems": [p.as_dict() for p in self.problems],
        }


def compare(previous: Plan, current: Plan) -> Comparison:
    """Line up the previous report's plan with the current one, action by action and theme by theme.

    Raises EqplanError when the plans follow different frameworks: their
    points and levels cannot be compared.
    """
    if previous.framework.id != current.framework.id:
        raise EqplanError(
            f"The two workbooks follow different frameworks: the previous one "
            f"{previous.framework.short_title} ({previous.framework.id}), the current one "
            f"{current.framework.short_title} ({current.framework.id}), so their actions and "
            "levels cannot be compared.",
            hint="Compare two reports of the same plan, or correct the Framework on the Plan sheet.",
            code="FRAMEWORKS_DIFFER",
        )
    pairs = _match(previous.actions, current.actions)
    matched = {id(before): (before, how, ratio) for before, _, how, ratio in pairs.values()}
    changes = []
    for action in current.actions:
        found = pairs.get(id(action))
        if found is None:
            changes.append(ActionChange(None, action, Change.NEW))
            continue
        before, _, how, ratio = found
        changes.append(ActionChange(before, action, _movement(before, action), how, ratio))
    changes += [
        ActionChange(action, None, Change.REMOVED)
        for action in previous.actions
        if id(action) not in matched
    ]
    return Comparison(previous, current, changes, _levels(previous, current))


def _match(
    previous: list[Action], current: list[Action]
) -> dict[int, tuple[Action, Action, MatchedBy, float | None]]:
    """Pairs by id of the current action: first by the officers' Refs, then by point and text.

    A Ref typed now that eqplan made for the previous report's action is that
    action: `eqplan next-period` writes the made Refs into their cells so that
    they keep finding their action however its words are edited later.
    """
    pairs: dict[int, tuple[Action, Action, MatchedBy, float | None]] = {}
    made = {_ref_key(a): a for a in previous if a.ref_generated}
    typed = made | {_ref_key(a): a for a in previous if not a.ref_generated}
    for action in current:
        before = typed.pop(_ref_key(action), None) if not action.ref_generated else None
        if before is not None:
            pairs[id(action)] = (before, action, MatchedBy.REF, None)
    taken = {id(p[0]) for p in pairs.values()}
    left_before = [a for a in previous if id(a) not in taken]
    left_now = [a for a in current if id(a) not in pairs]
    for before, action, ratio in _match_by_text(left_before, left_now):
        pairs[id(action)] = (before, action, MatchedBy.TEXT, ratio)
    return pairs


def _match_by_text(
    previous: list[Action], current: list[Action]
) -> list[tuple[Action, Action, float]]:
    """Pairs under the same framework point with alike text, where either side has no typed Ref.

    Only actions under the same point are compared, identical texts first, so a
    large plan with no Refs at all stays quick; then the most alike pairs win.
    """
    by_point: dict[str, tuple[list[Action], list[Action]]] = {}
    for side, actions in enumerate((previous, current)):
        for action in actions:
            by_point.setdefault(_point(action), ([], []))[side].append(action)
    found: list[tuple[Action, Action, float]] = []
    for olds, news in by_point.values():
        found += _pair_alike(*_pair_identical(olds, news, found))
    return found


def _pair_identical(
    olds: list[Action], news: list[Action], found: list[tuple[Action, Action, float]]
) -> tuple[list[Action], list[Action]]:
    """Pair identical texts in plan order (the usual case); return the actions left over."""
    waiting: dict[str, list[Action]] = {}
    for before in olds:
        waiting.setdefault(_text(before), []).append(before)
    paired: set[int] = set()
    left_new = []
    for action in news:
        same = waiting.get(_text(action), [])
        before = next((b for b in same if _may_pair(b, action) and id(b) not in paired), None)
        if before is None:
            left_new.append(action)
            continue
        paired.add(id(before))
        found.append((before, action, 1.0))
    return [b for b in olds if id(b) not in paired], left_new


def _pair_alike(olds: list[Action], news: list[Action]) -> list[tuple[Action, Action, float]]:
    """Pair texts at least TEXT_MATCH_THRESHOLD alike, word by word, most alike first."""
    candidates = []
    words = [_words(action) for action in news]
    for i, before in enumerate(olds):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(_words(before))  # difflib caches facts about the second sequence
        for j, action in enumerate(news):
            if not _may_pair(before, action):
                continue
            matcher.set_seq1(words[j])
            if matcher.real_quick_ratio() < TEXT_MATCH_THRESHOLD:
                continue
            if matcher.quick_ratio() < TEXT_MATCH_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= TEXT_MATCH_THRESHOLD:
                candidates.append((-ratio, i, j))
    found = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for negative, i, j in sorted(candidates):  # most alike first, then plan order
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            found.append((olds[i], news[j], -negative))
    return found


def _may_pair(before: Action, after: Action) -> bool:
    """Two Refs typed by officers that differ are two actions; otherwise text may match them."""
    return before.ref_generated or after.ref_generated


def _words(action: Action) -> list[str]:
    return _text(action).split()


def _ref_key(action: Action) -> tuple[str, int]:
    return match_key(action.display_ref), action.occurrence


def _point(action: Action) -> str:
    """The framework point (or theme) an action is filed under, as a key."""
    if action.point is not None:
        return action.point.ref
    if action.theme is not None:
        return action.theme.ref
    return match_key(action.point_text)


def _text(action: Action) -> str:
    return match_key(action.action or action.evidence)


def shown_rating(action: Action) -> str:
    """The rating as the plan prints it: `Withdrawn` for a withdrawn action (its RAG cell)."""
    return ActionStatus.WITHDRAWN.label if action.is_withdrawn else action.rating.label


def _movement(before: Action, after: Action) -> Change:
    """Withdrawn since; else improved or worsened by rating, unchanged when either side is
    Not rated."""
    if after.is_withdrawn and not before.is_withdrawn:
        return Change.WITHDRAWN
    was, now = RAG_RANK.get(before.rating), RAG_RANK.get(after.rating)
    if was is None or now is None or was == now:
        return Change.UNCHANGED
    return Change.IMPROVED if now > was else Change.WORSENED


def _levels(previous: Plan, current: Plan) -> list[LevelChange]:
    """Each theme assessed in either report, in the framework's order."""
    before = {a.theme.ref: a for a in previous.assessments}
    after = {a.theme.ref: a for a in current.assessments}
    out = []
    for theme in current.framework.themes:
        was, now = before.get(theme.ref), after.get(theme.ref)
        if not (_assessed(was) or _assessed(now)):
            continue
        level_from = was.current if was else None
        level_to = now.current if now else None
        moved = level_to.rank - level_from.rank if level_from and level_to else None
        out.append(
            LevelChange(
                theme.label,
                level_from.label if level_from else None,
                level_to.label if level_to else None,
                moved,
            )
        )
    return out


def _assessed(assessment: Assessment | None) -> bool:
    return assessment is not None and assessment.current is not None


def _status(action: Action | None) -> str | None:
    return action.status.label if action is not None and action.status is not None else None


def _plan_dict(plan: Plan) -> dict[str, object]:
    report_date: dt.date | None = plan.details.report_date
    return {
        "report_date": report_date.isoformat() if report_date else None,
        "actions": len(plan.actions),
    }
