"""Readers of the refreshed store for two home municipalities: Emmen (the default) and Assen."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

import pytest

from app.main import build_runtime
from layouts.i18n import use_site_names

HOMES = {"GM0114": "Emmen", "GM0106": "Assen"}


@pytest.fixture(scope="session")
def readers(refreshed_settings) -> dict:
    """One Reader per home municipality, built on first use."""
    built: dict = {}

    def reader_of(home: str):
        if home not in built:
            built[home] = build_runtime(replace(refreshed_settings, home=home)).reader()
        return built[home]

    return reader_of


def _using(reader):
    use_site_names(reader.home_name, reader.home_province_name)
    return reader


@pytest.fixture(params=sorted(HOMES), ids=lambda code: HOMES[code])
def home_reader(request, readers):
    """A Reader whose home municipality is Emmen, then Assen (the same store); the messages'
    {home_name} placeholders name it for the test."""
    yield _using(readers(request.param))
    use_site_names("{home_name}", "{home_province_name}")


@pytest.fixture()
def emmen_reader(readers):
    """A Reader of Emmen's platform (the mirror has Emmen's wijk and buurt boundaries only)."""
    yield _using(readers("GM0114"))
    use_site_names("{home_name}", "{home_province_name}")


STORE_BACKENDS = ("parquet", "postgresql")
_runtimes: dict = {}


def backend_settings(request, backend: str):
    """The settings of the refreshed store in `backend` (the same version in both)."""
    return request.getfixturevalue(
        "refreshed_settings" if backend == "parquet" else "postgres_settings"
    )


@contextmanager
def serving(dash_app, settings):
    """`dash_app` serving the store of `settings` for as long as the block lasts."""
    if id(settings) not in _runtimes:
        _runtimes[id(settings)] = build_runtime(settings)
    with serving_runtime(dash_app, _runtimes[id(settings)]) as client:
        yield client


@contextmanager
def serving_runtime(dash_app, runtime):
    """`dash_app` serving with `runtime` (its store and cache) for as long as the block lasts,
    like a worker of its own."""
    from app.context import CONFIG_KEY

    server = dash_app.server
    before = server.config[CONFIG_KEY]
    server.config[CONFIG_KEY] = runtime
    try:
        yield server.test_client()
    finally:
        server.config[CONFIG_KEY] = before
