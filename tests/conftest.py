"""Shared fixtures: a CLI runner, and helpers that write small workbooks in the test."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import frameworks
from pipeline.workbook import build_template, fill_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example-plan.xlsx"
#: The example's counts table (Red, Amber, Green, Complete, Not rated, Total), counted by hand
#: from its Actions sheet: RAG in column H; module from the Framework point's theme (1-5, 6-9,
#: 10-12, 13-17). For tests of outputs, so a miscount shared by every output cannot pass.
EXAMPLE_BY_MODULE = [
    ["1. Understanding and working with our communities", "1", "6", "7", "1", "5", "20"],
    ["2. Leadership, partnership and organisational commitment", "2", "4", "2", "1", "5", "14"],
    ["3. Responsive services and customer care", "1", "2", "2", "1", "5", "11"],
    ["4. Diverse and engaged workforce", "1", "3", "5", "2", "6", "17"],
    ["Total", "5", "15", "16", "5", "21", "62"],
]
#: Its chart's description, the same counts in words (for a screen reader: the chart's data).
EXAMPLE_CHART_ALT = (
    "Bar chart of actions by RAG rating for each module. "
    "1. Understanding and working with our communities: 20 actions (1 red, 6 amber, 7 green, "
    "1 complete, 5 not rated). 2. Leadership, partnership and organisational commitment: "
    "14 actions (2 red, 4 amber, 2 green, 1 complete, 5 not rated). 3. Responsive services and "
    "customer care: 11 actions (1 red, 2 amber, 2 green, 1 complete, 5 not rated). 4. Diverse "
    "and engaged workforce: 17 actions (1 red, 3 amber, 5 green, 2 complete, 6 not rated)."
)
#: Its summary sentence: the deadlines against 30 November 2026 give 7 overdue and 13 due by
#: 28 February 2027 (EB26's "Nov 2026" among them); 5 rated Complete.
EXAMPLE_SUMMARY = (
    "62 actions, of which 5 are complete. As at 30 November 2026, 7 are overdue and 13 are due "
    "in the next 90 days."
)
REPORT_DATE = dt.date(2026, 11, 30)
#: Today, for every merge the tests run in this process: their returns are saved on days of
#: their own story (February 2027), and a save after today is not believed (merge_intake).
MERGE_TODAY = dt.date(2027, 6, 30)


@pytest.fixture(autouse=True)
def merge_today(monkeypatch):
    """Each merge run in the tests' own process takes MERGE_TODAY for today, whatever the
    machine's date: a test's outcome must not change as the calendar moves on."""
    monkeypatch.setattr("pipeline.uk_clock.uk_today", lambda: MERGE_TODAY)


@pytest.fixture(autouse=True, scope="module")
def no_thread_outlives_its_module():
    """A thread left running (a test server's) would make every later test in this process
    render without isolation (render/isolation.py forks only a single-threaded process), and
    which tests run later in a process depends on how the files are shared among workers."""
    yield
    left = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not left, f"threads still running after this module: {left}"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def said_by(*args: str) -> str:
    """What `eqplan args` printed; it must have succeeded."""
    from pipeline.cli import cli

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def plan_values(**overrides: object) -> dict[str, object]:
    """Plan sheet values for a complete, valid plan; override any by field key."""
    values: dict[str, object] = {
        "council": "Testshire Council",
        "title": "Equality Action Plan 2026 to 2029",
        "period_start": dt.date(2026, 4, 1),
        "period_end": dt.date(2029, 3, 31),
        "target_year": "2029",
        "version": "1.0",
        "status": "Draft",
        "report_date": REPORT_DATE,
        "committee": "Corporate Policy Committee",
        "meeting_date": dt.date(2026, 12, 10),
        "author": "Equality Officer",
        "introduction": "First paragraph.\nSecond paragraph.",
        "objectives": "Know our communities\nBe a fair employer",
    }
    values.update(overrides)
    return values


def action_row(**overrides: object) -> dict[str, object]:
    """An Actions row with every column filled; override any by field key."""
    row: dict[str, object] = {
        "ref": "A1",
        "point": "1.2",
        "evidence": "Census data published on the website.",
        "action": "Share ward profiles with service managers.",
        "outcome": "Services planned on local data.",
        "deadline": dt.date(2027, 3, 31),
        "owner": "Policy Team",
        "rag": "Green",
        "strand": "",
        "progress": "Draft profiles ready.",
    }
    row.update(overrides)
    return row


WorkbookMaker = Callable[..., Path]


def write_plan_workbook(
    path: Path,
    actions: list[dict[str, object]] | None = None,
    owners: list[str] | None = None,
    plan: dict[str, object] | None = None,
    framework: str = "eflg-2021",
    lead_officer: str | None = "Head of Policy",
    assessments: dict[str, tuple[object, object]] | None = None,
    edit: Callable | None = None,
    section_order: list[str] | None = None,
    section_titles: dict[str, str] | None = None,
    progress_log: list[dict[str, object]] | None = None,
) -> Path:
    """Write a filled plan workbook from the template and return its path.

    actions: Actions rows (dicts by field key); owners: names, or None to list
    every owner used; plan: Plan field overrides; edit: a function given the
    openpyxl Workbook to change anything else before saving; section_order:
    module refs in the order of the Sections rows; section_titles: the council's
    Section title by module ref; progress_log: Progress log rows by field key.
    """
    fw = frameworks.load(framework)
    rows = actions if actions is not None else [action_row()]
    listed = owners
    if listed is None:
        listed = sorted({str(r.get("owner")) for r in rows if r.get("owner")})
    wb = fill_workbook(
        build_template(fw),
        plan=plan_values(**(plan or {})),
        sections={
            m.ref: {
                "lead_officer": lead_officer,
                "aspirations": "Aspiration one\nAspiration two",
                "section_title": (section_titles or {}).get(m.ref),
            }
            for m in fw.modules
        },
        section_order=section_order,
        assessments=assessments,
        actions=rows,
        owners=[(name,) for name in listed],
        progress_log=progress_log,
    )
    if edit is not None:
        edit(wb)
    wb.save(path)
    return path


def write_bomb(path: Path, part_bytes: int = 1 << 30) -> Path:
    """A zip whose one sheet part unzips to part_bytes (1 GB) of XML, squeezed to a few MB."""
    chunk = b"<row/>" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(part_bytes // len(chunk) + 1):
                part.write(chunk)
    return path


def read_only_workbook(path: Path) -> contextlib.closing[openpyxl.Workbook]:
    """A workbook opened read-only, for `with`: closed however the block ends.

    openpyxl keeps a read-only workbook's file open until it is closed. Left open,
    garbage collection later raises a ResourceWarning (an error under the suite's
    filterwarnings) in whichever test happens to run then, not in the one at fault.
    """
    return contextlib.closing(openpyxl.load_workbook(path, read_only=True))


@pytest.fixture
def make_workbook(tmp_path: Path) -> WorkbookMaker:
    """Write filled plan workbooks into the test's folder (see write_plan_workbook)."""
    counter = {"n": 0}

    def make(name: str | None = None, **kwargs) -> Path:
        counter["n"] += 1
        return write_plan_workbook(tmp_path / (name or f"plan-{counter['n']}.xlsx"), **kwargs)

    return make


def require_soffice() -> str:
    """The LibreOffice binary. Missing: skip with a reason locally, fail in CI (which installs it)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI; .ci/run should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed; the real-client tests need it")
    return binary


#: Debian's chromium and its driver (apt: chromium chromium-driver); never downloaded.
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: axe-core as `npm ci` installs it from tests/js/package-lock.json; EQPLAN_AXE_JS overrides.
AXE_JS = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"


def require_browser() -> tuple[Path, Path, Path]:
    """Chromium, chromedriver and axe.min.js. Missing: skip locally, fail in CI (which installs them)."""
    axe = Path(os.environ.get("EQPLAN_AXE_JS") or AXE_JS)
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER, axe) if not p.is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[dev]')")
    if missing:
        reason = f"the browser tests need {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run should have installed them")
        pytest.skip(f"{reason} (apt-get install chromium chromium-driver; npm ci in tests/js)")
    return CHROMIUM, CHROMEDRIVER, axe


#: Chromium's flags for the browser tests: headless, and nothing fetched from outside.
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document).then(
  r => done({
    violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length})),
    passes: r.passes.map(v => v.id),
  }),
  e => done({error: String(e)}));
"""


@contextlib.contextmanager
def open_browser():
    """Debian's chromium through selenium, with its own profile; axe-core's source on .axe_source."""
    chromium, chromedriver, axe = require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="eqplan-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in (*BROWSER_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(chromedriver)), options=options)
    driver.set_script_timeout(60)
    driver.axe_source = axe.read_text(encoding="utf-8")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def as_stored(path: Path) -> Path:
    """Rewrite a workbook so its `_x005F_xHHHH_` text becomes `_xHHHH_`, in place.

    eqplan's writers keep typed `_x0041_` literal by escaping it, as Excel does;
    undoing that gives the file Excel writes for real control characters, or
    lets a test give the stored form of a cell exactly.
    """
    import zipfile

    data = path.read_bytes()
    source = path.with_name(path.name + ".orig")
    source.write_bytes(data)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename).replace(b"_x005F_x", b"_x"))
    source.unlink()
    return path


