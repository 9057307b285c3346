"""The cache of query results: a shared backend (flask-caching's filesystem or Redis backend,
used without a Flask app) with a small in-process layer in front of it.

Every key carries the store version and the site settings of the Reader that asks (see
data/reader.py), so no entry ever goes stale: a new version or another setting asks new
questions. The shared cache outlives the processes (a file or Redis), so the keys also carry a
fingerprint of the code and configuration: a deployment that changes what a function returns
never reads what the old code stored.

The in-process layer keeps the most recently used results of this worker as Python objects
(at most LOCAL_ENTRIES of them and LOCAL_BYTES by `weigh_result`, so a worker's memory is
bounded in bytes, not by a count of results that may each be a large table). That spares the
unpickling (a file or a Redis round trip) on the hot path of a map switch; the shared cache
still means that a view computed by one worker is a cache read for the others.
When the process sees a new current store version (`QueryCache.seen_current`, called as a
request's Reader of the current version is made), the in-process entries of every other
version are dropped, from this layer and from the memos attached to it (the ready answers of
app/answers.py): a worker then holds one version's results, not the old and the new ones side
by side until the LRU pushes the old out. The shared backend keeps them (entries of a pinned
or kept version are still a cache read away).

Results are shared between requests: callers treat them as read-only (DataFrames are handed
out as copy-on-write shallow copies, so that is automatic).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import sys
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from dash.development.base_component import Component
from flask_caching.backends import BaseCache, FileSystemCache, NullCache, RedisCache

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_ENTRIES = 256
LOCAL_BYTES = 32 * 2**20  # the in-process layer's results, by their weight (weigh_result)
CODE_FOLDERS = ("app", "callbacks", "data", "geo", "layouts")
CODE_SUFFIXES = (".py", ".yaml", ".yml", ".json")


@functools.cache
def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A short hash of the source and configuration files that shape cached results."""
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


PRUNE_TO = 0.8  # a full folder cache is pruned to this share of its entries


class FolderCache(FileSystemCache):
    """flask-caching's file cache, pruned in bulk. cachelib removes files only until the folder
    is back at its threshold, and picks them by expiry (0 for all: no entry here expires), so
    once the folder was full every write read every file again: 173 ms a write at 5,000 files
    (the single-process load run). Here a full folder loses its least recently written files
    down to PRUNE_TO of the threshold (by their modification time), so the scan comes once
    per a thousand writes."""

    def _prune(self) -> None:
        if not self._over_threshold():
            return
        files = []
        for name in self._list_dir():
            with contextlib.suppress(FileNotFoundError):
                files.append((os.stat(name).st_mtime_ns, name))
        files.sort()
        surplus = max(0, len(files) - int(self._threshold * PRUNE_TO))
        for _written, name in files[:surplus]:
            with contextlib.suppress(FileNotFoundError):
                os.remove(name)
        self._update_count(value=len(files) - surplus)


def filesystem_backend(folder: Path | str, entries: int = 5000) -> BaseCache:
    return FolderCache(str(folder), threshold=entries, default_timeout=0)


def redis_backend(url: str, timeout_s: int = 0) -> BaseCache:
    import redis

    return RedisCache(host=redis.from_url(url), key_prefix="mmmeter:", default_timeout=timeout_s)


class LocalMemo:
    """A thread-safe least-recently-used map, bounded by its number of entries and, with
    `max_bytes`, by the total `weigh(value)` of its values (a value heavier than that on its
    own is not kept)."""

    def __init__(
        self,
        size: int = LOCAL_ENTRIES,
        *,
        max_bytes: int | None = None,
        weigh: Callable[[Any], int] = len,
        version_of: Callable[[Hashable], str | None] | None = None,
    ) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._weigh = weigh
        self._version_of = version_of  # the store version a key belongs to (None: to none)
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0  # the values' total weight (with max_bytes only)

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            if key not in self._entries:
                return default
            self._entries.move_to_end(key)
            return self._entries[key][0]

    def put(self, key: Hashable, value: Any) -> None:
        weight = self._weigh(value) if self.max_bytes is not None else 0
        with self._lock:
            if key in self._entries:
                self.bytes -= self._entries.pop(key)[1]
            if self.max_bytes is not None and weight > self.max_bytes:
                return
            self._entries[key] = (value, weight)
            self.bytes += weight
            while len(self._entries) > self.size or (
                self.max_bytes is not None and self.bytes > self.max_bytes
            ):
                self.bytes -= self._entries.popitem(last=False)[1][1]

    def retire(self, current: str) -> int:
        """Drop the entries of store versions other than `current` (with `version_of` only;
        keys of no version stay); the number dropped."""
        if self._version_of is None:
            return 0
        with self._lock:
            old = [key for key in self._entries if self._version_of(key) not in (None, current)]
            for key in old:
                self.bytes -= self._entries.pop(key)[1]
        return len(old)

    def __len__(self) -> int:
        return len(self._entries)


