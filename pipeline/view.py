"""One view of the plan: every fact a document prints, worked out once, between model and renderers.

The model (pipeline.model) holds what the workbook says; checks
(pipeline.validate) say what is wrong with it; this view says what the
documents show. The Word context, the summary workbook, the CSV, the chart
and `eqplan summary` copy its fields and never count, group, filter or
compare dates themselves, so a committee paper, its workbook and a script
reading the JSON cannot disagree (issue 10). The figures (counts by rating,
section and owner; overdue and due soon) come from `pipeline.summaries`,
the view's counting part; the view adds what each action, section, owner,
assessment and warning looks like in print.

A view is built from one Plan and a list of warnings; it keeps each action's
`ActionKey` (workbook and Ref), so a view of a previous plan, or of several
workbooks, can later be matched action by action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.compare import Comparison
from pipeline.gc_pause import paused_gc
from pipeline.headings import derived_title_mark
from pipeline.i18n import N_, _
from pipeline.model import (
    DUE_SOON_DAYS,
    Action,
    Assessment,
    Plan,
    Rag,
    numbered,
)
from pipeline.owners import OwnerNames
from pipeline.problems import Problem
from pipeline.progress_log import ProgressEntry, latest_update
from pipeline.strands import strand_colour
from pipeline.summaries import CountRow, CoverageRow, OwnerRow, SectionRow, Summary, summarise
from pipeline.text import match_key
from pipeline.view_changes import ChangesView, build_changes_view
from pipeline.view_parts import (
    BOOKMARK_ID_BASE,
    BOOKMARK_PREFIX,
    LISTED_ELSEWHERE,
    MAX_WARNINGS_LISTED,
    NO_FILL,
    NO_TARGET,
    NOT_ASSESSED,
    WITHDRAWN_FILL,
    ActionView,
    AssessmentView,
    HistoryView,
    LogEntryView,
    OwnerView,
    SectionView,
    StrandView,
    WarningView,
    bookmark_name,
    warning_view,
)
from pipeline.view_welsh import (
    coverage_rows,
    descriptor,
    module_note,
    module_title,
    point_label,
    section_label,
    section_rows,
    section_title,
    theme_label,
)
from pipeline.welsh_text import (
    Entry,
    english_text,
    in_language,
    joined,
    lines_in_language,
    listed,
    update_in_language,
    word_in_language,
)

__all__ = [
    "BOOKMARK_PREFIX",
    "MAX_WARNINGS_LISTED",
    "ActionView",
    "AssessmentView",
    "OwnerView",
    "PlanView",
    "SectionView",
    "StrandView",
    "WarningView",
    "build_view",
]


@dataclass
class PlanView:
    """Everything the documents print about one plan, as at its report date."""

    plan: Plan = field(repr=False)
    figures: Summary
    actions: list[ActionView]
    sections: list[SectionView]
    owners: list[OwnerView]
    overdue: list[ActionView]
    due_soon: list[ActionView]
    assessments: list[AssessmentView]
    strands: list[StrandView]
    warnings: list[WarningView]
    warnings_more: int
    section_word: str  # what the plan calls its sections: `Module`, or `Section` once renumbered
    history: list[HistoryView] = field(default_factory=list)  # actions with log entries, plan order
    since: ChangesView | None = None  # progress since the last report, with `--since`

    # The figures, read through to the one place they are counted.
    @property
    def report_date(self) -> dt.date | None:
        return self.figures.report_date

    @property
    def due_soon_days(self) -> int:
        return self.figures.due_soon_days

    @property
    def due_soon_until(self) -> dt.date | None:
        return self.figures.due_soon_until

    @property
    def total_actions(self) -> int:
        return self.figures.actions

    @property
    def complete(self) -> int:
        return self.figures.complete

    @property
    def by_rag(self) -> dict[str, int]:
        return self.figures.by_rag

    @property
    def by_section(self) -> list[SectionRow]:
        return section_rows(self.figures.by_module, {s.ref: s.title for s in self.sections})

    @property
    def section_total(self) -> CountRow:
        return self.figures.module_total

    @property
    def by_owner(self) -> list[OwnerRow]:
        return self.figures.by_owner

    @property
    def owner_total(self) -> CountRow:
        return self.figures.owner_total

    @property
    def owners_note(self) -> str:
        return self.figures.owners_note

    @property
    def by_strand(self) -> dict[str, int]:
        return self.figures.by_strand

    @property
    def by_status(self) -> dict[str, int]:
        return self.figures.by_status

    @property
    def withdrawn(self) -> int:
        return self.figures.withdrawn

    @property
    def coverage(self) -> list[CoverageRow]:
        titles = {s.ref: s.title for s in self.sections}
        return coverage_rows(self.plan, self.figures.coverage, titles)

    @property
    def uncovered(self) -> list[str]:
        return [theme_label(self.plan.framework, theme) for theme in self.figures.uncovered]

    @property
    def any_rated(self) -> bool:
        """True when an action has a rating: a plan rating nothing leaves out the chart and tables."""
        return self.figures.by_rag[Rag.NOT_RATED.label] < self.figures.actions

    @property
    def any_assessed(self) -> bool:
        return any(a.assessed for a in self.assessments)

    @property
    def action_records(self) -> list[dict[str, object]]:
        return [a.record() for a in self.actions]

    def as_dict(self) -> dict[str, object]:
        """The figures for `eqplan summary --format json`: a stable shape scripts rely on.

        With a comparison, "since" holds the counts of progress since the last report.
        """
        data = self.figures.as_dict()
        if self.since is not None:
            data["since"] = self.since.as_dict()
        return data


@paused_gc()
def build_view(
    plan: Plan,
    warnings: Iterable[Problem] = (),
    due_soon_days: int = DUE_SOON_DAYS,
    since: Comparison | None = None,
) -> PlanView:
    """The view of plan as at its report date; warnings are those the plan's appendix may list.

    since is the comparison with the previous report (pipeline.compare), whose
    current plan is plan: it adds the progress section and each action's
    previous rating.
    """
    figures = summarise(plan, due_soon_days)
    tints = _strand_tints(plan, figures)
    views = _action_views(plan, figures, tints)
    changes = build_changes_view(since) if since is not None else None
    if changes is not None:
        for view in views:
            view.since_note = changes.since_note(view.model)
    by_id = {id(v.model): v for v in views}

    def rows(items: Iterable[Action]) -> list[ActionView]:
        return [by_id[id(a)] for a in items]

    word = section_word(plan)
    sections = []
    for section, counts in zip(plan.sections, figures.by_module, strict=True):
        module = section.module
        actions = rows(counts.actions)
        used = {match_key(n) for a in actions for n in a.model.strands}
        entry = plan.welsh.sections.get(module.ref)
        title = section_title(plan, section)
        sections.append(
            SectionView(
                ref=module.ref,
                number=section.number,
                shown_number=section.shown_number,
                title=title,
                label=section.label,
                heading=joined(word_in_language(word), f" {section.shown_number}: ", title),
                framework_module="" if section.follows_framework else module_note(plan, section),
                description=english_text(module.description),  # a framework has no Welsh for it
                lead_officer=english_text(section.lead_officer),  # no Welsh is asked for
                aspirations=lines_in_language(entry, "aspirations", section.aspirations),
                actions=actions,
                strands=[strand for key, strand in tints.items() if key in used],
                counts=counts,
                several_strands=any(len(a.model.strands) > 1 for a in actions),
            )
        )
    listed = [w for w in warnings if not any(w.is_kind(k) for k in LISTED_ELSEWHERE)]
    return PlanView(
        plan=plan,
        figures=figures,
        actions=views,
        sections=sections,
        owners=[OwnerView(r.label, r.role, rows(r.actions), r) for r in figures.by_owner],
        overdue=rows(figures.overdue),
        due_soon=rows(figures.due_soon),
        assessments=[
            _assessment(
                a, plan.welsh.assessments.get(a.theme.ref), theme_label(plan.framework, a.theme)
            )
            for a in figures.assessments
        ],
        strands=list(tints.values()),
        warnings=[warning_view(w) for w in listed[:MAX_WARNINGS_LISTED]],
        warnings_more=max(0, len(listed) - MAX_WARNINGS_LISTED),
        section_word=word,
        history=_history(plan, [v for s in sections for v in s.actions]),
        since=changes,
    )


def section_word(plan: Plan) -> str:
    """What the plan calls its sections: the framework's word (`Module`) while it keeps the
    framework's numbering, and `Section` once the council numbers them its own way, so that
    "Section 1" never reads as the framework's module 1 (the note under each heading says
    which module a section is)."""
    renumbered = any(s.shown_number and s.shown_number != s.module.ref for s in plan.sections)
    return N_("Section") if renumbered else plan.framework.labels.module


def _history(plan: Plan, in_print_order: list[ActionView]) -> list[HistoryView]:
    """Each action's Progress log, in the order the plan prints the actions; none without entries."""
    out = []
    logs = plan.logs_by_ref()
    for view in in_print_order:
        entries = logs.get(match_key(view.model.display_ref), [])
        if entries:
            out.append(
                HistoryView(
                    view,
                    [
                        LogEntryView(
                            e.date_shown,
                            update_in_language(e.update, e.update_cy),
                            e.rag.label if e.rag else e.rag_text,
                            e.status.label if e.status else e.status_text,
                            e.by,
                        )
                        for e in entries
                    ],
                )
            )
    return out


