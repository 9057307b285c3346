"""Theme pages in a real browser: a pattern-matching callback redraws a trend and the browser
writes its table; the admin page logs in and the browser uploads a file. What every shipped
theme draws, the navigation order, the overview, the map block's year switch and a themes
folder changing while the app runs (a file added, broken, fixed) are pinned without a browser
(tests/integration/test_theme_and_shell_pages.py); axe, English text and phone width with
every page (test_accessibility.py, test_phone.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from werkzeug.security import generate_password_hash

from tests.browser import harness
from tests.conftest import FIXTURES, copy_data_dir, unavailable
from tests.servers import running_app

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "browser-test-password"


def assert_clean(driver, label: str) -> None:
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {label}: {errors}"
    violations = harness.run_axe(driver)
    assert not violations, harness.format_violations(violations, label)


# --- the shipped themes -------------------------------------------------------------------


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
    # the browser writes the table when the details open (their toggle event comes in a task of
    # its own, after the click): one row per day of the last month (one calendar month back)
    harness.wait_for(
        driver,
        lambda d: len(details.find_elements(By.CSS_SELECTOR, "tbody tr")) == 31,
        msg="the opened table does not hold the 31 days of the month",
    )
    # Axe ran on /thema/corona (test_accessibility.py); the redrawn block is the same markup.
    errors = harness.console_errors(driver)
    assert not errors, f"console errors after choosing 1 maand: {errors}"


# --- a themes folder of our own: new, changed and broken files, and the admin page ----------


@dataclass
class OwnApp:
    url: str
    staff: Path


@pytest.fixture(scope="module")
def own_app(refreshed_settings, tmp_path_factory) -> Iterator[OwnApp]:
    """`python -m app` with the admin switched on and a staff data folder of its own."""
    if shutil.which("chromium") is None:
        unavailable("chromium is not installed")
    root = tmp_path_factory.mktemp("own-themes")
    copy_data_dir(refreshed_settings.data_dir, root / "data")
    with running_app(
        root / "data",
        root / "app.log",
        refreshed_settings.mirror,
        MMMETER_STAFF_DATA_DIR=str(root / "staff"),
        MMMETER_ADMIN_USER="onderzoek",
        MMMETER_ADMIN_PASSWORD_HASH=generate_password_hash(ADMIN_PASSWORD),
        MMMETER_SECRET_KEY="browser-test-secret",
    ) as app:
        yield OwnApp(app.url, root / "staff")


def open_own(browser, app: OwnApp, path: str, graphs: bool = True):
    harness.set_viewport(browser, 1280, 900)
    harness.console_errors(browser)
    browser.get(app.url + path)
    harness.wait_for_dash(browser, graphs=graphs)
    return browser


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