def _query_version(key: Hashable) -> str | None:
    """The version of a QueryCache local key `(name, (version, ...))` (Reader.memo's keys)."""
    args = key[1] if isinstance(key, tuple) and len(key) == 2 else None
    return args[0] if isinstance(args, tuple) and args and isinstance(args[0], str) else None


def weigh_result(value: Any, max_nodes: int = 200_000) -> int:
    """About the bytes a cached result holds: a table's own memory (its strings counted); any
    other value (a component tree, a view's dataclass, a figure, a GeoJSON mapping) the size of
    its objects, walked through containers, dataclass fields and component props, each object
    once (at most `max_nodes` of them: the rest is not counted)."""
    total, stack, walked = 0, [value], set()
    while stack and len(walked) < max_nodes:
        item = stack.pop()
        if id(item) in walked:
            continue
        walked.add(id(item))
        if isinstance(item, (pd.DataFrame, pd.Series, pd.Index)):
            usage = item.memory_usage(deep=True)
            total += int(usage.sum()) if isinstance(usage, pd.Series) else int(usage)
            continue
        total += item.nbytes if isinstance(item, np.ndarray) else sys.getsizeof(item)
        if isinstance(item, (str, bytes, int, float, bool, np.ndarray)) or item is None:
            continue
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, Component):
            stack.extend(getattr(item, name, None) for name in item._prop_names)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, field.name) for field in dataclasses.fields(item))
    return total


_MISSING = object()


def _handed_out(value: Any) -> Any:
    return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value


class QueryCache:
    """Memoization in two layers: this process (LRU) and a shared backend."""

    def __init__(
        self,
        shared: BaseCache | None = None,
        local_entries: int = LOCAL_ENTRIES,
        namespace: str | None = None,
        local_bytes: int = LOCAL_BYTES,
    ) -> None:
        self.shared = shared if shared is not None else NullCache()
        self.local = LocalMemo(
            local_entries, max_bytes=local_bytes, weigh=weigh_result, version_of=_query_version
        )
        self.namespace = namespace or code_fingerprint()
        self.computed: Counter[str] = Counter()  # misses in both layers, by name
        self.current: str | None = None  # the current store version this process last saw
        self._attached: weakref.WeakSet[LocalMemo] = weakref.WeakSet()
        self._seen_lock = threading.Lock()

    def attach(self, memo: LocalMemo) -> None:
        """Retire `memo`'s entries of old versions with this cache's own (`seen_current`)."""
        self._attached.add(memo)

    def seen_current(self, version: str | None) -> int:
        """The store's current version is `version`: when that is new to this process, drop
        the local entries of every other version (here and in the attached memos), so that the
        memory of the old version's results is free for the new one's. The number dropped."""
        if version is None or version == self.current:
            return 0
        with self._seen_lock:
            if version == self.current:
                return 0
            self.current = version
            memos = [self.local, *self._attached]
        return sum(memo.retire(version) for memo in memos)

    def shared_key(self, name: str, key: tuple) -> str:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        return f"{self.namespace}/{name}/{digest}"

    def get(self, name: str, key: tuple, compute: Callable[[], Any], *, local: bool = True) -> Any:
        """The value of `name` at `key`, computed once (per process and in the shared backend).

        With `local` False the value is not kept in this process (results too big to keep in
        every worker, such as a whole level's table over all periods).
        """
        if local:
            value = self.local.get((name, key), _MISSING)
            if value is not _MISSING:
                return _handed_out(value)
        shared_key = self.shared_key(name, key)
        value = self.shared.get(shared_key)
        if value is None:
            self.computed[name] += 1
            value = compute()
            if value is not None:
                self.shared.set(shared_key, value)
        if local:
            self.local.put((name, key), value)
        return _handed_out(value)
