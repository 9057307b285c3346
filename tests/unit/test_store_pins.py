"""Pinned versions are never pruned; files a version shares with the one before are hard links."""

from __future__ import annotations

import datetime as dt
import os

from data.store import VERSION_FORMAT, Store


def _version(days_ago: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).strftime(VERSION_FORMAT)


def _publish(store: Store, version: str, files: dict[str, bytes] | None = None) -> None:
    staging = store.new_staging_dir()
    for name, content in (files or {}).items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(content)
    store.publish(staging, {"version": version, "created_at": "x"})


def test_pruning_never_removes_a_pinned_version(tmp_path):
    store = Store(tmp_path, keep_versions=1, keep_hours=0)
    old, middle = _version(5), _version(4)
    _publish(store, old)
    assert store.pin(old)
    _publish(store, middle)
    _publish(store, _version(3))
    assert store.has_version(old)
    assert not store.has_version(middle)
    assert old not in store.prunable()


def test_a_version_that_is_gone_cannot_be_pinned(tmp_path):
    store = Store(tmp_path, keep_versions=1, keep_hours=0)
    gone = _version(5)
    _publish(store, gone)
    _publish(store, _version(4))
    assert not store.pin(gone)
    assert not store.pin("../../etc")
    assert store.pins() == {}


def test_pinning_twice_counts_the_links(tmp_path):
    store = Store(tmp_path)
    version = _version(0)
    _publish(store, version)
    store.pin(version)
    store.pin(version)
    assert store.pins()[version]["links"] == 2


def test_an_unchanged_file_is_a_hard_link_to_the_version_before(tmp_path):
    store = Store(tmp_path)
    first, second = _version(1), _version(0)
    _publish(store, first, {"observations/a.parquet": b"same", "b.geojson": b"old"})
    _publish(store, second, {"observations/a.parquet": b"same", "b.geojson": b"new"})
    a1, a2 = (store.versions / v / "observations" / "a.parquet" for v in (first, second))
    b1, b2 = (store.versions / v / "b.geojson" for v in (first, second))
    assert os.stat(a1).st_ino == os.stat(a2).st_ino
    assert os.stat(b1).st_ino != os.stat(b2).st_ino
    assert b2.read_bytes() == b"new"
