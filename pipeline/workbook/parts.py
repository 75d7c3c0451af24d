"""Finding a workbook's parts in its zip the way calamine and Excel find them.

Part names in an Office file are compared without regard to case (Open
Packaging Conventions, ECMA-376 part 2), and calamine looks every part up
that way: with or without a leading slash, relative to the workbook's
folder. A size and safety scan that looked names up exactly would miss a
sheet or shared strings table that calamine still reads (a relationship
naming `sharedstrings.xml` for the entry `xl/SharedStrings.xml`), letting a
huge declared count or a far cell through to a reader that aborts the
process. So each relationship target is resolved here the lenient way, for
the scan, and also the exact way openpyxl uses, because openpyxl silently
skips a sheet whose name does not match exactly. engines.py decides from
both: calamine reads only parts the scan has seen, and openpyxl reads only
when every sheet matches exactly; anything else is a damaged file.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from functools import cached_property

import defusedxml.ElementTree as SafeTree

from pipeline.excel_dates import DateSystem
from pipeline.i18n import _
from pipeline.input_checks import part_key

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
_PACKAGE_RELS = "_rels/.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_STRINGS_TYPE = "sharedStrings+xml"


class PartsDamaged(ValueError):
    """The workbook's list of parts cannot be matched to its zip entries safely."""


@dataclass(frozen=True)
class SheetPart:
    """Where a sheet's XML is: the target as written, the entry found, and if the match is exact."""

    target: str
    entry: str | None  # None when no entry matches, even ignoring case
    exact: bool  # openpyxl finds it (it looks names up exactly)


