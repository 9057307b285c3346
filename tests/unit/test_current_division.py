"""The pipeline puts every gemeente figure in today's division before deriving anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from data.catalog import load_catalog
from data.observations import frame
from data.pipeline import to_current_division
from geo.divisions import load_changes

TODAY = dt.date(2024, 1, 1)
ADDITIVE = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml").additive_ids


def as_dict(result):
    return {
        (str(i), str(a), p.strftime("%Y-%m-%d")): v
        for i, a, p, v in zip(
            result["indicator"], result["area"], result["period"], result["value"], strict=True
        )
    }


def test_counts_are_summed_and_shares_weighted_by_the_parts_inhabitants():
    base = frame(
        ["population"] * 3 + ["vaccination_partly_12plus"] * 3 + ["covid_cases"],
        ["GM0398", "GM0416", "GM0114", "GM0398", "GM0416", "GM0114", "GM0114"],
        ["2020-01-01"] * 3 + ["2021-11-08"] * 3 + ["2021-11-08"],
        [57_000.0, 28_000.0, 107_000.0, 80.0, 92.0, 85.0, 12.0],
    )
    got = as_dict(to_current_division(base, ADDITIVE, load_changes(), TODAY))
    assert got == pytest.approx(
        {
            ("population", "GM1980", "2020-01-01"): 85_000.0,
            ("population", "GM0114", "2020-01-01"): 107_000.0,
            ("vaccination_partly_12plus", "GM1980", "2021-11-08"): (80 * 57 + 92 * 28) / 85,
            ("vaccination_partly_12plus", "GM0114", "2021-11-08"): 85.0,
            ("covid_cases", "GM0114", "2021-11-08"): 12.0,
        }
    )


def test_figures_already_in_todays_division_are_left_as_they_are():
    base = frame(["vaccination_partly_12plus"], ["GM1980"], ["2022-03-14"], [85.0])
    assert to_current_division(base, ADDITIVE, load_changes(), TODAY) is base


def test_daily_counts_of_a_2021_history_file_are_summed_into_the_new_municipality():
    base = frame(
        ["covid_cases", "covid_cases", "covid_deaths"],
        ["GM0398", "GM0416", "GM0416"],
        ["2021-03-01", "2021-03-01", "2021-03-01"],
        [7.0, 3.0, 1.0],
    )
    got = as_dict(to_current_division(base, ADDITIVE, load_changes(), TODAY))
    assert got == {
        ("covid_cases", "GM1980", "2021-03-01"): 10.0,
        ("covid_deaths", "GM1980", "2021-03-01"): 1.0,
    }
