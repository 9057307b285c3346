"""Every page, in Dutch and English, in headless Chromium: no console errors, the right document
language, every chart wrapped accessibly (named, described by a text summary, with a table
alternative), and on English pages no Dutch interface text left (tables opened, so their
captions and headers count too).

Axe-core (zero WCAG 2.0/2.1 A and AA violations) runs once per distinct page: on the Dutch
load, with the smallest "show as table" of the page open. The English page is the same markup
with other words (its `lang` is checked here, and axe runs on the English 404 page); every
table is written by the same browser function (tableFromFigure), so one open table per page
shows axe that markup. Running axe on the English twin and on every open table (some pages
have ~5,000 rows) cost about a third of the browser stage and found nothing the Dutch run
does not.

A page that answers with the 404 page fails, naming the page. The page load is shared with
the keyboard and reflow suites (page_visits.py).
"""

from __future__ import annotations

import contextlib

import pytest

from tests.browser import harness
from tests.browser.dutch_text import dutch_on_page
from tests.browser.site_pages import (
    fixed_paths,
    in_lang,
    nav_paths,
    open_or_skip,
    run_axe,
    shows_not_found,
)

pytestmark = pytest.mark.browser

LANGS = ("nl", "en")

# Each chart (a Plotly graph) must sit in figure_block's role=figure wrapper, whose name and
# description point at elements with text, with a table alternative in the same block.
_FIGURES_JS = """
function text(id) {
  const el = id && document.getElementById(id);
  return el ? el.textContent.replace(/\\s+/g, ' ').trim() : '';
}
const problems = [];
document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
  const figure = plot.closest('[role="figure"]');
  const where = (plot.closest('[id]') || {}).id || ('chart ' + (i + 1));
  if (!figure) { problems.push(where + ': chart is not inside a role=figure wrapper'); return; }
  const name = (figure.getAttribute('aria-labelledby') || '').split(/\\s+/).map(text).join(' ');
  const description = (figure.getAttribute('aria-describedby') || '')
    .split(/\\s+/).map(text).join(' ').trim();
  if (!name.trim() && !(figure.getAttribute('aria-label') || '').trim())
    problems.push(where + ': figure has no accessible name');
  if (description.length < 20)
    problems.push(where + ': figure has no text summary (aria-describedby): "' + description + '"');
  const block = figure.closest('section') || figure.parentElement;
  if (!block.querySelector('table caption'))
    problems.push(where + ': no table alternative (a table with a caption) in its block');
});
return {charts: document.querySelectorAll('.js-plotly-plot').length, problems: problems};
"""


# The "show as table" whose table is smallest: tables written from a figure (their box keeps
# the figure as mmFigure, see clientside.js tableFromFigure) count its points; tables written
# by the server their elements. Tables from a figure come first, as most tables of the app are
# written that way; <details> without a table (download lists, dialogs) are not candidates.
_SMALLEST_TABLE_JS = """
function points(figure) {
  return ((figure && figure.data) || []).reduce(
    (n, trace) => n + ((trace.x || trace.y || trace.z || []).length || 0), 0);
}
let best = null;
for (const details of document.querySelectorAll('details:not([open])')) {
  const box = Array.from(details.querySelectorAll('*')).find(el => el.mmFigure);
  if (!box && !details.querySelector('table')) continue;  // a download list, a dialog
  const size = box ? [0, points(box.mmFigure)] : [1, details.querySelectorAll('*').length];
  if (!best || size[0] < best.size[0] || (size[0] === best.size[0] && size[1] < best.size[1]))
    best = {details: details, size: size};
}
return best && best.details;
"""


def check_page(driver, label: str, lang: str, names: list[str], *, axe: bool = True) -> list[str]:
    """Everything wrong with the page open in `driver`, as readable lines (empty when fine).
    `axe=False` leaves axe out (the English twin of a page whose Dutch load ran it)."""
    return page_problems(driver, label, lang, axe=axe) + alternatives_problems(
        driver, label, lang, names
    )


