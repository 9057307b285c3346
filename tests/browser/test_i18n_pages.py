"""Dutch and English in the browser: the check for Dutch interface text on English pages (run
on every page by test_accessibility.py), the language switch with the right `lang`, and the
switch keeping the view.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from layouts.i18n import catalog, t
from tests.browser import harness
from tests.browser.dutch_text import COLLECT_TEXT_JS, dutch_fragments, find_dutch
from tests.browser.site_pages import in_lang

FRAGMENTS = dutch_fragments(catalog("nl"), catalog("en"))


def _texts(driver) -> list[dict]:
    return driver.execute_script(COLLECT_TEXT_JS)


# --- the check itself (no browser) -------------------------------------------------------


def test_dutch_fragments_hold_dutch_interface_text_only():
    assert FRAGMENTS["Toon tabel"] == "common.show_table"
    assert "Direct naar de inhoud" in FRAGMENTS
    for english_or_name in ("Emmen", "RIVM", "Home", "English", "Nederlands", "Show table"):
        assert english_or_name not in FRAGMENTS, english_or_name
    placeholder_piece = "meer dan de week ervoor"  # from '{value} meer dan de week ervoor'
    assert FRAGMENTS[placeholder_piece] == "change.more"


def test_find_dutch_reports_the_text_and_where_it_is():
    texts = [
        {"text": "Show table", "where": "summary"},
        {"text": "Bron: RIVM · Toon tabel", "where": "p.small"},
        {"text": "12 meer dan de week ervoor", "where": "p#x"},
        {"text": "Toonbank", "where": "p#y"},  # 'Toon' inside a longer word is no match
    ]
    found = {(f.fragment, f.where) for f in find_dutch(texts, FRAGMENTS)}
    assert ("Toon tabel", "p.small") in found
    assert ("meer dan de week ervoor", "p#x") in found
    assert all(where not in ("summary", "p#y") for _, where in found)


def test_find_dutch_ignores_area_names_but_not_translated_ones():
    texts = [
        {"text": "Wijk bij Duurstede", "where": "a#municipality"},
        {"text": "Emmen compared with Nederland", "where": "h2"},
    ]
    found = find_dutch(texts, FRAGMENTS, names=["Wijk bij Duurstede", "Nederland", "Emmen"])
    assert [(f.fragment, f.where) for f in found] == [("Nederland", "h2")]


# --- pages in the browser ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "other"),
    [("nl", "en"), ("en", "nl")],
)
def test_language_switch_names_its_language_and_keeps_the_view(page, lang, other):
    view = "/status?sort=publisher"
    driver = page(in_lang(view, lang), graphs=False)
    switch = driver.find_element(By.ID, "lang-switch")
    assert switch.get_attribute("lang") == other
    assert switch.get_attribute("hreflang") == other
    assert switch.text == t("lang.switch.label", lang)
    target = urlsplit(switch.get_attribute("href"))
    assert target.path == "/status"
    query = parse_qs(target.query)
    assert query.get("sort") == ["publisher"], "the switch drops the view's query"
    assert query.get("lang") == (["en"] if other == "en" else None)

    harness.tab_to(driver, "#lang-switch")
    switch.send_keys(Keys.ENTER)
    harness.wait_for(
        driver,
        lambda d: d.execute_script("return document.documentElement.lang") == other,
        msg=f"after the switch, <html lang> is not {other!r}",
    )
    harness.wait_for_dash(driver, graphs=False)
    assert urlsplit(driver.current_url).path == "/status"
    assert "sort=publisher" in driver.current_url
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == t("status.title", other)
    assert not harness.console_errors(driver)
