"""A new store version's main pages are built into the shared cache before it is published,
so the first visitor after a refresh is served from the cache."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from app.main import build_runtime
from app.warm import UPDATE, main_pages, pages_payload, warm
from data.store import Store, new_version_id
from tests.integration.conftest import serving_runtime

PAGE = "/corona/GM0114"


@pytest.fixture()
def store_settings(refreshed_settings, tmp_path):
    """Settings of a store of its own (its own cache folder), empty at first."""
    return replace(refreshed_settings, data_dir=tmp_path)


def _publish(settings, source_settings, before_swap=None) -> str:
    """Publish the refreshed data again as a new version (new id: nothing cached for it)."""
    source, store = Store(source_settings.store_dir), Store(settings.store_dir)
    staging = store.new_staging_dir()
    shutil.rmtree(staging)
    shutil.copytree(source.version_dir(), staging)
    return store.publish(staging, {**source.manifest(), "version": new_version_id()}, before_swap)


def _first_visit(dash_app, settings, path, lang="nl"):
    """A worker that starts after the publish (nothing in its memory, the shared cache of the
    store's settings) answers the pages callback of `path`; returns (response, computed)."""
    worker = build_runtime(settings)
    with serving_runtime(dash_app, worker) as client:
        dependencies = client.get("/_dash-dependencies").get_json()
        response = client.post(UPDATE, json=pages_payload(dependencies, path, lang))
    return response, worker.cache.computed


def test_the_first_visit_after_a_warmed_publish_is_a_cache_hit(
    dash_app, refreshed_settings, store_settings
):
    writer = build_runtime(store_settings)
    done: list = []
    with serving_runtime(dash_app, writer):
        version = _publish(
            store_settings, refreshed_settings, lambda v: done.extend(warm(dash_app, v))
        )
    assert Store(store_settings.store_dir).current_version() == version
    assert {(kind, status) for kind, _, status in done} >= {
        ("pages callback", 200),
        ("geometry", 200),
        ("api", 200),
    }
    for path in (PAGE, "/corona/kaart", "/buurten"):
        for lang in ("nl", "en"):
            response, computed = _first_visit(dash_app, store_settings, path, lang)
            assert response.status_code == 200
            assert not [name for name in computed if name.startswith("page.")], (path, computed)
    assert "Emmen" in response.get_data(as_text=True)


def test_without_warming_the_first_visit_builds_the_page(
    dash_app, refreshed_settings, store_settings
):
    _publish(store_settings, refreshed_settings)
    response, computed = _first_visit(dash_app, store_settings, PAGE)
    assert response.status_code == 200
    assert computed["page.corona"] == 1


def test_main_pages_are_the_data_pages_and_the_home_corona_page(dash_app):
    pages = main_pages("GM0114")
    assert {"/", "/corona/kaart", "/buurten", "/thema/bevolking", "/corona/GM0114"} <= set(pages)
    assert not {"/beheer", "/status", "/404"} & set(pages)
