"""Hostile cases: a workbook's zip entries and part names (issue 9, attacker findings 4 and 5).

Office part names are compared without case, and calamine finds a part that
way: a relationship naming `sharedstrings.xml` reaches the entry
`xl/SharedStrings.xml`. The size and safety scan must find the same parts,
or a huge declared count or a far cell reaches calamine and aborts the
process (exit 134, no `Error:` line). Zip entries that are encrypted,
corrupt, doubled or not UTF-8 named must give FILE_DAMAGED, never a traceback.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.workbook.engines import _sheet_parts
from tests.bad_inputs.hostile import HostileCase
from tests.bad_inputs.hostile_xml import (
    FAR_CELL,
    MAIN_NS,
    add_before_sheet_end,
    replace_cell,
    replace_row_tag,
    then,
)
from tests.conftest import write_plan_workbook

Parts = dict[str, bytes]
STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RELS = "xl/_rels/workbook.xml.rels"


def repackaged(change: Callable[[Parts], Parts], folder: Path) -> Path:
    """A good plan.xlsx rewritten with its parts (name -> bytes, in zip order) changed."""
    source = write_plan_workbook(folder / "source.xlsx")
    with zipfile.ZipFile(source) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    source.unlink()
    target = folder / "plan.xlsx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in change(parts).items():
            new.writestr(name, data)
    return target


def sheet_entry(parts: Parts, sheet: str) -> str:
    """The entry holding a sheet, found through the workbook's relationships."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with zipfile.ZipFile(buffer) as archive:
        return _sheet_parts(archive)[sheet]


def sheet_target_recased(
    sheet: str, change: Callable[[bytes], bytes] = lambda data: data
) -> Callable[[Parts], Parts]:
    """Change a sheet's XML and name it in the relationships in other capitals."""

    def edit(parts: Parts) -> Parts:
        entry = sheet_entry(parts, sheet)
        parts[entry] = change(parts[entry])
        written = f'Target="/{entry}"'.encode()
        assert written in parts[RELS], parts[RELS]
        recased = f'Target="/{entry.replace("worksheets", "Worksheets").upper()}"'
        parts[RELS] = parts[RELS].replace(written, recased.encode())
        return parts

    return edit


def strings_in_other_case(declared: str) -> Callable[[Parts], Parts]:
    """Action D2 from a shared strings table at xl/SharedStrings.xml, its target lower-case."""

    def edit(parts: Parts) -> Parts:
        entry = sheet_entry(parts, "Actions")
        parts[entry] = replace_cell("D2", b'<c r="D2" t="s"><v>0</v></c>')(parts[entry])
        parts["xl/SharedStrings.xml"] = (
            b'<sst xmlns="' + MAIN_NS + b'" count="1" uniqueCount="' + declared.encode() + b'">'
            b"<si><t>Share the ward profiles.</t></si></sst>"
        )
        parts[RELS] = parts[RELS].replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Target="sharedstrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            b"</Relationships>",
        )
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/SharedStrings.xml" ContentType="'
            + STRINGS_TYPE
            + b'"/></Types>',
        )
        return parts

    return edit


def workbook_elsewhere(parts: Parts) -> Parts:
    """The package says the workbook is other/workbook.xml, a copy the scan would not read."""
    parts["other/workbook.xml"] = parts["xl/workbook.xml"]
    parts["_rels/.rels"] = (
        parts["_rels/.rels"]
        .replace(b'Target="xl/workbook.xml"', b'Target="other/workbook.xml"')
        .replace(b'Target="/xl/workbook.xml"', b'Target="/other/workbook.xml"')
    )
    assert b"other/workbook.xml" in parts["_rels/.rels"]
    return parts


def twin_entries(parts: Parts) -> Parts:
    """The Actions sheet stored twice, the second copy under a name in other capitals."""
    entry = sheet_entry(parts, "Actions")
    parts[entry.upper()] = parts[entry]
    return parts


# Where a local header (PK 3 4) and a central directory header (PK 1 2) keep their
# general-purpose flags, name length and name.
_HEADERS = ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46))
Patch = Callable[[bytearray, int, slice], None]  # (data, flags offset, name bytes)


def zip_bytes(path: Path, entry: str, change: Patch) -> None:
    """Patch both headers of entry in the zip's bytes with change."""
    data = bytearray(path.read_bytes())
    name = entry.encode()
    for signature, flags_at, name_length_at, name_at in _HEADERS:
        start = data.find(signature)
        while start >= 0:
            length = struct.unpack_from("<H", data, start + name_length_at)[0]
            where = slice(start + name_at, start + name_at + length)
            if data[where] == name:
                change(data, start + flags_at, where)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


def _flag(data: bytearray, at: int, flag: int) -> None:
    struct.pack_into("<H", data, at, struct.unpack_from("<H", data, at)[0] | flag)


def encrypted_flag(data: bytearray, flags_at: int, name: slice) -> None:
    _flag(data, flags_at, 0x1)


def bad_utf8_name(data: bytearray, flags_at: int, name: slice) -> None:
    """Flag the name as UTF-8 and end it with two bytes UTF-8 cannot hold (same length)."""
    _flag(data, flags_at, 0x800)
    data[name.stop - 2 : name.stop] = b"\xff\xfe"


