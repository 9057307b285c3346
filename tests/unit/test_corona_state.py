import datetime as dt
from urllib.parse import parse_qs

import pytest

from layouts.corona_state import (
    MAX_COMPARE,
    CoronaState,
    month_bounds,
    month_label,
    month_number,
    page_path,
    parse_compare,
    parse_state,
    resolve_municipality,
    state_from_controls,
    to_query,
    window,
)
from layouts.views.area_search import name_key
from layouts.views.periods import preset_start

NAMES = {
    "GM0114": "Emmen",
    "GM1680": "Aa en Hunze",
    "GM1900": "Súdwest-Fryslân",
    "GM0893": "Bergen (L.)",
    "GM0373": "Bergen (NH.)",
}


def _query(search: str) -> dict[str, list[str]]:
    return parse_qs(search.lstrip("?"))


def test_an_empty_query_gives_the_default_view():
    assert parse_state({}) == CoronaState()
    assert to_query(CoronaState()) == ""


def test_a_full_query_is_read():
    state = parse_state(
        {"view": "per100k", "metric": "hospital", "period": "3m", "compare": "GM0106,GM1680"}
        | {"lang": "en"}
    )
    assert state == CoronaState(
        view="per100k",
        metric="hospital",
        period="3m",
        months=None,
        compare=("GM0106", "GM1680"),
        lang="en",
    )


def test_unknown_values_fall_back_to_the_defaults():
    state = parse_state({"view": "log", "metric": "flu", "period": "2w", "lang": "de"})
    assert state == CoronaState()


def test_a_repeated_parameter_counts_its_last_value():
    assert parse_state({"view": ["absolute", "per100k"]}).view == "per100k"


def test_a_custom_range_wins_over_a_preset_and_is_put_in_order():
    state = parse_state({"period": "1m", "from": "2022-03", "to": "2021-10"})
    assert state.period is None
    assert state.months == ("2021-10", "2022-03")


@pytest.mark.parametrize(
    "query",
    [{"from": "2021-13", "to": "2022-01"}, {"from": "yesterday"}, {"from": "", "to": ""}],
)
def test_a_malformed_range_is_ignored(query):
    state = parse_state({**query, "period": "3m"})
    assert (state.period, state.months) == ("3m", None)


def test_one_end_of_a_range_gives_a_single_month():
    assert parse_state({"from": "2021-10"}).months == ("2021-10", "2021-10")


def test_compare_codes_are_cleaned_up():
    assert parse_compare("gm0106, GM0106,GM01,PV22,GM1680") == ("GM0106", "GM1680")
    assert parse_compare(["GM0106", "GM1680,GM0109"]) == ("GM0106", "GM1680", "GM0109")
    assert parse_compare("") == ()


def test_compare_keeps_at_most_the_maximum():
    codes = [f"GM{n:04d}" for n in range(1, 10)]
    assert parse_compare(",".join(codes)) == tuple(codes[:MAX_COMPARE])


@pytest.mark.parametrize(
    "state",
    [
        CoronaState(),
        CoronaState(view="per100k", period="3m", compare=("GM0106",), lang="en"),
        CoronaState(metric="deaths", period=None, months=("2021-01", "2021-06")),
        CoronaState(period="1y", compare=("GM0106", "GM1680", "GM0109")),
    ],
)
def test_the_query_reopens_the_same_state(state):
    assert parse_state(_query(to_query(state))) == state


def test_the_query_leaves_defaults_out_and_keeps_commas_readable():
    query = to_query(CoronaState(view="per100k", period="3m", compare=("GM0106", "GM1680")))
    assert query == "?view=per100k&period=3m&compare=GM0106,GM1680"


