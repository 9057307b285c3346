"""What the browser loads: the plotly partial bundle (not plotly.min.js), no markdown or
dash_table chunks, no plotly at all on a page without a chart, and none for a map with a poster
until the reader uses the page; Dash's scripts only after the page's HTML."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from app.plotly_bundle import bundle_for, bundles
from tests.browser import harness

pytestmark = pytest.mark.browser

LOADED = "return performance.getEntriesByType('resource').map(e => e.name)"


def test_chart_page_draws_with_the_partial_bundle(page):
    driver = page("/corona/GM0114")
    loaded = driver.execute_script(LOADED)
    assert any("/assets/plotly/plotly-mmmeter.min.js?v=" in url for url in loaded), loaded
    assert not any("plotly.min.js" in url and "/assets/" not in url for url in loaded)
    registered = driver.execute_script("return Object.keys(Plotly.PlotSchema.get().traces)")
    assert set(registered) == set(bundle_for(None).traces)
    drawn = driver.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".map(g => g.data.map(t => t.type)).flat()"
    )
    assert drawn and set(drawn) <= set(registered)


def test_map_page_loads_no_markdown_no_dash_table(page):
    driver = page("/corona/kaart")
    loaded = driver.execute_script(LOADED)
    assert not [url for url in loaded if "markdown" in url or "highlight" in url], loaded
    assert not [url for url in loaded if "dash_table" in url], loaded
    rows = driver.execute_script(
        "return document.querySelectorAll('#corona-map-table-html tbody tr').length"
    )
    assert rows == 342


def test_page_without_a_chart_loads_no_plotly(page):
    driver = page("/status", graphs=False)
    loaded = driver.execute_script(LOADED)
    charts = [u for u in loaded if "/assets/plotly/" in u or "plotly.min.js" in u or "graph" in u]
    assert not charts, loaded


# Loads a bundle into a page without charts and runs its initialisation steps one by one.
EVALUATE_BUNDLE = """
const [src, done] = arguments;
const script = document.createElement("script");
script.src = src;
script.onload = () => {
  const steps = window.mmmeterPlotlySteps;
  let Plotly;
  for (const step of steps) Plotly = step();
  done({steps: steps.length, traces: Object.keys(Plotly.PlotSchema.get().traces),
        version: Plotly.version});
};
script.onerror = () => done({error: "not loaded"});
document.head.appendChild(script);
"""


@pytest.mark.parametrize("name", sorted(bundles()))
def test_each_bundle_initialises_in_steps_to_its_trace_types(page, name):
    driver = page("/status", graphs=False)
    bundle = bundles()[name]
    result = driver.execute_async_script(EVALUATE_BUNDLE, f"/assets/{bundle.asset_path()}")
    assert "error" not in result, result
    assert result["steps"] >= 8  # plotly.js is not evaluated in one long task
    assert set(result["traces"]) == set(bundle.traces)
    assert result["version"] == bundle.plotly_js_version


def test_the_municipality_search_offers_every_gemeente_from_its_datalist(page):
    driver = page("/corona/GM0114")
    names = driver.execute_script(
        "return Array.from(document.querySelectorAll('#corona-municipality-names option'))"
        ".map(o => o.value)"
    )
    assert len(names) == 342 and "Emmen" in names


# The fills of the map's poster and of plotly's map, as rgb() strings, sorted.
POSTER_FILLS = """
const poster = document.getElementById(arguments[0]).closest('.mm-graph-box')
  .querySelector('.mm-map-poster');
const probe = document.createElement('div');
document.body.appendChild(probe);
const rgb = (paint) => {
  probe.style.color = paint.startsWith('url(') ? paint.split(') ')[1] : paint;
  return getComputedStyle(probe).color;
};
const fills = Array.from(poster.querySelectorAll('path')).map(p => rgb(p.getAttribute('fill')));
probe.remove();
return {hidden: poster.hidden, fills: fills.sort()};
"""
ZOOM_DRENTHE = "_dbcprivate_radioitems_corona-map-zoom_input_PV22"
EMMEN_BOXES = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
const index = Array.from(gd.data[0].locations).indexOf('GM0114');
const box = (el) => {
  const r = el.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom];
};
const poster = document.querySelector('.mm-map-poster');
poster.hidden = false;  // measured where it was, then hidden again
const posted = box(poster.querySelector('path[data-code="GM0114"]'));
poster.hidden = true;
return [box(gd.querySelectorAll('path.choroplethlocation')[index]), posted];
"""
PLOTLY_FILLS = """
return Array.from(document.querySelectorAll('#' + arguments[0] + ' path.choroplethlocation'))
  .map(p => p.getAttribute('fill')).sort();
"""


