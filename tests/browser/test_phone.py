"""Reflow and text size (WCAG 2.1 1.4.10 and 1.4.4): every page, in Dutch and English, at
1280 px with the text at 200%, and at 375 px and 320 px wide: no sideways scrolling of the page
(charts resize, tables scroll inside their own box), no clipped or overlapping text, no chart
wider than the window, no console errors; a full-page screenshot at 375 px goes to
test-artifacts/screenshots/ to look at.

The checks run on the page load shared with the accessibility and keyboard suites
(page_visits.py): the window is resized and the text scaled on the open page. Axe runs on
every page at 1280 px (test_accessibility.py); the phone layout is the same markup.
"""

from __future__ import annotations

import pytest

from tests.browser.page_visits import screenshot_name
from tests.browser.site_pages import fixed_paths

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", fixed_paths())
def test_page_reflows_at_375_and_320_px_and_with_text_at_200_percent(visited, path, lang):
    problems = visited(path, lang).reflow
    assert not problems, "\n".join(problems)


def test_screenshot_names_are_distinct_per_page_and_language():
    names = {screenshot_name(p, lang) for p in fixed_paths() for lang in ("nl", "en")}
    assert len(names) == 2 * len(fixed_paths())
