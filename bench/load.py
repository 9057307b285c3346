"""Load benchmark: 50 users without think time on the main pages and the API (issue 12).

    pip install -r bench/requirements.txt               # locust (never in CI)
    python bench/load.py                                # the whole table: 6 runs of 60 s
    python bench/load.py --runs gunicorn2 gunicorn2+refresh --seconds 30   # a short version
    python bench/load.py --data-dir /tmp/mmmeter-bench  # keep (and reuse) the store

For each run it starts, on 127.0.0.1 only, what the operations team runs: `gunicorn
--config python:app.gunicorn_conf --workers N app.main:server` with a redis-server of its own
(REDIS_URL), or `python -m app` (one worker with threads, filesystem cache); builds the request
mix from the running app (bench/locustfile.py says what a visit is); runs locust headless for
`--seconds` with `--users` users; and, in the `+refresh` runs, lets two refreshes
(`python -m app refresh --force <dataset>`, which publish a new version and warm it first)
run during the load, at a third and at two thirds of the run. Everything it starts is stopped
at the end; a run never lasts longer than `--seconds` plus start-up.

Columns: requests per second, p50 and p95 of all requests, failed requests (HTTP errors and
timeouts of 30 s), the largest resident memory of a web worker, the 1-minute load average
(mean and maximum, sampled every 2 s during the run), and what the refreshes did. The load
generator runs on the same cores as the server: on this 2-core machine, its CPU is taken
from the server's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
sys.path[:0] = [str(REPO_ROOT), str(BENCH)]

from map_bench import (  # noqa: E402  (bench/ is not a package)
    DEFAULT_MIRROR,
    _free_port,
    corona_scenarios,
    neighbourhood_scenarios,
    refresh_store,
)

from app.warm import pages_payload  # noqa: E402

MAIN_PAGES = ("/", "/corona/GM0114", "/corona/kaart", "/buurten", "/thema/bevolking")
API = (
    "/api/v1/observations?indicator=covid_cases&area=GM0114",
    "/api/v1/observations?indicator=covid_cases_per_100k_7d&area=PV22",
    "/api/v1/observations?indicator=population&area=GM0114",
    "/api/v1/indicators",
)
RUNS = {  # name: (server, workers, refreshes)
    "gunicorn2": ("gunicorn", 2, 0),
    "gunicorn2+refresh": ("gunicorn", 2, 2),
    "gunicorn4": ("gunicorn", 4, 0),
    "gunicorn4+refresh": ("gunicorn", 4, 2),
    "single": ("single", 1, 0),
    "single+refresh": ("single", 1, 2),
}
REFRESH_DATASET = "cbs_population_2022"  # small; the refresh still rebuilds every output
MAP_SWITCHES = 6  # map-callback payloads per map page
# The interpreter of what is measured (web, warming, refreshes); `--python` sets it, e.g. a
# virtualenv built from requirements.txt alone, so the workers import what production has.
# Locust and this script run on the interpreter that runs the bench.
APP_PYTHON = sys.executable


@dataclass
class Result:
    run: str
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    requests: int = 0
    failures: int = 0
    worker_rss_mb: float = 0.0
    load: list[float] = field(default_factory=list)
    refreshes: list[str] = field(default_factory=list)
    warmed: str = "-"
    by_name: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    logged: int = 0  # lines of the web's log at WARNING or above


# Processes ------------------------------------------------------------------------------


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server():
    port = _free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


def app_env(data_dir: Path, mirror: Path, port: int, redis_url: str | None) -> dict:
    env = {
        **os.environ,
        "PORT": str(port),
        "MMMETER_HOST": "127.0.0.1",
        "MMMETER_DATA_DIR": str(data_dir),
        "MMMETER_MIRROR": str(mirror),
        "MMMETER_SCHEDULER": "0",
        "MMMETER_REFRESH_ON_START": "0",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextmanager
def web_server(kind: str, workers: int, env: dict, log_path: Path):
    """The web as deployed: gunicorn with `workers` workers, or `python -m app`."""
    if kind == "gunicorn":
        command = [APP_PYTHON, "-m", "gunicorn", "--config", "python:app.gunicorn_conf"]
        command += ["--workers", str(workers), "--bind", f"127.0.0.1:{env['PORT']}"]
        command += ["app.main:server"]
    else:
        command = [APP_PYTHON, "-m", "app"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the web did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url, process
    finally:
        _stop(process)


def worker_peak_rss_mb(master: subprocess.Popen) -> float:
    """The largest peak resident memory (VmHWM) among the master's worker processes."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == master.pid and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return max(peaks, default=0.0)


