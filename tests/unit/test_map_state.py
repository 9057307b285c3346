import pandas as pd
import pytest

from layouts.map_state import (
    CORONA_MAP_INDICATORS,
    CoronaMapState,
    NeighbourhoodMapState,
    Week,
    corona_map_query,
    iso_week,
    neighbourhood_map_query,
    parse_corona_map,
    parse_neighbourhood_map,
    parse_week,
    week_index,
    weeks_of,
)


def _query(text: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in text.lstrip("?").split("&") if pair)


@pytest.mark.parametrize(
    "state",
    [
        CoronaMapState(),
        CoronaMapState(indicator="covid_deaths_per_100k_7d", week="2022-W06", zoom="PV22"),
        CoronaMapState(week="2020-W53"),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_corona_map_state_round_trips_through_the_url(state, lang):
    query = corona_map_query(state, lang)
    assert parse_corona_map(_query(query)) == state
    assert ("lang=en" in query) == (lang == "en")


def test_corona_map_defaults_stay_out_of_the_url():
    assert corona_map_query(CoronaMapState()) == ""
    assert corona_map_query(CoronaMapState(week="2021-W10")) == "?week=2021-W10"


def test_corona_map_falls_back_on_unknown_or_malformed_values():
    state = parse_corona_map({"indicator": "population", "week": "2022-W60", "zoom": "PV99"})
    assert state == CoronaMapState()
    assert parse_corona_map({"zoom": "pv22"}).zoom == "PV22"
    assert (
        parse_corona_map(
            {"indicator": ["covid_cases_per_100k_7d", CORONA_MAP_INDICATORS[2]]}
        ).indicator
        == (CORONA_MAP_INDICATORS[2])
    )  # a repeated parameter: the last one wins


@pytest.mark.parametrize(
    "state",
    [
        NeighbourhoodMapState(),
        NeighbourhoodMapState(level="bu"),
        NeighbourhoodMapState(level="wk", indicator="age_65_plus_pct", year=2021),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_neighbourhood_map_state_round_trips_through_the_url(state, lang):
    assert parse_neighbourhood_map(_query(neighbourhood_map_query(state, lang))) == state


def test_neighbourhood_map_rejects_malformed_values():
    state = parse_neighbourhood_map({"level": "gm", "indicator": "<script>", "year": "20x1"})
    assert state == NeighbourhoodMapState()


def test_neighbourhood_state_keeps_what_the_data_has_and_falls_back_otherwise():
    state = NeighbourhoodMapState(indicator="urbanity", year=2019)
    assert state.with_indicator_from(["population", "urbanity"]).indicator == "urbanity"
    assert state.with_indicator_from(["men", "population"]).indicator == "population"
    assert state.with_indicator_from(["men", "women"]).indicator == "men"
    assert state.with_year_from([2021, 2024]).year == 2024
    assert NeighbourhoodMapState(year=2021).with_year_from([2021, 2024]).year == 2021
    assert state.with_year_from([]).year is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-W06", "2022-W06"),
        ("2022w6", "2022-W06"),
        (" 2020-W53 ", "2020-W53"),
        ("2021-W53", None),  # 2021 has 52 ISO weeks
        ("2022-06", None),
        (None, None),
    ],
)
def test_parse_week(text, expected):
    assert parse_week(text) == expected


def test_iso_week_of_new_year():
    assert iso_week("2021-01-01") == "2020-W53"
    assert iso_week("2022-02-13") == "2022-W06"


def test_weeks_of_days_keep_the_last_day_of_each_week():
    days = pd.date_range("2022-02-01", "2022-02-16")
    weeks = weeks_of(list(days))
    assert [w.key for w in weeks] == ["2022-W05", "2022-W06", "2022-W07"]
    assert [w.end.date().isoformat() for w in weeks] == ["2022-02-06", "2022-02-13", "2022-02-16"]
    assert weeks_of([]) == []


def test_week_index_picks_the_latest_clamps_and_falls_back_in_gaps():
    weeks = [Week(k, pd.Timestamp("2022-01-01")) for k in ("2021-W10", "2021-W11", "2021-W13")]
    assert week_index(weeks, None) == 2
    assert week_index(weeks, "2021-W11") == 1
    assert week_index(weeks, "2021-W12") == 1  # a gap: the week before
    assert week_index(weeks, "2019-W01") == 0
    assert week_index(weeks, "2024-W01") == 2
    with pytest.raises(ValueError):
        week_index([], None)
