"""One page load per page and language for the three per-page suites.

test_accessibility.py (axe, language, charts, English text), test_keyboard.py (visible focus
on every Tab stop) and test_phone.py (reflow at 375 and 320 px, text at 200%) check the same
pages. Loading each page once and running every check on it, in an order where no check
disturbs the next, costs one load instead of three; each suite then asserts its own part of the
visit, so a failure is still reported by the suite (and test) it belongs to.

Order on one load (1280 px, the page as it opens): Tab through it (Dutch only, as keyboard
users of either language meet the same controls); the accessibility checks (axe with the
smallest "show as table" open); text at 200%; then 375 px and 320 px wide, the 375 px view
saved as a full-page screenshot; last, back at 1280 px, the checks that open every "show as
table" (each chart's text alternative, and Dutch text on English pages): some tables have
thousands of rows, and every check after them would walk those rows too.
"""

from __future__ import annotations

import re
import time
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
    seconds: dict[str, float] = field(default_factory=dict)  # per step, for the artifact


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
    alternatives: Callable,
    keyboard: Callable,
    shows_not_found: Callable,
) -> Visit:
    """Open `path` in `lang` once and run every suite's checks on it (see the module text).

    `accessibility(driver, label, lang)` and `alternatives(driver, label, lang)` return
    problem lines (both reported by the accessibility suite), `keyboard(driver, label)` returns
    (stops, problems); a check that raises is reported as its suite's problem.
    """
    label = in_lang(path, lang)
    result = Visit(label)
    started = time.monotonic()

    def step_done(step: str) -> None:
        nonlocal started
        result.seconds[step] = round(time.monotonic() - started, 2)
        started = time.monotonic()

    driver = open_page(label, width=DESKTOP[0], height=DESKTOP[1])
    step_done("load")
    if shows_not_found(driver, lang):
        result.not_found = True
        return result
    if lang == "nl":
        try:
            result.tab_stops, result.keyboard = keyboard(driver, path)
        except Exception:
            result.keyboard.append(_failure(label, "tabbing through the page"))
        step_done("keyboard")
    try:
        result.accessibility = accessibility(driver, label, lang)
    except Exception:
        result.accessibility.append(_failure(label, "the accessibility checks"))
    step_done("accessibility")
    try:
        result.reflow = check_reflow(driver, path, lang, label)
    except Exception:
        result.reflow.append(_failure(label, "resizing"))
    step_done("reflow")
    result.console = harness.console_errors(driver)
    if result.console:
        result.reflow.append(f"{label}: console errors while resized: {result.console}")
    harness.set_viewport(driver, *DESKTOP)  # the text checks need no redrawn charts
    try:
        result.accessibility += alternatives(driver, label, lang)
    except Exception:
        result.accessibility.append(_failure(label, "the text alternatives checks"))
    late = harness.console_errors(driver)
    if late:
        result.accessibility.append(f"{label}: console errors with every table open: {late}")
    step_done("tables")
    return result


def timings_table(visits: list[Visit]) -> str:
    """Markdown table of where each shared visit spent its time (slowest first)."""
    steps = ("load", "keyboard", "accessibility", "reflow", "tables")
    rows = sorted(visits, key=lambda v: -sum(v.seconds.values()))
    lines = [
        "| page | " + " | ".join(steps) + " | total s | tab stops |",
        "|---|" + "---:|" * (len(steps) + 2),
    ]
    for v in rows:
        cells = [f"{v.seconds.get(step, 0):.2f}" for step in steps]
        total = sum(v.seconds.values())
        lines.append(f"| {v.label} | " + " | ".join(cells) + f" | {total:.2f} | {v.tab_stops} |")
    sums = [sum(v.seconds.get(step, 0) for v in visits) for step in steps]
    lines.append("| all | " + " | ".join(f"{x:.1f}" for x in sums) + f" | {sum(sums):.1f} | |")
    return "\n".join(lines) + "\n"
