"""Home and status pages in a real browser: real figures, clean console, axe-clean, phone width."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser import harness

pytestmark = pytest.mark.browser


def _assert_clean(driver, name: str) -> None:
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {name}: {errors}"
    violations = harness.run_axe(driver)
    assert not violations, harness.format_violations(violations, name)


def test_home_page_shows_emmen_headline_figures(page):
    driver = page("/", graphs=False)
    tiles = driver.find_element(By.ID, "theme-start-0-tiles").text
    assert "Positief geteste mensen" in tiles
    assert "Gearchiveerd" in tiles
    assert "107.048" in tiles or "109.346" in tiles  # population, Dutch number format
    assert driver.execute_script("return document.documentElement.lang") == "nl"
    _assert_clean(driver, "/")


def test_home_page_in_english(page):
    driver = page("/?lang=en", graphs=False)
    tiles = driver.find_element(By.ID, "theme-start-0-tiles").text
    assert "Positive tests" in tiles
    assert "Archived" in tiles
    assert driver.execute_script("return document.documentElement.lang") == "en"
    _assert_clean(driver, "/?lang=en")


def test_status_page_lists_every_dataset(page):
    driver = page("/status", graphs=False)
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "COVID-19 aantallen per gemeente" in text
    assert "Wijkgrenzen Emmen" in text
    _assert_clean(driver, "/status")


@pytest.mark.parametrize("path", ["/", "/status"])
def test_page_fits_a_375_px_phone(page, path):
    driver = page(path, graphs=False, width=375, height=800)
    harness.assert_no_horizontal_scroll(driver)
    harness.save_screenshot(driver, f"phone{path.replace('/', '_') or '_home'}")
    _assert_clean(driver, path)
