"""A full export streams: covid_cases for every gemeente (about 385,000 rows) arrives whole
from a real server, whose memory grows by less than 50 MB while it sends it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import requests

from tests.conftest import copy_data_dir
from tests.servers import running_app

MAX_GROWTH_BYTES = 50 * 1024 * 1024
GZIP_AND_BROTLI = {"Accept-Encoding": "br, gzip"}  # what a browser sends


def _family(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's master and workers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue += [int(c) for c in task.read_text().split()]
    return found


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except FileNotFoundError:
            pass
    return total


def _expected_rows(data_dir: Path) -> int:
    path = next((data_dir / "store" / "current" / "observations").glob("covid_cases.parquet"))
    areas = pc.cast(pq.read_table(path, columns=["area"])["area"], "string")
    return pc.sum(pc.starts_with(areas, "GM")).as_py()


def test_a_full_level_csv_streams_whole_while_server_memory_stays_flat(
    refreshed_settings, tmp_path
):
    data_dir = tmp_path / "data"
    copy_data_dir(refreshed_settings.data_dir, data_dir)
    expected = _expected_rows(data_dir)
    assert expected > 350_000
    url_params = {"indicator": "covid_cases", "level": "gm", "format": "csv"}
    with running_app(data_dir, tmp_path / "app.log", refreshed_settings.mirror) as app:
        url = f"{app.url}/api/v1/observations"
        # warm up: the worker has imported and cached what an export needs
        warm = requests.get(url, params={**url_params, "to": "2020-03-10"}, timeout=60)
        assert warm.status_code == 200
        pids = _family(app.process.pid)
        baseline, peak, done = _rss(pids), [0], threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], _rss(pids))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        lines, size = 0, 0
        try:
            with requests.get(
                url, params=url_params, stream=True, timeout=60, headers=GZIP_AND_BROTLI
            ) as response:
                assert response.status_code == 200
                assert response.headers["Content-Encoding"] == "gzip"
                assert "Content-Length" not in response.headers  # streamed, not built whole
                for chunk in response.iter_content(chunk_size=64 * 1024):
                    lines += chunk.count(b"\n")
                    size += len(chunk)
                    time.sleep(0.001)  # a client slower than the server
        finally:
            done.set()
            sampler.join()
    assert lines == expected + 1  # the header and every row
    growth = peak[0] - baseline
    assert growth < MAX_GROWTH_BYTES, f"server memory grew by {growth / 2**20:.1f} MB"
