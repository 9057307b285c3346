"""The writer lock: only the process holding it runs the refresh schedule (one store writer).

With REDIS_URL it is a Redis lock (redis-py's `Lock`, a key with a timeout that the holder
renews), so clocks on several hosts agree; without it, an exclusive `flock` on a file in the
store folder, released by the kernel when the holding process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

log = logging.getLogger("mmmeter.clock")
REDIS_KEY = "mmmeter:clock-lock"
REDIS_TIMEOUT_S = 30  # renewed every RENEW_EVERY_S by the holder (app/scheduler.py)


class WriterLock(Protocol):
    def acquire(self) -> bool: ...
    def renew(self) -> bool: ...
    def release(self) -> None: ...


class FileLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def renew(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


class RedisLock:
    def __init__(self, url: str, key: str = REDIS_KEY, timeout: float = REDIS_TIMEOUT_S):
        import redis

        self._errors = (redis.RedisError,)
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._lock = client.lock(key, timeout=timeout, blocking=False, thread_local=False)

    def acquire(self) -> bool:
        try:
            return bool(self._lock.acquire(blocking=False))
        except self._errors as exc:
            log.warning("cannot reach Redis for the clock lock: %s", exc)
            return False

    def renew(self) -> bool:
        """Reset the timeout; False when another process took the lock or Redis is gone."""
        try:
            self._lock.reacquire()
            return True
        except self._errors as exc:
            log.error("lost the clock lock: %s", exc)
            return False

    def release(self) -> None:
        with contextlib.suppress(self._errors):  # expired or taken over: nothing to release
            self._lock.release()


def writer_lock(settings) -> WriterLock:
    if settings.redis_url:
        return RedisLock(settings.redis_url)
    return FileLock(Path(settings.store_dir) / "clock.lock")
