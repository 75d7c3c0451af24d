"""Hostile cases: sheet XML in forms Excel's reader accepts but a byte scan may not (issue 9).

Each workbook starts as a good plan and has one sheet's XML rewritten in a
form XML allows: single-quoted attributes, spaces around `=`, namespace
prefixes, cells and rows without `r=` positions. Whatever the form, errors
must be found at the right cell, hidden rows noticed, and a stray far cell
must never abort the process. The transforms are shared with
tests/workbook/test_engines.py.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.workbook.engines import _sheet_parts
from tests.bad_inputs.catalogue import _rewrite
from tests.bad_inputs.hostile import HostileCase
from tests.conftest import action_row, write_bomb, write_plan_workbook

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# One stray value in the last cell of the sheet, written with single quotes (valid XML).
FAR_CELL = b"<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>"
# The same far cell with no row around it: calamine still reads it.
STRAY_CELL = b"<c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c>"
# A deadline cell (date format) holding a serial far before any date: calamine panics.
IMPOSSIBLE_DATE = b'<c r="F2" s="17" t="n"><v>-1e308</v></c>'


def _stored_as_excel_does(data: bytes) -> bytes:
    """Check the sheet holds the typed escape in Excel's own stored form, unchanged."""
    assert b"_x005F_x0041_" in data
    return data


# Text an officer typed as _x0041_; the writer stores it as Excel does (_x005F_x0041_).
TYPED_ESCAPE = "_x0041_"


def add_before_sheet_end(xml: bytes) -> Callable[[bytes], bytes]:
    """A change adding xml as the last rows of the sheet."""
    return lambda data: data.replace(b"</sheetData>", xml + b"</sheetData>", 1)


def add_after_sheet_data(xml: bytes) -> Callable[[bytes], bytes]:
    """A change adding xml straight after the sheet's cells (where mergeCells belongs)."""
    return lambda data: data.replace(b"</sheetData>", b"</sheetData>" + xml, 1)


def replace_cell(ref: str, xml: bytes) -> Callable[[bytes], bytes]:
    """A change replacing the cell at ref (as openpyxl writes it) with xml."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)

    def change(data: bytes) -> bytes:
        changed, count = pattern.subn(xml, data, count=1)
        assert count == 1, f"no cell {ref} to replace"
        return changed

    return change


def replace_row_tag(number: int, tag: bytes) -> Callable[[bytes], bytes]:
    """A change replacing the start tag of row number with tag."""
    pattern = re.compile(rb'<row r="' + str(number).encode() + rb'"[^>]*>')

    def change(data: bytes) -> bytes:
        changed, count = pattern.subn(tag, data, count=1)
        assert count == 1, f"no row {number}"
        return changed

    return change


def drop_positions(row: int, columns: str) -> Callable[[bytes], bytes]:
    """A change removing r= from the given cells of a row (their positions are then inferred)."""

    def change(data: bytes) -> bytes:
        for letter in columns:
            data = data.replace(f'<c r="{letter}{row}"'.encode(), b"<c", 1)
        return data

    return change


def with_prefix(data: bytes) -> bytes:
    """Write every element of the sheet with an `x:` prefix bound to the main namespace."""
    data = data.replace(b'xmlns="' + MAIN_NS + b'"', b'xmlns:x="' + MAIN_NS + b'"', 1)
    return re.sub(rb"<(/?)([A-Za-z][\w.-]*)(?=[\s/>])", rb"<\1x:\2", data)


def then(*changes: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """Apply changes in order."""

    def change(data: bytes) -> bytes:
        for step in changes:
            data = step(data)
        return data

    return change


def two_actions() -> list[dict[str, object]]:
    return [
        action_row(ref="A1", strand="Race equality"),
        action_row(ref="A2", action="Train staff on the new policy.", strand="Race equality"),
    ]


def rewritten(change: Callable[[bytes], bytes], sheet: str = "Actions", **kwargs) -> Callable:
    """A setup making plan.xlsx with one sheet's XML changed, returning `validate plan.xlsx`."""
    make = _rewrite(f"sheet:{sheet}", change, **kwargs)

    def setup(folder: Path) -> list[str]:
        make(folder)
        (folder / "source.xlsx").unlink()
        return ["validate", "plan.xlsx"]

    return setup


def long_text_plan(folder: Path) -> Path:
    """4 columns x 25 rows of 32,767 repetitive characters: squeezes over 200 times, all legitimate."""
    text = ("Agreed. " * 4_100)[:32_767]
    rows = [
        action_row(ref=f"L{n}", evidence=text, action=text, outcome=text, progress=text)
        for n in range(1, 26)
    ]
    return write_plan_workbook(folder / "plan.xlsx", actions=rows)


