"""Denominators of rates per 100,000: each year's own population, else the nearest earlier."""

from __future__ import annotations

import pandas as pd
import pytest

from data import observations as obs
from data.population import (
    denominators,
    municipal_vintages,
    per_100k,
    region_totals,
    years_used,
)

PARENTS = pd.Series({"GM0001": "PV22", "GM0002": "PV22", "GM0003": "PV20"})


def vintages(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area", "year", "value"])


@pytest.fixture()
def table() -> pd.DataFrame:
    # 2020 complete; 2022 complete; 2024 only for GM0001
    return denominators(
        vintages(
            [
                ("GM0001", 2020, 1000.0),
                ("GM0002", 2020, 3000.0),
                ("GM0003", 2020, 500.0),
                ("GM0001", 2022, 1100.0),
                ("GM0002", 2022, 3300.0),
                ("GM0003", 2022, 550.0),
                ("GM0001", 2024, 1200.0),
            ]
        ),
        PARENTS,
        range(2019, 2025),
    )


def used(table: pd.DataFrame, area: str) -> dict[int, tuple[float, int]]:
    rows = table[table["area"] == area]
    return {
        y: (p, u)
        for y, p, u in zip(rows["year"], rows["population"], rows["population_year"], strict=True)
    }


def test_a_municipality_divides_by_its_own_year_or_the_nearest_earlier(table):
    assert used(table, "GM0001") == {
        2019: (1000.0, 2020),  # before the first year: the first
        2020: (1000.0, 2020),
        2021: (1000.0, 2020),
        2022: (1100.0, 2022),
        2023: (1100.0, 2022),
        2024: (1200.0, 2024),
    }
    assert used(table, "GM0002")[2024] == (3300.0, 2022)


def test_a_province_and_the_country_use_only_years_complete_for_all_their_municipalities(table):
    assert used(table, "PV22")[2024] == (4400.0, 2022)  # not 1200 + 3300
    assert used(table, "PV22")[2021] == (4000.0, 2020)
    assert used(table, "NL01")[2023] == (4950.0, 2022)
    assert used(table, "PV20")[2020] == (500.0, 2020)


def test_region_totals_are_observations_only_for_their_own_years(table):
    totals = region_totals(table)
    rows = zip(totals["area"], totals["period"], totals["value"], strict=True)
    got = {(a, p.year): v for a, p, v in rows}
    assert got == {
        ("NL01", 2020): 4500.0,
        ("NL01", 2022): 4950.0,
        ("PV20", 2020): 500.0,
        ("PV20", 2022): 550.0,
        ("PV22", 2020): 4000.0,
        ("PV22", 2022): 4400.0,
    }


def test_per_100k_divides_each_row_by_the_population_of_its_year(table):
    series = obs.frame(
        ["c"] * 4,
        ["GM0001", "GM0001", "PV22", "GM9999"],
        ["2021-06-01", "2022-06-01", "2024-01-05", "2022-06-01"],
        [10.0, 11.0, 44.0, 1.0],
    )
    rates = per_100k(series, table)
    assert rates["area"].astype(str).tolist() == ["GM0001", "GM0001", "PV22"]  # GM9999: none
    assert rates["value"].tolist() == pytest.approx([1000.0, 1000.0, 1000.0])


def test_years_used_lists_the_population_years_per_observation_year(table):
    assert years_used(table, {2021, 2024}) == {"2021": [2020], "2024": [2022, 2024]}


def test_municipal_vintages_take_gemeente_populations_only():
    base = obs.frame(
        ["population", "population", "population", "covid_cases"],
        ["GM0001", "WK000101", "NL01", "GM0001"],
        ["2020-01-01", "2020-01-01", "2020-01-01", "2020-03-01"],
        [1000.0, 400.0, 9.0, 3.0],
    )
    assert municipal_vintages(base).to_dict("records") == [
        {"area": "GM0001", "year": 2020, "value": 1000.0}
    ]
