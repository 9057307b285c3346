"""Browser side of the browser tests: a headless Chromium and the checks run in it.

The app server is started elsewhere (a fixture); everything here only needs a URL and a driver.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("MMMETER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MMMETER_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Short description of an element for error messages: tag#id.class "text".
_DESCRIBE_JS = """
function describe(el) {
  if (!el || el === document.body) return el ? 'body' : '(none)';
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  const cls = (typeof el.className === 'string' ? el.className : '').trim();
  if (cls) s += '.' + cls.split(/\\s+/).slice(0, 3).join('.');
  const text = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim();
  if (text) s += ' "' + text.replace(/\\s+/g, ' ').slice(0, 40) + '"';
  return s;
}
"""


class _Chrome(webdriver.Chrome):
    """webdriver.Chrome that removes its temporary profile when it quits."""

    _profile_dir: str

    def quit(self) -> None:
        try:
            super().quit()
        finally:
            shutil.rmtree(self._profile_dir, ignore_errors=True)


def make_driver(width: int = 1280, height: int = 900, lang: str | None = None) -> webdriver.Chrome:
    """A headless Chromium with a fresh profile whose viewport is `width` x `height`.

    `lang` (e.g. "en") sets the browser's UI language and Accept-Language header.
    Call `driver.quit()` when done; that also deletes the temporary profile.
    """
    profile_dir = tempfile.mkdtemp(prefix="mmmeter-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile_dir}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(arg)
    if lang:
        options.add_argument(f"--lang={lang}")
        options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = _Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except Exception:
        shutil.rmtree(profile_dir, ignore_errors=True)
        raise
    driver._profile_dir = profile_dir
    driver.set_script_timeout(60)
    set_viewport(driver, width, height)
    return driver


def set_viewport(driver: webdriver.Chrome, width: int, height: int) -> None:
    """Make the layout viewport exactly width x height (a window can't be that narrow)."""
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner != [width, height]:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )


def _is_favicon_404(message: str) -> bool:
    return "favicon.ico" in message and "404" in message


def console_errors(driver: webdriver.Chrome, *, page_is_404: bool = False) -> list[str]:
    """SEVERE console entries logged since the previous call (reading the log empties it).

    Only a missing favicon is ignored, and with `page_is_404` the 404 status of the page's own
    address (the app answers an unknown page with its "niet gevonden" page and status 404).
    """
    own = driver.current_url.split("#")[0] if page_is_404 else None
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE"
        and not _is_favicon_404(entry["message"])
        and not (own and entry["message"].startswith(f"{own} ") and "404" in entry["message"])
    ]


_AXE_RUN_JS = """
const [context, tags, done] = arguments;
axe.run(context || document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(results => done({violations: results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
      nodes: v.nodes.map(n => ({
        target: n.target, html: n.html, impact: n.impact, failureSummary: n.failureSummary,
      })),
  }))}))
  .catch(err => done({error: String(err && err.stack || err)}));
"""


