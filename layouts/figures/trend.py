"""Pure figure functions: observations -> plotly figures for trends, comparisons, measurements
and bars per edition.

Each function takes observations (columns area, period, value) and catalog indicators, and
knows nothing about pages: a theme page can draw any indicator for any areas with them.

- Values are rounded once, here, to the decimals the reader sees, so the chart, its hover
  label and its table show exactly the same numbers.
- Daily series are sent as a start day plus one value per day (plotly's x0/dx; a day without
  a value is null), not as a date per point: three years of daily bars and their average cost
  a few KB.
- Lines are told apart without colour: each has its own dash style and marker symbol, a legend
  entry and a direct label at its end.
- Every figure carries `layout.meta.table` (see `with_table_caption` and
  `tableFromFigure` in app/assets/2-site/clientside.js):
  the browser writes the "show as table" alternative from the figure's own data, so the table
  holds the same numbers as the chart and the numbers travel only once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.catalog import Indicator
from layouts.i18n import LOCALES, format_date, format_number, normalize_lang, t

BAR_COLOUR = "#4292c6"  # 3.4:1 on white
# Daily series longer than this are drawn as a filled step line, not as bars (`daily_trace`).
LONG_SERIES_DAYS = 120
AVERAGE_COLOUR = "#08306b"  # 12.8:1 on white, 3.7:1 on the bars
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#e3e6e8"
AXIS_COLOUR = "#6c757d"
# One style per line, in order: colour (>= 3:1 on white), dash and marker symbol.
LINE_STYLES: tuple[tuple[str, str, str], ...] = (
    ("#0072b2", "solid", "circle"),
    ("#d55e00", "dash", "square"),
    ("#000000", "dot", "diamond"),
    ("#117733", "dashdot", "triangle-up"),
    ("#882255", "longdash", "x"),
    ("#aa4499", "longdashdot", "star"),
    ("#332288", "solid", "triangle-down"),
    ("#b35806", "dash", "cross"),
    ("#767676", "dot", "pentagon"),
)
# Bars per edition, newest first: solid dark, then lighter with a hatch.
EDITION_STYLES: tuple[tuple[str, str], ...] = (("#08519c", ""), ("#9ecae1", "/"), ("#c6dbef", "x"))
MARKERS_PER_LINE = 10  # markers drawn per line (plotly spreads them): enough to tell lines apart
DAY_MS = 86_400_000
DATE_FORMAT = "%Y-%m-%d"
HOVER_DATE = "%-d %B %Y"


def separators(lang: str) -> str:
    """Plotly's `separators` (decimal, then thousands) for `lang`."""
    return ",." if normalize_lang(lang) == "nl" else ".,"


def round_half_up(values: Sequence[float] | np.ndarray | pd.Series, decimals: int) -> np.ndarray:
    """Round as statistics are published (2.5 -> 3, -2.5 -> -3), like layouts.i18n; NaN stays."""
    array = np.asarray(values, dtype=float)
    factor = 10.0**decimals
    # The tiny nudge undoes binary representation error (0.285 is stored as 0.28499999...).
    return np.sign(array) * np.floor(np.abs(array) * factor + 0.5 + 1e-9) / factor


def json_values(values: np.ndarray) -> list[float | None]:
    """Plain JSON numbers (whole numbers without '.0'), None for missing."""
    out: list[float | None] = []
    for value in np.asarray(values, dtype=float).tolist():
        if math.isnan(value):
            out.append(None)
        elif value.is_integer():
            out.append(int(value))
        else:
            out.append(value)
    return out


def _shown(frame: pd.DataFrame, decimals: int, scale: float = 1.0) -> pd.Series:
    """The frame's values scaled and rounded as shown, indexed by day (sorted, no NaN)."""
    values = frame["value"].to_numpy(dtype=float)
    days = frame["period"].to_numpy(dtype="datetime64[D]")
    present = ~np.isnan(values)
    values, days = values[present], days[present]
    order = np.argsort(days, kind="stable")
    rounded = round_half_up(values[order] / scale, decimals)
    return pd.Series(rounded, index=pd.DatetimeIndex(days[order].astype("datetime64[ns]")))