def _latest_update(
    logs: dict[str, list[ProgressEntry]], action: Action
) -> tuple[str, dt.date | str | None]:
    """The Progress update (dated Last updated), else the latest Progress log entry, with its
    date: a date cell's text as written when it is no date (DATE_UNCLEAR), never left out."""
    if action.progress:
        return action.progress, action.last_updated or action.dates_as_written.get("last_updated")
    entry = latest_update(logs.get(match_key(action.display_ref), []))
    if entry is None:
        return "", None
    return update_in_language(entry.update, entry.update_cy), entry.date_shown


def _action_views(plan: Plan, figures: Summary, tints: dict[str, StrandView]) -> list[ActionView]:
    report_date = figures.report_date
    overdue = {id(a) for a in figures.overdue}
    due_soon = {id(a) for a in figures.due_soon}
    # As the plan numbers and titles its sections, in the language being built.
    modules = {
        m.ref: numbered(m.ref, module_title(plan.framework, m)) for m in plan.framework.modules
    }
    modules.update({s.module.ref: section_label(plan, s) for s in plan.sections})
    owner_names = OwnerNames(plan.owners)
    taken: set[str] = set()
    logs = plan.logs_by_ref()
    views = []
    for index, action in enumerate(plan.actions):
        key = action.key
        bookmark = bookmark_name(key)
        if bookmark in taken:  # two actions with one key (a Plan built by hand): keep both
            bookmark = f"{bookmark}_{index}"
        taken.add(bookmark)
        theme = action.theme
        due = action.deadline.due
        late = id(action) in overdue
        progress, progress_date = _latest_update(logs, action)
        entry = plan.welsh.action_entry(action.source)
        if progress and progress == action.progress:
            progress = in_language(entry, "progress", progress)
        strands = action.strands
        tint = tints[match_key(strands[0])].fill if strands else NO_FILL
        deadline = action.deadline.display
        withdrawn = action.is_withdrawn
        views.append(
            ActionView(
                model=action,
                key=key,
                bookmark=bookmark,
                bookmark_id=BOOKMARK_ID_BASE + index,
                row=action.row,
                ref=action.display_ref,
                module=modules.get(theme.module_ref, "") if theme else "",
                theme=theme_label(plan.framework, theme) if theme else "",
                point=point_label(plan.framework, action),
                point_descriptor=descriptor(plan.framework, action),
                evidence=in_language(entry, "evidence", action.evidence),
                action=in_language(entry, "action", action.action),
                outcome=in_language(entry, "outcome", action.outcome),
                deadline=deadline,
                deadline_text=deadline,  # a date cell's, in the language
                due=due,
                deadline_kind=action.deadline.kind.value,
                owner=english_text(action.owner),  # no Welsh is asked for
                owners=owner_names.names(action.owner),
                rating=action.rating,
                rag_given=action.rag,
                strand=listed(map(english_text, strands)),  # no Welsh is asked for
                tint=WITHDRAWN_FILL if withdrawn else tint,
                progress=progress,
                progress_date=progress_date,
                status=action.status.label if action.status else "",
                withdrawn=withdrawn,
                overdue=late,
                due_soon=id(action) in due_soon,
                days_overdue=(report_date - due).days if late and report_date and due else None,
            )
        )
    return views


def _strand_tints(plan: Plan, figures: Summary) -> dict[str, StrandView]:
    """Each strand used, by match_key and in the legends' order: its name as the figures
    count it (summaries.by_strand, one definition) and the council's colour for it, the
    same in every plan."""
    views = {}
    for name in figures.by_strand:
        colour = strand_colour(plan.strand_colours, name)
        views[match_key(name)] = StrandView(english_text(name), colour.fill, colour.words)
    return views


def _assessment(a: Assessment, welsh: Entry | None, label: str) -> AssessmentView:
    return AssessmentView(
        theme=label,
        theme_marked=label + derived_title_mark() if a.theme.title_derived else label,
        current=_(a.current.label) if a.current else _(NOT_ASSESSED),
        target=_(a.target.label) if a.target else _(NO_TARGET),
        gap=a.gap,
        target_date=a.target_date.display if a.target_date else "",
        evidence=in_language(welsh, "evidence", a.evidence),
        assessed=bool(a.current or a.target),
    )
