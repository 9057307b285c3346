"""The trend view model: one indicator (or a count with its 7-day mean) over time.

A `Trend` holds everything a trend panel shows: the figure (and, through its traces, the table
the browser writes from it: `rows`), the summary sentence, the indicators the source line names
and the download query of exactly the series and period shown. The theme trend block
(layouts/blocks/trend.py) and the trend panels of /corona both build theirs here:
`period_trend` for a block's indicator and areas with a period preset (layouts/views/periods.py),
`count_trend` for a daily count beside its 7-day mean (families: layouts/views/families.py) in a
window of days. The builders are pure: unit tests give them plain frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.catalog import Catalog, Indicator
from layouts.downloads import DownloadQuery
from layouts.figures import summary as summaries
from layouts.figures import trend as trend_figures
from layouts.i18n import format_date, t
from layouts.views.families import is_seven_day_mean, seven_day_mean_of
from layouts.views.periods import preset_start

DAILY_UP_TO_DAYS = 120  # a longer span of a 7-day average is drawn (and tabled) once a week


@dataclass(frozen=True)
class Trend:
    """What one trend panel shows; `rows` are the rows of its table, read from the figure."""

    figure: go.Figure
    summary: str
    sources: tuple[str, ...]  # the indicators whose datasets the source line names
    download: DownloadQuery  # the series and period shown, as the API is asked for them
    last_period: pd.Timestamp | None  # the date the source line gives

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        return table_rows(self.figure)


# --- the table of a figure -----------------------------------------------------------------


def trace_points(trace) -> list[tuple[str, float]]:
    """(ISO day, value) of each drawn point of a trace with dates (x) or a first day and a
    step (x0/dx, milliseconds), as the browser reads it (tableFromFigure in clientside.js)."""
    values = list(trace.y if trace.y is not None else ())
    if trace.x is not None:
        days = [str(x)[:10] for x in trace.x]
    else:
        start = dt.datetime.fromisoformat(str(trace.x0)[:10])
        step = dt.timedelta(milliseconds=trace.dx or 0)
        days = [(start + k * step).date().isoformat() for k in range(len(values))]
    return [(day, value) for day, value in zip(days, values, strict=False) if value is not None]


def table_rows(figure: go.Figure) -> list[tuple[str, list[float | None]]]:
    """One row per day, newest first: the day and each trace's value on it (None: none)."""
    traces = list(figure.data)
    by_day: dict[str, list[float | None]] = {}
    for index, trace in enumerate(traces):
        for day, value in trace_points(trace):
            by_day.setdefault(day, [None] * len(traces))[index] = value
    return [(day, by_day[day]) for day in sorted(by_day, reverse=True)]


# --- windows of days -----------------------------------------------------------------------


def _days_with_values(frame: pd.DataFrame) -> np.ndarray:
    values = frame["value"].to_numpy(dtype=float)
    return frame["period"].to_numpy(dtype="datetime64[D]")[~np.isnan(values)]


def last_day(frame: pd.DataFrame) -> dt.date | None:
    days = _days_with_values(frame)
    return days.max().item() if len(days) else None


def first_day(frame: pd.DataFrame) -> dt.date | None:
    days = _days_with_values(frame)
    return days.min().item() if len(days) else None


def clip(frame: pd.DataFrame, first: dt.date | None, last: dt.date | None) -> pd.DataFrame:
    """The rows of `frame` from `first` up to `last` (either None: no bound)."""
    if first is None and last is None:
        return frame
    days = frame["period"].to_numpy(dtype="datetime64[D]")
    keep = np.ones(len(days), dtype=bool)
    if first is not None:
        keep &= days >= np.datetime64(first, "D")
    if last is not None:
        keep &= days <= np.datetime64(last, "D")
    return frame[keep]


def clip_to_range(frame: pd.DataFrame, range_value: str, last: pd.Timestamp | None):
    """The rows of `frame` from the first day of the preset before `last` ('all': every row)."""
    if last is None or frame.empty:
        return frame
    return clip(frame, preset_start(range_value, pd.Timestamp(last).date()), None)


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
        points = trace_points(trace)
        trace.update(x=[day for day, _ in points], y=[value for _, value in points])
        trace.update(x0=None, dx=None)
    return figure


# --- builders ------------------------------------------------------------------------------


def average_partner(catalog: Catalog, indicator_id: str) -> Indicator | None:
    """The 7-day average of a daily count (covid_cases -> covid_cases_7d), if the catalog has it."""
    partner = seven_day_mean_of(catalog, indicator_id)
    return catalog.indicators[partner] if partner is not None else None


