"""Browser fixtures: the real app served by `python -m app` on 127.0.0.1, and headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import requests

from tests.browser import harness
from tests.conftest import unavailable
from tests.servers import RunningApp, running_app


@pytest.fixture(scope="session")
def live_app(refreshed_settings, tmp_path_factory) -> Iterator[RunningApp]:
    """The app as a user runs it (`python -m app`), on a copy of the refreshed store."""
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        unavailable("chromium and chromium-driver are not installed")
    data_dir = tmp_path_factory.mktemp("live") / "data"
    shutil.copytree(refreshed_settings.data_dir, data_dir, symlinks=True)
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
