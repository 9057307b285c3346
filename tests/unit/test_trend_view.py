"""The trend view model (layouts/views/trends.py): the table holds the figure's numbers, the
summary names the last value, the download asks for what is shown, a share URL restores it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from app.settings import PROJECT_ROOT
from data.catalog import load_catalog
from layouts.corona_state import CoronaState, parse_state, to_query, window
from layouts.downloads import DownloadQuery
from layouts.i18n import format_number
from layouts.views.trends import (
    comparison_trend,
    count_trend,
    measurement_trend,
    period_trend,
    table_rows,
    trace_points,
)

RATE = "covid_cases_per_100k_7d"
NAMES = {"GM0114": "Emmen", "PV22": "Drenthe"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PROJECT_ROOT / "data" / "catalog.yaml")


def series(areas=("GM0114",), days=90, start="2022-01-01", step=1.5) -> pd.DataFrame:
    periods = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame(
        [
            {"area": a, "period": p, "value": round(3.0 + step * i + 7 * k, 1)}
            for k, a in enumerate(areas)
            for i, p in enumerate(periods)
        ]
    )


def traced(figure) -> dict[tuple[int, str], float]:
    return {(i, day): value for i, tr in enumerate(figure.data) for day, value in trace_points(tr)}


def tabled(rows) -> dict[tuple[int, str], float]:
    return {
        (i, day): value
        for day, values in rows
        for i, value in enumerate(values)
        if value is not None
    }


def corona_trend(catalog, state: CoronaState, daily, average):
    last = pd.Timestamp(average["period"].max()).date()
    return count_trend(
        catalog,
        "covid_cases",
        "covid_cases_7d",
        "GM0114",
        daily,
        average,
        window(state, last),
        state.lang,
        legend={"value": "Per dag", "average": "Gemiddelde"},
        caption="Positief geteste inwoners, per dag",
        phrase="Week tot {date}: gemiddeld {value} {rate}, {change}.",
        no_data="Geen gegevens.",
        words={"rate": "per dag"},
    )


@pytest.mark.parametrize("preset", ["all", "1m"])
def test_a_block_trend_table_holds_the_numbers_of_its_lines(catalog, preset):
    frame = series(("GM0114", "PV22"))
    trend = period_trend(
        catalog,
        "covid_cases_per_100k_7d",
        ["GM0114", "PV22"],
        frame,
        None,
        NAMES,
        "nl",
        preset,
        "T",
    )
    assert tabled(trend.rows) == traced(trend.figure)
    assert len(trend.figure.data) == 2
    days = [day for day, _ in trend.rows]
    assert days == sorted(days, reverse=True)
    assert (days[-1] == "2022-01-01") == (preset == "all")


def test_a_count_trend_table_holds_the_numbers_of_its_bars_and_line(catalog):
    daily, average = series(step=2.0), series(step=1.0)
    trend = corona_trend(catalog, CoronaState().with_preset("3m"), daily, average)
    assert tabled(trend.rows) == traced(trend.figure)
    bars, line = trend.figure.data
    assert [v for _, v in trace_points(bars)] == daily["value"].tolist()
    assert [v for _, v in trace_points(line)] == average["value"].tolist()


def test_the_block_summary_names_the_last_value_of_the_first_area(catalog):
    frame = series(("GM0114", "PV22"))
    trend = period_trend(catalog, RATE, ["GM0114", "PV22"], frame, None, NAMES, "nl", "all", "T")
    decimals = catalog.indicators["covid_cases_per_100k_7d"].decimals
    last = frame[frame["area"] == "GM0114"]["value"].iloc[-1]
    assert format_number(last, "nl", decimals) in trend.summary
    assert trend.last_period == pd.Timestamp("2022-03-31")


def test_the_count_summary_names_the_last_average_shown(catalog):
    daily, average = series(step=2.0), series(step=1.0)
    state = CoronaState().with_months("2022-01", "2022-02")  # ends before the series does
    trend = corona_trend(catalog, state, daily, average)
    decimals = catalog.indicators["covid_cases_7d"].decimals
    on_last_day = average[average["period"] == "2022-02-28"]["value"].item()
    assert format_number(on_last_day, "nl", decimals) in trend.summary
    assert trend.download.end == dt.date(2022, 2, 28)
    assert trend.download.start == dt.date(2022, 1, 1)


def test_the_download_asks_for_the_count_and_its_mean_of_the_days_shown(catalog):
    daily, average = series(), series()
    trend = corona_trend(catalog, CoronaState().with_preset("1m"), daily, average)
    query = trend.download
    assert query.indicators == ("covid_cases", "covid_cases_7d")
    assert query.about == "covid_cases"
    assert query.areas == ("GM0114",)
    assert query.start == dt.date.fromisoformat(trend.rows[-1][0])
    assert query.end == dt.date.fromisoformat(trend.rows[0][0])
    assert trend.sources == ("covid_cases", "covid_cases_7d")


@pytest.mark.parametrize(
    "state",
    [
        CoronaState().with_preset("3m"),
        CoronaState(view="per100k").with_months("2022-02", "2022-03"),
        CoronaState(lang="en").with_preset("1m"),
    ],
)
def test_the_share_url_restores_the_trend(catalog, state):
    daily, average = series(days=200, step=2.0), series(days=200, step=1.0)
    query = parse_qs(urlsplit(to_query(state)).query)
    restored = parse_state({k: v[-1] for k, v in query.items()})
    shown, reopened = (corona_trend(catalog, s, daily, average) for s in (state, restored))
    assert reopened.rows == shown.rows
    assert reopened.summary == shown.summary
    assert reopened.download == shown.download
    assert len(shown.rows) < len(daily)  # the state did narrow the view


def test_table_rows_of_an_empty_figure_are_empty():
    import plotly.graph_objects as go

    assert table_rows(go.Figure()) == []


def compared(catalog, state: CoronaState, frame):
    areas = ["GM0114", "PV22", *state.compare]
    last = pd.Timestamp(frame[frame["area"] == "GM0114"]["period"].max()).date()
    return comparison_trend(
        catalog,
        RATE,
        areas,
        frame,
        {**NAMES, "GM0106": "Assen"},
        window(state, last),
        state.lang,
        caption="Vergelijking",
        summary_key="corona.overview.summary_compare",
        no_data="Geen gegevens.",
        sources=["population"],
    )


def test_the_comparison_table_holds_every_line_and_the_summary_every_area(catalog):
    frame = series(("GM0114", "PV22", "GM0106"), days=120)
    state = CoronaState(compare=("GM0106",)).with_preset("1m")
    trend = compared(catalog, state, frame)
    assert tabled(trend.rows) == traced(trend.figure)
    assert [tr.name for tr in trend.figure.data] == ["Emmen", "Drenthe", "Assen"]
    decimals = catalog.indicators[RATE].decimals
    newest_day, newest = trend.rows[0]
    assert newest_day == "2022-04-30"
    for name, value in zip(("Emmen", "Drenthe", "Assen"), newest, strict=True):
        assert f"{name} {format_number(value, 'nl', decimals)}" in trend.summary
    assert trend.download.areas == ("GM0114",)
    assert trend.download.start == dt.date(2022, 3, 31) == dt.date.fromisoformat(trend.rows[-1][0])
    assert trend.sources == (RATE, "population")


def test_the_share_url_restores_the_comparison(catalog):
    frame = series(("GM0114", "PV22", "GM0106"), days=200)
    state = CoronaState(metric="deaths", compare=("GM0106",)).with_months("2022-03", "2022-04")
    query = parse_qs(urlsplit(to_query(state)).query)
    restored = parse_state({k: v[-1] for k, v in query.items()})
    assert restored.compare == ("GM0106",)
    shown, reopened = (compared(catalog, s, frame) for s in (state, restored))
    assert (reopened.rows, reopened.summary) == (shown.rows, shown.summary)
    assert len({day for day, _ in shown.rows}) == 61  # March and April


def test_the_sewage_trend_tables_its_markers_and_line_at_the_display_scale(catalog):
    sewage = catalog.indicators["sewage_rna_per_100k"]
    scale = sewage.display.scale
    days = pd.date_range("2022-03-01", periods=20, freq="2D")
    frame = pd.concat(
        [
            pd.DataFrame({"area": area, "period": days, "value": [v * scale for v in values]})
            for area, values in (("RWZI1", range(20)), ("GM0114", range(100, 120)))
        ]
    )
    trend = measurement_trend(
        catalog,
        "sewage_rna_per_100k",
        "GM0114",
        ["RWZI1"],
        frame,
        {"RWZI1": "Zuivering", "GM0114": "Gemiddelde"},
        (None, None),
        "nl",
        caption="Rioolwater",
        phrase="Week tot {date}: {value} {unit}, {change}.",
        no_data="Geen gegevens.",
        words={"unit": "x 100 miljard"},
    )
    assert tabled(trend.rows) == traced(trend.figure)
    assert max(v for v in traced(trend.figure).values()) == pytest.approx(119)
    mean_of_last_week = (117 + 118 + 119 + 116) / 4  # the four measurements in the last 7 days
    assert format_number(mean_of_last_week, "nl", sewage.decimals) in trend.summary
    assert trend.download == DownloadQuery(
        ("sewage_rna_per_100k",), ("GM0114",), start=dt.date(2022, 3, 1), end=dt.date(2022, 4, 8)
    )