def _series_summary(
    title: str,
    indicator: Indicator,
    frame: pd.DataFrame,
    areas: Sequence[str],
    names: Mapping[str, str],
    lang: str,
) -> str:
    first = frame[frame["area"] == areas[0]].dropna(subset=["value"])
    text = summaries.series_summary(
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
    values = summaries.list_values(items, lang, indicator.decimals)
    return f"{text} {t('themes.trend_compare', lang, date=format_date(last, lang), values=values)}"


def period_trend(
    catalog: Catalog,
    indicator_id: str,
    areas: Sequence[str],
    frame: pd.DataFrame,
    average: pd.DataFrame | None,
    names: Mapping[str, str],
    lang: str,
    range_value: str,
    title: str,
) -> Trend:
    """The trend of `indicator_id` in `areas` over the preset `range_value` (pure): one area of
    a daily count with its 7-day mean (`average`) as bars and line, irregular measurements as
    markers, anything else one line per area; a long span of a 7-day mean once a week."""
    indicator = catalog.indicators[indicator_id]
    areas = list(areas)
    last = None if frame.empty else pd.Timestamp(frame["period"].max())
    daily = clip_to_range(frame, range_value, last)
    weekly = (
        is_seven_day_mean(catalog, indicator_id)
        and not daily.empty
        and (daily["period"].max() - daily["period"].min()).days > DAILY_UP_TO_DAYS
    )
    shown = weekly_points(daily, last) if weekly else daily
    partner = average_partner(catalog, indicator_id) if len(areas) == 1 else None
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
    return Trend(
        figure,
        _series_summary(title, indicator, daily, areas, names, lang),
        (indicator_id,),
        DownloadQuery((indicator_id,), tuple(areas)),
        last,
    )


def count_trend(
    catalog: Catalog,
    daily_id: str,
    average_id: str,
    area: str,
    daily_all: pd.DataFrame,
    average_all: pd.DataFrame,
    window: tuple[dt.date | None, dt.date | None],
    lang: str,
    *,
    legend: Mapping[str, str],
    caption: str,
    phrase: str,
    no_data: str,
    sources: Sequence[str] = (),
    words: Mapping[str, str] | None = None,
) -> Trend:
    """Daily bars of a count in `area` with its 7-day mean as a line, in the `window` of days
    (first, last; None: no bound), with the week-on-week change of the mean as its summary
    (`phrase` a template of layouts/figures/summary.week_sentence, filled with `words`).
    `sources`: more indicators the source line names (the population behind a rate)."""
    daily, average = catalog.indicators[daily_id], catalog.indicators[average_id]
    first, last = window
    daily_shown, average_shown = clip(daily_all, first, last), clip(average_all, first, last)
    figure = trend_figures.trend_figure(
        daily_shown, daily, lang, average=average_shown, average_indicator=average, names=legend
    )
    trend_figures.with_table_caption(figure, caption)
    change = summaries.change_between_averages(average_all, last_day(average_shown))
    sentence = summaries.week_sentence(
        phrase, change, lang, decimals=average.decimals, no_data=no_data, **(words or {})
    )
    shown = pd.concat([daily_shown, average_shown])
    end = last_day(shown)
    download = DownloadQuery(
        (daily_id, average_id), (area,), start=first_day(shown), end=end, main=daily_id
    )
    return Trend(
        figure,
        sentence,
        (daily_id, average_id, *sources),
        download,
        None if end is None else pd.Timestamp(end),
    )


def comparison_trend(
    catalog: Catalog,
    indicator_id: str,
    areas: Sequence[str],
    frame: pd.DataFrame,
    names: Mapping[str, str],
    window: tuple[dt.date | None, dt.date | None],
    lang: str,
    *,
    caption: str,
    summary_key: str,
    no_data: str,
    sources: Sequence[str] = (),
) -> Trend:
    """One line per area of `indicator_id` in the `window` of days, the first area the one the
    view is about: the summary (message `summary_key` with {date} and {values}) gives every
    area's value on the first area's last day shown, the download that area's series."""
    indicator = catalog.indicators[indicator_id]
    areas = list(areas)
    first, last = window
    shown = clip(frame, first, last)
    figure = trend_figures.comparison_figure(shown, indicator, areas, names, lang)
    trend_figures.with_table_caption(figure, caption)
    main = shown[shown["area"] == areas[0]]
    day = last_day(main)
    if day is None:
        sentence = no_data
    else:
        at_day = shown[shown["period"] == pd.Timestamp(day)].set_index("area")["value"]
        values = [(names.get(a, a), at_day.get(a)) for a in areas]
        sentence = t(
            summary_key,
            lang,
            date=format_date(day, lang),
            values=summaries.list_values(values, lang, indicator.decimals),
        )
    download = DownloadQuery((indicator_id,), (areas[0],), start=first_day(main), end=day)
    return Trend(
        figure,
        sentence,
        (indicator_id, *sources),
        download,
        None if day is None else pd.Timestamp(day),
    )


def measurement_trend(
    catalog: Catalog,
    indicator_id: str,
    area: str,
    parts: Sequence[str],
    frame: pd.DataFrame,
    names: Mapping[str, str],
    window: tuple[dt.date | None, dt.date | None],
    lang: str,
    *,
    caption: str,
    phrase: str,
    no_data: str,
    words: Mapping[str, str] | None = None,
) -> Trend:
    """Irregular measurements of the `parts` of `area` (a municipality's treatment plants) as
    markers and the area's own series as a line, at the indicator's display scale, in the
    `window` of days; the summary is the area's week against the week before (`phrase` a
    template of week_sentence, filled with `words`)."""
    indicator = catalog.indicators[indicator_id]
    scale = indicator.display.scale if indicator.display else 1.0  # "× 100 miljard"
    first, last = window
    shown = clip(frame, first, last)
    figure = trend_figures.measurement_figure(
        shown, indicator, [*parts, area], names, lang, line_area=area, scale=scale
    )
    trend_figures.with_table_caption(figure, caption)
    own = frame[frame["area"] == area]
    change = summaries.change_between_weeks(
        own.assign(value=own["value"] / scale), last_day(clip(own, first, last))
    )
    sentence = summaries.week_sentence(
        phrase, change, lang, decimals=indicator.decimals, no_data=no_data, **(words or {})
    )
    end = last_day(shown)
    download = DownloadQuery((indicator_id,), (area,), start=first_day(shown), end=end)
    return Trend(
        figure, sentence, (indicator_id,), download, None if end is None else pd.Timestamp(end)
    )
