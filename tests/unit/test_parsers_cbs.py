"""CBS formats: StatLine typed CSV and OData JSON, and the wijk- en buurtkaart (ZIP or CSV)."""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from data.catalog import load_catalog
from data.errors import SourceError
from data.formats import Normalized, RawFile, format_function
from tests.conftest import FIXTURES, shared_file

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml")


def fixture(relative: str) -> RawFile:
    return RawFile("main", relative, (FIXTURES / relative).read_bytes())


def run(dataset_id: str, raw: RawFile, **changes) -> Normalized:
    dataset = CATALOG.datasets[dataset_id]
    if changes:
        dataset = dataset.model_copy(update=changes)
    return format_function(dataset.format)({"main": [raw]}, dataset)


def value(result: Normalized, indicator: str, area: str) -> float:
    obs = result.observations
    [found] = obs.loc[(obs["indicator"] == indicator) & (obs["area"] == area), "value"]
    return found


def odata(records: list[dict], **extra) -> RawFile:
    doc = {"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/x/$metadata", **extra}
    doc["value"] = records
    return RawFile("main", "odata.json", json.dumps(doc).encode())


# ------------------------------------------------------------------------------------------
# 70072NED


def test_regional_key_figures_typed_csv_gives_population_per_municipality():
    result = run("cbs_regional_key_figures", fixture("cbs/70072NED_typed.csv"))
    obs = result.observations
    assert set(obs["indicator"]) == {"population"}
    assert value(result, "population", "GM0114") == 107_000
    assert set(obs["period"]) == {pd.Timestamp("2020-01-01")}


def test_regional_key_figures_skips_municipalities_without_data():
    result = run("cbs_regional_key_figures", fixture("cbs/70072NED_typed.csv"))
    assert "GM0005" not in set(result.observations["area"])
    assert any("1 municipality rows" in note for note in result.notes)


def test_regional_key_figures_odata_json_with_padded_codes():
    result = run("cbs_regional_key_figures", fixture("cbs/70072NED_odata.json"))
    assert set(result.observations["area"]) == {"GM0106", "GM0114"}
    assert value(result, "population", "GM0114") == 107_000
    assert result.areas.set_index("code").loc["GM0114", "parent"] == "PV22"


def test_regional_key_figures_areas_take_the_province_from_the_code_column():
    result = run("cbs_regional_key_figures", fixture("cbs/70072NED_typed.csv"))
    areas = result.areas.set_index("code")
    assert areas.loc["GM0200", "parent"] == "PV25"
    assert areas.loc["GM0114", "level"] == "gm"
    assert pd.isna(areas.loc["GM0114", "name"])


def test_regional_key_figures_accepts_another_years_column_number():
    records = [{"RegioS": "GM0114  ", "Perioden": "2023JJ00", "TotaleBevolking_7": 110_000}]
    result = run("cbs_regional_key_figures", odata(records))
    assert value(result, "population", "GM0114") == 110_000
    assert result.observations["period"][0] == pd.Timestamp("2023-01-01")


def test_regional_key_figures_rejects_a_quarter_period():
    records = [{"RegioS": "GM0114", "Perioden": "2020KW01", "TotaleBevolking_1": 1}]
    with pytest.raises(SourceError, match="record 1: '2020KW01'"):
        run("cbs_regional_key_figures", odata(records))


def test_odata_rejects_a_paged_response():
    records = [{"RegioS": "GM0114", "Perioden": "2020JJ00", "TotaleBevolking_1": 1}]
    with pytest.raises(SourceError, match="nextLink"):
        run("cbs_regional_key_figures", odata(records, **{"odata.nextLink": "https://x?$skip=1"}))


def test_odata_rejects_broken_json_with_its_position():
    raw = RawFile("main", "odata.json", b'{"value": [{"RegioS": "GM0114",')
    with pytest.raises(SourceError, match="not valid JSON"):
        run("cbs_regional_key_figures", raw)


def test_odata_rejects_a_text_where_a_number_belongs():
    records = [{"RegioS": "GM0114", "Perioden": "2020JJ00", "TotaleBevolking_1": "veel"}]
    with pytest.raises(SourceError, match="TotaleBevolking_1, record 1: 'veel' is not a number"):
        run("cbs_regional_key_figures", odata(records))


def test_odata_rejects_an_html_page():
    raw = RawFile("main", "odata.json", b"<!DOCTYPE html><html><body>Maintenance</body></html>")
    with pytest.raises(SourceError, match="got an HTML page"):
        run("cbs_regional_key_figures", raw)


