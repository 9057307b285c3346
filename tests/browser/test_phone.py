"""Reflow and text size (WCAG 2.1 1.4.10 and 1.4.4), every page in Dutch and English, in one
page load each: at 375 px and at 320 px wide no sideways scrolling of the page (charts resize,
tables scroll inside their own box) and no clipped or overlapping text; then at 1280 px with
the text at 200% the same. Axe checks the (Dutch) phone layout, and a full-page screenshot at
375 px goes to test-artifacts/screenshots/ to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import harness
from tests.browser.site_pages import fixed_paths, in_lang, open_or_skip, run_axe

pytestmark = pytest.mark.browser

PHONE_WIDTH, PHONE_HEIGHT = 375, 812
NARROWEST = 320  # WCAG 1.4.10: 320 CSS px, what 1280 px at 400% zoom leaves
DESKTOP_WIDTH, DESKTOP_HEIGHT = 1280, 900
TEXT_SIZE = 200  # percent, WCAG 1.4.4

_CHARTS_FIT_JS = """
const limit = document.documentElement.clientWidth;
return Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(plot => ({id: (plot.closest('[id]') || {}).id || '?',
                 right: Math.round(plot.getBoundingClientRect().right)}))
  .filter(chart => chart.right > limit + 1);
"""


def screenshot_name(path: str, lang: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
    return f"phone_{PHONE_WIDTH}_{slug}_{lang}"


def _assert_fits(driver, label: str) -> None:
    harness.assert_reflows(driver, label)
    too_wide = driver.execute_script(_CHARTS_FIT_JS)
    assert not too_wide, f"{label}: charts wider than the window: {too_wide}"


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", fixed_paths())
def test_page_reflows_at_375_and_320_px_and_with_text_at_200_percent(page, path, lang):
    driver = open_or_skip(page, path, lang, width=PHONE_WIDTH, height=PHONE_HEIGHT)
    label = in_lang(path, lang)
    try:
        harness.save_screenshot(driver, screenshot_name(path, lang), full_page=True)
        _assert_fits(driver, f"{label} @{PHONE_WIDTH}px")
        if lang == "nl":  # the phone layout is the same markup in English (axed at 1280 px)
            violations = run_axe(driver)
            assert not violations, harness.format_violations(violations, f"{label} @375px")
        harness.resize_and_settle(driver, NARROWEST, PHONE_HEIGHT)
        _assert_fits(driver, f"{label} @{NARROWEST}px")
        harness.resize_and_settle(driver, DESKTOP_WIDTH, DESKTOP_HEIGHT)
        harness.set_text_size(driver, TEXT_SIZE)
        harness.settle_layout(driver)
        _assert_fits(driver, f"{label} @{DESKTOP_WIDTH}px, text {TEXT_SIZE}%")
    finally:
        harness.set_text_size(driver, 100)
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {label} while resized: {errors}"


def test_screenshot_names_are_distinct_per_page_and_language():
    names = {screenshot_name(p, lang) for p in fixed_paths() for lang in ("nl", "en")}
    assert len(names) == 2 * len(fixed_paths())
