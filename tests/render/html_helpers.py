"""Reading a generated HTML plan (and its Word twin) back for assertions."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import lxml.html
from docx.oxml.ns import qn

from tests.render.helpers import cell_text

#: Blocks that are separate paragraphs in the Word cell (strand, progress update, next step ...).
_PARAGRAPH_BLOCKS = ("strand", "update", "since")


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def text_of(element: lxml.html.HtmlElement) -> str:
    """An element's text as Word holds it: <br> and each paragraph-like block start a new line
    (a block first in its cell starts the cell: no empty line before it, in either)."""
    element = copy.deepcopy(element)
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in element.iter("div"):
        if block.get("class") in _PARAGRAPH_BLOCKS:
            block.text = "\n" + (block.text or "")
    return element.text_content().removeprefix("\n")


def html_tables(root: lxml.html.HtmlElement) -> list[tuple[str, list[list[str]]]]:
    """Every table as (caption, rows of cell texts), header and total rows included, in order."""
    return [
        (
            table.find("caption").text_content(),
            [[text_of(c) for c in row.iterchildren("th", "td")] for row in table.iter("tr")],
        )
        for table in root.iter("table")
    ]


def word_tables(path: Path) -> list[tuple[str, list[list[str]]]]:
    """Every Word table as (caption, rows of cell texts), in document order."""
    document = docx.Document(str(path))
    found = []
    for table in document.tables:
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        rows = [[cell_text(c) for c in row.cells] for row in table.rows]
        found.append((caption.get(qn("w:val")) if caption is not None else "", rows))
    return found


def word_headings(path: Path) -> dict[int, list[str]]:
    document = docx.Document(str(path))
    levels: dict[int, list[str]] = {1: [], 2: []}
    for p in document.paragraphs:
        for level in levels:
            if p.style.name == f"Heading {level}":
                levels[level].append(p.text)
    return levels


def word_chart_alt(path: Path) -> str | None:
    document = docx.Document(str(path))
    for doc_pr in document.element.body.iter(qn("wp:docPr")):
        return doc_pr.get("descr")
    return None


def word_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]
