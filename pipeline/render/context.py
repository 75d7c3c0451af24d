"""The Jinja2 context handed to Word templates: plain dicts of ready-to-print text.

A documented contract (README.md, "The Word template context"): a council's own template
uses these names. Every value is text, a list or a number, already formatted (dates as
`30 November 2026`), so a template needs only loops and ifs. User text is plain strings,
escaped by Jinja2's autoescape at render time; only eqplan's own markup (bookmarks) is safe.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

from pipeline.formats import (
    Count,
    financial_year_start,
    format_date,
    format_date_range,
    format_financial_year,
    format_number,
)
from pipeline.i18n import _, current_language, ngettext, template_gettext
from pipeline.model import Rag
from pipeline.render import context_words
from pipeline.render.context_words import counted, cover_summary_text, summary_text, themes
from pipeline.statutory import statutory_for
from pipeline.summaries import CountRow
from pipeline.text import squash, strip_list_number
from pipeline.view import ActionView, PlanView
from pipeline.view_changes import ChangeRow
from pipeline.welsh_text import (
    english_text,
    filled,
    framework_text,
    in_language,
    lines_in_language,
    paragraphs,
    same_language,
    source_note,
    word_in_language,
)

NBSP = "\u00a0"
#: A date written in words, `30 November 2026` or `Nov 2026`: kept on one line in Word.
_DATE_IN_WORDS = re.compile(r"\b(?:(\d{1,2}) )?([A-Z][a-z]{2,9}) (\d{4})\b")  # Gorffennaf


@functools.lru_cache(maxsize=4096, typed=True)
def unbroken_dates(text: str) -> str:
    """Join the words of each date in text with non-breaking spaces, so Word never wraps
    mid-date; text marked English (a deadline typed `Nov 2026`, welsh_text) stays marked.
    Kept per text and type: deadlines repeat, and this was half the context's time (issue 17)."""
    dated = _DATE_IN_WORDS.sub(lambda m: NBSP.join(g for g in m.groups() if g), text)
    return same_language(text, dated)


def _date(value: dt.date | str | None) -> str:
    """A date as the documents print it; text (a cell that is no date) as written."""
    if isinstance(value, str):
        return value
    return unbroken_dates(format_date(value)) if value else ""


def _date_in_sentence(value: dt.date | str | None) -> str:
    """A date inside a line of text ("Update (18 November 2026): ..."): day and month kept
    together, the year free to wrap. Whole, with its brackets and colon, it is wider than
    the action column, where a line would then break inside it. Text (a date cell that is
    no date, DATE_UNCLEAR) is printed as written."""
    if not value or isinstance(value, str):
        return value or ""
    day_and_month, _space, year = format_date(value).rpartition(" ")
    return f"{day_and_month.replace(' ', NBSP)} {year}" if day_and_month else year


