import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from data.catalog import Indicator, Text
from layouts.figures.trend import (
    DAY_MS,
    LONG_SERIES_DAYS,
    comparison_figure,
    daily_points,
    daily_trace,
    editions_bar_figure,
    empty_figure,
    end_label_shifts,
    measurement_figure,
    round_half_up,
    trend_figure,
    with_table_caption,
)


def indicator(decimals: int, title: str = "Positief geteste mensen") -> Indicator:
    return Indicator(
        title=Text(nl=title, en=f"{title} (en)"),
        unit=Text(nl="personen", en="people"),
        decimals=decimals,
        definition=Text(nl="-", en="-"),
        dataset=["rivm_cases"],
        frequency="day",
        higher_is_better=False,
        levels=["gm"],
    )


def observations(area: str, values: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": area,
            "period": pd.to_datetime(list(values)),
            "value": [math.nan if v is None else v for v in values.values()],
        }
    )


def test_round_half_up_rounds_as_published():
    assert round_half_up([2.5, -2.5, 0.285, 702.349, 1.05], 0).tolist()[:2] == [3, -3]
    assert round_half_up([0.285], 2).tolist() == [0.29]
    assert round_half_up([702.35, 1.05], 1).tolist() == [702.4, 1.1]
    assert math.isnan(round_half_up([math.nan], 1)[0])


def test_daily_points_give_the_first_day_and_a_value_per_day_with_gaps_as_none():
    values = pd.Series([1.0, 3.0], index=pd.to_datetime(["2024-02-24", "2024-02-27"]))
    assert daily_points(values) == ("2024-02-24", [1, None, None, 3])


def test_trend_figure_draws_daily_bars_and_the_average_line_rounded_as_shown():
    bars = observations("GM0114", {"2022-02-08": 700, "2022-02-09": None, "2022-02-10": 714})
    average = observations("GM0114", {"2022-02-09": 702.349, "2022-02-10": 714.05})
    figure = trend_figure(
        bars,
        indicator(0),
        "nl",
        average=average,
        average_indicator=indicator(1),
        names={"value": "Per dag", "average": "Gemiddelde over 7 dagen"},
    )
    bar, line = figure.data
    assert (bar.type, bar.name, bar.x0, bar.dx) == ("bar", "Per dag", "2022-02-08", DAY_MS)
    assert list(bar.y) == [700, None, 714]
    assert (line.name, line.x0, list(line.y)) == (
        "Gemiddelde over 7 dagen",
        "2022-02-09",
        [702.3, 714.1],
    )
    assert "%{y:,.1f}" in line.hovertemplate and "%{y:,.0f}" in bar.hovertemplate
    assert figure.layout.hovermode == "x unified"
    assert figure.layout.separators == ",."
    assert figure.layout.meta["table"]["decimals"] == [0, 1]
    assert figure.layout.meta["table"]["locale"] == "nl-NL"


def test_trend_figure_names_default_to_the_indicator_titles_in_the_language():
    figure = trend_figure(
        observations("GM0114", {"2022-02-10": 1}), indicator(0, "Overleden"), "en"
    )
    assert [trace.name for trace in figure.data] == ["Overleden (en)"]
    assert figure.layout.separators == ".,"


def test_trend_figure_without_data_says_so():
    figure = trend_figure(observations("GM0114", {}), indicator(0), "nl", average=None)
    assert list(figure.data) == []
    assert figure.layout.annotations[0].text == "geen gegevens"


def test_a_long_daily_series_stays_small():
    days = pd.date_range("2020-03-01", "2023-03-31", freq="D")
    frame = pd.DataFrame({"area": "GM0114", "period": days, "value": np.arange(len(days)) % 97})
    figure = trend_figure(frame, indicator(0), "nl", average=frame, average_indicator=indicator(1))
    assert len(figure.to_json()) < 20_000  # about 4 bytes per value, no date per point


def test_comparison_lines_differ_in_dash_and_marker_and_carry_end_labels():
    frame = pd.concat(
        [
            observations("GM0114", {"2023-03-30": 1.26, "2023-03-31": 1.31}),
            observations("PV22", {"2023-03-30": 1.0, "2023-03-31": 1.1}),
            observations("NL01", {"2023-03-29": 40.0, "2023-03-31": 1.3}),
        ]
    )
    names = {"GM0114": "Emmen", "PV22": "Drenthe", "NL01": "Nederland", "GM0106": "Assen"}
    figure = comparison_figure(
        frame, indicator(1), ["GM0114", "PV22", "NL01", "GM0106"], names, "nl"
    )
    assert [trace.name for trace in figure.data] == ["Emmen", "Drenthe", "Nederland"]
    styles = {(trace.line.dash, trace.marker.symbol) for trace in figure.data}
    assert len(styles) == 3
    assert all(trace.mode == "lines+markers" for trace in figure.data)
    assert list(figure.data[0].y) == [1.3, 1.3]
    assert list(figure.data[2].y) == [40, None, 1.3]
    labels = {a.text: a for a in figure.layout.annotations}
    assert set(labels) == {"Emmen", "Drenthe", "Nederland"}
    assert labels["Emmen"].x == "2023-03-31" and labels["Emmen"].y == 1.3
    assert labels["Emmen"].yshift != labels["Nederland"].yshift  # 1.3 and 1.3: moved apart
    assert list(figure.layout.xaxis.range) == ["2023-03-29", "2023-03-31"]


def test_end_labels_move_apart_only_when_close():
    assert end_label_shifts([1.0, 50.0, 100.0], span=100) == [0, 0, 0]
    assert end_label_shifts([1.0, 2.0, 3.0], span=100) == [0, 14, 28]
    assert end_label_shifts([0.0, 0.0], span=0) == [0, 14]  # all zero: no division by zero


