"""Release notes and a pinned page in Chromium: they render, pass axe, log no console error; the
permalink button makes a link that opens the same view pinned, and the pinned page's own Dash
requests go under /v/<version>/."""

from __future__ import annotations

import time

import pytest
import requests
from selenium.webdriver.common.by import By

from tests.browser import harness
from tests.browser.site_pages import run_axe

pytestmark = pytest.mark.browser


def _clean(driver, label: str) -> None:
    errors = harness.console_errors(driver)
    assert not errors, f"{label}: console errors: {errors}"
    violations = run_axe(driver)
    assert not violations, harness.format_violations(violations, label)


@pytest.fixture(scope="module")
def version(live_app) -> str:
    releases = requests.get(f"{live_app.url}/api/v1/releases", timeout=10).json()["releases"]
    return releases[0]["version"]


def test_the_release_notes_pages_render_cleanly(page, version):
    driver = page("/versies", graphs=False)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Versies van de cijfers"
    _clean(driver, "/versies")
    link = driver.find_element(By.CSS_SELECTOR, f"a[href='/versies/{version}']")
    harness.click(driver, link)
    harness.wait_for(
        driver, lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith("Versie van")
    )
    harness.wait_for_dash(driver, graphs=False)
    assert "Wijzigingen per dataset" in driver.find_element(By.TAG_NAME, "table").text
    _clean(driver, f"/versies/{version}")


def test_the_permalink_button_gives_a_link_that_opens_the_view_pinned(page, live_app, version):
    driver = page("/buurten/WK011401?lang=en", graphs=False)
    button = driver.find_element(By.ID, "permalink-button")
    started = time.perf_counter()
    harness.click(driver, button)
    field = harness.wait_for(
        driver, lambda d: d.find_element(By.ID, "permalink-output"), msg="no permalink shown"
    )
    elapsed = time.perf_counter() - started
    print(f"permalink shown {elapsed * 1000:.0f} ms after the click")
    link = field.get_attribute("value")
    assert link == f"{live_app.url}/v/{version}/buurten/WK011401?lang=en"
    assert button.get_attribute("aria-expanded") == "true"
    _clean(driver, "permalink panel")

    driver.get(link)
    harness.wait_for_dash(driver, graphs=False)
    notice = driver.find_element(By.ID, "pin-notice").text
    assert notice.startswith("As of ")
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Wijk 01")
    requested = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    dash_api = ("/_dash-layout", "/_dash-dependencies", "/_dash-update-component")
    dash_requests = [u for u in requested if u.endswith(dash_api)]
    assert dash_requests and all(f"/v/{version}/_dash-" in u for u in dash_requests)
    header_links = [
        a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#site-header a")
    ]
    assert all(f"/v/{version}/" in h for h in header_links if h and h.startswith(live_app.url))
    _clean(driver, "pinned page")


def test_an_unknown_version_is_a_404_page_that_passes_axe(browser, live_app):
    browser.get(f"{live_app.url}/v/19990101T000000000000Z/corona/GM0114")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Deze versie van de cijfers bestaat niet"
    assert not run_axe(browser)
