"""Trend block: an indicator over time for one or more areas, with period presets.

One area of a daily count with a 7-day average in the catalog (`<id>_7d`) is drawn as daily bars
with the average line; irregular measurements as markers; everything else as one line per area.
The figures come from layouts/figures/trend.py, and the browser writes the "show as table"
alternative from the figure itself (tableFromFigure in app/assets/2-site/clientside.js, one
pattern-matching callback in callbacks/themes.py). `trend_view` is pure; the page and the range
callback both use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from dash import html

from data.catalog import Catalog, Indicator
from data.reader import Reader
from layouts.blocks.common import BlockContext, area_names, meta_line, shown_areas, title_of
from layouts.components import archived_badge, radio_group
from layouts.downloads import DownloadQuery
from layouts.figure_block import figure_block
from layouts.figures import trend as trend_figures
from layouts.figures.summary import list_values, series_summary
from layouts.i18n import format_date, t
from layouts.views.families import is_seven_day_mean, per_100k_of, seven_day_mean_of
from layouts.views.periods import PRESETS, preset_start

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import TrendBlock

KIND = "trend"
RANGES = PRESETS
DAILY_UP_TO_DAYS = 120  # a longer span of a 7-day average is drawn (and tabled) once a week


@dataclass(frozen=True)
class TrendView:
    figure: go.Figure
    summary: str
    last_period: pd.Timestamp | None


def average_partner(catalog: Catalog, indicator_id: str) -> Indicator | None:
    """The 7-day average of a daily count (covid_cases -> covid_cases_7d), if the catalog has it."""
    partner = seven_day_mean_of(catalog, indicator_id)
    return catalog.indicators[partner] if partner is not None else None


def has_ranges(indicator: Indicator) -> bool:
    return indicator.frequency in ("day", "week", "measurement")


def clip_to_range(frame: pd.DataFrame, range_value: str, last: pd.Timestamp | None):
    """The rows of `frame` from the first day of the preset before `last` ('all': every row),
    by the same rule as the corona page (layouts/views/periods.py)."""
    if last is None or frame.empty:
        return frame
    first = preset_start(range_value, pd.Timestamp(last).date())
    return frame if first is None else frame[frame["period"] >= pd.Timestamp(first)]


def is_seven_day_average(catalog: Catalog, indicator_id: str) -> bool:
    """covid_cases_per_100k_7d is the 7-day mean of covid_cases_per_100k (catalog: derivation)."""
    return is_seven_day_mean(catalog, indicator_id)


def weekly_points(frame: pd.DataFrame, last: pd.Timestamp | None) -> pd.DataFrame:
    """Every seventh day, counted back from `last`. For a 7-day average each point is the mean
    of its own week, so nothing is lost, and the chart and its table stay light (a table of
    three years of days has over a thousand rows, which the browser draws very slowly)."""
    if frame.empty or last is None:
        return frame
    days_back = (last - frame["period"]).dt.days
    return frame[days_back % 7 == 0]


def with_dates(figure: go.Figure) -> go.Figure:
    """Adapter for yearly, weekly and weekly-sampled series: comparison_figure writes a series
    as a first day plus one value per day (x0/dx), which leaves such values as loose dots among
    empty days. Here each trace gets its own dates (x) and only its values, so the lines join
    up; the browser's table reads x as well. Returns `figure`, changed."""
    for trace in figure.data:
        if trace.x is not None or trace.x0 is None or not trace.dx:
            continue
        start = dt.datetime.fromisoformat(str(trace.x0)[:10])
        points = [
            ((start + dt.timedelta(milliseconds=k * trace.dx)).date().isoformat(), value)
            for k, value in enumerate(trace.y)
            if value is not None
        ]
        trace.update(x=[day for day, _ in points], y=[value for _, value in points])
        trace.update(x0=None, dx=None)
    return figure


def _summary(
    title: str,
    indicator: Indicator,
    frame: pd.DataFrame,
    areas: list[str],
    names: Mapping[str, str],
    lang: str,
) -> str:
    first = frame[frame["area"] == areas[0]].dropna(subset=["value"])
    text = series_summary(
        title,
        names.get(areas[0], areas[0]),
        [p.date() for p in first["period"]],
        first["value"].tolist(),
        unit=indicator.unit.get(lang),
        decimals=indicator.decimals,
        lang=lang,
        frequency=indicator.frequency,
        archived_since=indicator.archived_since,
    )
    if len(areas) == 1 or first.empty:
        return text
    last = first["period"].max()
    at_last = frame[frame["period"] == last].set_index("area")["value"]
    items = [(names.get(a, a), at_last.get(a)) for a in areas]
    values = list_values(items, lang, indicator.decimals)
    return f"{text} {t('themes.trend_compare', lang, date=format_date(last, lang), values=values)}"


