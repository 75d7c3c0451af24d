"""The hidden Lists sheet: the values the dropdowns offer, and each strand's colour.

The template writes it; the reader reads back only its strand columns
(`layout.LISTS`), so a council's own strands and colours reach the plan.
Colours are checked here, at their cell: one not understood falls back to the
strand's default, one too dark for black text is lightened (pipeline.strands).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline import headings as h
from pipeline import problems, strands
from pipeline.cells import list_formula, put_at
from pipeline.i18n import N_, _
from pipeline.model import Framework
from pipeline.problems import Problem
from pipeline.strands import StrandColour
from pipeline.text import match_key, plural_noun, squash
from pipeline.workbook import layout
from pipeline.workbook.reader import RawTable

if TYPE_CHECKING:
    from openpyxl import Workbook

STRAND_ROWS = 40  # room for the council's own strands


def write_lists_sheet(wb: Workbook, framework: Framework) -> dict[str, str]:
    """Add the hidden Lists sheet; returns the range of each list, by key."""
    from openpyxl.styles import Font  # here: reading a workbook (read_strand_colours) needs none
    from openpyxl.utils import get_column_letter

    from pipeline.workbook.dropdowns import range_ref

    ws = wb.create_sheet(layout.LISTS_SHEET)
    strand_names = list(layout.STRAND_CHOICES)
    colour_heading = layout.LISTS.column("strand_colour").heading
    columns = {
        "points": (plural_noun(framework.labels.point), point_choices(framework)),
        "rag": (h.RAG, list(layout.RAG_CHOICES)),
        "levels": (N_("Levels"), list(framework.assessment_levels)),
        "status": (h.STATUS, list(layout.STATUS_CHOICES)),
        "strands": (layout.LISTS.column("strand").heading, strand_names),
        "strand_colours": (colour_heading, [strands.default_colour(n).words for n in strand_names]),
    }
    ranges: dict[str, str] = {}
    for index, (key, (heading, values)) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        put_at(ws, 1, index, heading).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            put_at(ws, row, index, value)
        last = STRAND_ROWS + 1 if key.startswith("strand") else len(values) + 1
        ranges[key] = range_ref(layout.LISTS_SHEET, letter, 2, last)
        ws.column_dimensions[letter].width = 60 if key == "points" else 24
    _colour_column(ws, get_column_letter(len(columns)))
    ws.sheet_state = "hidden"
    return ranges


def point_choices(framework: Framework) -> list[str]:
    """The Framework point dropdown's entries (Framework.choices), each level in the language
    being written: a Welsh template offers `1.1 Collecting ... - Datblygol`, as its Levels
    list and the Welsh plan say it (the reader goes by the number, 1.1)."""
    levels = {f" - {level}": f" - {_(level)}" for level in framework.assessment_levels}
    choices = framework.choices()
    if all(english == welsh for english, welsh in levels.items()):
        return choices
    return [_with_level(choice, levels) for choice in choices]


def _with_level(choice: str, levels: dict[str, str]) -> str:
    for english, said in levels.items():
        if choice.endswith(english):
            return choice[: -len(english)] + said
    return choice


def _colour_column(ws, letter: str) -> None:
    """A dropdown of the named colours (codes accepted too), each shown in its own colour."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    cells = f"{letter}2:{letter}{STRAND_ROWS + 1}"
    dv = DataValidation(type="list", formula1=list_formula(strands.NAMED_COLOURS), allow_blank=True)
    dv.errorStyle = "information"  # a code such as #BDD7EE is fine too
    dv.promptTitle = dv.errorTitle = "Strand colour"
    dv.prompt = _("A light colour from the list, or a colour code such as #BDD7EE.")
    dv.error = _("Not one of the named colours: eqplan also accepts a code such as #BDD7EE.")
    dv.showInputMessage = dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(cells)
    for name, fill in strands.NAMED_COLOURS.items():
        shade = PatternFill("solid", fgColor=fill, bgColor=fill)
        rule = FormulaRule(formula=[f'LOWER(TRIM(${letter}2))="{name}"'], fill=shade)
        ws.conditional_formatting.add(cells, rule)


def read_strand_colours(table: RawTable | None) -> tuple[dict[str, StrandColour], list[Problem]]:
    """The council's colour for each strand on the Lists sheet (by match key), and any problems."""
    colours: dict[str, StrandColour] = {}
    found: list[Problem] = []
    if table is None or "strand_colour" not in table.columns:
        return colours, found
    heading = layout.LISTS.column("strand_colour").heading
    names = ", ".join(strands.NAMED_COLOURS)
    for row in table.rows:
        strand = squash(str(row.values.get("strand") or ""))
        value = str(row.values.get("strand_colour") or "").strip()
        if not strand or not value or match_key(strand) in colours:
            continue
        cell = table.cell("strand_colour", row.number)
        where = {"row": row.number, "column": heading, "value": value, "strand": strand}
        fill = strands.parse_colour(value)
        if fill is None:
            default = strands.default_colour(strand).words
            kind = problems.STRAND_COLOUR_INVALID
            found.append(kind.at(table.title, cell, default=default, names=names, **where))
            continue
        readable = strands.readable(fill)
        if readable != fill:
            ratio = f"{strands.contrast_with_black(fill):.1f}"
            kind = problems.STRAND_COLOUR_CONTRAST
            found.append(
                kind.at(table.title, cell, ratio=ratio, fill=readable, names=names, **where)
            )
        colours[match_key(strand)] = StrandColour(readable, strands.colour_words(readable))
    return colours, found
