"""The bad-input catalogue: workbooks officers (and attackers) might really send, and what must happen.

Each case makes its file with code (never by hand) and states its expected
result: unreadable with a FILE_* code (exit 2), an error at a cell (exit 1,
nothing built), a warning at a cell (plan built), or a plan built with given
text appearing literally. `test_catalogue.py` checks every case through the
command line; `python -m tests.bad_inputs.generate DIR` writes the files out
for a person to open.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.utils.datetime import MAC_EPOCH

from pipeline.workbook.engines import _sheet_parts
from tests.conftest import action_row, as_stored, write_bomb, write_plan_workbook


@dataclass(frozen=True)
class Expect:
    """The expected result of one case."""

    outcome: str  # "unreadable", "error", "warning" or "builds"
    code: str = ""
    where: str = ""  # e.g. "Actions!H2"; empty when the problem has no cell
    text: tuple[str, ...] = ()  # literal text the built plan must contain

    def __post_init__(self) -> None:
        assert self.outcome in ("unreadable", "error", "warning", "builds")


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    make: Callable[[Path], Path]
    expect: Expect
    args: tuple[str, ...] = field(default=())


def _plan(**kwargs) -> Callable[[Path], Path]:
    return lambda folder: write_plan_workbook(folder / "plan.xlsx", **kwargs)


def _edit(function: Callable, **kwargs) -> Callable[[Path], Path]:
    return _plan(edit=function, **kwargs)


def _rewrite(
    part: str, change: Callable[[bytes], bytes], name: str = "plan.xlsx", **kwargs
) -> Callable[[Path], Path]:
    """Make a good workbook, then change one XML part (or `sheet:Name`) inside the zip."""

    def make(folder: Path) -> Path:
        source = write_plan_workbook(folder / "source.xlsx", **kwargs)
        target = folder / name
        nonlocal part
        if part.startswith("sheet:"):
            with zipfile.ZipFile(source) as archive:
                part = _sheet_parts(archive)[part.removeprefix("sheet:")]
        with (
            zipfile.ZipFile(source) as old,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new,
        ):
            for item in old.infolist():
                data = old.read(item.filename)
                new.writestr(item, change(data) if item.filename == part else data)
        return target

    return make


def as_excel_saves(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """make's workbook with the calculation settings Excel saves: openpyxl asks for a full
    calculation on opening (fullCalcOnLoad), which Excel does not keep once it has
    calculated, and which makes eqplan distrust every stored formula result."""

    def made(folder: Path) -> Path:
        path = make(folder)
        with zipfile.ZipFile(path) as archive:
            parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for item, data in parts:
                if item.filename == "xl/workbook.xml":
                    data = re.sub(rb'\s+fullCalcOnLoad="[^"]*"', b"", data)
                archive.writestr(item, data)
        return path

    return made


def _excel_escapes(**kwargs) -> Callable[[Path], Path]:
    """A plan whose `_xHHHH_` text is stored as Excel stores control characters (conftest.as_stored)."""
    return lambda folder: as_stored(write_plan_workbook(folder / "plan.xlsx", **kwargs))


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _zip(name: str, parts: dict[str, bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, data in parts.items():
                archive.writestr(part, data)
        return path

    return make


def _encrypted(folder: Path) -> Path:
    source = write_plan_workbook(folder / "source.xlsx")
    out = io.BytesIO()
    with source.open("rb") as handle:
        OOXMLFile(handle).encrypt("council-secret", out)
    target = folder / "locked.xlsx"
    target.write_bytes(out.getvalue())
    return target


def _word_document(folder: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("This is a Word document, not a workbook.")
    path = folder / "plan.xlsx"
    document.save(path)
    return path


def _truncated(folder: Path) -> Path:
    source = write_plan_workbook(folder / "source.xlsx")
    path = folder / "plan.xlsx"
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return path


def _xlsm(folder: Path) -> Path:
    source = write_plan_workbook(folder / "source.xlsx")
    target = folder / "plan.xlsm"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 pretend macros")
    return target


def _no_extension(folder: Path) -> Path:
    source = write_plan_workbook(folder / "source.xlsx")
    target = folder / "plan"
    target.write_bytes(source.read_bytes())
    return target


def _directory(folder: Path) -> Path:
    path = folder / "a-folder.xlsx"
    path.mkdir()
    return path


def _stored_formula(formula: str):
    """The plan with formula in Actions!D2 and a stored result, as Excel saves it."""
    return as_excel_saves(
        _rewrite("sheet:Actions", _cached_formula, edit=_set("Actions", "D2", formula))
    )


def _cached_formula(data: bytes) -> bytes:
    """Give the formula in D2 a cached text result, as Excel would have saved it."""
    return re.sub(
        rb'<c r="D2"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
        rb'<c r="D2" t="str"><f>\2</f><v>Shared with managers.</v>',
        data,
    )


DDE = "=cmd|' /C calc'!A0"
_LINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink"
_LINK_PART = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<ddeLink ddeService="cmd" ddeTopic="/C calc"><ddeItems><ddeItem name="A0"/></ddeItems>'
    b"</ddeLink></externalLink>"
)


def _with_external_link(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """make's workbook with an external link part (a DDE link to cmd) that no cell uses, as
    Excel keeps one: the part, its relationship, its content type and its workbook entry."""
    additions = {
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Id="rIdLink1" Type="{_LINK_TYPE}" '
            'Target="externalLinks/externalLink1.xml"/>'.encode(),
        ),
        "[Content_Types].xml": (
            b"</Types>",
            b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>',
        ),
        "xl/workbook.xml": (
            b"</sheets>",
            b'</sheets><externalReferences><externalReference xmlns:r="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships" r:id="rIdLink1"/>'
            b"</externalReferences>",
        ),
    }

    def made(folder: Path) -> Path:
        path = make(folder)
        with zipfile.ZipFile(path) as archive:
            parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for item, data in parts:
                if item.filename in additions:
                    end, added = additions[item.filename]
                    data = data.replace(end, added + end if end != b"</sheets>" else added)
                archive.writestr(item, data)
            archive.writestr("xl/externalLinks/externalLink1.xml", _LINK_PART)
        return path

    return made


def _set(sheet: str, ref: str, value, as_text: bool = False) -> Callable:
    def edit(wb) -> None:
        wb[sheet][ref] = value
        if as_text:
            wb[sheet][ref].data_type = "s"

    return edit


def _both(*edits: Callable) -> Callable:
    def edit(wb) -> None:
        for change in edits:
            change(wb)

    return edit


def _hide_row(wb) -> None:
    wb["Actions"].row_dimensions[2].hidden = True


def _filter_hidden(wb) -> None:
    ws = wb["Actions"]
    ws.auto_filter.ref = "A1:J3"
    ws.auto_filter.add_filter_column(7, ["Green"])
    ws.row_dimensions[3].hidden = True


def _merge(wb) -> None:
    wb["Actions"].merge_cells("B2:B3")


def _title_rows(wb) -> None:
    ws = wb["Actions"]
    ws.insert_rows(1, amount=3)
    ws["A1"] = "Testshire Council: actions"


def _rename_sheet(old: str, new: str) -> Callable:
    def edit(wb) -> None:
        wb[old].title = new

    return edit


def _delete_sheet(name: str) -> Callable:
    def edit(wb) -> None:
        del wb[name]

    return edit


def _clear_headings(sheet: str) -> Callable:
    def edit(wb) -> None:
        for cell in wb[sheet][1]:
            cell.value = None

    return edit


def _extra_columns(wb) -> None:
    ws = wb["Actions"]
    ws.insert_cols(3)
    ws["C1"] = "Internal notes"
    ws["C2"] = "Not for publication"
    ws["L1"] = "Cost code"


def _blank_rows(wb) -> None:
    ws = wb["Actions"]
    ws.insert_rows(3, amount=4)


def _epoch_1904(wb) -> None:
    wb.epoch = MAC_EPOCH


def _hidden_owners(wb) -> None:
    wb["Owners"].sheet_state = "hidden"


TWO = [
    action_row(),
    action_row(ref="A2", point=None, action="A second action under the same point."),
]
PAIR = [action_row(), action_row(ref="A2", action="A second action.", rag="Amber")]
LONG = "Long evidence. " * 2184  # 32,760 characters, just under Excel's cell limit
D = dt.date

CASES: list[Case] = [
    # -- structure -------------------------------------------------------------------
    Case(
        "sheet-missing",
        "Actions sheet deleted",
        _edit(_delete_sheet("Actions")),
        Expect("error", "SHEET_MISSING"),
    ),
    Case(
        "sheet-renamed",
        "Actions sheet renamed to 'Action plan'",
        _edit(_rename_sheet("Actions", "Action plan")),
        Expect("error", "SHEET_MISSING"),
    ),
    Case(
        "sheet-name-case",
        "sheet renamed 'actions ' (case and a trailing space)",
        _edit(_rename_sheet("Actions", "actions ")),
        Expect("builds"),
    ),
    Case(
        "column-missing",
        "RAG column heading deleted",
        _edit(_set("Actions", "H1", None)),
        Expect("error", "COLUMN_MISSING"),
    ),
    Case(
        "column-renamed",
        "RAG heading typed as R.A.G.",
        _edit(_set("Actions", "H1", "R.A.G.")),
        Expect("error", "COLUMN_MISSING", "Actions!H1"),
    ),
    Case(
        "column-duplicate",
        "two columns headed RAG",
        _edit(_both(_set("Actions", "K1", "RAG"), _set("Actions", "K2", "Red"))),
        Expect("warning", "COLUMN_DUPLICATE", "Actions!K1"),
    ),
    Case(
        "columns-extra",
        "extra columns inserted among the real ones",
        _edit(_extra_columns),
        Expect("builds"),
    ),
    Case(
        "header-moved-down",
        "three title rows above the headings",
        _edit(_title_rows),
        Expect("builds"),
    ),
    Case(
        "header-missing",
        "Owners headings cleared",
        _edit(_clear_headings("Owners")),
        Expect("error", "SHEET_NO_HEADER"),
    ),
    Case(
        "merged-cells",
        "framework point merged over two action rows",
        _edit(_merge, actions=TWO),
        Expect("warning", "MERGED_CELLS", "Actions!B2"),
    ),
    Case(
        "hidden-row",
        "an action row hidden",
        _edit(_hide_row),
        Expect("warning", "HIDDEN_ROWS", "Actions!A2"),
    ),
    Case(
        "filtered-row",
        "an autofilter hiding a row",
        _edit(_filter_hidden, actions=PAIR),
        Expect("warning", "HIDDEN_ROWS", "Actions!A3"),
    ),
    Case(
        "hidden-sheet",
        "Owners sheet hidden",
        _edit(_hidden_owners),
        Expect("warning", "HIDDEN_SHEET"),
    ),
    Case(
        "blank-rows",
        "empty rows in the middle of the actions",
        _edit(_blank_rows, actions=PAIR),
        Expect("builds"),
    ),
    Case(
        "stray-far-cell",
        "a stray value in cell XFD1048576",
        _edit(_set("Actions", "XFD1048576", "x")),
        Expect("builds"),
    ),
    Case(
        "stray-far-rating",
        "a rating typed alone at row 1,048,576",
        _edit(_set("Actions", "H1048576", "Red")),
        Expect("error", "ROW_NO_TEXT", "Actions!C1048576"),
    ),
    # -- values ------------------------------------------------------------------------
    Case(
        "rag-unknown",
        "RAG 'Yellow'",
        _plan(actions=[action_row(rag="Yellow")]),
        Expect("error", "RAG_INVALID", "Actions!H2"),
    ),
    Case(
        "rag-combined",
        "RAG 'Red/Amber'",
        _plan(actions=[action_row(rag="Red/Amber")]),
        Expect("error", "RAG_INVALID", "Actions!H2"),
    ),
    Case(
        "rag-forms",
        "RAG typed as r, G , amber, Blue and a full-width Ｒ",
        _plan(
            actions=[
                action_row(ref=f"A{i}", rag=r, action=f"Action {i}.")
                for i, r in enumerate(["r", " G ", "amber", "Blue", "Ｒ"])
            ]
        ),
        Expect("builds", text=("Red", "Green", "Amber", "Complete")),
    ),
    Case(
        "date-impossible",
        "deadline 31/02/2026",
        _plan(actions=[action_row(deadline="31/02/2026")]),
        Expect("warning", "DEADLINE_UNCLEAR", "Actions!F2"),
    ),
    Case(
        "date-year-2204",
        "deadline typed as 1/1/2204",
        _plan(actions=[action_row(deadline="1/1/2204")]),
        Expect("warning", "DEADLINE_IMPLAUSIBLE", "Actions!F2", text=("1/1/2204",)),
    ),
    Case(
        "date-year-1900",
        "deadline typed as 29/02/1900 (Excel's fake leap day)",
        _plan(actions=[action_row(deadline="29/02/1900")]),
        Expect("warning", "DEADLINE_UNCLEAR", "Actions!F2"),
    ),
    Case(
        "report-date-text",
        "report date 'next week'",
        _plan(plan={"report_date": "next week"}),
        Expect("error", "DATE_INVALID", "Plan!B10"),
    ),
    Case(
        "date-1904",
        "a workbook using the 1904 date system",
        _edit(_epoch_1904),
        Expect("builds", text=("31 March 2027",)),
    ),
    Case(
        "date-serial",
        "a date stored as the number 46112 in a General cell",
        _plan(actions=[action_row(deadline=46112)]),
        Expect("warning", "DATE_AS_NUMBER", "Actions!F2"),
    ),
    Case(
        "text-numbers",
        "point 1.2 and theme 6 stored as numbers, ref as a number, deadline year as a number",
        _plan(
            actions=[
                action_row(point=1.2, ref=7),
                action_row(point=6, ref=8, deadline=2027, action="Theme-level action."),
            ]
        ),
        Expect(
            "builds",
            text=(
                "1.2 Collecting and sharing information - Achieving",
                "6 Political and officer leadership",
                "2027",
            ),
        ),
    ),
    Case(
        "error-ref",
        "#REF! in the action text",
        _edit(_set("Actions", "D2", "#REF!")),
        Expect("error", "CELL_ERROR_VALUE", "Actions!D2"),
    ),
    Case(
        "error-na",
        "#N/A in the RAG cell",
        _edit(_set("Actions", "H2", "#N/A")),
        Expect("error", "CELL_ERROR_VALUE", "Actions!H2"),
    ),
    Case(
        "formula-uncached",
        "a formula saved without its result",
        _edit(_set("Actions", "D2", '=UPPER("share data")')),
        Expect("error", "FORMULA_NO_VALUE", "Actions!D2"),
    ),
    Case(
        "formula-cached",
        "a formula with its cached result, as Excel saves it",
        as_excel_saves(
            _rewrite("sheet:Actions", _cached_formula, edit=_set("Actions", "D2", '=LOWER("x")'))
        ),
        Expect("builds", text=("Shared with managers.",)),
    ),
    Case(
        "formula-dde-uncached",
        "a DDE formula that starts a program, with no stored value (not 'recalculate')",
        _edit(_set("Actions", "D2", DDE)),
        Expect("error", "FORMULA_EXTERNAL", "Actions!D2"),
    ),
    Case(
        "formula-dde-cached",
        "a DDE formula with a stored value, as Excel saves it",
        _stored_formula(DDE),
        Expect("error", "FORMULA_EXTERNAL", "Actions!D2"),
    ),
    Case(
        "formula-other-workbook",
        "a link to a cell of another workbook, with a stored value",
        _stored_formula("='C:\\Plans\\[old.xlsx]Actions'!D2"),
        Expect("error", "FORMULA_EXTERNAL", "Actions!D2"),
    ),
    Case(
        "formula-hyperlink-file",
        "a HYPERLINK formula to a file, with a stored value",
        _stored_formula('=HYPERLINK("file:///c:/windows","Shared")'),
        Expect("error", "FORMULA_EXTERNAL", "Actions!D2"),
    ),
    Case(
        "external-link-part",
        "an external (DDE) link Excel keeps in the workbook, used by no cell",
        _with_external_link(_plan()),
        Expect("warning", "FILE_EXTERNAL_LINKS"),
    ),
    Case(
        "cell-32767",
        "a cell with 32,760 characters",
        _plan(actions=[action_row(evidence=LONG)]),
        Expect("warning", "TEXT_LONG", "Actions!C2"),
    ),
    Case(
        "control-chars",
        "bell, vertical tab and escape characters stored as _x0007_, _x000B_, _x001B_",
        _excel_escapes(actions=[action_row(evidence="One_x0007_Two_x000B_Three_x001B_Four")]),
        Expect("warning", "TEXT_CONTROL_CHARS", "Actions!C2"),
    ),
    Case(
        "c1-controls",
        "C1 controls (CSI, OSC, ST) that a terminal acts on, beside Welsh, emoji and Arabic",
        _plan(
            actions=[action_row(evidence="Data\x9b2J ŵ ŷ 😀 \x9d8;;http://x/\x9cخطة\x85 end\x7f")]
        ),
        Expect(
            "warning",
            "TEXT_CONTROL_CHARS",
            "Actions!C2",
            text=("Data2J ŵ ŷ 😀 8;;http://x/خطة end",),
        ),
    ),
    Case(
        "welsh-emoji",
        "Welsh letters and emoji",
        _plan(actions=[action_row(evidence="Cynllun ŵ ŷ Ŵ Ŷ gyda 😀 ✓")]),
        Expect("builds", text=("Cynllun ŵ ŷ Ŵ Ŷ gyda 😀 ✓",)),
    ),
    Case(
        "right-to-left",
        "Arabic and Hebrew text",
        _plan(actions=[action_row(evidence="خطة المساواة · תוכנית שוויון")]),
        Expect("builds", text=("خطة المساواة · תוכנית שוויון",)),
    ),
    Case(
        "jinja-variable",
        "text '{{ config }}'",
        _plan(actions=[action_row(evidence="{{ config }} {{ plan.council }}")]),
        Expect("builds", text=("{{ config }} {{ plan.council }}",)),
    ),
    Case(
        "jinja-block",
        "text '{% for x in y %}'",
        _plan(actions=[action_row(evidence="{% for x in y %}{%p if %}{%tr endfor %}")]),
        Expect("builds", text=("{% for x in y %}{%p if %}{%tr endfor %}",)),
    ),
    Case(
        "formula-text",
        "text '=HYPERLINK(...)' stored as text",
        _plan(actions=[action_row(action='=HYPERLINK("http://x.invalid","click")')]),
        Expect("builds", text=('=HYPERLINK("http://x.invalid","click")',)),
    ),
    Case(
        "xml-specials",
        "text with < > & and markup",
        _plan(actions=[action_row(evidence="<b>R&D</b> costs < £5 & rising >")]),
        Expect("builds", text=("<b>R&D</b> costs < £5 & rising >",)),
    ),
    Case(
        "point-unknown",
        "framework point 18.4",
        _plan(actions=[action_row(point="18.4")]),
        Expect("error", "POINT_UNKNOWN", "Actions!B2"),
    ),
    Case(
        "framework-unknown",
        "Plan sheet names framework 'eflg-1999'",
        _plan(plan={"framework_id": "eflg-1999"}),
        Expect("error", "FRAMEWORK_UNKNOWN", "Plan!B4"),
    ),
    Case(
        "level-invalid",
        "self-assessed level 'Expert'",
        _plan(assessments={"1": ("Expert", "Excellent")}),
        Expect("error", "LEVEL_INVALID", "'Self-assessment'!C2"),
    ),
    Case(
        "plan-field-empty",
        "council name empty",
        _plan(plan={"council": None}),
        Expect("error", "PLAN_FIELD_MISSING", "Plan!B2"),
    ),
    Case(
        "row-no-text",
        "a row with owner and rating but no text",
        _plan(actions=[action_row(evidence=None, action=None)]),
        Expect("error", "ROW_NO_TEXT", "Actions!C2"),
    ),
    Case(
        "owner-none-words",
        "owner typed as 'N/A'",
        _plan(actions=[action_row(owner="N/A")], owners=["Policy Team"]),
        Expect("warning", "OWNER_UNLISTED", "Actions!G2"),
    ),
    # -- files -------------------------------------------------------------------------
    Case(
        "file-empty", "a 0-byte file", _bytes("plan.xlsx", b""), Expect("unreadable", "FILE_EMPTY")
    ),
    Case(
        "file-truncated",
        "a download cut off half way",
        _truncated,
        Expect("unreadable", "FILE_DAMAGED"),
    ),
    Case(
        "file-csv",
        "a CSV file renamed .xlsx",
        _bytes("plan.xlsx", b"Ref,Framework point,RAG\nA1,1.2,Red\n"),
        Expect("unreadable", "FILE_NOT_XLSX"),
    ),
    Case(
        "file-xls",
        "an Excel 97-2003 file renamed .xlsx",
        _bytes("plan.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)),
        Expect("unreadable", "FILE_NOT_XLSX"),
    ),
    Case(
        "file-docx",
        "a Word document renamed .xlsx",
        _word_document,
        Expect("unreadable", "FILE_NOT_XLSX"),
    ),
    Case(
        "file-ods",
        "an OpenDocument spreadsheet renamed .xlsx",
        _zip(
            "plan.xlsx",
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
        ),
        Expect("unreadable", "FILE_NOT_XLSX"),
    ),
    Case(
        "file-pdf",
        "a PDF renamed .xlsx",
        _bytes("plan.xlsx", b"%PDF-1.7\n%\xe2\xe3\n"),
        Expect("unreadable", "FILE_NOT_XLSX"),
    ),
    Case(
        "file-password",
        "a password-protected workbook",
        _encrypted,
        Expect("unreadable", "FILE_ENCRYPTED"),
    ),
    Case("file-xlsm", "a macro-enabled workbook", _xlsm, Expect("warning", "FILE_MACROS")),
    Case(
        "file-no-extension",
        "a workbook with no file extension",
        _no_extension,
        Expect("warning", "FILE_EXTENSION"),
    ),
    Case(
        "file-bomb",
        "a zip bomb: 1 GB of XML squeezed into a few MB",
        lambda folder: write_bomb(folder / "plan.xlsx"),
        Expect("unreadable", "FILE_TOO_LARGE"),
    ),
    Case(
        "file-entities",
        "a sheet declaring XML entities (billion laughs)",
        _rewrite(
            "sheet:Actions",
            lambda data: data.replace(
                b"<worksheet",
                b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><worksheet',
                1,
            ),
        ),
        Expect("unreadable", "FILE_UNSAFE"),
    ),
    Case(
        "file-strict-xml",
        "saved as Strict Open XML Spreadsheet",
        _rewrite(
            "xl/workbook.xml",
            lambda data: data.replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            ),
        ),
        Expect("unreadable", "FILE_NOT_XLSX"),
    ),
    Case(
        "file-folder",
        "a folder given instead of a file",
        _directory,
        Expect("unreadable", "FILE_NOT_FOUND"),
    ),
]
