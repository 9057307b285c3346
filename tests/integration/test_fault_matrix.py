"""The fault matrix of issue 14: every dataset of the catalog × every upstream fault.

A real HTTP server on 127.0.0.1 (tests/faultserver.py) serves a small mirror cut from the
shared data, through MMMETER_MIRROR, and breaks the main file of one dataset at a time. Each
cell refreshes that dataset and checks the outcome: rejected with a reason that names the
fault (file, column, line where they apply), or accepted where the change is legitimate;
the version served before stays, with the same numbers; one alert per failure (log line and
webhook), however many retries. The table is written to test-artifacts/fault_matrix.md.

The datasets run side by side (one store copy each), so the waits of the network faults
overlap; fetches use 1 s timeouts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import pandas as pd
import pytest

from app.settings import Settings
from data.catalog import load_catalog
from data.pipeline import refresh
from data.store import Store
from tests.conftest import REPO_ROOT, SHARED_DATA
from tests.faults import FAULTS, NOT_APPLICABLE, Expected, FaultCase, Target, small_mirror, targets
from tests.faultserver import FaultServer, WebhookReceiver, closed_port_url

ARTIFACT = REPO_ROOT / "test-artifacts" / "fault_matrix.md"
MAX_BYTES = 4 * 1024 * 1024


@dataclass
class Cell:
    dataset: str
    fault: str
    expected: Expected
    status: str = ""
    reason: str = ""
    notes: str = ""
    version_kept: bool = False
    same_numbers: bool = False
    log_alerts: int = 0
    webhook_alerts: int = 0
    requests: int = 0
    seconds: float = 0.0

    def problems(self) -> list[str]:
        e, out = self.expected, []
        want = {
            "rejected": "failed",
            "unchanged": "unchanged",
            "accepted": "unchanged",  # same data: no new version needed
            "accepted, changed": "updated",
        }[e.outcome]
        if self.status != want:
            out.append(f"status {self.status!r}, expected {want!r} ({self.reason})")
        text = self.reason if e.outcome == "rejected" else self.notes
        out += [f"{n!r} not in {text!r}" for n in e.needles if n not in text]
        if e.outcome in ("rejected", "unchanged", "accepted") and not self.version_kept:
            out.append("a new version was published")
        if e.outcome != "accepted, changed" and not self.same_numbers:
            out.append("the numbers served changed")
        alerts = 1 if e.outcome == "rejected" else 0
        if (self.log_alerts, self.webhook_alerts) != (alerts, alerts):
            out.append(
                f"{self.log_alerts} log / {self.webhook_alerts} webhook alerts, expected {alerts}"
            )
        return out


class AlertLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    def count(self, dataset: str) -> int:
        return sum(f"refresh of {dataset} failed" in line for line in list(self.lines))


def fingerprint(store: Store, dataset: str, catalog) -> str:
    """A hash of what the store serves for `dataset`: its observations, areas, geometry and
    every indicator file derived from it."""
    folder = store.version_dir()
    digest = hashlib.sha256()
    own = folder / "datasets" / dataset
    for name in ("observations.parquet", "areas.parquet"):
        frame = pd.read_parquet(own / name)
        frame = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        digest.update(frame.to_csv(index=False).encode())
    for path in sorted((own / "geometry").glob("*.geojson")):
        digest.update(path.read_bytes())
    for indicator in sorted(i for i, ind in catalog.indicators.items() if dataset in ind.dataset):
        path = folder / "observations" / f"{indicator}.parquet"
        if path.exists():
            digest.update(pd.read_parquet(path).to_csv(index=False).encode())
    return digest.hexdigest()


def run_cell(
    settings: Settings,
    target: Target,
    case: FaultCase,
    server: FaultServer,
    hook: WebhookReceiver,
    alerts: AlertLog,
    good: bytes,
    catalog,
    expected: Expected,
) -> Cell:
    cell = Cell(target.dataset, case.name, expected)
    fault = case.make(target, good, MAX_BYTES)
    store = Store(settings.store_dir)
    before_version = store.current_version()
    before = fingerprint(store, target.dataset, catalog)
    log_before, hook_before = alerts.count(target.dataset), len(hook.received(target.dataset))
    requests_before = server.requests[target.path]
    cell_settings = replace(settings, mirror=closed_port_url()) if case.refused else settings
    server.break_file(target.path, fault)
    started = time.perf_counter()
    try:
        report = refresh(cell_settings, only=[target.dataset])
    finally:
        server.break_file(target.path, None)
    cell.seconds = time.perf_counter() - started
    [result] = [r for r in report.results if r.dataset == target.dataset]
    cell.status, cell.reason = result.status, result.reason or ""
    meta = store.version_dir() / "datasets" / target.dataset / "sources.json"
    cell.notes = " ".join(json.loads(meta.read_text()).get("notes", []))
    cell.version_kept = store.current_version() == before_version
    cell.same_numbers = fingerprint(store, target.dataset, catalog) == before
    cell.log_alerts = alerts.count(target.dataset) - log_before
    cell.webhook_alerts = len(hook.received(target.dataset)) - hook_before
    cell.requests = server.requests[target.path] - requests_before
    return cell


def run_dataset(settings, target, server, hook, alerts, files, catalog) -> list[Cell]:
    from tests.faults import expected as expected_for

    cells = []
    for case in FAULTS:
        if target.kind == "geojson" and case.name in NOT_APPLICABLE:
            cell = Cell(target.dataset, case.name, Expected("n/a", why=NOT_APPLICABLE[case.name]))
            cells.append(cell)
            continue
        if target.kind == "csv" and case.name == "date in the future" and target.date is None:
            why = "no date column: the period is the catalog's"
            cells.append(Cell(target.dataset, case.name, Expected("n/a", why=why)))
            continue
        exp = expected_for(target, case.name)
        cells.append(
            run_cell(settings, target, case, server, hook, alerts, files[target.path], catalog, exp)
        )
    return cells


def write_table(cells: list[Cell], seconds: float) -> None:
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Fault matrix (issue 14)",
        "",
        f"{len({c.dataset for c in cells})} datasets × {len(FAULTS)} faults, "
        f"{sum(c.expected.outcome != 'n/a' for c in cells)} cells run in {seconds:.1f} s. "
        "Kept: the version served before is still served. Same: its numbers are unchanged. "
        "Alerts: log lines / webhook posts. Requests: GETs of the broken file (retries).",
        "",
        "| dataset | fault | outcome | reason or why | kept | same | alerts | requests | s | ok |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in cells:
        if c.expected.outcome == "n/a":
            lines.append(f"| {c.dataset} | {c.fault} | n/a | {c.expected.why} | | | | | | |")
            continue
        text = c.reason if c.status == "failed" else (c.expected.why or c.notes)
        text = text.replace("|", "\\|").replace("\n", " ")
        if len(text) > 240:
            text = text[:237] + "..."
        outcome = {
            "failed": "rejected",
            "updated": "accepted, new version",
            "unchanged": "accepted" if c.expected.outcome == "accepted" else "unchanged",
        }.get(c.status, c.status)
        lines.append(
            f"| {c.dataset} | {c.fault} | {outcome} | {text} | {'yes' if c.version_kept else 'no'} "
            f"| {'yes' if c.same_numbers else 'no'} | {c.log_alerts} / {c.webhook_alerts} "
            f"| {c.requests} | {c.seconds:.1f} | {'✓' if not c.problems() else '✗ ' + '; '.join(c.problems())} |"
        )
    ARTIFACT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    if not SHARED_DATA.exists():
        pytest.skip("shared data folder not available")
    root = tmp_path_factory.mktemp("fault-matrix")
    catalog = load_catalog(Settings().catalog_path)
    files = small_mirror(catalog)
    alerts = AlertLog()
    logging.getLogger("mmmeter.alerts").addHandler(alerts)
    with FaultServer(files) as server, WebhookReceiver() as hook:
        base = replace(
            Settings(),
            data_dir=root / "base",
            mirror=server.url,
            run_scheduler=False,
            refresh_on_start=False,
            fetch_timeout_s=1.0,
            fetch_retries=1,
            fetch_backoff_s=0.05,
            fetch_total_timeout_s=1.5,
            fetch_max_bytes=MAX_BYTES,
            alert_webhook=hook.url,
        )
        report = refresh(base)
        assert not report.failed, [(r.dataset, r.reason) for r in report.failed]
        stores = {}
        for dataset in catalog.datasets:
            shutil.copytree(base.data_dir, root / dataset, symlinks=True)
            stores[dataset] = replace(base, data_dir=root / dataset)
        found = targets(catalog, files)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(found)) as pool:
            futures = [
                pool.submit(run_dataset, stores[d], found[d], server, hook, alerts, files, catalog)
                for d in catalog.datasets
            ]
            cells = [cell for future in futures for cell in future.result()]
        seconds = time.perf_counter() - started
    logging.getLogger("mmmeter.alerts").removeHandler(alerts)
    write_table(cells, seconds)
    return {"cells": cells, "seconds": seconds, "stores": stores, "catalog": catalog}


def test_every_dataset_and_fault_has_the_right_outcome(matrix):
    wrong = [
        f"{c.dataset} × {c.fault}: {'; '.join(c.problems())}"
        for c in matrix["cells"]
        if c.expected.outcome != "n/a" and c.problems()
    ]
    assert not wrong, "\n".join(wrong)
    assert ARTIFACT.exists()


def test_the_matrix_covers_every_dataset_of_the_catalog_and_every_fault(matrix):
    cells = matrix["cells"]
    assert {c.dataset for c in cells} == set(matrix["catalog"].datasets)
    run = [c for c in cells if c.expected.outcome != "n/a"]
    assert len(run) >= 11 * 20
    assert {c.fault for c in run} == {case.name for case in FAULTS}


def test_a_failure_that_was_retried_raises_one_alert(matrix):
    retried = [
        c
        for c in matrix["cells"]
        if c.fault in ("HTTP 500", "HTTP 503 with Retry-After", "timeout", "truncated body")
    ]
    assert retried
    for cell in retried:
        assert cell.requests == 2, (cell.dataset, cell.fault, cell.requests)  # one retry
        assert (cell.log_alerts, cell.webhook_alerts) == (1, 1), (cell.dataset, cell.fault)


def test_the_matrix_is_fast(matrix):
    assert matrix["seconds"] < 60, matrix["seconds"]
