"""What the reader says of a workbook reaching outside itself, beyond the cells it reads.

A formula reaching outside the workbook (outside_formulas.py) is reported where
the reader reads it; one in a cell it does not read (a column of the officer's
own, a Notes sheet, the Reference sheet) is just as live when the workbook is
opened, so it is reported at its cell too. While the workbook holds any such
formula, recalculating it runs them, so no message may advise that.
"""

from __future__ import annotations

import dataclasses

from pipeline import problems
from pipeline.i18n import N_, _, and_more
from pipeline.input_checks import as_sentence
from pipeline.problems import Problem
from pipeline.text import shortened
from pipeline.workbook.sheet_scan import Cell, column_letter

#: FORMULA_NO_VALUE's fix while the workbook holds a formula reaching outside it.
TYPE_THE_VALUE = N_(
    "Type the value the cell should hold instead of the formula. Do not recalculate, and do "
    "not open and save the workbook to store the results: it also holds formulas reaching "
    "outside it (FORMULA_EXTERNAL), which recalculating would run."
)


def external_links(shown: str, links: list[str]) -> Problem:
    """FILE_EXTERNAL_LINKS naming the first few of the workbook's links, each shortened."""
    named = ", ".join(f"'{shortened(link or '?')}'" for link in links[:3])
    listed = and_more(named, len(links) - 3)
    return as_sentence(problems.FILE_EXTERNAL_LINKS.at(path=shown, links=listed))


def outside_not_read(outside: dict[str, dict[Cell, str]], found: list[Problem]) -> list[Problem]:
    """FORMULA_EXTERNAL at each formula reaching outside (by sheet, then cell, as the engines
    list them) that the reader did not read, and so has not reported among found."""
    reported = {(p.sheet, p.cell) for p in found if p.is_kind(problems.FORMULA_EXTERNAL)}
    unread = []
    for sheet, cells in outside.items():
        for (row, column), formula in sorted(cells.items()):
            ref = f"{column_letter(column)}{row}"
            if (sheet, ref) not in reported:
                unread.append(problems.FORMULA_EXTERNAL.at(sheet, ref, value=formula))
    return unread


def never_recalculate(found: list[Problem]) -> list[Problem]:
    """found, with FORMULA_NO_VALUE's fix saying to type the value, never to recalculate:
    for a workbook holding formulas reaching outside it."""
    hint = _(TYPE_THE_VALUE)
    return [
        dataclasses.replace(p, hint=hint) if p.is_kind(problems.FORMULA_NO_VALUE) else p
        for p in found
    ]
