"""Readers of the refreshed store for two home municipalities: Emmen (the default) and Assen."""

from __future__ import annotations

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
