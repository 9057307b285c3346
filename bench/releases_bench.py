"""Benchmark: disk per kept store version, and the time to make a permalink.

    python bench/releases_bench.py [--mirror ../shared/data] [--links 30]

1. Refreshes a new store from the mirror, then twice more with `--force` (every dataset parsed
   and published again, nothing changed): `du` of the store (hard links counted once) after
   each, so the growth is the disk one more kept version costs for an unchanged refresh.
2. Makes `--links` permalinks through the real Dash callback endpoint (Flask test client, the
   callback the shell's button calls: it pins the version and gives the address); p50 / p95.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def du_kib(path: Path) -> int:
    """Disk used under `path` in KiB, each hard-linked file counted once (as du does)."""
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mirror", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--links", type=int, default=30)
    args = parser.parse_args()

    from app.settings import load_settings
    from data.pipeline import refresh

    data_dir = Path(tempfile.mkdtemp(prefix="mmmeter-releases-bench-"))
    settings = replace(
        load_settings({}), data_dir=data_dir, mirror=args.mirror, refresh_on_start=False
    )
    sizes = []
    for force in (False, True, True):
        report = refresh(settings, force=force)
        sizes.append(du_kib(settings.store_dir))
        print(f"version {report.version}: store {sizes[-1]:,} KiB")
    growth = [b - a for a, b in itertools.pairwise(sizes)]
    print(f"first version: {sizes[0]:,} KiB; each unchanged refresh adds {growth} KiB")

    from app.main import create_app
    from tests.integration.test_hardening import _callback_body, _dependency

    app = create_app(replace(settings, run_scheduler=False), start_background=False)
    client = app.server.test_client()
    dep = _dependency(client, "permalink-panel.children")
    version = report.version
    times = []
    for n in range(args.links):
        body = _callback_body(dep, [n + 1], ["/buurten/WK011401", "?lang=en", version])
        started = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    first = times[0]
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"permalink (pin + address, via /_dash-update-component): first {first:.1f} ms, "
        f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms over {len(times)}"
    )


if __name__ == "__main__":
    main()
