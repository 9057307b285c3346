"""RIVM formats: every upstream layout, roles main/history/edition, and the mirror totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from data.catalog import load_catalog
from data.errors import SourceError
from data.formats import Normalized, RawFile, format_function
from data.parsers.rivm import PROVINCE_CODES, plants_to_division
from geo.divisions import Change, load_changes
from tests.conftest import FIXTURES, shared_file

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml")


def fixture(relative: str) -> RawFile:
    return RawFile("", relative, (FIXTURES / relative).read_bytes())


def run(dataset_id: str, **roles: RawFile | list[RawFile]) -> Normalized:
    files = {
        role: [
            RawFile(role, r.name, r.content) for r in (raws if isinstance(raws, list) else [raws])
        ]
        for role, raws in roles.items()
    }
    dataset = CATALOG.datasets[dataset_id]
    return format_function(dataset.format)(files, dataset)


def values(result: Normalized, indicator: str, area: str) -> dict[str, float]:
    obs = result.observations
    rows = obs[(obs["indicator"] == indicator) & (obs["area"] == area)]
    return {p.strftime("%Y-%m-%d"): v for p, v in zip(rows["period"], rows["value"], strict=True)}


def mirror(dataset_id: str, role: str = "main") -> RawFile:
    [entry] = [f for f in CATALOG.datasets[dataset_id].files if f.role == role]
    return RawFile(role, entry.mirror, shared_file(entry.mirror).read_bytes())


# ------------------------------------------------------------------------------------------
# cases


def test_province_codes_cover_the_twelve_provinces_and_both_frisian_spellings():
    assert sorted(set(PROVINCE_CODES.values())) == [f"PV{n}" for n in range(20, 32)]
    assert PROVINCE_CODES["Friesland"] == PROVINCE_CODES["Fryslân"] == "PV21"
    assert PROVINCE_CODES["Drenthe"] == "PV22"


def test_rivm_cases_reads_the_2020_layout_without_version_and_sums_duplicate_rows():
    result = run("rivm_cases", main=fixture("rivm/cases_2020_layout.csv"))
    assert values(result, "covid_cases", "GM0114") == {"2021-10-02": 9.0, "2021-10-03": 100.0}
    assert values(result, "covid_deaths", "GM0114") == {"2021-10-02": 1.0, "2021-10-03": 0.0}
    assert set(result.observations["indicator"]) == {"covid_cases", "covid_deaths"}


def test_rivm_cases_reads_the_live_file_without_hospital_admission():
    result = run("rivm_cases", main=fixture("rivm/cases_live_2022.csv"))
    cases = values(result, "covid_cases", "GM1900")
    assert cases == {"2021-10-03": 6.0, "2021-10-04": 8.0, "2023-01-01": -1.0}


def test_rivm_cases_empty_deceased_is_no_observation():
    result = run("rivm_cases", main=fixture("rivm/cases_live_2022.csv"))
    deaths = values(result, "covid_deaths", "GM0114")
    assert "2023-01-01" not in deaths
    assert deaths == {"2021-10-03": 0.0, "2021-10-04": 1.0}
    assert values(result, "covid_cases", "GM0114")["2023-01-01"] == 3.0


def test_rivm_cases_deceased_9999_is_no_observation():
    content = (FIXTURES / "rivm/cases_live_2022.csv").read_bytes()
    content = content.replace(b"Noord Nederland;3;\n", b"Noord Nederland;3;9999\n")
    result = run("rivm_cases", main=RawFile("main", "c.csv", content))
    assert "2023-01-01" not in values(result, "covid_deaths", "GM0114")


def test_rivm_cases_drops_unknown_municipality_rows_but_notes_their_count():
    result = run("rivm_cases", main=fixture("rivm/cases_live_2022.csv"))
    assert not (result.observations["area"] == "").any()
    assert set(result.observations["area"]) == {"GM0114", "GM1900"}
    [note] = result.notes
    assert "1 rows without Municipality_code" in note
    assert "2 covid_cases" in note
    assert "1 covid_deaths" in note


def test_rivm_cases_history_fills_older_dates_and_main_wins_on_overlap():
    result = run(
        "rivm_cases",
        main=fixture("rivm/cases_live_2022.csv"),
        history=fixture("rivm/cases_2020_layout.csv"),
    )
    cases = values(result, "covid_cases", "GM0114")
    assert cases == {"2021-10-02": 9.0, "2021-10-03": 5.0, "2021-10-04": 11.0, "2023-01-01": 3.0}
    assert len(result.notes) == 2  # unknown-municipality rows in each file


def test_rivm_cases_areas_have_names_and_province_parents():
    result = run("rivm_cases", main=fixture("rivm/cases_live_2022.csv"))
    areas = result.areas.set_index("code")
    assert areas.loc["GM0114"].tolist() == ["Emmen", "gm", "PV22"]
    assert areas.loc["GM1900"].tolist() == ["Súdwest-Fryslân", "gm", "PV21"]
    assert list(result.areas.columns) == ["code", "name", "level", "parent"]


def test_rivm_cases_rejects_an_unknown_province_naming_the_line():
    content = (FIXTURES / "rivm/cases_live_2022.csv").read_bytes()
    content = content.replace(b"Emmen;Drenthe;", b"Emmen;Drente;", 1)
    with pytest.raises(SourceError, match=r"line 2: unknown province 'Drente'"):
        run("rivm_cases", main=RawFile("main", "c.csv", content))


def test_rivm_cases_needs_exactly_one_main_file():
    with pytest.raises(SourceError, match="exactly one 'main' file"):
        run("rivm_cases", history=fixture("rivm/cases_2020_layout.csv"))


def test_rivm_cases_observations_follow_the_contract():
    obs = run("rivm_cases", main=fixture("rivm/cases_live_2022.csv")).observations
    assert list(obs.columns) == ["indicator", "area", "period", "value"]
    assert str(obs["period"].dtype) == "datetime64[ns]"
    assert obs["value"].dtype == "float64"
    assert (obs["period"] == obs["period"].dt.normalize()).all()


def test_rivm_cases_mirror_totals():
    raw = mirror("rivm_cases")
    result = run("rivm_cases", main=raw)
    obs = result.observations
    cases = obs[obs["indicator"] == "covid_cases"]
    deaths = obs[obs["indicator"] == "covid_deaths"]
    assert cases.loc[cases["area"] == "GM0114", "value"].sum() == 48_053
    drenthe = set(result.areas.loc[result.areas["parent"] == "PV22", "code"])
    assert len(drenthe) == 12
    assert cases.loc[cases["area"].isin(drenthe), "value"].sum() == 215_431
    assert cases["value"].sum() == 8_528_264
    assert deaths["value"].sum() == 22_941
    assert deaths.loc[deaths["area"] == "GM0114", "value"].sum() == 104
    assert deaths["period"].max() == pd.Timestamp("2022-12-31")
    assert len(result.areas) == 342


# ------------------------------------------------------------------------------------------
# hospital


def test_rivm_hospital_counts_admissions_by_date_of_admission():
    result = run("rivm_hospital", main=fixture("rivm/hospital.csv"))
    assert values(result, "covid_hospital_admissions", "GM0114") == {
        "2021-10-03": 1.0,
        "2021-10-04": 3.0,
    }
    assert set(result.observations["indicator"]) == {"covid_hospital_admissions"}
    assert "2021-10-04" not in values(result, "covid_hospital_admissions", "GM1680")
    assert "1 rows without Municipality_code" in result.notes[0]


def test_rivm_hospital_history_only_adds_dates_missing_from_main():
    result = run(
        "rivm_hospital",
        main=fixture("rivm/hospital.csv"),
        history=fixture("rivm/hospital_history_tm_03102021.csv"),
    )
    assert values(result, "covid_hospital_admissions", "GM0114") == {
        "2021-10-02": 4.0,
        "2021-10-03": 1.0,
        "2021-10-04": 3.0,
    }


def test_rivm_hospital_mirror_totals():
    result = run("rivm_hospital", main=mirror("rivm_hospital"))
    obs = result.observations
    assert obs["value"].sum() == 145_965
    assert obs.loc[obs["area"] == "GM0114", "value"].sum() == 995  # by date of admission
    assert obs["period"].min() == pd.Timestamp("2020-02-27")


# ------------------------------------------------------------------------------------------
# sewage


def sewage(main: str, **extra) -> Normalized:
    return run(
        "rivm_sewage",
        main=fixture(main),
        plants=fixture("rivm/rwzi_per_gmcode.csv"),
        plant_names=fixture("rivm/rwzi_awzi.csv"),
        **extra,
    )


def test_rivm_sewage_v2_gives_values_per_plant_and_empty_flow_is_no_observation():
    result = sewage("rivm/sewage_v2.csv")
    assert values(result, "sewage_rna_per_100k", "3022") == {"2022-03-07": 35e12}


def test_rivm_sewage_municipality_value_is_the_mean_of_its_plants_per_day():
    result = sewage("rivm/sewage_v2.csv")
    assert values(result, "sewage_rna_per_100k", "GM0109") == {
        "2022-03-07": 20e12,  # Sleen 10e12 and Coevorden 30e12
        "2022-03-09": 0.0,  # only Coevorden measured
    }
    assert values(result, "sewage_rna_per_100k", "GM0114") == {"2022-03-07": 35e12}


def test_rivm_sewage_areas_are_plants_with_name_and_municipality():
    result = sewage("rivm/sewage_v2.csv")
    areas = result.areas.set_index("code")
    assert areas.loc["3022"].tolist() == ["Emmen", "rwzi", "GM0114"]
    assert areas.loc["3029"].tolist() == ["Coevorden", "rwzi", "GM0109"]
    assert pd.isna(areas.loc["99999", "parent"])
    assert set(areas["level"]) == {"rwzi"}
    assert any("99999" in note for note in result.notes)


def test_rivm_sewage_reads_version_1_layout():
    result = sewage("rivm/sewage_v1.csv")
    assert values(result, "sewage_rna_per_100k", "3022") == {"2020-09-08": 42e12}


def test_rivm_sewage_2020_layout_without_flow_gives_nothing_and_a_note():
    result = sewage("rivm/sewage_2020_layout.csv")
    assert result.observations.empty
    assert any("2020 layout" in note for note in result.notes)
    assert set(result.areas["code"]) == {"3022", "3028"}


def test_rivm_sewage_without_flow_column_in_a_newer_layout_is_rejected():
    content = (
        (FIXTURES / "rivm/sewage_v2.csv").read_bytes().replace(b"RNA_flow_per_100000", b"RNA_flow")
    )
    with pytest.raises(SourceError, match=r"missing column RNA_flow_per_100000.*RNA_flow"):
        run("rivm_sewage", main=RawFile("main", "s.csv", content))


def test_rivm_sewage_mirror_v2_emmen_has_179_measurements():
    result = run(
        "rivm_sewage",
        main=mirror("rivm_sewage"),
        plants=mirror("rivm_sewage", "plants"),
        plant_names=mirror("rivm_sewage", "plant_names"),
    )
    emmen = values(result, "sewage_rna_per_100k", "3022")
    assert len(emmen) == 179
    assert min(emmen) == "2020-09-08"
    assert max(emmen) == "2022-03-14"
    assert values(result, "sewage_rna_per_100k", "GM0114") == emmen
    assert result.areas.set_index("code").loc["3022", "parent"] == "GM0114"


def test_rivm_sewage_mirror_v1_parses():
    raw = RawFile(
        "main",
        "v1",
        shared_file("rivm/COVID-19_rioolwaterdata_v1_committed-2021-03-24.csv.gz").read_bytes(),
    )
    result = run("rivm_sewage", main=raw, plants=mirror("rivm_sewage", "plants"))
    assert len(values(result, "sewage_rna_per_100k", "3022")) == 47


# ------------------------------------------------------------------------------------------
# vaccination


def test_rivm_vaccination_maps_age_groups_and_censored_values():
    result = run("rivm_vaccination", main=fixture("rivm/vaccination.csv"))
    emmen = {i: values(result, i, "GM0114") for i in set(result.observations["indicator"])}
    assert emmen["vaccination_partly_12plus"] == {"2022-03-14": 87.0}
    assert emmen["vaccination_completed_12plus"] == {"2022-03-14": 85.0}
    assert emmen["vaccination_partly_18plus"] == {"2022-03-14": 88.0}
    assert emmen["vaccination_completed_12_17"] == {"2022-03-14": 71.0}
    assert values(result, "vaccination_partly_12plus", "GM1680") == {"2022-03-14": 95.0}
    assert values(result, "vaccination_partly_12_17", "GM1680") == {"2022-03-14": 5.0}


def test_rivm_vaccination_9999_and_empty_are_no_observation():
    result = run("rivm_vaccination", main=fixture("rivm/vaccination.csv"))
    assert values(result, "vaccination_partly_18plus", "GM1680") == {}
    assert values(result, "vaccination_completed_18plus", "GM1680") == {}


def test_rivm_vaccination_ignores_other_region_levels_and_notes_unknown_age_groups():
    result = run("rivm_vaccination", main=fixture("rivm/vaccination.csv"))
    assert set(result.observations["area"]) == {"GM0114", "GM1680"}
    assert any("60+" in note for note in result.notes)
    assert result.areas.set_index("code").loc["GM1680", "name"] == "Aa en Hunze"


def test_rivm_vaccination_editions_add_weeks_and_main_wins_on_the_same_week():
    result = run(
        "rivm_vaccination",
        main=fixture("rivm/vaccination.csv"),
        edition=[fixture("rivm/vaccination_edition_2021-11-17.csv")],
    )
    assert values(result, "vaccination_partly_12plus", "GM0114") == {
        "2021-11-08": 84.0,
        "2022-03-14": 87.0,
    }


def test_rivm_vaccination_rejects_a_percentage_above_100():
    content = (FIXTURES / "rivm/vaccination.csv").read_bytes().replace(b";87;85;", b";187;85;")
    with pytest.raises(SourceError, match="line 2: '187' is not a percentage"):
        run("rivm_vaccination", main=RawFile("main", "v.csv", content))


def test_rivm_vaccination_rejects_a_repeated_row():
    lines = (FIXTURES / "rivm/vaccination.csv").read_bytes().splitlines(keepends=True)
    with pytest.raises(SourceError, match="line 10 repeats"):
        run("rivm_vaccination", main=RawFile("main", "v.csv", b"".join([*lines, lines[1]])))


def test_rivm_vaccination_mirror_editions():
    result = run(
        "rivm_vaccination",
        main=mirror("rivm_vaccination"),
        edition=[mirror("rivm_vaccination", "edition")],
    )
    assert values(result, "vaccination_partly_12plus", "GM0114")["2022-03-14"] == 87
    assert values(result, "vaccination_completed_12plus", "GM0114")["2022-03-14"] == 85
    assert values(result, "vaccination_partly_12_17", "GM0114")["2022-03-14"] == 73
    assert set(values(result, "vaccination_partly_12plus", "GM0114")) == {
        "2021-11-08",
        "2022-03-14",
    }
    assert "GM1900" in set(result.areas["code"])  # only in the 2021 edition


# sewage in today's municipal division


def test_plants_of_dissolved_municipalities_move_to_their_successor():
    changes = [
        Change(dt.date(2021, 1, 1), "GM0010", "GM1979"),
        Change(dt.date(2021, 1, 1), "GM0788", "GM0824", 0.41),
        Change(dt.date(2021, 1, 1), "GM0788", "GM0865", 0.34),
        Change(dt.date(2021, 1, 1), "GM0788", "GM0757", 0.25),
    ]
    lookup = pd.DataFrame(
        {"plant": ["1044", "27009", "3022"], "gm": ["GM0010", "GM0788", "GM0114"]}
    )
    recoded, lines = plants_to_division(lookup, changes, dt.date(2023, 1, 1))
    assert dict(zip(recoded["plant"], recoded["gm"], strict=True)) == {
        "1044": "GM1979",
        "27009": "GM0824",  # a split: the successor with the largest share
        "3022": "GM0114",
    }
    assert lines == ["1044: GM0010 -> GM1979", "27009: GM0788 -> GM0824"]
    before, none = plants_to_division(lookup, changes, dt.date(2020, 12, 31))
    assert before.equals(lookup) and none == []


def test_rivm_sewage_serves_a_merged_municipality_under_its_new_code():
    lookup = RawFile("plants", "lookup.csv", b"RWZI_CODE,GM_CODE\n3022,GM0114\n3028,GM0010\n")
    result = run("rivm_sewage", main=fixture("rivm/sewage_v2.csv"), plants=lookup)
    assert values(result, "sewage_rna_per_100k", "GM1979") == {"2022-03-07": 10e12}
    assert values(result, "sewage_rna_per_100k", "GM0010") == {}
    assert result.areas.set_index("code").loc["3028", "parent"] == "GM1979"
    assert any("3028: GM0010 -> GM1979" in note for note in result.notes)


def test_rivm_sewage_mirror_has_no_dissolved_municipality_and_their_successors():
    result = run("rivm_sewage", main=mirror("rivm_sewage"), plants=mirror("rivm_sewage", "plants"))
    areas = set(result.observations["area"].astype(str))
    dissolved = {c.old for c in load_changes()}
    assert not areas & dissolved
    assert {"GM1979", "GM1992", "GM1982"} <= areas  # Eemsdelta, Voorne aan Zee, Land van Cuijk
    gm = set(result.areas["parent"].dropna())
    assert not gm & dissolved
