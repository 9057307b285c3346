"""Trend blocks: period presets, weekly points for long 7-day averages, dates for yearly data."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from app.settings import PROJECT_ROOT
from data.catalog import load_catalog
from layouts.blocks.trend import (
    average_partner,
    clip_to_range,
    is_seven_day_average,
    trend_view,
    weekly_points,
    with_dates,
)
from layouts.themes.models import TrendBlock

NAMES = {"GM0114": "Emmen", "PV22": "Drenthe"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PROJECT_ROOT / "data" / "catalog.yaml")


def daily(areas=("GM0114",), days=400, start="2021-01-01") -> pd.DataFrame:
    periods = pd.date_range(start, periods=days, freq="D")
    rows = [
        {"area": a, "period": p, "value": float(i + 10 * k)}
        for k, a in enumerate(areas)
        for i, p in enumerate(periods)
    ]
    return pd.DataFrame(rows)


def test_clip_to_range_keeps_whole_calendar_months_up_to_the_last_date():
    frame = daily(days=400)  # 1 January 2021 ... 4 February 2022
    last = frame["period"].max()
    assert clip_to_range(frame, "1m", last)["period"].min() == pd.Timestamp("2022-01-05")
    assert clip_to_range(frame, "3m", last)["period"].min() == pd.Timestamp("2021-11-05")
    assert len(clip_to_range(frame, "all", last)) == 400


@pytest.mark.parametrize("preset", ["1y", "3m", "1m"])
def test_a_theme_trend_and_the_corona_page_show_the_same_days_for_a_preset(preset):
    from layouts.corona_state import CoronaState, window

    frame = daily(days=400)
    last = frame["period"].max()
    first, _ = window(CoronaState(period=preset), last.date())
    assert clip_to_range(frame, preset, last)["period"].min().date() == first


def test_weekly_points_take_every_seventh_day_back_from_the_last():
    frame = daily(days=22)
    last = frame["period"].max()
    days = weekly_points(frame, last)["period"].dt.day.tolist()
    assert days == [1, 8, 15, 22]


def test_seven_day_averages_are_known_by_their_base_indicator(catalog):
    assert is_seven_day_average(catalog, "covid_cases_per_100k_7d")
    assert not is_seven_day_average(catalog, "covid_cases_per_100k")
    assert not is_seven_day_average(catalog, "population")
    assert average_partner(catalog, "covid_cases").id == "covid_cases_7d"
    assert average_partner(catalog, "population") is None


def test_with_dates_gives_each_trace_its_own_dates_without_the_empty_days():
    figure = go.Figure(go.Scatter(x0="2020-01-01", dx=86_400_000, y=[1, None, None, 4]))
    with_dates(figure)
    trace = figure.data[0]
    assert list(trace.x) == ["2020-01-01", "2020-01-04"]
    assert list(trace.y) == [1, 4]
    assert trace.x0 is None and trace.dx is None


def test_a_long_seven_day_average_is_drawn_once_a_week_with_a_caption_saying_so(catalog):
    block = TrendBlock(type="trend", indicator="covid_cases_per_100k_7d", areas=["GM0114", "PV22"])
    view = trend_view(catalog, block, daily(("GM0114", "PV22")), None, NAMES, "nl", "all")
    emmen = view.figure.data[0]
    assert len(emmen.x) == len(emmen.y) == 58  # 400 days: every seventh day
    assert emmen.x[-1] == "2022-02-04"
    caption = view.figure.layout.meta["table"]["caption"]
    assert caption.endswith("op de laatste dag van elke week")
    assert "Op 4 februari 2022: Emmen 399,0 en Drenthe 409,0." in view.summary


def test_a_short_range_of_a_seven_day_average_stays_daily(catalog):
    block = TrendBlock(type="trend", indicator="covid_cases_per_100k_7d", areas=["GM0114"])
    view = trend_view(catalog, block, daily(), None, NAMES, "en", "1m")
    assert view.figure.data[0].x0 is not None  # one value per day
    assert len(view.figure.data[0].y) == 31  # 5 January ... 4 February
    assert view.figure.layout.meta["table"]["caption"] == block_title_en(catalog)


def block_title_en(catalog) -> str:
    return catalog.indicators["covid_cases_per_100k_7d"].title.en


def test_yearly_values_are_joined_by_a_line_at_their_dates(catalog):
    frame = pd.DataFrame(
        {
            "area": ["GM0114"] * 3,
            "period": pd.to_datetime(["2020-01-01", "2021-01-01", "2024-01-01"]),
            "value": [107048.0, 107000.0, 109346.0],
        }
    )
    block = TrendBlock(type="trend", indicator="population", areas=["GM0114"])
    view = trend_view(catalog, block, frame, None, NAMES, "nl", "all")
    trace = view.figure.data[0]
    assert list(trace.x) == ["2020-01-01", "2021-01-01", "2024-01-01"]
    assert "Laatste waarde, 1 januari 2024: 109.346 inwoners." in view.summary


def test_a_daily_count_for_one_area_is_bars_with_its_average(catalog):
    frame = daily(days=20)
    average = frame.assign(value=frame["value"] / 2)
    block = TrendBlock(type="trend", indicator="covid_cases", areas=["GM0114"])
    view = trend_view(catalog, block, frame, average, NAMES, "nl", "all")
    assert [trace.type for trace in view.figure.data] == ["bar", "scatter"]


def test_no_data_gives_a_figure_that_says_so(catalog):
    empty = pd.DataFrame({"area": [], "period": pd.to_datetime([]), "value": []})
    block = TrendBlock(type="trend", indicator="population", areas=["GM0114"])
    view = trend_view(catalog, block, empty, None, NAMES, "nl", "all")
    assert view.figure.layout.annotations[0].text == "geen gegevens"
    assert view.summary == "Inwoners in Emmen: geen gegevens."
