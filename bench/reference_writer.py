"""The benchmark's yardstick: the plan's rows as a 7-column Word table, with the standard library only.

`make bench` compares `eqplan build` with this: the cheapest honest way to put
the same rows into a document Word opens (a table with a header row and each
RAG cell shaded), written with zipfile and string escaping and nothing else:
no template, no checks, no summary workbook. It reads the rows from a JSON
file (bench/run.py writes it from bench/generate.py's rows), so it runs as
its own process just as `eqplan build` does:

    python bench/reference_writer.py rows.json plan.docx
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

COLUMNS = (
    ("ref", "Ref"),
    ("action", "Gap / action"),
    ("outcome", "Outcome sought"),
    ("deadline", "Deadline"),
    ("owner", "Owner"),
    ("rag", "RAG"),
    ("progress", "Progress update"),
)
FILLS = {"Red": "FF7C80", "Amber": "FFC000", "Green": "92D050", "Complete": "5B9BD5"}
NOT_RATED = ("Not rated", "E7E6E6")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOC = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_DOC}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_DOC}.styles+xml"/>'
    "</Types>"
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:styles xmlns:w="{_W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>'
    '<w:sz w:val="20"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr>'
    '<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>'
    '<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/>'
    '<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>'
    "</w:tblPr></w:style></w:styles>"
)


def _cell(text: str, fill: str = "", bold: bool = False) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f"<w:tc><w:tcPr>{shading}</w:tcPr><w:p><w:r>{run_props}"
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
    )


def _row(row: dict) -> str:
    cells = []
    for key, _ in COLUMNS:
        value = row.get(key) or ""
        if key == "rag":
            word, fill = (value, FILLS[value]) if value in FILLS else NOT_RATED
            cells.append(_cell(word, fill))
        else:
            cells.append(_cell(str(value)))
    return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"


def document_xml(rows: list[dict], title: str) -> str:
    """word/document.xml: a title, then the table with a repeated header row."""
    header = "".join(_cell(heading, bold=True) for _, heading in COLUMNS)
    body = "".join(_row(row) for row in rows)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>'
        f"<w:p><w:r><w:t>{escape(title)}</w:t></w:r></w:p>"
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr>'
        f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>{body}</w:tbl>"
        '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>'
        "</w:body></w:document>"
    )


def write_docx(rows: list[dict], target: Path, title: str = "Action plan") -> Path:
    """The rows as a .docx at target."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        package.writestr("word/styles.xml", STYLES)
        package.writestr("word/document.xml", document_xml(rows, title))
    return target


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    write_docx(json.loads(source.read_text(encoding="utf-8")), target)