def test_regional_key_figures_mirror_emmen_2020():
    raw = RawFile(
        "main",
        "70072",
        shared_file("cbs/70072NED_regionale_kerncijfers_gemeenten_2020.csv.gz").read_bytes(),
    )
    result = run("cbs_regional_key_figures", raw)
    assert len(result.observations) == 355
    assert value(result, "population", "GM0114") == 107_048
    assert result.areas.set_index("code").loc["GM0114", "parent"] == "PV22"


# ------------------------------------------------------------------------------------------
# Kerncijfers wijken en buurten (StatLine)


def test_kwb_statline_odata_keeps_gemeente_wijk_and_buurt_rows_without_names():
    result = run("cbs_kwb_2024", fixture("cbs/kwb_85984NED_odata.json"))
    areas = result.areas.set_index("code")
    assert list(areas.index) == ["GM0114", "WK011401", "BU01140100"]
    assert areas["level"].tolist() == ["gm", "wk", "bu"]
    assert areas["parent"].tolist()[1:] == ["GM0114", "WK011401"]
    assert areas["name"].isna().all()
    assert pd.isna(areas.loc["GM0114", "parent"])


def test_kwb_statline_period_comes_from_the_catalog():
    result = run("cbs_kwb_2024", fixture("cbs/kwb_85984NED_odata.json"))
    assert set(result.observations["period"]) == {pd.Timestamp("2024-01-01")}
    with pytest.raises(SourceError, match="period"):
        run("cbs_kwb_2024", fixture("cbs/kwb_85984NED_odata.json"), period=None)


def test_kwb_statline_maps_keys_by_prefix_and_keeps_null_as_nan():
    result = run("cbs_kwb_2024", fixture("cbs/kwb_85984NED_odata.json"))
    assert value(result, "population", "BU01140100") == 25
    assert math.isnan(value(result, "men", "BU01140100"))
    assert value(result, "urbanity", "WK011401") == 5
    assert value(result, "address_density", "GM0114") == 850
    assert value(result, "household_size", "WK011401") == 2.3
    assert value(result, "households", "GM0114") == 50_000


def test_kwb_statline_skips_the_country_and_areas_without_any_value():
    result = run("cbs_kwb_2024", fixture("cbs/kwb_85984NED_odata.json"))
    areas = set(result.observations["area"])
    assert "NL00" not in areas
    assert "BU01149999" not in areas


def test_kwb_statline_skips_single_person_households_when_it_is_a_count():
    result = run("cbs_kwb_2024", fixture("cbs/kwb_85984NED_odata.json"))
    assert "single_person_households_pct" not in set(result.observations["indicator"])
    assert any("Eenpersoonshuishoudens_29 is not a percentage" in n for n in result.notes)


def test_kwb_statline_takes_single_person_households_when_it_is_a_percentage():
    result = run("cbs_kwb_2024", fixture("cbs/kwb_84799NED_percentages.csv"))
    assert value(result, "single_person_households_pct", "GM0114") == 35
    assert value(result, "single_person_households_pct", "WK011401") == 27


def test_kwb_statline_typed_csv_with_dot_as_missing():
    result = run("cbs_kwb_2024", fixture("cbs/kwb_statline_typed.csv"))
    assert value(result, "population", "WK011453") == 30
    assert math.isnan(value(result, "population_density", "WK011453"))


def test_kwb_statline_rejects_a_region_code_of_another_kind():
    records = [{"WijkenEnBuurten": "LD01      ", "AantalInwoners_5": 1}]
    with pytest.raises(SourceError, match="record 1: 'LD01'"):
        run("cbs_kwb_2024", odata(records))


def test_kwb_statline_mirror_emmen_2024():
    entry = CATALOG.datasets["cbs_kwb_2024"].files[0]
    result = run(
        "cbs_kwb_2024", RawFile("main", entry.mirror, shared_file(entry.mirror).read_bytes())
    )
    obs = result.observations
    population = obs[obs["indicator"] == "population"]
    assert value(result, "population", "GM0114") == 109_346
    assert population.loc[population["area"].str.startswith("WK"), "value"].sum() == 109_345
    assert set(obs["indicator"]) == {
        "population",
        "men",
        "women",
        "population_density",
        "dwellings",
        "area_total",
        "area_land",
        "area_water",
    }


# ------------------------------------------------------------------------------------------
# wijk- en buurtkaart


