"""Page breaks in the rendered Word plan: rows kept whole, headings kept with their tables.

Applied by render/word.py after docxtpl has rendered the template, because
how tall a row is depends on the officer's text, which a template cannot
know. Word and LibreOffice both honour `w:cantSplit` and `w:keepNext`.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length

from pipeline.render.docx_finish import BodyParts, body_parts, find_or_add

TWIPS_PER_PT = 20
#: Average advance of a character of 12 pt Arial (about half an em), in points.
CHAR_PT = 6.0
#: Height of one line of 12 pt text, and the space after each paragraph (Table Text style).
LINE_PT = 14.0
PARAGRAPH_PT = 2.0
CELL_MARGINS_PT = 11.0  # left plus right cell margin of a Word table (0.19 cm each)
#: Share of the page body a row may fill and still be kept whole (the header row repeats above it).
WHOLE_ROW_SHARE = 0.85
_PARAGRAPH_PATH = f"{qn('w:pPr')}/{qn('w:sectPr')}"
#: Paragraphs before a table kept on its page (its heading and lead-in), at most.
LEAD_IN_PARAGRAPHS = 4


def keep_rows_whole(docx: Any, parts: BodyParts | None = None, limit: float | None = None) -> int:
    """Stop each table row splitting across pages, unless it is taller than a page; count them.

    A row that breaks across pages puts half an action on one page and half
    on the next, which readers of a printed plan misread. But Word cannot
    move a row taller than the page to a new page: with `cantSplit` it cuts
    the row off at the page foot and the rest of the text is lost from the
    print. So each row's height is estimated from its text length: in each
    cell, the characters that fit one line are the cell's width (from the
    table grid, less the cell margins) over about 6 pt a character of 12 pt
    Arial; the cell's text length over that is its wrapped lines, plus one
    line per paragraph and line break (each may end part-filled), at 14 pt a
    line. The tallest cell is the row's height. Rows estimated taller than
    85% of the shortest page body (the repeated header row sits above them)
    are allowed to split. The estimate is rough (word wrap wastes the end of
    each line, narrow letters fit more) but only has to tell rows of a
    third of a page from rows of a whole page. limit is that height (whole_row_limit),
    when it is worked out before the body is.
    """
    limit = whole_row_limit(docx) if limit is None else limit
    kept = 0
    for table in (parts or body_parts(docx)).tables:
        grid = _Grid(table)
        for row in table.iterchildren(_TR):
            if _row_height_pt(row, grid) <= limit:
                find_or_add(find_or_add(row, "w:trPr", first=True), "w:cantSplit", first=True)
                kept += 1
    return kept


def whole_row_limit(docx: Any) -> float:
    """The tallest row (points) kept whole: a share of the shortest page body of docx's sections."""
    return _shortest_page_body_pt(docx) * WHOLE_ROW_SHARE


def keep_headings_with_tables(docx: Any, parts: BodyParts | None = None) -> None:
    """Keep each table's heading and lead-in paragraphs, and its header row, with its first row.

    Without this a heading can sit alone at the foot of a page with its
    table starting overleaf. The paragraphs just before a table, back to and
    including the nearest heading, get `keepNext`; so does the repeated
    header row, so it is never left alone either.
    """
    for table in (parts or body_parts(docx)).tables:
        previous = table.getprevious()
        for _ in range(LEAD_IN_PARAGRAPHS):
            if previous is None or previous.tag != qn("w:p"):
                break
            if previous.find(_PARAGRAPH_PATH) is not None:
                break  # a section break: the table starts a new page anyway
            _keep_next(previous)
            if _style(previous).startswith("Heading"):
                break
            previous = previous.getprevious()
        first = table.find(qn("w:tr"))
        if first is not None:
            trpr = first.find(qn("w:trPr"))
            if trpr is not None and trpr.find(qn("w:tblHeader")) is not None:
                for paragraph in first.iter(qn("w:p")):
                    _keep_next(paragraph)