def _understate_size(path: Path, part: str, declared: int) -> None:
    """Rewrite the zip's local and central headers so part claims to unzip to `declared` bytes."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    start = data.find(b"PK\x01\x02")
    while start >= 0:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length] == name:
            struct.pack_into("<I", data, start + 24, declared)
            local = struct.unpack_from("<I", data, start + 42)[0]
            struct.pack_into("<I", data, local + 22, declared)
        start = data.find(b"PK\x01\x02", start + 4)
    path.write_bytes(data)


def _lying_bomb(folder: Path) -> list[str]:
    """The Actions sheet really unzips to 120 MB of rows but its headers claim 5 KB."""
    rows = b"<row/>" * 20_000_000
    make = _rewrite("sheet:Actions", add_before_sheet_end(rows))
    path = make(folder)
    (folder / "source.xlsx").unlink()
    with zipfile.ZipFile(path) as archive:
        part = _sheet_parts(archive)["Actions"]
    _understate_size(path, part, 5_000)
    return ["validate", "plan.xlsx"]


def shared_strings_plan(folder: Path, declared: str) -> Path:
    """A plan whose action text in D2 comes from a shared strings table declaring `declared` strings.

    openpyxl writes text inline, so the table, its relationship and its
    content type are added here, as Excel would write them.
    """
    source = write_plan_workbook(folder / "source.xlsx")
    target = folder / "plan.xlsx"
    table = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="'
        + MAIN_NS
        + b'" count="1" uniqueCount="'
        + declared.encode()
        + b'"><si><t>Shared text _x005F_x0041_ kept.</t></si></sst>'
    )
    relationship = (
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    content_type = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    with zipfile.ZipFile(source) as old:
        actions = _sheet_parts(old)["Actions"]
        changes = {
            actions: replace_cell("D2", b'<c r="D2" t="s"><v>0</v></c>'),
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(
                b"</Relationships>", relationship + b"</Relationships>"
            ),
            "[Content_Types].xml": lambda d: d.replace(b"</Types>", content_type + b"</Types>"),
        }
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
            for item in old.infolist():
                data = old.read(item.filename)
                new.writestr(item, changes.get(item.filename, lambda d: d)(data))
            new.writestr("xl/sharedStrings.xml", table)
    source.unlink()
    return target


def _huge_string_count(folder: Path) -> list[str]:
    shared_strings_plan(folder, "4000000000")
    return ["validate", "plan.xlsx", "--format", "json"]


def _build_long_text(folder: Path) -> list[str]:
    long_text_plan(folder)
    return ["build", "plan.xlsx", "-o", "out"]


def _bomb(folder: Path) -> list[str]:
    write_bomb(folder / "plan.xlsx")
    return ["validate", "plan.xlsx"]


# A council name as the attacker wrote it: CSI clears the screen, OSC 8 makes a hidden link.
C1_COUNCIL = "Testshire\x9b2J\x9b31mRED\x9d8;;http://evil/\x9cclick\x9d8;;\x9c Council ŵŷ 😀"
C1_SEEN = ("\x9b", "\x9c", "\x9d")


def _c1_plan(folder: Path, args: list[str]) -> list[str]:
    write_plan_workbook(folder / "plan.xlsx", plan={"council": C1_COUNCIL})
    return args


CASES: list[HostileCase] = [
    HostileCase(
        "xml-far-cell-single-quotes",
        "one stray value in XFD1048576, written with single quotes: calamine would abort",
        rewritten(add_before_sheet_end(FAR_CELL)),
        exit_code=0,
        says=("OK:", "1 action read"),
        subprocess=True,
    ),
    HostileCase(
        "xml-far-cell-outside-any-row",
        "the far cell placed straight in the sheet data, with no row around it",
        rewritten(lambda data: data.replace(b"<sheetData>", b"<sheetData>" + STRAY_CELL, 1)),
        exit_code=0,
        says=("OK:", "1 action read"),
        subprocess=True,
    ),
    HostileCase(
        "xml-error-cell-single-quotes",
        "a #REF! error cell written t='e'",
        rewritten(replace_cell("D2", b"<c r='D2' t='e'><v>#REF!</v></c>")),
        exit_code=1,
        says=("Actions!D2", "CELL_ERROR_VALUE", "#REF!"),
        subprocess=True,
    ),
    HostileCase(
        "xml-formula-no-value-single-quotes",
        "a formula never calculated, written with single quotes and spaces around =",
        rewritten(replace_cell("D2", b"<c r = 'D2' t = 'str'><f>UPPER(C2)</f></c>")),
        exit_code=1,
        says=("Actions!D2", "FORMULA_NO_VALUE"),
        subprocess=True,
    ),
    HostileCase(
        "xml-cells-without-positions",
        "cells A3 to D3 without r=, D3 an error: Excel places each after the one before",
        rewritten(
            then(
                replace_cell("D3", b"<c r='D3' t='e'><v>#N/A</v></c>"),
                drop_positions(3, "ABCD"),
            ),
            actions=two_actions(),
        ),
        exit_code=1,
        says=("Actions!D3", "CELL_ERROR_VALUE", "#N/A"),
        subprocess=True,
    ),
    HostileCase(
        "xml-hidden-rows-both-spellings",
        "row 2 hidden='1' and row 3 hidden=\"true\": both are hidden rows",
        rewritten(
            then(
                replace_row_tag(2, b"<row r='2' hidden='1'>"),
                replace_row_tag(3, b'<row r = "3" hidden = "true">'),
            ),
            actions=two_actions(),
        ),
        exit_code=0,
        says=("HIDDEN_ROWS", "Rows 2 to 3 are hidden"),
    ),
    HostileCase(
        "xml-namespace-prefix",
        "every element written x:row, x:c ..., with a #DIV/0! error and a hidden row",
        rewritten(
            then(
                replace_cell("D2", b'<c r="D2" t="e"><v>#DIV/0!</v></c>'),
                replace_row_tag(3, b"<row r='3' hidden='true'>"),
                with_prefix,
            ),
            actions=two_actions(),
        ),
        exit_code=1,
        says=("Actions!D2", "CELL_ERROR_VALUE", "#DIV/0!", "Row 3 is hidden", "2 actions read"),
        subprocess=True,
    ),
    HostileCase(
        "xml-typed-escape-stays-literal",
        "a status typed as _x0041_ (stored _x005F_x0041_) is not decoded twice to 'A'",
        rewritten(_stored_as_excel_does, sheet="Plan", plan={"status": TYPED_ESCAPE}),
        exit_code=0,
        says=("Plan!B9", 'Status "_x0041_" is not Draft or Final'),
        never_says=('Status "A"', "Status 'A'"),
    ),
    HostileCase(
        "xml-long-text-builds",
        "100 cells of 32,767 repetitive characters squeeze over 200 times: still a plan",
        _build_long_text,
        exit_code=0,
        says=("All 25 actions are in the plan", "Wrote out/plan.docx"),
        never_says=("FILE_TOO_LARGE", "too large"),
    ),
    HostileCase(
        "xml-zip-bomb-refused",
        "a sheet that would unzip to 1 GB is refused before it is inflated",
        _bomb,
        exit_code=2,
        says=("too large", "unzips to 1,07", "the limit is 100 MB"),
        subprocess=True,
        timeout=60,
    ),
    HostileCase(
        "xml-zip-bomb-lying-about-its-size",
        "a sheet claiming 5 KB that really unzips to 120 MB: no reader inflates past the claim",
        _lying_bomb,
        exit_code=2,
        says=("damaged", "Bad CRC-32"),
        subprocess=True,
        timeout=60,
    ),
    HostileCase(
        "xml-shared-strings-claiming-four-billion",
        "a shared strings table whose uniqueCount says 4,000,000,000: calamine would reserve 96 GB",
        _huge_string_count,
        exit_code=0,
        says=('"valid": true',),
        subprocess=True,
    ),
    HostileCase(
        "xml-merged-to-the-last-row",
        "a framework point merged from B2 down to row 1,048,576 adds no million empty actions",
        rewritten(
            add_after_sheet_data(
                b'<mergeCells count="1"><mergeCell ref="B2:B1048576"/></mergeCells>'
            )
        ),
        exit_code=0,
        says=("MERGED_CELLS", "1 action read"),
        subprocess=True,
        timeout=60,
    ),
    HostileCase(
        "xml-impossible-date-serial",
        "a date cell holding -1e308 days, which makes calamine panic with a Python traceback",
        rewritten(replace_cell("F2", IMPOSSIBLE_DATE)),
        exit_code=1,
        says=("Actions!F2", "CELL_ERROR_VALUE", "#VALUE!"),
        subprocess=True,
    ),
    HostileCase(
        "text-c1-controls-in-summary",
        "a council name holding CSI, OSC-hyperlink and ST characters (U+009B, U+009D, U+009C)",
        lambda folder: _c1_plan(folder, ["summary", "plan.xlsx"]),
        exit_code=0,
        says=("Testshire2J31mRED8;;http://evil/click8;; Council ŵŷ 😀",),
        never_says=C1_SEEN,
    ),
    HostileCase(
        "text-c1-controls-in-validate-json",
        "the same council name in validate's JSON: no escaped C1 either",
        lambda folder: _c1_plan(folder, ["validate", "plan.xlsx", "--format", "json"]),
        exit_code=0,
        says=("TEXT_CONTROL_CHARS", "Plan!"),
        never_says=(*C1_SEEN, "\\u009b", "\\u009d"),
    ),
    HostileCase(
        "text-c1-controls-in-build",
        "and in build's output",
        lambda folder: _c1_plan(folder, ["build", "plan.xlsx", "-o", "out"]),
        exit_code=0,
        says=("Wrote out/",),
        never_says=C1_SEEN,
    ),
    HostileCase(
        "text-c1-controls-in-error-value",
        "an error cell whose value carries a CSI sequence: the message shows it without it",
        rewritten(replace_cell("H2", b'<c r="H2" t="e"><v>#REF!\xc2\x9b2J</v></c>')),
        exit_code=1,
        says=("Actions!H2", "CELL_ERROR_VALUE", '"#REF!2J"'),
        never_says=C1_SEEN,
        subprocess=True,
    ),
]
