import json
import re

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from geo.simplify import geojson_size_bytes, simplify_coverage, simplify_level
from tests.conftest import SHARED_DATA, unavailable

TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def _in_rd(fc: dict) -> list[shapely.Geometry]:
    def move(coords):
        x, y = TO_RD.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return [
        shapely.make_valid(shapely.transform(shape(f["geometry"]), move)) for f in fc["features"]
    ]


def _holes(geom: shapely.Geometry) -> int:
    """Interior holes; a 1 cm buffer first joins polygons that touch only at points, so that
    a gap pinched between them counts as a hole too."""
    return sum(len(p.interiors) for p in shapely.get_parts(geom.buffer(0.01, join_style="mitre")))


def coverage_metrics(fc: dict) -> dict:
    """Areas in m² (RD New): sum of polygons, their union, largest pairwise overlap, holes."""
    geoms = _in_rd(fc)
    union = shapely.union_all(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = [(i, j) for i, j in zip(left, right, strict=True) if i < j]
    overlaps = [shapely.intersection(geoms[i], geoms[j]).area for i, j in pairs]
    return {
        "sum": sum(g.area for g in geoms),
        "union": union.area,
        "max_overlap": max(overlaps, default=0.0),
        "holes": _holes(union),
    }


def assert_clean_coverage(before: dict, after: dict, max_overlap_m2: float = 1.0) -> None:
    codes_before = [f["properties"]["code"] for f in before["features"]]
    assert [f["properties"]["code"] for f in after["features"]] == codes_before
    for feature in after["features"]:
        geom = shape(feature["geometry"])
        assert geom.is_valid, feature["id"]
        assert not geom.is_empty, feature["id"]
    m_before, m_after = coverage_metrics(before), coverage_metrics(after)
    assert m_after["union"] == pytest.approx(m_after["sum"], rel=1e-3)
    assert m_after["max_overlap"] <= max_overlap_m2
    assert m_after["holes"] <= m_before["holes"]
    assert shapely.coverage_is_valid(_in_rd(after))


def rd_coverage(polygons: dict[str, shapely.Polygon]) -> dict:
    """A WGS84 FeatureCollection from polygons drawn in RD New metres."""

    def move(coords):
        x, y = TO_WGS84.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "name": f"Area {code}"},
                "geometry": mapping(shapely.transform(poly, move)),
            }
            for code, poly in polygons.items()
        ],
    }


def jagged_squares() -> dict:
    """Three 1 km squares near Emmen; A and B share a saw-tooth edge (2 m teeth every 10 m)."""
    x0, y0 = 255_000.0, 530_000.0
    teeth = [(x0 + 1000 + (2.0 if i % 2 else 0.0), y0 + 1000 - 10.0 * i) for i in range(101)]
    a = shapely.Polygon([(x0, y0 + 1000), *teeth, (x0, y0)])
    b = shapely.Polygon([*teeth, (x0 + 2000, y0), (x0 + 2000, y0 + 1000)])
    c = shapely.box(x0, y0 - 1000, x0 + 2000, y0)
    return rd_coverage({"BU01140001": a, "BU01140002": b, "BU01140003": c})


def load_mirror(name: str, code_key: str, name_key: str | None = None) -> dict:
    path = SHARED_DATA / "geo" / name
    if not path.exists():
        unavailable(f"{path} is not present")
    fc = json.loads(path.read_text(encoding="utf-8"))
    for feature in fc["features"]:
        props = feature["properties"]
        feature["properties"] = {
            "code": props[code_key],
            "name": props.get(name_key) if name_key else None,
        }
    return fc


def test_jagged_shared_edge_is_simplified_once_and_stays_shared():
    before = jagged_squares()
    after = simplify_coverage(before, tolerance_m=10, decimals=6)
    assert_clean_coverage(before, after, max_overlap_m2=0.01)
    a, b = (shape(f["geometry"]) for f in after["features"][:2])
    assert shapely.get_num_coordinates(a) < 20  # the 101 teeth are gone
    shared = shapely.intersection(a, b)
    assert shared.geom_type in ("LineString", "MultiLineString")  # a border, not an area
    # both sides hold the same vertices along the shared border
    border_a = {
        tuple(p) for p in shapely.get_coordinates(a) if shapely.intersects(b, shapely.Point(p))
    }
    border_b = {
        tuple(p) for p in shapely.get_coordinates(b) if shapely.intersects(a, shapely.Point(p))
    }
    assert border_a == border_b


def test_coverage_check_catches_a_border_simplified_on_one_side_only():
    before = jagged_squares()
    one_sided = json.loads(json.dumps(before))
    first = one_sided["features"][0]
    first["geometry"] = mapping(shapely.simplify(shape(first["geometry"]), 1e-4))
    assert coverage_metrics(one_sided)["holes"] > coverage_metrics(before)["holes"]
    assert not shapely.coverage_is_valid(_in_rd(one_sided))


def test_output_is_minimal_geojson_with_code_as_id_and_ccw_exteriors():
    before = jagged_squares()
    before["features"][0]["properties"]["extra"] = "dropped"
    after = simplify_coverage(before, tolerance_m=5, decimals=5)
    assert set(after) == {"type", "features"}
    for feature in after["features"]:
        assert set(feature) == {"type", "id", "properties", "geometry"}
        assert set(feature["properties"]) == {"code", "name"}
        assert feature["id"] == feature["properties"]["code"]
        for polygon in shapely.get_parts(shape(feature["geometry"])):
            assert polygon.exterior.is_ccw
    assert after["features"][0]["properties"]["name"] == "Area BU01140001"


