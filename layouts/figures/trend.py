"""Pure figure functions: observations -> plotly figures, and the tables that hold the same numbers.

Each figure function takes observations (columns area, period, value) and catalog indicators,
and knows nothing about pages: a theme page can draw any indicator for any areas with them.
Values are rounded once, here, to the decimals the reader sees, so the chart, its hover text
and its table show exactly the same numbers. Lines are told apart without colour: each has its
own dash style and marker symbol, a legend entry and a direct label at its end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.catalog import Indicator
from layouts.i18n import format_date, format_number, normalize_lang, t

BAR_COLOUR = "#4292c6"  # 3.4:1 on white
AVERAGE_COLOUR = "#08306b"  # 12.8:1 on white, 3.7:1 on the bars
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#e3e6e8"
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
MARKERS_PER_LINE = 10  # markers drawn per line (plotly spreads them), enough to tell lines apart
DATE_FORMAT = "%Y-%m-%d"
HOVER_DATE = "%-d %B %Y"


@dataclass(frozen=True)
class Table:
    """The numbers of a figure as text, ready for figure_block.data_table."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]


def separators(lang: str) -> str:
    """Plotly's `separators` (decimal, then thousands) for `lang`."""
    return ",." if normalize_lang(lang) == "nl" else ".,"


def round_half_up(values: pd.Series | np.ndarray, decimals: int) -> np.ndarray:
    """Round as statistics are published (2.5 -> 3, -2.5 -> -3), like layouts.i18n; NaN stays."""
    array = np.asarray(values, dtype=float)
    factor = 10.0**decimals
    # The tiny nudge undoes binary representation error (0.285 is stored as 0.28499999...).
    return np.sign(array) * np.floor(np.abs(array) * factor + 0.5 + 1e-9) / factor


def _json_values(values: np.ndarray) -> list[float | None]:
    """Plain JSON numbers (whole numbers without '.0'), None for missing."""
    out: list[float | None] = []
    for value in values.tolist():
        if value is None or math.isnan(value):
            out.append(None)
        elif float(value).is_integer():
            out.append(int(value))
        else:
            out.append(value)
    return out


def _dates(periods: pd.Series) -> list[str]:
    return pd.DatetimeIndex(periods).strftime(DATE_FORMAT).tolist()


def _hover_number(decimals: int) -> str:
    return f"%{{y:,.{decimals}f}}"


def _base_layout(lang: str, *, legend: bool = True) -> dict:
    return {
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
            "linecolor": "#6c757d",
            "ticks": "outside",
        },
        "yaxis": {
            "automargin": True,
            "fixedrange": True,
            "gridcolor": GRID_COLOUR,
            "zeroline": True,
            "zerolinecolor": "#6c757d",
            "rangemode": "tozero",
            "tickformat": ",~f",
        },
    }


def empty_figure(message: str, lang: str) -> go.Figure:
    """A figure without data that says so (for a period or area without observations)."""
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
    return go.Figure(layout=layout)


def _values(frame: pd.DataFrame, decimals: int, scale: float) -> pd.Series:
    """The frame's values scaled and rounded as shown, indexed by period (sorted, no NaN)."""
    if frame.empty:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    ordered = frame.dropna(subset=["value"]).sort_values("period")
    values = round_half_up(ordered["value"].to_numpy(dtype=float) / scale, decimals)
    return pd.Series(values, index=pd.DatetimeIndex(ordered["period"]))


