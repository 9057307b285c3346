"""The fault matrix of issue 14: every dataset of the catalog × every upstream fault.

A real HTTP server on 127.0.0.1 (tests/faultserver.py) serves a small mirror cut from the
shared data, through MMMETER_MIRROR, and breaks the main file of one dataset at a time. Each
cell refreshes that dataset and checks the outcome: rejected with a reason that names the
fault (file, column, line where they apply), or accepted where the change is legitimate;
the version served before stays, with the same numbers; one alert per failure (log line and
webhook), however many retries. The table is written to test-artifacts/fault_matrix.md.

The datasets run side by side (one store copy each), so the waits of the network faults
overlap, half of them in a second process with a fault server of its own, so both cores
work; fetches use 1 s timeouts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import pytest

from app.settings import Settings
from data.catalog import load_catalog
from data.pipeline import refresh
from data.store import Store
from layouts.refresh_status import format_moment
from tests.conftest import REPO_ROOT, SHARED_DATA, copy_data_dir, unavailable
from tests.faults import FAULTS, NOT_APPLICABLE, Expected, FaultCase, Target, small_mirror, targets
from tests.faultserver import Fault, FaultServer, WebhookReceiver, closed_port_url
from tests.pages import reader_for, server_for, text_of

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
    """A hash of the files the store serves for `dataset`: its observations, areas, geometry
    and every indicator file derived from it. Equal bytes are equal numbers; a cell whose
    version must stay serves the very files it served before (unchanged files are hard links
    of the version before, data/store.py)."""
    folder = store.version_dir()
    digest = hashlib.sha256()
    own = folder / "datasets" / dataset
    paths = [own / "observations.parquet", own / "areas.parquet"]
    paths += sorted((own / "geometry").glob("*.geojson"))
    for indicator in sorted(i for i, ind in catalog.indicators.items() if dataset in ind.dataset):
        paths.append(folder / "observations" / f"{indicator}.parquet")
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
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
        verdict = "✓" if not c.problems() else "✗ " + "; ".join(c.problems())
        outcome = {
            "failed": "rejected",
            "updated": "accepted, new version",
            "unchanged": "accepted" if c.expected.outcome == "accepted" else "unchanged",
        }.get(c.status, c.status)
        lines.append(
            f"| {c.dataset} | {c.fault} | {outcome} | {text} | {'yes' if c.version_kept else 'no'} "
            f"| {'yes' if c.same_numbers else 'no'} | {c.log_alerts} / {c.webhook_alerts} "
            f"| {c.requests} | {c.seconds:.1f} | {verdict} |"
        )
    ARTIFACT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class FaultSetup:
    """One process's side of the matrix: the cut mirror behind a fault server, a webhook
    receiver, the alert log, and a store refreshed from that server."""

    files: dict
    server: FaultServer
    hook: WebhookReceiver
    alerts: AlertLog
    base: Settings


@contextmanager
def fault_setup(root: Path, catalog) -> Iterator[FaultSetup]:
    files = small_mirror(catalog)
    alerts = AlertLog()
    logging.getLogger("mmmeter.alerts").addHandler(alerts)
    try:
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
            yield FaultSetup(files, server, hook, alerts, base)
    finally:
        logging.getLogger("mmmeter.alerts").removeHandler(alerts)


def run_datasets(setup: FaultSetup, root: Path, catalog, datasets: list[str]):
    """Every cell of `datasets`, side by side (one store copy each, so the waits of the
    network faults overlap); returns (cells, each dataset's settings)."""
    stores = {}
    for dataset in datasets:
        copy_data_dir(setup.base.data_dir, root / dataset)
        stores[dataset] = replace(setup.base, data_dir=root / dataset)
    found = targets(catalog, setup.files)
    args = (setup.server, setup.hook, setup.alerts, setup.files, catalog)
    with ThreadPoolExecutor(max_workers=len(datasets)) as pool:
        futures = [pool.submit(run_dataset, stores[d], found[d], *args) for d in datasets]
        cells = [cell for future in futures for cell in future.result()]
    return cells, stores


def cells_in_this_process(root: Path, datasets: list[str]) -> list[Cell]:
    """The cells of `datasets` with a fault setup of this process's own (run in a second
    process: the refreshes are Python work, and one process's threads share one core)."""
    catalog = load_catalog(Settings().catalog_path)
    with fault_setup(root, catalog) as setup:
        return run_datasets(setup, root, catalog, datasets)[0]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    if not SHARED_DATA.exists():
        unavailable("shared data folder not available")
    root = tmp_path_factory.mktemp("fault-matrix")
    catalog = load_catalog(Settings().catalog_path)
    datasets = list(catalog.datasets)
    # Half the datasets in a second process, so both cores work; the other half (with
    # cbs_kwb_2024, which the tests after the matrix refresh again) here.
    here = [d for i, d in enumerate(datasets) if i % 2 == 1 or d == "cbs_kwb_2024"]
    elsewhere = [d for d in datasets if d not in here]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as other:
        their_cells = other.submit(cells_in_this_process, root / "other", elsewhere)
        with fault_setup(root / "here", catalog) as setup:
            our_cells, stores = run_datasets(setup, root / "here", catalog, here)
            by_dataset = {d: [] for d in datasets}
            for cell in our_cells + their_cells.result():
                by_dataset[cell.dataset].append(cell)
            cells = [cell for d in datasets for cell in by_dataset[d]]
            seconds = time.perf_counter() - started
            write_table(cells, seconds)
            yield {
                "cells": cells,
                "seconds": seconds,
                "stores": stores,
                "catalog": catalog,
                "server": setup.server,
                "hook": setup.hook,
                "alerts": setup.alerts,
                "targets": targets(catalog, setup.files),
            }


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


@pytest.fixture(scope="module")
def failing_store(matrix):
    """The cbs_kwb_2024 store after one more refresh that got HTTP 503 (Retry-After)."""
    settings = matrix["stores"]["cbs_kwb_2024"]
    target = matrix["targets"]["cbs_kwb_2024"]
    matrix["server"].break_file(target.path, Fault.http_status(503, retry_after=1))
    try:
        report = refresh(settings, only=["cbs_kwb_2024"])
    finally:
        matrix["server"].break_file(target.path, None)
    assert [r.dataset for r in report.failed] == ["cbs_kwb_2024"]
    return settings


def _status_page_text(settings, lang: str) -> str:
    from layouts.pages import status

    with server_for(settings).test_request_context("/status"):
        return text_of(status.layout(reader_for(settings), lang=lang))


def test_status_page_says_in_dutch_and_english_what_failed_and_when(failing_store):
    nl = _status_page_text(failing_store, "nl")
    en = _status_page_text(failing_store, "en")
    today_nl = format_moment(dt.datetime.now(dt.UTC), "nl").rsplit(" om ", 1)[0]
    today_en = format_moment(dt.datetime.now(dt.UTC), "en").rsplit(" at ", 1)[0]
    assert f"{today_nl} om " in nl and f"{today_en} at " in en
    assert "fout bij de server van de bron" in nl and "error on the source's server" in en
    assert "HTTP 503" in nl and "Retry-After 1 s" in nl
    assert "mislukt" in nl and "Volgende poging" in nl
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", nl + en)  # no ISO timestamps


def test_status_command_shows_the_failure_with_its_reason_and_next_attempt(failing_store):
    result = subprocess.run(
        [sys.executable, "-m", "app", "status"],
        cwd=REPO_ROOT,
        env={**os.environ, "MMMETER_DATA_DIR": str(failing_store.data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    [line] = [x for x in result.stdout.splitlines() if x.strip().startswith("cbs_kwb_2024")]
    assert "FAILING" in line
    assert "error on the source's server" in result.stdout and "HTTP 503" in result.stdout
    assert "next attempt" in result.stdout
    assert format_moment(dt.datetime.now(dt.UTC), "en").rsplit(" at ", 1)[0] in result.stdout
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", result.stdout)


def test_an_alert_is_posted_to_the_webhook_with_the_reason(failing_store, matrix):
    [*_, last] = matrix["hook"].received("cbs_kwb_2024")
    assert last["event"] == "dataset_refresh_failed"
    assert last["kind"] == "server" and "HTTP 503" in last["reason"]
    assert last["last_good_version_kept"] is True
