"""Help: how to read the charts, maps and tables, in plain words, with a real example chart."""

from __future__ import annotations

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from data.reader import Reader
from layouts.downloads import DownloadQuery
from layouts.figure_block import (
    BlockIds,
    Source,
    data_table,
    figure_block,
    source_line,
)
from layouts.figures.summary import series_summary
from layouts.i18n import format_date, format_number, normalize_lang, t
from layouts.pages import ReaderSource, with_reader
from layouts.shell import with_lang

PATH = "/help"
DAILY, AVERAGE = "covid_cases", "covid_cases_7d"
WINDOW_DAYS = 56
BAR_COLOUR = "#4e8fc9"  # 3.4:1 against white, 3.4:1 against the line
LINE_COLOUR = "#003a63"
EXAMPLE_IDS = BlockIds("help-example")


def peak_window(
    daily: pd.DataFrame, average: pd.DataFrame, days: int = WINDOW_DAYS
) -> pd.DataFrame:
    """`days` consecutive periods around the highest 7-day average.

    Takes two series (columns period, value) and returns columns period, daily, average,
    oldest first; empty when there is no average at all.
    """
    merged = (
        daily[["period", "value"]]
        .rename(columns={"value": "daily"})
        .merge(
            average[["period", "value"]].rename(columns={"value": "average"}),
            on="period",
            how="outer",
        )
        .sort_values("period")
        .reset_index(drop=True)
    )
    if merged["average"].isna().all():
        return merged.iloc[0:0]
    peak = int(merged["average"].idxmax())
    start = max(0, min(peak - days // 2, len(merged) - days))
    return merged.iloc[start : start + days].reset_index(drop=True)


def example_figure(window: pd.DataFrame, lang: str) -> go.Figure:
    """Bars for the daily numbers and a line for the 7-day average."""
    figure = go.Figure(
        [
            go.Bar(
                x=window["period"],
                y=window["daily"],
                name=t("help.example_daily", lang),
                marker_color=BAR_COLOUR,
            ),
            go.Scatter(
                x=window["period"],
                y=window["average"],
                name=t("help.example_average", lang),
                mode="lines",
                line={"color": LINE_COLOUR, "width": 3},
            ),
        ]
    )
    figure.update_layout(
        margin={"l": 48, "r": 8, "t": 8, "b": 8},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        font={"color": "#212529"},
        hovermode="x unified",
        bargap=0.15,
    )
    figure.update_xaxes(tickformat="%-d %b")
    figure.update_yaxes(gridcolor="#d9d9d9", rangemode="tozero")
    return figure


def example_table(window: pd.DataFrame, lang: str, caption: str) -> html.Div:
    rows = [
        (
            format_date(period, lang),
            format_number(daily, lang, decimals=0),
            format_number(average, lang, decimals=1),
        )
        for period, daily, average in zip(
            window["period"], window["daily"], window["average"], strict=True
        )
    ]
    columns = (
        t("common.date", lang),
        t("help.example_daily", lang),
        t("help.example_average", lang),
    )
    return data_table(columns, rows, caption, numeric=(False, True, True))


def example_block(reader: Reader, lang: str) -> html.Section | html.P:
    catalog = reader.catalog
    window = peak_window(
        reader.series(DAILY, (reader.home,)), reader.series(AVERAGE, (reader.home,))
    )
    if window.empty:
        return html.P(t("help.example_no_data", lang), id=EXAMPLE_IDS.summary)
    title = t("help.example_title", lang)
    average = catalog.indicator(AVERAGE)
    summary = series_summary(
        average.title.get(lang),
        reader.home_name,
        list(window["period"]),
        list(window["average"]),
        unit=average.unit.get(lang),
        decimals=average.decimals,
        lang=lang,
    )
    dataset = catalog.primary_dataset(DAILY)
    start, end = window["period"].iloc[0], window["period"].iloc[-1]
    meta = source_line(
        [Source.of(dataset, lang)],
        end,
        lang,
        None,
        None,
        title,
        download=DownloadQuery((DAILY,), (reader.home,), start=start, end=end),
    )
    return figure_block(
        EXAMPLE_IDS,
        title,
        example_figure(window, lang),
        summary,
        example_table(window, lang, title),
        meta,
        lang,
        heading_level=3,
        graph_height=280,
    )


def _section(section_id: str, heading: str, *body) -> html.Section:
    heading_id = f"{section_id}-heading"
    return html.Section(
        [html.H2(heading, id=heading_id, className="h4 mt-4"), *body],
        id=section_id,
        **{"aria-labelledby": heading_id},
    )


def layout(reader: Reader, lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    return html.Div(
        [
            html.H1(t("help.heading", lang)),
            html.P(t("help.intro", lang), className="lead mm-prose"),
            _section(
                "help-bars",
                t("help.bars_heading", lang),
                html.P(t("help.bars", lang), className="mm-prose"),
                html.P(t("help.line", lang), className="mm-prose"),
                example_block(reader, lang),
            ),
            _section(
                "help-per-100k",
                t("help.per100k_heading", lang),
                html.P(t("help.per100k", lang), className="mm-prose"),
            ),
            _section(
                "help-archived",
                t("help.archived_heading", lang),
                html.P(t("help.archived", lang), className="mm-prose"),
            ),
            _section(
                "help-maps",
                t("help.maps_heading", lang),
                html.P(t("help.maps", lang), className="mm-prose"),
                html.P(t("help.maps_no_data", lang), className="mm-prose"),
                html.P(t("help.maps_table", lang), className="mm-prose"),
            ),
            _section(
                "help-tables",
                t("help.tables_heading", lang),
                html.P(t("help.tables", lang), className="mm-prose"),
            ),
            _section(
                "help-summary",
                t("help.summary_heading", lang),
                html.P(t("help.summary", lang), className="mm-prose"),
            ),
            _section(
                "help-sources",
                t("help.sources_heading", lang),
                html.P(t("help.sources", lang), className="mm-prose"),
                html.P(
                    dcc.Link(
                        t("help.statement_link", lang),
                        href=with_lang("/toegankelijkheid", None, lang),
                    )
                ),
            ),
        ]
    )


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "help",
        path=PATH,
        layout=with_reader(layout, reader_of, memo="help"),
        name=t("help.title", "nl"),
        titles={"nl": t("help.title", "nl"), "en": t("help.title", "en")},
        title=f"{t('help.title', 'nl')} | MMmeter",
        nav=False,
        order=92,
    )