def build_context(
    view: PlanView, *, include_checks: bool = False, history: bool = False
) -> dict[str, Any]:
    """Everything a Word template can use, as plain values copied from the view.

    Best made with the garbage collector paused, as build() runs it (gc_pause): its 10,000
    rows (at 10,000 actions) are all kept, and collections set off by making them would walk
    the whole plan for nothing.

    include_checks adds the appendix of data checks (cells such as
    `Actions!F72`): officers' working notes, which belong in the validation
    report and the checked copy, so a committee document leaves them out.
    history adds the appendix of each action's Progress log (`eqplan build --history`).
    """
    plan = view.plan
    details = plan.details
    labels = plan.framework.labels
    actions = {a.bookmark: _action(a) for a in view.actions}

    def rows(items: list[ActionView]) -> list[Row]:
        return [actions[a.bookmark] for a in items]

    period = ""
    if details.period_start and details.period_end:
        period = unbroken_dates(format_date_range(details.period_start, details.period_end))
    elif details.period_start or details.period_end:
        period = _date(details.period_start or details.period_end)
    days = view.due_soon_days
    due_soon_window = ngettext("the next %(count)s day", "the next %(count)s days", days) % {
        "count": format_number(days)
    }
    overdue_count, due_soon_count = len(view.overdue), len(view.due_soon)
    framework = plan.framework
    theme_label = word_in_language(labels.theme)
    status = _(details.status.value) if details.status else details.status_text
    committee = english_text(details.committee)  # the Plan sheet has no Welsh for it
    meeting_date = _date(details.meeting_date)
    summary_words = {
        "actions_text": counted(view.total_actions, "%(count)s action", "%(count)s actions"),
        "complete_text": counted(view.complete, "%(count)s is complete", "%(count)s are complete"),
        "withdrawn_text": counted(
            view.withdrawn, "%(count)s is withdrawn", "%(count)s are withdrawn"
        ),
        "overdue_text": counted(overdue_count, "%(count)s is overdue", "%(count)s are overdue"),
        "due_soon_text": counted(
            due_soon_count,
            "%(count)s is due in %(window)s",
            "%(count)s are due in %(window)s",
            window=due_soon_window,
        ),
    }
    context = {
        # Fixed text in a template: {{ _('Contents') }}, in the language being built (issue 15).
        "_": template_gettext(current_language()),
        "language": current_language(),
        "plan": {
            "council": details.council,
            "title": in_language(plan.welsh.plan, "title", details.title),
            "framework": {
                "id": framework.id,
                "title": framework_text(framework.welsh, "framework", framework.title),
                "short_title": framework.short_title,
                "publisher": framework.publisher,
                "source": source_note(framework.welsh, framework.source),
                "assessment_levels": [_(level) for level in framework.assessment_levels],
                "assessment_levels_text": ", ".join(_(lv) for lv in framework.assessment_levels),
                "derived_titles_note": context_words.derived_titles_note(plan.framework),
            },
            "labels": {
                "module": word_in_language(labels.module),
                "section": word_in_language(view.section_word),
                "theme": theme_label,
                "point": word_in_language(labels.point),
            },
            "period": period,
            "version": details.version,
            "status": status,
            "version_line": context_words.version_line(details.version, status),
            "report_date": _date(details.report_date),
            "financial_year": (
                format_financial_year(
                    financial_year_start(details.report_date), details.financial_years
                )
                if details.report_date
                else ""
            ),
            "committee": committee,
            "meeting_date": meeting_date,
            "meeting_line": context_words.meeting_line(committee, meeting_date),
            # the council's words with no Welsh asked for, as the cover report marks them
            "author": english_text(details.author),
            "lead_member": english_text(details.lead_member),
            "approved_by": english_text(details.approved_by),
            "approved_on": _date(details.approved_on),
            "target_year": details.target_year,
            "target_year_or_end": details.target_year or _("the end of the plan"),
            "introduction": paragraphs(
                in_language(plan.welsh.plan, "introduction", details.introduction)
            ),
            "objectives": [
                same_language(o, strip_list_number(o))
                for o in lines_in_language(plan.welsh.plan, "objectives", details.objectives)
            ],
        },
        "summary": {
            "total_actions": Count(view.total_actions),
            "complete_count": Count(view.complete),
            "overdue_count": Count(overdue_count),
            "due_soon_count": Count(due_soon_count),
            "due_soon_days": view.due_soon_days,
            "due_soon_until": _date(view.due_soon_until),
            "due_soon_window": due_soon_window,
            **summary_words,
            "withdrawn_count": view.withdrawn,
            "summary_text": summary_text(summary_words, view.withdrawn, _date(view.report_date)),
            "cover_summary_text": cover_summary_text(
                summary_words, view.withdrawn, _date(view.report_date)
            ),
            "ratings": [
                {"label": _(label), "count": Count(count)} for label, count in view.by_rag.items()
            ],
            "modules": [_counts(r) for r in view.by_section],
            "total": _counts(view.section_total, total=True),
            "owners": [_counts(r) for r in view.by_owner],
            "owner_total": _counts(view.owner_total, total=True),
            "owners_note": _(view.owners_note),
            "chart": "",  # with_chart puts the picture in
            "chart_caption": filled(  # a label with no Welsh stays marked English
                _("Actions by RAG rating for each %(section)s"),
                {"section": word_in_language(view.section_word).lower()},
            ),
            "any_rated": view.any_rated,
            "any_assessed": view.any_assessed,
        },
        "since": _since(view),
        "include_checks": include_checks,
        "include_history": history,
        "history_heading": _("Appendix %(letter)s: Progress history")
        % {"letter": "F" if include_checks else "E"},
        "appendix_d_heading": filled(
            _("Appendix D: %(themes)s with no actions"), {"themes": themes(labels.theme)}
        ),
        "history": [
            {
                "ref": h.action.ref,
                "action": squash(h.action.action_or_evidence),  # one line: it is a heading
                "owner": h.action.owner,
                "entries": [
                    Row(
                        date=_date(e.date),
                        update=e.update,
                        rag=_(e.rag),
                        status=_(e.status),
                        by=e.by,
                    )
                    for e in h.entries
                ],
            }
            for h in view.history
        ],
        "statutory": statutory_for(current_language()),
        "rag_key": [{"label": _(r.label), "meaning": _(r.meaning), "fill": r.fill} for r in Rag],
        "assessments": [
            {
                "theme": a.theme_marked,
                "current": a.current,
                "target": a.target,
                "target_date": unbroken_dates(a.target_date),
                "evidence": a.evidence,
            }
            for a in view.assessments
        ],
        "sections": [
            {
                "ref": s.ref,
                "number": s.number,
                "title": s.title,
                "shown_number": s.shown_number,
                "heading": s.heading,
                "framework_module": s.framework_module,
                "description": s.description,
                "lead_officer": s.lead_officer,
                "lead_officer_or_none": s.lead_officer_or_none,
                "aspirations": s.aspirations,
                "actions": rows(s.actions),
                "strands": s.strands_text,
            }
            for s in view.sections
        ],
        "overdue": rows(view.overdue),
        "due_soon": rows(view.due_soon),
        "owners": [
            {"name": o.name, "role": o.role, "actions": rows(o.actions), "refs": ", ".join(o.refs)}
            for o in view.owners
        ],
        "uncovered": view.uncovered,
        "warnings": [
            {"where": w.where, "code": w.code, "title": _(w.title), "message": w.message}
            for w in view.warnings
        ],
        "warnings_more": view.warnings_more,
        "warnings_more_text": counted(
            view.warnings_more,
            "%(count)s further point is not shown",
            "%(count)s further points are not shown",
        ),
        "strands": [{"name": s.name, "fill": s.fill, "colour": s.colour} for s in view.strands],
    }
    context["plan"]["document_control"] = context_words.document_control(context["plan"])
    context["toc"] = _contents(context)
    return context


