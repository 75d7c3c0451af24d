"""Give meaning to the optional Report sheet: the committee cover report's words, as typed.

Nothing here is a problem: the sheet is read only for the cover report,
which fills empty fields with standard wording and says so
(REPORT_FIELDS_MISSING, validate/cover_checks.py, when a cover report is
asked for). A workbook without the sheet gives an empty ReportDetails.
"""

from __future__ import annotations

from pipeline.report_details import ReportDetails
from pipeline.text import lines, squash
from pipeline.workbook import layout
from pipeline.workbook.reader import RawWorkbook
from pipeline.workbook.table_values import as_text


def read_report(raw: RawWorkbook) -> ReportDetails:
    """The Report sheet's fields: lists one per line, long text with its line breaks, else squashed."""
    report = ReportDetails(sheet=raw.report_sheet)
    for report_field in layout.REPORT_FIELDS:
        if report_field.kind == "welsh":  # the Welsh beside them: welsh_reader.read_welsh
            continue
        entry = raw.report.get(report_field.key)
        text = as_text(entry.value) if entry else ""
        if report_field.kind == "lines":
            setattr(report, report_field.key, lines(text))
        elif report_field.kind == "long":
            setattr(report, report_field.key, text)
        else:
            setattr(report, report_field.key, squash(text))
    return report