def test_kwb_shapefile_csv_form_maps_columns_and_keeps_confidential_values_as_nan():
    result = run("cbs_wijk_2021", fixture("cbs/kwb_wijk_dbf.csv"))
    assert value(result, "population", "WK011401") == 3400
    assert value(result, "household_size", "WK011401") == 2.4
    assert math.isnan(value(result, "age_0_14_pct", "WK011453"))  # -99999999
    assert math.isnan(value(result, "household_size", "WK011453"))  # -99999997.0
    assert set(result.observations["period"]) == {pd.Timestamp("2021-01-01")}


def test_kwb_shapefile_keeps_only_the_home_municipality():
    result = run("cbs_wijk_2021", fixture("cbs/kwb_wijk_dbf.csv"))
    assert CATALOG.datasets["cbs_wijk_2021"].area == "GM0114"
    assert set(result.observations["area"]) == {"WK011401", "WK011453"}
    assert any("1 wijk rows outside GM0114" in note for note in result.notes)


def test_kwb_shapefile_keeps_the_wijken_of_another_home_municipality():
    other = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml", "GM0109")
    assert other.datasets["cbs_wijk_2021"].area == "GM0109"
    result = run("cbs_wijk_2021", fixture("cbs/kwb_wijk_dbf.csv"), area="GM0109")
    assert set(result.observations["area"]) == {"WK010901"}
    assert any("2 wijk rows outside GM0109" in note for note in result.notes)


def test_kwb_shapefile_areas_have_the_name_as_given_and_the_gemeente_as_parent():
    result = run("cbs_wijk_2021", fixture("cbs/kwb_wijk_dbf.csv"))
    areas = result.areas.set_index("code")
    assert areas.loc["WK011401"].tolist() == ["Wijk 01 Noord", "wk", "GM0114"]


def test_kwb_shapefile_notes_columns_that_this_version_lacks():
    result = run("cbs_wijk_2021", fixture("cbs/kwb_wijk_dbf.csv"))
    assert any("P_WEST_AL" in note for note in result.notes)


def test_kwb_shapefile_rejects_a_wijk_outside_its_gemeente():
    content = (FIXTURES / "cbs/kwb_wijk_dbf.csv").read_bytes().replace(b"WK011453", b"WK010953")
    with pytest.raises(
        SourceError, match="line 3: WK_CODE WK010953 does not lie in GM_CODE GM0114"
    ):
        run("cbs_wijk_2021", RawFile("main", "k.csv", content))


def _kwb_zip(tmp_path: Path, with_buurt: bool = True) -> bytes:
    wijken = gpd.GeoDataFrame(
        {
            "WK_CODE": ["WK011401", "WK010901"],
            "WK_NAAM": ["Wijk 01 Noord", "Wijk 01 Elders"],
            "GM_CODE": ["GM0114", "GM0109"],
            "AANT_INW": [3400, 5000],
            "P_00_14_JR": [-99999999, 16],
            "JAAR": [2021, 2021],
        },
        geometry=[box(250_000, 530_000, 260_000, 540_000), box(240_000, 520_000, 250_000, 530_000)],
        crs="EPSG:28992",
    )
    folder = tmp_path / "WijkBuurtkaart_2021_v1"
    folder.mkdir()
    wijken.to_file(folder / "wijk_2021_v1.shp")
    if with_buurt:
        buurten = gpd.GeoDataFrame(
            {
                "BU_CODE": ["BU01140100"],
                "BU_NAAM": ["Derde Kruisdiep"],
                "WK_CODE": ["WK011401"],
                "GM_CODE": ["GM0114"],
                "AANT_INW": [25],
                "JAAR": [2021],
            },
            geometry=[box(250_000, 530_000, 251_000, 531_000)],
            crs="EPSG:28992",
        )
        buurten.to_file(folder / "buurt_2021_v1.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{folder.name}/{path.name}")
    return buffer.getvalue()


def test_kwb_shapefile_reads_the_wijk_and_buurt_layers_from_the_zip(tmp_path):
    result = run("cbs_wijk_2021", RawFile("main", "kwb.zip", _kwb_zip(tmp_path)))
    assert value(result, "population", "WK011401") == 3400
    assert math.isnan(value(result, "age_0_14_pct", "WK011401"))
    assert value(result, "population", "BU01140100") == 25
    areas = result.areas.set_index("code")
    assert areas.loc["BU01140100"].tolist() == ["Derde Kruisdiep", "bu", "WK011401"]
    assert "WK010901" not in areas.index