def run_axe(driver: webdriver.Chrome, context: str | None = None) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page, or on the CSS `context`.

    Returns axe's violations: dicts with id, impact, help, helpUrl, tags and nodes
    (each with target, html, impact, failureSummary).
    """
    if not AXE_JS.is_file():
        raise RuntimeError(
            f"{AXE_JS} is missing: run `npm ci` in {REPO_ROOT} to install axe-core "
            "(pinned in package.json)."
        )
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = driver.execute_async_script(_AXE_RUN_JS, context, list(AXE_TAGS))
    if "error" in result:
        raise RuntimeError(f"axe.run failed on {driver.current_url}: {result['error']}")
    return result["violations"]


def format_violations(violations: list[dict], page: str) -> str:
    """Readable report of axe violations on `page`, one block per rule."""
    if not violations:
        return f"{page}: no accessibility violations"
    lines = [f"{page}: {len(violations)} accessibility rule(s) violated"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'unknown impact'}): {v['help']}")
        if v.get("helpUrl"):
            lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"]:
            html = re.sub(r"\s+", " ", node.get("html", ""))
            if len(html) > 300:
                html = html[:300] + "…"
            lines.append(f"  * {' '.join(json.dumps(t) for t in node['target'])}")
            lines.append(f"    {html}")
            summary = (node.get("failureSummary") or "").strip().splitlines()
            details = [s.strip() for s in summary[1:] if s.strip()]
            if details:
                lines.append(f"    {'; '.join(details)}")
    return "\n".join(lines)


_DASH_STATE_JS = """
const entry = document.querySelector('#react-entry-point');
const state = {
  ready: document.readyState === 'complete',
  dash: !!entry,
  // The renderer replaces its "Loading..." placeholder with the layout once it has it.
  rendered: !!entry && entry.childElementCount > 0 && !entry.querySelector('._dash-loading'),
  loadingElements: document.querySelectorAll(
    '[data-dash-is-loading="true"], ._dash-loading-callback').length,
  pending: 0,
  graphsWaiting: 0,
};
if (window.store && window.store.getState) {
  const s = window.store.getState();
  if (s.appLifecycle !== 'HYDRATED') state.rendered = false;
  if (s.isLoading) state.pending += 1;
  const cbs = s.callbacks || {};
  for (const key of Object.keys(cbs)) {
    if (key === 'stored' || key === 'completed' || !Array.isArray(cbs[key])) continue;
    state.pending += cbs[key].filter(cb => !(cb.callback && cb.callback.persistent)).length;
  }
  if (Array.isArray(s.pendingCallbacks)) state.pending += s.pendingCallbacks.length;
}
if (arguments[0]) {
  // Charts draw once plotly.js is loaded, which waits for a chart to near the screen
  // (app/assets/2-site/plotly-loader.js): a test that waits for every chart loads it now.
  if (window.mmmeterPlotly) window.mmmeterPlotly.load();
  state.graphsWaiting = Array.from(document.querySelectorAll('.dash-graph'))
    .filter(g => !g.querySelector('.js-plotly-plot .main-svg')).length;
}
return state;
"""


def wait_for_dash(
    driver: webdriver.Chrome, timeout: float = 30, graphs: bool = True, settle: float = 0.3
) -> None:
    """Wait until Dash has rendered the layout and no callback is pending or running.

    With `graphs`, also wait until every dcc.Graph on the page has drawn its plot
    (dcc.Graph loads plotly.js lazily, after the callbacks are done). The page must stay
    idle for `settle` seconds, so callbacks chained on earlier outputs are waited for too.
    """
    deadline = time.monotonic() + timeout
    last: dict = {}
    idle_since: float | None = None
    while True:
        last = driver.execute_script(_DASH_STATE_JS, graphs)
        if not last["dash"] and last["ready"]:
            raise AssertionError(f"{driver.current_url} is not a Dash page (no #react-entry-point)")
        idle = (
            last["ready"]
            and last["rendered"]
            and not last["pending"]
            and not last["loadingElements"]
            and not last["graphsWaiting"]
        )
        now = time.monotonic()
        if not idle:
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif now - idle_since >= settle:
            return
        if now > deadline:
            raise TimeoutError(f"Dash page {driver.current_url} not idle after {timeout}s: {last}")
        time.sleep(0.1)


_OVERFLOW_JS = (
    _DESCRIBE_JS
    + """
const doc = document.documentElement;
const limit = doc.clientWidth;
const result = {scrollWidth: doc.scrollWidth, clientWidth: limit, innerWidth: window.innerWidth,
                culprits: []};
