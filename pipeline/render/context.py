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
from pipeline.model import Action, Plan, Rag
from pipeline.problems import CATALOGUE, Problem
from pipeline.statutory import load_statutory
from pipeline.summaries import CountRow, Summary

#: Light tints for strand rows, each named in the legend so colour is never the only signal.
STRAND_TINTS = (
    ("DDEBF7", "light blue"),
    ("E2EFDA", "light green"),
    ("FCE4D6", "light orange"),
    ("EDE2F6", "light purple"),
    ("FFF2CC", "light yellow"),
    ("D9F2F2", "light teal"),
)
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


def any_rated(plan: Plan) -> bool:
    """True when at least one action has a RAG rating.

    Some councils' plans (a district council's three-column plan) rate
    nothing; their document leaves out the RAG chart and ratings tables
    rather than print an all-grey chart and rows of "Not rated".
    """
    return any(a.rag is not Rag.NOT_RATED for a in plan.actions)


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
    due_soon_until = report_date + dt.timedelta(days=90) if report_date else None

    sections = []
    for section in plan.sections:
        module = section.module
        module_actions = plan.actions_for(module)
        used = sorted({a.strand for a in module_actions if a.strand}, key=str.casefold)
        sections.append(
            {
                "ref": module.ref,
                "title": module.title,
                "heading": f"{labels.module} {module.ref}: {module.title}",
                "description": module.description,
                "lead_officer": section.lead_officer,
                "lead_officer_or_none": section.lead_officer or "not yet named",
                "aspirations": section.aspirations,
                "actions": rows(module_actions),
                "strands": ", ".join(f"{name} ({strands[name][1]})" for name in used),
            }
        )

    owners_by_name: dict[str, list[Action]] = {}
    for action in plan.actions:
        owners_by_name.setdefault(action.owner, []).append(action)
    roles = {o.name.casefold(): o.role for o in plan.owners}
    owners = [
        {
            "name": name or "(no owner)",
            "role": roles.get(name.casefold(), ""),
            "actions": rows(owners_by_name[name]),
        }
        for name in sorted(owners_by_name, key=lambda n: (n == "", n.casefold()))
    ]

    owner_refs = _refs_by_owner(plan)
    listed = [w for w in warnings if w.code not in _LISTED_ELSEWHERE]
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
            "objectives": details.objectives,
        },
        "summary": {
            "total_actions": summary.total_actions,
            "overdue_count": len(summary.overdue),
            "due_soon_count": len(summary.due_soon),
            "due_soon_days": 90,
            "due_soon_until": _date(due_soon_until),
            "modules": [_counts(r) for r in summary.by_module],
            "total": _counts(summary.module_total),
            "owners": [_counts(r, refs=owner_refs.get(r.label, [])) for r in summary.by_owner],
            "owner_total": _counts(summary.owner_total),
            "chart": chart,
            "chart_caption": f"Actions by RAG rating for each {labels.module.lower()}",
            "any_rated": any_rated(plan),
            "any_assessed": any(a.current or a.target for a in summary.assessments),
        },
        "include_checks": include_checks,
        "statutory": load_statutory(),
        "rag_key": [{"label": r.label, "meaning": r.meaning, "fill": r.fill} for r in Rag],
        "assessments": [
            {
                "theme": a.theme.label,
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
        "warnings_more": max(0, len(listed) - MAX_WARNINGS_LISTED),
        "strands": [
            {"name": name, "fill": fill, "colour": colour}
            for name, (fill, colour) in strands.items()
        ],
    }
    context["toc"] = _contents(context)
    return context


def _counts(row: CountRow, refs: list[str] | None = None) -> dict[str, Any]:
    counts: dict[str, Any] = {} if refs is None else {"refs": refs}
    return counts | {
        "label": row.label,
        "red": row.count(Rag.RED),
        "amber": row.count(Rag.AMBER),
        "green": row.count(Rag.GREEN),
        "complete": row.count(Rag.COMPLETE),
        "not_rated": row.count(Rag.NOT_RATED),
        "total": row.total,
    }


def _refs_by_owner(plan: Plan) -> dict[str, list[str]]:
    """The refs of each owner's actions, for the `refs` of `summary.owners` rows.

    Each action is listed under its whole Owner cell and under each line of
    it (two owners in one cell), so a summary row finds its refs by label
    however the summary groups owners.
    """
    found: dict[str, list[str]] = {}
    for action in plan.actions:
        owner = action.owner
        for name in {owner, *owner.splitlines()} if owner else {"(no owner)"}:
            found.setdefault(name, []).append(action.display_ref)
    return found


def _strand_tints(plan: Plan) -> dict[str, tuple[str, str]]:
    names = sorted({a.strand for a in plan.actions if a.strand}, key=str.casefold)
    return {name: STRAND_TINTS[i % len(STRAND_TINTS)] for i, name in enumerate(names)}


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
        rag=action.rag.label,
        rag_fill=action.rag.fill,
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
        f"Appendix B: Actions due in the next {context['summary']['due_soon_days']} days",
        "Appendix C: Actions by owner",
        f"Appendix D: {plan['labels']['theme']}s with no actions",
    ]
    if context["include_checks"]:
        entries.append("Appendix E: Checks on the data")
    return entries