def test_kwb_shapefile_rejects_a_truncated_zip(tmp_path):
    content = _kwb_zip(tmp_path, with_buurt=False)
    with pytest.raises(SourceError, match="ZIP"):
        run("cbs_wijk_2021", RawFile("main", "kwb.zip", content[: len(content) // 2]))


def test_kwb_shapefile_rejects_a_zip_without_a_wijk_layer():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(SourceError, match="no wijk layer"):
        run("cbs_wijk_2021", RawFile("main", "kwb.zip", buffer.getvalue()))


def test_kwb_shapefile_mirror_emmen_2021():
    entry = CATALOG.datasets["cbs_wijk_2021"].files[0]
    result = run(
        "cbs_wijk_2021", RawFile("main", entry.mirror, shared_file(entry.mirror).read_bytes())
    )
    obs = result.observations
    population = obs[obs["indicator"] == "population"]
    assert len(population) == 27
    assert population["value"].sum() == 107_005
    confidential = obs[(obs["area"] == "WK011453") & obs["value"].isna()]
    assert "age_0_14_pct" in set(confidential["indicator"])
    assert value(result, "population", "WK011453") == 35
    assert result.areas.set_index("code").loc["WK011401", "name"] == "Wijk 01 Nieuw-Weerdinge"


def test_kwb_shapefile_national_mirror_is_cut_down_to_emmen():
    raw = RawFile("main", "nl", shared_file("cbs/wijk_2021_v1_kerncijfers_NL.csv.gz").read_bytes())
    result = run("cbs_wijk_2021", raw)
    assert set(result.areas["parent"]) == {"GM0114"}
    assert len(result.areas) == 27


# ------------------------------------------------------------------------------------------
# population on 1 January (03759ned, or the VWS dashboard's table)


def population_record(code: str, value, **dimensions) -> dict:
    totals = {"Geslacht": "T001038", "Leeftijd": "10000", "BurgerlijkeStaat": "T001019"}
    return {
        "ID": 1,
        **totals,
        **dimensions,
        "RegioS": f"{code}  ",
        "Perioden": "2022JJ00",
        "BevolkingOp1Januari_1": value,
    }


def test_population_vws_table_takes_its_date_from_the_catalog():
    result = run("cbs_population_2022", fixture("cbs/population_gm_vws.csv"))
    assert value(result, "population", "GM1980") == 87_695
    assert value(result, "population", "GM1992") == 73_238
    assert set(result.observations["period"]) == {pd.Timestamp("2022-01-01")}
    assert set(result.areas["level"]) == {"gm"}


def test_population_vws_table_without_a_period_in_the_catalog_is_refused():
    with pytest.raises(SourceError, match="period"):
        run("cbs_population_2022", fixture("cbs/population_gm_vws.csv"), period=None)


def test_population_statline_odata_keeps_only_municipal_totals():
    raw = odata(
        [
            population_record("GM0114", 107_856),
            population_record("GM0114", 53_000, Geslacht="3000"),  # men only
            population_record("PV22", 497_743),
            population_record("GM0457", 24_000),  # Weesp, still there on 1 January 2022
        ]
    )
    result = run("cbs_population_2022", raw)
    obs = result.observations
    assert dict(zip(obs["area"], obs["value"], strict=True)) == {
        "GM0114": 107_856,
        "GM0457": 24_000,
    }
    assert set(obs["period"]) == {pd.Timestamp("2022-01-01")}


def test_population_statline_without_totals_names_the_filter_to_use():
    raw = odata([population_record("GM0114", 53_000, Geslacht="3000")])
    with pytest.raises(SourceError, match="Geslacht T001038"):
        run("cbs_population_2022", raw)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"Municipality_code;population_count\nGM0114;-5\n", "line 2: population_count '-5'"),
        (b"Municipality_code;population_count\nGM0114;1\nGM0114;2\n", "line 3 repeats"),
        (b"Municipality_code;population_count\nGM114;1\n", "Municipality_code"),
        (b"Municipality_code;inwoners\nGM0114;1\n", "population_count"),
    ],
)
def test_population_table_faults_are_refused_with_the_line(content, needle):
    with pytest.raises(SourceError, match=needle):
        run("cbs_population_2022", RawFile("main", "pop.csv", content))


def test_population_mirror_is_the_2023_division_on_1_january_2022():
    path = shared_file(CATALOG.datasets["cbs_population_2022"].files[0].mirror)
    result = run("cbs_population_2022", RawFile("main", path.name, path.read_bytes()))
    obs = result.observations
    assert len(obs) == 342
    assert obs["value"].sum() == 17_590_672
    assert value(result, "population", "GM1980") == 87_695  # Dijk en Waard
    assert value(result, "population", "GM0114") == 107_856
