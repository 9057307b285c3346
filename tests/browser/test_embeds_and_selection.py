"""An embedded chart page (`?embed=1`) and the own area selection (/buurten/selectie) in a real
browser: they render without console errors and pass axe; the embed dialog's script writes the
<iframe> code of the page as it is shown. Their content is pinned without a browser
(tests/integration/test_embeds.py, test_selection_page.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By

from tests.browser import harness

pytestmark = pytest.mark.browser


def _assert_clean(driver, name: str) -> None:
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {name}: {errors}"
    violations = harness.run_axe(driver)
    assert not violations, harness.format_violations(violations, name)


def _shown(driver, selector: str) -> list:
    return [el for el in driver.find_elements(By.CSS_SELECTOR, selector) if el.is_displayed()]


def test_an_embedded_map_shows_only_the_figure_and_passes_axe(page):
    driver = page("/buurten?level=wk&indicator=population&embed=1&figuur=nbh-map")
    assert not _shown(driver, "#site-header") and not _shown(driver, "#site-footer")
    blocks = _shown(driver, ".mm-block")
    assert len(blocks) == 1 and blocks[0].find_element(By.ID, "nbh-map-graph")
    assert "Bron:" in driver.find_element(By.ID, "nbh-map-meta").text
    back = driver.find_element(By.CSS_SELECTOR, ".mm-embed-back a")
    assert "embed" not in parse_qs(urlsplit(back.get_attribute("href")).query)
    assert not _shown(driver, ".mm-embed-dialog")
    _assert_clean(driver, "embedded neighbourhood map")


def test_the_selection_page_passes_axe_and_gives_the_embed_code(page):
    driver = page("/buurten/selectie?gebieden=WK011401,WK011402")
    assert driver.find_element(By.ID, "sel-result-table")
    _assert_clean(driver, "selection page")
    dialog = driver.find_element(By.CSS_SELECTOR, "#sel-result .mm-embed-dialog summary")
    harness.click(driver, dialog)
    code = driver.find_element(By.ID, "sel-result-embed-code")
    harness.wait_for(driver, lambda d: code.get_attribute("value"), 5, "no embed code")
    value = code.get_attribute("value")
    assert value.startswith("<iframe src=") and 'title="' in value
    src = value.split('"')[1].replace("&amp;", "&")
    query = parse_qs(urlsplit(src).query)
    assert query["embed"] == ["1"] and query["figuur"] == ["sel-result"]
    assert query["gebieden"] == ["WK011401,WK011402"]
