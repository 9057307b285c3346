"""The cache of query results: flask-caching (filesystem by default, Redis when REDIS_URL is set)
shared by all workers, with a small in-process layer in front of it.

Every memoized function takes the store version among its arguments, so no entry ever goes
stale: a new version asks new questions. The shared cache outlives the processes (a file or
Redis), so the names of its entries also carry a fingerprint of the code and configuration:
a deployment that changes what a function returns never reads what the old code stored.

The in-process layer keeps the most recently used results of this worker as Python objects,
which spares the unpickling (a file or a Redis round trip) on the hot path of a map switch;
the shared cache still means that a view computed by one worker is a cache read for the
others. Results are shared between requests: callers treat them as read-only (DataFrames are
handed out as copy-on-write shallow copies, so that is automatic).
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pandas as pd
from flask import Flask
from flask_caching import Cache

from app.settings import PROJECT_ROOT, Settings

cache = Cache()
LOCAL_ENTRIES = 256
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


def _versioned_name(name: str) -> str:
    return f"{name}@{code_fingerprint()}"


def cache_config(settings: Settings) -> dict:
    if settings.redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.redis_url,
            "CACHE_KEY_PREFIX": "mmmeter:",
            "CACHE_DEFAULT_TIMEOUT": 0,
        }
    return {
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(settings.cache_dir),
        "CACHE_THRESHOLD": 5000,
        "CACHE_DEFAULT_TIMEOUT": 0,
    }


def init_cache(server: Flask, settings: Settings) -> None:
    cache.init_app(server, config=cache_config(settings))


class LocalMemo:
    """A thread-safe least-recently-used map with a fixed number of entries."""

    def __init__(self, size: int = LOCAL_ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            if key not in self._entries:
                return default
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


# One in-process layer per shared backend: two apps in one process (tests) never mix results.
_layers: weakref.WeakKeyDictionary[object, LocalMemo] = weakref.WeakKeyDictionary()
_layers_lock = threading.Lock()
_MISSING = object()


def local_layer() -> LocalMemo:
    """The in-process layer of the current app's cache backend."""
    backend = cache.cache
    with _layers_lock:
        layer = _layers.get(backend)
        if layer is None:
            layer = _layers[backend] = LocalMemo()
        return layer


def _handed_out(value: Any) -> Any:
    return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value


def memoize(local: bool = True) -> Callable[[Callable], Callable]:
    """flask-caching's memoize, with the in-process layer in front unless `local` is False
    (for results too big to keep in every worker, such as a whole level's table)."""

    def decorate(func: Callable) -> Callable:
        shared = cache.memoize(make_name=_versioned_name)(func)
        if not local:
            return shared
        name = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def memoized(*args):
            layer = local_layer()
            key = (name, args)
            value = layer.get(key, _MISSING)
            if value is _MISSING:
                value = shared(*args)
                layer.put(key, value)
            return _handed_out(value)

        return memoized

    return decorate
