"""Excel workbooks: writing the blank template and reading a filled one.

Only this package (and the renderers that write .xlsx outputs) import openpyxl.
Its names are loaded when first used (PEP 562), so reading a workbook never
imports openpyxl, which only writing one needs: `eqplan validate` starts faster.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.workbook.filler import fill_workbook
    from pipeline.workbook.reader import RawWorkbook, read_workbook
    from pipeline.workbook.template import build_template, write_template
    from pipeline.workbook.to_model import build_plan

#: Each public name and the module that defines it.
_HOMES = {
    "RawWorkbook": "reader",
    "build_plan": "to_model",
    "build_template": "template",
    "fill_workbook": "filler",
    "read_workbook": "reader",
    "write_template": "template",
}
__all__ = [
    "RawWorkbook",
    "build_plan",
    "build_template",
    "fill_workbook",
    "read_workbook",
    "write_template",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
