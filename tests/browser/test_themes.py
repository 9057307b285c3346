"""Theme pages in a real browser: every shipped theme draws its blocks, with a clean console and
no axe-core violations, in Dutch and English and on a phone; the pattern-matching callbacks
work; a theme file added to a running app's folder gets its page and navigation entry; a broken
one shows its problems while the others stay served; the admin page is usable."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from werkzeug.security import generate_password_hash

from layouts.themes.checks import References
from layouts.themes.loader import load_folder
from tests.browser import harness
from tests.conftest import FIXTURES, REPO_ROOT, unavailable
from tests.servers import running_app

pytestmark = pytest.mark.browser

THEMES_DIR = REPO_ROOT / "layouts" / "themes"
SHIPPED = ["corona", "bevolking", "huishoudens-wonen"]
ADMIN_PASSWORD = "browser-test-password"


def shipped_themes():
    from data.catalog import load_catalog

    folder = load_folder(THEMES_DIR, References(load_catalog(REPO_ROOT / "data" / "catalog.yaml")))
    return {theme.id: theme for theme in folder.valid}


def graph_blocks(theme) -> int:
    """How many charts and maps a theme draws (trend, map and ranking blocks, rows included)."""
    return sum(
        1 for _, _, block in theme.numbered_blocks() if block.type in ("trend", "map", "ranking")
    )


def assert_clean(driver, label: str) -> None:
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {label}: {errors}"
    violations = harness.run_axe(driver)
    assert not violations, harness.format_violations(violations, label)


def main_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def nav_labels(driver) -> list[str]:
    links = driver.find_elements(By.CSS_SELECTOR, "#site-header nav a.nav-link")
    return [link.get_attribute("textContent").strip() for link in links]


# --- the shipped themes -------------------------------------------------------------------


def test_shipped_themes_are_the_three_of_the_issue_and_the_start_page():
    assert list(shipped_themes()) == [*SHIPPED, "start"]


@pytest.mark.parametrize("theme_id", SHIPPED)
def test_shipped_theme_draws_every_block(page, theme_id):
    """Every block is drawn; axe, English text and the phone width of every theme page are
    checked with all other pages (test_accessibility.py, test_i18n_pages.py, test_phone.py)."""
    theme = shipped_themes()[theme_id]
    driver = page(f"/thema/{theme_id}")
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == theme.title.nl
    plots = driver.find_elements(By.CSS_SELECTOR, "main .js-plotly-plot")
    assert len(plots) == graph_blocks(theme)
    assert not driver.find_elements(By.CSS_SELECTOR, "[id$='-failed']"), "a block failed"
    assert "Bron:" in main_text(driver)
    harness.save_screenshot(driver, f"theme_{theme_id}_1280", full_page=True)
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on /thema/{theme_id}: {errors}"


def test_the_navigation_lists_the_themes_in_their_order(page):
    driver = page("/", graphs=False)
    labels = nav_labels(driver)
    positions = [labels.index(title) for title in ("Corona in de regio", "Bevolking")]
    assert positions == sorted(positions)
    assert labels.index("Huishoudens & wonen") > labels.index("Bevolking")


def test_the_themes_overview_lists_every_theme(page):
    driver = page("/thema", graphs=False)
    items = driver.find_elements(By.CSS_SELECTOR, "#theme-list a")
    assert [item.text for item in items] == [
        "Corona in de regio",
        "Bevolking",
        "Huishoudens & wonen",
    ]
    assert_clean(driver, "/thema")


def test_an_unknown_theme_says_so_and_lists_the_themes(page):
    driver = page("/thema/bestaat-niet", graphs=False)
    assert "Er is geen thema 'bestaat-niet'" in main_text(driver)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#theme-list a")) == 3


# --- the pattern-matching callbacks ---------------------------------------------------------


def _summary(driver, key: str) -> str:
    """The text summary of the block with this key ('corona-1', 'bevolking-4.0')."""
    return driver.find_element(By.ID, f"theme-{key.replace('.', '-')}-summary").text


def test_choosing_a_period_redraws_a_trend_and_its_table(page):
    driver = page("/thema/corona")
    before = _summary(driver, "corona-1")
    assert "van 8 maart 2020" in before
    label = driver.find_element(
        By.XPATH, "//section[@aria-labelledby='theme-corona-1-title']//label[text()='1 maand']"
    )
    harness.click(driver, label)
    harness.wait_for(
        driver,
        lambda d: _summary(d, "corona-1") != before,
        msg="the trend summary did not change after choosing 1 maand",
    )
    harness.wait_for_dash(driver)
    # one calendar month back, as on the corona page (layouts/views/periods.py)
    assert "van 1 maart 2023 tot en met 31 maart 2023" in _summary(driver, "corona-1")
    details = driver.find_element(
        By.XPATH, "//section[@aria-labelledby='theme-corona-1-title']//details"
    )
    harness.click(driver, details.find_element(By.TAG_NAME, "summary"))
    rows = details.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 30  # one per day of the last month
    assert_clean(driver, "/thema/corona after choosing 1 maand")


def test_choosing_a_year_on_a_map_changes_its_legend_summary_and_table(page):
    driver = page("/thema/bevolking")
    before = _summary(driver, "bevolking-1")
    assert before.startswith("Inwoners per wijk, 2024.")
    section = driver.find_element(By.XPATH, "//section[@aria-labelledby='theme-bevolking-1-title']")
    harness.click(driver, section.find_element(By.XPATH, ".//label[text()='2021']"))
    harness.wait_for(
        driver,
        lambda d: _summary(d, "bevolking-1").startswith("Inwoners per wijk, 2021."),
        msg="the map summary did not switch to 2021",
    )
    harness.wait_for_dash(driver)
    caption = section.find_element(By.CSS_SELECTOR, "details table caption")
    assert caption.get_attribute("textContent") == "Inwoners per wijk, 2021"
    assert_clean(driver, "/thema/bevolking after choosing 2021")


# --- a themes folder of our own: new, changed and broken files, and the admin page ----------


@dataclass
class OwnApp:
    url: str
    themes: Path
    staff: Path


@pytest.fixture(scope="module")
def own_app(refreshed_settings, tmp_path_factory) -> Iterator[OwnApp]:
    """`python -m app` with its own themes folder (MMMETER_THEMES_DIR) and the admin switched on."""
    if shutil.which("chromium") is None:
        unavailable("chromium is not installed")
    root = tmp_path_factory.mktemp("own-themes")
    shutil.copytree(refreshed_settings.data_dir, root / "data", symlinks=True)
    themes = root / "themes"
    themes.mkdir()
    shutil.copy(THEMES_DIR / "bevolking.yaml", themes)
    shutil.copy(FIXTURES / "themes" / "broken" / "unknown_indicator.yaml", themes / "wonen.yaml")
    with running_app(
        root / "data",
        root / "app.log",
        refreshed_settings.mirror,
        MMMETER_THEMES_DIR=str(themes),
        MMMETER_STAFF_DATA_DIR=str(root / "staff"),
        MMMETER_ADMIN_USER="onderzoek",
        MMMETER_ADMIN_PASSWORD_HASH=generate_password_hash(ADMIN_PASSWORD),
        MMMETER_SECRET_KEY="browser-test-secret",
    ) as app:
        yield OwnApp(app.url, themes, root / "staff")


def open_own(browser, app: OwnApp, path: str, graphs: bool = True):
    harness.set_viewport(browser, 1280, 900)
    harness.console_errors(browser)
    browser.get(app.url + path)
    harness.wait_for_dash(browser, graphs=graphs)
    return browser


NEW_THEME = """schema_version: 2
id: wonen-nieuw
title: {nl: Wonen nieuw, en: Housing new}
order: 25
lead: {nl: "Erbij gekomen terwijl de site draaide.", en: "Added while the site ran."}
blocks:
  - type: map
    indicator: dwellings
    level: wijk
  - type: text
    body: {nl: "Toegevoegd zonder herstart.", en: "Added without a restart."}
