"""The plotly.js partial bundle: built from the plotly.js plotly.py expects, with every trace
type the app draws (frontend/build_plotly.mjs, app/plotly_bundle.py)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from app.plotly_bundle import DEFAULT_BUNDLE, MAP_BUNDLE, bundle_for, bundles
from tests.conftest import REPO_ROOT

# Every trace type plotly knows, by class name (go.Bar) and by type string ("bar").
TRACE_CLASSES = {
    name: name.lower()
    for name in dir(go)
    if isinstance(getattr(go, name), type)
    and issubclass(getattr(go, name), BaseTraceType)
    and getattr(go, name) is not BaseTraceType
}
TRACE_TYPES = set(TRACE_CLASSES.values())
DRAWING_CODE = ("layouts", "callbacks")
PLOTLY_MODULES = {"go", "graph_objects", "graph_objs"}  # as imported (not html.Table)


def trace_types_in(source: str) -> set[str]:
    """Trace types a Python source can draw: go.<Trace>(...), {"type": "<trace>"} and
    type="<trace>" keywords (as in trace.update(type="choroplethmap"))."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in TRACE_CLASSES
            and isinstance(node.value, ast.Name)
            and node.value.id in PLOTLY_MODULES
        ):
            found.add(TRACE_CLASSES[node.attr])
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _is_str(key, "type") and isinstance(value, ast.Constant):
                    found.add(value.value)
        elif (
            isinstance(node, ast.keyword)
            and node.arg == "type"
            and isinstance(node.value, ast.Constant)
        ):
            found.add(node.value.value)
    return found & TRACE_TYPES


def _is_str(node, text: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == text


def app_trace_types() -> set[str]:
    found = set()
    for folder in DRAWING_CODE:
        for path in (REPO_ROOT / folder).rglob("*.py"):
            found |= trace_types_in(path.read_text(encoding="utf-8"))
    return found


def test_trace_scanner_finds_trace_classes_dicts_and_keywords():
    source = (
        "import plotly.graph_objects as go\n"
        "a = go.Pie(values=[1]); t = html.Table([])\n"
        "b = {'type': 'heatmap', 'z': [[1]]}\n"
        "trace.update(type='scattergeo')\n"
        "c = {'type': 'date'}; html.Button(type='button')\n"
    )
    assert trace_types_in(source) == {"pie", "heatmap", "scattergeo"}


def test_bundles_have_every_trace_type_the_app_draws():
    drawn = app_trace_types()
    assert {"bar", "scatter", "choropleth", "choroplethmap"} <= drawn  # the scan sees them
    known = bundles()
    missing = drawn - known[MAP_BUNDLE].traces
    assert not missing, (
        f"the app draws {sorted(missing)}, which frontend/build_plotly.mjs does not bundle: "
        "add it to BUNDLES there and run `node frontend/build_plotly.mjs`"
    )
    # Only a basemap needs choroplethmap (MapLibre); every other trace is in the small bundle.
    assert drawn - {"choroplethmap"} <= known[DEFAULT_BUNDLE].traces


def test_map_figures_use_the_bundle_chosen_for_the_basemap_setting():
    from layouts.figures.choropleth import choropleth_figure, map_view

    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "WK000001",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[6, 52], [7, 52], [7, 53], [6, 52]]],
                },
            }
        ],
    }
    view = map_view(["WK000001"], {}, {"WK000001": "A"}, None, "nl")
    for basemap in (None, "https://tiles.example/{z}/{x}/{y}.png"):
        figure = choropleth_figure(geojson, view, {"WK000001": "A"}, basemap=basemap)
        types = {trace["type"] for trace in figure["data"]}
        assert types <= bundle_for(basemap).traces


def test_bundles_are_built_from_the_plotly_js_that_plotly_py_expects():
    version = get_plotlyjs_version()
    package = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["plotly.js"] == version
    for bundle in bundles().values():
        assert bundle.plotly_js_version == version
        head = bundle.path.read_text(encoding="utf-8")[:600]
        assert f"plotly.js v{version} partial bundle" in head
        assert "MIT license" in head
        assert all(trace in head for trace in bundle.traces)  # the header names them


def test_bundle_address_changes_with_its_content(tmp_path, monkeypatch):
    from app import plotly_bundle

    bundle = bundle_for(None)
    copy = tmp_path / bundle.file
    copy.write_bytes(b"var Plotly = {};")
    monkeypatch.setattr(plotly_bundle, "BUNDLE_DIR", tmp_path)
    first = bundle.asset_path()
    other = tmp_path / "other"
    other.mkdir()
    (other / bundle.file).write_bytes(b"var Plotly = {version: 2};")
    monkeypatch.setattr(plotly_bundle, "BUNDLE_DIR", other)
    assert bundle.asset_path() != first
    assert first.startswith(f"plotly/{bundle.file}?v=")


def test_basemap_setting_picks_the_bundle_with_choroplethmap():
    assert "choroplethmap" not in bundle_for(None).traces
    assert "choroplethmap" in bundle_for("https://tiles.example/{z}/{x}/{y}.png").traces
    assert Path(bundle_for(None).path).stat().st_size < Path(bundle_for("x").path).stat().st_size
