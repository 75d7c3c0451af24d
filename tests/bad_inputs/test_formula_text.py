"""Formula-like text from a framework or a workbook lands as text in every written .xlsx (issue 9).

Each test writes a real file through the command line and reads its XML:
a cell holding the text must have no `<f>` (formula) element, must show the
text itself, and, where the text starts with `= + - @`, must carry Excel's
quote prefix so that editing the cell later keeps it as text.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from pipeline.text import looks_like_formula
from tests.conftest import action_row, write_plan_workbook

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

HOSTILE_TITLE = "=cmd|' /C calc'!A0"
FRAMEWORK = """
id: formula-test
title: "=cmd|' /C calc'!A0"
short_title: "+1+1"
source: "@SUM(1+1)*cmd|' /C calc'!A0"
labels:
  module: "{module_label}"
  theme: '=HYPERLINK("http://example.invalid","click")'
  point: 'Point, "quoted", =1+1 and a label far longer than Excel allows in a title'
levels: ['=1+1', 'Plain']
modules:
  - ref: "1"
    title: "=cmd|calc"
    description: "-2+3"
    themes:
      - ref: "1.1"
        title: "=cmd|' /C calc'!A0"
        descriptor: "@SUM(A1)"
        criteria: ['=1+1', 'a,"b"']
        aliases: ['=alias']
        points:
          - {{ref: "1.1.1", level: '=1+1', descriptor: '#N/A'}}
          - {{ref: "1.1.2", level: Plain, descriptor: 'Plain text'}}
  - ref: "2"
    title: 'Second, "quoted" module'
    themes:
      - {{ref: "2.1", title: "+SUM(1)"}}
"""
# Framework text the template writes whole into a cell, each of which must stay text.
TEMPLATE_TEXTS = {"=cmd|calc", HOSTILE_TITLE, "+SUM(1)", "#N/A", "=1+1", "formula-test"}
# Workbook text the checked copy and the summary workbook write whole into a cell.
ACTION_TEXTS = {"=SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "@SUM(A1:A3)", "-5+5", "#REF!"}


@dataclass
class XlsxCell:
    """One cell as stored in the file."""

    sheet: str
    ref: str
    text: str | None  # the stored string, None for numbers and blanks
    formula: str | None  # the content of <f>, if any
    quote_prefix: bool


def xlsx_cells(path: Path) -> list[XlsxCell]:
    """Every cell of every sheet of an .xlsx, read from its XML (not through a library)."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            for item in root.findall("m:si", NS):
                shared.append("".join(t.text or "" for t in item.iter(f"{{{NS['m']}}}t")))
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        xfs = styles.find("m:cellXfs", NS)
        quoted = [xf.get("quotePrefix") in ("1", "true") for xf in xfs] if xfs is not None else []
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        cells = []
        for sheet in workbook.find("m:sheets", NS):
            target = targets[sheet.get(REL)].lstrip("/")
            target = target if target.startswith("xl/") else f"xl/{target}"
            root = ElementTree.fromstring(archive.read(target))
            for c in root.iter(f"{{{NS['m']}}}c"):
                kind = c.get("t")
                formula = c.find("m:f", NS)
                value = c.find("m:v", NS)
                text = None
                if kind == "s" and value is not None:
                    text = shared[int(value.text)]
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                elif kind in ("str", "e") and value is not None:
                    text = value.text
                style = int(c.get("s", "0"))
                cells.append(
                    XlsxCell(
                        sheet=sheet.get("name"),
                        ref=c.get("r"),
                        text=text,
                        formula=None if formula is None else (formula.text or ""),
                        quote_prefix=style < len(quoted) and quoted[style],
                    )
                )
        return cells


def assert_text_cells(path: Path, expected: set[str]) -> list[XlsxCell]:
    """No formula anywhere; each expected text is found as a string cell, quote-prefixed if needed."""
    cells = xlsx_cells(path)
    formulas = [(c.sheet, c.ref, c.formula) for c in cells if c.formula is not None]
    assert not formulas, f"{path.name} has formulas: {formulas[:5]}"
    by_text: dict[str, list[XlsxCell]] = {}
    for cell in cells:
        if cell.text:
            by_text.setdefault(cell.text, []).append(cell)
    missing = sorted(t for t in expected if t not in by_text)
    assert not missing, f"not stored as text in {path.name}: {missing}"
    for text in expected:
        for cell in by_text[text]:
            if looks_like_formula(text):
                assert cell.quote_prefix, f"{cell.sheet}!{cell.ref} {text!r} has no quote prefix"
    return cells


def _framework(folder: Path, module_label: str = "Area/zone: [north]?") -> Path:
    path = folder / "my.yaml"
    path.write_text(FRAMEWORK.format(module_label=module_label), encoding="utf-8")
    return path


