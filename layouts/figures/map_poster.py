"""The map's poster: the first state of a tile-free choropleth as a plain SVG (pure).

A phone that opens a map page shows this drawing at once, in the page's HTML, and loads
plotly.js only when the reader starts to use the page (app/assets/2-site/plotly-loader.js):
drawing 342 gemeenten with plotly.js, and the renders of Dash's graph around it, were most of
the main thread's work on a map page. The poster draws the same areas in the same colours,
projected as plotly draws them (Mercator, fitted to the areas or to the zoom box), with the
same borders; areas without data get the hatch of app/assets/2-site/maps.js. Each area's path
names its code: a tap on it before plotly.js is there is the map's click on that area
(app/assets/2-site/map-poster.js). Once plotly.js has drawn the interactive map over it, the
poster is hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from html import escape

from layouts.figures.choropleth import (
    BORDER_COLOUR,
    Bounds,
    MapView,
    bounds,
    polygons_of,
)
from layouts.islands import StaticHtml

WIDTH = 1000  # viewBox units across; the drawing scales to its box (integers: 0.4 px on a phone)
NO_DATA_PAINT = "url(#mm-no-data-hatch) #c8c8c8"  # maps.js's pattern; grey until it is there
POSTER_CLASS = "mm-map-poster"
MAX_LATITUDE = 85.0  # Mercator has no y at the poles


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _path(shapes: list, project) -> str:
    """One feature's rings as SVG path data, relative moves in whole units, repeats left out."""
    parts: list[str] = []
    for polygon in shapes:
        for ring in polygon:
            previous = None
            for lon, lat, *_ in ring:
                point = project(lon, lat)
                if point == previous:
                    continue
                if previous is None:
                    parts.append(f"M{point[0]} {point[1]}")
                else:
                    parts.append(f"l{point[0] - previous[0]} {point[1] - previous[1]}")
                previous = point
            if previous is not None:
                parts.append("z")
    return "".join(parts)


def _features(geojson: dict, codes: Sequence[str]) -> Iterator[tuple[str, dict]]:
    wanted = set(codes)
    for feature in geojson.get("features", []):
        code = str(feature.get("id"))
        if code in wanted and feature.get("geometry"):
            yield code, feature["geometry"]


def poster_svg(
    geojson: dict,
    view_values: MapView,
    *,
    view: Bounds | None = None,
    border_width: float = 0.6,
) -> str | None:
    """The map of `view_values` over the features of `geojson` as an SVG element (None when
    no feature is drawn). `view` is the zoom box the figure names (None: the areas drawn),
    padded as choropleth_figure pads it."""
    unpadded = view or bounds(geojson, set(view_values.codes))
    if unpadded is None:
        return None
    box = unpadded.padded()
    west, north = _mercator(box.west, box.north)
    east, south = _mercator(box.east, box.south)
    scale = WIDTH / max(east - west, 1e-9)
    height = max(1, round((north - south) * scale))
    # plotly.js puts the box's middle latitude in degrees (its projection centre) at the middle
    # of the chart, which in Mercator lies below the middle of the projected box: the map
    # moves up by the difference
    _, middle = _mercator(0.0, (box.south + box.north) / 2)
    top = round((north - middle) * scale - height / 2)

    def project(lon: float, lat: float) -> tuple[int, int]:
        x, y = _mercator(lon, lat)
        return round((x - west) * scale), round((north - y) * scale)

    paths = []
    for code, geometry in _features(geojson, view_values.codes):
        data = _path(polygons_of(geometry), project)
        if not data:
            continue
        known = view_values.class_by_code.get(code) is not None
        fill = view_values.colour_of(code) if known else NO_DATA_PAINT
        paths.append(f'<path data-code="{escape(code)}" d="{data}" fill="{escape(fill)}"></path>')
    if not paths:
        return None
    # the inner svg clips what lies outside the box, as plotly.js clips its map to the box
    box_attributes = f'viewBox="0 {top} {WIDTH} {height}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {box_attributes}'
        ' preserveAspectRatio="xMidYMid meet" width="100%" height="100%"'
        ' aria-hidden="true" focusable="false">'
        f'<svg x="0" y="{top}" width="{WIDTH}" height="{height}" {box_attributes}>'
        f'<g fill-rule="evenodd" stroke="{escape(BORDER_COLOUR)}"'
        f' stroke-width="{border_width:g}" stroke-linejoin="round">'
        f"{''.join(paths)}</g></svg></svg>"
    )


def map_poster(
    geojson: dict | None,
    view_values: MapView,
    *,
    view: Bounds | None = None,
    basemap: str | None = None,
    border_width: float = 0.6,
) -> StaticHtml | None:
    """The poster of a map for figure_block (None over a basemap: plotly.js draws its tiles,
    which a poster cannot show, and none without areas)."""
    if basemap or not geojson:
        return None
    svg = poster_svg(geojson, view_values, view=view, border_width=border_width)
    if svg is None:
        return None
    return StaticHtml(svg, attributes={"className": POSTER_CLASS})
