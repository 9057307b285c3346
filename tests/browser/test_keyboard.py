"""Keyboard only: skip link, visible focus on every focusable element, no keyboard traps, the
phone menu, focus after in-app navigation, and the main tasks done with key presses alone.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from layouts.i18n import t
from tests.browser import harness
from tests.browser.site_pages import fixed_paths, shows_not_found

pytestmark = pytest.mark.browser

SLOW_PAGE_S = 120  # the corona page draws thousands of points and rows; slow on a busy machine

_TABBABLE_COUNT_JS = """
const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]),'
  + ' select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
return Array.from(document.querySelectorAll(selector))
  .filter(el => el.getClientRects().length > 0).length;
"""

_ON_SCREEN_JS = """
const r = arguments[0].getBoundingClientRect();
return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
  && r.left < window.innerWidth && r.top < window.innerHeight;
"""


_WHERE_JS = """
const r = arguments[0].getBoundingClientRect();
const box = [r.left, r.top, r.width, r.height].map(Math.round);
return `box ${box[0]},${box[1]} ${box[2]}x${box[3]}`
  + ` in a ${window.innerWidth}x${window.innerHeight} window scrolled to ${Math.round(scrollY)}`
  + `, still focused: ${document.activeElement === arguments[0]}`;
"""


def press(driver, *keys) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def active_is(driver, element_id: str) -> bool:
    return driver.execute_script("return document.activeElement.id") == element_id


def _scrolled_into_view(driver, element, timeout: float = 5) -> bool:
    """Whether the focused `element` is (or, after Bootstrap's smooth scroll and any layout
    shift of charts still drawing, gets) on screen; on a busy machine that can take seconds."""
    try:
        harness.wait_for(driver, lambda d: d.execute_script(_ON_SCREEN_JS, element), timeout)
    except AssertionError:
        return False
    return True


def tab_through_page(driver, label: str) -> tuple[int, list[str]]:
    """Tab from the top of the page until focus leaves it; return (stops, problems).

    A problem is a focused element without a visible focus indicator, one that is not on
    screen when focused, or a keyboard trap (Tab does not move focus on).
    """
    driver.execute_script(
        "document.activeElement && document.activeElement.blur();"
        "window.__mmmeterPreviousFocus = null;"
    )
    limit = driver.execute_script(_TABBABLE_COUNT_JS) + 10
    problems: list[str] = []
    seen: list[str] = []
    for _ in range(limit):
        press(driver, Keys.TAB)
        stop = driver.execute_script(harness.FOCUS_STOP_JS)
        if stop["tag"] in ("body", "html"):
            break
        description = stop["description"]
        if stop["same"]:
            problems.append(f"{label}: keyboard trap at {description}")
            break
        if description in seen[:1]:
            break  # wrapped round to the first stop
        seen.append(description)
        if stop["indicator"] is None:
            problems.append(f"{label}: no visible focus on {description}")
        if not stop["onScreen"] and not _scrolled_into_view(driver, stop["element"]):
            where = driver.execute_script(_WHERE_JS, stop["element"])
            problems.append(f"{label}: focus on {description}, which is not on screen ({where})")
    else:
        problems.append(f"{label}: focus did not leave the page after {limit} Tab presses")
    return len(seen), problems


def test_skip_link_is_first_and_moves_focus_to_main(page):
    driver = page("/", graphs=False)
    # focus moves jump, never glide (Bootstrap's smooth scrolling is switched off)
    behaviour = "return getComputedStyle(document.documentElement).scrollBehavior"
    assert driver.execute_script(behaviour) == "auto"
    press(driver, Keys.TAB)
    link = driver.switch_to.active_element
    assert link.get_attribute("id") == "skip-link", harness.describe_active(driver)
    assert link.text == t("a11y.skip_link", "nl")
    assert harness.focus_visible(driver)
    assert driver.execute_script(_ON_SCREEN_JS, link), "the focused skip link is not visible"
    press(driver, Keys.ENTER)
    harness.wait_for(
        driver,
        lambda d: active_is(d, "main-content"),
        msg=f"after Enter on the skip link, focus is on {harness.describe_active(driver)}",
    )
    assert driver.execute_script("return document.activeElement.tagName") == "MAIN"
    # The next Tab goes on after the main content's start, not back into the header.
    press(driver, Keys.TAB)
    assert not driver.execute_script(
        "return document.getElementById('site-header').contains(document.activeElement)"
    ), harness.describe_active(driver)


def test_skip_link_in_english(page):
    driver = page("/?lang=en", graphs=False)
    press(driver, Keys.TAB)
    assert driver.switch_to.active_element.text == t("a11y.skip_link", "en")


@pytest.mark.parametrize("path", fixed_paths())
def test_every_focusable_element_shows_focus(visited, path):
    found = visited(path, "nl")  # the page's load is shared with the other per-page suites
    stops, problems = found.tab_stops, found.keyboard
    assert stops >= 3, f"{path}: only {stops} focusable elements reached by Tab"
    assert not problems, "\n".join(problems)


def test_phone_menu_opens_and_closes_with_the_keyboard(page):
    driver = page("/", graphs=False, width=375, height=800)
    toggler = harness.tab_to(driver, "#nav-toggler")
    assert harness.focus_visible(driver)
    assert toggler.get_attribute("aria-expanded") == "false"
    assert toggler.get_attribute("aria-controls") == "nav-collapse"
    assert not driver.find_element(By.CSS_SELECTOR, "#nav-collapse a.nav-link").is_displayed()

    press(driver, Keys.ENTER)
    harness.wait_for(
        driver,
        lambda d: d.find_element(By.ID, "nav-toggler").get_attribute("aria-expanded") == "true",
        msg="aria-expanded did not become true after Enter on the menu button",
    )
    harness.wait_for(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, "#nav-collapse a.nav-link").is_displayed(),
        msg="the menu did not open",
    )
    first_link = harness.tab_to(driver, "#nav-collapse a.nav-link", max_tabs=3)
    assert harness.focus_visible(driver), "no visible focus on the first menu link"
    assert first_link.is_displayed()

    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert active_is(driver, "nav-toggler"), harness.describe_active(driver)
    press(driver, Keys.SPACE)
    harness.wait_for(
        driver,
        lambda d: d.find_element(By.ID, "nav-toggler").get_attribute("aria-expanded") == "false",
        msg="aria-expanded did not become false after Space on the menu button",
    )
    harness.wait_for(
        driver,
        lambda d: not d.find_element(By.CSS_SELECTOR, "#nav-collapse a.nav-link").is_displayed(),
        msg="the menu did not close",
    )


def test_focus_moves_to_the_new_heading_after_in_app_navigation(page):
    """Following a link that Dash handles in the page (no reload) puts focus on the new
    page's heading, and the document title names that page."""
    driver = page("/", graphs=False)
    harness.tab_to(driver, harness.has_text(t("nav.help", "nl")), max_tabs=80)
    press(driver, Keys.ENTER)
    heading = t("help.heading", "nl")
    harness.wait_for(
        driver,
        lambda d: d.execute_script(
            "const el = document.activeElement;"
            "return el.tagName === 'H1' && el.textContent.trim() === arguments[0];",
            heading,
        ),
        timeout=15,
        msg=f"focus is on {harness.describe_active(driver)}, not on the new page's heading",
    )
    assert driver.execute_script("return window.location.pathname") == "/help"
    harness.wait_for(driver, lambda d: d.title == f"{heading} | MMmeter", msg=driver.title)
    # The next Tab continues in the new page's content.
    press(driver, Keys.TAB)
    assert driver.execute_script(
        "return document.getElementById('main-content').contains(document.activeElement)"
    ), harness.describe_active(driver)


