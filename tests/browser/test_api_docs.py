"""The /api documentation page in a real browser: no console errors, no axe violations, in
Dutch and English, and no sideways scrolling at 320 px (its content is pinned in
tests/integration/test_api_schema.py)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser import harness

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("query", ["", "?lang=en"])
def test_the_api_page_is_clean_and_accessible(browser, live_app, query):
    harness.console_errors(browser)  # drop what earlier tests left
    browser.get(f"{live_app.url}/api{query}")
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == ("API and downloads" if query else "API en downloads")
    assert browser.find_elements(By.CSS_SELECTOR, "section h2 code")
    errors = harness.console_errors(browser)
    assert not errors, f"console errors on /api{query}: {errors}"
    violations = harness.run_axe(browser)
    assert not violations, harness.format_violations(violations, f"/api{query}")


def test_the_api_page_reflows_at_phone_width(browser, live_app):
    harness.set_viewport(browser, 320, 800)
    try:
        browser.get(f"{live_app.url}/api")
        harness.assert_no_horizontal_scroll(browser)
    finally:
        harness.set_viewport(browser, 1280, 900)
