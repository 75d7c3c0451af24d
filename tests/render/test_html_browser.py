"""The HTML plan in a real browser: Debian's chromium through selenium, checked with axe-core.

Nothing is downloaded: the browser and driver are the system's
(/usr/bin/chromium, /usr/bin/chromedriver) and axe-core comes from
tests/js (npm ci). Missing, the tests skip with a reason; in CI they fail.
Set EQPLAN_SCREENSHOT to a path to keep a copy of the screenshot
(the README's docs/html-plan.png is made that way).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from pipeline.build import build
from tests.conftest import EXAMPLE, RUN_AXE, open_browser

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


@pytest.mark.parametrize("layout", ["rag", "outcomes"])
def test_axe_finds_no_serious_or_critical_violations(browser, tmp_path, layout):
    page = build(EXAMPLE, tmp_path, layout=layout, html=True).html
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


def test_small_screens_scroll_tables_not_the_page(opened):
    opened.set_window_size(390, 844)
    widths = opened.execute_script(
        "const tables = [...document.querySelectorAll('.table-scroll')];"
        "return {page: document.documentElement.scrollWidth, view: window.innerWidth,"
        " scrolling: tables.filter(t => t.scrollWidth > t.clientWidth).length};"
    )
    assert widths["page"] <= widths["view"], widths
    assert widths["scrolling"] > 0  # wide tables scroll inside their own focusable region


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
