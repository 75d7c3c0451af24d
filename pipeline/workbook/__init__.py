"""Excel workbooks: writing the blank template and reading a filled one.

Only this package (and the renderers that write .xlsx outputs) import openpyxl.
"""

from pipeline.workbook.filler import fill_workbook
from pipeline.workbook.reader import RawWorkbook, read_workbook
from pipeline.workbook.template import build_template, write_template
from pipeline.workbook.to_model import build_plan

__all__ = [
    "RawWorkbook",
    "build_plan",
    "build_template",
    "fill_workbook",
    "read_workbook",
    "write_template",
]
