"""The blank template in Welsh (`eqplan template --language cy`, issue 15).

The template is written as always, then every fixed word in it is put into Welsh from the
catalogue: sheet names, headings, Plan sheet labels, help, dropdown words and the prompts of
the cell checks. One home for the words (the catalogue), and the reader accepts the Welsh
names and words as well as the English ones (reader.py, rag.py, status.py, levels.py), so a
Welsh workbook builds exactly as an English one. Text from the framework file is the
framework's and stays as it is.
"""

from __future__ import annotations

import functools
import re

from openpyxl import Workbook
from openpyxl.utils import quote_sheetname

from pipeline.cells import put
from pipeline.i18n import in_welsh
from pipeline.welsh_text import WELSH_MARK, welsh_name
from pipeline.workbook import layout
from pipeline.workbook.specs import shown_help, to_style

#: A dropdown list written in its rule: `"Draft,Final"`.
_INLINE_LIST = re.compile(r'^"([^"]*)"$')


def translate_template(wb: Workbook) -> Workbook:
    """wb with its fixed words in Welsh; text the catalogue does not hold is left as it is."""
    renamed = {}
    for ws in wb.worksheets:
        welsh = welsh_name(ws.title)[:31]  # Excel's limit on a sheet name
        if welsh != ws.title:
            renamed[ws.title] = welsh
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    welsh = _welsh(cell.value)
                    if welsh != cell.value:
                        put(cell, welsh)
        for validation in ws.data_validations.dataValidation:
            validation.formula1 = _formula(validation.formula1, renamed)
            for attribute in ("prompt", "promptTitle", "error", "errorTitle"):
                text = getattr(validation, attribute)
                if text:
                    setattr(validation, attribute, _welsh(text))
    for ws in wb.worksheets:
        if ws.title in renamed:
            ws.title = renamed[ws.title]
    return wb


def _welsh(text: str) -> str:
    """text in Welsh when the catalogue has it (a heading, a label, a word of help)."""
    if text.endswith(WELSH_MARK):
        return welsh_name(text)
    return _with_figures().get(text) or in_welsh(text)


@functools.cache
def _with_figures() -> dict[str, str]:
    """The help texts with figures put in (shown_help): English -> Welsh, whole; and the
    Financial years dropdown's `2026 to 2027`."""
    helps = [f.help for f in layout.PLAN_FIELDS if f.help and "%(" in f.help]
    return {shown_help(h): shown_help(h, in_welsh) for h in helps} | {
        to_style(): to_style(in_welsh)
    }


def _formula(formula: str | None, renamed: dict[str, str]) -> str | None:
    """A dropdown's source with Welsh sheet names and words."""
    if not formula:
        return formula
    inline = _INLINE_LIST.match(formula)
    if inline:
        return '"' + ",".join(_welsh(item) for item in inline.group(1).split(",")) + '"'
    for english, welsh in renamed.items():
        for written in (quote_sheetname(english), english):
            formula = formula.replace(f"{written}!", f"{quote_sheetname(welsh)}!")
    return formula
