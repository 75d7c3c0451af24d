"""The Jinja2 context handed to Word templates: plain dicts of ready-to-print text.

This is a documented contract (README.md, "The Word template context"): a
council writing its own template uses these names. Every value is text,
a list or a number, already formatted (dates as `30 November 2026`), so a
template needs no logic beyond loops and ifs. User text is passed as plain
strings and escaped by Jinja2's autoescape at render time; only eqplan's own
markup (bookmarks) is marked safe.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

from pipeline.deadlines import format_date
from pipeline.model import DERIVED_TITLE_MARK, Action, Plan, Rag, Section
from pipeline.problems import CATALOGUE, Problem
from pipeline.statutory import load_statutory
from pipeline.strands import strand_colour
from pipeline.summaries import CountRow, Summary
from pipeline.text import are, is_are, plural, strip_list_number

NO_FILL = "auto"
BOOKMARK_PREFIX = "_eqA"
BOOKMARK_ID_BASE = 900_000
MAX_WARNINGS_LISTED = 500
_LISTED_ELSEWHERE = {"OVERDUE"}  # has its own appendix
NBSP = "\u00a0"
#: A date written in words, `30 November 2026` or `Nov 2026`: kept on one line in Word.
_DATE_IN_WORDS = re.compile(r"\b(?:(\d{1,2}) )?([A-Z][a-z]{2,8}) (\d{4})\b")


def action_bookmark(row: int) -> str:
    """The hidden bookmark name that marks an action's row in its module table."""
    return f"{BOOKMARK_PREFIX}{row}"


def any_rated(summary: Summary) -> bool:
    """True when at least one action has a rating (a Complete deadline counts as one).

    Some councils' plans (a district council's three-column plan) rate
    nothing; their document leaves out the RAG chart and ratings tables
    rather than print an all-grey chart and rows of "Not rated".
    """
    return summary.by_rag[Rag.NOT_RATED.label] < summary.actions


def unbroken_dates(text: str) -> str:
    """Join the words of each date in text with non-breaking spaces, so Word never wraps mid-date."""
    return _DATE_IN_WORDS.sub(lambda m: NBSP.join(g for g in m.groups() if g), text)


def _date(value: dt.date | None) -> str:
    return unbroken_dates(format_date(value)) if value else ""


