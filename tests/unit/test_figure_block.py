"""The accessible figure wrapper: text summaries, Plotly settings per language, ARIA wiring."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from layouts.figure_block import (
    BlockIds,
    Source,
    data_table,
    figure_block,
    graph_config,
    prepare_figure,
    source_line,
)
from layouts.figures.summary import ranking_summary, series_summary
from layouts.pages.help import peak_window

DAYS = [dt.date(2022, 2, 1) + dt.timedelta(days=i) for i in range(10)]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def test_series_summary_says_what_where_when_latest_change_and_peak_in_dutch():
    values = [10, 12, 14, 16, 18, 20, 22, 30, 26, 25.5]
    text = series_summary(
        "Positief geteste mensen", "Emmen", DAYS, values, unit="personen", decimals=1, lang="nl"
    )
    assert text.startswith(
        "Positief geteste mensen in Emmen, van 1 februari 2022 tot en met 10 februari 2022."
    )
    assert "Laatste waarde, 10 februari 2022: 25,5 personen." in text
    # 25.5 on 10 February against 14 on 3 February, seven days earlier
    assert "Dat is 11,5 meer dan de week ervoor." in text
    assert "Hoogste waarde: 30,0 personen, 8 februari 2022." in text


def test_series_summary_in_english_with_week_periods_and_archive_note():
    weeks = [dt.date(2022, 1, 3), dt.date(2022, 1, 10)]
    text = series_summary(
        "Hospital admissions",
        "Emmen",
        weeks,
        [1234.0, 1000.0],
        unit="admissions",
        decimals=0,
        lang="en",
        frequency="week",
        archived_since=dt.date(2024, 2, 27),
    )
    assert "from week 1 of 2022 to week 2 of 2022" in text
    assert "Latest value, week 2 of 2022: 1,000 admissions." in text
    assert "That is 234 less than the week before." in text
    assert text.endswith("These figures are no longer updated since 27 February 2024.")


def test_series_summary_compares_by_date_also_with_timestamps_and_gaps():
    periods = [pd.Timestamp("2022-02-01"), pd.Timestamp("2022-02-05"), pd.Timestamp("2022-02-08")]
    text = series_summary("X", "Emmen", periods, [4, 9, 4], unit="", decimals=0, lang="en")
    assert "That is unchanged from the week before." in text
    no_week_before = series_summary(
        "X", "Emmen", periods[1:], [9, 4], unit="", decimals=0, lang="en"
    )
    assert "week before" not in no_week_before


def test_series_summary_skips_missing_values_and_says_when_there_are_none():
    text = series_summary(
        "Inwoners", "Emmen", DAYS[:3], [None, float("nan"), 5], unit="", decimals=0, lang="nl"
    )
    assert "van 3 februari 2022 tot en met 3 februari 2022" in text
    assert "Hoogste" not in text  # a single value has no peak worth naming
    empty = series_summary(
        "Inwoners", "Emmen", DAYS[:2], [None, None], unit="", decimals=0, lang="nl"
    )
    assert empty == "Inwoners in Emmen: geen gegevens."


def test_series_summary_yearly_compares_with_the_previous_value():
    years = [dt.date(2023, 1, 1), dt.date(2024, 1, 1)]
    same = series_summary(
        "X", "Emmen", years, [5, 5], unit="", decimals=0, lang="en", frequency="year"
    )
    assert "That is the same as on 1 January 2023." in same


def test_ranking_summary_names_highest_lowest_and_missing_areas():
    text = ranking_summary(
        "Inwoners",
        "wijk",
        "2024",
        {"Emmen-Centrum": 12000, "Angelslo": 5000.4, "Bargeres": None},
        unit="inwoners",
        decimals=0,
        lang="nl",
    )
    assert text == (
        "Inwoners per wijk, 2024. Hoogste waarde: Emmen-Centrum, 12.000 inwoners. "
        "Laagste waarde: Angelslo, 5.000 inwoners. Geen gegevens voor 1 van de 3 gebieden."
    )
    assert ranking_summary("X", "buurt", "2024", {}, unit="", decimals=0, lang="en") == (
        "X by buurt, 2024: no data."
    )


def test_prepare_figure_fixes_cartesian_axes_and_sets_separators_without_changing_input():
    figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    prepared = prepare_figure(figure, "nl")
    assert prepared.layout.separators == ",."
    assert prepared.layout.dragmode is False
    assert prepared.layout.xaxis.fixedrange and prepared.layout.yaxis.fixedrange
    assert figure.layout.separators is None and figure.layout.dragmode is None
    assert prepare_figure(figure, "en").layout.separators == ".,"


def test_prepare_figure_leaves_map_interaction_alone():
    figure = go.Figure(go.Choropleth(locations=["GM0114"], z=[1]))
    prepared = prepare_figure(figure, "nl")
    assert prepared.layout.dragmode is None
    assert prepared.layout.xaxis.fixedrange is None


def test_graph_config_has_no_mode_bar_and_dutch_month_names_for_dutch():
    nl, en = graph_config("nl"), graph_config("en")
    assert nl["displayModeBar"] is False and en["displayModeBar"] is False
    assert nl["locale"] == "nl"
    assert nl["locales"]["nl"]["format"]["shortMonths"][2] == "mrt"
    assert "locale" not in en


def test_figure_block_wires_name_description_table_and_hides_the_drawing():
    ids = BlockIds("x")
    source = Source("RIVM", "Cijfers", "CC0", "https://example.org")
    block = figure_block(
        ids,
        "Titel",
        go.Figure(go.Bar(x=[1], y=[2])),
        "Samenvatting van de grafiek.",
        data_table(["Datum", "Waarde"], [["1 februari 2022", "2"]], "Titel"),
        source_line([source], dt.date(2022, 2, 1), "nl", "/api", "/api?format=csv", "Titel"),
        "nl",
    )
    parts = list(_walk(block))
    figure = next(p for p in parts if getattr(p, "role", None) == "figure")
    attrs = figure.to_plotly_json()["props"]
    assert attrs["aria-labelledby"] == ids.title and attrs["aria-describedby"] == ids.summary
    assert any(getattr(p, "id", None) == ids.summary for p in parts)
    graph = next(p for p in parts if isinstance(p, dcc.Graph))
    assert graph.config["displayModeBar"] is False
    hidden = next(p for p in parts if p.to_plotly_json()["props"].get("aria-hidden") == "true")
    assert graph in list(_walk(hidden))
    assert any(isinstance(p, html.Caption) for p in parts)


def test_source_links_keep_their_visible_text_first_in_the_accessible_name():
    line = source_line([], None, "en", "/api", "/csv", "Positive tests")
    links = [p for p in _walk(line) if isinstance(p, html.A)]
    assert [link.children[0] for link in links] == ["API link", "Download CSV"]
    assert all(link.children[1].className == "visually-hidden" for link in links)
    assert all(link.children[1].children == ": Positive tests" for link in links)
    assert all("aria-label" not in link.to_plotly_json()["props"] for link in links)


def test_each_dataset_gets_one_licence_link_named_after_its_data():
    cbs = Source("CBS", "Kerncijfers wijken en buurten 2024", "CC BY 4.0", "https://cbs.nl/a")
    kadaster = Source("CBS, Kadaster", "Wijk- en buurtkaart", "CC BY 4.0", "https://pdok.nl/b")
    line = source_line([cbs, kadaster, cbs], None, "nl", None, None, "Inwoners")
    links = [p for p in _walk(line) if isinstance(p, html.A)]
    assert [link.href for link in links] == ["https://cbs.nl/a", "https://pdok.nl/b"]
    assert [link.children[0] for link in links] == ["CC BY 4.0", "CC BY 4.0"]
    names = [link.children[1].children for link in links]
    assert names == [": Kerncijfers wijken en buurten 2024", ": Wijk- en buurtkaart"]
    assert line.children[0] == "Bron: CBS, Kadaster"


def test_data_table_without_id_renders():
    table = data_table(["A"], [["1"]], "Caption")
    assert table.role == "region" and table.tabIndex == "0"


def test_peak_window_centres_on_the_highest_average():
    periods = pd.date_range("2022-01-01", periods=100, freq="D")
    average = pd.DataFrame({"period": periods, "value": [float(i == 70) for i in range(100)]})
    daily = pd.DataFrame({"period": periods, "value": range(100)})
    window = peak_window(daily, average, days=20)
    assert len(window) == 20
    assert window["period"].iloc[10] == periods[70]
    assert list(window.columns) == ["period", "daily", "average"]
    at_end = peak_window(daily, average.assign(value=[float(i == 99) for i in range(100)]), 20)
    assert at_end["period"].iloc[-1] == periods[99] and len(at_end) == 20
    none = peak_window(daily, average.assign(value=float("nan")), 20)
    assert none.empty
