"""The committee cover report's context: the Report sheet's words, with standard wording for gaps.

A UK committee report goes in front of the plan: who it is from, why it
comes to committee, numbered recommendations ("That the committee ..."),
background, a summary of progress, the implications (financial, legal with
the Public Sector Equality Duty, equality, and Welsh language under the
Welsh framework) and the appendices (research/publishing-cycle-welsh.md).
Its figures are the plan's own: `plan`, `summary` and `statutory` are the
very values the plan's template gets (render/context.py), so the cover
report and the plan cannot disagree. Only `report` is added here. Where a
Report sheet field is empty, standard wording is used and the build warns
(REPORT_FIELDS_MISSING, validate/cover_checks.py).
"""

from __future__ import annotations

from typing import Any

from pipeline.render.context import build_context, unbroken_dates
from pipeline.report_details import is_welsh
from pipeline.text import strip_list_number
from pipeline.view import PlanView

DEFAULT_WARDS = "All wards"
DEFAULT_RECOMMENDATION = (
    "That the committee notes the progress made against the equality action plan."
)
DEFAULT_FINANCIAL = "There are no financial implications arising directly from this report."
DEFAULT_LEGAL = (
    "The council must have due regard to the Public Sector Equality Duty, quoted below, "
    "whenever it carries out its functions. Keeping this plan and reporting on it helps the "
    "council to show that it does."
)
DEFAULT_EQUALITY = (
    "This report is about the council's progress on equality. It proposes no change to a "
    "policy or service, so no separate equality impact assessment is needed."
)
DEFAULT_WELSH = (
    "This report proposes no change that would affect opportunities to use the Welsh "
    "language, or treat Welsh less favourably than English."
)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def build_cover_context(view: PlanView) -> dict[str, Any]:
    """Everything the cover report template can use: `plan`, `summary`, `statutory` and `report`.

    With a previous report (`eqplan build --since`), `report` also says what
    moved since then, copied from the view's changes (pipeline.view_changes),
    as the plan's own section says it; otherwise those names are empty and
    the template leaves the part out.
    """
    base = build_context(view)
    plan = view.plan
    details, report, framework = plan.details, plan.report, plan.framework
    shown_plan = base["plan"]
    as_at = shown_plan["report_date"]
    recommendations = [strip_list_number(r) for r in report.recommendations] or [
        DEFAULT_RECOMMENDATION
    ]
    contact = report.contact_officer or details.author
    context_report = {
        "title": report.title or f"{details.title}: progress report",
        "committee": details.committee,
        "meeting_date": shown_plan["meeting_date"],
        "report_of": report.report_of or details.author,
        "contact_officer": contact,
        "contact_details": report.contact_details,
        "contact": ", ".join(part for part in (contact, report.contact_details) if part),
        "wards": report.wards or DEFAULT_WARDS,
        "purpose": _paragraphs(report.purpose)
        or [f"To report progress against the {details.title} as at {as_at}."],
        "recommendations": recommendations,
        "background": _paragraphs(report.background)
        or [
            f"The {details.title} sets out what {details.council} will do under the "
            f"{framework.title}. This report summarises progress as at {as_at}. "
            "The plan itself is Appendix 1."
        ],
        "financial": _paragraphs(report.financial) or [DEFAULT_FINANCIAL],
        "legal": _paragraphs(report.legal) or [DEFAULT_LEGAL],
        "equality": _paragraphs(report.equality) or [DEFAULT_EQUALITY],
        "welsh": is_welsh(framework.id),
        "welsh_language": (_paragraphs(report.welsh_language) or [DEFAULT_WELSH])
        if is_welsh(framework.id)
        else [],
        "appendices": [f"Appendix 1: {details.title}"],
        **_since(view),
    }
    return {
        "plan": shown_plan,
        "summary": base["summary"],
        "statutory": base["statutory"],
        "report": context_report,
    }


def _since(view: PlanView) -> dict[str, Any]:
    """The changes since the last report, in words: empty without a previous report."""
    changes = view.since
    if changes is None:
        return {"since": "", "since_heading": "", "since_counts": "", "movements": []}
    return {
        "since": unbroken_dates(changes.previous_report_date),
        "since_heading": unbroken_dates(changes.heading),
        "since_counts": changes.counts_text,
        "movements": [
            {
                "ref": row.ref,
                "action": row.action,
                "was": row.rag_from,
                "now": row.rag_to,
                "movement": row.movement,
            }
            for row in changes.movements
        ],
    }
