"""Checks for the committee cover report: which Report sheet fields get standard wording.

Run only when a cover report is asked for (`eqplan build --cover` or
`--pack`): a plan built without one has no use for the Report sheet, and
older workbooks without the sheet must build without a word about it.
"""

from __future__ import annotations

from pipeline import problems
from pipeline.i18n import _
from pipeline.model import Plan
from pipeline.problems import Problem
from pipeline.report_details import is_welsh
from pipeline.workbook import layout

#: Report fields the cover report simply leaves out when empty, rather than filling in.
OPTIONAL_REPORT_FIELDS = frozenset({"contact_details"})


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


def check_report_sheet(plan: Plan, languages: tuple[str, ...] = ("en",)) -> list[Problem]:
    """One REPORT_FIELDS_MISSING warning naming every field given standard wording, or none."""
    missing = missing_report_fields(plan, languages)
    if not missing:
        return []
    sheet = plan.report.sheet
    reason = (  # in the report's language, as the rest of the message (issue 15)
        _("These fields on the %(sheet)s sheet are empty") % {"sheet": sheet}
        if sheet
        else _("The workbook has no %(sheet)s sheet") % {"sheet": layout.REPORT_SHEET}
    )
    fields = ", ".join(f.label for f in missing)
    return [problems.REPORT_FIELDS_MISSING.at(sheet, reason=reason, fields=fields)]


def cover_warnings(validation, languages: tuple[str, ...]) -> list[Problem]:
    """REPORT_FIELDS_MISSING for a validated workbook whose cover report fills gaps with
    standard words; for a Welsh cover report, WELSH_TEXT_MISSING for Report fields without
    Welsh. Each names the workbook it is about."""
    from dataclasses import replace

    from pipeline.validate.welsh_checks import check_report_welsh

    source = validation.source
    name = (source.filename or source.shown) if source is not None else ""
    found = check_report_sheet(validation.plan, languages)
    if "cy" in languages:
        found += check_report_welsh(validation.plan)
    return [replace(problem, source=name) for problem in found]
