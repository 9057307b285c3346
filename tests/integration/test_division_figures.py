"""Figures right for every municipality: all in the 2023 division, sewage for provinces and the
country, and rates divided by the population of their own year (store refreshed over HTTP)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from data.store import Store
from geo.divisions import load_changes

SEWAGE = "sewage_rna_per_100k"
RATES = [
    "covid_cases_per_100k",
    "covid_cases_per_100k_7d",
    "covid_deaths_per_100k",
    "covid_deaths_per_100k_7d",
    "covid_hospital_admissions_per_100k",
    "covid_hospital_admissions_per_100k_7d",
]


def _get(client, indicator, area, **params):
    return client.get(
        "/api/v1/observations", query_string={"indicator": indicator, "area": area, **params}
    )


def _values(client, indicator, area, **params) -> dict[str, float]:
    response = _get(client, indicator, area, **params)
    assert response.status_code == 200, response.get_json()
    return {r["period"]: r["value"] for r in response.get_json()["observations"]}


def _areas(client, level) -> list[dict]:
    return client.get("/api/v1/areas", query_string={"level": level}).get_json()["areas"]


def test_the_registry_has_the_342_municipalities_of_2023_and_no_dissolved_one(client):
    codes = {a["code"] for a in _areas(client, "gm")}
    assert len(codes) == 342
    assert {"GM1979", "GM1980", "GM1992"} <= codes
    assert not codes & {c.old for c in load_changes()}
    plant_parents = {a["parent"] for a in _areas(client, "rwzi")} - {None}
    assert plant_parents <= codes


@pytest.mark.parametrize("gone", ["GM0010", "GM0614", "GM0530", "GM0457", "GM1684"])
def test_no_sewage_is_served_for_a_dissolved_municipality(client, gone):
    response = _get(client, SEWAGE, gone)
    assert response.status_code == 404
    assert "unknown area" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("area", "plants"),
    [("GM1979", {"1044"}), ("GM1992", {"17040", "17041"}), ("GM1982", {"29003"})],
)
def test_sewage_of_a_merged_municipality_comes_from_the_plants_of_its_parts(client, area, plants):
    parents = {a["code"]: a["parent"] for a in _areas(client, "rwzi")}
    assert {code for code, parent in parents.items() if parent == area} >= plants
    measured = _values(client, SEWAGE, area)
    assert len(measured) > 100
    day, value = next(iter(sorted(measured.items())))
    on_day = [_values(client, SEWAGE, p, **{"from": day, "to": day}).get(day) for p in plants]
    on_day = [v for v in on_day if v is not None]
    assert value == pytest.approx(sum(on_day) / len(on_day))


def _monday(day: str) -> str:
    date = dt.date.fromisoformat(day)
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def test_drenthe_sewage_is_the_inhabitant_weighted_mean_of_its_plants_weekly_means(client):
    week = ("2022-02-07", "2022-02-13")
    gemeenten = {a["code"] for a in _areas(client, "gm") if a["parent"] == "PV22"}
    plants_of: dict[str, list[str]] = {}
    for plant in _areas(client, "rwzi"):
        if plant["parent"] in gemeenten:
            plants_of.setdefault(plant["parent"], []).append(plant["code"])
    total = weight = 0.0
    for gm, plants in plants_of.items():
        means = []
        for plant in plants:
            values = _values(client, SEWAGE, plant, **{"from": week[0], "to": week[1]})
            if values:
                means.append(sum(values.values()) / len(values))
        if means:
            inhabitants = _values(client, "population", gm)["2022-01-01"]
            total += inhabitants * sum(means) / len(means)
            weight += inhabitants
    drenthe = _values(client, SEWAGE, "PV22", **{"from": week[0], "to": week[1]})
    assert drenthe == {week[0]: pytest.approx(total / weight)}


def test_country_and_provinces_have_weekly_sewage_on_mondays(client):
    for area in ("NL01", "PV22", "PV27"):
        values = _values(client, SEWAGE, area)
        assert len(values) > 90, area
        assert all(_monday(day) == day for day in values)
        assert min(values.values()) >= 0 < max(values.values())  # RIVM publishes 0 too


def test_dijk_en_waard_rates_use_the_population_of_their_year(client):
    population = _values(client, "population", "GM1980")
    assert population["2022-01-01"] == 87_695
    assert population["2020-01-01"] == 85_750  # Heerhugowaard + Langedijk, re-coded
    cases = _values(client, "covid_cases", "GM1980")
    rates = _values(client, "covid_cases_per_100k", "GM1980")
    expected = {"2021-06-01": 85_750, "2022-06-01": 87_695, "2023-03-01": 87_695}
    for day, inhabitants in expected.items():
        assert rates[day] == pytest.approx(cases[day] / inhabitants * 100_000)


def test_drenthe_and_country_rates_divide_by_the_sum_of_one_years_populations(client):
    for area, inhabitants_2022 in (("PV22", 497_743), ("NL01", 17_590_672)):
        assert _values(client, "population", area)["2022-01-01"] == inhabitants_2022
        cases = _values(client, "covid_cases", area, **{"from": "2022-03-01", "to": "2022-03-01"})
        rate = _values(client, "covid_cases_per_100k", area, **{"from": "2022-03-01"})
        assert rate["2022-03-01"] == pytest.approx(cases["2022-03-01"] / inhabitants_2022 * 1e5)


def test_vaccination_of_2021_is_served_for_dijk_en_waard_not_for_its_parts(client):
    coverage = _values(client, "vaccination_partly_12plus", "GM1980")
    assert set(coverage) == {"2021-11-08", "2022-03-14"}
    assert 0 < coverage["2021-11-08"] <= 100
    assert _get(client, "vaccination_partly_12plus", "GM0398").status_code == 404


def test_every_population_year_a_rate_used_is_named_in_its_definition(client, refreshed_settings):
    used = client.get("/api/v1/status").get_json()["rate_population_years"]
    assert used == Store(refreshed_settings.store_dir).manifest()["rate_population_years"]
    assert used["2021"] == [2020] and used["2022"] == [2022]
    indicators = {i["id"]: i for i in client.get("/api/v1/indicators").get_json()["indicators"]}
    for indicator in RATES:
        definition = indicators[indicator]["definition"]
        years = {int(y) for y in re.findall(r"\b20\d\d\b", definition["nl"])}
        assert {y for ys in used.values() for y in ys} - {2024} <= years, indicator
        assert "03759ned" in definition["en"], indicator
        assert "cbs_population_2022" in {s["dataset"] for s in indicators[indicator]["sources"]}


def test_the_sewage_definition_says_where_the_weights_come_from(client):
    [sewage] = [
        i for i in client.get("/api/v1/indicators").get_json()["indicators"] if i["id"] == SEWAGE
    ]
    assert set(sewage["levels"]) == {"rwzi", "gm", "pv", "nl"}
    assert "inwoners van de gemeente waaraan zij is toegewezen" in sewage["definition"]["nl"]
    assert "inhabitants of the municipality it is assigned to" in sewage["definition"]["en"]


def test_the_store_keeps_the_population_behind_every_rate(refreshed_settings):
    store = Store(refreshed_settings.store_dir)
    table = pd.read_parquet(store.version_dir() / "denominators.parquet").set_index(
        ["area", "year"]
    )
    assert table.loc[("GM1980", 2022)].tolist() == [87_695, 2022]
    assert table.loc[("GM1980", 2021)].tolist() == [85_750, 2020]
    assert table.loc[("GM0114", 2024)].tolist() == [109_346, 2024]
    assert table.loc[("PV22", 2024)].tolist() == [497_743, 2022]