def daily_points(values: pd.Series) -> tuple[str, list[float | None]]:
    """A daily series as (first day 'YYYY-MM-DD', one value per day, None where missing);
    of two values on one day the last counts."""
    days = values.index.to_numpy(dtype="datetime64[D]")
    offsets = (days - days.min()).astype(int)
    filled = np.full(offsets.max() + 1, np.nan)
    filled[offsets] = values.to_numpy(dtype=float)
    return str(days.min()), json_values(filled)


def _hover_number(decimals: int, axis: str = "y", suffix: str = "") -> str:
    return f"%{{{axis}:,.{decimals}f}}{suffix}"


def _table_meta(lang: str, kind: str, header: str, decimals: list[int], suffix: str = "") -> dict:
    return {
        "table": {
            "kind": kind,
            "header": header,
            "decimals": decimals,
            "suffix": suffix,
            "locale": LOCALES[normalize_lang(lang)].replace("_", "-"),
            "missing": "–",
            "caption": "",
        }
    }


def _base_layout(lang: str, *, legend: bool = True) -> dict:
    return {
        "template": "none",
        "separators": separators(lang),
        "font": {
            "family": 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
            "size": 13,
            "color": TEXT_COLOUR,
        },
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "x unified",
        "hoverlabel": {"namelength": -1},
        "dragmode": False,
        "showlegend": legend,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"},
        "xaxis": {
            "type": "date",
            "automargin": True,
            "fixedrange": True,
            "hoverformat": HOVER_DATE,
            "showgrid": False,
            "linecolor": AXIS_COLOUR,
            "ticks": "outside",
        },
        "yaxis": {
            "automargin": True,
            "fixedrange": True,
            "gridcolor": GRID_COLOUR,
            "zeroline": True,
            "zerolinecolor": AXIS_COLOUR,
            "rangemode": "tozero",
            "tickformat": ",~f",
        },
    }


def figure_from(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, without plotly's check of every value
    (about 25 ms per 1,000 values); tests/unit/test_trend_figures.py validates each kind."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def with_table_caption(figure: go.Figure, caption: str) -> go.Figure:
    """Set the caption of the table the browser writes from `figure` (returns `figure`)."""
    meta = dict(figure.layout.meta or {})
    meta["table"] = {**meta.get("table", {}), "caption": caption}
    figure.layout.meta = meta
    return figure


def empty_figure(message: str, lang: str) -> go.Figure:
    """A figure without data that says so (a period or area without observations)."""
    layout = _base_layout(lang, legend=False)
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False}
    layout["annotations"] = [
        {
            "text": message,
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "font": {"size": 15},
        }
    ]
    layout["meta"] = _table_meta(lang, "date", t("common.date", lang), [])
    return figure_from([], layout)


