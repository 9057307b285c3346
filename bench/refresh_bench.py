"""Benchmark: a full refresh from the mirror, and the RIVM per-day parse against plain pandas.

    python bench/refresh_bench.py [--mirror ../shared/data] [--repeat 3]

Each measurement runs in a fresh Python process so that peak memory (max RSS) is its own.
Prints wall time (median of the repeats) and peak RSS per case.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RIVM_FILE = "rivm/COVID-19_aantallen_gemeente_per_dag_reconstructed.csv.gz"

CASES = {
    "full refresh (11 datasets, derive, maps)": """
from dataclasses import replace
from app.settings import load_settings
from data.pipeline import refresh
settings = replace(load_settings({}), data_dir=Path(tempfile.mkdtemp()), mirror=MIRROR)
start = time.perf_counter()
report = refresh(settings)
elapsed = time.perf_counter() - start
assert not report.failed, report.failed
""",
    "RIVM per-day: MMmeter parse + validate + normalize": """
from data.catalog import load_catalog
from data.formats import RawFile, format_function
catalog = load_catalog(ROOT / "data" / "catalog.yaml")
content = (Path(MIRROR) / RIVM_FILE).read_bytes()
start = time.perf_counter()
out = format_function("rivm_cases")({"main": [RawFile("main", RIVM_FILE, content)]},
                                     catalog.datasets["rivm_cases"])
elapsed = time.perf_counter() - start
assert len(out.observations) > 700_000
""",
    "RIVM per-day: baseline pandas.read_csv + groupby": """
import io
import pandas as pd
content = (Path(MIRROR) / RIVM_FILE).read_bytes()
start = time.perf_counter()
frame = pd.read_csv(io.BytesIO(content), sep=";", compression="gzip")
sums = frame.groupby(["Municipality_code", "Date_of_publication"])[
    ["Total_reported", "Deceased"]].sum()
elapsed = time.perf_counter() - start
assert len(sums) > 380_000
""",
}

RUNNER = """
import json, resource, sys, tempfile, time
from pathlib import Path
ROOT = Path({root!r}); sys.path.insert(0, str(ROOT))
MIRROR = {mirror!r}; RIVM_FILE = {rivm!r}
{body}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": elapsed, "peak_mb": peak}}))
"""


def measure(body: str, mirror: str) -> dict:
    code = RUNNER.format(root=str(ROOT), mirror=mirror, rivm=RIVM_FILE, body=body)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tempfile.gettempdir()
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"mirror: {args.mirror}; {args.repeat} runs each, median wall time, max peak RSS")
    print(f"{'case':55} {'wall s':>8} {'peak MB':>8}")
    for name, body in CASES.items():
        runs = [measure(body, args.mirror) for _ in range(args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        print(f"{name:55} {seconds:8.2f} {peak:8.0f}", flush=True)


if __name__ == "__main__":
    main()
