"""Which pages the browser tests visit, and opening one of them (skipping pages not built yet).

Every page of the app is checked: the pages in the header navigation (read from the live page,
so a newly registered page is checked without editing a list), the templated pages below, and
one page per theme file in layouts/themes/.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from selenium.webdriver.common.by import By

from layouts.i18n import t
from layouts.pages.home import START_THEME
from tests.browser import harness
from tests.conftest import REPO_ROOT

THEMES_DIR = REPO_ROOT / "layouts" / "themes"
# axe-core needs over a minute on the largest pages (tens of thousands of elements) when the
# machine is busy; the driver's default script timeout is 60 s.
AXE_TIMEOUT_S = 300
# Pages whose path holds a value, and pages not (always) in the header navigation.
TEMPLATED_PATHS = (
    "/corona/GM0114?compare=GM0106",  # with a compared municipality (its remove button)
    "/corona/kaart",
    "/buurten",
    "/buurten/WK011401",
    "/buurten/selectie?gebieden=WK011401,WK011402",  # an own selection of two wijken
    "/thema",
    "/toegankelijkheid",
    "/help",
    "/status",
    "/beheer",
    "/data",  # in the navigation, but /data/... below would count as checking it
    "/data/rivm_cases",
    "/data/indicator/covid_cases_per_100k_7d",
)


def theme_ids(folder: Path = THEMES_DIR) -> list[str]:
    """The id of every theme file (its `id`, else its file name), sorted."""
    ids = set()
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            data = None
        declared = data.get("id") if isinstance(data, dict) else None
        ids.add(str(declared) if declared else path.stem)
    return sorted(ids)


def fixed_paths() -> list[str]:
    """The home page, the templated pages and every theme page (known without a browser).
    The start theme is the home page (layouts/pages/home.py): "/" checks it, /thema/start
    would render the same blocks a second time."""
    themes = (theme for theme in theme_ids() if theme != START_THEME)
    paths = ["/", *TEMPLATED_PATHS, *(f"/thema/{theme}" for theme in themes)]
    return list(dict.fromkeys(paths))


def nav_paths(driver) -> list[str]:
    """The paths linked from the header navigation of the page open in `driver`."""
    paths = []
    for link in driver.find_elements(By.CSS_SELECTOR, "#site-header nav a[href]"):
        if link.get_attribute("id") == "lang-switch":
            continue
        href = urlsplit(link.get_attribute("href"))
        paths.append(href.path or "/")
    return list(dict.fromkeys(paths))


def in_lang(path: str, lang: str) -> str:
    """`path` as opened in `lang` (?lang=en added for English; Dutch is the default)."""
    if lang == "nl":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def shows_not_found(driver, lang: str) -> bool:
    headings = driver.find_elements(By.CSS_SELECTOR, "main h1")
    return bool(headings) and headings[0].text.strip() == t("errors.not_found.title", lang)


def open_or_skip(page, path: str, lang: str = "nl", **kwargs):
    """Open `path` in `lang` with the `page` fixture; fail the test when the app answers with
    its 404 page, naming the page."""
    driver = page(in_lang(path, lang), **kwargs)
    if shows_not_found(driver, lang):
        pytest.fail(f"page {path} answers with the 404 page")
    return driver


def run_axe(driver) -> list[dict]:
    """harness.run_axe with a script timeout long enough for the largest pages."""
    driver.set_script_timeout(AXE_TIMEOUT_S)
    try:
        return harness.run_axe(driver)
    finally:
        driver.set_script_timeout(60)