@pytest.mark.parametrize(("home", "other"), [("GM0114", "GM0106"), ("GM0106", "GM0114")])
def test_the_page_of_the_home_municipality_is_the_short_path(home, other):
    assert page_path(home, home) == "/corona"
    assert page_path(other, home) == f"/corona/{other}"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (None, "GM0114"),
        ("", "GM0114"),
        ("GM1680", "GM1680"),
        ("gm1680", "GM1680"),
        ("emmen", "GM0114"),
        ("Aa%20en%20Hunze", "GM1680"),
        ("aa-en-hunze", "GM1680"),
        ("AA EN HUNZE", "GM1680"),
        ("sudwest-fryslan", "GM1900"),
        ("Súdwest-Fryslân", "GM1900"),
        ("bergen (nh.)", "GM0373"),
        ("bergen-l", "GM0893"),
    ],
)
def test_a_municipality_is_found_by_code_or_name(text, code):
    assert resolve_municipality(text, NAMES, "GM0114") == code


@pytest.mark.parametrize("home", ["GM0114", "GM1680"])
def test_no_text_is_the_home_municipality_of_the_platform(home):
    assert resolve_municipality(None, NAMES, home) == home
    assert resolve_municipality("", NAMES, home) == home


@pytest.mark.parametrize("text", ["kaart", "GM9999", "Bergen", "Emmen-Oost"])
def test_text_naming_no_municipality_finds_none(text):
    assert resolve_municipality(text, NAMES, "GM0114") is None


def test_name_key_ignores_case_accents_and_punctuation():
    assert name_key("Súdwest-Fryslân") == name_key("sudwest  fryslan") == "sudwest fryslan"
    assert name_key("Aa+en+Hunze") == "aa en hunze"


@pytest.mark.parametrize(
    ("preset", "last", "first"),
    [
        ("1m", dt.date(2023, 3, 31), dt.date(2023, 3, 1)),
        ("1m", dt.date(2023, 3, 15), dt.date(2023, 2, 16)),
        ("3m", dt.date(2023, 5, 31), dt.date(2023, 3, 1)),
        ("1y", dt.date(2023, 3, 31), dt.date(2022, 4, 1)),
        ("1y", dt.date(2024, 2, 29), dt.date(2023, 3, 1)),
        ("1m", dt.date(2023, 1, 10), dt.date(2022, 12, 11)),
        ("all", dt.date(2023, 1, 10), None),
    ],
)
def test_a_preset_counts_back_from_the_last_day(preset, last, first):
    assert preset_start(preset, last) == first


def test_a_preset_window_ends_on_each_series_own_last_day():
    state = CoronaState(period="1m")
    assert window(state, dt.date(2022, 12, 31)) == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    assert window(state, dt.date(2024, 2, 27)) == (dt.date(2024, 1, 28), dt.date(2024, 2, 27))


def test_the_whole_period_and_a_series_without_data_leave_the_window_open():
    assert window(CoronaState(), dt.date(2023, 3, 31)) == (None, None)
    assert window(CoronaState(period="3m"), None) == (None, None)


def test_a_custom_range_is_the_same_window_for_every_series():
    state = CoronaState(period=None, months=("2021-10", "2022-02"))
    expected = (dt.date(2021, 10, 1), dt.date(2022, 2, 28))
    assert window(state, dt.date(2023, 3, 31)) == window(state, None) == expected


def test_month_numbers_count_whole_months():
    assert month_number(dt.date(2021, 12, 31)) + 1 == month_number(dt.date(2022, 1, 1))
    assert month_label(month_number(dt.date(2021, 3, 9))) == "2021-03"
    assert month_bounds(("2021-12", "2021-12")) == (dt.date(2021, 12, 1), dt.date(2021, 12, 31))


def test_controls_give_a_state_where_a_preset_wins_over_the_slider():
    months = [month_number(dt.date(2021, 1, 1)), month_number(dt.date(2021, 6, 1))]
    with_preset = state_from_controls(
        view="per100k", preset="3m", months=months, metric="deaths", compare=["GM0106"], lang="en"
    )
    assert with_preset == CoronaState("per100k", "deaths", "3m", None, ("GM0106",), "en")
    custom = state_from_controls(
        view=None, preset=None, months=months, metric=None, compare=None, lang=None
    )
    assert (custom.period, custom.months, custom.view) == (None, ("2021-01", "2021-06"), "absolute")