# The mix --------------------------------------------------------------------------------


def build_mix(url: str) -> dict:
    """Per main page: its pages-callback payload and map-switch payloads; the API addresses.
    (One visit of each page first, so the mix starts from what a browser would see.)"""
    with requests.Session() as session:
        dependencies = session.get(f"{url}/_dash-dependencies", timeout=60).json()
        maps: dict[str, list] = {}
        for prefix, scenarios in (
            ("/corona/kaart", corona_scenarios(session, url, dependencies)[0]),
            ("/buurten", neighbourhood_scenarios(session, url, dependencies)[0]),
        ):
            payloads = []
            for scenario in scenarios:
                for step, (change, changed) in enumerate(scenario.steps()):
                    if step >= MAP_SWITCHES // len(scenarios):
                        break
                    values = {**scenario.initial, **change}
                    payloads.append((scenario.name, scenario.callback.payload(values, [changed])))
            maps[prefix] = payloads
    return {
        "pages": [
            {
                "path": path,
                "pages_payload": pages_payload(dependencies, path, "nl"),
                "map_payloads": maps.get(path, []),
            }
            for path in MAIN_PAGES
        ],
        "api": list(API),
    }


# A run ----------------------------------------------------------------------------------


def sample_load(stop: threading.Event, into: list[float]) -> None:
    while not stop.wait(2.0):
        into.append(os.getloadavg()[0])


def refreshes(env: dict, count: int, seconds: float, log_path: Path, into: list[str]) -> None:
    """`count` refreshes during the run, starting at equal intervals (one after the other)."""
    started = time.monotonic()
    for number in range(1, count + 1):
        delay = started + seconds * number / (count + 1) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        begun = time.monotonic()
        with open(log_path, "a") as log:
            log.write(f"--- refresh {number} ---\n")
            log.flush()
            done = subprocess.run(
                [APP_PYTHON, "-m", "app", "refresh", "--force", REFRESH_DATASET],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=max(seconds * 3, 300),
                check=False,
            )
            log.write(f"--- refresh {number}: exit code {done.returncode} ---\n")
        # a negative exit code is the signal that ended it (-15: SIGTERM, -9: SIGKILL)
        outcome = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
        into.append(f"{outcome} {time.monotonic() - begun:.0f}s")


