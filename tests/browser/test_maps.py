"""The map pages in a real browser, for what needs one: real mouse clicks on a drawn area, the
keyboard, the hatched fill of areas without figures, and the municipality table that the
browser rebuilds from the patched map. Map values, legends, summaries, tables, shared addresses
and the switches are pinned without a browser (tests/integration/test_map_pages.py); axe,
keyboard and phone width of every page in test_accessibility.py, test_keyboard.py and
test_phone.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import harness

pytestmark = pytest.mark.browser

NEIGHBOURHOOD_GRAPH = "nbh-map-graph"
CORONA_GRAPH = "corona-map-graph"

# The trace as the browser holds it: locations, the fill of each drawn area, hover texts.
_TRACE_JS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
const trace = gd.data[0];
const fills = Array.from(gd.querySelectorAll('path.choroplethlocation'))
    .map(p => p.getAttribute('fill'));
return {locations: Array.from(trace.locations), names: Array.from(trace.text),
        customdata: Array.from(trace.customdata), z: Array.from(trace.z), fills: fills};
"""

# A point inside the drawn area of `location`, not covered by anything outside the map.
_POINT_IN_AREA_JS = """
const [graph, code] = arguments;
const gd = document.querySelector('#' + graph + ' .js-plotly-plot');
const index = Array.from(gd.data[0].locations).indexOf(code);
const path = gd.querySelectorAll('path.choroplethlocation')[index];
path.scrollIntoView({block: 'center', behavior: 'instant'});
const box = path.getBoundingClientRect();
for (let fy = 0.5; fy < 1; fy += 0.05) {
  for (const sy of [1, -1]) {
    for (let fx = 0.5; fx < 1; fx += 0.05) {
      for (const sx of [1, -1]) {
        const x = box.left + box.width * (0.5 + sx * (fx - 0.5));
        const y = box.top + box.height * (0.5 + sy * (fy - 0.5));
        // Inside the area's shape, and nothing above it but the map's own layers (Plotly
        // draws the areas without pointer events and finds the area under the mouse itself).
        const local = new DOMPoint(x, y).matrixTransform(path.getScreenCTM().inverse());
        if (path.isPointInFill(local) && gd.contains(document.elementFromPoint(x, y))) {
          return {x: x - box.left - box.width / 2, y: y - box.top - box.height / 2, index: index};
        }
      }
    }
  }
}
return null;
"""


def _trace(driver, graph: str) -> dict:
    return driver.execute_script(_TRACE_JS, graph)


def _assert_clean(driver, name: str) -> None:
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {name}: {errors}"
    violations = harness.run_axe(driver)
    assert not violations, harness.format_violations(violations, name)


def _text(driver, element_id: str) -> str:
    """The element's text, read in one go (the page may redraw it between two calls)."""
    return driver.execute_script(
        "const el = document.getElementById(arguments[0]); return el ? el.textContent : '';",
        element_id,
    )


def _attribute(driver, selector: str, name: str) -> str | None:
    return driver.execute_script(
        "const el = document.querySelector(arguments[0]);"
        "return el ? el.getAttribute(arguments[1]) : null;",
        selector,
        name,
    )


def _click_area(driver, graph: str, code: str) -> None:
    """Click the area `code` on the map with the mouse, as a user does."""
    point = driver.execute_script(_POINT_IN_AREA_JS, graph, code)
    assert point is not None, f"no clickable point inside {code}"
    path = driver.find_elements(By.CSS_SELECTOR, f"#{graph} path.choroplethlocation")[
        point["index"]
    ]
    ActionChains(driver).move_to_element_with_offset(path, int(point["x"]), int(point["y"])).pause(
        0.3
    ).click().perform()


def _wait_for_path(driver, path: str, timeout: float = 20) -> None:
    harness.wait_for(
        driver,
        lambda d: urlparse(d.current_url).path == path,
        timeout,
        f"expected to arrive at {path}, still at {driver.current_url}",
    )
    harness.wait_for_dash(driver, graphs=False)


# Neighbourhood map ---------------------------------------------------------------------


