"""The template's data-validation rules: dropdowns, date checks and the deadline check.

A dropdown's choices are either fixed words written into the rule
(`pipeline.cells.list_formula`) or a range of a sheet; text from a framework
only ever reaches a dropdown through a sheet range, because a rule cannot
escape a comma or a quote. Titles and messages may carry a framework's words
(its name for a point), so they are cut to Excel's limits: longer ones make
Excel report the whole file as damaged. Messages are written in the language being built
(`_()`), so a Welsh template (`template_in`) says them in Welsh.
"""

from __future__ import annotations

from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline import headings as h
from pipeline.cells import EXCEL_MAX_MESSAGE_CHARS, EXCEL_MAX_TITLE_CHARS, shorten
from pipeline.deadlines import ACCEPTED_FORMS
from pipeline.i18n import _


def _texts(dv: DataValidation, title: str, prompt: str, error: str) -> DataValidation:
    title = shorten(title, EXCEL_MAX_TITLE_CHARS)
    dv.errorTitle = dv.promptTitle = title
    dv.prompt = shorten(prompt, EXCEL_MAX_MESSAGE_CHARS)
    dv.error = shorten(error, EXCEL_MAX_MESSAGE_CHARS)
    dv.showInputMessage = True
    dv.showErrorMessage = True
    return dv


def list_validation(
    source: str, title: str, prompt: str, *, strict: bool = False
) -> DataValidation:
    """A dropdown. Not strict by default: officers may type other accepted forms (R, G).

    source is a sheet range (`range_ref`) or a `pipeline.cells.list_formula`.
    """
    dv = DataValidation(type="list", formula1=source, allow_blank=True)
    dv.errorStyle = "stop" if strict else "warning"
    return _texts(dv, title, prompt, _("Choose a value from the list.") + " " + prompt)


def date_validation(title: str, prompt: str) -> DataValidation:
    """A warning, not a refusal, for anything that is not a date after 1 January 2000."""
    dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    dv.errorStyle = "warning"
    return _texts(
        dv, title, prompt, _("This does not look like a date. Type a date such as 30/11/2026.")
    )


def deadline_validation() -> DataValidation:
    """Help for the Deadline column, with no error alert: the reader accepts any text.

    An Excel formula cannot tell 'Q3 2026' or 'Nov 2026 & Ongoing' from a
    typing slip, and warning on forms the reader understands (as an ISNUMBER
    check did) teaches officers to ignore the warning. letter is kept so the
    rule could name its column; the message comes from the reader's own list.
    """
    dv = DataValidation(type=None, allow_blank=True)
    forms = _(ACCEPTED_FORMS)
    prompt = _("%(forms)s. Other words are printed as typed but never count as overdue.") % {
        "forms": forms[0].upper() + forms[1:]
    }
    dv = _texts(dv, h.DEADLINE, prompt, "")
    dv.showErrorMessage = False
    return dv


def range_ref(sheet: str, column: str, first: int, last: int) -> str:
    """An absolute range such as `'Lists'!$A$2:$A$52`, the source of a dropdown."""
    return f"{quote_sheetname(sheet)}!${column}${first}:${column}${last}"
