"""A Word template is untrusted input: check its bytes before docxtpl opens it, clean its links after.

The template may come from anywhere (a supplier, an email), so before any
parser sees it eqplan checks, as it does for workbooks (pipeline/input_checks.py),
that it is a real .docx of sensible size with no DOCTYPE in its XML.

Every part is read, so a damaged, encrypted or badly named zip entry is a
clear error here rather than a crash later. What Word would fetch or run
when the plan opens (outside links, altChunk parts, mail-merge sources,
fetching fields) is found by the same walk that removes it from the plan
(render/cleaning.py), and each is reported as a TEMPLATE_EXTERNAL_LINK
warning: the report lists exactly what the plan leaves out.
"""

from __future__ import annotations

import hashlib
import json
import stat
import sys
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

from pipeline import problems
from pipeline.errors import TemplateError
from pipeline.formats import format_number
from pipeline.input_checks import (
    ZIP_ERRORS,
    ZipLimits,
    damaged_zip_entry,
    describe_non_zip,
    is_encrypted,
    unsafe_xml_part,
    zip_too_large,
)
from pipeline.problems import Problem
from pipeline.render.cleaning import Hazard, InvalidPart, find_hazards, is_plain_web_address
from pipeline.render.isolation import safe_parser
from pipeline.text import shortened

__all__ = [
    "check_template",
    "default_cover_template",
    "default_template",
    "is_plain_web_address",
    "read_checked",
]

LAYOUTS = ("rag", "outcomes")
#: The default templates inside an installed eqplan (copied from templates/ by setup.py).
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: templates/ of the eqplan checkout this module is running from, if it is one.
PROJECT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
COVER_TEMPLATE = "cover-report.docx"

#: A Word template's size on disk. Templates are a few hundred KB; logos and fonts add a few MB.
_MB = 1024 * 1024
_W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_TEMPLATE_BYTES = 50 * _MB
#: Once unpacked (checked from the zip directory before anything is inflated).
TEMPLATE_ZIP_LIMITS = ZipLimits(
    entries=1_000, part_bytes=100 * 1024 * 1024, total_bytes=200 * 1024 * 1024, ratio=200
)

# ----------------------------------------------------------------------------- checking


#: Templates found usable in this process, by their state on disk: (path, inode, size, mtime).
_passed: dict[tuple[str, int, int, int], list[Problem]] = {}
#: The hashes of the bytes of every template that passed in this process (read_checked).
_passed_contents: set[str] = set()


def check_template(path: Path) -> list[Problem]:
    """Refuse a template that is not a usable .docx (TemplateError, exit 2); warn of outside links.

    A file that passed is not read again while it is unchanged on disk (build
    checks the template before reading the workbook, and again as it opens it).
    """
    try:
        status = path.stat()
        state = (str(path.resolve()), status.st_ino, status.st_size, status.st_mtime_ns)
    except OSError:
        state = None
    known = _passed.get(state) if state is not None else None
    if known is not None:  # one lookup: another thread of the web server may clear the dict
        return list(known)
    found = [link_removed(path, target, what) for target, what in _links_found(path)]
    if state is not None:
        if len(_passed) >= 16:
            _passed.clear()
        _passed[state] = found
    return list(found)


def _links_found(path: Path) -> list[tuple[str, str]]:
    """What the template links to, (target, what), once it passed every check.

    Checking reads and parses every part (about a tenth of a 100-action build), so a
    template that passed is remembered on disk with the prepared template parts
    (compiled.py: a folder only this user can write), under a hash of its bytes and of
    the code that checks it. A template that fails is checked, and refused, every time,
    and so is one whose bytes changed while it was being checked.
    """
    from pipeline.render.compiled import kept

    content, code = _digest(path), _checking_code()
    if not content:
        return _check_template(path)  # it raises the error the officer should see, if any

    def check() -> str:
        links = _check_template(path)
        if _digest(path) != content:  # replaced while checked: the verdict is not for content
            raise _ChangedWhileChecked(links)
        return json.dumps(links)

    try:
        found = (
            kept("template-links", code, content, check, str, depends_on_renderer=False)
            if code
            else check()
        )
    except _ChangedWhileChecked as changed:
        return changed.links  # and these bytes are never opened (read_checked)
    _passed_contents.add(content)
    return [(target, what) for target, what in json.loads(found)]