def trend_figure(
    frame: pd.DataFrame,
    indicator: Indicator,
    lang: str,
    *,
    average: pd.DataFrame | None = None,
    average_indicator: Indicator | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Daily bars of `indicator` for one area (columns period, value), with its average as a
    line when `average` is given (decimals from `average_indicator`, default `indicator`).

    `names` may give the legend names {'value': ..., 'average': ...}; they default to the
    indicator titles. The hover label shows the date, the value and the average.
    """
    names = names or {}
    average_indicator = average_indicator or indicator
    bars = _shown(frame, indicator.decimals)
    line = (
        _shown(average, average_indicator.decimals)
        if average is not None
        else pd.Series(dtype=float)
    )
    if bars.empty and line.empty:
        return empty_figure(t("common.no_data", lang), lang)
    traces, decimals = [], []
    if not bars.empty:
        first, values = daily_points(bars)
        traces.append(
            daily_trace(
                first, values, names.get("value", indicator.title.get(lang)), indicator.decimals
            )
        )
        decimals.append(indicator.decimals)
    if not line.empty:
        first, values = daily_points(line)
        traces.append(
            dict(
                type="scatter",
                x0=first,
                dx=DAY_MS,
                y=values,
                name=names.get("average", average_indicator.title.get(lang)),
                mode="lines",
                line={"color": AVERAGE_COLOUR, "width": 2.5},
                connectgaps=False,
                hovertemplate=_hover_number(average_indicator.decimals),
            )
        )
        decimals.append(average_indicator.decimals)
    layout = _base_layout(lang)
    layout["bargap"] = 0.1
    layout["meta"] = _table_meta(lang, "date", t("common.date", lang), decimals)
    return figure_from(traces, layout)


def daily_trace(first: str, values: list[float | None], name: str, decimals: int) -> dict:
    """The daily values from day `first`: bars for a few months, and for a longer period a
    filled step line that looks the same (one step per day, centred on it) but is one SVG path
    instead of one per day (three years of bars are ~1,500 paths, slow on a phone). Either way
    the trace holds every daily value, so its hover labels and the table alternative have them.
    """
    common = dict(x0=first, dx=DAY_MS, y=values, name=name, hovertemplate=_hover_number(decimals))
    if len(values) <= LONG_SERIES_DAYS:
        return dict(type="bar", marker={"color": BAR_COLOUR, "line": {"width": 0}}, **common)
    return dict(
        type="scatter",
        mode="lines",
        line={"shape": "hvh", "width": 0.5, "color": BAR_COLOUR},
        fill="tozeroy",
        fillcolor=BAR_COLOUR,
        connectgaps=False,
        **common,
    )


def line_style(index: int) -> tuple[str, str, str]:
    """(colour, dash, marker symbol) of the `index`-th line."""
    return LINE_STYLES[index % len(LINE_STYLES)]


def end_label_shifts(
    values: Sequence[float], span: float, min_gap: float = 0.07, step_px: int = 14
) -> list[int]:
    """Vertical pixel shifts for labels at the line ends `values`, so close ones do not
    overlap: a label within `min_gap` of the axis `span` above the one below it moves up a
    line (`step_px`)."""
    span = span or 1.0
    shifts = [0] * len(values)
    previous: tuple[float, int] | None = None
    for i in sorted(range(len(values)), key=lambda i: values[i]):
        shift = 0
        if previous is not None and (values[i] - previous[0]) / span < min_gap:
            shift = previous[1] + step_px
        shifts[i] = shift
        previous = (values[i], shift)
    return shifts


def _end_labels(ends: list[tuple[str, str, float, str]], span: float) -> list[dict]:
    shifts = end_label_shifts([y for _, _, y, _ in ends], span)
    return [
        {
            "x": x,
            "y": y,
            "text": name,
            "xanchor": "left",
            "yanchor": "middle",
            "xshift": 6,
            "yshift": shift,
            "showarrow": False,
            "font": {"color": colour, "size": 12},
        }
        for (name, x, y, colour), shift in zip(ends, shifts, strict=True)
    ]


def _label_margin(names: Sequence[str]) -> int:
    """Right margin (px) that fits the longest direct label."""
    return min(140, 16 + 7 * max((len(n) for n in names), default=0))


def comparison_figure(
    frame: pd.DataFrame,
    indicator: Indicator,
    areas: Sequence[str],
    names: Mapping[str, str],
    lang: str,
) -> go.Figure:
    """One line per area of a daily `indicator` (columns area, period, value), in the order of
    `areas`, each with its own colour, dash style and markers, a legend entry and a label at
    its end, so the lines can be told apart without colour."""
    traces, ends, highest, days = [], [], 0.0, []
    for index, area in enumerate(areas):
        values = _shown(frame[frame["area"] == area], indicator.decimals)
        if values.empty:
            continue
        colour, dash, symbol = line_style(index)
        name = names.get(area, area)
        first, points = daily_points(values)
        traces.append(
            dict(
                type="scatter",
                x0=first,
                dx=DAY_MS,
                y=points,
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2.5 if index == 0 else 2},
                marker={
                    "symbol": symbol,
                    "size": 8,
                    "color": colour,
                    "maxdisplayed": MARKERS_PER_LINE,
                },
                hovertemplate=_hover_number(indicator.decimals),
                cliponaxis=False,
            )
        )
        highest = max(highest, float(values.max()))
        days += [values.index[0], values.index[-1]]
        last_day = values.index[-1].strftime(DATE_FORMAT)
        ends.append((name, last_day, float(values.iloc[-1]), colour))
    if not traces:
        return empty_figure(t("common.no_data", lang), lang)
    layout = _base_layout(lang)
    layout["annotations"] = _end_labels(ends, highest)
    layout["margin"] = {**layout["margin"], "r": _label_margin([e[0] for e in ends])}
    # Without a set range plotly pads the axis for the markers, wide on a narrow screen.
    layout["xaxis"] = {
        **layout["xaxis"],
        "range": [min(days).strftime(DATE_FORMAT), max(days).strftime(DATE_FORMAT)],
    }
    layout["meta"] = _table_meta(
        lang, "date", t("common.date", lang), [indicator.decimals] * len(traces)
    )
    return figure_from(traces, layout)


def measurement_figure(
    frame: pd.DataFrame,
    indicator: Indicator,
    areas: Sequence[str],
    names: Mapping[str, str],
    lang: str,
    *,
    line_area: str | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """Irregular measurements as markers at their dates, one trace per area in `areas`;
    `line_area` (e.g. the municipal mean of its plants) is drawn as a line with markers on top.
    `scale` divides every value (1e9 shows billions)."""
    traces = []
    ordered = [a for a in areas if a != line_area] + ([line_area] if line_area else [])
    for index, area in enumerate(ordered, start=1):
        values = _shown(frame[frame["area"] == area], indicator.decimals, scale)
        if values.empty:
            continue
        common = {
            "type": "scatter",
            "x": values.index.strftime(DATE_FORMAT).tolist(),
            "y": json_values(values.to_numpy()),
            "name": names.get(area, area),
            "hovertemplate": _hover_number(indicator.decimals),
        }
        if area == line_area:
            marker = {"symbol": "circle", "size": 5, "color": AVERAGE_COLOUR}
            line = {"color": AVERAGE_COLOUR, "width": 2}
            traces.append({**common, "mode": "lines+markers", "line": line, "marker": marker})
        else:
            colour, _, symbol = line_style(index)
            marker = {"symbol": symbol, "size": 7, "color": colour, "opacity": 0.85}
            traces.append({**common, "mode": "markers", "marker": marker})
    if not traces:
        return empty_figure(t("common.no_data", lang), lang)
    layout = _base_layout(lang)
    layout["meta"] = _table_meta(
        lang, "date", t("common.date", lang), [indicator.decimals] * len(traces)
    )
    return figure_from(traces, layout)


def editions_bar_figure(
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    lang: str,
    *,
    category: str,
    decimals: int = 0,
    suffix: str = "",
) -> go.Figure:
    """Horizontal bars: one group per indicator (columns indicator, period, value), one bar per
    period (edition) in each group, newest first, with the value written at each bar.

    `labels` maps indicator ids to category labels, in display order; `category` heads that
    column in the table. Editions differ in colour and fill pattern and are named in the
    legend, and every bar carries its number.
    """
    if frame.empty:
        return empty_figure(t("common.no_data", lang), lang)
    editions = sorted(frame["period"].dropna().unique(), reverse=True)
    categories = list(labels.values())
    traces = []
    for index, edition in enumerate(editions):
        subset = frame[frame["period"] == edition].groupby("indicator")["value"].last()
        values = round_half_up([subset.get(i, np.nan) for i in labels], decimals)
        colour, pattern = EDITION_STYLES[min(index, len(EDITION_STYLES) - 1)]
        traces.append(
            dict(
                type="bar",
                orientation="h",
                y=categories,
                x=json_values(values),
                name=format_date(edition, lang),
                marker={
                    "color": colour,
                    "line": {"color": AVERAGE_COLOUR, "width": 1},
                    "pattern": {"shape": pattern, "fgcolor": AVERAGE_COLOUR, "size": 6},
                },
                text=[
                    "" if math.isnan(v) else f"{format_number(v, lang, decimals)}{suffix}"
                    for v in values
                ],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=_hover_number(decimals, "x", suffix),
            )
        )
    layout = _base_layout(lang)
    layout.update(hovermode="y unified", barmode="group")
    layout["xaxis"] = {
        "automargin": True,
        "fixedrange": True,
        "range": [0, 110],
        "ticksuffix": suffix,
        "gridcolor": GRID_COLOUR,
    }
    layout["yaxis"] = {"automargin": True, "fixedrange": True, "autorange": "reversed"}
    layout["meta"] = _table_meta(lang, "category", category, [decimals] * len(traces), suffix)
    return figure_from(traces, layout)