if (doc.scrollWidth <= limit + 1) return result;  // fits: no need to look for culprits
function clipped(el) {
  for (let p = el.parentElement; p && p !== document.body && p !== doc; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') return true;
  }
  return false;
}
const culprits = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= limit + 1 || clipped(el)) continue;
  culprits.push({el: describe(el), width: Math.round(r.width), right: Math.round(r.right)});
}
// Text sticks out of its box when a word is longer than the line (a URL, a variable name).
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let node = walker.nextNode(); node && culprits.length < 50; node = walker.nextNode()) {
  const el = node.parentElement;
  if (!el || !node.nodeValue.trim() || clipped(el)) continue;
  if (el.closest('.visually-hidden, .visually-hidden-focusable')) continue;  // clipped to 1px
  range.selectNodeContents(node);
  const r = range.getBoundingClientRect();
  if (r.width === 0 || r.right <= limit + 1) continue;
  culprits.push({el: 'text "' + node.nodeValue.trim().slice(0, 40) + '" in ' + describe(el),
                 width: Math.round(r.width), right: Math.round(r.right)});
}
culprits.sort((a, b) => b.width - a.width);
result.culprits = culprits.slice(0, 5);
return result;
"""
)


def assert_no_horizontal_scroll(driver: webdriver.Chrome) -> None:
    """The page must not scroll sideways (WCAG 1.4.10 reflow at 320-375 px wide).

    Compares the document's scroll width with its client width (the viewport without a
    vertical scrollbar), with 1px tolerance for rounding.
    """
    m = driver.execute_script(_OVERFLOW_JS)
    if m["scrollWidth"] <= m["clientWidth"] + 1:
        return
    widest = "\n".join(
        f"  {c['el']}: {c['width']}px wide, right edge at {c['right']}px" for c in m["culprits"]
    )
    raise AssertionError(
        f"{driver.current_url} scrolls horizontally: content is {m['scrollWidth']}px wide, "
        f"viewport {m['clientWidth']}px (window.innerWidth {m['innerWidth']}px). "
        f"Widest elements sticking out:\n{widest or '  (none found; check pseudo-elements)'}"
    )


def save_screenshot(driver: webdriver.Chrome, name: str, full_page: bool = False) -> Path:
    """Save a PNG of the viewport (or the whole page) to test-artifacts/screenshots/."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    if full_page:
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))
    return path


@dataclass(frozen=True)
class HasText:
    """Predicate for `tab_to`: the element's visible text, aria-label or value equals `text`
    (spaces collapsed, case ignored)."""

    text: str

    def __str__(self) -> str:
        return f"has_text({self.text!r})"


def has_text(text: str) -> HasText:
    return HasText(text)


Predicate = str | HasText  # a CSS selector, or the text of the element

# After a Tab press: the focused element, whether it matches the predicate, and what it is.
_TAB_STOP_JS = (
    _DESCRIBE_JS
    + """
const [selector, text] = arguments;
const el = document.activeElement;
const squash = value => (value || '').replace(/\\s+/g, ' ').trim().toLowerCase();
let matches = false;
if (el && el !== document.body) {
  matches = selector ? el.matches(selector)
    : [el.innerText, el.getAttribute('aria-label'), el.value].some(n => squash(n) === text);
}
return {element: el, matches: matches, description: describe(el)};
"""
)


def describe_active(driver: webdriver.Chrome) -> str:
    return driver.execute_script(_DESCRIBE_JS + "return describe(document.activeElement);")


def tab_to(driver: webdriver.Chrome, predicate: Predicate, max_tabs: int = 80) -> WebElement:
    """Press Tab until the focused element matches `predicate`; return that element.

    `predicate` is a CSS selector, or `has_text(...)`. Uses real key presses, so
    `:focus-visible` styles apply as for a keyboard user; one script per Tab asks the rest.
    """
    if isinstance(predicate, HasText):
        args = (None, " ".join(predicate.text.split()).lower())
    else:
        args = (predicate, None)
    visited = []
    for _ in range(max_tabs):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        stop = driver.execute_script(_TAB_STOP_JS, *args)
        if stop["matches"]:
            return stop["element"]
        visited.append(stop["description"])
    raise AssertionError(
        f"no element matching {predicate} reached in {max_tabs} Tab presses on "
        f"{driver.current_url}; focus went through: {' -> '.join(visited[:40])}"
    )


_FOCUS_JS = """
function transparent(color) {
  return !color || color === 'transparent' || /rgba\\(.*,\\s*0(\\.0+)?\\)$/.test(color);
}
function indicator(el) {
  const s = getComputedStyle(el);
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
      && !transparent(s.outlineColor)) {
    return 'outline ' + s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor;
  }
  if (s.boxShadow && s.boxShadow !== 'none') {
    const colors = s.boxShadow.match(/rgba?\\([^)]*\\)/g) || ['visible'];
    if (colors.some(c => !transparent(c))) return 'box-shadow ' + s.boxShadow;
  }
  return null;
}
const el = document.activeElement;
if (!el || el === document.body) return null;
// A visually hidden input (Bootstrap .btn-check, custom checkboxes) shows focus on its label.
const candidates = [el, ...(el.labels ? Array.from(el.labels) : [])];
for (const c of candidates) {
  const found = indicator(c);
  if (found) return found;
}
return null;
"""


