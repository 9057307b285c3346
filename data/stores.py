"""Which store a setting names, and what every store backend offers.

Two backends hold the same versions: `data.store.Store` (Parquet and GeoJSON files in a folder,
the embedded default) and `data.pgstore.PostgresStore` (`DATABASE_URL=postgresql://...`, one
database shared by several web hosts and one clock). The Reader, the pipeline, the status page,
the API and DCAT use only the methods of `StoreBackend`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from data.cache import LocalMemo
from data.store import KEEP_HOURS, KEEP_VERSIONS, Store

OBSERVATION_COLUMNS = ("area", "period", "value")


class StoreBackend(Protocol):
    """What a store backend implements (both `Store` and `PostgresStore` do)."""

    root: Path  # a local folder: staging folders of a refresh (the folder store's write queue)

    # reading one version
    def current_version(self) -> str | None: ...
    def manifest(self, version: str | None = None) -> dict | None: ...
    def status(self) -> dict: ...
    def read_observations(
        self,
        version: str,
        indicator: str,
        areas: Sequence[str] | None = None,
        columns: Sequence[str] = OBSERVATION_COLUMNS,
        periods: Sequence | None = None,  # only these periods (Timestamps or dates)
    ) -> pd.DataFrame | None: ...
    def observation_areas(self, version: str) -> dict[str, list[str]]: ...
    def read_areas(self, version: str) -> pd.DataFrame | None: ...
    def read_geometry(self, version: str, level: str) -> dict | None: ...
    def read_dataset_observations(
        self, version: str, dataset_id: str, columns: Sequence[str]
    ) -> pd.DataFrame | None: ...
    def read_dataset_files(self, version: str | None, name: str) -> dict[str, bytes]: ...
    def read_version_file(self, version: str, path: str) -> bytes | None: ...
    def version_dir(self, version: str | None = None) -> Path | None: ...

    # releases and pins (data/releases.py, permalinks /v/<version>/...)
    def kept_versions(self) -> list[str]: ...  # published versions still stored, oldest first
    def has_version(self, version: str) -> bool: ...  # False for malformed ids, never raises
    def release_log(self) -> list[dict]: ...  # every release record ever published, in order
    def append_release(self, record: dict) -> None: ...  # publish does it after the swap
    def pins(self) -> dict[str, dict]: ...  # version -> {pinned_at, links}
    def pin(self, version: str) -> bool: ...  # atomic against pruning; False: not stored

    # writing (the one writer only)
    def refresh_lock(self) -> contextlib.AbstractContextManager[None]: ...
    def remove_leftovers(self) -> list[Any]: ...
    def new_staging_dir(self) -> Path: ...
    def publish(self, staging: Path, manifest: dict, before_swap=None) -> str: ...
    def discard(self, staging: Path) -> None: ...
    def record_status(self, dataset_id: str, *, ok: bool, **extra) -> None: ...
    def record_next_attempt(self, dataset_ids: list[str], when: str) -> None: ...
    def prunable(self, now=None) -> list[str]: ...  # by data.store.versions_to_prune, pins kept


_opened = LocalMemo(8)  # per process: one connection pool per database


def open_store(settings: Any) -> StoreBackend:
    """The store `settings` name: PostgreSQL when `database_url` is set, else the folder
    `store_dir`. Takes any object with `store_dir` (and optionally `database_url`,
    `keep_versions`, `keep_versions_hours`), so data/ needs no app settings."""
    keep = getattr(settings, "keep_versions", KEEP_VERSIONS)
    hours = getattr(settings, "keep_versions_hours", KEEP_HOURS)
    url = getattr(settings, "database_url", None)
    if not url:
        return Store(settings.store_dir, keep_versions=keep, keep_hours=hours)
    key = (url, str(settings.store_dir), keep, hours)
    store = _opened.get(key)
    if store is None:
        from data.pgstore import PostgresStore

        store = PostgresStore(url, settings.store_dir, keep_versions=keep, keep_hours=hours)
        _opened.put(key, store)
    return store


def copy_version(source: Store, target: StoreBackend, version: str | None = None) -> str:
    """Publish `version` (default: the current one) of the file store `source` in `target`,
    e.g. to move an embedded store into PostgreSQL (`python -m app store-copy`)."""
    import shutil

    version = version or source.current_version()
    folder = source.version_dir(version) if version else None
    if folder is None or not folder.is_dir():
        raise ValueError(f"the store in {source.root} has no version {version!r}")
    with target.refresh_lock():
        staging = target.new_staging_dir()
        shutil.rmtree(staging)
        shutil.copytree(folder, staging)
        try:
            return target.publish(staging, source.manifest(version))
        except BaseException:
            target.discard(staging)
            raise