def test_coordinates_are_rounded_to_the_requested_decimals():
    after = simplify_coverage(jagged_squares(), tolerance_m=5, decimals=4)
    text = json.dumps(after)
    numbers = re.findall(r"-?\d+\.(\d+)", text)
    assert numbers
    assert max(len(digits) for digits in numbers) <= 4


def test_invalid_polygon_is_made_valid_first():
    bowtie = shapely.Polygon([(6.90, 52.80), (6.91, 52.81), (6.91, 52.80), (6.90, 52.81)])
    square = shapely.box(6.92, 52.80, 6.93, 52.81)
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": code}, "geometry": mapping(geom)}
            for code, geom in (("GM0001", bowtie), ("GM0002", square))
        ],
    }
    assert not bowtie.is_valid
    after = simplify_coverage(fc, tolerance_m=1, decimals=6)
    assert [f["id"] for f in after["features"]] == ["GM0001", "GM0002"]
    assert all(shape(f["geometry"]).is_valid for f in after["features"])
    assert after["features"][0]["properties"]["name"] is None


def test_feature_without_code_or_with_duplicate_code_is_rejected():
    fc = jagged_squares()
    fc["features"][1]["properties"]["code"] = fc["features"][0]["properties"]["code"]
    with pytest.raises(ValueError, match="more than once"):
        simplify_coverage(fc, 5, 5)
    del fc["features"][1]["properties"]["code"]
    with pytest.raises(ValueError, match="feature 1 has no 'code'"):
        simplify_coverage(fc, 5, 5)


def test_feature_that_would_vanish_raises_instead_of_being_dropped():
    fc = rd_coverage(
        {
            "BU01140001": shapely.box(255_000, 530_000, 255_000.5, 530_000.5),
            "BU01140002": shapely.box(255_000.5, 530_000, 256_000, 530_000.5),
        }
    )
    with pytest.raises(ValueError, match="BU01140001 vanished"):
        simplify_coverage(fc, tolerance_m=0, decimals=3)


def test_geojson_size_is_compact_utf8_json():
    fc = {"type": "FeatureCollection", "features": [{"properties": {"name": "Fryslân"}}]}
    expected = '{"type":"FeatureCollection","features":[{"properties":{"name":"Fryslân"}}]}'
    assert geojson_size_bytes(fc) == len(expected.encode("utf-8"))


def test_unknown_level_has_no_defaults():
    with pytest.raises(ValueError, match="no simplification defaults"):
        simplify_level(jagged_squares(), "vr")


# Real mirror files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def municipalities_2023() -> dict:
    return load_mirror("dashboard_gemeente_2023_wgs84.geojson", "code")


def test_all_342_municipalities_simplify_to_under_400_kb_as_a_clean_coverage(municipalities_2023):
    before = municipalities_2023
    assert not all(shape(f["geometry"]).is_valid for f in before["features"])  # GM0852
    after = simplify_level(before, "gm")
    assert len(after["features"]) == 342
    assert geojson_size_bytes(after) < 400 * 1024
    assert_clean_coverage(before, after)
    m_before, m_after = coverage_metrics(before), coverage_metrics(after)
    assert m_after["union"] == pytest.approx(m_before["union"], rel=2e-3)


def test_emmen_wijken_simplify_to_under_150_kb_as_a_clean_coverage():
    before = load_mirror(
        "emmen_wijken_2019_pdok_gegeneraliseerd_wgs84.geojson", "statcode", "statnaam"
    )
    after = simplify_level(before, "wk")
    assert len(after["features"]) == 27
    assert geojson_size_bytes(after) < 150 * 1024
    assert_clean_coverage(before, after)
    assert coverage_metrics(after)["holes"] == 0
    names = {f["id"]: f["properties"]["name"] for f in after["features"]}
    assert names["WK011446"] == "Wijk 46 Bargeres"


def test_emmen_buurten_simplify_to_under_150_kb_as_a_clean_coverage():
    before = load_mirror(
        "emmen_buurten_2021_cartomap_simplified_wgs84.geojson", "statcode", "statnaam"
    )
    after = simplify_level(before, "bu")
    assert len(after["features"]) == 83
    assert geojson_size_bytes(after) < 150 * 1024
    assert_clean_coverage(before, after)


@pytest.mark.parametrize(
    ("name", "code_key", "level", "max_shift_m"),
    [
        ("dashboard_gemeente_2023_wgs84.geojson", "code", "gm", 150),
        ("emmen_wijken_2019_pdok_gegeneraliseerd_wgs84.geojson", "statcode", "wk", 15),
        ("emmen_buurten_2021_cartomap_simplified_wgs84.geojson", "statcode", "bu", 10),
    ],
)
def test_simplified_borders_stay_close_to_the_originals(name, code_key, level, max_shift_m):
    before = load_mirror(name, code_key)
    after = simplify_level(before, level)
    for b, a in zip(_in_rd(before), _in_rd(after), strict=True):
        assert shapely.hausdorff_distance(shapely.make_valid(b), a) <= max_shift_m