# After a Tab press, what the keyboard suite asks of the focused element, in one round trip
# (about a third of the time of asking for each part on its own).
FOCUS_STOP_JS = (
    _DESCRIBE_JS
    + "function focusIndicator() {"
    + _FOCUS_JS
    + """}
const el = document.activeElement;
const r = el && el.getBoundingClientRect();
const stop = {
  element: el,
  tag: el ? el.tagName.toLowerCase() : 'body',
  description: describe(el),
  same: !!el && el === window.__mmmeterPreviousFocus,
  indicator: focusIndicator(),
  onScreen: !!r && r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
    && r.left < window.innerWidth && r.top < window.innerHeight,
};
window.__mmmeterPreviousFocus = el;
return stop;
"""
)


def focus_indicator(driver: webdriver.Chrome) -> str | None:
    """The focused element's visible focus style (outline or box-shadow), or None."""
    return driver.execute_script(_FOCUS_JS)


def focus_visible(driver: webdriver.Chrome) -> bool:
    """Whether the focused element (or its label) shows a focus outline or box-shadow."""
    return focus_indicator(driver) is not None


# A condition that reads the page while Dash renders it again can meet an element that was just
# replaced: that is "not yet", and the condition is asked again.
RETRY_ON = (NoSuchElementException, StaleElementReferenceException)


def wait_for(driver: webdriver.Chrome, condition: Callable, timeout: float = 10, msg: str = ""):
    """WebDriverWait(...).until with a readable failure."""
    try:
        return WebDriverWait(
            driver, timeout, poll_frequency=0.1, ignored_exceptions=RETRY_ON
        ).until(condition)
    except TimeoutException as exc:
        raise AssertionError(msg or f"condition not met within {timeout}s") from exc


# True when the middle of the element is on screen and a click there lands on the element itself
# (or inside it), not on a sticky header, a tooltip or a layout that is still moving.
_HIT_TARGET_JS = """
const el = arguments[0];
const box = el.getBoundingClientRect();
const x = box.left + box.width / 2, y = box.top + box.height / 2;
if (y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) return false;
const hit = document.elementFromPoint(x, y);
return hit !== null && (hit === el || el.contains(hit) || (el.control && el.control === hit));
"""


def click(driver: webdriver.Chrome, element: WebElement, timeout: float = 10) -> None:
    """Click as a user does: scroll the element to the middle of the window, wait until nothing
    covers it (a redraw can still move the page), then click it."""

    def ready(d) -> bool:
        d.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
        )
        return bool(d.execute_script(_HIT_TARGET_JS, element))

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=RETRY_ON).until(ready)
    except TimeoutException as exc:
        what = driver.execute_script(_DESCRIBE_JS + "return describe(arguments[0]);", element)
        raise AssertionError(f"element is never clickable: {what}") from exc
    element.click()


