"""Benchmark the map callbacks through the real Dash endpoint, against a bare Flask route.

    python bench/map_bench.py            # full run (refreshes a store from the mirror first)
    python bench/map_bench.py --quick    # a few iterations, for a smoke test
    python bench/map_bench.py --data-dir /tmp/store   # reuse (or create) a refreshed store

It starts the app as users run it (`python -m app` on 127.0.0.1, scheduler off) on a store
refreshed from the shared data mirror, reads each page's layout through Dash's own page
callback, and then POSTs to /_dash-update-component exactly what the browser sends when a user
switches week or topic on the municipality map (/corona/kaart) and topic or level on the
neighbourhood map (/buurten), feeding each response's state into the next request as the
browser does. In the same run a bare Flask app (in this process, on another port) returns the
full figure JSON from memory, and the callback's own response bytes from memory, so the table
shows what the Dash machinery and the data work cost on top of just sending bytes.

Times are wall-clock per request as the client sees them on 127.0.0.1 (the app's own server,
werkzeug, threaded; the bare route uses the same server class). Aim: p95 under 50 ms and
within 2x of the bare full-figure route; the municipality figure under 400 KB, the buurt
figure under 150 KB.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests
from flask import Flask, Response
from werkzeug.serving import make_server

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = (REPO_ROOT / ".." / "shared" / "data").resolve()
UPDATE = "/_dash-update-component"
P95_AIM_MS = 50.0
CORONA_FIGURE_AIM = 400 * 1024
BUURT_FIGURE_AIM = 150 * 1024
CORONA_INDICATORS = (
    "covid_cases_per_100k_7d",
    "covid_hospital_admissions_per_100k_7d",
    "covid_deaths_per_100k_7d",
)
NEIGHBOURHOOD_INDICATORS = (
    "population",
    "age_65_plus_pct",
    "household_size",
    "population_density",
    "migration_nonwestern_pct",
    "single_person_households_pct",
    "dwellings",
    "urbanity",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# The app --------------------------------------------------------------------------------


def refresh_store(data_dir: Path, mirror: Path) -> None:
    env = {**os.environ, "MMMETER_DATA_DIR": str(data_dir), "MMMETER_MIRROR": str(mirror)}
    print(f"refreshing a store in {data_dir} from {mirror} ...", flush=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "app", "refresh"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"store refreshed in {time.monotonic() - started:.0f} s", flush=True)


class RunningApp:
    """`python -m app` on a free port of 127.0.0.1, stopped on exit."""

    def __init__(self, data_dir: Path, mirror: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "bench-app.log"
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "MMMETER_HOST": "127.0.0.1",
            "MMMETER_DATA_DIR": str(data_dir),
            "MMMETER_MIRROR": str(mirror),
            "MMMETER_SCHEDULER": "0",
            "MMMETER_REFRESH_ON_START": "0",
        }

    def __enter__(self) -> RunningApp:
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app"],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # starting, or warming up
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"the app did not start:\n{self.log.read_text()}")
            time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def in_process_client(data_dir: Path, mirror: Path):
    """A Flask test client of the app built in this process on the same store."""
    sys.path.insert(0, str(REPO_ROOT))
    from app.main import create_app
    from app.settings import load_settings

    env = {
        "MMMETER_DATA_DIR": str(data_dir),
        "MMMETER_MIRROR": str(mirror),
        "MMMETER_SCHEDULER": "0",
        "MMMETER_REFRESH_ON_START": "0",
    }
    return create_app(load_settings(env), start_background=False).server.test_client()


class BareRoute:
    """A tiny Flask app that returns bytes it holds in memory: /bytes/<name>."""

    def __init__(self):
        self.bodies: dict[str, bytes] = {}
        flask_app = Flask("bare")

        @flask_app.get("/bytes/<name>")
        def send(name: str) -> Response:
            return Response(self.bodies[name], mimetype="application/json")

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, flask_app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> BareRoute:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join()


# Dash requests --------------------------------------------------------------------------


@dataclass
class Callback:
    output: str
    outputs: list[dict]
    inputs: list[dict]
    state: list[dict]

    @classmethod
    def find(cls, dependencies: list[dict], output_contains: str) -> Callback:
        for dependency in dependencies:
            if output_contains in dependency["output"]:
                outputs = [
                    dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
                    for part in dependency["output"].strip(".").split("...")
                ]
                return cls(dependency["output"], outputs, dependency["inputs"], dependency["state"])
        raise LookupError(f"no callback with output {output_contains!r}")

    def payload(self, values: dict[str, object], changed: list[str]) -> dict:
        """The JSON the browser POSTs: every input and state with its current value."""

        def filled(items: list[dict]) -> list[dict]:
            return [
                {**item, "value": values.get(f"{item['id']}.{item['property']}")} for item in items
            ]

        multi = self.output.startswith("..")
        return {
            "output": self.output,
            "outputs": self.outputs if multi else self.outputs[0],
            "inputs": filled(self.inputs),
            "changedPropIds": changed,
            "state": filled(self.state),
        }


def find_component(tree, component_id: str) -> dict | None:
    """The props of the component with `component_id` in a Dash layout (JSON)."""
    if isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict):
            if props.get("id") == component_id:
                return props
            return find_component(props.get("children"), component_id)
        return None
    if isinstance(tree, list):
        for child in tree:
            found = find_component(child, component_id)
            if found is not None:
                return found
    return None


def page_layout(session: requests.Session, app_url: str, dependencies: list, path: str):
    """The layout Dash pages sends the browser for `path` (through its own callback)."""
    pages = Callback.find(dependencies, "_pages_content.children")
    path_only, _, search = path.partition("?")
    payload = pages.payload(
        {
            "_pages_location.pathname": path_only,
            "_pages_location.search": f"?{search}" if search else "",
        },
        ["_pages_location.pathname"],
    )
    response = session.post(app_url + UPDATE, json=payload, timeout=60)
    response.raise_for_status()
    return response.json()["response"]["_pages_content"]["children"]


@dataclass
class Measurement:
    name: str
    times_ms: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def add(self, seconds: float, size: int) -> None:
        self.times_ms.append(seconds * 1000)
        self.sizes.append(size)

    @property
    def p50(self) -> float:
        return _percentile(self.times_ms, 0.5)

    @property
    def p95(self) -> float:
        return _percentile(self.times_ms, 0.95)

    @property
    def bytes(self) -> int:
        return int(statistics.median(self.sizes))


class Scenario:
    """A sequence of callback requests that follows the state the app sends back."""

    def __init__(
        self,
        name: str,
        callback: Callback,
        values: dict[str, object],
        state_key: str,
        steps: Callable[[], Iterator[tuple[dict[str, object], str]]],
    ):
        self.name = name
        self.callback = callback
        self.initial = dict(values)
        self.values = dict(values)
        self.state_key = state_key
        self.steps = steps

    def run(
        self,
        session: requests.Session,
        url: str,
        bare: BareRoute,
        figure_for: Callable[[dict[str, object]], bytes],
        rounds: int,
        warmup: int,
    ) -> list[Measurement]:
        """Each callback request is followed by the bare route sending the full figure of the
        view switched to (`figure_for(values)`) and then the callback's own bytes, so all
        three see the same load on the machine."""
        real = Measurement(self.name)
        bare_figure = Measurement(f"bare route: {self.name} figure")
        bare_same = Measurement(f"bare route: {self.name} response")
        state_id, prop = self.state_key.rsplit(".", 1)
        for index, (change, changed) in enumerate(self._cycle(rounds + warmup)):
            self.values.update(change)
            payload = self.callback.payload(self.values, [changed])
            started = time.perf_counter()
            response = session.post(url + UPDATE, json=payload, timeout=60)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                status = f"HTTP {response.status_code}: {response.text[:300]}"
                raise RuntimeError(f"{self.name}: {status}")
            body = response.content
            bare.bodies["figure"] = figure_for(self.values)
            self.values[self.state_key] = response.json()["response"][state_id][prop]
            bare.bodies["same"] = body
            figure_time, figure_size = _get(session, f"{bare.url}/bytes/figure")
            same_time, same_size = _get(session, f"{bare.url}/bytes/same")
            if index >= warmup:
                real.add(elapsed, len(body))
                bare_figure.add(figure_time, figure_size)
                bare_same.add(same_time, same_size)
        return [real, bare_figure, bare_same]

    def run_in_process(self, client, rounds: int, warmup: int) -> Measurement:
        """The same requests through the app's Flask test client: the server's own time for
        the callback (Dash dispatch, queries, figures, JSON), without sockets or HTTP server."""
        self.values = dict(self.initial)
        measurement = Measurement(f"{self.name} (in process)")
        state_id, prop = self.state_key.rsplit(".", 1)
        for index, (change, changed) in enumerate(self._cycle(rounds + warmup)):
            self.values.update(change)
            payload = self.callback.payload(self.values, [changed])
            started = time.perf_counter()
            response = client.post(UPDATE, json=payload)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{self.name} in process: HTTP {response.status_code}")
            self.values[self.state_key] = response.get_json()["response"][state_id][prop]
            if index >= warmup:
                measurement.add(elapsed, len(response.data))
        return measurement

    def _cycle(self, count: int) -> Iterator[tuple[dict[str, object], str]]:
        produced = 0
        while produced < count:
            for step in self.steps():
                yield step
                produced += 1
                if produced >= count:
                    return


def _get(session: requests.Session, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = session.get(url, timeout=60)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, len(response.content)


def _compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


# Scenarios ------------------------------------------------------------------------------


def corona_scenarios(session, app_url: str, dependencies: list) -> tuple[list[Scenario], dict]:
    layout = page_layout(session, app_url, dependencies, "/corona/kaart?week=2021-W10")
    callback = Callback.find(dependencies, "corona-map-graph.figure")
    stored = find_component(layout, "corona-map-state")["data"]
    week = find_component(layout, "corona-map-week")
    figure = find_component(layout, "corona-map-graph")["figure"]
    start = int(week["value"])
    values = {
        "corona-map-indicator.value": stored["indicator"],
        "corona-map-week.value": start,
        "corona-map-zoom.value": stored["zoom"],
        "corona-map-previous.n_clicks": None,
        "corona-map-next.n_clicks": None,
        "corona-map-state.data": stored,
    }
    positions = [start + offset for offset in (1, 5, 9, 14, 20, 27, 35, 44, -3, -8, -12, -20)]

    def weeks():
        for position in positions:
            yield {"corona-map-week.value": position}, "corona-map-week.value"

    def indicators():
        for indicator in (*CORONA_INDICATORS[1:], CORONA_INDICATORS[0]):
            yield {"corona-map-indicator.value": indicator}, "corona-map-indicator.value"

    scenarios = [
        Scenario("municipality map: switch week", callback, values, "corona-map-state.data", weeks),
        Scenario(
            "municipality map: switch topic",
            callback,
            values,
            "corona-map-state.data",
            indicators,
        ),
    ]
    return scenarios, {"municipality map (342 gemeenten)": figure}


def neighbourhood_scenarios(session, app_url: str, dependencies: list):
    layout = page_layout(session, app_url, dependencies, "/buurten")
    callback = Callback.find(dependencies, "nbh-map-graph.figure")
    stored = find_component(layout, "nbh-state")["data"]
    wijk_figure = find_component(layout, "nbh-map-graph")["figure"]
    values = {
        "nbh-level.value": stored["level"],
        "nbh-indicator.value": stored["indicator"],
        "nbh-year.value": stored["year"],
        "nbh-state.data": stored,
    }

    def indicators():
        for indicator in (*NEIGHBOURHOOD_INDICATORS[1:], NEIGHBOURHOOD_INDICATORS[0]):
            yield {"nbh-indicator.value": indicator}, "nbh-indicator.value"

    def levels():
        for level in ("bu", "wk"):
            yield {"nbh-level.value": level}, "nbh-level.value"

    scenarios = [
        Scenario("neighbourhood map: switch topic", callback, values, "nbh-state.data", indicators),
        Scenario("neighbourhood map: switch level", callback, values, "nbh-state.data", levels),
    ]
    return scenarios, {"neighbourhood map (27 wijken)": wijk_figure}


def buurt_figure(session, app_url: str, dependencies: list) -> dict:
    layout = page_layout(session, app_url, dependencies, "/buurten?level=bu")
    return find_component(layout, "nbh-map-graph")["figure"]


def full_figure_of(scenario: Scenario, encoded: dict[str, bytes]):
    """The full figure (JSON) of the view a scenario's request switches to: the municipality
    map, or the neighbourhood map of the level chosen (wijken or buurten)."""
    if scenario.name.startswith("municipality"):
        return lambda values: encoded["municipality map (342 gemeenten)"]

    def neighbourhood(values: dict[str, object]) -> bytes:
        if values.get("nbh-level.value") == "bu":
            return encoded["neighbourhood map (83 buurten)"]
        return encoded["neighbourhood map (27 wijken)"]

    return neighbourhood


def geometry_size(session: requests.Session, app_url: str, figure: dict) -> int:
    """The bytes of the geometry file a figure names (0 when it carries its polygons)."""
    geojson = figure["data"][0]["geojson"]
    if not isinstance(geojson, str):
        return 0
    response = session.get(app_url + geojson, timeout=60)
    response.raise_for_status()
    return len(response.content)


def measure_geometry(session, app_url: str, level: str, rounds: int) -> Measurement:
    """A first visit's fetch of a level's geometry file (no browser cache)."""
    version = session.get(f"{app_url}/healthz", timeout=30).json()["version"]
    url = f"{app_url}/api/v1/geometry/{level}?version={version}"
    measurement = Measurement(f"geometry file {level}, no browser cache")
    _get(session, url)
    for _ in range(rounds):
        measurement.add(*_get(session, url))
    return measurement


# Report ---------------------------------------------------------------------------------


def report(
    rows: list[list[Measurement]], figures: dict[str, tuple[int, int]], geometry: list[Measurement]
) -> None:
    header = (
        f"{'scenario':<33} {'n':>3} {'p50 ms':>7} {'p95 ms':>7} {'bytes':>7}"
        f" {'in-proc p50/p95':>16} {'bare fig p50/p95':>17} {'fig bytes':>9}"
        f" {'bare same p95':>13} {'p95/bare':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    verdicts = []
    for real, bare_figure, bare_same, inside in rows:
        ratio = real.p95 / bare_figure.p95 if bare_figure.p95 else float("inf")
        print(
            f"{real.name:<33} {len(real.times_ms):>3} {real.p50:>7.1f} {real.p95:>7.1f}"
            f" {real.bytes:>7,} {inside.p50:>7.1f}/{inside.p95:<8.1f}"
            f" {bare_figure.p50:>8.1f}/{bare_figure.p95:<8.1f} {bare_figure.bytes:>9,}"
            f" {bare_same.p95:>13.1f} {ratio:>7.2f}x"
        )
        verdicts.append((real.name, real.p95 < P95_AIM_MS, ratio <= 2.0, real.p95, ratio))
    print()
    print("map sizes (figure JSON + the geometry file it names, fetched once per store version):")
    for name, (figure_size, geometry_size) in figures.items():
        aim = BUURT_FIGURE_AIM if "buurt" in name else CORONA_FIGURE_AIM
        size = figure_size + geometry_size
        mark = "ok" if size < aim else "OVER"
        print(
            f"  {name:<36} {figure_size:>7,} + {geometry_size:>7,} = {size:>7,} bytes"
            f"  (aim < {aim // 1024} KB: {mark})"
        )
    print()
    for measured in geometry:
        print(
            f"  {measured.name:<40} p50 {measured.p50:.1f} ms, p95 {measured.p95:.1f} ms,"
            f" {measured.bytes:,} bytes"
        )
    print()
    for name, fast, close, p95, ratio in verdicts:
        print(
            f"  {name:<33} p95 {p95:.1f} ms {'<' if fast else '>='} {P95_AIM_MS:.0f} ms"
            f" ({'ok' if fast else 'MISSED'}); {ratio:.2f}x the bare route"
            f" ({'ok' if close else 'MISSED'})"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n  load average during the run: {load:.1f} on {os.cpu_count()} cores")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few iterations only")
    parser.add_argument("--rounds", type=int, default=None, help="requests per scenario")
    parser.add_argument("--data-dir", type=Path, default=None, help="store folder to (re)use")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="shared data folder")
    parser.add_argument("--refresh", action="store_true", help="refresh even if a store exists")
    args = parser.parse_args(argv)
    rounds = args.rounds or (8 if args.quick else 60)
    warmup = 2 if args.quick else 12

    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="mmmeter-bench-")) if temporary else args.data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if args.refresh or not (data_dir / "store" / "current").exists():
            refresh_store(data_dir, args.mirror)
        with RunningApp(data_dir, args.mirror) as app, BareRoute() as bare, requests.Session() as s:
            dependencies = s.get(f"{app.url}/_dash-dependencies", timeout=30).json()
            corona, figures = corona_scenarios(s, app.url, dependencies)
            neighbourhood, more = neighbourhood_scenarios(s, app.url, dependencies)
            figures.update(more)
            figures["neighbourhood map (83 buurten)"] = buurt_figure(s, app.url, dependencies)
            sizes = {
                name: (len(_compact(figure)), geometry_size(s, app.url, figure))
                for name, figure in figures.items()
            }
            geometry = [measure_geometry(s, app.url, level, rounds) for level in ("gm", "bu")]
            rows = []
            encoded = {name: _compact(figure) for name, figure in figures.items()}
            for scenario in [*corona, *neighbourhood]:
                print(f"measuring {scenario.name} ({rounds} requests) ...", flush=True)
                figure_for = full_figure_of(scenario, encoded)
                rows.append(scenario.run(s, app.url, bare, figure_for, rounds, warmup))
            client = in_process_client(data_dir, args.mirror)
            for scenario, row in zip([*corona, *neighbourhood], rows, strict=True):
                row.append(scenario.run_in_process(client, rounds, warmup))
            report(rows, sizes, geometry)
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