def test_a_map_shows_its_poster_until_the_reader_uses_the_page(page):
    graph = "corona-map-graph"  # the only chart of the page
    driver = page("/corona/kaart", graphs=False, width=412, height=823)
    # plotly.js is not loaded for a map on screen: its poster is the map
    assert not [u for u in driver.execute_script(LOADED) if "/assets/plotly/" in u]
    poster = driver.execute_script(POSTER_FILLS, graph)
    assert not poster["hidden"] and len(poster["fills"]) == 342
    assert len(set(poster["fills"])) > 1
    # the reader's first pointer movement loads it; the interactive map replaces the poster
    ActionChains(driver).move_to_element(driver.find_element(By.ID, graph)).perform()
    harness.wait_for(
        driver,
        lambda d: d.execute_script(POSTER_FILLS, graph)["hidden"],
        timeout=20,
        msg="plotly.js did not draw the map after the pointer moved",
    )
    # in the same colours, area for area (the no-data hatch is grey underneath)
    assert driver.execute_script(PLOTLY_FILLS, graph) == poster["fills"]
    # and in the same place: Emmen's box on the poster and on plotly's map, within 1.5 px
    drawn, posted = driver.execute_script(EMMEN_BOXES, graph)
    assert all(abs(a - b) <= 1.5 for a, b in zip(drawn, posted, strict=True)), (drawn, posted)


def test_dash_scripts_are_fetched_after_the_page_html_is_parsed(page):
    driver = page("/corona/GM0114", graphs=False)
    parsed, scripts = driver.execute_script(
        "const nav = performance.getEntriesByType('navigation')[0];"
        "return [nav.domInteractive, performance.getEntriesByType('resource')"
        ".filter(e => e.initiatorType === 'script' && e.name.includes('/_dash-component-suites/'))"
        ".map(e => e.startTime)];"
    )
    assert len(scripts) > 5
    assert min(scripts) >= parsed  # none was fetched while the HTML was still arriving


def test_a_control_changed_before_plotly_draws_dims_the_poster_and_loads_plotly(page):
    driver = page("/corona/kaart", graphs=False, width=412, height=823)
    poster = "document.querySelector('.mm-map-poster')"
    assert driver.execute_script(f"return {poster}.classList.contains('mm-poster-stale')") is False
    # a script's click: a change event, as a screen reader's, without a key or pointer event
    driver.execute_script("document.getElementById(arguments[0]).click()", ZOOM_DRENTHE)
    assert driver.execute_script(f"return {poster}.classList.contains('mm-poster-stale')") is True
    harness.wait_for(
        driver,
        lambda d: d.execute_script(f"return {poster}.hidden"),
        timeout=20,
        msg="plotly.js did not replace the dimmed poster",
    )


def test_a_tap_on_an_area_of_the_poster_opens_it_as_a_tap_on_the_map_does(page):
    # a phone held upright with the map on screen: the tap needs no scroll (which loads plotly)
    driver = page("/corona/kaart", graphs=False, width=412, height=1500)
    area = driver.find_element(By.CSS_SELECTOR, '.mm-map-poster path[data-code="GM0106"]')
    assert driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top > 0 && r.bottom < innerHeight"
        " && !document.querySelector('.mm-map-poster').hidden",
        area,
    )
    # the click event of a tap (the touch itself starts loading plotly.js, which a test's
    # synthetic pointer would win the race against)
    driver.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", area
    )
    harness.wait_for(
        driver,
        lambda d: d.current_url.split("?")[0].endswith("/corona/GM0106"),
        timeout=20,
        msg=f"the tap did not open Assen's page ({driver.current_url})",
    )
