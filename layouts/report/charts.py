"""Static SVG charts for the area report (pure): a trend as lines or bars and a simple
choropleth, drawn with matplotlib's SVG backend (no browser: plotly's static export needs
Chrome). Text stays text (`svg.fonttype: none`), so the PDF's words can be selected.

The figures are built with `matplotlib.figure.Figure`, never pyplot: no global figure state,
safe in a web worker's threads.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from geo.palettes import NO_DATA_FILL

WIDTH_IN = 7.0  # about the width of an A4 page's text
TREND_HEIGHT_IN = 2.3
MAP_HEIGHT_IN = 3.6
LINE_COLOURS = ("#08519c", "#e66101", "#5e3c99", "#4d4d4d")  # ColorBrewer, colour-blind safe
LINE_STYLES = ("-", "--", "-.", ":")  # the series differ by more than colour
HIGHLIGHT_EDGE = "#000000"
EDGE = "#ffffff"
MAX_POINTS = 600  # per series: longer series are thinned (a printed chart is ~7 inches wide)
STYLE = {
    "svg.fonttype": "none",  # text as <text>, not paths
    "svg.hashsalt": "mmmeter",  # the same chart gives the same SVG (cacheable, comparable)
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Line:
    """One series of a trend: its label and its points, oldest first."""

    label: str
    periods: Sequence
    values: Sequence[float | None]


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # without the XML prolog and DOCTYPE: embeddable


def _thinned(line: Line) -> tuple[list, list]:
    step = max(1, math.ceil(len(line.periods) / MAX_POINTS))
    periods = list(line.periods)[::step]
    values = [math.nan if v is None else float(v) for v in list(line.values)[::step]]
    return periods, values


def trend_svg(
    lines: Sequence[Line],
    *,
    unit: str,
    bars: bool,
    number: Callable[[float, int], str],
    day: Callable[[dt.date], str] = dt.date.isoformat,
) -> str:
    """A trend chart of `lines` as SVG: lines for many periods, grouped bars for a few
    (yearly figures). `number(value, decimals)` and `day(date)` write the axes' numbers and
    dates in the page's language. The value axis starts at zero for values that are never
    negative, so a small change does not look like a large one."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, TREND_HEIGHT_IN))
        axes = figure.add_subplot()
        if bars:
            periods = sorted({p for line in lines for p in line.periods})
            labels = [str(getattr(p, "year", p)) for p in periods]
            width = 0.8 / max(len(lines), 1)
            for index, line in enumerate(lines):
                by_period = dict(zip(line.periods, line.values, strict=True))
                heights = [by_period.get(p) for p in periods]
                axes.bar(
                    [i + index * width for i in range(len(periods))],
                    [math.nan if h is None else h for h in heights],
                    width=width,
                    label=line.label,
                    color=LINE_COLOURS[index % len(LINE_COLOURS)],
                    hatch=(None, "//", "..", "xx")[index % 4],
                    edgecolor=EDGE,
                )
            axes.set_xticks([i + width * (len(lines) - 1) / 2 for i in range(len(periods))])
            axes.set_xticklabels(labels)
        else:
            for index, line in enumerate(lines):
                periods, values = _thinned(line)
                axes.plot(
                    periods,
                    values,
                    label=line.label,
                    color=LINE_COLOURS[index % len(LINE_COLOURS)],
                    linestyle=LINE_STYLES[index % len(LINE_STYLES)],
                    linewidth=1.4,
                    marker="o" if len(periods) < 30 else None,
                    markersize=3,
                )
            axes.xaxis.set_major_locator(AutoDateLocator())
            axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: day(num2date(x).date())))
            figure.autofmt_xdate()
        present = [v for line in lines for v in line.values if v is not None and math.isfinite(v)]
        if present and min(present) >= 0:
            axes.set_ylim(bottom=0)
        axes.set_ylabel(unit)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _: number(value, _tick_decimals(axes.yaxis)))
        )
        if len(lines) > 1:
            axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return _svg(figure)


def _tick_decimals(axis) -> int:
    """The decimals the axis' tick step needs: 0.5 -> 1, 20 -> 0."""
    locations = axis.get_majorticklocs()
    if len(locations) < 2:
        return 0
    step = abs(locations[1] - locations[0])
    return max(0, -math.floor(math.log10(step))) if step > 0 else 0


def _aspect(frame: gpd.GeoDataFrame) -> float:
    """Degrees of longitude are shorter than degrees of latitude away from the equator."""
    if frame.empty:
        return 1.0
    south, north = frame.total_bounds[1], frame.total_bounds[3]
    middle = math.radians((south + north) / 2)
    return 1 / max(math.cos(middle), 0.1)


def map_svg(
    geometry: dict,
    codes: Sequence[str],
    colours: Mapping[str, str],
    highlight: str | None,
) -> str:
    """A choropleth of the features of `geometry` whose code is in `codes`, each filled with
    its colour in `colours` (no colour: the no-data grey), `highlight` outlined."""
    wanted = set(codes)
    features = [
        feature
        for feature in geometry.get("features", [])
        if str(feature.get("id") or (feature.get("properties") or {}).get("code")) in wanted
    ]
    frame = gpd.GeoDataFrame.from_features(features)
    frame["code"] = [str(f.get("id") or (f.get("properties") or {}).get("code")) for f in features]
    frame["fill"] = [colours.get(code, NO_DATA_FILL) for code in frame["code"]]
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, MAP_HEIGHT_IN))
        axes = figure.add_subplot()
        if not frame.empty:
            frame.plot(ax=axes, color=frame["fill"], edgecolor=EDGE, linewidth=0.4)
            chosen = frame[frame["code"] == highlight]
            if not chosen.empty:
                chosen.plot(ax=axes, facecolor="none", edgecolor=HIGHLIGHT_EDGE, linewidth=2.0)
        axes.set_axis_off()
        axes.set_aspect(_aspect(frame))
        return _svg(figure)
