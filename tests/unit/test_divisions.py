import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from data.observations import areas_frame, frame
from data.yamlfile import YamlProblems
from geo.divisions import (
    Change,
    load_changes,
    main_successor,
    recode_areas,
    successors,
    to_division,
    to_division_weighted,
)
from tests.conftest import SHARED_DATA, unavailable

KERNCIJFERS_2020 = SHARED_DATA / "cbs" / "70072NED_regionale_kerncijfers_gemeenten_2020.csv.gz"
GEMEENTEN_2023 = SHARED_DATA / "lookup" / "gemeenten_2023_province_vr.csv"
POLYGONS_2021 = SHARED_DATA / "geo" / "gemeente_2021_cbs_gegeneraliseerd_wgs84.geojson"
POLYGONS_2023 = SHARED_DATA / "geo" / "dashboard_gemeente_2023_wgs84.geojson"


def need(*paths):
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        unavailable(f"shared data not available: {missing}")


@pytest.fixture(scope="module")
def changes() -> list[Change]:
    return load_changes()


@pytest.fixture(scope="module")
def population_2020() -> pd.DataFrame:
    need(KERNCIJFERS_2020)
    raw = pd.read_csv(
        KERNCIJFERS_2020,
        sep=";",
        encoding="utf-8-sig",
        usecols=["RegioS", "TotaleBevolking_1"],
        dtype=str,
    )
    value = pd.to_numeric(raw["TotaleBevolking_1"].str.strip(), errors="coerce")
    rows = raw[value.notna()]
    return frame(
        ["population"] * len(rows),
        rows["RegioS"].str.strip().tolist(),
        [dt.date(2020, 1, 1)] * len(rows),
        value[value.notna()].tolist(),
    )


def codes_2023() -> set[str]:
    need(GEMEENTEN_2023)
    return set(pd.read_csv(GEMEENTEN_2023, sep=";")["Municipality_code"])


def polygons(path) -> dict[str, shapely.Geometry]:
    need(path)
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    key = "statcode" if "statcode" in features[0]["properties"] else "code"
    return {f["properties"][key]: shapely.make_valid(shape(f["geometry"])) for f in features}


def test_changes_file_lists_every_dissolved_municipality_once(changes):
    dissolved = {c.old for c in changes}
    assert len(dissolved) == 52
    assert "GM0114" not in dissolved | {c.new for c in changes}
    by_date = {}
    for c in changes:
        by_date.setdefault(c.date, set()).add(c.old)
    assert {d: len(s) for d, s in by_date.items()} == {
        dt.date(2019, 1, 1): 34,  # 380 -> 355 municipalities with 9 new codes
        dt.date(2021, 1, 1): 4,  # 355 -> 352 with 1 new code
        dt.date(2022, 1, 1): 10,  # 352 -> 345 with 3 new codes
        dt.date(2022, 3, 24): 1,
        dt.date(2023, 1, 1): 3,
    }


def test_split_shares_sum_to_one(changes):
    for old in ("GM0788", "GM0053"):
        assert sum(c.share for c in changes if c.old == old) == pytest.approx(1.0)


def test_successors_follow_mergers_splits_and_dates(changes):
    assert successors("GM0114", changes, "2023-01-01") == {"GM0114": 1.0}
    assert successors("GM0003", changes, "2023-01-01") == {"GM1979": 1.0}
    assert successors("GM0003", changes, "2020-12-31") == {"GM0003": 1.0}
    assert successors("GM0457", changes, "2022-03-23") == {"GM0457": 1.0}
    assert successors("GM0457", changes, "2022-03-24") == {"GM0363": 1.0}
    haaren = successors("GM0788", changes, "2023-01-01")
    assert set(haaren) == {"GM0757", "GM0824", "GM0855", "GM0865"}
    assert sum(haaren.values()) == pytest.approx(1.0)


def test_successors_follow_a_chain_of_changes():
    chain = [
        Change(dt.date(2019, 1, 1), "GM0001", "GM0002", 0.25),
        Change(dt.date(2019, 1, 1), "GM0001", "GM0003", 0.75),
        Change(dt.date(2021, 1, 1), "GM0003", "GM0004"),
        Change(dt.date(2021, 1, 1), "GM0002", "GM0004"),
    ]
    assert successors("GM0001", chain, "2020-01-01") == {"GM0002": 0.25, "GM0003": 0.75}
    assert successors("GM0001", chain, "2021-01-01") == {"GM0004": 1.0}


