"""The PostgreSQL store (`DATABASE_URL`) on a real server: it reads what the Parquet store
reads, a refresh writes it, and a reader never sees a half-written version."""

from __future__ import annotations

import threading
from dataclasses import replace

import pandas as pd
import pytest
import requests

from app.main import build_runtime
from data.pgstore import PostgresStore
from data.pipeline import refresh
from data.store import Store, new_version_id
from data.stores import open_store
from tests.integration.conftest import serving
from tests.pgserver import fresh_database


@pytest.fixture(scope="module")
def both(refreshed_settings, postgres_settings):
    """Readers of the same data in Parquet files and in PostgreSQL."""
    return build_runtime(refreshed_settings).reader(), build_runtime(postgres_settings).reader()


def test_postgres_reader_answers_every_query_as_the_parquet_reader(both):
    files, database = both
    assert isinstance(database.store, PostgresStore)
    home = ("GM0114", "PV22", "NL01")
    for indicator in ("covid_cases", "covid_cases_per_100k_7d", "population"):
        pd.testing.assert_frame_equal(
            files.series(indicator, home).reset_index(drop=True),
            database.series(indicator, home).reset_index(drop=True),
        )
        for level in ("gm", "wk"):
            assert files.periods(indicator, level) == database.periods(indicator, level)
            pd.testing.assert_frame_equal(
                files.snapshot(indicator, level), database.snapshot(indicator, level)
            )
    pd.testing.assert_frame_equal(files.areas(), database.areas())
    assert files.indicator_levels() == database.indicator_levels()
    for level in ("gm", "wk", "bu"):
        assert files.geometry(level) == database.geometry(level)
    assert database.geometry("xx") is None
    denominators = database.store.read_version_file(database.version, "denominators.parquet")
    assert denominators == files.store.read_version_file(files.version, "denominators.parquet")
    assert database.store.read_version_file(database.version, "no/such/file") is None
    assert database.series("no_such_indicator", home).empty
    assert files.home_name == database.home_name == "Emmen"


def test_postgres_coverage_counts_are_those_of_the_parquet_store(both):
    from data.coverage import dataset_area_counts, indicator_area_counts

    files, database = both
    assert indicator_area_counts(database, "covid_cases")["gm"] > 300
    for indicator in ("covid_cases", "population", "covid_cases_per_100k_7d"):
        assert indicator_area_counts(files, indicator) == indicator_area_counts(database, indicator)
    for dataset in ("rivm_cases", "cbs_wijk_2021", "geo_wijken"):
        assert dataset_area_counts(files, dataset) == dataset_area_counts(database, dataset)


def _without_times(facts: dict) -> dict:
    return {
        k: v
        for k, v in facts.items()
        if k not in ("version", "last_successful_refresh", "last_failure")
    }


def test_dataset_facts_status_and_metrics_come_from_the_postgres_store(
    dash_app, refreshed_settings, postgres_settings
):
    answers = {}
    for name, settings in (("files", refreshed_settings), ("database", postgres_settings)):
        with serving(dash_app, settings) as client:
            facts = client.get("/api/v1/datasets/rivm_cases").get_json()
            status = client.get("/api/v1/status").get_json()
            metrics = client.get("/metrics").get_data(as_text=True)
        answers[name] = (facts, status, metrics)
    (facts, status, metrics), (pg_facts, pg_status, pg_metrics) = answers.values()
    assert _without_times(pg_facts) == _without_times(facts)
    assert pg_facts["last_successful_refresh"]  # the status the PostgreSQL refresh recorded
    assert pg_status["version"] == open_store(postgres_settings).current_version()
    assert set(pg_status["datasets"]) == set(status["datasets"])
    assert 'mmmeter_dataset_last_success_timestamp_seconds{dataset="rivm_cases"}' in pg_metrics


def test_refresh_writes_status_and_a_second_refresh_shares_unchanged_series(postgres_settings):
    store = open_store(postgres_settings)
    first = store.current_version()
    assert first is not None
    status = store.status()["datasets"]
    assert status["rivm_cases"]["failing"] is False and status["rivm_cases"]["last_success"]
    assert not (postgres_settings.store_dir / "versions").exists()  # nothing in files
    series_before = store._query("SELECT count(*) FROM mmmeter_series")[0][0]

    report = refresh(postgres_settings, only=["cbs_population_2022"], force=True)

    assert report.version != first and store.current_version() == report.version
    assert set(store.versions()) >= {first, report.version}
    # the next refresh started from the per-dataset outputs the first one stored
    assert {r.dataset: r.status for r in report.results}["rivm_cases"] == "kept"
    indicators = len(store.manifest(report.version)["row_counts"])
    added = store._query("SELECT count(*) FROM mmmeter_series")[0][0] - series_before
    assert added < indicators / 2, (added, indicators)


