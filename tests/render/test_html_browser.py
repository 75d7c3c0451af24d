"""The HTML plan in a real browser: Debian's chromium through selenium, checked with axe-core.

Nothing is downloaded: the browser and driver are the system's
(/usr/bin/chromium, /usr/bin/chromedriver) and axe-core comes from
tests/js (npm ci). Missing, the tests skip with a reason; in CI they fail.
Set EQPLAN_SCREENSHOT to a path to keep a copy of the screenshot
(the README's docs/html-plan.png is made that way).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from pipeline.build import build
from tests.conftest import EXAMPLE, RUN_AXE, open_browser
from tests.render.helpers import action_rows, cell_text

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def plan_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html-browser")
    return build(EXAMPLE, out, html=True).html


@pytest.fixture(scope="module")
def browser():
    with open_browser() as driver:
        yield driver


@pytest.fixture
def opened(browser, plan_page):
    browser.set_window_size(1280, 900)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.get(plan_page.as_uri())
    return browser


def test_screenshot_shows_the_plan(opened, tmp_path):
    assert opened.title.startswith("Equality, Diversity and Inclusion Action Plan")
    chart_width = opened.execute_script("return document.querySelector('figure img').naturalWidth")
    assert chart_width > 0  # the inline PNG decoded
    opened.execute_script("document.querySelector('.plan-section').scrollIntoView()")
    shot = tmp_path / "html-plan.png"
    assert opened.save_screenshot(str(shot))
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert image.size[0] >= 1000
    assert len(colours) > 50  # text, rules and RAG fills, not a blank page
    assert max(count for count, _ in colours) < 0.95 * sum(count for count, _ in colours)
    if os.environ.get("EQPLAN_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["EQPLAN_SCREENSHOT"])


def _previous_report(path: Path) -> Path:
    """The example as at an earlier report: other ratings, an earlier deadline, one more action."""
    import datetime as dt

    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Actions"]
    columns = {c.value: c.column for c in sheet[1]}
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["EB02"], columns["RAG"]).value = "Red"
    sheet.cell(rows["EB05"], columns["RAG"]).value = "Amber"
    sheet.cell(rows["EB01"], columns["Deadline"]).value = dt.date(2026, 12, 31)
    sheet.cell(rows["EB62"] + 1, 1).value = "EB99"
    sheet.cell(rows["EB62"] + 1, columns["Gap / action"]).value = "An action since dropped."
    sheet.cell(rows["EB62"] + 1, columns["Framework point"]).value = "17.3"
    sheet.cell(rows["EB62"] + 1, columns["RAG"]).value = "Amber"
    book.save(path)
    return path


@pytest.mark.parametrize("layout", ["rag", "outcomes", "rag --since"])
def test_axe_finds_no_serious_or_critical_violations(browser, tmp_path, layout):
    since = _previous_report(tmp_path / "previous.xlsx") if "--since" in layout else None
    out = tmp_path / "out"
    page = build(EXAMPLE, out, layout=layout.split()[0], html=True, since=since).html
    if since is not None:
        assert "Progress since the last report" in page.read_text(encoding="utf-8")
    browser.set_window_size(1280, 900)
    browser.get(page.as_uri())
    browser.execute_script(browser.axe_source)
    results = browser.execute_async_script(RUN_AXE)
    assert "error" not in results, results
    # axe really looked: the rules this page depends on ran and passed
    assert {"color-contrast", "image-alt", "th-has-data-cells", "html-lang-valid"} <= set(
        results["passes"]
    )
    assert {"bypass", "landmark-one-main", "page-has-heading-one", "heading-order"} <= set(
        results["passes"]
    )
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, results["violations"]
    assert not results["violations"], results["violations"]  # none at all, today


@pytest.mark.parametrize("width", [320, 390])  # 320 CSS px: WCAG 1.4.10 Reflow
def test_small_screens_scroll_tables_not_the_page(opened, width):
    opened.set_window_size(width, 844)
    widths = opened.execute_script(
        "const tables = [...document.querySelectorAll('.table-scroll')];"
        "return {page: document.documentElement.scrollWidth, view: window.innerWidth,"
        " scrolling: tables.filter(t => t.scrollWidth > t.clientWidth).length};"
    )
    assert widths["page"] <= widths["view"], widths
    assert widths["scrolling"] > 0  # wide tables scroll inside their own focusable region


def _open_built(browser, book, tmp_path: Path, size: tuple[int, int]) -> None:
    """Save the edited workbook, build its web page and open it at the window size."""
    path = tmp_path / "plan.xlsx"
    book.save(path)
    page = build(path, tmp_path / "out", html=True).html
    browser.set_window_size(*size)
    browser.get(page.as_uri())


def test_a_long_web_address_in_the_officers_words_wraps_at_320_px(browser, tmp_path):
    """A tester put a 120-character address in the introduction: the page scrolled sideways."""
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE)
    plan = book["Plan"]
    row = next(r for r in range(1, plan.max_row + 1) if plan.cell(r, 1).value == "Introduction")
    plan.cell(row, 2).value = (
        "See https://www.example.gov.uk/equalities/our-equality-action-plan-2026-to-2029-full-"
        "document-with-appendices-and-data for the whole plan."
    )
    _open_built(browser, book, tmp_path, (320, 844))
    widths = browser.execute_script(  # clientWidth: the page less its scroll bar
        "const page = document.documentElement;"
        "return {page: page.scrollWidth, view: page.clientWidth};"
    )
    assert widths["page"] <= widths["view"], widths


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""

    def luminance(colour: str) -> float:
        red, green, blue = (
            int(float(v)) / 255 for v in colour[colour.index("(") + 1 : -1].split(",")[:3]
        )
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_focus_stands_out_against_the_page(opened):
    """The focus indicator of a table's scrolling region and of a link has 3:1 (WCAG 1.4.11)."""
    region = opened.execute_script(
        "const box = document.querySelector('.table-scroll'); box.focus();"
        "const style = getComputedStyle(box);"
        "return [style.outlineColor, style.outlineStyle, style.outlineWidth];"
    )
    assert region[1] == "solid" and region[2] == "3px"
    for background in ("rgb(255, 255, 255)", "rgb(243, 242, 241)"):  # the page, a grey band
        assert _contrast(region[0], background) >= 3, region
    shadow = opened.execute_script(
        "const link = document.querySelector('main a[href]'); link.focus();"
        "return getComputedStyle(link).boxShadow;"
    )
    bar_colour = re.findall(r"rgba?\([^)]*\)", shadow)[-1]  # the bar under the link
    assert _contrast(bar_colour, "rgb(255, 255, 255)") >= 3, shadow


