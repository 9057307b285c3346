import json

import pandas as pd
import pytest

from data.observations import areas_frame
from geo.provinces import COUNTRY, PROVINCES
from geo.registry import (
    build_area_registry,
    children,
    level_of,
    missing_report,
    parent_chain,
    parent_from_code,
)
from tests.conftest import shared_file


def frame(rows: list[tuple]) -> pd.DataFrame:
    return areas_frame(
        [dict(zip(["code", "name", "level", "parent"], r, strict=True)) for r in rows]
    )


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("NL01", "nl"),
        ("PV22", "pv"),
        ("GM0114", "gm"),
        ("WK011401", "wk"),
        ("BU01140100", "bu"),
        ("3022", "rwzi"),
    ],
)
def test_level_is_read_from_the_code(code, level):
    assert level_of(code) == level


@pytest.mark.parametrize("code", ["GM114", "WK0114", "VR03", "bu01140100", ""])
def test_code_of_unknown_form_is_rejected(code):
    with pytest.raises(ValueError, match="no known form"):
        level_of(code)


def test_parent_is_derived_from_the_code_where_it_can_be():
    assert parent_from_code("BU01140100") == "WK011401"
    assert parent_from_code("WK011401") == "GM0114"
    assert parent_from_code("PV22") == COUNTRY
    assert parent_from_code("GM0114") is None
    assert parent_from_code("NL01") is None
    assert parent_from_code("3022") is None


def test_provinces_and_country_are_always_present_with_official_names():
    registry = build_area_registry([])
    assert list(registry["code"]) == [COUNTRY, *sorted(PROVINCES)]
    names = dict(zip(registry["code"], registry["name"], strict=True))
    assert names["PV21"] == "Fryslân"
    assert names[COUNTRY] == "Nederland"
    assert set(registry.loc[registry["level"] == "pv", "parent"]) == {COUNTRY}
    assert pd.isna(registry.loc[registry["code"] == COUNTRY, "parent"].iloc[0])


def test_one_row_per_code_first_non_null_name_wins_in_the_order_given():
    geometry = frame(
        [("WK011401", "Wijk 01 Emmen-Centrum", "wk", None), ("GM0114", None, None, None)]
    )
    values = frame(
        [
            ("WK011401", "Emmen-Centrum", "wk", None),
            ("GM0114", "Emmen", "gm", "PV22"),
            ("BU01140100", "Derde Kruisdiep", None, None),
            ("PV21", "Friesland", "pv", None),
        ]
    )
    registry = build_area_registry([geometry, values])
    assert registry["code"].is_unique
    row = registry.set_index("code")
    assert row.loc["WK011401", "name"] == "Wijk 01 Emmen-Centrum"
    assert row.loc["GM0114", "name"] == "Emmen"
    assert row.loc["PV21", "name"] == "Fryslân"
    assert row.loc["BU01140100", "parent"] == "WK011401"
    assert row.loc["BU01140100", "level"] == "bu"
    assert row.loc["WK011401", "parent"] == "GM0114"
    assert all(str(t) == "string" for t in registry.dtypes)


def test_registry_is_sorted_by_level_then_code():
    registry = build_area_registry(
        [
            frame([("3022", "Emmen", None, "GM0114"), ("BU01140100", None, None, None)]),
            frame([("GM0106", "Assen", None, "PV22"), ("WK011401", None, None, None)]),
        ]
    )
    levels = list(registry["level"])
    assert levels == sorted(levels, key=["nl", "pv", "gm", "wk", "bu", "rwzi"].index)
    assert registry.set_index("code").loc["3022", "parent"] == "GM0114"


def test_a_municipality_gets_its_province_from_any_dataset_that_gives_one():
    registry = build_area_registry(
        [frame([("GM0106", "Assen", "gm", None)]), frame([("GM0106", None, "gm", "PV22")])]
    )
    assert registry.set_index("code").loc["GM0106", "parent"] == "PV22"


def test_level_that_contradicts_the_code_is_an_error():
    with pytest.raises(ValueError, match="WK011401: level 'bu' given, code says 'wk'"):
        build_area_registry([frame([("WK011401", "x", "bu", None)])])


