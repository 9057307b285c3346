"""The browser harness finds what it should: each check fails on a page made to fail it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

from tests.browser.harness import (
    assert_no_horizontal_scroll,
    console_errors,
    focus_indicator,
    focus_visible,
    format_violations,
    has_text,
    make_driver,
    run_axe,
    save_screenshot,
    set_text_size,
    tab_to,
    text_problems,
    wait_for,
    wait_for_dash,
)

pytestmark = pytest.mark.browser

SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/%3E"


def page(body: str, head: str = "") -> str:
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Testpagina</title>{head}</head><body><main><h1>Testpagina</h1>{body}"
        "</main></body></html>"
    )


PAGES = {
    "clean.html": page(f'<p>Goed leesbare tekst.</p><img src="{SVG}" alt="Leeg vierkant">'),
    "violations.html": page(
        f'<img src="{SVG}">'
        '<p style="color:#c8c8c8;background:#ffffff">Tekst met te weinig contrast</p>'
    ),
    "console.html": page(
        "<p>Console</p><script>console.error('boom from the test page')</script>"
        '<script src="/missing.js"></script>'
    ),
    "wide.html": page('<div id="too-wide" style="width:2000px">Heel breed</div>'),
    "wide-in-scroller.html": page(
        '<div style="overflow-x:auto"><div style="width:2000px">Breed, maar schuift zelf</div>'
        "</div>"
    ),
    "clipped.html": page(
        '<p id="cut" style="width:120px;height:1.2em;overflow:hidden">'
        "Een zin die veel te lang is voor dit kleine vak en dus wordt afgeknipt</p>"
    ),
    "overlap.html": page(
        '<div style="position:relative;height:3em"><span id="under">Onder de andere tekst</span>'
        '<span id="over" style="position:absolute;left:0;top:0">Erbovenop getekend</span></div>'
    ),
    "focus.html": page(
        '<a href="#a">Eerste link</a> <button id="plain">Standaard</button> '
        '<button id="hidden-focus" style="outline:none">Geen focusrand</button> '
        '<button id="ring" style="outline:none;box-shadow:0 0 0 3px #0b5394">Ring</button>'
    ),
    "tab-stops.html": page(
        '<a href="#a">Eerste link</a> '
        '<button id="hidden-focus" style="outline:none">Geen focusrand</button> '
        '<button id="off-screen" style="position:absolute;left:-9999px">Buiten beeld</button> '
        '<button id="trap">Val</button>'
        "<script>document.getElementById('trap').addEventListener('keydown',"
        " e => { if (e.key === 'Tab') e.preventDefault(); });</script>"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    for name, html in PAGES.items():
        (root / name).write_text(html, encoding="utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    drv = make_driver()
    yield drv
    drv.quit()


def open_page(driver: webdriver.Chrome, url: str) -> None:
    driver.get(url)
    console_errors(driver)  # start each test with an empty log


def test_axe_names_missing_alt_text_and_low_contrast(driver, site):
    driver.get(f"{site}/violations.html")
    violations = run_axe(driver)
    ids = {v["id"] for v in violations}
    assert {"image-alt", "color-contrast"} <= ids, ids
    report = format_violations(violations, "violations.html")
    assert "image-alt (critical)" in report
    assert "color-contrast (serious)" in report
    assert "<img src=" in report
    assert "contrast of" in report  # axe's failure summary, with the measured ratio


def test_axe_finds_nothing_on_a_clean_page(driver, site):
    driver.get(f"{site}/clean.html")
    violations = run_axe(driver)
    assert violations == [], format_violations(violations, "clean.html")
    assert format_violations([], "clean.html") == "clean.html: no accessibility violations"


def test_console_errors_reports_console_error_and_failed_resources(driver, site):
    driver.get(f"{site}/console.html")
    errors = console_errors(driver)
    assert any("boom from the test page" in e for e in errors), errors
    assert any("missing.js" in e for e in errors), errors
    assert console_errors(driver) == []  # reading empties the log


def test_console_errors_ignores_only_the_missing_favicon(driver, site):
    open_page(driver, f"{site}/clean.html")
    driver.execute_script("fetch('/favicon.ico')")
    time.sleep(0.5)
    assert console_errors(driver) == []


def test_console_errors_ignores_the_own_404_of_a_not_found_page_only_when_asked(driver, site):
    driver.get(f"{site}/bestaat-niet.html")
    time.sleep(0.3)
    assert any("bestaat-niet.html" in e for e in console_errors(driver))
    driver.get(f"{site}/bestaat-niet.html")
    driver.execute_script("fetch('/missing-too.js')")
    time.sleep(0.5)
    errors = console_errors(driver, page_is_404=True)
    assert errors and all("missing-too.js" in e for e in errors), errors


@pytest.fixture(scope="module")
def phone() -> Iterator[webdriver.Chrome]:
    drv = make_driver(375, 812)
    yield drv
    drv.quit()


def test_phone_driver_has_a_375px_viewport(phone, site):
    phone.get(f"{site}/clean.html")
    assert phone.execute_script("return window.innerWidth") == 375


def test_horizontal_scroll_fails_on_a_2000px_wide_div_at_375px(phone, site):
    phone.get(f"{site}/wide.html")
    with pytest.raises(AssertionError, match="scrolls horizontally") as failure:
        assert_no_horizontal_scroll(phone)
    assert "div#too-wide" in str(failure.value)
    assert "2000px wide" in str(failure.value)


def test_horizontal_scroll_passes_for_clean_page_and_self_scrolling_content(phone, site):
    for name in ("clean.html", "wide-in-scroller.html"):
        phone.get(f"{site}/{name}")
        assert_no_horizontal_scroll(phone)


def test_tab_to_reaches_elements_by_selector_and_by_text(driver, site):
    open_page(driver, f"{site}/focus.html")
    assert tab_to(driver, "#plain").text == "Standaard"
    assert tab_to(driver, has_text("Ring")).get_attribute("id") == "ring"


def test_tab_to_fails_with_the_focus_path_when_target_is_unreachable(driver, site):
    open_page(driver, f"{site}/focus.html")
    with pytest.raises(AssertionError, match=r"button#plain \"Standaard\""):
        tab_to(driver, "#does-not-exist", max_tabs=5)


def test_focus_visible_tells_outline_and_ring_from_no_indicator(driver, site):
    open_page(driver, f"{site}/focus.html")
    tab_to(driver, "#plain")
    assert focus_visible(driver), focus_indicator(driver)
    tab_to(driver, "#hidden-focus")
    assert not focus_visible(driver)
    tab_to(driver, "#ring")
    assert focus_indicator(driver).startswith("box-shadow")


def test_tabbing_through_a_page_names_missing_focus_off_screen_focus_and_a_trap(driver, site):
    from tests.browser.test_keyboard import tab_through_page

    open_page(driver, f"{site}/tab-stops.html")
    stops, problems = tab_through_page(driver, "tab-stops")
    assert stops == 4
    assert len(problems) == 3, problems
    assert 'no visible focus on button#hidden-focus "Geen focusrand"' in problems[0]
    assert "button#off-screen" in problems[1] and "not on screen" in problems[1]
    assert 'keyboard trap at button#trap "Val"' in problems[2]


def test_tabbing_through_a_clean_page_finds_every_stop_and_no_problem(driver, site):
    from tests.browser.test_keyboard import tab_through_page

    open_page(driver, f"{site}/clean.html")
    assert tab_through_page(driver, "clean") == (0, [])
    open_page(driver, f"{site}/focus.html")
    stops, problems = tab_through_page(driver, "focus")
    assert stops == 4 and len(problems) == 1 and "button#hidden-focus" in problems[0]


def test_save_screenshot_writes_a_png(driver, site):
    driver.get(f"{site}/clean.html")
    for full_page in (False, True):
        path = save_screenshot(driver, f"harness self-test {full_page}", full_page=full_page)
        assert path.read_bytes().startswith(b"\x89PNG")
        assert path.parent.name == "screenshots"


def test_wait_for_dash_refuses_a_page_that_is_not_dash(driver, site):
    driver.get(f"{site}/clean.html")
    with pytest.raises(AssertionError, match="not a Dash page"):
        wait_for_dash(driver, timeout=5)


@pytest.fixture(scope="module")
def slow_dash_app() -> Iterator[str]:
    """A Dash app whose callback takes 1.5 s and whose graph appears only after it."""
    import dash
    from dash import _callback, dcc, html
    from werkzeug.serving import make_server

    # Dash hands the callbacks registered with dash.callback (MMmeter's, once any test module
    # imported callbacks/) to the first app that starts: keep them for the app they belong to.
    saved = (dict(_callback.GLOBAL_CALLBACK_MAP), list(_callback.GLOBAL_CALLBACK_LIST))
    _callback.GLOBAL_CALLBACK_MAP.clear()
    _callback.GLOBAL_CALLBACK_LIST.clear()
    app = dash.Dash(__name__, use_pages=False)
    app.layout = html.Main([html.H1("Traag"), html.P(id="out"), html.Div(id="graph")])

    @app.callback(
        dash.Output("out", "children"), dash.Output("graph", "children"), dash.Input("out", "id")
    )
    def slow(_):
        time.sleep(1.5)
        figure = {"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}]}
        return "klaar", dcc.Graph(figure=figure)

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        _callback.GLOBAL_CALLBACK_MAP.update(saved[0])
        _callback.GLOBAL_CALLBACK_LIST[:] = saved[1]


def test_wait_for_dash_waits_for_slow_callbacks_and_graphs(driver, slow_dash_app):
    driver.get(slow_dash_app)
    wait_for_dash(driver, timeout=30)
    assert driver.find_element("id", "out").text == "klaar"
    assert driver.find_elements("css selector", ".dash-graph .js-plotly-plot .main-svg")
    assert console_errors(driver) == []


def test_wait_for_dash_times_out_while_a_callback_runs(driver, slow_dash_app):
    driver.get(slow_dash_app)
    with pytest.raises(TimeoutError, match="not idle"):
        wait_for_dash(driver, timeout=0.5)


def test_wait_for_asks_again_when_the_element_was_replaced(driver, site):
    open_page(driver, f"{site}/clean.html")
    answers = iter([StaleElementReferenceException("re-rendered"), NoSuchElementException("gone")])

    def condition(_driver):
        failure = next(answers, None)
        if failure is not None:
            raise failure
        return "ready"

    assert wait_for(driver, condition, timeout=5) == "ready"


def test_text_problems_name_clipped_and_overlapping_text(phone, site):
    phone.get(f"{site}/clipped.html")
    [clipped] = text_problems(phone)
    assert clipped.startswith("clipped: p#cut") and "shows 120x" in clipped
    phone.get(f"{site}/overlap.html")
    [overlap] = text_problems(phone)
    assert overlap.startswith("overlapping text:") and "span#under" in overlap
    assert "span#over" in overlap


def test_text_problems_pass_a_clean_page_also_with_text_at_200_percent(phone, site):
    phone.get(f"{site}/clean.html")
    set_text_size(phone, 200)
    assert phone.execute_script("return getComputedStyle(document.body).fontSize") == "32px"
    assert text_problems(phone) == []