def warm_store(env: dict, log_path: Path) -> str:
    """`python -m app warm`: what the clock does for every version it publishes, done here for
    the store the run starts on (its Redis is new, so nothing is warm yet)."""
    begun = time.monotonic()
    with open(log_path, "a") as log:
        done = subprocess.run(
            [APP_PYTHON, "-m", "app", "warm"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=600,
            check=False,
        )
    return f"{'ok' if done.returncode == 0 else 'FAILED'} {time.monotonic() - begun:.0f}s"


def locust(url: str, mix_path: Path, users: int, seconds: int, prefix: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(BENCH / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "MMMETER_LOAD_MIX": str(mix_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
        check=False,  # locust exits 1 when a request failed: the table says so
    )


def read_stats(prefix: Path, result: Result) -> None:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        entry = {
            "name": row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
            "bytes": float(row["Average Content Size"] or 0),
        }
        if row["Name"] == "Aggregated":
            result.requests, result.failures = entry["requests"], entry["failures"]
            result.p50_ms, result.p95_ms = entry["p50_ms"], entry["p95_ms"]
            result.requests_per_s = float(row["Requests/s"])
        else:
            result.by_name.append(entry)
    with open(f"{prefix}_failures.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            result.errors.append(f"{row['Occurrences']}x {row['Name']}: {row['Error'][:160]}")


PROBLEM_LEVELS = (" WARNING ", " ERROR ", " CRITICAL ", "Traceback")


def logged_problems(log_path: Path) -> int:
    """Lines of the web's log at WARNING or above, and tracebacks (a problem that did not
    fail a request is still worth a look)."""
    with open(log_path, errors="replace") as log:
        return sum(any(level in line for level in PROBLEM_LEVELS) for line in log)


def run(
    name: str, data_dir: Path, mirror: Path, users: int, seconds: int, cold: bool = False
) -> Result:
    kind, workers, count = RUNS[name]
    result = Result(name)
    work = Path(tempfile.mkdtemp(prefix=f"mmmeter-load-{name}-"))
    with nullcontext() if kind == "single" else redis_server() as redis:
        env = app_env(data_dir, mirror, _free_port(), redis)
        result.warmed = "cold" if cold else warm_store(env, work / "warm.log")
        with web_server(kind, workers, env, work / "web.log") as (url, process):
            mix_path = work / "mix.json"
            mix_path.write_text(json.dumps(build_mix(url)))
            stop = threading.Event()
            sampler = threading.Thread(target=sample_load, args=(stop, result.load))
            writer = threading.Thread(
                target=refreshes, args=(env, count, seconds, work / "refresh.log", result.refreshes)
            )
            sampler.start()
            writer.start()
            try:
                locust(url, mix_path, users, seconds, work / "locust")
            finally:
                stop.set()
                writer.join()
                sampler.join()
            result.worker_rss_mb = worker_peak_rss_mb(process)
    read_stats(work / "locust", result)
    result.logged = logged_problems(work / "web.log")
    kept = data_dir / "failed-runs"
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    if result.failures or result.logged:  # keep the web's log (its tracebacks)
        kept.mkdir(exist_ok=True)
        copy = kept / f"{name}-{stamp}-web.log"
        shutil.copy(work / "web.log", copy)
        print(f"  {result.failures} failed, {result.logged} logged problems: web log in {copy}")
    if any(not outcome.startswith("ok") for outcome in result.refreshes):
        kept.mkdir(exist_ok=True)  # the refreshes' log, with each one's exit code
        copy = kept / f"{name}-{stamp}-refresh.log"
        shutil.copy(work / "refresh.log", copy)
        print(f"  a refresh failed ({', '.join(result.refreshes)}): its log in {copy}")
    shutil.rmtree(work, ignore_errors=True)
    return result


# Report ---------------------------------------------------------------------------------


def report(results: list[Result], users: int, seconds: int) -> str:
    lines = [
        f"{users} users without think time, {seconds} s per run, loopback; "
        f"{os.cpu_count()} cores (shared with the load generator); web on {APP_PYTHON}",
        "",
        "| run | req/s | p50 ms | p95 ms | failed | worker RSS MB | load 1-min mean/max | "
        "warmed | refreshes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        load = f"{statistics.mean(r.load):.1f}/{max(r.load):.1f}" if r.load else "-"
        lines.append(
            f"| {r.run} | {r.requests_per_s:.1f} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | "
            f"{r.failures}/{r.requests} | {r.worker_rss_mb:.0f} | {load} | {r.warmed} | "
            f"{', '.join(r.refreshes) or '-'} |"
        )
    lines += [
        "",
        "| run | request | n | p50 ms | p95 ms | failed | bytes |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for entry in sorted(r.by_name, key=lambda e: -e["p95_ms"]):
            lines.append(
                f"| {r.run} | {entry['name']} | {entry['requests']} | {entry['p50_ms']:.0f} | "
                f"{entry['p95_ms']:.0f} | {entry['failures']} | {entry['bytes']:.0f} |"
            )
    for r in results:
        lines += [f"- {r.run}: {error}" for error in r.errors[:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", nargs="+", choices=sorted(RUNS), default=list(RUNS))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60, help="per run (at most 600)")
    parser.add_argument("--data-dir", type=Path, help="keep (and reuse) the store here")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument(
        "--cold", action="store_true", help="skip `python -m app warm` before each run"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter of the web, warming and refreshes (default: this one), e.g. "
        "/tmp/venv/bin/python of a virtualenv with requirements.txt only",
    )
    args = parser.parse_args(argv)
    global APP_PYTHON
    APP_PYTHON = args.python
    if not 1 <= args.users <= 500 or not 5 <= args.seconds <= 600:
        parser.error("--users 1..500 and --seconds 5..600")
    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="mmmeter-bench-")) if temporary else args.data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if not (data_dir / "store" / "current").exists():
            refresh_store(data_dir, args.mirror)
        results = []
        for name in args.runs:
            print(f"run {name}: {args.seconds} s ...", flush=True)
            results.append(
                run(name, data_dir, args.mirror, args.users, args.seconds, cold=args.cold)
            )
        print()
        print(report(results, args.users, args.seconds))
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