def generated_plan(actions: int, path: Path) -> Path:
    """A realistic plan workbook of that many actions, made by the benchmark's generator."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate(actions, path)


@dataclass
class LargeBuild:
    """A 500-action plan built once with its web page and cover report (issue 14, "Done when")."""

    workbook: Path
    docx: Path
    html: Path
    cover: Path
    actions: int


@pytest.fixture(scope="session")
def plan_500(tmp_path_factory) -> LargeBuild:
    """One build of a 500-action plan, shared by the browser and cover report checks."""
    from pipeline.build import build

    folder = tmp_path_factory.mktemp("plan-500")
    workbook = generated_plan(500, folder / "plan-500.xlsx")
    result = build(workbook, folder / "out", html=True, cover=True)
    assert result.html and result.cover and result.docx, result.report.to_text()
    return LargeBuild(workbook, result.docx, result.html, result.cover, result.actions)


@pytest.fixture(scope="session")
def sent(tmp_path_factory) -> Path:
    """The example plan split by owner (`eqplan split --by owner`), once for the process: a
    split takes seconds, and every module using it reads the workbooks or copies them before
    changing one, so none may write into this folder."""
    from pipeline.cli import cli

    folder = tmp_path_factory.mktemp("sent")
    result = CliRunner().invoke(cli, ["split", str(EXAMPLE), "--by", "owner", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def in_1904_system(
    source: Path, target: Path, edit: Callable | None = None, spelled: str = "1"
) -> Path:
    """A copy of a workbook in Excel's 1904 date system (old Excel for Mac), its dates the
    same days; edit is given the openpyxl Workbook first, and spelled is how workbook.xml
    writes the setting (`date1904="1"`, as openpyxl and Excel write it, or `"true"`)."""
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.load_workbook(source)
    wb.epoch = CALENDAR_MAC_1904
    if edit is not None:
        edit(wb)
    wb.save(target)
    if spelled != "1":
        data = target.read_bytes()
        written = target.with_name(target.name + ".1904")
        written.write_bytes(data)
        with zipfile.ZipFile(written) as old, zipfile.ZipFile(target, "w") as new:
            for item in old.infolist():
                part = old.read(item.filename)
                if item.filename == "xl/workbook.xml":
                    assert b'date1904="1"' in part
                    part = part.replace(b'date1904="1"', f'date1904="{spelled}"'.encode())
                new.writestr(item, part)
        written.unlink()
    return target
