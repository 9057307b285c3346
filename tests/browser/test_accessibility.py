"""Every page, in Dutch and English, in headless Chromium: no console errors, the right document
language, every chart wrapped accessibly (named, described by a text summary, with a table
alternative), and on English pages no Dutch interface text left (tables opened, so their
captions and headers count too).

Axe-core (zero WCAG 2.0/2.1 A and AA violations) runs once per distinct page: on the Dutch
load, with the first "show as table" of the page open. The English page is the same markup
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


def check_page(driver, label: str, lang: str, names: list[str], *, axe: bool = True) -> list[str]:
    """Everything wrong with the page open in `driver`, as readable lines (empty when fine).
    `axe=False` leaves axe out (the English twin of a page whose Dutch load ran it)."""
    failures = []
    errors = harness.console_errors(driver, page_is_404=shows_not_found(driver, lang))
    if errors:
        failures.append(f"{label}: console errors: {errors}")
    document_lang = driver.execute_script("return document.documentElement.lang")
    if document_lang != lang:
        failures.append(f"{label}: <html lang={document_lang!r}>, expected {lang!r}")
    # Open every "show as table" (some pages write the table only when it is opened), so the
    # tables are checked too, as a reader who opens them meets them.
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
    if axe:
        # One open table shows axe the markup every table of the page shares.
        driver.execute_script("arguments[0].slice(1).forEach(d => d.open = false)", opened)
        violations = run_axe(driver)
        if violations:
            failures.append(harness.format_violations(violations, label))
    # Leave the page as it opened, for the checks that follow on the same load.
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