def corrupt_data(path: Path, entry: str) -> None:
    """Overwrite the start of entry's deflate data with 0xFF bytes (an invalid block type)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(entry)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start : start + min(64, info.compress_size)] = b"\xff" * min(64, info.compress_size)
    path.write_bytes(bytes(data))


def damaged(how: str) -> Callable[[Path], Path]:
    """A good plan.xlsx with its Actions sheet entry encrypted-flagged, corrupt or misnamed."""

    def make(folder: Path) -> Path:
        path = repackaged(lambda parts: parts, folder)
        with zipfile.ZipFile(path) as archive:
            actions = _sheet_parts(archive)["Actions"]
        if how == "encrypted":
            zip_bytes(path, actions, encrypted_flag)
        elif how == "corrupt":
            corrupt_data(path, actions)
        else:
            zip_bytes(path, "docProps/app.xml", bad_utf8_name)
        return path

    return make


def command(make: Callable[[Path], Path], *args: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        make(folder)
        return [args[0], "plan.xlsx", *args[1:]]

    return setup


def parts_changed(change: Callable[[Parts], Parts], *args: str) -> Callable[[Path], list[str]]:
    return command(lambda folder: repackaged(change, folder), *args)


BAD_SHEET = then(
    replace_cell("H2", b'<c r="H2" t="e"><v>#REF!</v></c>'),
    replace_cell("D2", b'<c r="D2"><f>A1&amp;B1</f></c>'),
    replace_row_tag(2, b'<row r="2" hidden="1">'),
)

CASES: list[HostileCase] = [
    HostileCase(
        "zip-shared-strings-named-in-other-case",
        "shared strings at xl/SharedStrings.xml, named sharedstrings.xml, claiming 4 billion "
        "strings: calamine finds it ignoring case and would reserve 96 GB",
        parts_changed(strings_in_other_case("4000000000"), "validate", "--format", "json"),
        exit_code=0,
        says=('"valid": true',),
        never_says=("memory allocation",),
        subprocess=True,
    ),
    HostileCase(
        "zip-shared-strings-in-other-case-read",
        "the same table with an honest count: its text is read as the action (D2)",
        parts_changed(strings_in_other_case("1"), "validate"),
        exit_code=0,
        says=("OK:", "1 action read"),
        never_says=("ACTION_MISSING",),
        subprocess=True,
    ),
    HostileCase(
        "zip-far-cell-in-sheet-named-in-other-case",
        "a cell at XFD1048576 in the Owners sheet, named /XL/WORKSHEETS/... in the relationships",
        parts_changed(sheet_target_recased("Owners", add_before_sheet_end(FAR_CELL)), "validate"),
        exit_code=2,
        says=(
            "is damaged",
            "the part holding sheet 'Owners' is not named as the workbook lists it",
        ),
        never_says=("memory allocation",),
        subprocess=True,
    ),
    HostileCase(
        "zip-sheet-named-in-other-case-checked",
        "an Actions sheet named in other capitals, with a #REF! rating, a formula never "
        "calculated and a hidden row: all three are reported",
        parts_changed(sheet_target_recased("Actions", BAD_SHEET), "validate"),
        exit_code=1,
        says=("Actions!H2", "CELL_ERROR_VALUE", "Actions!D2", "FORMULA_NO_VALUE", "HIDDEN_ROWS"),
        subprocess=True,
    ),
    HostileCase(
        "zip-workbook-part-elsewhere",
        "the package names other/workbook.xml as the workbook, not xl/workbook.xml",
        parts_changed(workbook_elsewhere, "validate"),
        exit_code=2,
        says=("is damaged", "its workbook part is 'other/workbook.xml'"),
        subprocess=True,
    ),
    HostileCase(
        "zip-twin-entries",
        "the Actions sheet stored twice, under names differing only in capitals",
        parts_changed(twin_entries, "validate"),
        exit_code=2,
        says=("is damaged", "twice (under names differing in capitals)"),
        subprocess=True,
    ),
    HostileCase(
        "zip-entry-encrypted-flag",
        "the Actions sheet's entry marked encrypted: zipfile raises RuntimeError",
        command(damaged("encrypted"), "validate"),
        exit_code=2,
        says=("is damaged", "is encrypted"),
        subprocess=True,
    ),
    HostileCase(
        "zip-entry-corrupt-deflate",
        "the Actions sheet's compressed data overwritten: zlib.error",
        command(damaged("corrupt"), "build", "-o", "out"),
        exit_code=2,
        says=("is damaged", "compressed data of one of its parts is corrupt"),
        never_says=("zlib",),
        must_not_exist=("out",),
        subprocess=True,
    ),
    HostileCase(
        "zip-entry-name-not-utf8",
        "an entry name flagged UTF-8 that is not: UnicodeDecodeError when the zip is opened",
        command(damaged("name"), "summary"),
        exit_code=2,
        says=("is damaged", "name of one of its parts is not readable text"),
        never_says=("codec",),
        subprocess=True,
    ),
    HostileCase(
        "zip-sheet-named-in-other-case-not-annotated",
        "--annotate on that workbook: openpyxl would write a marked copy without the Actions sheet",
        parts_changed(sheet_target_recased("Actions", BAD_SHEET), "validate", "--annotate"),
        exit_code=2,
        says=(
            "is damaged",
            "the part holding sheet 'Actions' is not named as the workbook lists it",
        ),
        must_not_exist=("outputs/plan-checked.xlsx",),
        subprocess=True,
    ),
]
