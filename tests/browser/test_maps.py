"""The map pages in a real browser: the municipality map (/corona/kaart), the neighbourhood map
(/buurten) and the area profile (/buurten/<code>), on the real app with the mirrored data."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

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


def _table_values(driver, table_id: str) -> dict[str, str]:
    """Area name -> value text from a ranking table (rank, name, value columns)."""
    rows = driver.execute_script(
        """return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr'))
             .map(r => Array.from(r.children).map(c => c.textContent.trim()));""",
        table_id,
    )
    return {row[1]: row[2] for row in rows}


# Neighbourhood map ---------------------------------------------------------------------


def test_neighbourhood_map_draws_all_27_wijken_with_a_legend(page):
    driver = page("/buurten")
    trace = _trace(driver, NEIGHBOURHOOD_GRAPH)
    assert len(trace["locations"]) == 27
    assert len(trace["fills"]) == 27
    assert all(code.startswith("WK0114") for code in trace["locations"])
    legend = _text(driver, "nbh-legend")
    assert "wijken)" in legend and "kwantielen" in legend
    assert "Gemiddelde van de wijken" in legend
    summary = _text(driver, "nbh-map-summary")
    assert "Wijk 08 Klazienaveen" in summary and "11.935 inwoners" in summary
    _assert_clean(driver, "/buurten")


def test_switching_indicator_changes_colours_and_legend_and_url(page):
    driver = page("/buurten")
    before_fills = _trace(driver, NEIGHBOURHOOD_GRAPH)["fills"]
    before_legend = _text(driver, "nbh-legend")
    Select(driver.find_element(By.ID, "nbh-indicator")).select_by_value("age_65_plus_pct")
    harness.wait_for(
        driver,
        lambda d: "% van de inwoners" in _text(d, "nbh-legend"),
        20,
        "legend did not switch to the new indicator",
    )
    harness.wait_for_dash(driver)
    after = _trace(driver, NEIGHBOURHOOD_GRAPH)
    assert after["fills"] != before_fills
    assert _text(driver, "nbh-legend") != before_legend
    assert "gelijke intervallen" in _text(driver, "nbh-legend")
    assert "Inwoners van 65 jaar of ouder per wijk, 2021" in _text(driver, "nbh-map-title")
    query = parse_qs(urlparse(driver.current_url).query)
    assert query["indicator"] == ["age_65_plus_pct"]
    _assert_clean(driver, "/buurten (65+)")


def test_shared_url_restores_indicator_and_year(page):
    driver = page("/buurten?indicator=population&year=2021")
    assert "Inwoners per wijk, 2021" in _text(driver, "nbh-map-title")
    assert "Klazienaveen" in _text(driver, "nbh-map-summary")
    checked = driver.find_element(By.CSS_SELECTOR, "#nbh-year input:checked")
    assert checked.get_attribute("value") == "2021"


def test_table_has_the_same_numbers_as_the_map(page):
    driver = page("/buurten?indicator=household_size")
    trace = _trace(driver, NEIGHBOURHOOD_GRAPH)
    on_map = {name: data[0] for name, data in zip(trace["names"], trace["customdata"], strict=True)}
    in_table = _table_values(driver, "nbh-sorted-table")
    assert in_table == on_map
    assert len(in_table) == 27
    assert re.fullmatch(r"\d,\d", in_table["Wijk 08 Klazienaveen"])


def test_sorting_the_table_by_name(page):
    driver = page("/buurten")
    button = driver.find_element(By.CSS_SELECTOR, "#nbh-sorted-table th:nth-child(2) button")
    harness.click(driver, button)
    harness.wait_for(
        driver,
        lambda d: _attribute(d, "#nbh-sorted-table th:nth-child(2)", "aria-sort") == "ascending",
        20,
        "table was not sorted by name",
    )
    names = list(_table_values(driver, "nbh-sorted-table"))
    assert names == sorted(names, key=str.casefold)


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


def test_buurt_level_shows_boundaries_and_says_there_are_no_figures(page):
    driver = page("/buurten?level=bu")
    trace = _trace(driver, NEIGHBOURHOOD_GRAPH)
    assert len(trace["locations"]) == 83
    notes = _text(driver, "nbh-notes")
    assert "geen cijfers uit deze bron" in notes
    assert "schematisch" in notes
    fill = driver.execute_script(
        "return getComputedStyle(document.querySelector("
        "'#nbh-map-graph path.choroplethlocation')).fill"
    )
    assert "mm-no-data-hatch" in fill  # hatched, not a colour that could read as a value
    assert "Geen gegevens of geheim (83 buurten)" in _text(driver, "nbh-legend")
    _assert_clean(driver, "/buurten?level=bu")


def test_switching_level_to_buurten_and_back(page):
    driver = page("/buurten")
    harness.click(
        driver,
        driver.find_element(
            By.CSS_SELECTOR, "label[for='_dbcprivate_radioitems_nbh-level_input_bu']"
        ),
    )
    harness.wait_for(
        driver, lambda d: len(_trace(d, NEIGHBOURHOOD_GRAPH)["locations"]) == 83, 20, "no buurten"
    )
    assert parse_qs(urlparse(driver.current_url).query)["level"] == ["bu"]
    harness.click(
        driver,
        driver.find_element(
            By.CSS_SELECTOR, "label[for='_dbcprivate_radioitems_nbh-level_input_wk']"
        ),
    )
    harness.wait_for(
        driver, lambda d: len(_trace(d, NEIGHBOURHOOD_GRAPH)["locations"]) == 27, 20, "no wijken"
    )
    harness.wait_for_dash(driver)
    _assert_clean(driver, "/buurten after switching level")


def test_neighbourhood_map_in_english(page):
    driver = page("/buurten?lang=en")
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Districts" in main and "Inhabitants per district, 2024" in main
    for dutch in ("Wijken en buurten", "Legenda", "Kies een", "Vergelijk", "Toon tabel"):
        assert dutch not in main
    _assert_clean(driver, "/buurten?lang=en")


def test_area_profile_compares_with_emmen(page):
    driver = page("/buurten/WK011408")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Wijk 08 Klazienaveen"
    table = _text(driver, "area-profile-indicators")
    assert "11.935" in table and "109.346" in table  # the wijk and Emmen
    children = driver.find_element(By.TAG_NAME, "main").text
    assert "Buurten in deze wijk" in children and "Klazienaveen-Noord" in children
    trace = _trace(driver, "area-locator-graph")
    assert len(trace["locations"]) == 27
    _assert_clean(driver, "/buurten/WK011408")


def test_buurt_profile_names_its_wijk_and_has_no_figures(page):
    driver = page("/buurten/BU01140100")
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Wijk 01 Nieuw-Weerdinge" in main
    assert "geen cijfers uit deze bron" in main
    _assert_clean(driver, "/buurten/BU01140100")


def test_unknown_area_says_so(page):
    driver = page("/buurten/WK999999", graphs=False)
    assert "Gebied niet gevonden" in driver.find_element(By.TAG_NAME, "h1").text


# Municipality map ----------------------------------------------------------------------


def test_municipality_map_shows_342_gemeenten(page):
    driver = page("/corona/kaart")
    trace = _trace(driver, CORONA_GRAPH)
    assert len(trace["locations"]) == 342
    assert len(trace["fills"]) == 342
    legend = _text(driver, "corona-map-legend")
    assert "Vaste klassengrenzen" in legend and "Emmen:" in legend
    assert "minder dan 5 " in legend and "200 of meer" in legend
    _assert_clean(driver, "/corona/kaart")


def test_week_slider_changes_values_table_and_url(page):
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
    _assert_clean(driver, "/corona/kaart after a week change")


def test_switching_topic_and_zoom_to_drenthe(page):
    driver = page("/corona/kaart?week=2021-W10")
    harness.click(
        driver,
        driver.find_element(
            By.CSS_SELECTOR,
            "label[for='_dbcprivate_radioitems_corona-map-indicator_input_covid_hospital_admissions_per_100k_7d']",
        ),
    )
    harness.wait_for(
        driver, lambda d: "Ziekenhuisopnames" in _text(d, "corona-map-title"), 20, "no switch"
    )
    harness.click(
        driver,
        driver.find_element(
            By.CSS_SELECTOR, "label[for='_dbcprivate_radioitems_corona-map-zoom_input_PV22']"
        ),
    )
    harness.wait_for(
        driver,
        lambda d: "zoom=PV22" in d.current_url,
        20,
        "the zoom did not reach the URL",
    )
    harness.wait_for_dash(driver)
    geo = driver.execute_script(
        "return document.querySelector('#corona-map-graph .js-plotly-plot').layout.geo"
    )
    assert geo["lonaxis"]["range"][0] > 6 and geo["lataxis"]["range"][0] > 52.5
    harness.save_screenshot(driver, "corona_map_drenthe")


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


# /corona/kaart, /buurten and /buurten/WK011401 at 375 px: test_phone.py, with every page.
@pytest.mark.parametrize("path", ["/buurten?level=bu", "/buurten/WK011408"])
def test_map_pages_fit_a_375_px_phone(page, path):
    driver = page(path, width=375, height=800)
    time.sleep(0.3)
    harness.assert_no_horizontal_scroll(driver)
    harness.save_screenshot(driver, f"phone{path.replace('/', '_')}", full_page=True)
    _assert_clean(driver, f"{path} at 375 px")
