"""Pruning keeps the versions a page may still show: the last N and all younger than a day."""

from __future__ import annotations

import datetime as dt

from data.store import VERSION_FORMAT, Store, version_time


def _version(moment: dt.datetime) -> str:
    return moment.strftime(VERSION_FORMAT)


def _publish(store: Store, version: str) -> None:
    store.publish(store.new_staging_dir(), {"version": version, "created_at": "x"})


NOW = dt.datetime.now(dt.UTC)


def test_versions_of_the_last_day_are_kept_however_many_refreshes_there_were(tmp_path):
    store = Store(tmp_path, keep_versions=2, keep_hours=24)
    recent = [_version(NOW - dt.timedelta(seconds=5 * i)) for i in range(8, 0, -1)]
    for version in recent:
        _publish(store, version)
    assert sorted(p.name for p in store.versions.iterdir()) == recent


def test_old_versions_beyond_the_last_n_are_pruned(tmp_path):
    store = Store(tmp_path, keep_versions=2, keep_hours=24)
    old = [_version(NOW - dt.timedelta(days=10 - i)) for i in range(4)]
    for version in old:
        _publish(store, version)
    new = _version(NOW)
    _publish(store, new)
    assert sorted(p.name for p in store.versions.iterdir()) == [old[-1], new]
    assert store.current_version() == new


def test_the_current_version_is_never_pruned(tmp_path):
    store = Store(tmp_path, keep_versions=1, keep_hours=0)
    _publish(store, _version(NOW - dt.timedelta(days=3)))
    assert store.prunable() == []


def test_a_version_id_is_its_time():
    moment = dt.datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=dt.UTC)
    assert version_time(_version(moment)) == moment
    assert version_time("not-a-version").year == 1