_TC, _P, _T, _BR, _TR = qn("w:tc"), qn("w:p"), qn("w:t"), qn("w:br"), qn("w:tr")
_TBL_GRID, _GRID_COL = qn("w:tblGrid"), qn("w:gridCol")
_GRID_SPAN, _VAL, _W_ATTR = qn("w:gridSpan"), qn("w:val"), qn("w:w")
_SDT_CONTENT = qn("w:sdtContent")


class _Grid:
    """A table's column widths (points, from its w:tblGrid) and the characters a cell's line holds."""

    def __init__(self, table: Any) -> None:
        grid = table.find(_TBL_GRID)
        columns = grid.iterchildren(_GRID_COL) if grid is not None else ()
        self.widths = [int(col.get(_W_ATTR, "0")) / TWIPS_PER_PT for col in columns]
        self._per_line: dict[tuple[int, int], int] = {}

    def characters_per_line(self, column: int, columns: int) -> int:
        """How many characters fit one line of a cell from grid column `column`, `columns` wide.

        Worked out once per table for each place a cell can be: every row repeats them.
        """
        key = (column, columns)
        per_line = self._per_line.get(key)
        if per_line is None:
            width = sum(self.widths[column : column + columns]) or 72.0
            per_line = max(1, int((width - CELL_MARGINS_PT) / CHAR_PT))
            self._per_line[key] = per_line
        return per_line


def _row_height_pt(row: Any, grid: _Grid) -> float:
    """Estimated height of a row: its tallest cell's lines of text.

    A cell's text (its w:t elements, a nested table's included) is taken
    as one run of characters wrapped at the cell's width, plus one line for
    each paragraph and line break (each can end with a part-filled line).
    One pass over the row, filtered by tag in lxml's C code: at 10,000
    actions a lookup per cell cost more than the rest of the finishing. The
    loop runs for every text, paragraph and cell of the plan, so the current
    cell's counts are kept in local variables and the commonest tags are
    tested first.
    """
    cells: list[tuple[int, int, int]] = []  # per own cell: (grid columns, characters, lines)
    cell = None
    columns = characters = lines = 0
    for element in row.iter(_TC, _T, _P, _BR, _GRID_SPAN):
        tag = element.tag
        if tag == _T:
            if cell is not None:
                characters += len(element.text or "")
        elif tag in (_P, _BR):
            if cell is not None:
                lines += 1
        elif tag == _TC:
            if _in_row(element, row):  # not a nested table's cell
                if cell is not None:
                    cells.append((columns, characters, lines))
                cell = element
                columns, characters, lines = 1, 0, 0
        elif cell is not None and element.getparent().getparent() is cell:
            columns = int(element.get(_VAL, "1"))
    if cell is not None:
        cells.append((columns, characters, lines))
    tallest = 0.0
    column = 0
    for columns, characters, lines in cells:
        per_line = grid.characters_per_line(column, columns)
        column += columns
        height = (-(-characters // per_line) + lines) * LINE_PT + lines * PARAGRAPH_PT
        tallest = max(tallest, height)
    return tallest


def _in_row(cell: Any, row: Any) -> bool:
    """Whether cell is one of row's own cells: its child, or inside a content control (w:sdt)."""
    parent = cell.getparent()
    return parent is row or (parent.tag == _SDT_CONTENT and parent.getparent().getparent() is row)


def _shortest_page_body_pt(docx: Any) -> float:
    heights = []
    for section in docx.sections:
        if section.page_height is None:
            continue
        body = section.page_height - (section.top_margin or 0) - (section.bottom_margin or 0)
        heights.append(Length(body).pt)
    return min(heights) if heights else 493.0  # landscape A4 with 1.8 cm margins


def _keep_next(paragraph: Any) -> None:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    if ppr.find(qn("w:keepNext")) is None:
        keep = OxmlElement("w:keepNext")
        style = ppr.find(qn("w:pStyle"))
        if style is not None:
            style.addnext(keep)
        else:
            ppr.insert(0, keep)


def _style(paragraph: Any) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else style.get(qn("w:val"), "")
