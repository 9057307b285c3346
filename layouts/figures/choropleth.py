"""Choropleth maps that need no tile server, and the small patches that change their values.

A map is drawn once with its geometry (`choropleth_figure`); switching week, indicator or year
sends only the values (`values_patch`: class per area, hover texts, colours), a few KB instead
of the whole figure. Classes come from the catalog's map classification (geo.classify), colours
from geo.palettes; areas without data (CBS -99999999 arrives as NaN) get a class of their own
in neutral grey, which app/assets/2-site/maps.css hatches and the legend names.

By default the map is a plotly `go.Choropleth` on an invisible globe: SVG, no tiles, no WebGL.
Plotly draws it with d3-geo, which takes a ring's winding as inside/outside: RFC 7946 GeoJSON
(exterior rings counter-clockwise, as geo/simplify.py writes it) would fill the whole world
except the area. `clockwise` turns the rings round for d3 before the figure is built. With a
basemap (settings.basemap, a raster tile URL template such as PDOK's BRT-Achtergrondkaart) the
map is a `go.Choroplethmap` over those tiles instead.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from dash import Patch

from data.catalog import Indicator
from geo.classify import Classification, classify
from geo.palettes import NO_DATA_FILL, palette
from layouts.figures.ranking import RankedArea, rank_areas, rank_text, ranked_count
from layouts.i18n import t

BORDER_COLOUR = "#5f5f5f"  # dark enough to separate the lightest class from the page (3:1)
HIGHLIGHT_COLOUR = "#08306b"
CONTEXT_COLOUR = "#e3e3e3"
UNIT_COLOUR = "#545b62"
# Areas without data are drawn in NO_DATA_FILL; app/assets/2-site/maps.css hatches exactly that
# fill on maps inside an element with class `mm-map` (pattern: app/assets/2-site/maps.js).


@dataclass(frozen=True)
class Bounds:
    """A lon/lat box: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    def padded(self, fraction: float = 0.03) -> Bounds:
        dx, dy = (self.east - self.west) * fraction, (self.north - self.south) * fraction
        return Bounds(self.west - dx, self.south - dy, self.east + dx, self.north + dy)

    @property
    def centre(self) -> dict[str, float]:
        return {"lon": (self.west + self.east) / 2, "lat": (self.south + self.north) / 2}


def polygons_of(geometry: dict) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"expected a Polygon or MultiPolygon, got {geometry['type']}")


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    """Shoelace area in degrees²: positive for counter-clockwise rings (x east, y north)."""
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        total += x1 * y2 - x2 * y1
    return total / 2


def _oriented(ring: list, clockwise: bool) -> list:
    """The ring with the wanted winding."""
    return ring if (_signed_area(ring) < 0) == clockwise else ring[::-1]


def clockwise(geojson: dict) -> dict:
    """A copy of `geojson` whose exterior rings run clockwise and holes counter-clockwise,
    the winding d3-geo (plotly's go.Choropleth) takes as "inside"; any input winding works.
    """
    features = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = [
            [_oriented(ring, clockwise=(i == 0)) for i, ring in enumerate(polygon)]
            for polygon in polygons_of(geometry)
        ]
        coordinates = polygons[0] if geometry["type"] == "Polygon" else polygons
        features.append(
            {**feature, "geometry": {"type": geometry["type"], "coordinates": coordinates}}
        )
    return {**geojson, "features": features}


def bounds(geojson: dict, codes: set[str] | None = None) -> Bounds | None:
    """The lon/lat box around the features (or those of `codes`); None when there are none."""
    xs: list[float] = []
    ys: list[float] = []
    for feature in geojson["features"]:
        if codes is not None and str(feature.get("id")) not in codes:
            continue
        for polygon in polygons_of(feature["geometry"]):
            for x, y in polygon[0]:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return Bounds(min(xs), min(ys), max(xs), max(ys))


def classify_values(values: Mapping[str, float | None], indicator: Indicator) -> Classification:
    """Classes for `values` by the indicator's map classification in the catalog."""
    series = pd.Series(
        [math.nan if v is None else v for v in values.values()],
        index=list(values),
        dtype="float64",
    )
    spec = indicator.map
    return classify(series, spec.method, classes=spec.classes, breaks=spec.breaks)


def hover_template(unit: str, shows_values: bool = True) -> str:
    """Name, value, unit (on its own line, so that "no data" never reads as a value) and rank."""
    if not shows_values:
        return "<b>%{text}</b><extra></extra>"
    unit_line = f"<br><span style='color:{UNIT_COLOUR}'>{unit}</span>" if unit else ""
    return f"<b>%{{text}}</b><br>%{{customdata[0]}}{unit_line}<br>%{{customdata[1]}}<extra></extra>"


