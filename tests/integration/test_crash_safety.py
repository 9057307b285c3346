"""Crash safety: a refresh killed with SIGKILL at a random moment leaves a store that serves
the old or the new version, complete, never a mix; the next refresh removes what it left.

The refresh runs in a forked child (no interpreter start per run), on the small datasets of
the catalog only: the wijk boundaries and the CBS key figures per wijk. Two variants of the
mirror (A and B: different figures) alternate, so every run has a visible old and new state.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import signal
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from app.settings import Settings
from data.catalog import load_catalog
from data.pipeline import refresh
from data.store import Store
from tests.conftest import REPO_ROOT, SHARED_DATA, unavailable

SMALL = ("geo_wijken", "cbs_kwb_2024")
RUNS = 32
LEFTOVER_PATTERNS = (".staging-*", ".trash-*")
ARTIFACT = REPO_ROOT / "test-artifacts" / "crash_safety.md"


def small_catalog():
    catalog = load_catalog(Settings().catalog_path)
    datasets = {k: v for k, v in catalog.datasets.items() if k in SMALL}
    indicators = {
        k: v for k, v in catalog.indicators.items() if all(d in datasets for d in v.dataset)
    }
    return catalog.model_copy(update={"datasets": datasets, "indicators": indicators})


def _bump(text: str, column: str) -> str:
    """Variant B: `column` one higher on every line."""
    lines = text.rstrip("\n").split("\n")
    header = lines[0].split(";")
    i = header.index(column)
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        if cells[i].lstrip("-").isdigit():
            cells[i] = str(int(cells[i]) + 1)
        out.append(";".join(cells))
    return "\n".join(out) + "\n"


def make_mirror(root: Path, catalog, variant: str) -> Path:
    folder = root / f"mirror-{variant}"
    for dataset in catalog.datasets.values():
        for file in dataset.files:
            if not file.mirror:
                continue
            target = folder / file.mirror
            target.parent.mkdir(parents=True, exist_ok=True)
            data = (SHARED_DATA / file.mirror).read_bytes()
            if variant == "B" and dataset.id == "cbs_kwb_2024":
                data = _bump(data.decode("utf-8-sig"), "AantalInwoners_5").encode("utf-8")
            target.write_bytes(data)
    return folder


def served(store: Store) -> str:
    """A hash of the complete version `current` points at; fails on a missing or partial file."""
    folder = store.version_dir()
    manifest = store.manifest()
    assert folder is not None and manifest is not None, "no version served"
    digest = hashlib.sha256()
    for indicator, rows in sorted(manifest["row_counts"].items()):
        frame = pd.read_parquet(folder / "observations" / f"{indicator}.parquet")
        assert len(frame) == rows, f"{indicator}: {len(frame)} rows, manifest says {rows}"
        digest.update(indicator.encode() + frame.to_csv(index=False).encode())
    digest.update(pd.read_parquet(folder / "areas.parquet").to_csv(index=False).encode())
    for path in sorted((folder / "geometry").glob("*.geojson")):
        digest.update(path.name.encode() + path.read_bytes())
    for dataset in SMALL:
        frame = pd.read_parquet(folder / "datasets" / dataset / "observations.parquet")
        digest.update(frame.to_csv(index=False).encode())
    return digest.hexdigest()


def _child(settings: Settings, catalog) -> None:
    refresh(settings, catalog, force=True)
    os._exit(0)


def leftovers(store: Store) -> list[Path]:
    found = [p for pattern in LEFTOVER_PATTERNS for p in store.versions.glob(pattern)]
    return found + list(store.root.glob(".current-*")) + list(store.root.glob(".*.tmp"))


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    if not SHARED_DATA.exists():
        unavailable("shared data folder not available")
    root = tmp_path_factory.mktemp("crash")
    catalog = small_catalog()
    mirrors = {v: str(make_mirror(root, catalog, v)) for v in "AB"}
    base = replace(
        Settings(),
        data_dir=root / "data",
        run_scheduler=False,
        refresh_on_start=False,
        fetch_retries=0,
    )
    states = {}
    for variant in "BA":  # ends on A; B's state is measured on the same store
        report = refresh(replace(base, mirror=mirrors[variant]), catalog, force=True)
        assert not report.failed, [(r.dataset, r.reason) for r in report.failed]
        states[variant] = served(Store(base.store_dir))
    assert states["A"] != states["B"]
    return base, catalog, mirrors, states, forked_duration(base, catalog, mirrors)


def forked_duration(base: Settings, catalog, mirrors) -> float:
    """How long a forked refresh (A -> B -> A) takes here, not killed: the span of the kills."""
    context = multiprocessing.get_context("fork")
    seconds = []
    for variant in "BA":
        child = context.Process(
            target=_child, args=(replace(base, mirror=mirrors[variant]), catalog)
        )
        started = time.perf_counter()
        child.start()
        child.join()
        seconds.append(time.perf_counter() - started)
        assert child.exitcode == 0
    return max(seconds)


def test_a_refresh_killed_at_random_moments_serves_old_or_new_never_a_mix(setup):
    base, catalog, mirrors, states, duration = setup
    store = Store(base.store_dir)
    context = multiprocessing.get_context("fork")
    rng = random.Random(14)
    current = "A"
    outcomes = {"old": 0, "new": 0}
    left_behind = 0
    started = time.perf_counter()
    for run in range(RUNS):
        target = "B" if current == "A" else "A"
        child = context.Process(
            target=_child, args=(replace(base, mirror=mirrors[target]), catalog)
        )
        child.start()
        time.sleep(rng.uniform(0.0, duration * 1.2))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        state = served(store)
        assert state in (states[current], states[target]), f"run {run}: a mix of versions"
        if state == states[target]:
            outcomes["new"] += 1
            current = target
        else:
            outcomes["old"] += 1
        left_behind += bool(leftovers(store))
    seconds = time.perf_counter() - started
    assert outcomes["old"] and outcomes["new"], outcomes  # the kills hit both sides of the swap
    assert left_behind, "no kill left anything behind: the kills came too late to test much"
    assert seconds < 60, seconds

    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(
        f"# Crash safety (issue 14)\n\n{RUNS} refreshes killed with SIGKILL after a random "
        f"0-{duration * 1.2:.2f} s ({seconds:.1f} s in all): {outcomes['old']} left the old "
        f"version served, {outcomes['new']} the new one, none a mix; {left_behind} left a "
        "staging folder or temporary file behind, all removed by the next refresh.\n",
        encoding="utf-8",
    )
    refresh(replace(base, mirror=mirrors["A"]), catalog, force=True)  # the next refresh
    assert served(store) == states["A"]
    assert leftovers(store) == []


def test_a_killed_refresh_leaves_the_lock_free_for_the_next(setup):
    base, catalog, mirrors, states, duration = setup
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_child, args=(replace(base, mirror=mirrors["B"]), catalog))
    child.start()
    time.sleep(duration / 3)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    started = time.perf_counter()
    refresh(replace(base, mirror=mirrors["A"]), catalog, force=True)
    assert time.perf_counter() - started < 30  # did not wait for a lock held by the dead child
    assert served(Store(base.store_dir)) == states["A"]