def test_measurement_figure_draws_plants_as_markers_and_the_mean_as_a_line():
    frame = pd.concat(
        [
            observations("3022", {"2022-03-09": 1.2e14, "2022-03-14": 1.0e14}),
            observations("3023", {"2022-03-10": 0.8e14}),
            observations("GM0114", {"2022-03-09": 1.2e14, "2022-03-10": 0.8e14}),
        ]
    )
    names = {"3022": "Rwzi Emmen", "3023": "Rwzi Klazienaveen", "GM0114": "Gemiddelde Emmen"}
    figure = measurement_figure(
        frame,
        indicator(0),
        ["3022", "3023", "GM0114"],
        names,
        "nl",
        line_area="GM0114",
        scale=1e11,
    )
    modes = [(trace.name, trace.mode) for trace in figure.data]
    assert modes == [
        ("Rwzi Emmen", "markers"),
        ("Rwzi Klazienaveen", "markers"),
        ("Gemiddelde Emmen", "lines+markers"),
    ]
    assert list(figure.data[0].x) == ["2022-03-09", "2022-03-14"]
    assert list(figure.data[0].y) == [1200, 1000]
    assert figure.data[0].marker.symbol != figure.data[1].marker.symbol


def test_editions_bars_show_every_edition_per_category_newest_first():
    frame = pd.DataFrame(
        {
            "indicator": ["completed_18plus", "completed_18plus", "partly_18plus"],
            "period": pd.to_datetime(["2021-11-08", "2022-03-14", "2022-03-14"]),
            "value": [84.0, 87.0, 88.4],
        }
    )
    labels = {"partly_18plus": "18+, minstens één prik", "completed_18plus": "18+, basisserie"}
    figure = editions_bar_figure(frame, labels, "nl", category="Leeftijdsgroep", suffix="%")
    newest, older = figure.data
    assert (newest.name, older.name) == ("14 maart 2022", "8 november 2021")
    assert list(newest.y) == list(labels.values())
    assert list(newest.x) == [88, 87]
    assert list(newest.text) == ["88%", "87%"]
    assert list(older.x) == [None, 84] and list(older.text) == ["", "84%"]
    assert newest.marker.pattern.shape != older.marker.pattern.shape
    assert figure.layout.meta["table"]["kind"] == "category"
    assert figure.layout.meta["table"]["header"] == "Leeftijdsgroep"


def test_the_table_caption_travels_with_the_figure():
    figure = with_table_caption(empty_figure("geen gegevens", "nl"), "Positief geteste mensen")
    assert figure.layout.meta["table"]["caption"] == "Positief geteste mensen"
    assert figure.layout.meta["table"]["kind"] == "date"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_figures_use_no_default_template(lang):
    figure = trend_figure(observations("GM0114", {"2022-02-10": 1}), indicator(0), lang)
    assert '"template":{"data":{"histogram2dcontour"' not in figure.to_json().replace(" ", "")


def _every_kind_of_figure():
    frame = pd.concat(
        [
            observations("GM0114", {"2022-03-09": 1.2e14, "2022-03-10": 0.8e14}),
            observations("3022", {"2022-03-09": 1.2e14}),
        ]
    )
    editions = pd.DataFrame(
        {"indicator": ["a"], "period": pd.to_datetime(["2022-03-14"]), "value": [87.0]}
    )
    names = {"GM0114": "Emmen", "3022": "Rwzi Emmen"}
    return {
        "trend": trend_figure(frame[frame["area"] == "GM0114"], indicator(0), "nl", average=frame),
        "comparison": comparison_figure(frame, indicator(1), ["GM0114", "3022"], names, "en"),
        "measurement": measurement_figure(
            frame, indicator(0), ["3022", "GM0114"], names, "nl", line_area="GM0114"
        ),
        "editions": editions_bar_figure(editions, {"a": "18+"}, "nl", category="Groep"),
        "empty": empty_figure("geen gegevens", "nl"),
    }


@pytest.mark.parametrize("kind", ["trend", "comparison", "measurement", "editions", "empty"])
def test_every_figure_passes_plotly_validation(kind):
    """The figures are built without plotly's checks (for speed); they must pass them."""
    figure = _every_kind_of_figure()[kind]
    go.Figure(figure.to_dict())  # raises ValueError on an unknown or invalid property


def test_a_few_months_of_daily_values_are_bars():
    trace = daily_trace("2022-01-01", [1.0] * LONG_SERIES_DAYS, "Per dag", 0)
    assert trace["type"] == "bar"
    assert trace["y"] == [1.0] * LONG_SERIES_DAYS


def test_a_long_daily_series_is_one_filled_step_line_with_every_daily_value():
    days = pd.date_range("2020-03-01", "2023-03-31", freq="D")
    values = (np.arange(len(days)) % 97).astype(float)
    values[10] = np.nan  # a day without a value stays a gap, not a zero
    frame = pd.DataFrame({"area": "GM0114", "period": days, "value": values})
    figure = trend_figure(frame, indicator(0), "nl", average=frame, average_indicator=indicator(1))
    daily, average = figure.data
    assert (daily.type, daily.mode, daily.fill, daily.line.shape) == (
        "scatter",
        "lines",
        "tozeroy",
        "hvh",
    )
    assert daily.connectgaps is False
    assert len(daily.y) == len(days)  # the hover labels and the table keep every day
    assert daily.y[10] is None and daily.y[11] == 11
    assert (daily.x0, daily.dx) == ("2020-03-01", DAY_MS)
    assert daily.name == indicator(0).title.get("nl")
    assert average.type == "scatter" and average.fill is None