def test_clicking_a_wijk_opens_its_profile(page):
    driver = page("/buurten")
    _click_area(driver, NEIGHBOURHOOD_GRAPH, "WK011408")
    _wait_for_path(driver, "/buurten/WK011408")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Wijk 08 Klazienaveen"


def test_keyboard_user_finds_a_wijk_and_opens_its_profile(page):
    driver = page("/buurten")
    search = harness.tab_to(driver, "#nbh-search", max_tabs=60)
    assert harness.focus_visible(driver)
    search.send_keys("wijk 08 klazienaveen")
    harness.wait_for(
        driver,
        lambda d: (_attribute(d, "#nbh-open", "href") or "").endswith("/buurten/WK011408"),
        20,
        "profile link did not appear",
    )
    assert driver.find_element(By.ID, "nbh-open").is_displayed()
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("id") == "nbh-open"
    assert harness.focus_visible(driver)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    _wait_for_path(driver, "/buurten/WK011408")


def test_buurten_without_figures_are_hatched_and_the_page_reflows(page):
    driver = page("/buurten?level=bu")
    assert len(_trace(driver, NEIGHBOURHOOD_GRAPH)["locations"]) == 83
    fill = driver.execute_script(
        "return getComputedStyle(document.querySelector("
        "'#nbh-map-graph path.choroplethlocation')).fill"
    )
    assert "mm-no-data-hatch" in fill  # hatched, not a colour that could read as a value
    _assert_clean(driver, "/buurten?level=bu")
    for width in (375, 320):
        harness.resize_and_settle(driver, width, 800)
        harness.assert_reflows(driver, f"/buurten?level=bu at {width} px")


# Municipality map ----------------------------------------------------------------------


def test_the_week_slider_moves_with_a_key_and_the_browser_rebuilds_the_table(page):
    driver = page("/corona/kaart?week=2021-W10")
    before = _trace(driver, CORONA_GRAPH)
    assert "week 10 van 2021" in _text(driver, "corona-map-week-text")
    slider = driver.find_element(By.ID, "corona-map-week")
    slider.send_keys(Keys.ARROW_RIGHT)
    harness.wait_for(
        driver,
        lambda d: "week 11 van 2021" in _text(d, "corona-map-week-text"),
        20,
        "the week did not move on",
    )
    harness.wait_for_dash(driver)
    after = _trace(driver, CORONA_GRAPH)
    assert after["customdata"] != before["customdata"]
    assert parse_qs(urlparse(driver.current_url).query)["week"] == ["2021-W11"]
    emmen = after["locations"].index("GM0114")
    row = driver.execute_script(
        """return Array.from(document.querySelectorAll('#corona-map-table-html tbody tr'))
             .map(r => Array.from(r.children).map(c => c.textContent))
             .find(r => r[0] === 'Emmen');"""
    )
    assert row[1:] == after["customdata"][emmen]  # the table follows the map
    assert not harness.console_errors(driver)


def test_clicking_a_municipality_opens_its_corona_page(page):
    driver = page("/corona/kaart?zoom=PV22&lang=en")
    _click_area(driver, CORONA_GRAPH, "GM0106")  # Assen
    harness.wait_for(
        driver,
        lambda d: urlparse(d.current_url).path == "/corona/GM0106",
        20,
        f"expected the corona page of Assen, still at {driver.current_url}",
    )
    assert parse_qs(urlparse(driver.current_url).query)["lang"] == ["en"]


def test_keyboard_user_opens_a_municipality_from_the_search_box(page):
    driver = page("/corona/kaart")
    search = harness.tab_to(driver, "#corona-map-search", max_tabs=80)
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys("Assen")
    harness.wait_for(
        driver, lambda d: "Assen" in _text(d, "corona-map-open"), 20, "link did not follow"
    )
    ActionChains(driver).send_keys(Keys.TAB, Keys.ENTER).perform()
    harness.wait_for(
        driver,
        lambda d: urlparse(d.current_url).path == "/corona/GM0106",
        20,
        f"expected the corona page of Assen, still at {driver.current_url}",
    )