def _tiny_version(folder, rows: int, value: float) -> dict:
    """A staging folder with one indicator of `rows` observations, all of `value`."""
    (folder / "observations").mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(
        {
            "indicator": pd.Categorical(["tiny"] * rows),
            "area": pd.Categorical([f"GM{n % 400:04d}" for n in range(rows)]),
            "period": pd.Timestamp("2020-01-01") + pd.to_timedelta(range(rows), unit="min"),
            "value": [value] * rows,
        }
    )
    frame.to_parquet(folder / "observations" / "tiny.parquet", index=False)
    pd.DataFrame({"code": ["GM0001"], "name": ["A"], "level": ["gm"], "parent": [None]}).to_parquet(
        folder / "areas.parquet", index=False
    )
    return {"version": new_version_id(), "row_counts": {"tiny": rows}}


def test_a_reader_never_sees_a_half_written_version_while_another_publishes(
    postgres_server, tmp_path
):
    with fresh_database(postgres_server) as url:
        writer = PostgresStore(url, tmp_path / "writer")
        watcher = PostgresStore(url, tmp_path / "watcher")  # its own connections
        try:
            with writer.refresh_lock():
                staging = writer.new_staging_dir()
                writer.publish(staging, _tiny_version(staging, 1000, 1.0))
            old = writer.current_version()
            seen: list[tuple[str, int, set]] = []
            stop = threading.Event()

            def watch() -> None:
                while not stop.is_set():
                    version = watcher.current_version()
                    frame = watcher.read_observations(version, "tiny")
                    seen.append((version, len(frame), set(frame["value"])))

            thread = threading.Thread(target=watch)
            thread.start()
            during: list[str | None] = []
            staging = writer.new_staging_dir()
            manifest = _tiny_version(staging, 200_000, 2.0)
            try:
                writer.publish(
                    staging,
                    manifest,
                    before_swap=lambda v: during.append(watcher.current_version()),
                )
                for _ in range(50):  # and a while after the swap
                    if seen and seen[-1][0] == manifest["version"]:
                        break
                    threading.Event().wait(0.05)
            finally:
                stop.set()
                thread.join()
        finally:
            writer.close()
            watcher.close()

    assert during == [old]  # written in full, but not current until the swap
    versions = {version for version, _, _ in seen}
    assert versions == {old, manifest["version"]}
    for version, rows, values in seen:
        expected = (1000, {1.0}) if version == old else (200_000, {2.0})
        assert (rows, values) == expected, version


def test_pruning_removes_old_versions_and_the_series_only_they_used(postgres_server, tmp_path):
    with fresh_database(postgres_server) as url:
        store = PostgresStore(url, tmp_path, keep_versions=1, keep_hours=0)
        try:
            published = []
            for value in (1.0, 2.0, 3.0):
                staging = store.new_staging_dir()
                published.append(store.publish(staging, _tiny_version(staging, 10, value)))
            assert store.versions() == published[-1:]
            assert store._query("SELECT count(*) FROM mmmeter_series")[0][0] == 1
            assert store.read_observations(published[0], "tiny") is None
        finally:
            store.close()


def test_one_refresh_at_a_time_across_connections(postgres_server, tmp_path):
    with fresh_database(postgres_server) as url:
        first, second = PostgresStore(url, tmp_path / "a"), PostgresStore(url, tmp_path / "b")
        entered = threading.Event()
        try:
            with first.refresh_lock():
                thread = threading.Thread(target=lambda: _enter(second, entered))
                thread.start()
                assert not entered.wait(0.5)  # blocked while the first holds the lock
            assert entered.wait(10)
            thread.join()
        finally:
            first.close()
            second.close()


def _enter(store: PostgresStore, entered: threading.Event) -> None:
    with store.refresh_lock():
        entered.set()


def test_open_store_picks_the_backend_from_the_settings(refreshed_settings, postgres_settings):
    assert isinstance(open_store(refreshed_settings), Store)
    assert open_store(postgres_settings) is open_store(replace(postgres_settings))


def test_python_m_app_serves_the_postgres_store_of_database_url(postgres_settings, tmp_path):
    from tests.servers import running_app

    with running_app(
        tmp_path / "data",
        tmp_path / "app.log",
        postgres_settings.mirror,
        DATABASE_URL=postgres_settings.database_url,
    ) as app:
        ready = requests.get(f"{app.url}/readyz", timeout=30)
        answer = requests.get(
            f"{app.url}/api/v1/observations",
            params={"indicator": "covid_cases", "area": "GM0114"},
            timeout=60,
        )
    assert ready.status_code == 200
    assert sum(row["value"] for row in answer.json()["observations"]) == 48_053
    assert not (tmp_path / "data" / "store" / "versions").exists()  # nothing read from files
