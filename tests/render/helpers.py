"""Reading generated .docx files back for assertions."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn


def cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell_text(c) for c in row.cells)
    return "\n".join(parts)


def headings(path: Path, level: int = 1) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def action_rows(path: Path) -> list[list]:
    """Rows of every table whose header starts with the framework point column."""
    document = docx.Document(str(path))
    rows = []
    for table in document.tables:
        header = [cell_text(c) for c in table.rows[0].cells]
        if header[0] in ("Framework point", "Building block") and len(header) >= 3:
            rows.extend(table.rows[1:])
    return rows


def shading(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
