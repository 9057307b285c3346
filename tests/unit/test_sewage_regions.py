"""Sewage for provinces and the country: weekly mean per plant, weighted by inhabitants."""

from __future__ import annotations

import pandas as pd
import pytest

from data import observations as obs
from data.derive import weekly_sewage
from data.observations import areas_frame

REGISTRY = areas_frame(
    [
        {"code": "NL01", "name": "Nederland", "level": "nl", "parent": None},
        {"code": "PV22", "name": "Drenthe", "level": "pv", "parent": "NL01"},
        {"code": "PV20", "name": "Groningen", "level": "pv", "parent": "NL01"},
        {"code": "GM0001", "name": "A", "level": "gm", "parent": "PV22"},
        {"code": "GM0002", "name": "B", "level": "gm", "parent": "PV22"},
        {"code": "GM0003", "name": "C", "level": "gm", "parent": "PV20"},
        {"code": "1", "name": "a1", "level": "rwzi", "parent": "GM0001"},
        {"code": "2", "name": "a2", "level": "rwzi", "parent": "GM0001"},
        {"code": "3", "name": "b", "level": "rwzi", "parent": "GM0002"},
        {"code": "4", "name": "c", "level": "rwzi", "parent": "GM0003"},
        {"code": "5", "name": "nowhere", "level": "rwzi", "parent": None},
    ]
)
DENOMINATORS = pd.DataFrame(
    {
        "area": ["GM0001", "GM0002", "GM0003", "GM0001", "GM0002", "GM0003"],
        "year": [2021, 2021, 2021, 2022, 2022, 2022],
        "population": [1000.0, 3000.0, 1000.0, 1000.0, 1000.0, 1000.0],
        "population_year": [2020] * 3 + [2022] * 3,
    }
)


def plants(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return obs.frame(["sewage_rna_per_100k"] * len(rows), *zip(*rows, strict=True))


def by_area(result: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {
        (str(a), p.strftime("%Y-%m-%d")): v
        for a, p, v in zip(result["area"], result["period"], result["value"], strict=True)
    }


def test_province_is_the_inhabitant_weighted_mean_of_weekly_plant_means():
    result = by_area(
        weekly_sewage(
            plants(
                [
                    ("1", "2022-03-07", 10.0),  # Monday
                    ("1", "2022-03-09", 30.0),  # same week: plant mean 20
                    ("2", "2022-03-13", 40.0),  # Sunday, same week; GM0001 = (20 + 40) / 2
                    ("3", "2022-03-08", 100.0),  # GM0002
                    ("4", "2022-03-10", 7.0),  # GM0003 in PV20
                    ("5", "2022-03-10", 1e9),  # no municipality: counts nowhere
                ]
            ),
            REGISTRY,
            DENOMINATORS,
        )
    )
    assert result[("PV22", "2022-03-07")] == pytest.approx((30 * 1000 + 100 * 1000) / 2000)
    assert result[("PV20", "2022-03-07")] == pytest.approx(7.0)
    assert result[("NL01", "2022-03-07")] == pytest.approx((30 + 100 + 7) / 3)
    assert set(result) == {("PV22", "2022-03-07"), ("PV20", "2022-03-07"), ("NL01", "2022-03-07")}


def test_weights_are_the_population_of_the_weeks_year_and_absent_plants_do_not_count():
    result = by_area(
        weekly_sewage(
            plants(
                [("1", "2021-03-01", 10.0), ("3", "2021-03-02", 50.0), ("1", "2021-03-08", 8.0)]
            ),
            REGISTRY,
            DENOMINATORS,
        )
    )
    assert result[("PV22", "2021-03-01")] == pytest.approx((10 * 1000 + 50 * 3000) / 4000)
    assert result[("PV22", "2021-03-08")] == pytest.approx(8.0)  # only GM0001 measured


def test_no_plants_gives_no_regional_sewage():
    assert weekly_sewage(obs.empty(), REGISTRY, DENOMINATORS).empty
