"""A Word template is untrusted input: check its bytes before docxtpl opens it, clean its links after.

The template may come from anywhere (a supplier, an email), so before any
parser sees it eqplan checks, as it does for workbooks (pipeline/input_checks.py),
that it is a real .docx of sensible size with no DOCTYPE in its XML.

Word follows relationships marked TargetMode="External" when a document
opens: an attached template, a linked picture or object, a frame or a
mail-merge source, at a web address or on a file share. A template's links
would be copied into every plan, so the rendered plan keeps only plain
http(s) hyperlinks in its text; every other outside link is left out and
reported as a TEMPLATE_EXTERNAL_LINK warning.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from pipeline import problems
from pipeline.errors import TemplateError
from pipeline.input_checks import (
    ZipLimits,
    describe_non_zip,
    is_encrypted,
    unsafe_xml_part,
    zip_too_large,
)
from pipeline.problems import Problem
from pipeline.render.fields import BUILT_FROM_FIELD, risky_fields

#: A Word template's size on disk. Templates are a few hundred KB; logos and fonts add a few MB.
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
#: Once unpacked (checked from the zip directory before anything is inflated).
TEMPLATE_ZIP_LIMITS = ZipLimits(
    entries=1_000, part_bytes=100 * 1024 * 1024, total_bytes=200 * 1024 * 1024, ratio=200
)

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HYPERLINK = "/hyperlink"
#: Elements whose reference is optional: drop the attribute, keep the element (and its text).
_KEEP_ELEMENT = {"hyperlink", "hlinkClick", "hlinkHover", "blip", "imagedata", "fill", "stroke"}
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_PLAIN_URL = re.compile(r"https?://[^\s\\<>\"'`^{|}]+", re.IGNORECASE)
_KINDS = {
    "attachedTemplate": "an attached template",
    "image": "a linked picture",
    "oleObject": "a linked object",
    "frame": "a frame",
    "subDocument": "a linked sub-document",
    "mailMergeSource": "a mail-merge source",
    "recipientData": "mail-merge recipients",
    "hyperlink": "a hyperlink",
    "aFChunk": "an embedded chunk",
    "package": "a linked package",
}


@dataclass(frozen=True)
class OutsideLink:
    """One relationship whose target lies outside the document."""

    rels_part: str  # e.g. word/_rels/settings.xml.rels
    rel_id: str
    rel_type: str
    target: str

    @property
    def kind(self) -> str:
        name = self.rel_type.rsplit("/", 1)[-1]
        return _KINDS.get(name, name or "a link")

    @property
    def allowed(self) -> bool:
        """Plain http(s) hyperlinks are kept: nothing is fetched until someone clicks."""
        return self.rel_type.endswith(_HYPERLINK) and is_plain_web_address(self.target)


def is_plain_web_address(target: str) -> bool:
    """http:// or https:// with a host, no user name or password, no spaces or backslashes."""
    if not _PLAIN_URL.fullmatch(target):
        return False
    parts = urlsplit(target)
    return bool(parts.hostname) and "@" not in parts.netloc


# ----------------------------------------------------------------------------- checking


