"""Every page on a 375 px wide phone, in Dutch and English: no sideways scrolling of the page
(charts resize, tables scroll inside their own box), no axe violations in the (Dutch) phone
layout, and a full-page screenshot in test-artifacts/screenshots/ to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import harness
from tests.browser.site_pages import fixed_paths, in_lang, open_or_skip, run_axe

pytestmark = pytest.mark.browser

PHONE_WIDTH, PHONE_HEIGHT = 375, 812

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


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", fixed_paths())
def test_page_fits_a_375_px_phone(page, path, lang):
    driver = open_or_skip(page, path, lang, width=PHONE_WIDTH, height=PHONE_HEIGHT)
    shot = harness.save_screenshot(driver, screenshot_name(path, lang), full_page=True)
    harness.assert_no_horizontal_scroll(driver)
    too_wide = driver.execute_script(_CHARTS_FIT_JS)
    assert not too_wide, f"{path}: charts wider than the phone: {too_wide} (see {shot})"
    if lang == "nl":  # the phone layout is the same markup in English (axed at 1280 px)
        violations = run_axe(driver)
        label = f"{in_lang(path, lang)} @375px"
        assert not violations, harness.format_violations(violations, label)
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {path} at 375 px: {errors}"


def test_screenshot_names_are_distinct_per_page_and_language():
    names = {screenshot_name(p, lang) for p in fixed_paths() for lang in ("nl", "en")}
    assert len(names) == 2 * len(fixed_paths())