def build_context(
    plan: Plan,
    summary: Summary,
    warnings: list[Problem],
    chart: Any = "",
    *,
    include_checks: bool = False,
) -> dict[str, Any]:
    """Everything a Word template can use, as plain values.

    include_checks adds the appendix of data checks (cells such as
    `Actions!F72`): officers' working notes, which belong in the validation
    report and the checked copy, so a committee document leaves them out.
    """
    details = plan.details
    labels = plan.framework.labels
    strands = _strand_tints(plan)
    actions = {id(a): _action(a, plan, strands) for a in plan.actions}

    def rows(items: list[Action]) -> list[Row]:
        return [actions[id(a)] for a in items]

    period = ""
    if details.period_start and details.period_end:
        period = f"{_date(details.period_start)} to {_date(details.period_end)}"
    elif details.period_start or details.period_end:
        period = _date(details.period_start or details.period_end)
    report_date = details.report_date
    due_soon_until = summary.due_soon_until
    due_soon_window = f"the next {plural(summary.due_soon_days, 'day')}"

    sections = []
    for section in plan.sections:
        module = section.module
        module_actions = plan.actions_for(module)
        used = sorted({a.strand for a in module_actions if a.strand}, key=str.casefold)
        title = section.display_title
        sections.append(
            {
                "ref": module.ref,
                "number": section.number,
                "title": title,
                "shown_number": section.shown_number,
                "heading": f"{labels.module} {section.shown_number}: {title}",
                "framework_module": "" if section.follows_framework else module_note(section, plan),
                "description": module.description,
                "lead_officer": section.lead_officer,
                "lead_officer_or_none": section.lead_officer or "not yet named",
                "aspirations": section.aspirations,
                "actions": rows(module_actions),
                "strands": ", ".join(f"{name} ({strands[name][1]})" for name in used),
            }
        )

    # Figures and owners are copied from the summary, never counted here (issue 10).
    owners = [
        {
            "name": row.label,
            "role": row.role,
            "actions": rows(row.actions),
            "refs": ", ".join(row.refs),
        }
        for row in summary.by_owner
    ]
    overdue_count, due_soon_count = len(summary.overdue), len(summary.due_soon)

    listed = [w for w in warnings if w.code not in _LISTED_ELSEWHERE]
    more = max(0, len(listed) - MAX_WARNINGS_LISTED)
    framework = plan.framework
    context = {
        "plan": {
            "council": details.council,
            "title": details.title,
            "framework": {
                "id": framework.id,
                "title": framework.title,
                "short_title": framework.short_title,
                "publisher": framework.publisher,
                "source": framework.source,
                "assessment_levels": list(framework.assessment_levels),
                "assessment_levels_text": ", ".join(framework.assessment_levels),
                "derived_titles_note": _derived_titles_note(plan),
            },
            "labels": {"module": labels.module, "theme": labels.theme, "point": labels.point},
            "period": period,
            "version": details.version,
            "status": details.status.value if details.status else details.status_text,
            "report_date": _date(report_date),
            "committee": details.committee,
            "meeting_date": _date(details.meeting_date),
            "author": details.author,
            "target_year": details.target_year,
            "target_year_or_end": details.target_year or "the end of the plan",
            "introduction": [p.strip() for p in details.introduction.split("\n") if p.strip()],
            "objectives": [strip_list_number(o) for o in details.objectives],
        },
        "summary": {
            "total_actions": summary.actions,
            "complete_count": summary.complete,
            "overdue_count": overdue_count,
            "due_soon_count": due_soon_count,
            "due_soon_days": summary.due_soon_days,
            "due_soon_until": _date(due_soon_until),
            "due_soon_window": due_soon_window,
            "actions_text": plural(summary.actions, "action"),
            "complete_text": are(summary.complete, "complete"),
            "overdue_text": are(overdue_count, "overdue"),
            "due_soon_text": are(due_soon_count, f"due in {due_soon_window}"),
            "modules": [_counts(r) for r in summary.by_module],
            "total": _counts(summary.module_total),
            "owners": [_counts(r) for r in summary.by_owner],
            "owner_total": _counts(summary.owner_total),
            "owners_note": summary.owners_note,
            "chart": chart,
            "chart_caption": f"Actions by RAG rating for each {labels.module.lower()}",
            "any_rated": any_rated(summary),
            "any_assessed": any(a.current or a.target for a in summary.assessments),
        },
        "include_checks": include_checks,
        "statutory": load_statutory(),
        "rag_key": [{"label": r.label, "meaning": r.meaning, "fill": r.fill} for r in Rag],
        "assessments": [
            {
                "theme": a.theme.label + (DERIVED_TITLE_MARK if a.theme.title_derived else ""),
                "current": a.current.label if a.current else "Not assessed",
                "target": a.target.label if a.target else "Not set",
                "target_date": unbroken_dates(a.target_date.display) if a.target_date else "",
                "evidence": a.evidence,
            }
            for a in summary.assessments
        ],
        "sections": sections,
        "overdue": rows(summary.overdue),
        "due_soon": rows(summary.due_soon),
        "owners": owners,
        "uncovered": [t.label for t in summary.uncovered],
        "warnings": [
            {
                "where": (w.where if w.cell else w.sheet or "workbook")
                + (f" ({w.item})" if w.item and w.cell else ""),
                "code": w.code,
                "title": CATALOGUE[w.code].title,
                "message": w.message,
            }
            for w in listed[:MAX_WARNINGS_LISTED]
        ],
        "warnings_more": more,
        "warnings_more_text": f"{plural(more, 'further point')} {is_are(more)} not shown",
        "strands": [
            {"name": name, "fill": fill, "colour": colour}
            for name, (fill, colour) in strands.items()
        ],
    }
    context["toc"] = _contents(context)
    return context


