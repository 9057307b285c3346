"""One page load per page and language for the three per-page suites.

test_accessibility.py (axe, language, charts, English text), test_keyboard.py (visible focus
on every Tab stop) and test_phone.py (reflow at 375 and 320 px, text at 200%) check the same
pages. Loading each page once and running every check on it, in an order where no check
disturbs the next, costs one load instead of three; each suite then asserts its own part of the
visit, so a failure is still reported by the suite (and test) it belongs to.

Order on one load (1280 px, the page as it opens): Tab through it (Dutch only, as keyboard
users of either language meet the same controls); the accessibility checks (with every
"show as table" opened, then closed again); text at 200%; then 375 px and 320 px wide, the
375 px view saved as a full-page screenshot.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.browser import harness
from tests.browser.site_pages import in_lang

DESKTOP = (1280, 900)
PHONE = (375, 812)
NARROWEST = (320, 812)  # WCAG 1.4.10: 320 CSS px, what 1280 px at 400% zoom leaves
TEXT_SIZE = 200  # percent, WCAG 1.4.4

_CHARTS_FIT_JS = """
const limit = document.documentElement.clientWidth;
return Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(plot => ({id: (plot.closest('[id]') || {}).id || '?',
                 right: Math.round(plot.getBoundingClientRect().right)}))
  .filter(chart => chart.right > limit + 1);
"""


@dataclass
class Visit:
    """What each suite found on one load of a page (empty lists: nothing wrong)."""

    label: str
    not_found: bool = False
    accessibility: list[str] = field(default_factory=list)
    keyboard: list[str] = field(default_factory=list)
    tab_stops: int = 0
    reflow: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


def screenshot_name(path: str, lang: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
    return f"phone_{PHONE[0]}_{slug}_{lang}"


def _failure(label: str, step: str) -> str:
    return f"{label}: {step} failed:\n{traceback.format_exc(limit=3)}"


def reflow_problems(driver, label: str) -> list[str]:
    """No sideways scroll, no clipped or overlapping text, no chart wider than the window."""
    problems = []
    try:
        harness.assert_reflows(driver, label)
    except AssertionError as error:
        problems.append(str(error))
    too_wide = driver.execute_script(_CHARTS_FIT_JS)
    if too_wide:
        problems.append(f"{label}: charts wider than the window: {too_wide}")
    return problems


def check_reflow(driver, path: str, lang: str, label: str) -> list[str]:
    """Text at 200% at desktop width, then the phone widths; the page is left at 100% text."""
    problems: list[str] = []
    try:
        harness.set_text_size(driver, TEXT_SIZE)
        harness.settle_layout(driver)
        problems += reflow_problems(driver, f"{label} @{DESKTOP[0]}px, text {TEXT_SIZE}%")
    finally:
        harness.set_text_size(driver, 100)
    harness.resize_and_settle(driver, *PHONE)
    harness.save_screenshot(driver, screenshot_name(path, lang), full_page=True)
    problems += reflow_problems(driver, f"{label} @{PHONE[0]}px")
    harness.resize_and_settle(driver, *NARROWEST)
    problems += reflow_problems(driver, f"{label} @{NARROWEST[0]}px")
    return problems


def visit(
    open_page: Callable,
    path: str,
    lang: str,
    *,
    accessibility: Callable,
    keyboard: Callable,
    shows_not_found: Callable,
) -> Visit:
    """Open `path` in `lang` once and run every suite's checks on it (see the module text).

    `accessibility(driver, label, lang)` returns problem lines, `keyboard(driver, label)`
    returns (stops, problems); a check that raises is reported as its suite's problem.
    """
    label = in_lang(path, lang)
    driver = open_page(label, width=DESKTOP[0], height=DESKTOP[1])
    result = Visit(label)
    if shows_not_found(driver, lang):
        result.not_found = True
        return result
    if lang == "nl":
        try:
            result.tab_stops, result.keyboard = keyboard(driver, path)
        except Exception:
            result.keyboard.append(_failure(label, "tabbing through the page"))
    try:
        result.accessibility = accessibility(driver, label, lang)
    except Exception:
        result.accessibility.append(_failure(label, "the accessibility checks"))
    try:
        result.reflow = check_reflow(driver, path, lang, label)
    except Exception:
        result.reflow.append(_failure(label, "resizing"))
    result.console = harness.console_errors(driver)
    if result.console:
        result.reflow.append(f"{label}: console errors while resized: {result.console}")
    harness.set_viewport(driver, *DESKTOP)
    return result
