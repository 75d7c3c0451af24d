"""The web pages in a real browser (issue 16): chromium through selenium, checked with axe-core.

A real waitress server on a free loopback port serves the app; the browser
fills in the forms as an officer would (no JavaScript of the page's own).
Each page is checked with axe-core (no violations at all) and screenshotted;
set EQPLAN_SCREENSHOT_DIR to a folder to keep the screenshots (the README's
docs/web-*.png are made that way:
`EQPLAN_SCREENSHOT_DIR=$PWD/docs pytest -m browser tests/web/test_browser.py`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import threading
import urllib.request
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image

from pipeline.web import create_app
from tests.conftest import EXAMPLE, RUN_AXE, action_row, open_browser, write_plan_workbook
from tests.web.conftest import owners_returns

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on waitress at 127.0.0.1 on a port the system picks; stopped after the module."""
    import waitress
    from waitress import wasyncore

    root = tmp_path_factory.mktemp("web-browser")
    app = create_app({"DOWNLOAD_DIR": str(root / "downloads"), "PDF": False})
    served = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{served.effective_port}"
    finally:
        # Closed in the server's own thread, with the browser's kept-alive connections (else
        # the join waited its 10 s), then waitress's worker threads stopped. Left running, they
        # made every later test in this process see other threads, so no render was isolated
        # in a child (render/isolation.py) and test_isolation_threads failed after this module.
        served.trigger.pull_trigger(lambda: wasyncore.close_all(served._map))
        thread.join(timeout=10)
        assert not thread.is_alive(), "the test server did not stop"
        served.task_dispatcher.shutdown()


@pytest.fixture(scope="module")
def browser():
    with open_browser() as driver:
        yield driver


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    """The example (current), the last quarter's version of it, and a workbook with errors."""
    folder = tmp_path_factory.mktemp("web-browser-workbooks")
    previous = folder / "plan-august.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    plan = wb["Plan"]
    for row in plan.iter_rows(min_row=2):
        if row[0].value == "Report date":
            row[1].value = dt.date(2026, 8, 31)
    actions = wb["Actions"]
    headings = [cell.value for cell in actions[1]]
    rag, ref = headings.index("RAG"), headings.index("Ref")
    moved = 0
    for row in actions.iter_rows(min_row=2):
        if row[rag].value == "Green" and moved < 4:  # four actions rated higher since
            row[rag].value, moved = "Amber", moved + 1
    actions.cell(row=3, column=ref + 1).value = "OLD-1"  # removed since, and one new
    actions.delete_rows(4)  # one more action new since
    wb.save(previous)
    broken = write_plan_workbook(
        folder / "plan-with-errors.xlsx",
        actions=[
            action_row(ref="A1", rag="Purple"),
            action_row(ref="A2", point="9.9", action="Publish the access audit."),
            action_row(ref="A3", action="Train managers.", owner="Workforce Team"),
        ],
    )
    return {"previous": previous, "current": EXAMPLE, "broken": broken}


def _axe(browser) -> dict:
    browser.execute_script(browser.axe_source)
    results = browser.execute_async_script(RUN_AXE)
    assert "error" not in results, results
    # axe really looked: the rules every page depends on ran and passed
    assert {
        "html-lang-valid",
        "landmark-one-main",
        "page-has-heading-one",
        "color-contrast",
    } <= set(results["passes"])
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, results["violations"]
    assert not results["violations"], results["violations"]  # none at all, today
    return results