def trend_figure(
    frame: pd.DataFrame,
    indicator: Indicator,
    lang: str,
    *,
    average: pd.DataFrame | None = None,
    average_indicator: Indicator | None = None,
    names: Mapping[str, str] | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """Bars of `indicator` (one area; columns period, value) with its average as a line.

    `names` may give the legend names {'value': ..., 'average': ...}; they default to the
    indicator titles. `scale` divides every value (e.g. 1e9 to show billions). The hover label
    shows the date, the value and the average.
    """
    names = names or {}
    bars = _values(frame, indicator.decimals, scale)
    average_indicator = average_indicator or indicator
    line = (
        _values(average, average_indicator.decimals, scale)
        if average is not None
        else pd.Series(dtype=float)
    )
    if bars.empty and line.empty:
        return empty_figure(t("common.no_data", lang), lang)
    traces = []
    if not bars.empty:
        traces.append(
            go.Bar(
                x=_dates(bars.index.to_series()),
                y=_json_values(bars.to_numpy()),
                name=names.get("value", indicator.title.get(lang)),
                marker={"color": BAR_COLOUR, "line": {"width": 0}},
                hovertemplate=_hover_number(indicator.decimals),
            )
        )
    if not line.empty:
        traces.append(
            go.Scatter(
                x=_dates(line.index.to_series()),
                y=_json_values(line.to_numpy()),
                name=names.get("average", average_indicator.title.get(lang)),
                mode="lines",
                line={"color": AVERAGE_COLOUR, "width": 2.5},
                hovertemplate=_hover_number(average_indicator.decimals),
            )
        )
    layout = _base_layout(lang)
    layout["bargap"] = 0.1
    return go.Figure(data=traces, layout=layout)


def trend_table(
    frame: pd.DataFrame,
    indicator: Indicator,
    lang: str,
    *,
    average: pd.DataFrame | None = None,
    average_indicator: Indicator | None = None,
    names: Mapping[str, str] | None = None,
    scale: float = 1.0,
) -> Table:
    """The numbers of `trend_figure` (same arguments) as a table, newest day first."""
    names = names or {}
    average_indicator = average_indicator or indicator
    columns = {names.get("value", indicator.title.get(lang)): (frame, indicator.decimals)}
    if average is not None:
        average_name = names.get("average", average_indicator.title.get(lang))
        columns[average_name] = (average, average_indicator.decimals)
    return _date_table(columns, lang, scale)


def _date_table(
    columns: Mapping[str, tuple[pd.DataFrame, int]], lang: str, scale: float = 1.0
) -> Table:
    series = {name: _values(frame, decimals, scale) for name, (frame, decimals) in columns.items()}
    days = sorted(set().union(*(s.index for s in series.values())), reverse=True)
    formatted = {
        name: dict(zip(s.index, _format_numbers(s.to_numpy(), columns[name][1], lang), strict=True))
        for name, s in series.items()
    }
    rows = [
        [format_date(day, lang, "short"), *(formatted[name].get(day, "–") for name in columns)]
        for day in days
    ]
    return Table(
        columns=[t("common.date", lang), *columns],
        rows=rows,
        numeric=[False, *([True] * len(columns))],
    )


def _format_numbers(values: np.ndarray, decimals: int, lang: str) -> list[str]:
    """format_number for many values; equal values are formatted once."""
    memo: dict[float, str] = {}
    out = []
    for value in values.tolist():
        if value not in memo:
            memo[value] = format_number(value, lang, decimals)
        out.append(memo[value])
    return out


def line_style(index: int) -> tuple[str, str, str]:
    """(colour, dash, marker symbol) of the `index`-th line."""
    return LINE_STYLES[index % len(LINE_STYLES)]


def _end_labels(ends: list[tuple[str, str, float, str]]) -> list[dict]:
    """Direct labels at the right end of each line (name, x, y, colour), spread so they do not
    overlap: labels closer than 6% of the value range are pushed apart in screen pixels."""
    if not ends:
        return []
    values = [y for _, _, y, _ in ends]
    span = (max(values) - min(values)) or 1.0
    order = sorted(range(len(ends)), key=lambda i: values[i])
    shifts = [0] * len(ends)
    previous_y, previous_shift = None, 0
    for i in order:
        y = values[i]
        shift = 0
        if previous_y is not None and (y - previous_y) / span < 0.06:
            shift = previous_shift + 14
        shifts[i] = shift
        previous_y, previous_shift = y, shift
    return [
        {
            "x": x,
            "y": y,
            "text": name,
            "xanchor": "left",
            "yanchor": "middle",
            "xshift": 6,
            "yshift": shifts[i],
            "showarrow": False,
            "font": {"color": colour, "size": 12},
        }
        for i, (name, x, y, colour) in enumerate(ends)
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
    """One line per area of `indicator` (columns area, period, value), in the order of `areas`.

    Each line has its own colour, dash style and markers, a legend entry and a label at its
    end, so the lines can be told apart without colour.
    """
    traces, ends = [], []
    for index, area in enumerate(areas):
        values = _values(frame[frame["area"] == area], indicator.decimals, 1.0)
        if values.empty:
            continue
        colour, dash, symbol = line_style(index)
        name = names.get(area, area)
        x = _dates(values.index.to_series())
        traces.append(
            go.Scatter(
                x=x,
                y=_json_values(values.to_numpy()),
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
            )
        )
        ends.append((name, x[-1], float(values.iloc[-1]), colour))
    if not traces:
        return empty_figure(t("common.no_data", lang), lang)
    layout = _base_layout(lang)
    layout["annotations"] = _end_labels(ends)
    layout["margin"] = {**layout["margin"], "r": _label_margin([e[0] for e in ends])}
    return go.Figure(data=traces, layout=layout)


def comparison_table(
    frame: pd.DataFrame,
    indicator: Indicator,
    areas: Sequence[str],
    names: Mapping[str, str],
    lang: str,
) -> Table:
    """The numbers of `comparison_figure` as a table: one row per day (newest first), one
    column per area."""
    columns = {
        names.get(area, area): (frame[frame["area"] == area], indicator.decimals) for area in areas
    }
    return _date_table(columns, lang)


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
    """Irregular measurements as markers at their dates, one trace per area in `areas`.

    `line_area` (e.g. the municipal mean of its plants) is drawn as a line with markers on top.
    """
    traces = []
    plotted = [a for a in areas if a != line_area]
    for index, area in enumerate(plotted, start=1):
        values = _values(frame[frame["area"] == area], indicator.decimals, scale)
        if values.empty:
            continue
        colour, _, symbol = line_style(index)
        traces.append(
            go.Scatter(
                x=_dates(values.index.to_series()),
                y=_json_values(values.to_numpy()),
                name=names.get(area, area),
                mode="markers",
                marker={"symbol": symbol, "size": 7, "color": colour, "opacity": 0.85},
                hovertemplate=_hover_number(indicator.decimals),
            )
        )
    if line_area is not None:
        values = _values(frame[frame["area"] == line_area], indicator.decimals, scale)
        if not values.empty:
            traces.append(
                go.Scatter(
                    x=_dates(values.index.to_series()),
                    y=_json_values(values.to_numpy()),
                    name=names.get(line_area, line_area),
                    mode="lines+markers",
                    line={"color": AVERAGE_COLOUR, "width": 2},
                    marker={"symbol": "circle", "size": 5, "color": AVERAGE_COLOUR},
                    hovertemplate=_hover_number(indicator.decimals),
                )
            )
    if not traces:
        return empty_figure(t("common.no_data", lang), lang)
    return go.Figure(data=traces, layout=_base_layout(lang))


def measurement_table(
    frame: pd.DataFrame,
    indicator: Indicator,
    areas: Sequence[str],
    names: Mapping[str, str],
    lang: str,
    *,
    line_area: str | None = None,
    scale: float = 1.0,
) -> Table:
    """The numbers of `measurement_figure` as a table: one row per measurement day."""
    ordered = [a for a in areas if a != line_area] + ([line_area] if line_area else [])
    columns = {
        names.get(area, area): (frame[frame["area"] == area], indicator.decimals)
        for area in ordered
    }
    return _date_table(columns, lang, scale)


def editions_bar_figure(
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    lang: str,
    *,
    decimals: int = 0,
    suffix: str = "",
) -> go.Figure:
    """Horizontal bars: one bar group per indicator (columns indicator, period, value), one
    bar per period (edition) in each group, the value written at the end of each bar.

    `labels` maps indicator ids to their category labels, in display order. Editions are told
    apart by colour, fill pattern and legend, and every bar carries its number.
    """
    if frame.empty:
        return empty_figure(t("common.no_data", lang), lang)
    editions = sorted(frame["period"].dropna().unique())
    categories = [labels[i] for i in labels]
    traces = []
    # Newest edition first (top of each group); older ones lighter and hatched.
    styles = [("#08519c", ""), ("#9ecae1", "/"), ("#c6dbef", "x")]
    for index, edition in enumerate(reversed(editions)):
        subset = frame[frame["period"] == edition].set_index("indicator")["value"]
        values = round_half_up(
            np.array([subset.get(i, np.nan) for i in labels], dtype=float), decimals
        )
        colour, pattern = styles[min(index, len(styles) - 1)]
        texts = [
            "" if math.isnan(v) else f"{format_number(v, lang, decimals)}{suffix}" for v in values
        ]
        traces.append(
            go.Bar(
                orientation="h",
                y=categories,
                x=_json_values(values),
                name=format_date(edition, lang),
                marker={
                    "color": colour,
                    "line": {"color": AVERAGE_COLOUR, "width": 1},
                    "pattern": {"shape": pattern, "fgcolor": AVERAGE_COLOUR, "size": 6},
                },
                text=texts,
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{x:,.{decimals}f}}{suffix}",
            )
        )
    layout = _base_layout(lang)
    layout["hovermode"] = "y unified"
    layout["barmode"] = "group"
    layout["xaxis"] = {
        "automargin": True,
        "fixedrange": True,
        "range": [0, 105],
        "ticksuffix": suffix,
        "gridcolor": GRID_COLOUR,
    }
    layout["yaxis"] = {"automargin": True, "fixedrange": True, "autorange": "reversed"}
    layout["margin"] = {**layout["margin"], "r": 36}
    return go.Figure(data=traces, layout=layout)


def editions_table(
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    lang: str,
    *,
    category: str,
    decimals: int = 0,
) -> Table:
    """The numbers of `editions_bar_figure`: one row per category (headed `category`), one
    column per edition, newest first."""
    editions = sorted(frame["period"].dropna().unique(), reverse=True)
    rows = []
    for indicator_id, label in labels.items():
        row = [label]
        for edition in editions:
            match = frame[(frame["indicator"] == indicator_id) & (frame["period"] == edition)]
            value = match["value"].iloc[0] if not match.empty else None
            rounded = None if value is None else round_half_up(np.array([value]), decimals)[0]
            row.append(format_number(rounded, lang, decimals))
        rows.append(row)
    return Table(
        columns=[category, *(format_date(e, lang) for e in editions)],
        rows=rows,
        numeric=[False, *([True] * len(editions))],
    )