"""


def test_a_theme_file_added_to_the_folder_gets_its_page_and_navigation_entry(browser, own_app):
    driver = open_own(browser, own_app, "/", graphs=False)
    assert "Wonen nieuw" not in nav_labels(driver)
    (own_app.themes / "wonen-nieuw.yaml").write_text(NEW_THEME, encoding="utf-8")
    driver = open_own(browser, own_app, "/thema/wonen-nieuw")
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == "Wonen nieuw"
    assert "Toegevoegd zonder herstart." in main_text(driver)
    assert len(driver.find_elements(By.CSS_SELECTOR, "main .js-plotly-plot")) == 1
    labels = nav_labels(driver)
    assert labels.index("Bevolking") < labels.index("Wonen nieuw")  # order 20, then 25
    current = driver.find_element(By.CSS_SELECTOR, "#site-header nav a[aria-current='page']")
    assert current.text == "Wonen nieuw"
    assert_clean(driver, "/thema/wonen-nieuw (added while running)")


def test_a_broken_theme_shows_its_problems_and_stays_out_of_the_navigation(browser, own_app):
    driver = open_own(browser, own_app, "/thema/wonen", graphs=False)
    assert (
        driver.find_element(By.CSS_SELECTOR, "main h1").text == "Dit thema kan niet worden getoond"
    )
    problems = driver.find_element(By.ID, "theme-problems").text
    assert "wonen.yaml:12 blocks[2].indicator: unknown indicator 'woz_waarde'" in problems
    assert "python -m app themes check wonen.yaml" in main_text(driver)
    assert "Wonen" not in nav_labels(driver)
    assert_clean(driver, "/thema/wonen (broken)")
    driver = open_own(browser, own_app, "/thema/bevolking")
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == "Bevolking"


def test_fixing_a_broken_theme_brings_it_back_without_a_restart(browser, own_app):
    path = own_app.themes / "wonen.yaml"
    path.write_text(path.read_text().replace("woz_waarde", "dwellings"), encoding="utf-8")
    driver = open_own(browser, own_app, "/thema/wonen")
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == "Wonen"
    assert "Wonen" in nav_labels(driver)


def test_the_admin_page_logs_in_and_rejects_a_bad_upload_with_line_and_column(
    browser, own_app, tmp_path
):
    driver = open_own(browser, own_app, "/beheer", graphs=False)
    assert_clean(driver, "/beheer (login)")
    driver.find_element(By.ID, "admin-user").send_keys("onderzoek")
    password = driver.find_element(By.ID, "admin-password")
    password.send_keys(ADMIN_PASSWORD)
    harness.click(driver, driver.find_element(By.ID, "admin-login"))
    harness.wait_for(driver, lambda d: d.find_elements(By.ID, "admin-upload-form"), msg="no login")
    harness.wait_for_dash(driver, graphs=False)
    bad = tmp_path / "woz_value.csv"
    bad.write_bytes((FIXTURES / "staff" / "woz_value.csv").read_bytes().replace(b"214", b"veel", 1))
    inputs = driver.find_elements(By.CSS_SELECTOR, "input[type=file]")
    inputs[0].send_keys(str(bad))
    inputs[1].send_keys(str(FIXTURES / "staff" / "woz_value.yaml"))
    harness.wait_for(
        driver, lambda d: d.find_element(By.ID, "admin-csv-name").text == "woz_value.csv"
    )
    harness.click(driver, driver.find_element(By.ID, "admin-submit"))
    harness.wait_for(driver, lambda d: d.find_elements(By.ID, "admin-rejected"), msg="no result")
    rejected = driver.find_element(By.ID, "admin-rejected").text
    assert "woz_value.csv: column value, line 29: 'veel' is not a number" in rejected
    assert "Er is niets veranderd." in rejected
    assert not own_app.staff.exists() or not any(own_app.staff.iterdir())
    assert_clean(driver, "/beheer (upload rejected)")
