"""Checks for the committee cover report: which fields it lacks, in one warning.

The Plan sheet's Committee and Meeting date say which meeting the report is addressed to;
empty Report sheet fields get standard wording.

Run only when a cover report is asked for (`eqplan build --cover` or
`--pack`): a plan built without one has no use for the Report sheet, and
older workbooks without the sheet must build without a word about it.
"""

from __future__ import annotations

from pipeline import problems
from pipeline.i18n import _
from pipeline.model import Plan
from pipeline.problem_types import cell_address
from pipeline.problems import Problem
from pipeline.report_details import is_welsh
from pipeline.workbook import layout

#: Report fields the cover report simply leaves out when empty, rather than filling in.
OPTIONAL_REPORT_FIELDS = frozenset({"contact_details"})
#: Plan fields a cover report needs, having no standard wording: it goes to this meeting.
MEETING_FIELDS = frozenset({"committee", "meeting_date"})


def missing_report_fields(
    plan: Plan, languages: tuple[str, ...] = ("en",)
) -> list[layout.PlanField]:
    """The Report sheet fields the cover report will fill with standard wording, in any of
    the languages built (a Welsh cover report prints the (Cymraeg) row's words, else the
    English row's).

    Welsh language implications count only for a Welsh framework, the only
    plans whose cover report prints them.
    """
    report = plan.report
    missing = []
    for report_field in layout.REPORT_FIELDS:
        if report_field.key in OPTIONAL_REPORT_FIELDS or report_field.kind == "welsh":
            continue  # Welsh rows: WELSH_TEXT_MISSING, for a Welsh cover report only
        if report_field.key == "welsh_language" and not is_welsh(plan.framework.id):
            continue
        english = bool(getattr(report, report_field.key))
        welsh = plan.welsh.report.get(report_field.key)
        if not english and ("en" in languages or not (welsh and welsh.text)):
            missing.append(report_field)
    return missing


def missing_meeting_fields(
    plan: Plan, unread: frozenset[tuple[str, str]] = frozenset()
) -> list[layout.PlanField]:
    """The Plan sheet's Committee and Meeting date, where empty: the cover report is addressed
    to that meeting and would leave them blank. A cell in unread, (sheet, cell) with its own
    problem already (a meeting date not understood), is left to that message."""
    details = plan.details
    return [
        plan_field
        for plan_field in layout.PLAN_FIELDS
        if plan_field.key in MEETING_FIELDS
        and not getattr(details, plan_field.key)
        and (details.sheet, details.cells.get(plan_field.key, "")) not in unread
    ]


def check_report_sheet(
    plan: Plan,
    languages: tuple[str, ...] = ("en",),
    unread: frozenset[tuple[str, str]] = frozenset(),
) -> list[Problem]:
    """One REPORT_FIELDS_MISSING warning naming every field the cover report lacks, or none:
    the Plan sheet's meeting fields, each with its cell, then the Report sheet fields given
    standard wording. It is placed at the first empty Plan cell, else on the Report sheet."""
    meeting = missing_meeting_fields(plan, unread)
    wording = missing_report_fields(plan, languages)
    if not meeting and not wording:
        return []
    details, sentences = plan.details, []  # in the report's language, as the rest (issue 15)
    plan_sheet = details.sheet or layout.PLAN_SHEET
    if meeting:
        named = [_field_at(f, plan_sheet, details.cells.get(f.key, "")) for f in meeting]
        sentences.append(
            _(
                "The cover report is addressed to a committee meeting, but these fields on the %(sheet)s sheet are empty: %(fields)s."
            )
            % {"sheet": plan_sheet, "fields": ", ".join(named)}
        )
    sheet = plan.report.sheet
    if wording:
        reason = (
            _("These fields on the %(sheet)s sheet are empty") % {"sheet": sheet}
            if sheet
            else _("The workbook has no %(sheet)s sheet") % {"sheet": layout.REPORT_SHEET}
        )
        sentences.append(
            _("%(reason)s, so the cover report uses standard wording for: %(fields)s.")
            % {"reason": reason, "fields": ", ".join(f.label for f in wording)}
        )
    where = (plan_sheet, details.cells.get(meeting[0].key, "")) if meeting else (sheet, "")
    return [problems.REPORT_FIELDS_MISSING.at(*where, missing=" ".join(sentences))]


def _field_at(plan_field: layout.PlanField, sheet: str, cell: str) -> str:
    """A Plan field as the officer finds it: `Committee (Plan!B11)`; its label alone when the
    sheet has no row for it."""
    label = plan_field.label_on(sheet, layout.PLAN_SHEET)
    return f"{label} ({cell_address(sheet, cell)})" if cell else label


def cover_warnings(validation, languages: tuple[str, ...]) -> list[Problem]:
    """REPORT_FIELDS_MISSING for a validated workbook whose cover report lacks its meeting or
    fills gaps with standard words; for a Welsh cover report, WELSH_TEXT_MISSING for Report
    fields without Welsh. Each names the workbook it is about."""
    from dataclasses import replace

    from pipeline.validate.welsh_checks import check_report_welsh

    source = validation.source
    name = (source.filename or source.shown) if source is not None else ""
    unread = frozenset((p.sheet, p.cell) for p in validation.report.problems if p.cell)
    found = check_report_sheet(validation.plan, languages, unread)
    if "cy" in languages:
        found += check_report_welsh(validation.plan)
    return [replace(problem, source=name) for problem in found]
