"""The plotly.js partial bundle the pages load instead of plotly.py's full plotly.min.js.

frontend/build_plotly.mjs builds the bundles into app/assets/plotly with a manifest
(bundles.json: plotly.js version and trace types of each). Dash's Graph loads plotly.js the
first time a page draws a chart, from `window._dashPlotlyJSURL`; app/assets/2-site/plotly-loader.js
points that at the bundle named in the page's <meta name="mmmeter-plotly">, so pages without a
chart load no plotly at all; it runs the bundle's initialisation steps (`mmmeterPlotlySteps`)
one per task. The address carries a hash of the file, so it is cached for good.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.settings import PROJECT_ROOT

BUNDLE_FOLDER = "plotly"  # inside app/assets; not in every page's <script>s (assets_path_ignore)
BUNDLE_DIR = PROJECT_ROOT / "app" / "assets" / BUNDLE_FOLDER
MANIFEST = BUNDLE_DIR / "bundles.json"
DEFAULT_BUNDLE = "plotly-mmmeter"
MAP_BUNDLE = "plotly-mmmeter-map"  # with choroplethmap (MapLibre), for a site with a basemap
META_NAME = "mmmeter-plotly"


@dataclass(frozen=True)
class Bundle:
    name: str
    file: str
    traces: frozenset[str]
    plotly_js_version: str

    @property
    def path(self) -> Path:
        return BUNDLE_DIR / self.file

    def asset_path(self) -> str:
        """The bundle's path under /assets, with the content hash that versions it."""
        return f"{BUNDLE_FOLDER}/{self.file}?v={file_hash(self.path)}"


def bundles(manifest: Path = MANIFEST) -> dict[str, Bundle]:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    version = data["plotly_js_version"]
    return {
        name: Bundle(name, entry["file"], frozenset(entry["traces"]), version)
        for name, entry in data["bundles"].items()
    }


def bundle_for(basemap: str | None) -> Bundle:
    """The bundle a site draws its charts with: with MapLibre only when it shows a basemap."""
    return bundles()[MAP_BUNDLE if basemap else DEFAULT_BUNDLE]


@cache
def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
