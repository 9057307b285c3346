"""The data catalogue, a dataset page and an indicator page in headless Chromium, in Dutch and
English: no console errors, zero axe-core WCAG 2.0/2.1 A and AA violations, the document
language, charts wrapped accessibly and no Dutch interface text on the English pages (the
checks of every page, test_accessibility.check_page, on the load the per-page suites share:
page_visits.py, so the sweep over every page costs no second load); and a search typed into
the catalogue's form becomes the page's address. What the pages say is pinned without a
browser (tests/integration/test_data_pages.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from tests.browser import harness
from tests.browser.site_pages import open_or_skip

pytestmark = pytest.mark.browser

PAGES = (
    "/data",
    "/data?q=rioolwater&status=archived",
    "/data/rivm_cases",
    "/data/indicator/covid_cases_per_100k_7d",
)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_data_page_is_clean_and_accessible(visited, path, lang):
    visit = visited(path, lang)
    assert not visit.not_found, f"{path} answers with the 404 page"
    failures = visit.accessibility + visit.console
    assert not failures, "\n".join(failures)


def test_a_search_in_the_catalogue_form_becomes_the_address(page):
    driver = open_or_skip(page, "/data", "en", graphs=False)
    box = driver.find_element(By.ID, "data-q")
    box.send_keys("Rioolwáter")
    Select(driver.find_element(By.ID, "data-filter-kind")).select_by_value("indicator")
    harness.click(driver, driver.find_element(By.CSS_SELECTOR, "#data-search button[type=submit]"))
    harness.wait_for(
        driver,
        lambda d: "q=" in urlsplit(d.current_url).query,
        msg="the search did not become the address",
    )
    harness.wait_for_dash(driver, graphs=False)
    query = parse_qs(urlsplit(driver.current_url).query)
    assert query["q"] == ["Rioolwáter"] and query["kind"] == ["indicator"]
    assert query["lang"] == ["en"]
    results = driver.find_element(By.ID, "data-results").text
    assert "sewage" in results.lower() and "Datasets (" not in results