def _screenshot(browser, name: str, tmp_path: Path) -> None:
    """A full-width screenshot of the page, kept in EQPLAN_SCREENSHOT_DIR when set."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(height + 140, 900), 2400))
    shot = tmp_path / name
    assert browser.save_screenshot(str(shot))
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20  # text and rules, not a blank page
    if os.environ.get("EQPLAN_SCREENSHOT_DIR"):
        shutil.copyfile(shot, Path(os.environ["EQPLAN_SCREENSHOT_DIR"]) / name)
    browser.set_window_size(1280, 900)


def _submit(browser, files: dict[str, Path | list[Path]]) -> None:
    from selenium.webdriver.common.by import By

    for field, paths in files.items():  # a list: several files into one `multiple` field
        given = paths if isinstance(paths, list) else [paths]
        browser.find_element(By.ID, field).send_keys("\n".join(map(str, given)))
    form = browser.find_element(By.ID, next(iter(files))).find_element(By.XPATH, "./ancestor::form")
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("document.documentElement.dataset.leaving = 'yes'")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def next_page_loaded(driver) -> bool:  # the marked page is gone and the next one complete
        return driver.execute_script(
            "return !document.documentElement.dataset.leaving && document.readyState == 'complete'"
        )

    WebDriverWait(browser, 120, ignored_exceptions=(WebDriverException,)).until(next_page_loaded)


def _links(browser) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    return {
        a.get_attribute("href").rsplit("/", 1)[1]: a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, "a[href*='/download/']")
    }


def test_start_page(browser, server, tmp_path):
    browser.get(server + "/")
    assert browser.title == "Make your equality action plan documents - eqplan"
    _axe(browser)
    _screenshot(browser, "web-start.png", tmp_path)


def test_upload_the_example_and_download_the_plan(browser, server, workbooks, tmp_path):
    browser.get(server + "/")
    _submit(browser, {"workbook": workbooks["current"]})
    assert browser.title == "Your documents are ready - eqplan"
    _axe(browser)
    links = _links(browser)
    assert "example-plan.docx" in links and "example-plan-checked.xlsx" in links
    with urllib.request.urlopen(links["example-plan.docx"], timeout=30) as response:
        plan = docx.Document(io.BytesIO(response.read()))
    assert "Example Borough Council" in "\n".join(p.text for p in plan.paragraphs)
    _screenshot(browser, "web-results.png", tmp_path)


def test_choose_welsh_and_english_documents(browser, server, workbooks):
    """Both languages, chosen by clicking the label: the Welsh plan listed first, then the English."""
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.find_element(By.CSS_SELECTOR, "label[for=language-both]").click()
    assert browser.find_element(By.ID, "language-both").is_selected()
    _submit(browser, {"workbook": workbooks["current"]})
    assert browser.title == "Your documents are ready - eqplan"
    _axe(browser)
    names = list(_links(browser))
    assert names.index("example-plan-cy.docx") < names.index("example-plan-en.docx")
    with urllib.request.urlopen(_links(browser)["example-plan-cy.docx"], timeout=30) as response:
        plan = docx.Document(io.BytesIO(response.read()))
    assert plan.core_properties.language == "cy-GB"


def test_the_welsh_start_and_results_pages(browser, server, workbooks):
    """The language link leads to the Welsh page; axe finds nothing on it or its results (issue 15)."""
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    link = browser.find_element(By.CSS_SELECTOR, "a.header-language")
    assert (link.text, link.get_attribute("lang")) == ("Cymraeg", "cy")
    link.click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "cy"
    assert browser.title == "Gwneud dogfennau eich cynllun gweithredu cydraddoldeb - eqplan"
    assert browser.find_element(By.ID, "language-cy").is_selected()  # Welsh documents first
    _axe(browser)
    _submit(browser, {"workbook": workbooks["current"]})
    assert browser.title == "Mae eich dogfennau'n barod - eqplan"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "cy"
    assert "example-plan-cy.docx" in _links(browser)
    _axe(browser)
    browser.get(server + "/?lang=cy")
    _submit(browser, {"workbook": workbooks["broken"]})
    assert browser.title.startswith("Gwall: ")
    _axe(browser)


def test_a_broken_workbook_lists_its_problems(browser, server, workbooks, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    _submit(browser, {"workbook": workbooks["broken"]})
    assert browser.title.startswith("Error: ")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    first = summary.find_element(By.TAG_NAME, "a")
    assert first.text.startswith("Actions!")
    _axe(browser)
    _screenshot(browser, "web-problems.png", tmp_path)
    first.click()  # the summary's link reaches the problem's row
    target = browser.execute_script("return location.hash")
    assert browser.find_element(By.ID, target[1:]).is_displayed()


def test_compare_two_quarters(browser, server, workbooks, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.find_element(By.LINK_TEXT, "Compare two workbooks").click()
    assert browser.title == "Compare with the last report - eqplan"
    _axe(browser)
    _submit(browser, {"previous": workbooks["previous"], "current": workbooks["current"]})
    assert browser.title == "What changed since the last report - eqplan"
    movements = browser.find_element(By.ID, "movements").text
    assert "Amber to Green" in movements
    assert browser.find_element(By.ID, "removed").text.count("OLD-1") == 1
    _axe(browser)
    links = _links(browser)
    assert sorted(links) == ["example-plan-changes.docx", "example-plan-changes.xlsx"]
    with urllib.request.urlopen(links["example-plan-changes.docx"], timeout=30) as response:
        assert response.read().startswith(b"PK")
    _screenshot(browser, "web-compare.png", tmp_path)


def test_merge_the_owners_returns(browser, server, returns_made, tmp_path_factory, tmp_path):
    from selenium.webdriver.common.by import By

    sent = owners_returns(tmp_path_factory.mktemp("web-browser-returns"), returns_made)
    browser.get(server + "/")
    browser.find_element(By.LINK_TEXT, "Merge the returns").click()
    assert browser.title == "Merge the owners' returns - eqplan"
    _axe(browser)
    _submit(browser, {"plan": sent["plan"], "returns": sent["returns"]})
    assert browser.title == "Error: The returns are merged - eqplan"  # two returns refused
    rows = browser.find_element(By.ID, "returns").find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 5 and sum("Refused" in row.text for row in rows) == 2
    assert "EB01" in browser.find_element(By.ID, "conflicts").text
    assert "EB46" in browser.find_element(By.ID, "locked-changed").text
    _axe(browser)
    links = _links(browser)
    assert list(links) == ["plan-merged.xlsx"]
    with urllib.request.urlopen(links["plan-merged.xlsx"], timeout=30) as response:
        merged = openpyxl.load_workbook(io.BytesIO(response.read()))
    assert "Actions" in merged.sheetnames
    _screenshot(browser, "web-merge.png", tmp_path)
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    summary.find_element(By.TAG_NAME, "a").click()  # the summary's link reaches the return's row
    target = browser.execute_script("return location.hash")
    assert browser.find_element(By.ID, target[1:]).is_displayed()
