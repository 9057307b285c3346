"""The area report page and the print stylesheet in a real browser, for what needs one: the
report page renders cleanly and passes axe, and Chromium's print media (emulated through the
DevTools protocol) hides the site's navigation and controls and puts charts at page width.
The report's content, the PDF and its accessibility are pinned without a browser
(tests/integration/test_reports.py)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser import harness

pytestmark = pytest.mark.browser

# What must not be printed: the site's header and navigation, the footer, the skip link, the
# breadcrumb, buttons and download links (the profile's links to its report among them).
HIDDEN_IN_PRINT = (
    "#site-header",
    "#site-footer",
    ".skip-link",
    "nav",
    "button",
    "a[download]",
    ".mm-report-links",
    ".mm-downloads",
    ".mm-embed-dialog",
)

_DISPLAYED_JS = """
return arguments[0].map(selector => [selector, Array.from(document.querySelectorAll(selector))
  .filter(el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0)
  .length]);
"""

_WIDTHS_JS = """
const main = document.querySelector('#main-content .container-lg, #main-content > *');
const graph = document.querySelector('.mm-figure');
return {main: main.getBoundingClientRect().width, graph: graph.getBoundingClientRect().width};
"""


def _emulate_media(driver, media: str) -> None:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})


def test_report_page_renders_cleanly_and_passes_axe(browser, live_app):
    harness.set_viewport(browser, 1280, 900)
    harness.console_errors(browser)  # drop what earlier tests left
    browser.get(live_app.url + "/rapport/WK011401")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Rapport: Wijk 01 Nieuw-Weerdinge"
    images = browser.find_elements(By.CSS_SELECTOR, "figure img")
    assert images and all(
        browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)
        for img in images
    ), "every chart's SVG is drawn"
    assert not harness.console_errors(browser)
    violations = harness.run_axe(browser)
    assert not violations, harness.format_violations(violations, "/rapport/WK011401")
    harness.set_viewport(browser, 320, 800)  # a phone: the table scrolls, the page does not
    harness.assert_no_horizontal_scroll(browser)
    harness.set_viewport(browser, 1280, 900)
    _emulate_media(browser, "print")
    try:
        shown = dict(browser.execute_script(_DISPLAYED_JS, [".report-controls", "h1"]))
        assert shown == {".report-controls": 0, "h1": 1}
    finally:
        _emulate_media(browser, "")


def test_print_media_hides_navigation_and_controls_and_widens_charts(page):
    driver = page("/buurten/WK011401")
    screen = dict(driver.execute_script(_DISPLAYED_JS, list(HIDDEN_IN_PRINT)))
    assert all(screen[s] > 0 for s in ("#site-header", "#site-footer", "nav", "a[download]"))
    _emulate_media(driver, "print")
    try:
        printed = dict(driver.execute_script(_DISPLAYED_JS, list(HIDDEN_IN_PRINT)))
        assert printed == dict.fromkeys(HIDDEN_IN_PRINT, 0), printed
        assert driver.find_element(By.TAG_NAME, "h1").is_displayed()
        widths = driver.execute_script(_WIDTHS_JS)
        assert widths["graph"] >= widths["main"] - 2, widths  # the chart spans the page
    finally:
        _emulate_media(driver, "")