class Parts:
    """A workbook zip's entries, looked up exactly and as calamine does."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())
        self._folded = {part_key(name): name for name in self.names}

    def find(self, name: str) -> str | None:
        """The entry called name, exactly or else ignoring case; None if there is none."""
        return name if name in self.names else self._folded.get(part_key(name))

    def resolve(self, target: str) -> SheetPart:
        """A workbook relationship target as an entry, found as calamine, Excel and openpyxl do."""
        exact = _openpyxl_name(target)
        lenient = (exact, _calamine_name(target), posixpath.normpath(target.lstrip("/")))
        entry = next((found for name in lenient if (found := self.find(name))), None)
        return SheetPart(target, entry, exact in self.names)

    @cached_property
    def workbook(self) -> SafeTree.Element | None:
        """xl/workbook.xml, parsed once: its sheets, date system and calculation settings."""
        return self.xml(WORKBOOK)

    def xml(self, name: str) -> SafeTree.Element | None:
        entry = self.find(name)
        return None if entry is None else SafeTree.fromstring(self.archive.read(entry))

    def relationships(self) -> list[tuple[str, str, str]]:
        """The workbook's relationships as (id, type, target)."""
        rels = self.xml(WORKBOOK_RELS)
        if rels is None:
            return []
        return [
            (rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", ""))
            for rel in rels.iter(f"{_PKG_REL}Relationship")
        ]

    def sheets(self) -> dict[str, SheetPart]:
        """Each sheet's part, by sheet name, in workbook order."""
        self.check_workbook_place()
        workbook = self.workbook
        if workbook is None:
            return {}
        targets = {rel_id: target for rel_id, _type, target in self.relationships()}
        parts = {}
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_REL}id"), "")
            if target:
                parts[sheet.get("name", "")] = self.resolve(target)
        return parts

    def date_system(self) -> DateSystem:
        """The date system the workbook counts its days in: 1904 when its `workbookPr` says
        `date1904="1"` (old Excel for Mac), else 1900; read as calamine reads it, and given
        to openpyxl too, so both engines and eqplan's own reading of numbers agree."""
        workbook = self.workbook
        settings = None if workbook is None else workbook.find(f"{_MAIN}workbookPr")
        return DateSystem.of_workbook(None if settings is None else settings.get("date1904"))

    def results_stale(self) -> bool:
        """Whether the workbook asks to be recalculated in full when opened (`fullCalcOnLoad`).

        Programs that write formulas without calculating them set it: XlsxWriter stores
        each result as 0 for Excel to replace, so such a result is no value the officer
        saw. Excel and LibreOffice do not keep it when they save a workbook.
        """
        workbook = self.workbook
        settings = None if workbook is None else workbook.find(f"{_MAIN}calcPr")
        return settings is not None and settings.get("fullCalcOnLoad", "").strip() in ("1", "true")

    def defined_names(self) -> list[tuple[str, str]]:
        """The workbook's defined names as (name, formula): a cell may reach outside through one."""
        workbook = self.workbook
        if workbook is None:
            return []
        return [
            (name.get("name", ""), name.text or "") for name in workbook.iter(f"{_MAIN}definedName")
        ]

    def outside_links(self) -> list[str]:
        """What each of the workbook's external link parts names: another workbook's address,
        a DDE program and topic (`cmd|/C calc`) or an OLE program, as Excel would offer to
        update them when the workbook is opened. eqplan only reads these names."""
        links = []
        for _id, kind, target in self.relationships():
            if kind.endswith("/externalLink"):
                entry = self.resolve(target).entry
                links.append((self._link_named(entry) if entry else "") or target)
        return links

    def _link_named(self, entry: str) -> str:
        """What the external link part entry links to, or '' if it cannot be told."""
        try:
            link = self.xml(entry)
            book = None if link is None else link.find(f"{_MAIN}externalBook")
            if book is not None:
                folder, name = posixpath.split(entry)
                rels = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
                wanted = book.get(f"{_REL}id")
                for rel in [] if rels is None else rels.iter(f"{_PKG_REL}Relationship"):
                    if rel.get("Id") == wanted:
                        return rel.get("Target", "")
            for element in [] if link is None else link:
                if element.tag == f"{_MAIN}ddeLink":
                    return f"{element.get('ddeService', '')}|{element.get('ddeTopic', '')}"
                if element.tag == f"{_MAIN}oleLink":
                    return element.get("progId", "")
        except Exception:  # noqa: BLE001 - a damaged link part is still a link; say where it is
            return ""
        return ""

    def shared_strings(self) -> set[str]:
        """Every entry a reader may take for the shared strings table.

        calamine reads `xl/sharedStrings.xml` ignoring case, openpyxl the part
        the content types name; the relationship may name another. All are scanned.
        """
        names = [SHARED_STRINGS]
        names += [
            target for _id, kind, target in self.relationships() if kind.endswith("/sharedStrings")
        ]
        types = self.xml(_CONTENT_TYPES)
        if types is not None:
            names += [
                override.get("PartName", "")
                for override in types.iter(f"{_TYPES}Override")
                if override.get("ContentType", "").endswith(_STRINGS_TYPE)
            ]
        found = {self.resolve(name).entry for name in names if name}
        return {entry for entry in found if entry}

    def check_workbook_place(self) -> None:
        """Refuse a package whose workbook is not at xl/workbook.xml, where Excel keeps it.

        calamine reads the workbook the package relationships name and openpyxl
        the one the content types name; were either elsewhere, the scan here
        would look at a different workbook from the one read.
        """
        rels = self.xml(_PACKAGE_RELS)
        places = []
        if rels is not None:
            places += [
                rel.get("Target", "")
                for rel in rels.iter(f"{_PKG_REL}Relationship")
                if rel.get("Type", "").endswith("/officeDocument")
            ]
        types = self.xml(_CONTENT_TYPES)
        if types is not None:
            places += [
                override.get("PartName", "")
                for override in types.iter(f"{_TYPES}Override")
                if override.get("ContentType", "").endswith("main+xml")
            ]
        for place in places:
            if part_key(place.lstrip("/")) != WORKBOOK:
                raise PartsDamaged(
                    _("its workbook part is '%(place)s', not %(part)s")
                    % {"place": place[:60], "part": WORKBOOK}
                )


def _openpyxl_name(target: str) -> str:
    """The entry openpyxl opens for a target: absolute without its slash, else from xl/."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join("xl", target))


def _calamine_name(target: str) -> str:
    """The name calamine looks up (ignoring case) for a target of the workbook in xl/."""
    return target.removeprefix("/") if target.startswith("/") else "xl/" + target


def skipped_by_openpyxl(sheets: dict[str, SheetPart]) -> str:
    """Why openpyxl would leave a sheet out (its part not named exactly), or '' if it would not."""
    inexact = [name for name, part in sheets.items() if not part.exact]
    if not inexact:
        return ""
    return _("the part holding sheet '%(sheet)s' is not named as the workbook lists it") % {
        "sheet": inexact[0]
    }
