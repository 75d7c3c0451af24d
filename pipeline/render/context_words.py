"""Sentences of the Word and HTML context in the language being built (issue 15).

Counts agree with their nouns through the catalogue's plural forms (`none are overdue`,
`1 is overdue`), so a Welsh plan reads as Welsh and an English one exactly as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline import headings as h
from pipeline.formats import format_number
from pipeline.i18n import _, ngettext
from pipeline.text import plural_noun
from pipeline.welsh_text import filled, joined, word_in_language

if TYPE_CHECKING:
    from pipeline.model import Framework


def themes(label: str) -> str:
    """The framework's word for its themes, in the plural: `Themes`, `Building blocks`,
    a council's `Priorities` (marked English in a Welsh document when it has no Welsh)."""
    return word_in_language(plural_noun(label))


def counted(count: int, singular: str, plural: str, *, none: bool = True, **values: str) -> str:
    """A count in a sentence, agreeing with it in the language being built: `none are overdue`.

    none=False shows 0 as a number, as the web page's counts do (`0 errors`).
    """
    shown = format_number(count) if count or not none else _("none")
    return ngettext(singular, plural, count) % {"count": shown, **values}


def summary_text(words: dict[str, str], withdrawn: int, report_date: str) -> str:
    """The sentence under "Summary of progress": totals, then overdue and due soon."""
    return (
        _holds(_("This plan holds %(actions)s, of which %(complete)s"), words, withdrawn)
        + ". "
        + _as_at(words, report_date)
        + " "
        + _("Each rating below is written in words as well as shown in colour.")
    )


def _holds(sentence: str, words: dict[str, str], withdrawn: int) -> str:
    """How many actions, of which complete (and withdrawn, when any are): both summaries."""
    holds = sentence % {"actions": words["actions_text"], "complete": words["complete_text"]}
    if withdrawn:
        holds = _("%(holds)s and %(withdrawn)s") % {
            "holds": holds,
            "withdrawn": words["withdrawn_text"],
        }
    return holds


def _as_at(words: dict[str, str], report_date: str) -> str:
    """The sentence both summaries share: what is overdue and due soon at the report date."""
    return _("As at %(date)s, %(overdue)s and %(due_soon)s.") % {
        "date": report_date,
        "overdue": words["overdue_text"],
        "due_soon": words["due_soon_text"],
    }


def cover_summary_text(words: dict[str, str], withdrawn: int, report_date: str) -> str:
    """The cover report's sentences under "Summary of progress"."""
    return (
        _holds(_("The plan holds %(actions)s, of which %(complete)s"), words, withdrawn)
        + ". "
        + _as_at(words, report_date)
        + " "
        + _("Each action has a reference (Ref) in Appendix 1 that members can quote.")
    )


def version_line(version: str, status: str) -> str:
    """The front page's version and status, in one line with only what the plan gives: both
    (`Version 1.2, Draft`), one (`Version 1.2`, `Status: Final`), or none (no line)."""
    if version and status:
        return _("Version %(version)s, %(status)s") % {"version": version, "status": status}
    if version:
        return _("Version %(version)s") % {"version": version}
    return _("Status: %(status)s") % {"status": status} if status else ""


def meeting_line(committee: str, meeting_date: str) -> str:
    """The front page's line naming the meeting: `Prepared for Cabinet, 14 January 2027`, the
    committee or the date alone (`Meeting date: 14 January 2027`), or none (no line). An
    English committee name keeps its English tag in a Welsh plan (welsh_text.filled)."""
    if committee:
        line = filled(_("Prepared for %(committee)s"), {"committee": committee})
        return joined(line, ", ", meeting_date) if meeting_date else line
    return _("Meeting date: %(date)s") % {"date": meeting_date} if meeting_date else ""


def document_control(plan: dict[str, Any]) -> list[dict[str, str]]:
    """The Document control table's rows, `item` and `detail`, for the Word plan and the web
    page alike: only those with something to print. An optional Plan field left empty has no
    row, rather than a label with nothing beside it in a committee's papers; the required ones
    (council, title, framework, report date) always have a value, or the build stops."""
    rows = (
        (_("Council"), plan["council"]),
        (_("Plan title"), plan["title"]),
        (_("Framework"), plan["framework"]["title"]),
        (_("Period"), plan["period"]),
        (_("Version"), plan["version"]),
        (_(h.STATUS), plan["status"]),
        (_("Position as at"), plan["report_date"]),
        (_("Committee"), plan["committee"]),
        (_("Meeting date"), plan["meeting_date"]),
        (_("Author"), plan["author"]),
        (_("Lead member"), plan["lead_member"]),
        (_("Approved by"), plan["approved_by"]),
        (_("Approved on"), plan["approved_on"]),
    )
    return [{"item": item, "detail": detail} for item, detail in rows if detail]


def derived_titles_note(framework: Framework) -> str:
    """Says which titles eqplan wrote itself, where the framework's source has none."""
    if not any(t.title_derived for t in framework.themes):
        return ""
    return filled(
        _(
            "%(themes)s marked%(mark)s have no title in the published %(framework)s text available to eqplan; the short title shown is a description of their aim, not the official wording."
        ),
        {
            "themes": themes(framework.labels.theme),
            "mark": h.derived_title_mark(),
            "framework": framework.short_title,
        },
    )