# Text that a reader cannot read whole: cut off by a box that hides its overflow, or drawn over
# other text. Plotly's SVG text is left out (plotly lays it out itself, in pixels); so is text
# that is hidden on purpose (visually-hidden, closed <details>, display:none).
_TEXT_PROBLEMS_JS = (
    _DESCRIBE_JS
    + """
const problems = [];
const hiddenOnPurpose = el => el.closest('.visually-hidden, .visually-hidden-focusable, '
  + '.sr-only, svg, .js-plotly-plot, [aria-hidden="true"], .skip-link, datalist, option, '
  + 'script, style, noscript, template');
const hides = value => value === 'hidden' || value === 'clip';
const clips = s => hides(s.overflowX) || hides(s.overflowY);
// Inside a closed <details> only the summary shows (a table written there stays in the DOM).
const closed = el => {
  const details = el.closest('details:not([open])');
  return details && !el.closest('summary');
};
for (const el of document.body.querySelectorAll('*')) {
  if (hiddenOnPurpose(el) || closed(el) || !el.getClientRects().length) continue;
  const s = getComputedStyle(el);
  if (!clips(s) && s.textOverflow !== 'ellipsis') continue;
  if (!(el.innerText || '').trim() || el.clientWidth < 2 || el.clientHeight < 2) continue;
  const wide = el.scrollWidth > el.clientWidth + 1 && hides(s.overflowX);
  const tall = el.scrollHeight > el.clientHeight + 1 && hides(s.overflowY);
  if (wide || tall) {
    problems.push('clipped: ' + describe(el) + ` shows ${el.clientWidth}x${el.clientHeight}px`
      + ` of ${el.scrollWidth}x${el.scrollHeight}px`);
  }
}
// Every line of visible text, as boxes; then any two boxes of different text nodes that overlap.
// The part of a text rectangle its clipping (scrolling) ancestors leave visible, or null.
function shownPart(el, r) {
  let left = r.left, right = r.right, top = r.top, bottom = r.bottom;
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const ps = getComputedStyle(p);
    if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
    const b = p.getBoundingClientRect();
    left = Math.max(left, b.left); right = Math.min(right, b.right);
    top = Math.max(top, b.top); bottom = Math.min(bottom, b.bottom);
    if (right <= left || bottom <= top) return null;
  }
  return {left: left, right: right, top: top, bottom: bottom,
          width: right - left, height: bottom - top};
}
const boxes = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!node.nodeValue.trim()) continue;
  const el = node.parentElement;
  if (!el || hiddenOnPurpose(el)) continue;
  if (closed(el)) continue;
  const s = getComputedStyle(el);
  if (s.visibility === 'hidden' || parseFloat(s.opacity) === 0) continue;
  range.selectNodeContents(node);
  for (const whole of range.getClientRects()) {
    const r = shownPart(el, whole);  // text scrolled out of a scroll box is not on screen
    if (r === null || r.width < 1 || r.height < 1) continue;
    boxes.push({left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY,
                node: node, el: el});
  }
}
boxes.sort((a, b) => a.top - b.top);
const seen = new Set();
const MARGIN = 2;  // line boxes of adjacent lines may touch
for (let i = 0; i < boxes.length && problems.length < 20; i++) {
  const a = boxes[i];
  for (let j = i + 1; j < boxes.length && boxes[j].top < a.bottom - MARGIN; j++) {
    const b = boxes[j];
    if (a.node === b.node) continue;
    const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (dx <= MARGIN || dy <= MARGIN) continue;
    const key = describe(a.el) + ' / ' + describe(b.el);
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push('overlapping text: ' + key);
  }
}
return problems;
"""
)


def text_problems(driver: webdriver.Chrome) -> list[str]:
    """Text that is cut off by its box or drawn over other text (WCAG 1.4.4 and 1.4.10)."""
    return driver.execute_script(_TEXT_PROBLEMS_JS)


def set_text_size(driver: webdriver.Chrome, percent: int) -> None:
    """Scale the page's text as a reader's browser setting does (root font size)."""
    driver.execute_script(
        "document.documentElement.style.fontSize = arguments[0];",
        "" if percent == 100 else f"{percent}%",
    )


def resize_and_settle(driver: webdriver.Chrome, width: int, height: int) -> None:
    """Give the open page a new viewport and wait until charts have drawn at the new size."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    settle_layout(driver)


def settle_layout(driver: webdriver.Chrome, timeout: float = 10) -> None:
    """Fire a resize (plotly redraws responsive charts on it) and wait for two quiet frames
    (after plotly's debounce, on a page with charts)."""
    driver.set_script_timeout(max(timeout, 60))
    driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        window.dispatchEvent(new Event('resize'));
        // plotly debounces its resize handler: with charts on the page let it run, then wait
        // for two frames (a page without charts has only the frames to wait for)
        const charts = document.querySelector('.js-plotly-plot, .dash-graph') !== null;
        setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => done())),
                   charts ? 300 : 0);
        """
    )


def assert_reflows(driver: webdriver.Chrome, label: str) -> None:
    """No sideways scroll of the page, and no clipped or overlapping text."""
    assert_no_horizontal_scroll(driver)
    problems = text_problems(driver)
    assert not problems, f"{label} on {driver.current_url}:\n  " + "\n  ".join(problems)
