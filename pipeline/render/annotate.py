"""Write a checked copy of the officer's workbook: problem cells filled and explained.

The copy goes to the outputs folder as `<name>-checked.xlsx`; the original is
never opened for writing. Each problem cell gets a fill (red for errors,
yellow for warnings) and a comment with the message and fix, and a first
sheet, "Problems", lists every problem with a link to its cell.

The added sheet, its headings and the comments' words are in the language being
written (`eqplan validate --language cy` and `both` write them in Welsh, as the report's
messages are; issue 15); the officer's own sheets are left as they are, formulas too,
but for a formula reaching outside the workbook (DDE, a link to another file:
outside_formulas.py), which the copy holds as the value it stored, never live, and the
names and the data validation and conditional formatting rules doing so, which it leaves
out (outside_removed.py).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.hyperlink import Hyperlink

from pipeline import problems
from pipeline.cells import put_at
from pipeline.errors import WorkbookUnreadable
from pipeline.i18n import N_, _
from pipeline.input_checks import check_input
from pipeline.io import Target, output_path, safe_filename, write_output
from pipeline.problems import Problem
from pipeline.sources import InputFile, Source, is_stream
from pipeline.validate.report import Report
from pipeline.workbook.outside_removed import without_outside
from pipeline.workbook.parts import Parts, skipped_by_openpyxl

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
PROBLEMS_SHEET = N_("Problems")
#: The Problems sheet's columns: heading and width.
_COLUMNS = (
    (N_("Severity"), 10),
    (N_("Where"), 22),
    (N_("Code"), 22),
    (N_("Problem"), 70),
    (N_("How to fix it"), 70),
)


def write_annotated(
    workbook: Source, report: Report, out_dir: Target, inputs: Iterable[Path | None] = ()
) -> Target:
    """Write the marked copy of workbook into out_dir and return its path.

    workbook is a path, a binary stream or the `Validation.source` of the
    report (pass that for a stream: the stream itself has been read). out_dir
    is a folder, where the copy is named `<name>-checked.xlsx`, or a binary
    stream to write the copy to. The copy must not replace workbook or any
    other input the command read.
    """
    file = check_input(workbook).source  # a stream gets the same checks as a file
    _refuse_sheets_openpyxl_would_skip(file)
    wb = _reopened(file)
    comments: dict[tuple[str, str], list[Problem]] = {}
    for problem in report.problems:
        if problem.sheet in wb.sheetnames and problem.cell and _is_cell(problem.cell):
            comments.setdefault((problem.sheet, problem.cell), []).append(problem)
    for (sheet, ref), found in comments.items():
        cell = wb[sheet][ref]
        is_error = any(p.is_error or report.strict for p in found)
        if not isinstance(cell, openpyxl.cell.cell.MergedCell):
            cell.fill = ERROR_FILL if is_error else WARNING_FILL
            text = "\n\n".join(
                f"{p.code}: {p.message}\n" + _("Fix: %(hint)s") % {"hint": p.hint} for p in found
            )
            cell.comment = Comment(text[:30_000], "eqplan", width=360, height=160)
    _problems_sheet(wb, report)
    if is_stream(out_dir):
        return write_output(out_dir, wb.save, suffix=".xlsx")
    stem = safe_filename(file.stem, fallback="workbook")
    target = output_path(Path(out_dir), f"{stem}-checked.xlsx")
    return write_output(target, wb.save, inputs=[file.path, *inputs])


def _reopened(file: InputFile) -> openpyxl.Workbook:
    """The workbook in openpyxl with nothing reaching outside it (outside_removed.py: a
    formula doing so is the value it stored), never its macros or its links to other files."""
    try:
        content = file.content
        data = content if isinstance(content, bytes) else content.read_bytes()
        data = without_outside(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - the file was readable a moment ago; say so plainly
        detail = _("it could not be opened again to write its checked copy: %(why)s") % {
            "why": str(exc)[:200] or type(exc).__name__
        }
        problem = problems.FILE_DAMAGED.at(path=file.shown, detail=detail)
        raise WorkbookUnreadable(problem.message, hint=problem.hint, code=problem.code) from None


def _refuse_sheets_openpyxl_would_skip(file: InputFile) -> None:
    """Refuse to mark a copy that would silently lack a sheet whose part name differs in case."""
    try:
        with file.open() as handle, zipfile.ZipFile(handle) as archive:
            detail = skipped_by_openpyxl(Parts(archive).sheets())
    except Exception as exc:  # noqa: BLE001 - check_input read it a moment ago; say so plainly
        detail = str(exc) or type(exc).__name__
    if detail:
        problem = problems.FILE_DAMAGED.at(path=file.shown, detail=detail)
        raise WorkbookUnreadable(problem.message, hint=problem.hint, code=problem.code)


def _is_cell(ref: str) -> bool:
    try:
        coordinate_from_string(ref)
    except ValueError:
        return False
    return True


def _problems_sheet(wb: openpyxl.Workbook, report: Report) -> None:
    for name in dict.fromkeys((PROBLEMS_SHEET, _(PROBLEMS_SHEET))):  # a copy checked again
        if name in wb.sheetnames:
            del wb[name]
    ws = wb.create_sheet(_(PROBLEMS_SHEET), 0)
    for column, (heading, width) in enumerate(_COLUMNS, start=1):
        cell = put_at(ws, 1, column, _(heading))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, problem in enumerate(report.problems, start=2):
        is_error = problem.is_error or report.strict
        severity = _("error") if is_error else _("warning")
        where = problem.where if problem.sheet else _("workbook")
        values = (severity, where, problem.code, problem.message, problem.hint)
        for column, value in enumerate(values, start=1):
            put_at(ws, row, column, value).alignment = wrap
        ws.cell(row=row, column=1).fill = ERROR_FILL if is_error else WARNING_FILL
        if problem.sheet in wb.sheetnames and problem.cell and _is_cell(problem.cell):
            link = ws.cell(row=row, column=2)
            # An internal link: a location, not a URL, so Excel jumps to the cell.
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"{quote_sheetname(problem.sheet)}!{problem.cell}"
            )
            link.font = Font(color="0563C1", underline="single")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{max(len(report.problems) + 1, 1)}"
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