def check_template(path: Path) -> list[Problem]:
    """Refuse a template that is not a usable .docx (TemplateError, exit 2); warn of outside links."""
    if not path.is_file():
        raise TemplateError(f"Word template not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise _not_docx(path, "an empty file")
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            f"The Word template {path} is {size / 1e6:,.0f} MB; eqplan accepts templates up to "
            f"{MAX_TEMPLATE_BYTES / 1e6:,.0f} MB.",
            hint="Compress or remove large pictures (Word: File > Compress Pictures) and save again.",
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if is_encrypted(path):
            raise TemplateError(
                f"The Word template {path} is password-protected; eqplan cannot open it.",
                hint="Save a copy without a password (File > Info > Protect Document) and use that.",
            )
        raise _not_docx(path, "an old-style Word 97-2003 document (.doc)")
    if not head.startswith(b"PK\x03\x04"):
        raise _not_docx(path, describe_non_zip(path))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            detail = zip_too_large(infos, TEMPLATE_ZIP_LIMITS)
            if detail:
                raise TemplateError(
                    f"The Word template {path} is far too large once unpacked ({detail}).",
                    hint="Save it again from Word as a .docx document, without large pictures.",
                )
            _check_kind(archive, path)
            part = unsafe_xml_part(archive, infos)
            if part:
                raise TemplateError(
                    f"The Word template {path} contains unsafe XML in {part} (a DOCTYPE or entity, "
                    "which Word never writes).",
                    hint="Open it in Word and save a new copy, or ask IT to check where it came from.",
                )
            links = outside_links(archive)
            fields = _fields_in(archive)
    except zipfile.BadZipFile as exc:
        raise _damaged(path, str(exc) or "bad zip") from None
    except (
        OSError,
        EOFError,
        zipfile.LargeZipFile,
        NotImplementedError,
        etree.XMLSyntaxError,
    ) as exc:
        raise _damaged(path, str(exc)) from None
    warnings = [_warning(path, link.target, link.kind) for link in links if not link.allowed]
    for instruction in fields:
        if instruction.startswith(BUILT_FROM_FIELD):
            instruction, what = (
                instruction.removeprefix(BUILT_FROM_FIELD),
                "a field named by a field",
            )
        else:
            what = f"{instruction.split(None, 1)[0].upper()} field"
        warnings.append(_warning(path, " ".join(instruction.split()), what))
    return warnings


def _fields_in(archive: zipfile.ZipFile) -> list[str]:
    """Instructions of the risky fields in the template's Word parts (see fields.py)."""
    found = []
    for name in archive.namelist():
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        data = archive.read(name)
        if b"instrText" in data or b"fldSimple" in data:
            root = etree.fromstring(data, _SAFE_PARSER)
            found += [text for text, _ in risky_fields(root, is_plain_web_address)]
    return found


def _check_kind(archive: zipfile.ZipFile, path: Path) -> None:
    names = set(archive.namelist())
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        if "xl/workbook.xml" in names:
            raise _not_docx(path, "an Excel workbook")
        if "ppt/presentation.xml" in names:
            raise _not_docx(path, "a PowerPoint presentation")
        if "mimetype" in names:
            raise _not_docx(path, "an OpenDocument file (.odt)")
        raise _damaged(path, "it has no document part")
    types = archive.read("[Content_Types].xml")
    if b"wordprocessingml.template.main+xml" in types:
        raise _not_docx(path, "a Word template file (.dotx)")
    if b"macroEnabled" in types:
        raise _not_docx(path, "a macro-enabled Word file (.docm or .dotm)")


def _not_docx(path: Path, found: str) -> TemplateError:
    return TemplateError(
        f"Cannot open the Word template {path}: it is {found}, not a Word document (.docx).",
        hint="Open it in Word and use File > Save As > Word Document (.docx), then pass that file.",
    )


def _damaged(path: Path, detail: str) -> TemplateError:
    return TemplateError(
        f"Cannot open the Word template {path}: it is damaged ({detail}).",
        hint="Open it in Word (it may offer to repair it) and save a new copy as .docx.",
    )


def _warning(path: Path, target: str, what: str) -> Problem:
    target = target if len(target) <= 80 else target[:77] + "..."
    return problems.TEMPLATE_EXTERNAL_LINK.at(path=path.name, target=target, what=what)


# ----------------------------------------------------------------------------- links


def outside_links(archive: zipfile.ZipFile) -> list[OutsideLink]:
    """Every relationship in the package marked TargetMode="External"."""
    found = []
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        root = etree.fromstring(archive.read(name), _SAFE_PARSER)
        for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
            if (rel.get("TargetMode") or "").lower() == "external":
                found.append(
                    OutsideLink(name, rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", ""))
                )
    return found


def remove_outside_links(docx_path: Path) -> list[OutsideLink]:
    """Rewrite the .docx at docx_path without outside links other than plain web hyperlinks.

    References to a removed link are removed too: the attribute where it is
    optional (a hyperlink keeps its text), otherwise the element (an
    attached template, a linked object). Returns the links removed.
    """
    with zipfile.ZipFile(docx_path) as archive:
        removed = [link for link in outside_links(archive) if not link.allowed]
        if not removed:
            return []
        changed: dict[str, bytes] = {}
        for rels_part in sorted({link.rels_part for link in removed}):
            ids = {link.rel_id for link in removed if link.rels_part == rels_part}
            changed[rels_part] = _without_relationships(archive.read(rels_part), ids)
            source = _source_part(rels_part)
            if source and source in archive.namelist():
                changed[source] = _without_references(archive.read(source), ids)
        infos = archive.infolist()
        contents = {
            info.filename: changed.get(info.filename) or archive.read(info) for info in infos
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, contents[info.filename], compress_type=zipfile.ZIP_DEFLATED)
    docx_path.write_bytes(buffer.getvalue())
    return removed


def _source_part(rels_part: str) -> str:
    """word/_rels/document.xml.rels -> word/document.xml; _rels/.rels -> '' (the package)."""
    folder, _, name = rels_part.rpartition("_rels/")
    return folder + name.removesuffix(".rels") if name != ".rels" else ""


def _without_relationships(data: bytes, ids: set[str]) -> bytes:
    root = etree.fromstring(data, _SAFE_PARSER)
    for rel in list(root.iter(f"{{{_REL_NS}}}Relationship")):
        if rel.get("Id") in ids:
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_references(data: bytes, ids: set[str]) -> bytes:
    root = etree.fromstring(data, _SAFE_PARSER)
    doomed = []
    for element in root.iter(tag=etree.Element):
        for attribute, value in list(element.attrib.items()):
            if value not in ids or not attribute.startswith(f"{{{_R_NS}}}"):
                continue
            if etree.QName(element).localname in _KEEP_ELEMENT:
                del element.attrib[attribute]
            else:
                doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
