"""The corona overview of a municipality in a real browser: real figures, the table alternative,
switching municipality with the search box, the share URL, keyboard, axe, phone width."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from layouts.i18n import format_number
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


def _api_value(live_app, indicator: str, area: str, day: str) -> float:
    response = requests.get(
        f"{live_app.url}/api/v1/observations",
        params={"indicator": indicator, "area": area, "from": day, "to": day},
        timeout=30,
    )
    response.raise_for_status()
    [observation] = response.json()["observations"]
    return observation["value"]


def _api_latest(live_app, indicator: str, area: str) -> tuple[str, float]:
    response = requests.get(
        f"{live_app.url}/api/v1/observations",
        params={"indicator": indicator, "area": area},
        timeout=30,
    )
    response.raise_for_status()
    last = [o for o in response.json()["observations"] if o["value"] is not None][-1]
    return last["period"], last["value"]


def _query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def _click_radio(driver, group_id: str, value: str) -> None:
    radio = driver.find_element(By.CSS_SELECTOR, f"#{group_id} input[value='{value}']")
    harness.click(
        driver, driver.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']")
    )
    harness.wait_for_dash(driver)


def _checked(driver, group_id: str) -> list[str]:
    return [
        radio.get_attribute("value")
        for radio in driver.find_elements(By.CSS_SELECTOR, f"#{group_id} input:checked")
    ]


def test_emmen_page_shows_the_figures_the_api_gives(page, live_app):
    driver = page("/corona")
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == "Corona in Emmen"
    # The 7-day average of 10 February 2022 (the peak of the omicron wave) in the chart.
    expected = _api_value(live_app, "covid_cases_7d", "GM0114", "2022-02-10")
    bars, average = _figure(driver, "cases")
    assert average["name"] == "Gemiddelde over 7 dagen"
    assert _value_on(average, "2022-02-10") == pytest.approx(round(expected, 1))
    daily = _api_value(live_app, "covid_cases", "GM0114", "2022-02-10")
    assert _value_on(bars, "2022-02-10") == daily
    # The tile shows the latest 7-day average and its date.
    day, latest = _api_latest(live_app, "covid_cases_7d", "GM0114")
    tile = driver.find_element(By.ID, "corona-tile-cases").text
    assert format_number(latest, "nl", 1) in tile
    assert "31 maart 2023" in tile and day == "2023-03-31"
    assert "Gearchiveerd" in tile
    summary = driver.find_element(By.ID, "corona-cases-summary").text
    assert summary.startswith("In de week tot en met 31 maart 2023 kregen in Emmen gemiddeld")
    assert format_number(latest, "nl", 1) in summary
    # Every chart is drawn and says where its numbers come from.
    for block in BLOCKS:
        assert _figure(driver, block), f"{block}: no traces"
        meta = driver.find_element(By.ID, f"corona-{block}-meta").text
        assert "Bron: RIVM" in meta and "Download CSV" in meta, meta
    _assert_no_console_errors(driver, "/corona")  # axe: test_accessibility.py, tables open


@pytest.mark.parametrize("block", BLOCKS)
def test_the_table_holds_the_same_numbers_as_the_chart(page, block):
    driver = page("/corona?period=1y")
    traces = _figure(driver, block)
    box = driver.find_element(By.ID, f"corona-{block}-table")
    assert box.get_attribute("data-rows") is None  # no table until it is asked for
    details = box.find_element(By.XPATH, "./ancestor::details")
    harness.click(driver, details.find_element(By.TAG_NAME, "summary"))
    harness.wait_for(driver, lambda d: box.get_attribute("data-rows"), msg="no table written")
    table = driver.execute_script(_TABLE_JS, f"corona-{block}-table")
    assert table["head"][1:] == [trace["name"] for trace in traces]
    assert table["caption"]
    if block == "vaccination":  # horizontal bars: a row per category, a column per edition
        expected = {
            (category, i): value
            for i, trace in enumerate(traces)
            for category, value in zip(trace["y"], trace["x"], strict=True)
        }
        keys = [row[0] for row in table["rows"]]
        assert keys == traces[0]["y"]
    else:
        expected = {
            (day, i): value
            for i, trace in enumerate(traces)
            for day, value in zip(_days(trace), trace["y"], strict=True)
            if value is not None
        }
        keys = [row[0] for row in table["rows"]]
        assert keys == sorted({day for day, _ in expected}, reverse=True)
    shown = {(row[0], i): _number(cell) for row in table["rows"] for i, cell in enumerate(row[1:])}
    assert {k: v for k, v in shown.items() if v is not None} == expected
    assert len(table["rows"]) > (1 if block == "vaccination" else 20)


def test_the_search_box_opens_another_municipality_keeping_the_view(page, live_app):
    driver = page("/corona?view=per100k&lang=en")
    search = driver.find_element(By.ID, "corona-search")
    options = driver.execute_script(
        "return Array.from(document.getElementById(arguments[0].getAttribute('list'))"
        ".options).map(o => o.value)",
        search,
    )
    assert len(options) == 342 and "Assen" in options and "Súdwest-Fryslân" in options
    before = _figure(driver, "cases")
    search.send_keys("assen")
    search.send_keys(Keys.ENTER)
    harness.wait_for(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, "main h1").text == "Corona in Assen",
        timeout=30,
        msg="the search box did not open Assen",
    )
    harness.wait_for_dash(driver)
    assert urlsplit(driver.current_url).path == "/corona/GM0106"
    assert _query(driver) == {"view": ["per100k"], "lang": ["en"]}
    assert _checked(driver, "corona-view") == ["per100k"]
    after = _figure(driver, "cases")
    assert after != before
    expected = _api_value(live_app, "covid_cases_per_100k_7d", "GM0106", "2022-02-10")
    assert _value_on(after[1], "2022-02-10") == pytest.approx(round(expected, 1))
    assert "Assen" in driver.find_element(By.ID, "corona-cases-summary").text
    _assert_clean(driver, "/corona/GM0106 after the search")


def test_an_unknown_name_in_the_search_box_is_answered_in_words(page):
    driver = page("/corona")
    search = driver.find_element(By.ID, "corona-search")
    search.send_keys("Atlantis", Keys.ESCAPE)
    harness.click(driver, driver.find_element(By.ID, "corona-search-button"))
    harness.wait_for(
        driver,
        lambda d: "Atlantis" in d.find_element(By.ID, "corona-search-message").text,
        msg="no message for an unknown name",
    )
    assert urlsplit(driver.current_url).path == "/corona"


def test_the_share_url_reopens_the_same_view(page):
    driver = page("/corona/GM0114?view=per100k&period=3m&compare=GM0106&metric=hospital")
    assert _checked(driver, "corona-view") == ["per100k"]
    assert _checked(driver, "corona-period") == ["3m"]
    assert _checked(driver, "corona-compare-metric") == ["hospital"]
    assert "Assen" in driver.find_element(By.ID, "corona-compare-chosen").text
    title = driver.find_element(By.ID, "corona-cases-title").text
    assert title == "Positief geteste mensen per 100.000 inwoners"
    _bars, average = _figure(driver, "cases")
    assert _days(average)[-1] == "2023-03-31" and _days(average)[0] == "2023-01-01"
    names = [trace["name"] for trace in _figure(driver, "compare")]
    assert names == ["Emmen", "Drenthe", "Nederland", "Assen"]
    assert driver.find_element(By.ID, "corona-compare-title").text.startswith("Ziekenhuisopnames")
    # Changing a control writes the new view into the address, keeping the rest.
    _click_radio(driver, "corona-period", "1y")
    harness.wait_for(driver, lambda d: _query(d).get("period") == ["1y"], msg=driver.current_url)
    assert _query(driver) == {
        "view": ["per100k"],
        "period": ["1y"],
        "metric": ["hospital"],
        "compare": ["GM0106"],
    }
    # ... and that address opens the same view again.
    driver.get(driver.current_url)
    harness.wait_for_dash(driver)
    assert _checked(driver, "corona-period") == ["1y"]
    assert _days(_figure(driver, "cases")[1])[0] == "2022-04-01"
    _assert_clean(driver, "/corona shared view")


def test_added_municipalities_join_the_comparison_and_can_be_removed(page):
    driver = page("/corona?period=1m")
    field = driver.find_element(By.ID, "corona-compare-input")
    for name in ("Assen", "Coevorden"):
        field.send_keys(name, Keys.ESCAPE)  # Escape closes the list of suggestions
        harness.click(driver, driver.find_element(By.ID, "corona-compare-button"))
        harness.wait_for_dash(driver)
    names = [trace["name"] for trace in _figure(driver, "compare")]
    assert names == ["Emmen", "Drenthe", "Nederland", "Assen", "Coevorden"]
    assert _query(driver)["compare"] == ["GM0106,GM0109"]
    summary = driver.find_element(By.ID, "corona-compare-summary").text
    assert "Assen" in summary and "Coevorden" in summary
    remove = driver.find_element(
        By.XPATH, "//ul[@id='corona-compare-chosen']//button[contains(., 'Assen')]"
    )
    harness.click(driver, remove)
    harness.wait_for(
        driver, lambda d: _query(d).get("compare") == ["GM0109"], msg=driver.current_url
    )
    harness.wait_for_dash(driver)
    assert [t["name"] for t in _figure(driver, "compare")][-1] == "Coevorden"
    _assert_clean(driver, "/corona comparison")


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


def test_the_page_is_complete_in_english(page):
    driver = page("/corona?lang=en")
    main = driver.find_element(By.TAG_NAME, "main").text
    for dutch in ("Toon tabel", "Gearchiveerd", "Positief geteste", "per dag", "Bron:"):
        assert dutch not in main, f"Dutch text {dutch!r} on the English page"
    assert "Positive tests" in main and "Show table" in main and "Archived" in main
    summary = driver.find_element(By.ID, "corona-cases-summary").text
    assert summary.startswith("In the week to 31 March 2023, an average of")
    _assert_no_console_errors(driver, "/corona?lang=en")  # axe: test_accessibility.py


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/corona/emmen", "Corona in Emmen"), ("/corona/Aa%20en%20Hunze", "Corona in Aa en Hunze")],
)
def test_a_municipality_can_be_named_in_the_address(page, path, heading):
    driver = page(path)
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == heading


def test_an_unknown_municipality_offers_the_search_box(page):
    driver = page("/corona/atlantis", graphs=False)
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == "Gemeente niet gevonden"
    assert driver.find_element(By.ID, "corona-search").is_displayed()
    _assert_clean(driver, "/corona/atlantis", page_is_404=True)  # no such municipality: 404


def test_the_page_fits_a_375_px_phone(page):
    driver = page("/corona?compare=GM0106", width=375, height=800)
    harness.assert_no_horizontal_scroll(driver)
    harness.save_screenshot(driver, "phone_corona_emmen", full_page=True)
    _assert_clean(driver, "/corona at 375 px")
