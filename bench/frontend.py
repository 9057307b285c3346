"""Lighthouse on the app's pages, mobile and desktop, first and repeat visit.

    python bench/frontend.py                          # 6 pages x 2 modes x 3 runs (slow)
    python bench/frontend.py --runs 1 --pages /corona/GM0114      # one page, one run per mode
    python bench/frontend.py --data-dir /tmp/mmmeter-bench        # keep (and reuse) the store

It starts the app as users run it (`python -m app` on 127.0.0.1, scheduler off) on a store
refreshed from the shared data mirror, and a static reference page with one plotly bar chart
(plotly.py's full plotly.min.js, served as plain files, uncompressed), so the app's figures can
be read as ratios to it. For each page and mode it runs Lighthouse (the pinned npm package,
with the system chromium) in a fresh browser profile: once as a first visit, then again in
the same profile without clearing it (`--disable-storage-reset`) as a repeat visit, whose
bytes are what the browser still had to fetch. It prints medians over the runs of the
performance score, LCP, TBT, CLS, the accessibility and SEO scores, the bytes transferred and
the number of DOM elements, and the machine's load average before and after (Lighthouse's
times depend on it).

Aims (issue 13): mobile performance >= 90 (desktop >= 95), CLS < 0.05, a first visit of
/corona/GM0114 under 1.2 MB and a repeat visit under 100 KB, accessibility and SEO 100.
Not a test: pytest does not collect bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.map_bench import DEFAULT_MIRROR, RunningApp, refresh_store  # noqa: E402

PAGES = (
    "/",
    "/corona/GM0114",
    "/corona/kaart",
    "/buurten",
    "/buurten/WK011401",
    "/thema/bevolking",
)
REFERENCE = "reference: one plotly bar chart"
LIGHTHOUSE = REPO_ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
    "--disable-background-networking --disable-default-apps --disable-extensions "
    "--disable-sync --no-first-run --mute-audio"
)
CATEGORIES = "performance,accessibility,seo"
RUN_TIMEOUT_S = 240
REFERENCE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="A static page with one plotly bar chart.">
<title>Reference: one plotly bar chart</title></head>
<body><main><h1>One bar chart</h1><div id="chart" style="height:320px"></div></main>
<script src="plotly.min.js"></script>
<script>
Plotly.newPlot("chart", [{type: "bar", x: ["a", "b", "c", "d"], y: [3, 1, 4, 1]}],
  {margin: {t: 10}}, {displayModeBar: false, responsive: true});
</script></body></html>
"""


@dataclass(frozen=True)
class Result:
    performance: float
    accessibility: float
    seo: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    bytes: float
    dom_elements: float


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class ReferencePage:
    """The static reference page on a free port of 127.0.0.1 (plain files, no compression)."""

    def __enter__(self) -> ReferencePage:
        import plotly

        self.folder = Path(tempfile.mkdtemp(prefix="mmmeter-reference-"))
        (self.folder / "index.html").write_text(REFERENCE_HTML, encoding="utf-8")
        bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        shutil.copy(bundle, self.folder / "plotly.min.js")
        handler = partial(Quiet, directory=str(self.folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)


def lighthouse(
    url: str, mode: str, profile: Path, *, repeat: bool, save: Path | None = None
) -> Result:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={CATEGORIES}",
        f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
        "--max-wait-for-load=60000",
    ]
    if mode == "desktop":
        command.append("--preset=desktop")
    if repeat:
        command.append("--disable-storage-reset")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        env={**os.environ, "CHROME_PATH": CHROME},
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url} ({mode}):\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        save.write_text(done.stdout, encoding="utf-8")
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    audits, categories = report["audits"], report["categories"]

    def score(name: str) -> float:
        value = categories[name]["score"]
        return float("nan") if value is None else value * 100

    def number(name: str) -> float:
        value = audits[name].get("numericValue")
        return float("nan") if value is None else float(value)

    return Result(
        performance=score("performance"),
        accessibility=score("accessibility"),
        seo=score("seo"),
        lcp_ms=number("largest-contentful-paint"),
        tbt_ms=number("total-blocking-time"),
        cls=number("cumulative-layout-shift"),
        bytes=number("total-byte-weight"),
        dom_elements=number("dom-size"),
    )