def test_population_2020_mapped_to_2023_division_gives_the_342_municipalities(
    changes, population_2020
):
    assert population_2020["area"].nunique() == 355
    mapped = to_division(population_2020, changes, dt.date(2023, 1, 1))
    assert set(mapped["area"]) == codes_2023()
    assert len(mapped) == 342
    assert mapped["value"].sum() == pytest.approx(population_2020["value"].sum(), rel=1e-12)
    assert list(mapped.columns) == list(population_2020.columns)
    value = mapped.set_index("area")["value"]
    assert value["GM0114"] == 107_048
    assert value["GM1979"] == 11_642 + 24_678 + 9_537  # Appingedam, Delfzijl, Loppersum
    assert (mapped["period"] == pd.Timestamp("2020-01-01")).all()


def test_population_2020_mapped_to_2021_division_matches_the_2021_polygons(
    changes, population_2020
):
    mapped = to_division(population_2020, changes, "2021-01-01")
    assert set(mapped["area"]) == set(polygons(POLYGONS_2021))


def test_new_2019_codes_have_2020_figures_and_old_ones_do_not(changes, population_2020):
    codes_2020 = set(population_2020["area"])
    in_2019 = [c for c in changes if c.date == dt.date(2019, 1, 1)]
    assert {c.new for c in in_2019} <= codes_2020
    assert not {c.old for c in in_2019} & codes_2020
    later = [c for c in changes if c.date > dt.date(2019, 1, 1)]
    assert {c.old for c in later} <= codes_2020


def test_dissolved_2021_polygons_lie_in_their_2023_successor(changes):
    before, after = polygons(POLYGONS_2021), polygons(POLYGONS_2023)
    tested = 0
    for c in changes:
        if c.date > dt.date(2021, 1, 1) and c.share == 1.0:
            point = before[c.old].point_on_surface()
            assert after[c.new].contains(point), (c.old, c.new)
            tested += 1
    assert tested == 14


def test_missing_value_in_a_part_makes_the_sum_missing(changes):
    obs = frame(
        ["population"] * 3,
        ["GM0003", "GM0010", "GM0024"],
        ["2020-01-01"] * 3,
        [100.0, np.nan, 50.0],
    )
    mapped = to_division(obs, changes, "2023-01-01")
    assert list(mapped["area"]) == ["GM1979"]
    assert mapped["value"].isna().all()


def test_other_columns_are_kept_apart_and_other_levels_pass_through(changes):
    obs = frame(
        ["a", "a", "b", "a", "a"],
        ["GM0003", "GM0010", "GM0003", "PV20", "GM0003"],
        ["2020-01-01", "2020-01-01", "2020-01-01", "2020-01-01", "2021-01-01"],
        [1.0, 2.0, 4.0, 8.0, 16.0],
    )
    mapped = to_division(obs, changes, "2023-01-01")
    got = {(r.indicator, r.area, str(r.period.date())): r.value for r in mapped.itertuples()}
    assert got == {
        ("a", "GM1979", "2020-01-01"): 3.0,
        ("a", "GM1979", "2021-01-01"): 16.0,
        ("a", "PV20", "2020-01-01"): 8.0,
        ("b", "GM1979", "2020-01-01"): 4.0,
    }


def test_split_divides_figures_by_share(changes):
    obs = frame(["population"], ["GM0788"], ["2020-01-01"], [10_000.0])
    mapped = to_division(obs, changes, "2021-01-01").set_index("area")["value"]
    assert mapped.to_dict() == pytest.approx(
        {"GM0757": 1501.0, "GM0824": 4076.0, "GM0855": 1008.0, "GM0865": 3415.0}
    )


def test_nothing_changes_before_the_first_change_date(changes):
    obs = frame(["population"], ["GM0003"], ["2018-01-01"], [1.0])
    pd.testing.assert_frame_equal(
        to_division(obs, changes, "2018-12-31"), obs, check_dtype=False, check_categorical=False
    )


