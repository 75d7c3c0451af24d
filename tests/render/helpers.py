"""Reading generated .docx files back for assertions."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn


def cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def all_text(path: Path, keep_nbsp: bool = False) -> str:
    """Every paragraph and cell; non-breaking spaces (inside dates) read as spaces unless kept."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell_text(c) for c in row.cells)
    text = "\n".join(parts)
    return text if keep_nbsp else text.replace("\u00a0", " ")


def headings(path: Path, level: int = 1) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def action_rows(path: Path) -> list[list]:
    """Rows of every module table: the header is Ref, then the framework point column."""
    document = docx.Document(str(path))
    rows = []
    for table in document.tables:
        header = [cell_text(c) for c in table.rows[0].cells]
        is_module_table = header[:1] == ["Ref"] and header[1] in (
            "Framework point",
            "Building block",
        )
        if is_module_table and len(header) in (4, 7):  # outcomes and RAG layouts, not appendices
            rows.extend(table.rows[1:])
    return rows


def shading(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def language_runs(path: Path, part: str = "word/document.xml", *, empty: bool = True) -> list:
    """(text, w:lang) of every run in a part of a .docx (empty=False: only runs with text)."""
    with zipfile.ZipFile(path) as package:
        return runs_in(parse_xml(package.read(part)), empty=empty)


def runs_in(root, *, empty: bool = True) -> list[tuple[str, str]]:
    """(text, w:lang) of every run in an element (a part, a paragraph); "" with no w:lang."""
    found = []
    for run in root.iter(qn("w:r")):
        lang = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if text or empty:
            found.append((text, lang.get(qn("w:val")) if lang is not None else ""))
    return found


def paragraph_language_runs(path: Path, starts: str) -> list:
    """(text, w:lang) of the runs with text of the first paragraph of a .docx's body whose
    text starts so."""
    with zipfile.ZipFile(path) as package:
        root = parse_xml(package.read("word/document.xml"))
    for paragraph in root.iter(qn("w:p")):
        runs = runs_in(paragraph, empty=False)
        if "".join(text for text, _lang in runs).startswith(starts):
            return runs
    raise AssertionError(f"no paragraph starts {starts!r}")


def stale_metadata(path) -> list[str]:
    """What a saved Word document says of the file its template was (a councillor's review:
    a blank preview picture, "1 page, 0 words" on a 26-page plan, "Microsoft Macintosh
    Word"): the names of such parts and properties it still holds."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        app = archive.read("docProps/app.xml").decode() if "docProps/app.xml" in names else ""
    found = [name for name in names if "thumbnail" in name]
    found += [tag for tag in ("<Pages>", "<Words>", "<TotalTime>", "Macintosh") if tag in app]
    if "<Application>eqplan " not in app:
        found.append("no Application eqplan")
    return found