def test_fresh_page_load_leaves_focus_at_the_top(page):
    """Only in-app navigation moves focus; a page opened fresh starts at the skip link."""
    driver = page("/help", graphs=False)
    assert driver.execute_script("return document.activeElement === document.body")
    press(driver, Keys.TAB)
    assert active_is(driver, "skip-link"), harness.describe_active(driver)


# --- the main tasks, with key presses only ---------------------------------------------------


def _query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def _wait_for_query(driver, key: str, value: str) -> None:
    harness.wait_for(
        driver,
        lambda d: _query(d).get(key) == [value],
        timeout=15,
        msg=f"the address did not get {key}={value}: {driver.current_url}",
    )
    harness.wait_for_dash(driver, timeout=SLOW_PAGE_S)


def _choose_radio(driver, group_id: str, value: str, max_steps: int = 6) -> None:
    """Tab into a radio group and choose `value` as a keyboard user does: arrow keys within a
    named group (they also select); radios without a shared name are each a Tab stop, chosen
    with Space."""
    harness.tab_to(driver, f"#{group_id} input[type=radio]", max_tabs=120)
    for _ in range(max_steps):
        focused = driver.switch_to.active_element
        assert harness.focus_visible(driver), f"no visible focus on {group_id} {focused}"
        if focused.get_attribute("value") == value:
            break
        press(driver, Keys.ARROW_RIGHT if focused.get_attribute("name") else Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.get_attribute("value") == value, f"{group_id}: never reached {value}"
    if not focused.is_selected():
        press(driver, Keys.SPACE)
    assert focused.is_selected(), f"{group_id}: {value} has focus but is not chosen"


def open_emmen_corona_page(driver) -> None:
    """From the home page: Tab to 'Corona' in the menu and press Enter."""
    harness.tab_to(driver, harness.has_text(t("nav.corona", "nl")))
    press(driver, Keys.ENTER)
    harness.wait_for(
        driver,
        lambda d: urlsplit(d.current_url).path.startswith("/corona"),
        msg=f"Enter on 'Corona' did not open the corona page: {driver.current_url}",
    )
    harness.wait_for_dash(driver, timeout=SLOW_PAGE_S)


def test_main_tasks_with_the_keyboard_only(page):
    """Open Emmen's corona page from the home page, show per 100,000 inhabitants, choose
    3 months, compare hospital admissions, then open a wijk profile: keys only."""
    driver = page("/")
    open_emmen_corona_page(driver)
    assert not shows_not_found(driver, "nl"), "the corona page (/corona) shows the 404 page"
    heading = driver.find_element(By.CSS_SELECTOR, "main h1").text
    assert "Emmen" in heading, heading

    _choose_radio(driver, "corona-view", "per100k")
    _wait_for_query(driver, "view", "per100k")
    cases_summary = driver.find_element(By.ID, "corona-cases-summary").text
    assert "100.000" in cases_summary, cases_summary

    _choose_radio(driver, "corona-period", "3m")
    _wait_for_query(driver, "period", "3m")

    _choose_radio(driver, "corona-compare-metric", "hospital")
    _wait_for_query(driver, "metric", "hospital")
    assert not harness.console_errors(driver)

    # A wijk profile: through the menu to the neighbourhoods page, then a wijk's link.
    assert driver.find_elements(By.CSS_SELECTOR, '#site-header nav a[href^="/buurten"]'), (
        "no neighbourhoods page (/buurten) in the navigation"
    )
    harness.tab_to(driver, '#site-header nav a[href^="/buurten"]', max_tabs=200)
    press(driver, Keys.ENTER)
    harness.wait_for(driver, lambda d: urlsplit(d.current_url).path == "/buurten")
    harness.wait_for_dash(driver, timeout=SLOW_PAGE_S)
    harness.tab_to(driver, 'main a[href^="/buurten/WK"]', max_tabs=200)
    press(driver, Keys.ENTER)
    harness.wait_for(
        driver,
        lambda d: urlsplit(d.current_url).path.startswith("/buurten/WK"),
        msg=f"Enter on a wijk link did not open a wijk profile: {driver.current_url}",
    )
    harness.wait_for_dash(driver, timeout=SLOW_PAGE_S)
    assert not shows_not_found(driver, "nl")
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text
    assert not harness.console_errors(driver)
