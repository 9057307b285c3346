"""First run without the upstream: `python -m app` on an empty store whose refresh failed
says so on every page and in the log — which sources failed and why, when it tries again,
how to use a mirror, with a link to /status."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace

import pytest
import requests

from app.settings import load_settings
from tests.conftest import REPO_ROOT, unavailable
from tests.faultserver import closed_port_url
from tests.pages import reader_for, server_for, text_of
from tests.servers import free_port

START_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """`python -m app` on an empty data folder, every source refused (no network)."""
    root = tmp_path_factory.mktemp("first-run")
    port = free_port()
    log_path = root / "app.log"
    env = {
        **os.environ,
        "PORT": str(port),
        "MMMETER_HOST": "127.0.0.1",
        "MMMETER_DATA_DIR": str(root / "data"),
        "MMMETER_MIRROR": closed_port_url(),
        "MMMETER_SCHEDULER": "1",
        "MMMETER_REFRESH_ON_START": "1",
        "MMMETER_FETCH_RETRIES": "1",
        "MMMETER_FETCH_BACKOFF": "0.05",
        "MMMETER_FETCH_TIMEOUT": "1",
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app"], cwd=REPO_ROOT, env=env, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "MMmeter has no data yet" not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(log_path.read_text(errors="replace"))
            time.sleep(0.3)
        settings = replace(load_settings(env), run_scheduler=False)
        yield {"url": url, "log": log_path.read_text(errors="replace"), "settings": settings}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_log_names_every_failed_source_why_when_again_and_how_to_use_a_mirror(first_run):
    log = first_run["log"]
    message = log[log.index("MMmeter has no data yet") :]
    settings = first_run["settings"]
    from data.catalog import load_catalog

    for dataset in load_catalog(settings.catalog_path).datasets:
        assert f"- {dataset}: no network connection" in message
    assert "It tries again on " in message
    assert "MMMETER_MIRROR=" in message
    assert f"{first_run['url']}/status" in message
    assert "De gegevens worden nu voor het eerst opgehaald" not in log


def test_the_api_status_reports_every_source_as_failing_with_a_retry(first_run):
    datasets = requests.get(f"{first_run['url']}/api/v1/status", timeout=10).json()["datasets"]
    assert datasets
    for entry in datasets.values():
        assert entry["failing"] is True
        assert entry["last_failure_kind"] == "network"
        assert "next_attempt" in entry


PAGES = [
    ("layouts.pages.home", "layout", {}),
    ("layouts.pages.corona", "layout", {"code": "GM0114"}),
    ("layouts.pages.corona_map", "layout", {}),
    ("layouts.pages.neighbourhoods", "layout", {}),
    ("layouts.pages.area_profile", "layout", {"code": "WK011401"}),
]


def _page_text(settings, module: str, function: str, kwargs: dict, lang: str) -> str:
    import importlib

    page = getattr(importlib.import_module(module), function)
    with server_for(settings).test_request_context("/"):
        return text_of(page(reader_for(settings), lang=lang, **kwargs))


@pytest.mark.parametrize(("module", "function", "kwargs"), PAGES)
def test_every_data_page_says_why_there_is_no_data(first_run, module, function, kwargs):
    settings = first_run["settings"]
    nl = _page_text(settings, module, function, kwargs, "nl")
    en = _page_text(settings, module, function, kwargs, "en")
    assert "Het ophalen van de gegevens is mislukt" in nl
    assert "geen netwerkverbinding" in nl and "no network connection" in en
    assert "MMmeter probeert het opnieuw op " in nl and "MMmeter tries again on " in en
    assert "MMMETER_MIRROR" in nl and "MMMETER_MIRROR" in en
    assert '"/status"' in nl and '"/status?lang=en"' in en
    assert "voor het eerst opgehaald" not in nl


def test_a_theme_page_says_why_there_is_no_data(first_run):
    from layouts.pages import themes
    from layouts.themes.loader import current_themes

    settings = first_run["settings"]
    reader = reader_for(settings)
    with server_for(settings).test_request_context("/thema"):
        valid = current_themes(reader).valid
        if not valid:
            pytest.fail("no valid theme in the themes folder")
        text = text_of(themes.layout(reader, theme_id=valid[0].id, lang="nl"))
    assert "Het ophalen van de gegevens is mislukt" in text


def test_while_the_first_refresh_runs_pages_say_it_is_fetching(tmp_path):
    settings = replace(load_settings({}), data_dir=tmp_path / "data")
    from layouts.pages import home

    with server_for(settings).test_request_context("/"):
        text = text_of(home.layout(reader_for(settings), lang="nl"))
    assert "De gegevens worden nu voor het eerst opgehaald" in text


def test_a_first_refresh_in_which_only_the_boundaries_come_through_publishes_them(tmp_path):
    from data.catalog import load_catalog
    from data.pipeline import refresh
    from tests.conftest import SHARED_DATA

    if not SHARED_DATA.exists():
        unavailable("shared data folder not available")
    catalog = load_catalog(load_settings({}).catalog_path)
    mirror = tmp_path / "mirror"
    geo = [d for d in catalog.datasets.values() if d.format == "geo_areas"]
    for dataset in geo:
        for file in dataset.files:
            (mirror / file.mirror).parent.mkdir(parents=True, exist_ok=True)
            (mirror / file.mirror).write_bytes((SHARED_DATA / file.mirror).read_bytes())
    settings = replace(load_settings({}), data_dir=tmp_path / "data", mirror=str(mirror))
    report = refresh(settings)
    assert report.version is not None
    failed = {r.dataset for r in report.failed}
    assert failed == set(catalog.datasets) - {d.id for d in geo}
    assert all("not found in the mirror" in r.reason for r in report.failed)
