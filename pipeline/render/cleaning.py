"""Take everything that fetches or runs something out of a .docx package, part by part.

One walk over every part of the package finds what Word would follow or run
when the plan is opened, and removes it:

- relationships marked TargetMode="External" (an attached template, linked
  pictures and objects, frames, mail-merge sources, file or network links),
  except plain http(s) hyperlinks, with the elements that use them;
- altChunk parts (HTML, RTF or another .docx that Word pulls into the text,
  with whatever links and fields they hold), embedded objects (an OLE package
  runs when double-clicked) and ActiveX controls, with their elements;
- mail-merge settings (a data source's connection string and query), and data
  bindings (Word fills a bound control from the package's data, not the plan);
- fields that fetch or run something (fields.py), in every part: document,
  headers, footers, footnotes, endnotes, comments, glossary and the rest.

The same walk on a template lists what will be left out of the plan (the
TEMPLATE_EXTERNAL_LINK warnings), and on the finished plan it must find
nothing: `clean_docx` checks its own result again and refuses to hand back
a package in which anything is left. Every XML part is parsed strictly, so a
part a template broke (raw markup printed with |safe) is an error here,
never a damaged document.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote

from lxml import etree

from pipeline.io import ZIP_LEVEL
from pipeline.render.fields import BUILT_FROM_FIELD, disarm, field_name, risky_fields
from pipeline.render.isolation import safe_parser
from pipeline.render.link_kinds import is_plain_web_address, removed_kind

if TYPE_CHECKING:
    from pipeline.render.block_marks import BlockMarks

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONTENT_TYPES = "[Content_Types].xml"
#: Elements whose reference is optional: drop the attribute, keep the element (and its text).
_KEEP_ELEMENT = {"hyperlink", "hlinkClick", "hlinkHover", "blip", "imagedata", "fill", "stroke"}
#: Elements removed wherever they are, with what they are called in warnings.
_REMOVED_ELEMENTS = {
    f"{_W}mailMerge": "a mail-merge source",
    f"{_W}altChunk": "an embedded chunk",
    f"{_W}dataBinding": "a data binding",
    "{http://schemas.microsoft.com/office/word/2012/wordml}dataBinding": "a data binding",
}
#: VML shapes (older drawings: text boxes, watermarks) can name a picture to fetch by its
#: address (`src`) or link a click to one (`href`), with no relationship to clean.
_VML_ELEMENTS = ("{urn:schemas-microsoft-com:vml}*", "{urn:schemas-microsoft-com:office:office}*")
#: Every element BlockCleaner.take_out removes or changes wherever it is.
TAKEN_OUT = (*_REMOVED_ELEMENTS, *_VML_ELEMENTS)


class InvalidPart(ValueError):
    """An XML part of the package is not well-formed."""

    def __init__(self, part: str, detail: str) -> None:
        super().__init__(f"{part}: {detail}")
        self.part = part
        self.detail = detail


class CleaningFailed(ValueError):
    """Something that fetches or runs was still in the package after cleaning."""


@dataclass(frozen=True)
class Hazard:
    """One thing taken out: where it was, what it is (in plain words) and what it points at."""

    part: str
    what: str
    target: str


def find_hazards(parts: dict[str, bytes]) -> list[Hazard]:
    """What clean_parts would remove from parts (which are left unchanged)."""
    return _clean(parts)[1]


class Link(Protocol):
    """A relationship as python-docx describes one (docx.opc.rel._Relationship)."""

    reltype: str
    target_ref: str
    is_external: bool


class BlockCleaner:
    """Cleans one part a block at a time, as its tree is parsed (body_stream.py).

    take_out(block) runs on each block as soon as it is whole, before the blocks are grouped:
    it removes elements (references to links cleaning removes, mail-merge sources, embedded
    chunks), which can change where fields begin and end. disarm(blocks) then runs on each
    group, in which no field is cut, and only empties instructions. What is taken out is
    listed in removed, and clean_docx takes the part's saved bytes as they are.
    """

    def __init__(self, part: str, links: Mapping[str, Link]) -> None:
        """part: its name in the package; links its relationships by id, read again before
        each block (rendering adds one for the chart picture, before the block holding it
        is parsed): python-docx's `part.rels` itself, or any mapping of such links."""
        self.part = part
        self.links = links
        self.judged: dict[str, Link] = {}  # the links looked at so far, by id
        self.ids: set[str] = set()  # of the links cleaning removes
        self.removed: list[Hazard] = []

    def take_out(self, block: etree._Element, marks: BlockMarks | None = None) -> bool:
        """Remove what refers to a removed link, and removed elements; False if block went.

        marks: what the block holds (block_marks.py): walked only if it holds what cleaning
        removes, and then refreshed."""
        parent = block.getparent()
        self._judge_new_links()
        if marks is not None and not self.ids and not marks.hazards:
            return True  # nearly always
        if self.ids:
            _remove_references(block, self.ids)
        if block.getparent() is not parent:
            return False
        _take_out_elements(self.part, [block], self.removed)
        if marks is not None:
            marks.refresh()
        return block.getparent() is parent

    def _judge_new_links(self) -> None:
        """Note which of the links not looked at before cleaning removes. Each is judged
        once (python-docx works a target out as a relative path every time it is asked),
        but an id given to another link since (python-docx reuses a dropped link's) is
        judged again; an id once removed stays removed."""
        for rel_id, link in self.links.items():
            if self.judged.get(rel_id) is not link:
                self.judged[rel_id] = link
                if removed_kind(link.reltype, link.target_ref, link.is_external, self.part):
                    self.ids.add(rel_id)

    def disarm(self, blocks: list[etree._Element], marks: list[BlockMarks] | None = None) -> None:
        """Empty the instructions of the risky fields in blocks, read as one run (marks: theirs)."""
        found = None if marks is None else chain.from_iterable(m.fields for m in marks)
        _disarm_fields(self.part, blocks, self.removed, found)

    def clean(self, blocks: list[etree._Element]) -> list[etree._Element]:
        """take_out on each block, then disarm what is left: the blocks still there."""
        kept = [block for block in blocks if self.take_out(block)]
        self.disarm(kept)
        return kept


