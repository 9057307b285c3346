"""The map's poster (layouts/figures/map_poster.py): the areas of a map view as SVG paths,
in their class colours, projected and boxed as the plotly figure of the same view."""

from __future__ import annotations

import math
import re

from layouts.figures.choropleth import Bounds, bounds, choropleth_figure, map_view
from layouts.figures.map_poster import NO_DATA_PAINT, POSTER_CLASS, WIDTH, map_poster, poster_svg
from tests.unit.test_choropleth import _indicator

CODES = ["WK000001", "WK000002", "WK000003"]
NAMES = {"WK000001": "A", "WK000002": "B", "WK000003": "C"}


def _square(x: float, y: float, size: float = 1.0) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _collection() -> dict:
    """Three squares in a row at 52-53 °N; the last one with a hole."""
    holed = [_square(9, 52), _square(9.25, 52.25, 0.5)]
    geometries = [[_square(5, 52)], [_square(7, 52)], holed]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "geometry": {"type": "Polygon", "coordinates": rings}}
            for code, rings in zip(CODES, geometries, strict=True)
        ],
    }


def _view(values: dict):
    return map_view(CODES, values, NAMES, _indicator(method="fixed", breaks=[10, 20]), "nl")


def _paths(svg: str) -> list[tuple[str, str]]:
    return re.findall(r'<path data-code="[^"]+" d="([^"]+)" fill="([^"]+)">', svg)


def _view_box(svg: str) -> list[int]:
    return [int(n) for n in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]


def _mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def test_each_area_is_one_path_in_its_class_colour_and_areas_without_data_are_hatched():
    view = _view({"WK000001": 5.0, "WK000002": 25.0})
    paths = _paths(poster_svg(_collection(), view))
    assert [fill for _, fill in paths] == [
        view.colour_of("WK000001"),
        view.colour_of("WK000002"),
        NO_DATA_PAINT,
    ]
    assert view.colour_of("WK000001") != view.colour_of("WK000002")
    assert paths[2][0].count("M") == 2  # the hole is a ring of its own (drawn even-odd)
    assert 'fill-rule="evenodd"' in poster_svg(_collection(), view)
    # each path names its area (a tap on it is the map's click: map-poster.js)
    assert re.findall(r'<path data-code="([^"]+)"', poster_svg(_collection(), view)) == CODES


def test_areas_the_view_does_not_draw_are_left_out():
    view = map_view(CODES[:2], {"WK000001": 5.0}, NAMES, _indicator(), "nl")
    assert len(_paths(poster_svg(_collection(), view))) == 2


def test_the_box_is_the_padded_box_of_the_areas_in_mercator_with_north_up():
    svg = poster_svg(_collection(), _view({}))
    _, top, width, height = _view_box(svg)
    box = bounds(_collection()).padded()
    assert width == WIDTH
    expected = (_mercator_y(box.north) - _mercator_y(box.south)) / (box.east - box.west)
    assert abs(height / width - expected) < 2 / WIDTH
    # plotly.js centres the box's middle latitude (in degrees), which Mercator puts lower
    middle = (_mercator_y(box.north) - _mercator_y((box.south + box.north) / 2)) * WIDTH
    assert abs(top + height / 2 - middle / (box.east - box.west)) <= 1
    assert top > 0
    first = _paths(svg)[0][0]
    x, y = (int(n) for n in re.match(r"M(-?\d+) (-?\d+)", first).groups())
    assert x == round((5 - box.west) / (box.east - box.west) * WIDTH)  # the square's SW corner
    assert 0 < y <= height  # south of the northern edge, inside the box


def test_a_zoom_box_clips_the_drawing_to_it():
    view = _view({})
    zoom = Bounds(6.5, 51.9, 8.5, 53.1)
    svg = poster_svg(_collection(), view, view=zoom)
    outer, inner = re.findall(r'viewBox="([^"]+)"', svg)
    assert outer == inner  # the inner svg is the viewport that clips
    assert re.search(r'<svg x="0" y="-?\d+" width="1000" height="\d+"', svg)
    assert len(_paths(svg)) == 3  # areas outside are drawn, and clipped


def test_the_poster_draws_the_box_the_figure_names():
    view = _view({})
    zoom = Bounds(6.5, 51.9, 8.5, 53.1)
    for named in (None, zoom):
        geo = choropleth_figure(_collection(), view, NAMES, view=named)["layout"]["geo"]
        (west, east), (south, north) = geo["lonaxis"]["range"], geo["lataxis"]["range"]
        assert geo["fitbounds"] is False
        _, _, _, height = _view_box(poster_svg(_collection(), view, view=named))
        expected = (_mercator_y(north) - _mercator_y(south)) / (east - west) * WIDTH
        assert abs(height - expected) <= 1


def test_no_poster_over_a_basemap_or_without_areas():
    view = _view({})
    assert map_poster(_collection(), view, basemap="https://tiles/{z}/{x}/{y}.png") is None
    assert map_poster(None, view) is None
    assert map_poster({"type": "FeatureCollection", "features": []}, view) is None
    poster = map_poster(_collection(), view, border_width=1)
    assert poster.attributes == {"className": POSTER_CLASS}
    assert poster.html.startswith("<svg") and 'stroke-width="1"' in poster.html
    assert 'aria-hidden="true"' in poster.html
