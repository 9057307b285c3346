"""Releases and pins in the PostgreSQL store (`DATABASE_URL`): the release log of two
refreshes, pinned versions that survive pruning, and permalinks answering from a pinned
version, like the Parquet store does (tests/integration/test_permalinks.py)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from app.settings import Settings
from data.pgstore import PINS_LOCK, PostgresStore
from data.pipeline import refresh
from data.stores import open_store
from tests.integration.conftest import serving
from tests.integration.test_permalinks import (  # noqa: F401 (mirror: a fixture)
    KWB,
    NEW_POPULATION,
    OLD_POPULATION,
    POPULATION_API,
    WIJK,
    _value,
    mirror,
)
from tests.integration.test_postgres_store import _tiny_version
from tests.pgserver import fresh_database

# What the tests read (and the boundaries that make their codes known areas): a full refresh
# into PostgreSQL twice took a minute; the Parquet store's release tests refresh everything.
DATASETS = ["geo_gemeenten", "geo_wijken", "cbs_kwb_2024", "cbs_population_2022"]


@pytest.fixture(scope="module")
def pg_two_versions(mirror, postgres_server, tmp_path_factory):  # noqa: F811
    """A PostgreSQL store refreshed from the mirror (DATASETS), its first version pinned,
    then refreshed again after WK011401's population changed upstream (keeping one version
    besides the pins); (settings, old version, new version)."""
    folder, server = mirror
    with fresh_database(postgres_server) as url:
        settings = replace(
            Settings(),
            data_dir=tmp_path_factory.mktemp("pg-releases"),
            database_url=url,
            mirror=server.url,
            run_scheduler=False,
            refresh_on_start=False,
            fetch_retries=0,
            keep_versions=1,
            keep_versions_hours=0.0,
        )
        first = refresh(settings, only=DATASETS)
        assert not first.failed
        assert open_store(settings).pin(first.version)
        kwb = folder / KWB
        text = kwb.read_text(encoding="utf-8")
        old_row = next(line for line in text.splitlines() if line.startswith(f"{WIJK};"))
        new_row = old_row.replace(f"{WIJK};{OLD_POPULATION};", f"{WIJK};{NEW_POPULATION};", 1)
        kwb.write_text(text.replace(old_row, new_row), encoding="utf-8")
        second = refresh(settings, only=DATASETS)
        assert not second.failed and second.version != first.version
        yield settings, first.version, second.version
        open_store(settings).close()


def test_the_release_log_of_two_postgres_refreshes_has_both_with_their_counts(pg_two_versions):
    settings, old, new = pg_two_versions
    log = open_store(settings).release_log()
    assert [record["version"] for record in log] == [old, new]
    first, second = log
    assert first["previous"] is None and second["previous"] == old
    assert first["datasets"]["cbs_kwb_2024"]["added"] == 224
    kwb = second["datasets"]["cbs_kwb_2024"]
    assert (kwb["added"], kwb["changed"], kwb["removed"]) == (0, 1, 0)
    assert WIJK in kwb["areas"]
    population = kwb["indicators"]["population"]
    # read from the previous version's series in the database, not "all added"
    assert (population["added"], population["changed"], population["removed"]) == (0, 1, 0)
    assert second["datasets"]["cbs_population_2022"]["status"] == "unchanged"
    assert second["datasets"]["cbs_population_2022"]["indicators"] == {}


def test_a_pinned_postgres_version_survives_pruning_and_answers_its_permalink(
    pg_two_versions, dash_app
):
    settings, old, new = pg_two_versions
    store = open_store(settings)
    assert store.kept_versions() == [old, new]  # keep_versions=1: old is kept by its pin
    assert set(store.pins()) == {old} and store.pins()[old]["links"] == 1
    assert store.has_version(old) and store.has_version(new)
    with serving(dash_app, settings) as client:
        assert _value(client.get(f"/v/{old}{POPULATION_API}")) == OLD_POPULATION
        assert _value(client.get(POPULATION_API)) == NEW_POPULATION
        assert _value(client.get(f"/v/{new}{POPULATION_API}")) == NEW_POPULATION
        notes = client.get(f"/api/v1/releases/{new}").get_json()
        assert notes["changed_datasets"] == ["cbs_kwb_2024"] and notes["previous"] == old
        assert client.get(f"/v/19990101T000000000000Z{POPULATION_API}").status_code == 404


def test_postgres_pruning_keeps_pins_and_has_version_tells_kept_pruned_and_malformed(
    postgres_server, tmp_path
):
    with fresh_database(postgres_server) as url:
        store = PostgresStore(url, tmp_path, keep_versions=1, keep_hours=0)
        try:
            published = []
            for value in (1.0, 2.0, 3.0):
                staging = store.new_staging_dir()
                manifest = _tiny_version(staging, 10, value)
                manifest["release"] = {"version": manifest["version"], "datasets": {}}
                published.append(store.publish(staging, manifest))
                if len(published) == 1:
                    assert store.pin(published[0])
            first, second, third = published
            assert store.kept_versions() == [first, third]
            assert store.read_observations(first, "tiny")["value"].tolist() == [1.0] * 10
            assert store.has_version(first) and store.has_version(third)
            assert not store.has_version(second)  # pruned
            assert not store.pin(second)  # gone: not pinned
            for malformed in ("", "..", "a" * 65, "x'; DROP TABLE mmmeter_pin; --", None, 7):
                assert not store.has_version(malformed)
                assert not store.pin(malformed)
            assert set(store.pins()) == {first}
            assert [r["version"] for r in store.release_log()] == published  # pruned too
        finally:
            store.close()


def test_postgres_pin_and_prune_wait_for_each_other(postgres_server, tmp_path):
    """Both take the pins lock: a pin made while pruning looks waits for it to finish."""
    import psycopg

    with fresh_database(postgres_server) as url:
        store = PostgresStore(url, tmp_path)
        try:
            staging = store.new_staging_dir()
            version = store.publish(staging, _tiny_version(staging, 10, 1.0))
            pinned = threading.Event()
            with psycopg.connect(url) as holder, holder.transaction():
                holder.execute("SELECT pg_advisory_xact_lock(%s)", (PINS_LOCK,))
                thread = threading.Thread(target=lambda: store.pin(version) and pinned.set())
                thread.start()
                assert not pinned.wait(0.5)  # blocked while pruning holds the lock
            assert pinned.wait(10)
            thread.join()
            assert set(store.pins()) == {version}
        finally:
            store.close()
