"""The writer lock: one clock runs the jobs, a second one stands by and takes over."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from app.clocklock import FileLock
from app.scheduler import Clock
from app.settings import load_settings
from data.catalog import load_catalog


def _wait(event_or_check, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if event_or_check():
            return True
        time.sleep(0.05)
    return False


def test_the_file_lock_admits_one_holder_and_frees_on_release(tmp_path):
    first, second = FileLock(tmp_path / "clock.lock"), FileLock(tmp_path / "clock.lock")
    assert first.acquire() and not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_a_second_clock_stands_by_and_takes_over_when_the_first_stops(tmp_path):
    settings = replace(load_settings({}), data_dir=tmp_path, refresh_on_start=False)
    catalog = load_catalog(settings.catalog_path)
    clocks = [
        Clock(settings, catalog, FileLock(tmp_path / "clock.lock"), renew_every_s=0.05)
        for _ in range(2)
    ]
    threads = [threading.Thread(target=c.run, daemon=True) for c in clocks]
    threads[0].start()
    assert _wait(clocks[0].leading.is_set)
    threads[1].start()
    time.sleep(0.3)
    assert not clocks[1].leading.is_set()
    clocks[0].stop()
    threads[0].join(10)
    assert _wait(clocks[1].leading.is_set)
    clocks[1].stop()
    threads[1].join(10)
    assert not clocks[1].leading.is_set()