def measure(
    url: str, mode: str, runs: int, reports: Path | None = None, name: str = "page"
) -> tuple[list[Result], list[Result]]:
    first, repeat = [], []

    def save(run: int, visit: str) -> Path | None:
        if reports is None:
            return None
        stem = "".join(c if c.isalnum() else "_" for c in name).strip("_") or "home"
        return reports / f"{stem}-{mode}-{run}-{visit}.json"

    for run in range(runs):
        profile = Path(tempfile.mkdtemp(prefix="mmmeter-lh-"))
        try:
            first.append(lighthouse(url, mode, profile, repeat=False, save=save(run, "first")))
            repeat.append(lighthouse(url, mode, profile, repeat=True, save=save(run, "repeat")))
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    return first, repeat


def median(results: list[Result], field: str) -> float:
    return statistics.median(getattr(r, field) for r in results)


def report_rows(table: dict) -> list[str]:
    header = (
        f"{'page':<34} {'mode':<7} {'perf':>5} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} "
        f"{'a11y':>5} {'SEO':>4} {'first KB':>9} {'repeat KB':>10} {'DOM':>6}"
    )
    lines = [header, "-" * len(header)]
    for (page, mode), (first, repeat) in table.items():
        lines.append(
            f"{page:<34} {mode:<7} {median(first, 'performance'):>5.0f} "
            f"{median(first, 'lcp_ms') / 1000:>6.1f} {median(first, 'tbt_ms'):>7.0f} "
            f"{median(first, 'cls'):>6.3f} {median(first, 'accessibility'):>5.0f} "
            f"{median(first, 'seo'):>4.0f} {median(first, 'bytes') / 1024:>9.0f} "
            f"{median(repeat, 'bytes') / 1024:>10.0f} {median(first, 'dom_elements'):>6.0f}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page and mode (median)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="paths to measure")
    parser.add_argument("--modes", nargs="*", default=["mobile", "desktop"])
    parser.add_argument("--no-reference", action="store_true", help="skip the reference page")
    parser.add_argument("--data-dir", type=Path, help="store folder (refreshed when empty)")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--json", type=Path, help="also write the medians as JSON here")
    parser.add_argument("--reports", type=Path, help="keep every Lighthouse JSON report here")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("lighthouse is not installed: run `npm ci` first", file=sys.stderr)
        return 2

    temporary = args.data_dir is None
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="mmmeter-frontend-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / "store").exists() or not any((data_dir / "store").iterdir()):
        refresh_store(data_dir, args.mirror)
    print(f"load average before: {load_average()}", flush=True)
    started = time.monotonic()
    table: dict = {}
    try:
        with RunningApp(data_dir, args.mirror) as app, ReferencePage() as reference:
            targets = [(page, app.url + page) for page in args.pages]
            if not args.no_reference:
                targets.append((REFERENCE, reference.url))
            for mode in args.modes:
                for name, url in targets:
                    print(f"{mode:<7} {name} ...", flush=True)
                    table[(name, mode)] = measure(url, mode, args.runs, args.reports, name)
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    print()
    print("\n".join(report_rows(table)))
    print(
        f"\n{args.runs} run(s) each, medians; Lighthouse "
        f"{'mobile (default throttling)' if 'mobile' in args.modes else ''}"
        f"{' and desktop preset' if 'desktop' in args.modes else ''}; "
        f"{time.monotonic() - started:.0f} s"
    )
    print(f"load average after: {load_average()}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                [
                    {
                        "page": page,
                        "mode": mode,
                        **{f: median(first, f) for f in Result.__dataclass_fields__},
                        "repeat_bytes": median(repeat, "bytes"),
                    }
                    for (page, mode), (first, repeat) in table.items()
                ],
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