def trend_view(
    catalog: Catalog,
    block: TrendBlock,
    frame: pd.DataFrame,
    average: pd.DataFrame | None,
    names: Mapping[str, str],
    lang: str,
    range_value: str,
) -> TrendView:
    """Figure (with its table caption) and summary of a trend block for the range (pure)."""
    indicator = catalog.indicators[block.indicator]
    last = None if frame.empty else pd.Timestamp(frame["period"].max())
    daily = clip_to_range(frame, range_value, last)
    weekly = (
        is_seven_day_average(catalog, block.indicator)
        and not daily.empty
        and (daily["period"].max() - daily["period"].min()).days > DAILY_UP_TO_DAYS
    )
    shown = weekly_points(daily, last) if weekly else daily
    title = title_of(block, indicator, lang)
    areas = list(block.areas)
    partner = average_partner(catalog, block.indicator) if len(areas) == 1 else None
    if partner is not None and average is not None:
        shown_average = clip_to_range(average, range_value, last)
        figure = trend_figures.trend_figure(
            shown, indicator, lang, average=shown_average, average_indicator=partner
        )
    elif indicator.frequency == "measurement":
        figure = trend_figures.measurement_figure(shown, indicator, areas, names, lang)
    else:
        figure = trend_figures.comparison_figure(shown, indicator, areas, names, lang)
        if weekly or indicator.frequency != "day":
            figure = with_dates(figure)
    caption = t("themes.weekly_caption", lang, title=title) if weekly else title
    trend_figures.with_table_caption(figure, caption)
    summary = _summary(title, indicator, daily, areas, names, lang)
    return TrendView(figure, summary, last)


VIEWS = ("absolute", "per100k")  # as on the corona page (layouts/corona_state.py)
VIEW_LABELS = {"absolute": "common.absolute", "per100k": "common.per_100k"}


def as_shown(catalog: Catalog, block: TrendBlock, view: str) -> TrendBlock:
    """The block with its indicator per 100,000 when the reader chose that (`per_100k_toggle`)."""
    if view != "per100k" or not block.per_100k_toggle:
        return block
    rate = per_100k_of(catalog, block.indicator)
    return block if rate is None else block.model_copy(update={"indicator": rate})


def load_view(
    reader: Reader, block: TrendBlock, lang: str, range_value: str, view: str = "absolute"
) -> TrendView:
    """trend_view with the block's observations read from the store."""
    catalog = reader.catalog
    block = as_shown(catalog, block, view)
    frame = reader.series(block.indicator, tuple(block.areas))
    partner = average_partner(catalog, block.indicator) if len(block.areas) == 1 else None
    average = reader.series(partner.id, tuple(block.areas)) if partner is not None else None
    return trend_view(catalog, block, frame, average, area_names(reader, lang), lang, range_value)


def range_control(block: TrendBlock, context: BlockContext, shown: bool) -> html.Div:
    """The period choice; kept hidden (not left out) when the indicator has no ranges, so that
    the one trend callback always finds both of its inputs."""
    lang = context.lang
    return html.Div(
        radio_group(
            t("time.label", lang),
            context.ids(KIND).part("range"),
            [{"label": t(f"time.{value}", lang), "value": value} for value in RANGES],
            block.range if shown else "all",
        ),
        hidden=not shown,
    )


def view_control(block: TrendBlock, context: BlockContext) -> html.Div:
    """Counts or per 100,000 inhabitants (`per_100k_toggle`); hidden without the toggle."""
    lang = context.lang
    return html.Div(
        radio_group(
            t("common.show_as", lang),
            context.ids(KIND).part("view"),
            [{"label": t(VIEW_LABELS[value], lang), "value": value} for value in VIEWS],
            "absolute",
        ),
        hidden=not block.per_100k_toggle,
    )


def following(block: TrendBlock, url_area: str | None) -> TrendBlock:
    """The block with the area of the page address in place of its first area, when it
    follows the address (`area_from_url`)."""
    areas = shown_areas(list(block.areas), block.area_from_url, url_area)
    return block if areas == list(block.areas) else block.model_copy(update={"areas": areas})


def build(block: TrendBlock, context: BlockContext) -> html.Section:
    lang, catalog = context.lang, context.catalog
    block = following(block, context.url_area)
    indicator = catalog.indicators[block.indicator]
    ranged = has_ranges(indicator)
    view = load_view(context.reader, block, lang, block.range if ranged else "all")
    title = title_of(block, indicator, lang)
    ids = context.ids(KIND)
    return figure_block(
        ids,
        title,
        view.figure,
        html.Span(view.summary, id=ids.part("summary")),
        html.Div(id=ids.part("table")),  # written in the browser from the figure
        meta_line(
            catalog,
            [block.indicator],
            view.last_period,
            lang,
            title,
            download=DownloadQuery((block.indicator,), tuple(block.areas)),
        ),
        lang,
        badge=archived_badge(indicator, lang),
        controls=html.Div([view_control(block, context), range_control(block, context, ranged)]),
    )
