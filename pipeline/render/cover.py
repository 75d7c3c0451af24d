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

from pipeline.i18n import N_, _
from pipeline.render.context import build_context, unbroken_dates
from pipeline.report_details import is_welsh
from pipeline.text import strip_list_number
from pipeline.view import PlanView
from pipeline.welsh_text import (
    english_text,
    in_language,
    lines_in_language,
    paragraphs,
    same_language,
)

DEFAULT_WARDS = N_("All wards")
DEFAULT_RECOMMENDATION = N_(
    "That the committee notes the progress made against the equality action plan."
)
DEFAULT_FINANCIAL = N_("There are no financial implications arising directly from this report.")
DEFAULT_LEGAL = N_(
    "The council must have due regard to the Public Sector Equality Duty, quoted below, whenever it carries out its functions. Keeping this plan and reporting on it helps the council to show that it does."
)
DEFAULT_EQUALITY = N_(
    "This report is about the council's progress on equality. It proposes no change to a policy or service, so no separate equality impact assessment is needed."
)
DEFAULT_WELSH = N_(
    "This report proposes no change that would affect opportunities to use the Welsh language, or treat Welsh less favourably than English."
)


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
    title = shown_plan["title"]  # the plan's, in Welsh in a Welsh report when given

    def written(key: str) -> str:
        """A Report sheet field as typed, in Welsh in a Welsh report when given (Cymraeg)."""
        return in_language(plan.welsh.report, key, getattr(report, key))

    recommendations = lines_in_language(
        plan.welsh.report, "recommendations", report.recommendations
    )
    recommendations = [same_language(r, strip_list_number(r)) for r in recommendations] or [
        _(DEFAULT_RECOMMENDATION)
    ]
    contact = report.contact_officer or details.author
    context_report = {
        "title": written("title") or _("%(title)s: progress report") % {"title": title},
        "committee": english_text(details.committee),  # no Welsh is asked for these two
        "meeting_date": shown_plan["meeting_date"],
        "report_of": english_text(report.report_of or details.author),
        # as Report of, no Welsh is asked for these: marked English in a Welsh report
        "contact_officer": english_text(contact),
        "contact_details": report.contact_details,
        "contact": english_text(", ".join(p for p in (contact, report.contact_details) if p)),
        "wards": written("wards") or _(DEFAULT_WARDS),
        "purpose": paragraphs(written("purpose"))
        or [
            _("To report progress against the %(title)s as at %(date)s.")
            % {"title": title, "date": as_at}
        ],
        "recommendations": recommendations,
        "background": paragraphs(written("background"))
        or [
            _(
                "The %(title)s sets out what %(council)s will do under the %(framework)s. This report summarises progress as at %(date)s. The plan itself is Appendix 1."
            )
            % {
                "title": title,
                "council": details.council,
                "framework": shown_plan["framework"]["title"],
                "date": as_at,
            }
        ],
        "financial": paragraphs(written("financial")) or [_(DEFAULT_FINANCIAL)],
        "legal": paragraphs(written("legal")) or [_(DEFAULT_LEGAL)],
        "equality": paragraphs(written("equality")) or [_(DEFAULT_EQUALITY)],
        "welsh": is_welsh(framework.id),
        "welsh_language": (paragraphs(written("welsh_language")) or [_(DEFAULT_WELSH)])
        if is_welsh(framework.id)
        else [],
        "appendices": [_("Appendix 1: %(title)s") % {"title": title}],
        **_since(view),
    }
    return {
        "_": base["_"],
        "language": base["language"],
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