def stepped_colorscale(colours: Sequence[str]) -> list[list]:
    """A colorscale that gives z = i exactly colours[i] (with zmin -0.5, zmax n - 0.5)."""
    n = len(colours)
    scale: list[list] = []
    for i, colour in enumerate(colours):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


@dataclass(frozen=True)
class MapView:
    """Everything one state of a map shows: ranks, classes, colours and the trace values.

    `codes` are the areas drawn (the features of the geometry); `rows` every area with a
    value or a polygon, ranked.
    """

    codes: list[str]
    rows: list[RankedArea]
    classification: Classification
    colours: list[str]  # one per class
    class_by_code: dict[str, int | None]
    z: list[int]
    customdata: list[list[str]]  # per area: value (or "no data") and rank, as text
    unit: str = ""
    shows_values: bool = True  # False for a locator map: the hover shows names only

    @property
    def colorscale(self) -> list[list]:
        return stepped_colorscale([*self.colours, NO_DATA_FILL])

    @property
    def zmax(self) -> float:
        return len(self.colours) + 0.5

    def colour_of(self, code: str) -> str:
        index = self.class_by_code.get(code)
        return NO_DATA_FILL if index is None else self.colours[index]

    @property
    def colour_by_code(self) -> dict[str, str]:
        return {row.code: self.colour_of(row.code) for row in self.rows}

    @property
    def no_data_codes(self) -> list[str]:
        return [code for code in self.codes if self.class_by_code.get(code) is None]


def map_view(
    codes: Sequence[str],
    values: Mapping[str, float | None],
    names: Mapping[str, str | None],
    indicator: Indicator | None,
    lang: str,
    palette_kind: str = "sequential",
) -> MapView:
    """The map of `values` (code -> value; missing or NaN = no data) over the areas `codes`.

    Areas with a value but no polygon are ranked and classified like the others (the page
    lists them); areas with a polygon but no value are drawn as "no data".
    """
    everything: dict[str, float | None] = dict.fromkeys(codes)
    everything.update(values)
    decimals = indicator.decimals if indicator else 0
    rows = rank_areas(everything, names, decimals, lang)
    by_code = {row.code: row for row in rows}
    numbers = {row.code: row.value for row in rows}
    classification = classify_values(numbers, indicator) if indicator else _nothing(numbers)
    colours = palette(palette_kind, classification.k) if classification.k else []
    class_by_code = {
        code: (None if pd.isna(index) else int(index))
        for code, index in classification.classes.items()
    }
    total = ranked_count(rows)
    unit = indicator.unit.get(lang) if indicator else ""
    no_data = t("common.no_data", lang)
    customdata = []
    z = []
    for code in codes:
        row = by_code[code]
        index = class_by_code.get(code)
        z.append(len(colours) if index is None else index)
        if row.value is None:
            customdata.append([no_data, ""])
        else:
            customdata.append([row.value_text, rank_text(row, total, lang)])
    return MapView(
        codes=list(codes),
        rows=rows,
        classification=classification,
        colours=colours,
        class_by_code=class_by_code,
        z=z,
        customdata=customdata,
        unit=unit,
    )


def _nothing(values: Mapping[str, float | None]) -> Classification:
    """A classification with no classes: every area is "no data" (no indicator chosen)."""
    index = list(values)
    return Classification(
        method="none",
        bounds=[],
        counts=[],
        classes=pd.Series([None] * len(index), index=index, dtype="object"),
        mean=None,
        no_data=len(index),
    )


def highlight_view(codes: Sequence[str], selected: str) -> MapView:
    """A locator map: `selected` dark, every other area light grey."""
    z = [1 if code == selected else 0 for code in codes]
    return MapView(
        codes=list(codes),
        rows=[],
        classification=_nothing(dict.fromkeys(codes)),
        colours=[CONTEXT_COLOUR, HIGHLIGHT_COLOUR],
        class_by_code={code: (1 if code == selected else 0) for code in codes},
        z=z,
        customdata=[["", ""] for _ in codes],
        shows_values=False,
    )


def _geo_layout(view: Bounds | None) -> dict:
    layout: dict = {
        "visible": False,
        "projection": {"type": "mercator"},
        "bgcolor": "rgba(0,0,0,0)",
        "showframe": False,
    }
    if view is None:
        layout.update(fitbounds="locations", lonaxis={"range": None}, lataxis={"range": None})
    else:
        padded = view.padded()
        layout.update(
            fitbounds=False,
            lonaxis={"range": [padded.west, padded.east]},
            lataxis={"range": [padded.south, padded.north]},
        )
    return layout


