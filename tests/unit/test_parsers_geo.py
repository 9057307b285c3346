"""Area boundaries: GeoJSON and TopoJSON of every known source, to valid WGS84 features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from data.catalog import load_catalog
from data.errors import SourceError
from data.formats import Normalized, RawFile, format_function
from tests.conftest import FIXTURES, shared_file

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml")
LEVEL_DATASETS = {
    "gm": "geo_gemeenten",
    "pv": "geo_provincies",
    "wk": "geo_wijken",
    "bu": "geo_buurten",
}


def run(level: str, content: bytes, name: str = "areas.geojson") -> Normalized:
    dataset = CATALOG.datasets.get(LEVEL_DATASETS.get(level, "geo_gemeenten"))
    if dataset.level != level:
        dataset = dataset.model_copy(update={"level": level})
    return format_function("geo_areas")({"main": [RawFile("main", name, content)]}, dataset)


def fixture(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def collection(*features: dict, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)}).encode()


def square(x: float, y: float, size: float = 0.1) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(properties: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def features_by_code(result: Normalized, level: str) -> dict[str, dict]:
    return {f["properties"]["code"]: f for f in result.geometry[level]["features"]}


def assert_contract(result: Normalized, level: str) -> None:
    collection_ = result.geometry[level]
    assert collection_["type"] == "FeatureCollection"
    for f in collection_["features"]:
        assert set(f["properties"]) == {"code", "name"}
        geom = shape(f["geometry"])
        assert geom.is_valid
        assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert list(result.areas.columns) == ["code", "name", "level", "parent"]


def test_geo_topojson_decodes_shared_arcs_and_picks_the_object_of_the_level():
    result = run("gm", fixture("geo/nl-gm.topo.json"), "nl-gm.topo.json")
    assert_contract(result, "gm")
    found = features_by_code(result, "gm")
    assert set(found) == {"GM0114", "GM0109"}
    emmen = shape(found["GM0114"]["geometry"])
    assert emmen.bounds == pytest.approx((6.5, 52.5, 6.6, 52.6))
    assert emmen.area == pytest.approx(0.01)
    neighbour = shape(found["GM0109"]["geometry"])
    assert emmen.intersection(neighbour).area == pytest.approx(0)  # ~arc reversed, not crossed
    assert emmen.touches(neighbour)


def test_geo_topojson_country_object_without_code_becomes_nl01():
    result = run("nl", fixture("geo/nl-gm.topo.json"))
    [country] = result.geometry["nl"]["features"]
    assert country["properties"]["code"] == "NL01"
    assert shape(country["geometry"]).area == pytest.approx(0.02)


def test_geo_topojson_without_an_object_of_the_level_is_rejected():
    with pytest.raises(SourceError, match="no object in the TopoJSON has wk codes"):
        run("wk", fixture("geo/nl-gm.topo.json"))


def test_geo_topojson_with_a_missing_arc_is_rejected():
    doc = json.loads(fixture("geo/nl-gm.topo.json"))
    doc["objects"]["gm_features"]["geometries"][0]["arcs"] = [[0, 7]]
    with pytest.raises(SourceError, match="arc 7"):
        run("gm", json.dumps(doc).encode())


def test_geo_pdok_wijkenbuurten_properties_give_wijk_code_and_name():
    result = run("wk", fixture("geo/wijken_pdok_wijkenbuurten.geojson"))
    assert_contract(result, "wk")
    areas = result.areas.set_index("code")
    assert areas.loc["WK011401"].tolist() == ["Wijk 01 Noord", "wk", "GM0114"]
    assert features_by_code(result, "wk")["WK011401"]["properties"]["name"] == "Wijk 01 Noord"


def test_geo_invalid_polygon_is_repaired_to_valid_polygonal_geometry():
    result = run("wk", fixture("geo/wijken_pdok_wijkenbuurten.geojson"))
    bowtie = shape(features_by_code(result, "wk")["WK011453"]["geometry"])
    assert bowtie.is_valid
    assert bowtie.area == pytest.approx(0.004)
    assert any("repaired for WK011453" in note for note in result.notes)


def test_geo_feature_without_geometry_keeps_its_area_but_no_feature():
    result = run("wk", fixture("geo/wijken_pdok_wijkenbuurten.geojson"))
    assert "WK011402" in set(result.areas["code"])
    assert "WK011402" not in features_by_code(result, "wk")
    assert any("no polygon for WK011402" in note for note in result.notes)


def test_geo_multipolygon_parts_are_kept():
    result = run("wk", fixture("geo/wijken_pdok_wijkenbuurten.geojson"))
    north = shape(features_by_code(result, "wk")["WK011401"]["geometry"])
    assert north.geom_type == "MultiPolygon"
    assert len(north.geoms) == 2


def test_geo_statcode_and_area_name_and_province_from_properties():
    result = run("gm", fixture("geo/gemeenten_statcode.geojson"))
    areas = result.areas.set_index("code")
    assert areas.loc["GM0114"].tolist() == ["Emmen", "gm", "PV22"]
    assert areas.loc["GM0109", "name"] == "Coevorden"
    assert areas.loc["GM0109", "parent"] is None or str(areas.loc["GM0109", "parent"]) == "<NA>"


def test_geo_provinces_have_the_country_as_parent():
    content = collection(feature({"statcode": "PV22", "name": "Drenthe"}, square(6.5, 52.8)))
    result = run("pv", content)
    assert result.areas.iloc[0].tolist() == ["PV22", "Drenthe", "pv", "NL01"]


def test_geo_buurt_parent_is_the_wijk_from_the_code():
    content = collection(
        feature({"buurtcode": "BU01140100", "buurtnaam": "Derde Kruisdiep"}, square(6.9, 52.8))
    )
    result = run("bu", content)
    assert result.areas.iloc[0].tolist() == ["BU01140100", "Derde Kruisdiep", "bu", "WK011401"]


def test_geo_rejects_rd_new_crs_with_a_clear_reason():
    rd = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    content = collection(feature({"statcode": "WK011401"}, square(256_000, 532_000, 1000)), crs=rd)
    with pytest.raises(
        SourceError,
        match=r"expected WGS84 \(EPSG:4326\) coordinates, got urn:ogc:def:crs:EPSG::28992",
    ):
        run("wk", content)


def test_geo_rejects_rd_coordinates_without_a_crs_member():
    content = collection(feature({"statcode": "WK011401"}, square(256_000, 532_000, 1000)))
    with pytest.raises(SourceError, match="expected WGS84"):
        run("wk", content)


def test_geo_rejects_swapped_latitude_and_longitude():
    content = collection(feature({"statcode": "WK011401"}, square(52.8, 6.9)))
    with pytest.raises(SourceError, match="swapped"):
        run("wk", content)


def test_geo_rejects_a_code_that_does_not_fit_the_level():
    content = collection(feature({"statcode": "GM0114"}, square(6.9, 52.8)))
    with pytest.raises(SourceError, match=r"feature 1: code 'GM0114'.*not a wk code"):
        run("wk", content)


def test_geo_rejects_points():
    content = collection(
        feature({"statcode": "BU01140100"}, {"type": "Point", "coordinates": [6.9, 52.8]})
    )
    with pytest.raises(SourceError, match="geometry type 'Point'"):
        run("bu", content)


def test_geo_rejects_an_html_page_and_broken_json():
    with pytest.raises(SourceError, match="got an HTML page, not GeoJSON"):
        run("gm", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    with pytest.raises(SourceError, match="not valid JSON"):
        run("gm", b'{"type": "FeatureCollection", "features": [')


def test_geo_rejects_an_empty_collection():
    with pytest.raises(SourceError, match="no features"):
        run("gm", collection())


def test_geo_merges_features_that_repeat_a_code():
    content = collection(
        feature({"code": "GM0114"}, square(6.9, 52.8)),
        feature({"code": "GM0114"}, square(7.0, 52.8)),
    )
    result = run("gm", content)
    [merged] = result.geometry["gm"]["features"]
    assert shape(merged["geometry"]).area == pytest.approx(0.02)
    assert any("merged" in note for note in result.notes)


def test_geo_does_not_simplify():
    ring = [[6.9 + i * 1e-5, 52.8] for i in range(1000)] + [
        [6.91, 52.81],
        [6.9, 52.81],
        [6.9, 52.8],
    ]
    content = collection(feature({"code": "GM0114"}, {"type": "Polygon", "coordinates": [ring]}))
    [found] = run("gm", content).geometry["gm"]["features"]
    assert len(found["geometry"]["coordinates"][0]) == len(ring)


def test_geo_mirror_gemeenten_2023_wijken_and_buurten():
    gemeenten = run("gm", shared_file("geo/dashboard_gemeente_2023_wgs84.geojson").read_bytes())
    assert len(gemeenten.geometry["gm"]["features"]) == 342
    assert_contract(gemeenten, "gm")
    wijken = run(
        "wk", shared_file("geo/emmen_wijken_2019_pdok_gegeneraliseerd_wgs84.geojson").read_bytes()
    )
    assert len(wijken.geometry["wk"]["features"]) == 27
    assert_contract(wijken, "wk")
    assert wijken.areas.set_index("code").loc["WK011446", "name"] == "Wijk 46 Bargeres"
    buurten = run(
        "bu", shared_file("geo/emmen_buurten_2021_cartomap_simplified_wgs84.geojson").read_bytes()
    )
    assert len(buurten.geometry["bu"]["features"]) == 83
    assert_contract(buurten, "bu")


def test_geo_mirror_topojson_matches_its_decoded_geojson():
    topo = run("gm", shared_file("geo/dashboard_nl-vr-gm_2023.topo.json").read_bytes())
    plain = run("gm", shared_file("geo/dashboard_gemeente_2023_wgs84.geojson").read_bytes())
    a = {f["properties"]["code"]: shape(f["geometry"]) for f in topo.geometry["gm"]["features"]}
    b = {f["properties"]["code"]: shape(f["geometry"]) for f in plain.geometry["gm"]["features"]}
    assert set(a) == set(b)
    emmen = shapely.symmetric_difference(a["GM0114"], b["GM0114"]).area
    assert emmen < 1e-4 * a["GM0114"].area  # the GeoJSON was rounded to 6 decimals


def test_geo_mirror_rd_file_is_rejected():
    content = shared_file("geo/emmen_wijken_2019_pdok_gegeneraliseerd_rd.geojson").read_bytes()
    with pytest.raises(SourceError, match="EPSG::28992"):
        run("wk", content)
