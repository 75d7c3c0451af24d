"""The row height estimate behind rows kept whole (pagination.py), against a plain reading of it."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.render import pagination
from pipeline.render.pagination import CELL_MARGINS_PT, CHAR_PT, LINE_PT, PARAGRAPH_PT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(name: str) -> str:
    return f"{{{W}}}{name}"


def _plain_height(row: etree._Element, widths: list[float]) -> float:
    """The estimate as its docstring says it, cell by cell, with nothing cached."""
    own = [
        cell
        for cell in row.iter(_q("tc"))
        if cell.getparent() is row
        or (
            cell.getparent().tag == _q("sdtContent")
            and cell.getparent().getparent().getparent() is row
        )
    ]
    tallest, column = 0.0, 0
    for index, cell in enumerate(own):
        later = own[index + 1] if index + 1 < len(own) else None
        # A cell's share of the row runs from it to the next own cell, in document order.
        elements = []
        for element in row.iter(_q("t"), _q("p"), _q("br"), _q("gridSpan"), _q("tc")):
            elements.append(element)
        start = elements.index(cell)
        stop = elements.index(later) if later is not None else len(elements)
        share = elements[start + 1 : stop]
        spans = [e for e in share if e.tag == _q("gridSpan") and e.getparent().getparent() is cell]
        columns = int(spans[-1].get(_q("val"), "1")) if spans else 1
        characters = sum(len(e.text or "") for e in share if e.tag == _q("t"))
        lines = sum(1 for e in share if e.tag in (_q("p"), _q("br")))
        width = sum(widths[column : column + columns]) or 72.0
        column += columns
        per_line = max(1, int((width - CELL_MARGINS_PT) / CHAR_PT))
        height = (math.ceil(characters / per_line) + lines) * LINE_PT + lines * PARAGRAPH_PT
        tallest = max(tallest, height)
    return tallest


_TEXT = st.text(alphabet="ab ", max_size=300)
_PARAGRAPH = st.builds(
    lambda texts, breaks: (
        "<w:p>"
        + "".join(f"<w:r><w:t>{t}</w:t></w:r>" for t in texts)
        + "<w:r><w:br/></w:r>" * breaks
        + "</w:p>"
    ),
    st.lists(_TEXT, max_size=3),
    st.integers(0, 2),
)
_NESTED = st.builds(
    lambda paragraphs: "<w:tbl><w:tr><w:tc>" + "".join(paragraphs) + "</w:tc></w:tr></w:tbl><w:p/>",
    st.lists(_PARAGRAPH, min_size=1, max_size=2),
)
_CELL = st.builds(
    lambda span, content, wrapped: (
        ("<w:sdt><w:sdtContent>" if wrapped else "")
        + "<w:tc>"
        + (f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else "")
        + "".join(content)
        + "</w:tc>"
        + ("</w:sdtContent></w:sdt>" if wrapped else "")
    ),
    st.sampled_from([0, 0, 1, 2, 3]),
    st.lists(st.one_of(_PARAGRAPH, _NESTED), min_size=1, max_size=3),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(_CELL, min_size=1, max_size=5), min_size=1, max_size=4),
    st.lists(st.sampled_from([0.0, 30.0, 85.0, 140.0, 300.0]), max_size=6),
)
def test_row_height_is_the_plain_estimate(rows, widths):
    """Cells spanning columns, in content controls, holding tables: the same height as a
    plain cell-by-cell reading, with the characters per line worked out once per table
    (rows of one table that place their cells differently included)."""
    grid = "".join(f'<w:gridCol w:w="{int(w * 20)}"/>' for w in widths)
    body = "".join("<w:tr>" + "".join(cells) + "</w:tr>" for cells in rows)
    table = etree.fromstring(f'<w:tbl xmlns:w="{W}"><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>')
    columns = pagination._Grid(table)
    for row in table.iterchildren(_q("tr")):
        assert pagination._row_height_pt(row, columns) == _plain_height(row, widths)