def _derived_titles_note(plan: Plan) -> str:
    """Says which titles eqplan wrote itself, where the framework's source has none."""
    framework = plan.framework
    if not any(t.title_derived for t in framework.themes):
        return ""
    return (
        f"{framework.labels.theme}s marked{DERIVED_TITLE_MARK} have no title in the published "
        f"{framework.short_title} text available to eqplan; the short title shown is "
        "a description of their aim, not the official wording."
    )


def module_note(section: Section, plan: Plan) -> str:
    """Where a renumbered or retitled section sits in the framework, for readers who compare."""
    framework = plan.framework
    return (
        f"In the {framework.short_title} framework this is "
        f"{framework.labels.module.lower()} {section.module.ref}: {section.module.title}."
    )


def _counts(row: CountRow) -> dict[str, Any]:
    return {
        "label": row.label,
        "red": row.count(Rag.RED),
        "amber": row.count(Rag.AMBER),
        "green": row.count(Rag.GREEN),
        "complete": row.count(Rag.COMPLETE),
        "not_rated": row.count(Rag.NOT_RATED),
        "total": row.total,
        "refs": ", ".join(row.refs),
    }


def _strand_tints(plan: Plan) -> dict[str, tuple[str, str]]:
    """Fill and colour words of each strand used: the council's colour, the same in every plan."""
    names = sorted({a.strand for a in plan.actions if a.strand}, key=str.casefold)
    colours = {name: strand_colour(plan.strand_colours, name) for name in names}
    return {name: (colour.fill, colour.words) for name, colour in colours.items()}


class Row(SimpleNamespace):
    """A table row for templates: `a.ref` reads an attribute directly.

    Jinja2 looks names up as attributes first; plain dicts make every lookup
    raise and catch an AttributeError, which was a third of rendering time
    for a 10,000-action plan. Rows are also readable as `a["ref"]`.
    """

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


def _action(action: Action, plan: Plan, strands: dict[str, tuple[str, str]]) -> Row:
    descriptor = ""
    if action.point is not None:
        descriptor = action.point.descriptor
    elif action.theme is not None:
        descriptor = action.theme.descriptor
    bookmark_id = BOOKMARK_ID_BASE + action.row
    anchor = Markup(
        f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{action_bookmark(action.row)}"/>'
        f'<w:bookmarkEnd w:id="{bookmark_id}"/>'
    )
    deadline = unbroken_dates(action.deadline.display)
    return Row(
        row=action.row,
        ref=action.display_ref,
        point=action.point_label,
        point_descriptor=descriptor,
        evidence=action.evidence,
        action=action.action,
        outcome=action.outcome,
        action_or_evidence=action.action or action.evidence,
        outcome_or_action=action.outcome or action.action or "No further action planned.",
        deadline=deadline,
        deadline_or_none=deadline or "no deadline set",
        owner=action.owner,
        owner_or_none=action.owner or "not yet assigned",
        rag=action.rating.label,
        rag_fill=action.rating.fill,
        strand=action.strand,
        tint=strands[action.strand][0] if action.strand else NO_FILL,
        progress=action.progress,
        anchor=anchor,
    )


def _contents(context: dict[str, Any]) -> list[str]:
    """Headings for the prefilled contents list (Word rebuilds it with page numbers)."""
    plan = context["plan"]
    entries = ["Document control"]
    if plan["introduction"]:
        entries.append("Introduction")
    if plan["objectives"]:
        entries.append("Our equality objectives")
    entries.append("Summary of progress")
    entries += [s["heading"] for s in context["sections"]]
    entries += [
        "Appendix A: Overdue actions",
        f"Appendix B: Actions due in {context['summary']['due_soon_window']}",
        "Appendix C: Actions by owner",
        f"Appendix D: {plan['labels']['theme']}s with no actions",
    ]
    if context["include_checks"]:
        entries.append("Appendix E: Checks on the data")
    return entries