def _zoom_for(box: Bounds, width_px: int = 600, height_px: int = 480) -> float:
    """A web-mercator zoom level that shows `box` in a map of about width x height pixels."""
    lon_span = max(box.east - box.west, 1e-6)
    lat_rad = [math.radians(v) for v in (box.south, box.north)]
    merc = [math.log(math.tan(math.pi / 4 + r / 2)) for r in lat_rad]
    lat_span = max((merc[1] - merc[0]) / math.pi * 180, 1e-6)
    zoom_x = math.log2(360 / lon_span * width_px / 256)
    zoom_y = math.log2(360 / lat_span * height_px / 256)
    return round(min(zoom_x, zoom_y) - 0.2, 2)


def _map_layout(box: Bounds, basemap: str) -> dict:
    return {
        "style": {
            "version": 8,
            "sources": {},
            "layers": [
                {"id": "background", "type": "background", "paint": {"background-color": "#fff"}}
            ],
        },
        "layers": [{"below": "traces", "sourcetype": "raster", "source": [basemap]}],
        "center": box.centre,
        "zoom": _zoom_for(box),
    }


def choropleth_figure(
    geojson: dict,
    view_values: MapView,
    names: Mapping[str, str | None],
    *,
    view: Bounds | None = None,
    basemap: str | None = None,
    height: int | None = None,
    border_width: float = 0.6,
    geojson_url: str | None = None,
) -> dict:
    """The map: `geojson` (features with id = code) coloured by `view_values`.

    `view` zooms to a lon/lat box (default: all features). `basemap` (a raster tile URL
    template with {z}/{x}/{y}) draws the map over those tiles; without it no tiles are used.
    With `geojson_url` (where the same geometry is served, already turned clockwise: see
    layouts/map_geometry.py) the figure names that address instead of carrying the polygons.
    Returns the figure as a plain dict, as dcc.Graph takes it: go.Figure would validate and
    deep-copy the geometry on every switch of level (`go.Figure(result)` validates it).
    """
    codes = view_values.codes
    trace = {
        "locations": codes,
        "featureidkey": "id",
        "z": view_values.z,
        "zmin": -0.5,
        "zmax": view_values.zmax,
        "colorscale": view_values.colorscale,
        "showscale": False,
        "text": [names.get(code) or code for code in codes],
        "customdata": view_values.customdata,
        "hovertemplate": hover_template(view_values.unit, view_values.shows_values),
        "marker": {"line": {"color": BORDER_COLOUR, "width": border_width}},
    }
    layout: dict = {
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "dragmode": False,
        "uirevision": "map",
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": "#000000", "size": 13}},
        "paper_bgcolor": "rgba(0,0,0,0)",
    }
    if height:
        layout["height"] = height
    if basemap:
        box = (view or bounds(geojson) or Bounds(3.3, 50.7, 7.3, 53.6)).padded()
        trace.update(type="choroplethmap", geojson=geojson_url or geojson)
        layout["map"] = _map_layout(box, basemap)
    else:
        trace.update(type="choropleth", geojson=geojson_url or clockwise(geojson))
        # The box is named, not left to plotly's fitbounds (which pads by its own rules), so
        # the map's poster (layouts/figures/map_poster.py) draws exactly the same view.
        layout["geo"] = _geo_layout(view or bounds(geojson, set(codes)))
    return {"data": [trace], "layout": layout}


def values_patch(view_values: MapView, view: Bounds | bool | None = False) -> Patch:
    """A dash.Patch with only what changes between weeks, indicators or years.

    `view`: False leaves the zoom as it is; None zooms to all features; a Bounds zooms there
    (only for the tile-free map).
    """
    patch = Patch()
    patch["data"][0]["z"] = view_values.z
    patch["data"][0]["zmax"] = view_values.zmax
    patch["data"][0]["colorscale"] = view_values.colorscale
    patch["data"][0]["customdata"] = view_values.customdata
    patch["data"][0]["hovertemplate"] = hover_template(view_values.unit)
    if view is not False:
        patch["layout"]["geo"].update(_geo_layout(view if isinstance(view, Bounds) else None))
    return patch


def view_patch(view: Bounds | None) -> Patch:
    """A dash.Patch that only zooms the tile-free map (None: to all features)."""
    patch = Patch()
    patch["layout"]["geo"].update(_geo_layout(view))
    return patch


def tile_view_patch(box: Bounds) -> Patch:
    """A dash.Patch that only zooms the map over a basemap to `box`."""
    padded = box.padded()
    patch = Patch()
    patch["layout"]["map"]["center"] = padded.centre
    patch["layout"]["map"]["zoom"] = _zoom_for(padded)
    return patch