def test_no_outside_requests(opened):
    resources = opened.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert all(name.startswith("data:") for name in resources), resources


def test_skip_link_is_the_first_stop_and_reaches_main(opened):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(opened).send_keys(Keys.TAB).perform()
    focused = opened.switch_to.active_element
    assert focused.text == "Skip to main content"
    assert focused.is_displayed()  # visible once focused
    focused.send_keys(Keys.ENTER)
    assert opened.execute_script("return location.hash") == "#main"
    assert opened.switch_to.active_element.get_attribute("id") == "main"


def test_print_stylesheet_hides_navigation(opened):
    opened.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    styles = opened.execute_script(
        "return {nav: getComputedStyle(document.querySelector('nav')).display,"
        " scroll: getComputedStyle(document.querySelector('.table-scroll')).overflowX,"
        " head: getComputedStyle(document.querySelector('thead')).display}"
    )
    assert styles == {"nav": "none", "scroll": "visible", "head": "table-header-group"}


def test_500_action_page_has_every_action_and_no_serious_violations(browser, plan_500):
    """Issue 14, "Done when": the checks above hold for a 500-action plan too."""
    browser.set_window_size(1280, 900)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.get(plan_500.html.as_uri())
    refs = browser.execute_script(
        "return [...document.querySelectorAll('table')]"
        ".filter(t => t.caption.textContent.startsWith('Actions for '))"
        ".flatMap(t => [...t.tBodies[0].rows].map(r => r.cells[0].textContent))"
    )
    assert len(refs) == plan_500.actions == 500
    assert refs == [cell_text(row.cells[0]) for row in action_rows(plan_500.docx)]
    browser.execute_script(browser.axe_source)
    results = browser.execute_async_script(RUN_AXE)
    assert "error" not in results, results
    assert {"color-contrast", "th-has-data-cells", "bypass", "heading-order"} <= set(
        results["passes"]
    )
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, results["violations"]


def test_a_withdrawal_reason_wraps_in_its_rag_cell_in_normal_weight(browser, tmp_path):
    """Found by a councillor's review: the reason took the RAG word's one-line bold style
    and ran off the table's edge."""
    import openpyxl

    from pipeline.workbook import layout

    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Actions"]
    keys = [c.key for c in layout.ACTIONS.columns]
    row = 2
    sheet.cell(row, keys.index("status") + 1).value = "Withdrawn"
    sheet.cell(row, keys.index("rag") + 1).value = None
    sheet.cell(row, keys.index("progress") + 1).value = (
        "Withdrawn after the service moved to the county council, which now runs it and "
        "reports on it in its own equality plan."
    )
    _open_built(browser, book, tmp_path, (1280, 900))
    found = browser.execute_script(
        "const reason = document.querySelector('td.rag .update');"
        "const style = getComputedStyle(reason);"
        "return {space: style.whiteSpace, weight: style.fontWeight,"
        " reason: reason.getBoundingClientRect().width,"
        " cell: reason.closest('td').getBoundingClientRect().width};"
    )
    assert found["space"] == "normal" and found["weight"] == "400", found
    assert found["reason"] <= found["cell"], found