def _plan(folder: Path, framework: Path, extra: list[dict] | None = None) -> Path:
    rows = [
        action_row(ref="A1", point="1.1.1", action="=SUM(1+1)*cmd|' /C calc'!A0", owner="Policy"),
        action_row(ref="A2", point="1.1.2", evidence="+1+1", outcome="@SUM(A1:A3)", owner="HR"),
        action_row(ref="A3", point="2.1", progress="-5+5", action="#REF!", owner="Policy"),
        *(extra or []),
    ]
    return write_plan_workbook(folder / "plan.xlsx", actions=rows, framework=str(framework))


def test_template_writes_framework_text_as_text(tmp_path: Path, runner, monkeypatch):
    from pipeline.cli import cli

    monkeypatch.chdir(tmp_path)
    _framework(tmp_path)
    result = runner.invoke(cli, ["template", "--framework", "my.yaml", "-o", "t.xlsx"])
    assert result.exit_code == 0, result.output
    cells = assert_text_cells(tmp_path / "t.xlsx", TEMPLATE_TEXTS)
    lists = [c.text for c in cells if c.sheet == "Lists" and c.text]
    assert any(HOSTILE_TITLE in text for text in lists), "the points list holds the theme title"
    # and a spreadsheet library reads the same text back, as a string
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sections = wb["Sections"]
    assert (sections["B2"].value, sections["B2"].data_type) == ("=cmd|calc", "s")


def test_template_dropdowns_never_hold_framework_text(tmp_path: Path, runner, monkeypatch):
    from pipeline.cli import cli

    monkeypatch.chdir(tmp_path)
    _framework(tmp_path)
    assert runner.invoke(cli, ["template", "--framework", "my.yaml", "-o", "t.xlsx"]).exit_code == 0
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if "worksheets/sheet" in n]
    rules = [ElementTree.fromstring(xml).findall(".//m:dataValidation", NS) for xml in sheets]
    sources = {dv.findtext("m:formula1", "", NS) for group in rules for dv in group}
    allowed = re.compile(
        r"^('(Lists|Owners)'!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+|\"[A-Za-z0-9 ,/]+\"|36526|)$"
    )  # a sheet range, fixed words (such as "2026 to 2027,2026/27"), the date check, or none
    assert sources and all(allowed.match(s) for s in sources), sources
    assert not any("cmd" in s or "quoted" in s or "1+1" in s for s in sources), sources
    for group in rules:
        for dv in group:
            assert len(dv.get("promptTitle", "")) <= 32 and len(dv.get("errorTitle", "")) <= 32
            assert len(dv.get("prompt", "")) <= 255 and len(dv.get("error", "")) <= 255


def test_checked_copy_keeps_formula_like_text_as_text(tmp_path: Path, runner):
    from pipeline.cli import cli

    framework = _framework(tmp_path)
    unknown = '=HYPERLINK("http://example.invalid","click me")'
    plan = _plan(tmp_path, framework, [action_row(ref="A4", point=unknown, owner="HR")])
    out = tmp_path / "out"
    args = ["validate", str(plan), "--framework", str(framework), "--annotate", "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output  # the unknown point is an error
    checked = out / "plan-checked.xlsx"
    cells = assert_text_cells(checked, ACTION_TEXTS | {unknown})
    problems = [c for c in cells if c.sheet == "Problems" and c.text and unknown in c.text]
    assert problems, "the Problems sheet quotes the unknown point"


@pytest.mark.parametrize("module_label", ["Area/zone: [north]?", "Owner", "'Quoted'"])
def test_summary_workbook_keeps_text_as_text_and_sheet_names_valid(
    tmp_path: Path, runner, module_label: str
):
    from pipeline.cli import cli

    framework = _framework(tmp_path, module_label)
    plan = _plan(tmp_path, framework)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(plan), "--framework", str(framework), "-o", str(out)])
    assert result.exit_code == 0, result.output
    summary = next(out.glob("*.xlsx"))
    cells = assert_text_cells(summary, ACTION_TEXTS)
    assert any("=cmd|calc" in (c.text or "") for c in cells), "framework titles are shown"
    names = list(dict.fromkeys(c.sheet for c in cells))
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name), name
        assert not name.startswith("'") and not name.endswith("'"), name
    assert "By owner" in names


def test_hostile_formula_title_case_writes_a_string_cell(tmp_path: Path, runner, monkeypatch):
    """The catalogue's formula-title case (hostile_frameworks.py), checked inside the file too."""
    from pipeline.cli import cli
    from tests.bad_inputs.hostile_frameworks import CASES, FORMULA_TITLE

    case = next(c for c in CASES if c.name == "framework_formula_title")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, case.setup(tmp_path))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Self-assessment"]
    assert (ws["B2"].value, ws["B2"].data_type, ws["B2"].quotePrefix) == (FORMULA_TITLE, "s", True)
    stored = [c for c in xlsx_cells(tmp_path / "t.xlsx") if c.text == FORMULA_TITLE]
    assert stored and all(c.formula is None and c.quote_prefix for c in stored)