def with_chart(context: dict[str, Any], chart: Any) -> dict[str, Any]:
    """context with the chart's picture in its place (`summary.chart`): the Word plan's child
    puts it in once the chart, drawn meanwhile in a process of its own or by the child
    itself, is ready (word_job.py, word.py);
    the web page its data: address (html.py)."""
    return {**context, "summary": {**context["summary"], "chart": chart}}


def _since(view: PlanView) -> dict[str, Any] | None:
    """Progress since the last report (`eqplan build --since`), or None without a comparison."""
    changes = view.since
    if changes is None:
        return None

    def rows(items: list[ChangeRow]) -> list[Row]:
        return [
            Row(**{k: unbroken_dates(v) if isinstance(v, str) else v for k, v in vars(r).items()})
            for r in items
        ]

    return {
        "heading": unbroken_dates(changes.heading),
        "previous_report_date": unbroken_dates(changes.previous_report_date),
        "counts": dict(changes.counts),
        "counts_text": changes.counts_text,
        "text_matched_note": changes.text_matched_note,
        "actions": rows(changes.rows),
        "movements": rows(changes.movements),
        "completed": rows(changes.completed),
        "slipped": rows(changes.slipped),
        "new": rows(changes.new),
        "removed": rows(changes.removed),
        "withdrawn": rows(changes.withdrawn),
        "levels": [Row(**vars(level)) for level in changes.levels],
    }


def _counts(row: CountRow, total: bool = False) -> dict[str, Any]:
    return {
        "label": _(row.label) if total else row.label,
        "red": Count(row.count(Rag.RED)),
        "amber": Count(row.count(Rag.AMBER)),
        "green": Count(row.count(Rag.GREEN)),
        "complete": Count(row.count(Rag.COMPLETE)),
        "not_rated": Count(row.count(Rag.NOT_RATED)),
        "total": Count(row.total),
        "refs": ", ".join(row.refs),
    }


class Row(SimpleNamespace):
    """A table row for templates: `a.ref` reads an attribute directly.

    Jinja2 looks names up as attributes first; plain dicts make every lookup
    raise and catch an AttributeError, which was a third of rendering time
    for a 10,000-action plan. Rows are also readable as `a["ref"]`.
    """

    def __getitem__(self, key: str) -> Any:
        """A missing name is a KeyError, so Jinja takes it for a name eqplan does not provide
        (an AttributeError here came out of the render as a Python error and the wrong hint)."""
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None


def _action(a: ActionView) -> Row:
    """An action row under its documented names, with the bookmark eqplan counts."""
    anchor = Markup(
        f'<w:bookmarkStart w:id="{a.bookmark_id}" w:name="{a.bookmark}"/>'
        f'<w:bookmarkEnd w:id="{a.bookmark_id}"/>'
    )
    deadline = unbroken_dates(a.deadline)
    return Row(
        row=a.row,
        ref=a.ref,
        point=a.point,
        point_descriptor=a.point_descriptor,
        evidence=a.evidence,
        action=a.action,
        outcome=a.outcome,
        action_or_evidence=a.action_or_evidence,
        outcome_or_action=a.outcome_or_action,
        deadline=deadline,
        deadline_or_none=unbroken_dates(a.deadline_or_none),
        owner=a.owner,
        owner_or_none=a.owner_or_none,
        rag=a.rag,
        rag_fill=a.rag_fill,
        strand=a.strand,
        tint=a.tint,
        progress=a.progress,
        progress_date=_date_in_sentence(a.progress_date),
        status=_(a.status),
        withdrawn=a.withdrawn,
        since_note=a.since_note,
        anchor=anchor,
    )


def _contents(context: dict[str, Any]) -> list[str]:
    """Headings for the prefilled contents list (Word rebuilds it with page numbers)."""
    plan = context["plan"]
    entries = [_("Document control")]
    if plan["introduction"]:
        entries.append(_("Introduction"))
    if plan["objectives"]:
        entries.append(_("Our equality objectives"))
    entries.append(_("Summary of progress"))
    if context["since"]:
        entries.append(context["since"]["heading"])
    entries += [s["heading"] for s in context["sections"]]
    entries += [
        _("Appendix A: Overdue actions"),
        _("Appendix B: Actions due in %(window)s")
        % {"window": context["summary"]["due_soon_window"]},
        _("Appendix C: Actions by owner"),
        context["appendix_d_heading"],
    ]
    if context["include_checks"]:
        entries.append(_("Appendix E: Checks on the data"))
    if context["include_history"]:
        entries.append(context["history_heading"])
    return entries