def test_parent_that_contradicts_the_code_is_an_error():
    with pytest.raises(ValueError, match="BU01140100: parent 'WK011402' given"):
        build_area_registry([frame([("BU01140100", "x", "bu", "WK011402")])])


def test_empty_codes_are_ignored_and_missing_columns_are_named():
    registry = build_area_registry([frame([(None, "nameless", None, None), ("", "x", None, None)])])
    assert len(registry) == 13
    with pytest.raises(ValueError, match=r"lacks columns \['parent'\]"):
        build_area_registry([pd.DataFrame({"code": ["GM0114"], "name": ["Emmen"]})])


@pytest.fixture()
def emmen_registry() -> pd.DataFrame:
    return build_area_registry(
        [
            frame(
                [
                    ("GM0114", "Emmen", "gm", "PV22"),
                    ("GM0106", "Assen", "gm", "PV22"),
                    ("WK011401", "Emmen-Centrum", "wk", None),
                    ("WK011402", "Emmen-Noord", "wk", None),
                    ("BU01140100", "Derde Kruisdiep", "bu", None),
                    ("BU01140101", "Eerste Kruisdiep", "bu", None),
                ]
            )
        ]
    )


def test_parent_chain_runs_from_buurt_up_to_the_country(emmen_registry):
    assert parent_chain(emmen_registry, "BU01140100") == ["WK011401", "GM0114", "PV22", "NL01"]
    assert parent_chain(emmen_registry, "PV22") == ["NL01"]
    assert parent_chain(emmen_registry, "NL01") == []


def test_parent_chain_of_unknown_area_names_it(emmen_registry):
    with pytest.raises(KeyError, match="GM9999"):
        parent_chain(emmen_registry, "GM9999")


def test_children_are_the_areas_one_level_down(emmen_registry):
    assert children(emmen_registry, "GM0114") == ["WK011401", "WK011402"]
    assert children(emmen_registry, "PV22") == ["GM0106", "GM0114"]
    assert children(emmen_registry, "WK011402") == []
    assert len(children(emmen_registry, "NL01")) == 12


def test_missing_report_names_areas_with_values_but_no_polygon_and_the_reverse(emmen_registry):
    report = missing_report(
        emmen_registry,
        codes_with_geometry={"WK011401", "GM0114"},
        codes_with_values=["WK011402", "WK011499", "BU01140100"],
        level="wk",
    )
    assert report.values_without_polygon == [("WK011402", "Emmen-Noord"), ("WK011499", None)]
    assert report.polygons_without_values == [("WK011401", "Emmen-Centrum")]
    assert not report.complete
    complete = missing_report(emmen_registry, ["WK011401"], ["WK011401"], "wk")
    assert complete.complete


def test_missing_report_rejects_unknown_level(emmen_registry):
    with pytest.raises(ValueError, match="unknown level"):
        missing_report(emmen_registry, [], [], "vr")


def test_emmen_wijk_polygons_and_wijk_figures_cover_the_same_27_wijken():
    geo_path = shared_file("geo/emmen_wijken_2019_pdok_gegeneraliseerd_wgs84.geojson")
    csv_path = shared_file("cbs/wijk_2021_v1_kerncijfers_GM0114_Emmen.csv")
    features = json.loads(geo_path.read_text(encoding="utf-8"))["features"]
    geometry = frame(
        [(f["properties"]["statcode"], f["properties"]["statnaam"], "wk", None) for f in features]
    )
    figures = pd.read_csv(csv_path, sep=";", dtype=str)
    values = frame([(r.WK_CODE, r.WK_NAAM, "wk", r.GM_CODE) for r in figures.itertuples()])
    province = frame([("GM0114", "Emmen", "gm", "PV22")])  # as the RIVM files say
    registry = build_area_registry([geometry, values, province])
    assert len(children(registry, "GM0114")) == 27
    report = missing_report(registry, geometry["code"], values["code"], "wk")
    assert report.complete
    assert parent_chain(registry, "WK011446") == ["GM0114", "PV22", "NL01"]
