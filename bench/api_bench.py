"""/api/v1/observations against Datasette serving the same observations from SQLite.

    python bench/api_bench.py --data-dir /tmp/mmmeter-bench    # keeps (and reuses) the store
    python bench/api_bench.py --seconds 5                      # shorter runs

One run: refreshes a store from the shared mirror unless `--data-dir` holds one, writes the
observations of the benchmarked indicator into a SQLite file (indexed as Datasette's docs
advise for filtered tables), starts `python -m app` and `datasette serve` on free ports of
127.0.0.1, and loads each with CLIENTS threads for `--seconds` per scenario: one series (one
indicator, one gemeente, every day) and a whole level for one week (every gemeente, 7 days).
A third scenario asks for a different week on each request (120 weeks in turn), so no
answer comes from MMmeter's per-process cache of answers. Prints p50, p95 and requests/s
per server and scenario, and the load average. Not run in CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.servers import free_port, running_app  # noqa: E402

CLIENTS = 8
INDICATOR = "covid_cases"
AREA = "GM0114"
WEEK = ("2022-01-10", "2022-01-16")
DISTINCT_WEEKS = 120


def ensure_store(data_dir: Path, mirror: str | None) -> None:
    if (data_dir / "store" / "current").exists():
        return
    from app.settings import Settings
    from data.pipeline import refresh
    from tests.conftest import SHARED_DATA, FileServer

    with FileServer(SHARED_DATA) as server:
        settings = replace(
            Settings(), data_dir=data_dir, mirror=mirror or server.url, fetch_retries=0
        )
        report = refresh(settings)
    if report.failed:
        raise SystemExit(f"refresh failed: {[(r.dataset, r.reason) for r in report.failed]}")


def build_sqlite(data_dir: Path, path: Path) -> int:
    """The benchmarked indicator's observations, with each area's level, as SQLite."""
    version = data_dir / "store" / "current"
    table = pq.read_table(version / "observations" / f"{INDICATOR}.parquet")
    areas = pq.read_table(version / "areas.parquet").to_pydict()
    level = dict(zip(areas["code"], areas["level"], strict=True))
    codes = pc.cast(table["area"], "string").to_pylist()
    periods = pc.strftime(table["period"], "%Y-%m-%d").to_pylist()
    values = table["value"].to_pylist()
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(
            "create table observations (indicator text, area text, level text, period text,"
            " value real)"
        )
        db.executemany(
            "insert into observations values (?, ?, ?, ?, ?)",
            (
                (INDICATOR, code, level.get(code), period, value)
                for code, period, value in zip(codes, periods, values, strict=True)
            ),
        )
        db.execute("create index by_area on observations (indicator, area, period)")
        db.execute("create index by_level on observations (indicator, level, period)")
    return len(codes)


def load(urls: list[str], seconds: float) -> dict:
    """CLIENTS threads, each with its own connection, requesting `urls` in turn for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(first: int):
        session = requests.Session()
        session.headers["Accept-Encoding"] = "gzip"
        mine = []
        while time.monotonic() < stop:
            url = urls[(first + len(mine)) % len(urls)]
            start = time.perf_counter()
            response = session.get(url, timeout=60)
            response.content  # noqa: B018 (read the whole body)
            mine.append(time.perf_counter() - start)
            if response.status_code != 200:
                errors[0] += 1
        with lock:
            latencies.extend(mine)

    step = max(1, len(urls) // CLIENTS)
    threads = [threading.Thread(target=client, args=(i * step,)) for i in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / elapsed,
    }


def check_same_rows(ours: str, theirs: str) -> None:
    mine = requests.get(ours, timeout=60).json()["observations"]
    other = requests.get(theirs, timeout=60).json()["rows"]
    assert len(mine) == len(other), (len(mine), len(other))
    assert sorted((r["area"], r["period"]) for r in mine) == sorted(
        (r["area"], r["period"]) for r in other
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--mirror")
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mmmeter-api-bench-"))
    data_dir = args.data_dir or work / "data"
    ensure_store(data_dir, args.mirror)
    db = work / "observations.db"
    rows = build_sqlite(data_dir, db)
    print(f"{rows:,} rows of {INDICATOR} in SQLite; {CLIENTS} clients, {args.seconds:g} s each")

    port = free_port()
    datasette = subprocess.Popen(
        [
            "datasette",
            "serve",
            "-i",  # immutable: Datasette can skip its change checks
            str(db),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--setting",
            "max_returned_rows",
            "5000",
            "--setting",
            "default_page_size",
            "5000",
            "--setting",
            "num_sql_threads",
            "3",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # _nocount: Datasette skips counting the matching rows, which this API does not do either
    theirs = (
        f"http://127.0.0.1:{port}/observations/observations.json"
        "?_shape=objects&_size=max&_nocount=1"
    )
    weeks = [dt.date(2020, 6, 1) + dt.timedelta(weeks=i) for i in range(DISTINCT_WEEKS)]

    def level_week(start: dt.date) -> tuple[str, str]:
        end = start + dt.timedelta(days=6)
        return (
            f"?indicator={INDICATOR}&level=gm&from={start}&to={end}",
            f"&indicator={INDICATOR}&level=gm&period__gte={start}&period__lte={end}",
        )

    scenarios = {
        "one series": [
            (
                f"?indicator={INDICATOR}&area={AREA}",
                f"&indicator={INDICATOR}&area={AREA}&_sort=period",
            )
        ],
        "level gm, one week": [level_week(dt.date.fromisoformat(WEEK[0]))],
        # a different week each request: more than the answers a worker keeps, so every
        # request of MMmeter reads and writes its rows anew
        f"level gm, {DISTINCT_WEEKS} weeks": [level_week(w) for w in weeks],
    }
    try:
        with running_app(data_dir, work / "app.log") as app:
            for _ in range(100):
                try:
                    requests.get(theirs, timeout=2)
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            print(f"load average at start: {os.getloadavg()[0]:.2f}")
            print(f"{'scenario':20} {'server':10} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
            for name, pairs in scenarios.items():
                ours = [f"{app.url}/api/v1/observations{mine}" for mine, _ in pairs]
                others = [theirs + other for _, other in pairs]
                check_same_rows(ours[0], others[0])
                for server, urls in (("mmmeter", ours), ("datasette", others)):
                    requests.get(urls[0], timeout=60)  # warm
                    result = load(urls, args.seconds)
                    errors = f"  ({result['errors']} errors)" if result["errors"] else ""
                    print(
                        f"{name:20} {server:10} {result['p50']:8.1f} {result['p95']:8.1f}"
                        f" {result['rps']:8.1f}{errors}"
                    )
            print(f"load average at end: {os.getloadavg()[0]:.2f}")
    finally:
        datasette.terminate()
        datasette.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)  # a --data-dir store lives elsewhere: kept


if __name__ == "__main__":
    main()
