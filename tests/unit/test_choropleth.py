import itertools
import json
import math

import plotly.graph_objects as go
import pytest

from data.catalog import Indicator
from geo.palettes import NO_DATA_FILL, palette
from geo.registry import feature_codes
from layouts.figures.choropleth import (
    Bounds,
    bounds,
    choropleth_figure,
    clockwise,
    highlight_view,
    map_view,
    stepped_colorscale,
    tile_view_patch,
    values_patch,
    view_patch,
)


def _square(x: float, y: float, size: float = 1.0, ccw: bool = True) -> list[list[float]]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return ring if ccw else ring[::-1]


def _signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def _collection() -> dict:
    """Three areas in RFC 7946 winding (exteriors counter-clockwise); B has a hole."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "WK000001",
                "properties": {"code": "WK000001", "name": "A"},
                "geometry": {"type": "Polygon", "coordinates": [_square(6.0, 52.0)]},
            },
            {
                "type": "Feature",
                "id": "WK000002",
                "properties": {"code": "WK000002", "name": "B"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [_square(7.0, 52.0), _square(7.25, 52.25, 0.5, ccw=False)],
                },
            },
            {
                "type": "Feature",
                "id": "WK000003",
                "properties": {"code": "WK000003", "name": "C"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[_square(8.0, 52.0)], [_square(8.0, 53.5, 0.5)]],
                },
            },
        ],
    }


def _indicator(**map_spec) -> Indicator:
    return Indicator.model_validate(
        {
            "title": {"nl": "Inwoners", "en": "Inhabitants"},
            "unit": {"nl": "inwoners", "en": "inhabitants"},
            "decimals": 0,
            "definition": {"nl": "-", "en": "-"},
            "dataset": "x",
            "frequency": "year",
            "higher_is_better": None,
            "levels": ["wk"],
            **({"map": map_spec} if map_spec else {}),
        }
    )


NAMES = {"WK000001": "A", "WK000002": "B", "WK000003": "C", "WK000009": "Z"}
CODES = ["WK000001", "WK000002", "WK000003"]


def test_clockwise_turns_exteriors_clockwise_and_holes_counter_clockwise_for_d3():
    turned = clockwise(_collection())
    for feature in turned["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            assert _signed_area(polygon[0]) < 0  # exterior clockwise
            for hole in polygon[1:]:
                assert _signed_area(hole) > 0
    assert clockwise(turned) == turned  # any input winding gives the same result
    assert _collection()["features"][0]["geometry"]["coordinates"][0] == _square(6.0, 52.0)


def test_codes_and_bounds_come_from_the_features():
    collection = _collection()
    assert feature_codes(collection) == CODES
    assert feature_codes(None) == []
    assert bounds(collection) == Bounds(6.0, 52.0, 9.0, 54.0)
    assert bounds(collection, {"WK000002"}) == Bounds(7.0, 52.0, 8.0, 53.0)
    assert bounds(collection, {"nothing"}) is None


def test_stepped_colorscale_gives_each_class_index_exactly_its_colour():
    scale = stepped_colorscale(["#111111", "#222222", "#333333"])
    # with zmin -0.5 and zmax 2.5, z = i sits in the middle of band i
    for index, colour in enumerate(["#111111", "#222222", "#333333"]):
        position = (index + 0.5) / 3
        band = [
            c
            for (lo, c), (hi, _) in zip(scale[::2], scale[1::2], strict=True)
            if lo <= position <= hi
        ]
        assert band == [colour]


def test_map_view_uses_the_catalog_classification_and_marks_missing_values():
    indicator = _indicator(method="fixed", breaks=[10, 20])
    view = map_view(
        CODES, {"WK000001": 5.0, "WK000002": 25.0, "WK000003": math.nan}, NAMES, indicator, "nl"
    )
    assert view.classification.k == 3  # two fixed breaks give three classes
    assert view.colours == palette("sequential", 3)
    assert view.z == [0, 2, 3]  # the missing value gets the class after the last
    assert view.colorscale[-1] == [1.0, NO_DATA_FILL]
    assert view.zmax == 3.5
    assert view.customdata == [["5", "rang 2 van 2"], ["25", "rang 1 van 2"], ["geen gegevens", ""]]
    assert view.no_data_codes == ["WK000003"]
    assert view.colour_of("WK000003") == NO_DATA_FILL


def test_map_view_quantiles_come_from_the_catalog_spec():
    indicator = _indicator(method="quantile", classes=2)
    view = map_view(
        CODES, {"WK000001": 1.0, "WK000002": 2.0, "WK000003": 3.0}, NAMES, indicator, "nl"
    )
    assert view.classification.method == "quantile"
    assert view.classification.bounds == [(1.0, 2.0), (2.0, 3.0)]
    assert view.z == [0, 1, 1]


def test_values_without_a_polygon_are_ranked_but_not_drawn():
    indicator = _indicator(method="quantile", classes=2)
    values = {"WK000001": 1.0, "WK000002": 2.0, "WK000003": 3.0, "WK000009": 4.0}
    view = map_view(CODES, values, NAMES, indicator, "en")
    assert len(view.z) == 3
    assert view.rows[0].code == "WK000009"
    assert view.customdata[2] == ["3", "rank 2 of 4"]


def test_without_an_indicator_every_area_is_no_data():
    view = map_view(CODES, {}, NAMES, None, "nl")
    assert view.classification.k == 0
    assert view.z == [0, 0, 0]
    assert view.colorscale == [[0.0, NO_DATA_FILL], [1.0, NO_DATA_FILL]]


def test_figure_is_tile_free_svg_with_the_geometry_once_and_hover_texts():
    view = map_view(CODES, {"WK000001": 5.0}, NAMES, _indicator(), "nl")
    figure = go.Figure(choropleth_figure(_collection(), view, NAMES))  # also validates it
    assert len(figure.data) == 1
    trace = figure.data[0]
    assert isinstance(trace, go.Choropleth)
    assert list(trace.locations) == CODES
    assert list(trace.text) == ["A", "B", "C"]
    assert trace.showscale is False
    assert "inwoners" in trace.hovertemplate
    assert figure.layout.geo.visible is False
    # the box of the areas, padded, named in the figure (the poster draws the same box)
    assert figure.layout.geo.fitbounds is False
    box = bounds(_collection()).padded()
    assert tuple(figure.layout.geo.lonaxis.range) == (box.west, box.east)
    assert tuple(figure.layout.geo.lataxis.range) == (box.south, box.north)
    assert _signed_area(trace.geojson["features"][0]["geometry"]["coordinates"][0]) < 0
    assert figure.to_json().count('"features"') == 1


def test_basemap_switches_to_a_tile_map_with_that_layer():
    url = (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    )
    view = map_view(CODES, {}, NAMES, _indicator(), "nl")
    figure = go.Figure(choropleth_figure(_collection(), view, NAMES, basemap=url))
    assert isinstance(figure.data[0], go.Choroplethmap)
    assert list(figure.layout.map.layers[0].source) == [url]
    assert figure.layout.map.layers[0].below == "traces"


def test_zooming_sets_lon_lat_ranges_and_back():
    view = map_view(CODES, {}, NAMES, _indicator(), "nl")
    zoomed = go.Figure(choropleth_figure(_collection(), view, NAMES, view=Bounds(7, 52, 8, 53)))
    assert zoomed.layout.geo.fitbounds is False
    west, east = zoomed.layout.geo.lonaxis.range
    assert west < 7 < 8 < east
    patch = view_patch(None).to_plotly_json()
    assert json.dumps(patch).count("locations") == 1  # fitbounds back to the locations


def test_patch_carries_values_not_geometry():
    indicator = _indicator(method="fixed", breaks=[10, 20])
    view = map_view(CODES, {"WK000001": 5.0, "WK000002": 25.0}, NAMES, indicator, "nl")
    patch = values_patch(view).to_plotly_json()
    text = json.dumps(patch)
    assert "geojson" not in text and "coordinates" not in text
    changed = {op["location"][-1] for op in patch["operations"]}
    assert changed == {"z", "zmax", "colorscale", "customdata", "hovertemplate"}
    assert len(text) < 2_000


def test_locator_map_highlights_one_area_and_hovers_names_only():
    view = highlight_view(CODES, "WK000002")
    figure = go.Figure(choropleth_figure(_collection(), view, NAMES))
    assert view.z == [0, 1, 0]
    assert figure.data[0].hovertemplate == "<b>%{text}</b><extra></extra>"


@pytest.mark.parametrize("lang, word", [("nl", "geen gegevens"), ("en", "no data")])
def test_no_data_hover_text_is_translated(lang, word):
    view = map_view(CODES, {}, NAMES, _indicator(), lang)
    assert {row[0] for row in view.customdata} == {word}


def test_zooming_a_map_over_a_basemap_moves_its_centre_and_zoom():
    patch = tile_view_patch(Bounds(6.0, 52.5, 7.2, 53.2)).to_plotly_json()
    values = {op["location"][-1]: op["params"]["value"] for op in patch["operations"]}
    assert values["center"] == pytest.approx({"lon": 6.6, "lat": 52.85})
    assert 7 < values["zoom"] < 10  # a province, not the country (about 6) or a street
