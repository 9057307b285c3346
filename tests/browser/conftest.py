"""Browser fixtures: the real app served by `python -m app` on 127.0.0.1, and headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from tests.browser import harness
from tests.conftest import REPO_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveApp:
    url: str
    process: subprocess.Popen
    log_path: object

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def live_app(refreshed_settings, tmp_path_factory) -> Iterator[LiveApp]:
    """The app as a user runs it (`python -m app`), on a copy of the refreshed store."""
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        pytest.skip("chromium and chromium-driver are not installed")
    data_dir = tmp_path_factory.mktemp("live") / "data"
    shutil.copytree(refreshed_settings.data_dir, data_dir, symlinks=True)
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "MMMETER_HOST": "127.0.0.1",
        "MMMETER_DATA_DIR": str(data_dir),
        "MMMETER_MIRROR": refreshed_settings.mirror or "",
        "MMMETER_SCHEDULER": "0",
        "MMMETER_REFRESH_ON_START": "0",
    }
    log_path = data_dir.parent / "app.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"app did not start:\n{log_path.read_text()}")
        time.sleep(0.3)
    app = LiveApp(url, process, log_path)
    yield app
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


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