def page_problems(driver, label: str, lang: str, *, axe: bool = True) -> list[str]:
    """Console errors, the document language and (with `axe`) axe-core's violations, with
    the page's smallest "show as table" open: every table of the app is written by the same
    markup, and axe's time grows with the page's elements (a 1,400-row table of /corona
    took it from 2 to 18 s)."""
    failures = []
    errors = harness.console_errors(driver, page_is_404=shows_not_found(driver, lang))
    if errors:
        failures.append(f"{label}: console errors: {errors}")
    document_lang = driver.execute_script("return document.documentElement.lang")
    if document_lang != lang:
        failures.append(f"{label}: <html lang={document_lang!r}>, expected {lang!r}")
    if not axe:
        return failures
    details = driver.execute_script(_SMALLEST_TABLE_JS)
    if details is not None:
        driver.execute_script("arguments[0].open = true", details)
        with contextlib.suppress(AssertionError):
            harness.wait_for(
                driver, lambda d: d.execute_script(_TABLE_SHOWN_JS, details), timeout=5
            )
    violations = run_axe(driver)
    if violations:
        failures.append(harness.format_violations(violations, label))
    if details is not None:  # leave the page as it opened, for the checks that follow
        driver.execute_script("arguments[0].open = false", details)
    return failures


_TABLE_SHOWN_JS = "return !!arguments[0].querySelector('table caption')"


def alternatives_problems(driver, label: str, lang: str, names: list[str]) -> list[str]:
    """Every chart named, described and with a table alternative; on an English page no
    Dutch interface text. Every "show as table" is opened (some tables are written only when
    opened), so tables count as a reader who opens them meets them; then closed again."""
    failures = []
    opened = driver.execute_script(
        "const closed = Array.from(document.querySelectorAll('details:not([open])'));"
        "closed.forEach(d => d.open = true); return closed;"
    )
    with contextlib.suppress(AssertionError):
        harness.wait_for(driver, lambda d: not d.execute_script(_FIGURES_JS)["problems"], 10)
    figures = driver.execute_script(_FIGURES_JS)
    failures += [f"{label}: {problem}" for problem in figures["problems"]]
    if lang == "en":
        leftovers = dutch_on_page(driver, label, names)
        if leftovers:
            failures.append("Dutch interface text on an English page:\n" + "\n".join(leftovers))
    driver.execute_script("arguments[0].forEach(d => d.open = false)", opened)
    return failures


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", fixed_paths())
def test_page_has_no_accessibility_violations(visited, path, lang):
    failures = visited(path, lang).accessibility
    assert not failures, "\n".join(failures)


def _checked_already(path: str) -> bool:
    """True when the fixed list opens this page: the path itself, or the same page template
    with an area in it (/corona is /corona/GM0114 for the home municipality)."""
    return any(
        known == path or (path != "/" and known.startswith(path + "/")) for known in fixed_paths()
    )


def test_every_page_in_the_navigation_is_checked(page, area_names):
    """Pages in the header that the fixed list does not know are checked here."""
    driver = page("/", graphs=False)
    linked = nav_paths(driver)
    assert "/" in linked, f"the header navigation does not link the home page: {linked}"
    failures = []
    for path in (p for p in linked if not _checked_already(p)):
        for lang in LANGS:
            driver = page(in_lang(path, lang))
            if shows_not_found(driver, lang):
                failures.append(f"{path}: linked from the navigation but shows the 404 page")
                continue
            failures += check_page(driver, in_lang(path, lang), lang, area_names)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_page_is_accessible(page, area_names, lang):
    driver = page(in_lang("/deze-pagina-bestaat-niet", lang), graphs=False)
    assert shows_not_found(driver, lang)
    failures = check_page(driver, "404 page", lang, area_names)
    assert not failures, "\n".join(failures)


def test_help_page_example_chart_is_described_and_has_a_table(page):
    """The help page's example chart comes through figure_block with real data."""
    driver = open_or_skip(page, "/help")
    figures = driver.execute_script(_FIGURES_JS)
    assert figures["charts"] == 1, "the help page shows one example chart"
    assert not figures["problems"], figures["problems"]
    summary = driver.find_element("id", "help-example-summary").text
    assert "Emmen" in summary and "Laatste waarde" in summary and "2022" in summary