def clean_docx(data: bytes, streamed: BlockCleaner | None = None) -> tuple[bytes, list[Hazard]]:
    """The .docx in data with every hazard removed, and what was removed.

    Raises InvalidPart if an XML part is not well-formed, and CleaningFailed
    if a second walk over the result still finds anything. streamed is the
    cleaner of a part already cleaned as it was parsed (the rendered body):
    that part is not unpacked and parsed again. Whatever is removed, the
    result is unpacked and walked again in full, the streamed part a block
    at a time as it was cleaned (so its whole tree is never held).
    """
    skip = {streamed.part} if streamed is not None else set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        parts = {i.filename: b"" if i.filename in skip else archive.read(i) for i in infos}
        cleaned, removed = _clean(parts, streamed)
        if not removed:
            return data, []
        for name in skip:  # cleaned as it was parsed: its bytes as saved
            if cleaned.get(name) == b"":
                cleaned[name] = archive.read(name)
    left = find_hazards({name: part for name, part in cleaned.items() if name not in skip})
    for name in skip:
        if name in cleaned:
            left += _streamed_hazards(name, cleaned[name])
    if left:
        raise CleaningFailed(", ".join(f"{h.what} in {h.part}" for h in left[:5]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:  # level per entry: a
        for info in infos:  # ZipInfo read back keeps no level, and ignores the archive's
            if info.filename in cleaned:
                out.writestr(info, cleaned[info.filename], zipfile.ZIP_DEFLATED, ZIP_LEVEL)
    return buffer.getvalue(), removed


def _streamed_hazards(name: str, data: bytes) -> list[Hazard]:
    """What cleaning still finds in a streamed part, walked a block at a time as it was
    cleaned (each block is changed as it is read, then dropped: only the findings count)."""
    from pipeline.render.body_stream import stream_document

    checker = BlockCleaner(name, {})  # its links were cleaned with the package's
    try:
        streamed = stream_document([data], checker.take_out, checker.disarm)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InvalidPart(name, str(exc)) from None
    checker.clean([streamed.root])
    return checker.removed


def parse_xml_parts(
    parts: dict[str, bytes], skip: set[str] | frozenset[str] = frozenset()
) -> dict[str, etree._Element]:
    """Every XML part parsed strictly (InvalidPart if one is not well-formed), but those in skip."""
    xml_types = _xml_part_names(parts)
    roots = {}
    for name, data in parts.items():
        if name in xml_types and name not in skip:
            try:
                roots[name] = etree.fromstring(data, safe_parser())
            except etree.XMLSyntaxError as exc:
                raise InvalidPart(name, str(exc)) from None
    return roots


def _xml_part_names(parts: dict[str, bytes]) -> set[str]:
    """Parts that are XML by their name, or by the content type the package gives them."""
    names = {n for n in parts if n.lower().endswith((".xml", ".rels", ".vml"))}
    types = parts.get(_CONTENT_TYPES)
    if types:
        try:
            root = etree.fromstring(types, safe_parser())
        except etree.XMLSyntaxError as exc:
            raise InvalidPart(_CONTENT_TYPES, str(exc)) from None
        by_lower = {n.lower(): n for n in parts}
        for override in root.iter(f"{{{_CT_NS}}}Override"):
            if (override.get("ContentType") or "").lower().endswith("xml"):
                name = by_lower.get(unquote(override.get("PartName", "")).lstrip("/").lower())
                if name:
                    names.add(name)
    return names


def _clean(
    parts: dict[str, bytes], streamed: BlockCleaner | None = None
) -> tuple[dict[str, bytes], list[Hazard]]:
    roots = parse_xml_parts(parts, {streamed.part} if streamed is not None else frozenset())
    removed: list[Hazard] = list(streamed.removed) if streamed is not None else []
    changed: set[str] = set()
    doomed_parts: set[str] = set()
    by_lower = {n.lower(): n for n in parts}
    for rels_part in [n for n in roots if n.endswith(".rels")]:
        ids: set[str] = set()
        root = roots[rels_part]
        for rel in list(root.iter(f"{{{_REL_NS}}}Relationship")):
            rel_type, target = rel.get("Type", ""), rel.get("Target", "")
            external = (rel.get("TargetMode") or "").lower() == "external"
            kind = removed_kind(rel_type, target, external, rels_part)
            if kind is None:
                continue
            if not external:  # a chunk, an embedded object or a control: it goes, with its links
                inside = by_lower.get(_resolve(rels_part, target).lower())
                if inside:
                    doomed_parts.add(inside)
                    doomed_parts.update(n for n in parts if n.lower() == _rels_of(inside).lower())
                target = inside or target
            removed.append(Hazard(rels_part, kind, target))
            ids.add(rel.get("Id", ""))
            root.remove(rel)
            changed.add(rels_part)
        source = _source_part(rels_part)
        if streamed is not None and source == streamed.part:
            if ids != streamed.ids:  # its references were removed for other links
                raise CleaningFailed(f"the links of {source} changed after it was cleaned")
        elif ids and source in roots:
            _remove_references(roots[source], ids)
            changed.add(source)
    for name, root in roots.items():
        if name not in doomed_parts and _clean_tree(name, [root], removed):
            changed.add(name)
    if doomed_parts and _CONTENT_TYPES in roots:
        wanted = {f"/{p}".lower() for p in doomed_parts}
        types = roots[_CONTENT_TYPES]
        for override in list(types.iter(f"{{{_CT_NS}}}Override")):
            if unquote(override.get("PartName", "")).lower() in wanted:
                types.remove(override)
                changed.add(_CONTENT_TYPES)
    cleaned = {
        name: (
            etree.tostring(roots[name], xml_declaration=True, encoding="UTF-8", standalone=True)
            if name in changed
            else data
        )
        for name, data in parts.items()
        if name not in doomed_parts
    }
    return cleaned, removed


def _rels_of(part: str) -> str:
    """The name of a part's relationships part (`word/_rels/document.xml.rels`)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _clean_tree(name: str, blocks: list[etree._Element], removed: list[Hazard]) -> bool:
    """Take mail-merge sources, embedded chunks and risky fields out of blocks; True if any."""
    taken = _take_out_elements(name, blocks, removed)
    return _disarm_fields(name, blocks, removed) or taken


def _take_out_elements(name: str, blocks: list[etree._Element], removed: list[Hazard]) -> bool:
    """Remove mail-merge sources, embedded chunks and VML shapes' addresses from blocks;
    True if there were any."""
    found = [element for block in blocks for element in block.iter(*_REMOVED_ELEMENTS)]
    for element in found:
        target = next(
            (c.get(f"{_W}val", "") for c in element.iter(f"{_W}connectString", f"{_W}query")),
            "",
        )
        removed.append(Hazard(name, _REMOVED_ELEMENTS[element.tag], target or name))
        _detach(element)
    return _take_out_vml_addresses(name, blocks, removed) or bool(found)


def _take_out_vml_addresses(name: str, blocks: list[etree._Element], removed: list[Hazard]) -> bool:
    """Remove every picture address (`src`) from VML shapes, and every click-through address
    (`href`) but a plain web address; True if there were any."""
    taken = False
    for element in (e for block in blocks for e in block.iter(*_VML_ELEMENTS)):
        for attribute, value in list(element.attrib.items()):
            local = attribute.rpartition("}")[2]
            if not value.strip():
                continue
            if local == "src" or (local == "href" and not is_plain_web_address(value)):
                kind = "a linked picture" if local == "src" else "a hyperlink"
                removed.append(Hazard(name, f"{kind} on a drawing", value))
                del element.attrib[attribute]
                taken = True
    return taken


def _disarm_fields(
    name: str, blocks: list[etree._Element], removed: list[Hazard], marks: Iterable | None = None
) -> bool:
    """Empty the instructions of risky fields in blocks, read as one run; True if any."""
    fields = risky_fields(blocks, is_plain_web_address, marks)
    if fields:
        disarm(fields)
        for instruction, _ in fields:
            removed.append(Hazard(name, _field_kind(instruction), _field_target(instruction)))
    return bool(fields)


def _field_kind(instruction: str) -> str:
    if instruction.startswith(BUILT_FROM_FIELD):
        return "a field named by a field"
    return f"{field_name(instruction) or 'an unnamed'} field"


def _field_target(instruction: str) -> str:
    return " ".join(instruction.removeprefix(BUILT_FROM_FIELD).split())


def _resolve(rels_part: str, target: str) -> str:
    """The part a relationship's Target names (word/_rels/x.rels + a.htm -> word/a.htm)."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    folder = rels_part.rpartition("_rels/")[0]
    return posixpath.normpath(folder + target).lstrip("/")


def _source_part(rels_part: str) -> str:
    """word/_rels/document.xml.rels -> word/document.xml; _rels/.rels -> '' (the package)."""
    folder, _, name = rels_part.rpartition("_rels/")
    return folder + name.removesuffix(".rels") if name != ".rels" else ""


def _remove_references(root: etree._Element, ids: set[str]) -> None:
    """Drop references to removed relationships: the attribute if optional, else the element."""
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
        _detach(element)


def _detach(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
