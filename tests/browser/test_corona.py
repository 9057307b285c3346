"""The corona overview in a real browser: what only the browser does. The table alternative is
written by the browser from the chart's own data, the period slider is moved with keys, and the
page for an unknown municipality passes axe. The figures, texts, share URL, search box and
comparison are pinned without a browser (tests/integration/test_corona_page.py); axe, keyboard,
English text and phone width of the page are checked with every page (test_accessibility.py,
test_keyboard.py, test_phone.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import harness

pytestmark = pytest.mark.browser

BLOCKS = ("cases", "hospital", "deaths", "sewage", "compare", "vaccination")

_FIGURE_JS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
return gd.data.map(t => ({
  name: t.name, x0: t.x0 || null, dx: t.dx || null,
  x: t.x ? Array.from(t.x) : null, y: t.y ? Array.from(t.y) : null,
}));
"""

_TABLE_JS = """
const box = document.getElementById(arguments[0]);
const cells = el => Array.from(el.children).map(c => {
  const time = c.querySelector('time');
  return time ? time.getAttribute('datetime') : c.textContent;
});
return {
  caption: (box.querySelector('caption') || {}).textContent,
  head: cells(box.querySelector('thead tr')),
  rows: Array.from(box.querySelectorAll('tbody tr')).map(cells),
};
"""


def _assert_no_console_errors(driver, name: str, *, page_is_404: bool = False) -> None:
    errors = harness.console_errors(driver, page_is_404=page_is_404)
    assert not errors, f"console errors on {name}: {errors}"


def _assert_clean(driver, name: str, *, page_is_404: bool = False) -> None:
    _assert_no_console_errors(driver, name, page_is_404=page_is_404)
    violations = harness.run_axe(driver)
    assert not violations, harness.format_violations(violations, name)


def _figure(driver, block: str) -> list[dict]:
    return driver.execute_script(_FIGURE_JS, f"corona-{block}-graph")


def _days(trace: dict) -> list[str]:
    if trace["x"] is not None:
        return [str(x)[:10] for x in trace["x"]]
    first = dt.date.fromisoformat(trace["x0"])
    step = dt.timedelta(milliseconds=trace["dx"])
    return [(first + i * step).isoformat() for i in range(len(trace["y"]))]


def _value_on(trace: dict, day: str):
    return dict(zip(_days(trace), trace["y"], strict=True)).get(day)


def _number(text: str, lang: str = "nl") -> float | None:
    text = text.strip().rstrip("%")
    if text in ("–", ""):
        return None
    if lang == "nl":
        text = text.replace(".", "").replace(",", ".")
    return float(text.replace(",", ""))


def _query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def _checked(driver, group_id: str) -> list[str]:
    return [
        radio.get_attribute("value")
        for radio in driver.find_elements(By.CSS_SELECTOR, f"#{group_id} input:checked")
    ]


def test_the_browser_writes_every_table_from_its_chart(page):
    """One load, every block: dates in rows for trends, categories for the vaccination bars."""
    driver = page("/corona?period=1y")
    for block in BLOCKS:
        traces = _figure(driver, block)
        box = driver.find_element(By.ID, f"corona-{block}-table")
        assert box.get_attribute("data-rows") is None  # no table until it is asked for
        details = box.find_element(By.XPATH, "./ancestor::details")
        harness.click(driver, details.find_element(By.TAG_NAME, "summary"))
        harness.wait_for(
            driver, lambda _d, box=box: box.get_attribute("data-rows"), msg="no table written"
        )
        table = driver.execute_script(_TABLE_JS, f"corona-{block}-table")
        assert table["head"][1:] == [trace["name"] for trace in traces], block
        assert table["caption"], block
        if block == "vaccination":  # horizontal bars: a row per category, a column per edition
            expected = {
                (category, i): value
                for i, trace in enumerate(traces)
                for category, value in zip(trace["y"], trace["x"], strict=True)
            }
            assert [row[0] for row in table["rows"]] == traces[0]["y"]
        else:
            expected = {
                (day, i): value
                for i, trace in enumerate(traces)
                for day, value in zip(_days(trace), trace["y"], strict=True)
                if value is not None
            }
            keys = [row[0] for row in table["rows"]]
            assert keys == sorted({day for day, _ in expected}, reverse=True), block
        shown = {
            (row[0], i): _number(cell) for row in table["rows"] for i, cell in enumerate(row[1:])
        }
        assert {k: v for k, v in shown.items() if v is not None} == expected, block
        assert len(table["rows"]) > (1 if block == "vaccination" else 20), block
    _assert_no_console_errors(driver, "/corona with every table open")


def test_the_period_slider_works_with_the_keyboard(page):
    driver = page("/corona")
    handle = harness.tab_to(driver, "#corona-range [role=slider]", max_tabs=120)
    assert harness.focus_visible(driver)
    assert handle.get_attribute("aria-label") == "Begin van de periode"
    assert handle.get_attribute("aria-valuetext") in ("februari 2020", "maart 2020")
    for _ in range(12):
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    harness.wait_for(driver, lambda d: "from" in _query(d), timeout=20, msg=driver.current_url)
    harness.wait_for_dash(driver)
    assert _checked(driver, "corona-period") == []
    first = _query(driver)["from"][0]
    assert first.startswith("2021-")
    assert handle.get_attribute("aria-valuetext").endswith("2021")
    _bars, average = _figure(driver, "cases")
    assert _days(average)[0] >= f"{first}-01"
    assert "tot en met" in driver.find_element(By.ID, "corona-range-text").text


def test_an_unknown_municipality_offers_the_search_box(page):
    driver = page("/corona/atlantis", graphs=False)
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == "Gemeente niet gevonden"
    assert driver.find_element(By.ID, "corona-search").is_displayed()
    _assert_clean(driver, "/corona/atlantis", page_is_404=True)  # no such municipality: 404
