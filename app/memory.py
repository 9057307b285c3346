"""A web worker's memory: allocators that give back what a request freed.

- glibc makes a malloc arena per thread that allocates (up to 8 per core), and memory freed
  in one arena serves only that arena: with gunicorn's request threads, each thread's peak
  stays resident. Two arenas are enough for a worker whose threads mostly wait for a core.
- Arrow's default memory pool (jemalloc or mimalloc) keeps freed memory for reuse; reading
  Parquet then leaves the largest file read resident. The system pool returns it to malloc.

Called in every gunicorn worker (`post_fork`, app/gunicorn_conf.py) before it imports the app.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("mmmeter.memory")

M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2


def lean_allocators(arenas: int = ARENAS) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        if not libc.mallopt(M_ARENA_MAX, arenas):
            log.info("mallopt(M_ARENA_MAX) refused")
    except (OSError, AttributeError):  # not glibc (musl, macOS): its own allocator stays
        pass
    import pyarrow

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
