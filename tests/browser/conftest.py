"""Browser fixtures: the real app served by `python -m app` on 127.0.0.1, and headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import requests

from tests.browser import harness, page_visits
from tests.conftest import REPO_ROOT, copy_data_dir, unavailable
from tests.servers import RunningApp, running_app


@pytest.fixture(scope="session")
def live_app(refreshed_settings, tmp_path_factory) -> Iterator[RunningApp]:
    """The app as a user runs it (`python -m app`), on a copy of the refreshed store."""
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        unavailable("chromium and chromium-driver are not installed")
    data_dir = tmp_path_factory.mktemp("live") / "data"
    copy_data_dir(refreshed_settings.data_dir, data_dir)
    with running_app(data_dir, data_dir.parent / "app.log", refreshed_settings.mirror) as app:
        yield app


@pytest.fixture(scope="session")
def area_names(live_app) -> list[str]:
    """Names of every area in the store (proper names, the same in both languages)."""
    response = requests.get(f"{live_app.url}/api/v1/areas", timeout=10)
    response.raise_for_status()
    return [area["name"] for area in response.json()["areas"] if area.get("name")]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    driver = harness.make_driver()
    yield driver
    driver.quit()


@pytest.fixture()
def page(browser, live_app):
    """Open a path of the live app, wait for Dash, and check the console stayed clean after."""

    def open_page(path: str, *, graphs: bool = True, width: int = 1280, height: int = 900):
        harness.set_viewport(browser, width, height)
        harness.console_errors(browser)  # drop what earlier tests left
        browser.get(live_app.url + path)
        harness.wait_for_dash(browser, graphs=graphs)
        return browser

    return open_page


VISIT_TIMES = REPO_ROOT / "test-artifacts" / "browser_visits.md"


@pytest.fixture(scope="session")
def _visits() -> Iterator[dict]:
    visits: dict = {}
    yield visits
    if visits:  # where the shared page visits spent their time, to look at after a run
        VISIT_TIMES.parent.mkdir(parents=True, exist_ok=True)
        VISIT_TIMES.write_text(page_visits.timings_table(list(visits.values())), encoding="utf-8")


@pytest.fixture()
def visited(page, area_names, _visits):
    """The checks of every per-page suite on one load of (path, lang), run on first use and
    kept for the session (see page_visits.py)."""
    from tests.browser.site_pages import shows_not_found
    from tests.browser.test_accessibility import alternatives_problems, page_problems
    from tests.browser.test_keyboard import tab_through_page

    def get(path: str, lang: str) -> page_visits.Visit:
        if (path, lang) not in _visits:
            _visits[path, lang] = page_visits.visit(
                page,
                path,
                lang,
                accessibility=lambda driver, label, lang: page_problems(
                    driver, label, lang, axe=lang == "nl"
                ),
                alternatives=lambda driver, label, lang: alternatives_problems(
                    driver, label, lang, area_names
                ),
                keyboard=tab_through_page,
                shows_not_found=shows_not_found,
            )
        found = _visits[path, lang]
        if found.not_found:
            pytest.fail(f"page {path} answers with the 404 page")
        return found

    return get
