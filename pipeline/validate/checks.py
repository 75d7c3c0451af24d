"""Rules about a whole plan: overdue actions, owners, duplicates, coverage.

Each check is a small function that takes the Plan and yields problems; it
never raises. `CHECKS` lists them with the kinds each can emit, after
frictionless-py's `Check.Errors`, so the catalogue and the checks stay in step.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator

from pipeline import headings as h
from pipeline import problems
from pipeline.deadlines import DeadlineKind, plausible
from pipeline.formats import format_date
from pipeline.i18n import _
from pipeline.model import Action, Assessment, Plan, Rag, Section, Theme
from pipeline.owners import OwnerNames
from pipeline.problems import Kind, Problem
from pipeline.progress_log import ProgressEntry, not_applied
from pipeline.status import ActionStatus
from pipeline.text import match_key
from pipeline.workbook import layout

Check = Callable[[Plan], Iterator[Problem | None]]


def _at(kind: Kind, action: Action, field_name: str, **fields: object) -> Problem | None:
    """A problem at one of an action's cells, or None when that column is missing.

    A missing column is already an error (COLUMN_MISSING); warning about its
    empty value on every row would only bury that error.
    """
    if action.source is not None and field_name not in action.source.columns:
        return None
    return _at_record(
        kind, action, field_name, layout.ACTIONS_SHEET, item=action.display_ref, **fields
    )


def _at_record(
    kind: Kind,
    record: Assessment | Section | Action | ProgressEntry,
    field_name: str,
    sheet: str,
    **fields: object,
) -> Problem:
    """A problem at one cell of any record read from a sheet (or at the sheet, if built without one)."""
    source = record.source
    if source is None:
        return kind.at(sheet, **fields)
    return kind.at(source.sheet, source.cell(field_name), row=source.row, **fields)


#: With a Status given, only these need a RAG rating; with none, every open action does.
RATED_STATUSES = (ActionStatus.IN_PROGRESS, ActionStatus.ONGOING)


def _needs_rating(action: Action) -> bool:
    """An open action with no Status, or one In progress or Ongoing (issue 12)."""
    if action.is_complete:
        return False
    return action.status is None or action.status in RATED_STATUSES


def check_ratings(plan: Plan) -> Iterator[Problem | None]:
    """Unrated actions that need a rating, Red with no update, open ratings on complete
    actions, and completion dates on open ones."""
    for action in plan.actions:
        if action.rag is Rag.NOT_RATED and action.action and _needs_rating(action):
            yield _at(problems.RAG_MISSING, action, "rag")
        if action.status is ActionStatus.COMPLETE and action.completed_on is None:
            yield _at(problems.COMPLETE_NO_DATE, action, "completed_on")
        elif action.completed_on is not None and action.is_open():  # reopened: an old date
            date = format_date(action.completed_on)
            yield _at(problems.COMPLETED_BUT_OPEN, action, "completed_on", date=date)
        complete_says = (  # the column's heading and the rating, in the report's language
            h.DEADLINE
            if action.deadline.is_complete
            else h.STATUS
            if action.status is ActionStatus.COMPLETE
            else ""
        )
        if action.status is ActionStatus.WITHDRAWN and action.is_complete:
            what = h.RAG if action.rag is Rag.COMPLETE else h.DEADLINE
            yield _at(problems.WITHDRAWN_COMPLETE, action, "status", what=_(what))
        if complete_says and action.rag in (Rag.RED, Rag.AMBER):
            yield _at(
                problems.COMPLETE_MISMATCH, action, "rag",
                rag=_(action.rag.label), what=_(complete_says),
            )  # fmt: skip
            continue  # counted as Complete, so a Red with no update is not the point
        if action.rag is Rag.RED and not action.progress and not action.is_withdrawn:
            yield _at(problems.RED_NO_UPDATE, action, "progress")


def check_completeness(plan: Plan) -> Iterator[Problem | None]:
    """Evidence with no action; open actions with no owner, or no deadline that can fall due."""
    for action in plan.actions:
        if action.evidence and not action.action:
            yield _at(problems.ACTION_MISSING, action, "action")
        if not action.action or not action.is_open():
            continue
        if not action.owner:
            yield _at(problems.OWNER_MISSING, action, "owner")
        if action.deadline.kind is DeadlineKind.EMPTY:
            yield _at(problems.DEADLINE_MISSING, action, "deadline")
        elif action.deadline.is_recurring:
            yield _at(problems.DEADLINE_RECURRING, action, "deadline", value=action.deadline.text)


def check_dates(plan: Plan) -> Iterator[Problem | None]:
    """Implausible years, overdue actions, and those still rated Green after their deadline."""
    report_date = plan.details.report_date
    if report_date is None:
        return
    shown = format_date(report_date)
    for action in plan.actions:
        due = action.deadline.due
        if due is not None and not plausible(due, report_date):
            yield _at(
                problems.DEADLINE_IMPLAUSIBLE, action, "deadline", deadline=action.deadline.display
            )
            continue
        if not action.is_overdue(report_date):
            continue
        deadline = action.deadline.display
        yield _at(problems.OVERDUE, action, "deadline", deadline=deadline, report_date=shown)
        if action.rag is Rag.GREEN:
            yield _at(problems.GREEN_OVERDUE, action, "rag", deadline=deadline)


def check_progress_log(plan: Plan) -> Iterator[Problem | None]:
    """Progress log rows whose Ref matches no action (kept, but printed nowhere), and merge's
    notes of conflicts not yet settled."""
    refs = {match_key(a.display_ref) for a in plan.actions}
    for entry in plan.progress_log:
        if not_applied(entry):
            yield _at_record(
                problems.CONFLICT_UNSETTLED,
                entry,
                "update",
                layout.PROGRESS_LOG_SHEET,
                item=entry.ref,
            )
        if entry.ref and match_key(entry.ref) not in refs:
            yield _at_record(
                problems.LOG_REF_UNKNOWN,
                entry,
                "ref",
                layout.PROGRESS_LOG_SHEET,
                item=entry.ref,
                value=entry.ref,
            )


def check_owners(plan: Plan) -> Iterator[Problem | None]:
    """Owners not on the Owners sheet, each name in a cell checked by the rule in `pipeline.owners`."""
    owner_names = OwnerNames(plan.owners)
    listed = owner_names.listed
    suggestions: dict[str, str] = {}  # the same misspelling recurs on many rows
    for action in plan.actions:
        for owner in owner_names.split(action.owner):
            if owner.listed:
                continue
            if owner.typed not in suggestions:
                close = _closest(owner.typed, listed)
                suggestions[owner.typed] = f" Did you mean '{close}'?" if close else ""
            yield _at(
                problems.OWNER_UNLISTED,
                action,
                "owner",
                value=owner.typed,
                suggestion=suggestions[owner.typed],
            )


def _closest(name: str, names: list[str]) -> str:
    keys = {match_key(n): n for n in names}
    close = difflib.get_close_matches(match_key(name), list(keys), n=1, cutoff=0.75)
    return keys[close[0]] if close else ""


def check_duplicates(plan: Plan) -> Iterator[Problem | None]:
    """The same Ref (in one workbook), or the same action text, in two rows."""
    refs: dict[
        tuple[str, str], Action
    ] = {}  # the first action with each key, but for its occurrence
    texts: dict[str, Action] = {}
    for action in plan.actions:
        if action.ref:
            key = action.key
            first = refs.setdefault((key.source, match_key(key.ref)), action)
            if first is not action:
                yield _at(
                    problems.REF_DUPLICATE, action, "ref", value=action.ref, other_row=first.row
                )
        if action.action:
            first = texts.setdefault(match_key(action.action), action)
            if first is not action:
                yield _at(problems.ACTION_DUPLICATE, action, "action", other_row=first.row)


def check_point_titles(plan: Plan) -> Iterator[Problem | None]:
    """A point typed with one theme's number and another theme's title (`1.1 Health and
    wellbeing - Developing`): filed by its number, which may not be what was meant; and a
    self-assessment row whose Theme names another theme than its Theme ref. An officer
    workflow review moved a plan to another framework by retyping its name, and its actions
    and self-assessment went under other themes without a word."""
    framework = plan.framework

    def named(words: str) -> Theme | None:  # by title (alias, level), as the reader resolves
        return framework.theme_of(framework.resolve(words)) if words.strip() else None

    for action in plan.actions:
        if action.theme is None:
            continue
        other = named(match_key(action.point_text).partition(" ")[2])
        if other is not None and other.ref != action.theme.ref:
            yield _at(
                problems.POINT_TITLE_MISMATCH, action, "point",
                value=action.point_text, ref=(action.point or action.theme).ref,
                title=action.theme.title,
                other=other.ref, other_title=other.title, framework=framework.short_title,
            )  # fmt: skip
    for row in plan.assessments:  # the same on the Self-assessment sheet, by its Theme ref
        other = named(row.theme_text)
        if other is not None and other.ref != row.theme.ref:
            yield _at_record(
                problems.THEME_TITLE_MISMATCH, row, "theme", layout.ASSESSMENT_SHEET,
                item=row.theme.ref, ref=row.theme.ref, title=row.theme.title,
                typed=row.theme_text, other=other.ref, framework=framework.short_title,
            )  # fmt: skip


def check_coverage(plan: Plan) -> Iterator[Problem | None]:
    """Themes of the framework with no action or evidence rows."""
    covered = {action.theme.ref for action in plan.actions if action.theme is not None}
    for theme in plan.framework.themes:  # the sheet as the workbook names it: validate's step
        if theme.ref not in covered:
            yield problems.THEME_NO_ACTIONS.at(
                layout.ACTIONS_SHEET, item=theme.ref, theme=theme.label
            )


def check_assessments(plan: Plan) -> Iterator[Problem | None]:
    """Targets set below the current level."""
    for assessment in plan.assessments:
        gap = assessment.gap
        if gap is not None and gap < 0:
            yield _at_record(
                problems.TARGET_BELOW_CURRENT,
                assessment,
                "target",
                layout.ASSESSMENT_SHEET,
                item=assessment.theme.ref,
                theme=assessment.theme.label,
                target=assessment.target.label,
                current=assessment.current.label,
            )


def check_sections(plan: Plan) -> Iterator[Problem | None]:
    """Modules with no lead officer named (one with no row is SECTION_ROW_MISSING already)."""
    rows = any(section.source is not None for section in plan.sections)
    for section in plan.sections:
        if not section.lead_officer and (section.source is not None or not rows):
            yield _at_record(
                problems.LEAD_OFFICER_MISSING,
                section,
                "lead_officer",
                layout.SECTIONS_SHEET,
                item=section.module.ref,
                module=section.module.label,
            )


#: Every check with the kinds of problem it can emit (catalogue entries, never typed codes).
CHECKS: dict[Check, tuple[Kind, ...]] = {
    check_ratings: (
        problems.RAG_MISSING,
        problems.RED_NO_UPDATE,
        problems.COMPLETE_MISMATCH,
        problems.COMPLETE_NO_DATE,
        problems.WITHDRAWN_COMPLETE,
    ),
    check_completeness: (
        problems.ACTION_MISSING,
        problems.OWNER_MISSING,
        problems.DEADLINE_MISSING,
        problems.DEADLINE_RECURRING,
    ),
    check_dates: (problems.DEADLINE_IMPLAUSIBLE, problems.OVERDUE, problems.GREEN_OVERDUE),
    check_owners: (problems.OWNER_UNLISTED,),
    check_duplicates: (problems.REF_DUPLICATE, problems.ACTION_DUPLICATE),
    check_point_titles: (problems.POINT_TITLE_MISMATCH, problems.THEME_TITLE_MISMATCH),
    check_coverage: (problems.THEME_NO_ACTIONS,),
    check_assessments: (problems.TARGET_BELOW_CURRENT,),
    check_sections: (problems.LEAD_OFFICER_MISSING,),
    check_progress_log: (problems.LOG_REF_UNKNOWN, problems.CONFLICT_UNSETTLED),
}


def check(plan: Plan) -> list[Problem]:
    """Every plan-level problem, in check order."""
    found: list[Problem] = []
    for run in CHECKS:
        found.extend(problem for problem in run(plan) if problem is not None)
    return found