def read_checked(path: Path) -> bytes:
    """The template's bytes, which must be bytes that passed check_template in this process.

    The document is opened from these bytes, never from the path again: a template
    rewritten on disk after it was checked (same size and date, even) is refused, not
    filled in unchecked.
    """
    data = _read(path)
    if hashlib.sha256(data).hexdigest() not in _passed_contents:
        raise TemplateError(
            f"The Word template {path} changed while the plan was being made, so no plan was "
            "written.",
            hint="Wait until nobody is saving the template, then run the command again.",
        )
    return data


class _ChangedWhileChecked(Exception):
    """The template's bytes changed while it was checked: its links, but nothing to remember."""

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__("changed while checked")
        self.links = links


def _digest(path: Path) -> str:
    """A hash of the template's bytes, or "" if it cannot be a template."""
    data = _read(path)
    return hashlib.sha256(data).hexdigest() if data else ""


def _read(path: Path) -> bytes:
    """A regular file's bytes (never a pipe's), or b"" if it is empty, too large or unreadable."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode) or not 0 < status.st_size <= MAX_TEMPLATE_BYTES:
            return b""
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError:
        return b""
    return data if len(data) <= MAX_TEMPLATE_BYTES else b""


@cache
def _checking_code() -> str:
    """A hash of what decides whether a template passes and what it is warned of: eqplan's
    checking modules (the parser they use included) and the XML library's version; "" when
    their source cannot be read."""
    from pipeline import input_checks
    from pipeline.render import cleaning, fields, isolation, link_kinds

    digest = hashlib.sha256(repr(etree.LXML_VERSION + etree.LIBXML_VERSION).encode())
    try:
        for module in (
            input_checks,
            cleaning,
            link_kinds,
            fields,
            isolation,
            sys.modules[__name__],
        ):
            digest.update(Path(module.__file__).read_bytes())
    except (OSError, TypeError):  # installed without its source: nothing is remembered
        return ""
    return digest.hexdigest()


def _check_template(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        if path.exists():
            raise TemplateError(
                f"The Word template {path} is not a file (it is a folder, a device or a pipe).",
                hint="Give the path of the template's .docx file.",
            )
        raise TemplateError(f"Word template not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise _not_docx(path, "an empty file")
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            f"The Word template {path} is {size / _MB:,.0f} MB; eqplan accepts templates up to "
            f"{MAX_TEMPLATE_BYTES / _MB:,.0f} MB.",
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
            broken = damaged_zip_entry(archive, infos)
            if broken:
                raise _damaged(path, broken)
            _check_kind(archive, path)
            part = unsafe_xml_part(archive, infos)
            if part:
                raise TemplateError(
                    f"The Word template {path} contains unsafe XML in {part} (a DOCTYPE or entity, "
                    "which Word never writes).",
                    hint="Open it in Word and save a new copy, or ask IT to check where it came from.",
                )
            parts = {info.filename: archive.read(info) for info in infos}
            tracked = _tracked_changes(parts)
            if tracked:
                raise TemplateError(
                    f"The Word template {path} holds tracked changes (in {tracked}): eqplan "
                    "would run the tags in deleted text too, and print the changes marked up "
                    "in every plan.",
                    hint="In Word: Review > Accept > Accept All Changes (or Reject All), turn "
                    "Track Changes off, and save it again.",
                )
            hazards = find_hazards(parts)
    except zipfile.BadZipFile as exc:
        raise _damaged(path, str(exc) or "bad zip") from None
    except UnicodeDecodeError:
        raise _damaged(path, "the name of one of its parts is not valid text") from None
    except InvalidPart as exc:
        raise _damaged(path, f"the part {exc.part} is not well-formed XML: {exc.detail}") from None
    except (*ZIP_ERRORS, etree.XMLSyntaxError) as exc:
        raise _damaged(path, str(exc)) from None
    return [(hazard.target, hazard.what) for hazard in hazards]


#: Word's tracked changes (ECMA-376 Part 1, 17.13.5): of text, of table cells and of
#: formatting, each cleared by Accept All Changes.
_TRACKED = frozenset(
    f"{{{_W_MAIN}}}{name}"
    for name in (
        "ins del moveFrom moveTo delText cellIns cellDel cellMerge numberingChange rPrChange "
        "pPrChange sectPrChange tblPrChange tblPrExChange tcPrChange trPrChange tblGridChange"
    ).split()
)
_GLOSSARY = b"wordprocessingml.document.glossary+xml"


def _tracked_changes(parts: dict[str, bytes]) -> str:
    """The first part holding a tracked change, or ''. Parsed, not searched as text, so any
    prefix bound to Word's namespace is found; already checked safe XML. Every part but the
    building blocks' (the glossary document, by its content type: a second review stored a
    footer under word/glossary/), which are never printed and Accept All does not reach."""
    glossary = _parts_of_type(parts.get("[Content_Types].xml", b""), _GLOSSARY)
    for name, data in parts.items():
        if name in glossary or name.lower().endswith(".rels") or _W_MAIN.encode() not in data:
            continue
        try:
            root = etree.fromstring(data, safe_parser())
        except etree.XMLSyntaxError:
            continue  # said by the checks after this one, as damaged
        if any(element.tag in _TRACKED for element in root.iter()):
            return name
    return ""


def _parts_of_type(types: bytes, content_type: bytes) -> set[str]:
    """The names of the parts [Content_Types].xml gives content_type (its Overrides)."""
    try:
        root = etree.fromstring(types, safe_parser())
    except etree.XMLSyntaxError:
        return set()
    return {
        override.get("PartName", "").lstrip("/")
        for override in root
        if override.get("ContentType", "").encode().endswith(content_type)
    }


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
    if b"purl.oclc.org/ooxml/wordprocessingml/main" in archive.read("word/document.xml")[:4000]:
        raise _not_docx(path, "a Strict Open XML document, which eqplan cannot read")
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


def link_removed(path: Path, target: str, what: str) -> Problem:
    """TEMPLATE_EXTERNAL_LINK: what was taken out of the plan made from the template at path."""
    target = shortened(target, 80)
    return problems.TEMPLATE_EXTERNAL_LINK.at(path=path.name, target=target, what=what)


#: The most links printed by a template's tags that are each listed; the rest are counted.
MAX_PRINTED_LINKS = 20


def printed_links(template: Path, removed: list[Hazard], own: list[Problem]) -> list[Problem]:
    """TEMPLATE_EXTERNAL_LINK for each link or field the template's tags printed (`|safe`).

    No check of the template itself can see them; cleaning took them out of the plan as it
    was rendered (removed, in every language built). The template's own links (own: already
    reported) are not listed again. A tag in a loop may print thousands: the first
    MAX_PRINTED_LINKS are listed, then one warning counts the rest.
    """
    reported = {problem.message for problem in own}
    found = [
        link_removed(template, target, f"{what}, printed by one of its tags")
        for target, what in dict.fromkeys((hazard.target, hazard.what) for hazard in removed)
        if link_removed(template, target, what).message not in reported
    ]
    if len(found) > MAX_PRINTED_LINKS:
        rest = format_number(len(found) - MAX_PRINTED_LINKS)
        found = [
            *found[:MAX_PRINTED_LINKS],
            link_removed(template, f"{rest} more", "printed by its tags"),
        ]
    return found


# ----------------------------------------------------------------------------- shipped


def default_template(layout: str) -> Path:
    """The shipped Word template for a layout: inside the installed package, or in the checkout.

    An installed eqplan carries the defaults in the package (setup.py copies
    them from templates/ when the wheel is built); run from a checkout, they
    are in its templates/ folder, beside make_templates.py. The working
    folder is never searched: a council's own template is always given with
    --template, so no stray file can take its place.
    """
    if layout not in LAYOUTS:
        raise TemplateError(
            f"Unknown layout '{layout}'.", hint=f"Use one of: {', '.join(LAYOUTS)}."
        )
    return _shipped(
        f"action-plan-{layout}.docx", f"the default Word template for the '{layout}' layout"
    )


def default_cover_template() -> Path:
    """The shipped committee cover report template (templates/cover-report.docx), found likewise."""
    return _shipped(COVER_TEMPLATE, "the default cover report template")


def _shipped(name: str, what: str) -> Path:
    """A shipped template: inside the installed package, else in the checkout's templates/."""
    checkout = PROJECT_TEMPLATES if (PROJECT_TEMPLATES / "make_templates.py").is_file() else None
    for folder in (PACKAGED_TEMPLATES, checkout):
        if folder is not None and (folder / name).is_file():
            return folder / name
    raise TemplateError(
        f"{what[0].upper()}{what[1:]} ({name}) is missing from this eqplan installation.",
        hint="Reinstall eqplan (in a copy of the project, run 'make templates' to recreate it), "
        "or pass your own template with --template.",
    )