def write(tmp_path, text: str):
    path = tmp_path / "changes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shares_that_do_not_sum_to_one_are_rejected_with_the_line(tmp_path):
    path = write(
        tmp_path,
        """schema_version: 1
splits:
  - date: 2021-01-01
    old: {code: GM0788, name: Haaren}
    successors:
      - {code: GM0757, name: Boxtel, share: 0.5}
      - {code: GM0824, name: Oisterwijk, share: 0.4}
""",
    )
    with pytest.raises(
        YamlProblems, match=r"changes.yaml:3 splits\[0\]: shares of GM0788 sum to 0.9"
    ):
        load_changes(path)


def test_malformed_code_and_unknown_field_are_rejected(tmp_path):
    path = write(
        tmp_path,
        """schema_version: 1
mergers:
  - date: 2021-01-01
    new: {code: GM197, name: Eemsdelta}
    old: [{code: GM0003, name: Appingedam, inhabitants: 11642}]
""",
    )
    with pytest.raises(YamlProblems) as err:
        load_changes(path)
    fields = {p.field for p in err.value.problems}
    assert fields == {"mergers[0].new.code", "mergers[0].old[0].inhabitants"}


def test_municipality_dissolved_twice_is_rejected(tmp_path):
    path = write(
        tmp_path,
        """schema_version: 1
mergers:
  - date: 2021-01-01
    new: {code: GM1979, name: Eemsdelta}
    old: [{code: GM0003, name: Appingedam}]
  - date: 2022-01-01
    new: {code: GM1980, name: Dijk en Waard}
    old: [{code: GM0003, name: Appingedam}]
""",
    )
    with pytest.raises(YamlProblems, match="GM0003 is dissolved on two dates"):
        load_changes(path)


# ------------------------------------------------------------------------------------------
# things that cannot be summed: plants, registry rows, shares and rates


def test_main_successor_of_a_split_is_the_largest_share(changes):
    assert main_successor("GM0788", changes, "2023-01-01") == "GM0824"  # Haaren -> Oisterwijk
    assert main_successor("GM0010", changes, "2023-01-01") == "GM1979"
    assert main_successor("GM0530", changes, "2022-12-31") == "GM0530"  # not yet merged
    assert main_successor("GM0114", changes, "2023-01-01") == "GM0114"


def test_recode_areas_drops_dissolved_municipalities_and_moves_plant_parents(changes):
    areas = areas_frame(
        [
            {"code": "GM0010", "name": None, "level": "gm", "parent": "PV20"},
            {"code": "GM1979", "name": "Eemsdelta", "level": "gm", "parent": "PV20"},
            {"code": "1044", "name": "Delfzijl", "level": "rwzi", "parent": "GM0010"},
            {"code": "3022", "name": "Emmen", "level": "rwzi", "parent": "GM0114"},
        ]
    )
    out = recode_areas(areas, changes, "2023-01-01").set_index("code")
    assert list(out.index) == ["GM1979", "1044", "3022"]
    assert out.loc["1044", "parent"] == "GM1979"
    assert out.loc["3022", "parent"] == "GM0114"


def test_rates_of_merged_municipalities_become_their_population_weighted_mean(changes):
    obs = frame(
        ["pct"] * 4,
        ["GM0398", "GM0416", "GM0363", "GM0457"],  # Heerhugowaard, Langedijk; Amsterdam, Weesp
        ["2021-11-08"] * 4,
        [80.0, 90.0, 70.0, 60.0],
    )
    weights = pd.Series({"GM0398": 3000.0, "GM0416": 1000.0, "GM0363": 900.0, "GM0457": 100.0})
    mapped = to_division_weighted(obs, changes, "2023-01-01", weights).set_index("area")
    assert mapped["value"].to_dict() == pytest.approx(
        {"GM1980": (80 * 3000 + 90 * 1000) / 4000, "GM0363": (70 * 900 + 60 * 100) / 1000}
    )


def test_weighted_recoding_keeps_single_parts_and_misses_parts_without_weight(changes):
    obs = frame(
        ["pct"] * 4,
        ["GM1980", "GM0114", "GM0501", "GM0530"],
        ["2022-03-14"] * 4,
        [85.0, 87.0, 90.0, 91.0],
    )
    weights = pd.Series({"GM0501": 17_000.0})  # Hellevoetsluis has none
    mapped = to_division_weighted(obs, changes, "2023-01-01", weights).set_index("area")
    assert mapped.loc["GM1980", "value"] == 85.0  # one part, no weight needed
    assert mapped.loc["GM0114", "value"] == 87.0
    assert np.isnan(mapped.loc["GM1992", "value"])
