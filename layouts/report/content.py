"""What an area report (/rapport/<code>) says, built from the request's Reader: the area's key
figures next to its parent areas and the Netherlands, its maps and trends as SVG charts with
their text summaries, and the sources and licences. One Report feeds both the HTML page and
the PDF (layouts/report/render.py), so the two never differ.

The figures are the ones the pages show: a wijk's or buurt's come from the area profile's rows
(`layouts.pages.area_profile.profile_rows`), a gemeente's from the Reader's latest value and the
same snapshots; nothing is computed here that a page computes elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from data.catalog import Dataset, Indicator, shown_unit, shown_value
from data.reader import COUNTRY, Reader, memoized
from geo.registry import children, parent_chain
from layouts.figures.choropleth import map_view
from layouts.figures.legend import LegendRow, Reference, legend_rows
from layouts.figures.ranking import format_values
from layouts.figures.summary import period_text, ranking_summary, series_summary
from layouts.i18n import format_date, t
from layouts.pages.area_profile import _value_of, profile_rows
from layouts.pages.corona_map import capitalised
from layouts.pages.neighbourhoods import (
    GEOMETRY_DATASETS,
    area_codes,
    available_indicators,
    figure_datasets,
    periods_by_year,
)
from layouts.report.charts import Line, map_svg, trend_svg

LEVELS = {"GM": "gm", "WK": "wk", "BU": "bu"}
MUNICIPALITY_GEOMETRY = "geo_gemeenten"
MAX_FIGURES = 40  # key figures in one report (bounds its size and the time to draw it)
MAX_TRENDS = 6
HIGHLIGHT_FILL = "#08519c"
OTHER_FILL = "#deebf7"


@dataclass(frozen=True)
class Place:
    code: str
    name: str


@dataclass(frozen=True)
class KeyFigure:
    """One indicator: its values (as shown: display scale) for the report's columns."""

    indicator_id: str
    title: str
    unit: str
    period: str  # in words
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    alt: str  # what the chart is, in a few words (the summary says what it shows)
    summary: str
    legend: tuple[LegendRow, ...] = ()


@dataclass(frozen=True)
class SourceEntry:
    publisher: str
    title: str
    licence: str
    licence_url: str
    landing_page: str

    @classmethod
    def of(cls, dataset: Dataset, lang: str) -> SourceEntry:
        return cls(
            dataset.publisher,
            dataset.title.get(lang),
            dataset.licence,
            dataset.licence_url,
            dataset.landing_page,
        )


@dataclass(frozen=True)
class Report:
    code: str
    name: str
    level: str  # gm, wk or bu
    lang: str
    kind: str  # "Wijk in de gemeente Emmen"
    columns: tuple[Place, ...]  # the area, its parents (nearest first) and the Netherlands
    figures: tuple[KeyFigure, ...]
    maps: tuple[Chart, ...]
    trends: tuple[Chart, ...]
    sources: tuple[SourceEntry, ...]
    version: str
    version_date: str  # the store version's date in words
    parts: tuple[Place, ...] = field(default=())  # the wijken of a gemeente, buurten of a wijk
    wijk: Place | None = None  # the wijk of a buurt (its figures stand in for the buurt's)


def area_level(reader: Reader, code: str) -> str | None:
    """The level of `code` when the platform has a report for it: any gemeente in the
    registry, a wijk or buurt of the home municipality (the ones with a profile)."""
    if reader.version is None:
        return None
    level = LEVELS.get(code[:2])
    registry = reader.areas()
    hits = registry.loc[registry["code"] == code, "level"]
    if level is None or hits.empty or str(hits.iloc[0]) != level:
        return None
    if level != "gm" and code not in area_codes(reader, level):
        return None
    return level


def version_date(version: str, lang: str) -> str:
    """'1 december 2026' for 20261201T232138665362Z (the store version is its UTC time)."""
    try:
        moment = dt.datetime.strptime(version[:15], "%Y%m%dT%H%M%S")
    except ValueError:
        return version
    return format_date(moment.date(), lang)


def comparable(reader: Reader, indicator: Indicator) -> bool:
    """Whether the indicator's value of a part and of a whole can stand side by side in a
    chart or map: shares, rates and means, not counts (nor the 7-day mean of a count)."""
    if indicator.additive:
        return False
    if indicator.derivation == "mean_7d" and indicator.derived_from:
        return comparable(reader, reader.catalog.indicator(indicator.derived_from))
    return True


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _key_figure(
    indicator: Indicator, period, values: list[float | None], lang: str
) -> KeyFigure | None:
    shown = tuple(shown_value(indicator, _finite(v)) for v in values)
    if all(v is None for v in shown):
        return None
    return KeyFigure(
        indicator_id=indicator.id,
        title=indicator.title.get(lang),
        unit=shown_unit(indicator, lang),
        period=(
            str(pd.Timestamp(period).year)
            if indicator.frequency == "year"
            else period_text(period, indicator.frequency, lang)
        ),
        values=shown,
        texts=tuple(format_values(shown, lang, indicator.decimals)),
    )


def _neighbourhood_figures(
    reader: Reader, code: str, level: str, wijk: str, lang: str
) -> list[tuple[KeyFigure, pd.Timestamp]]:
    """A wijk's rows of the area profile (for a buurt: its wijk's, with the buurt's value in
    front where the store has one)."""
    out = []
    for row in profile_rows(reader, wijk, "wk", lang)[:MAX_FIGURES]:
        period = periods_by_year(reader, row.indicator.id, "wk")[row.year]
        values = [row.value, row.municipality, row.province, row.country]
        if level == "bu":
            values.insert(0, _value_of(reader, row.indicator.id, "bu", period, code))
        figure = _key_figure(row.indicator, period, values, lang)
        if figure is not None:
            out.append((figure, period))
    return out


def _municipality_figures(
    reader: Reader, code: str, province: str | None, lang: str
) -> list[tuple[KeyFigure, pd.Timestamp]]:
    """Every indicator the gemeente has a value of, at its latest period, next to the province
    and the Netherlands at the same period."""
    out = []
    for indicator_id in available_indicators(reader, "gm"):
        latest = reader.latest(indicator_id, code)
        if latest is None:
            continue
        period, value = latest
        values = [
            value,
            _value_of(reader, indicator_id, "pv", period, province) if province else None,
            _value_of(reader, indicator_id, "nl", period, COUNTRY),
        ]
        figure = _key_figure(reader.catalog.indicator(indicator_id), period, values, lang)
        if figure is not None:
            out.append((figure, period))
        if len(out) >= MAX_FIGURES:
            break
    return out


def _columns(reader: Reader, code: str, level: str, lang: str) -> tuple[Place, ...]:
    names = {**reader.area_names(), COUNTRY: capitalised(t("areas.netherlands", lang))}
    chain = parent_chain(reader.areas(), code)
    if level == "bu":
        wanted = chain[:3]  # wijk, gemeente, provincie
    elif level == "wk":
        wanted = [reader.home, reader.home_province]  # the area profile's comparisons
    else:
        wanted = chain[:1]  # provincie
    codes = [code, *[c for c in wanted if c], COUNTRY]
    return tuple(Place(c, names.get(c, c)) for c in codes)


def _trend_indicators(reader: Reader, figures: list[KeyFigure]) -> list[Indicator]:
    """The figures to draw as trends: the 7-day mean rather than the day it is made of."""
    catalog = reader.catalog
    shown = [catalog.indicator(f.indicator_id) for f in figures]
    smoothed = {i.derived_from for i in shown if i.derivation == "mean_7d"}
    kept = [i for i in shown if i.id not in smoothed]
    # Rates and shares first: their chart compares the area with its parents.
    return sorted(kept, key=lambda i: not comparable(reader, i))


def _number(lang: str):
    return lambda value, decimals: format_values([value], lang, decimals)[0]


def _trend(
    reader: Reader, indicator: Indicator, columns: tuple[Place, ...], lang: str
) -> Chart | None:
    title = indicator.title.get(lang)
    unit = shown_unit(indicator, lang)
    lines = []
    for place in columns:
        frame = reader.series(indicator.id, (place.code,)).dropna(subset=["value"])
        if frame.empty:
            continue
        values = [shown_value(indicator, float(v)) for v in frame["value"]]
        lines.append(Line(place.name, list(frame["period"]), values))
        if not comparable(reader, indicator):
            break  # a count: only the area itself (the first with figures)
    if not lines or max(len(line.periods) for line in lines) < 2:
        return None
    bars = indicator.frequency == "year"
    svg = trend_svg(
        lines,
        unit=unit,
        bars=bars,
        number=_number(lang),
        day=lambda day: format_date(day, lang, "short"),
    )
    first = lines[0]
    summary = series_summary(
        title,
        first.label,
        [pd.Timestamp(p).date() for p in first.periods],
        first.values,
        unit=unit,
        decimals=indicator.decimals,
        lang=lang,
        frequency=indicator.frequency,
        archived_since=indicator.archived_since,
    )
    names = (
        t(
            "common.list_and",
            lang,
            items=", ".join(x.label for x in lines[:-1]),
            last=lines[-1].label,
        )
        if len(lines) > 1
        else first.label
    )
    alt = t("report.trend_alt", lang, title=title, areas=names)
    return Chart(title, svg, alt, summary)


def _peers(reader: Reader, code: str, level: str, province: str | None) -> list[str]:
    """The areas a map of `code` draws: the gemeenten of its province, or the home
    municipality's wijken or buurten."""
    if level == "gm":
        registry = reader.areas()
        ours = set(registry.loc[registry["parent"] == province, "code"].astype(str))
        return [c for c in reader.geometry_codes("gm") if c in ours]
    return reader.home_geometry_codes(level)


def _maps(
    reader: Reader,
    code: str,
    level: str,
    columns: tuple[Place, ...],
    figures: list[tuple[KeyFigure, pd.Timestamp]],
    lang: str,
) -> list[Chart]:
    geometry = reader.geometry(level)
    if not geometry:
        return []
    whole = columns[1] if len(columns) > 2 else None  # the nearest parent
    province = reader.parents().get(code) if level == "gm" else reader.home_province
    peers = _peers(reader, code, level, province)
    if not peers:
        return []
    names = reader.area_names()
    name = names.get(code, code)
    areas = t(f"maps.areas.{level}.other", lang)
    within = names.get(province, "") if level == "gm" else reader.home_name
    colours = {c: (HIGHLIGHT_FILL if c == code else OTHER_FILL) for c in peers}
    charts = [
        Chart(
            t("report.locator_title", lang, name=name),
            map_svg(geometry, peers, colours, code),
            t("report.locator_alt", lang, name=name, areas=areas, within=within),
            t("report.locator_summary", lang, name=name, areas=areas, within=within),
        )
    ]
    for figure, period in figures:
        indicator = reader.catalog.indicator(figure.indicator_id)
        if not comparable(reader, indicator):
            continue
        frame = reader.snapshot(indicator.id, level, period)
        values = {
            str(a): float(v)
            for a, v in zip(frame["area"], frame["value"], strict=True)
            if str(a) in set(peers)
        }
        if not any(math.isfinite(v) for v in values.values()):
            continue
        view = map_view(peers, values, names, indicator, lang)
        references = [Reference(name, values.get(code))]
        if whole is not None:
            parent_value = figure.values[1]
            if parent_value is not None and indicator.display is None:
                references.append(Reference(whole.name, parent_value))
        title = t("report.map_title", lang, title=figure.title, areas=areas, period=figure.period)
        charts.append(
            Chart(
                title,
                map_svg(geometry, peers, view.colour_by_code, code),
                t("report.map_alt", lang, title=figure.title, areas=areas, within=within),
                ranking_summary(
                    figure.title,
                    areas,
                    figure.period,
                    {names.get(c, c): v for c, v in values.items()},
                    unit=figure.unit,
                    decimals=indicator.decimals,
                    lang=lang,
                ),
                tuple(legend_rows(view, indicator, level, lang, references)),
            )
        )
        break  # one map of figures: the first indicator that can be mapped
    return charts


def _sources(
    reader: Reader, level: str, figures: list[tuple[KeyFigure, pd.Timestamp]], lang: str
) -> tuple[SourceEntry, ...]:
    catalog = reader.catalog
    ids: list[str] = []
    for figure, period in figures:
        indicator = catalog.indicator(figure.indicator_id)
        if level == "gm":
            ids += [
                d for d in indicator.dataset if not catalog.datasets[d].format.startswith("cbs_kwb")
            ]
        else:
            ids += figure_datasets(reader, indicator, pd.Timestamp(period).year)
    ids.append(MUNICIPALITY_GEOMETRY if level == "gm" else GEOMETRY_DATASETS[level])
    return tuple(
        SourceEntry.of(catalog.datasets[d], lang)
        for d in dict.fromkeys(ids)
        if d in catalog.datasets
    )


def build_report(reader: Reader, code: str, lang: str) -> Report | None:
    """The report of `code` (a code `parse_code` accepted), or None when the platform has no
    such area."""
    level = area_level(reader, code)
    if level is None:
        return None
    return _report(reader, code, level, lang)


@memoized()
def _report(reader: Reader, code: str, level: str, lang: str) -> Report:
    names = reader.area_names()
    registry = reader.areas()
    chain = parent_chain(registry, code)
    columns = _columns(reader, code, level, lang)
    wijk = chain[0] if level == "bu" and chain else None
    if level == "gm":
        figures = _municipality_figures(reader, code, chain[0] if chain else None, lang)
        kind = t("report.kind.gm", lang, province=names.get(chain[0], "") if chain else "")
        parts = area_codes(reader, "wk") if code == reader.home else []
    else:
        figures = _neighbourhood_figures(reader, code, level, wijk or code, lang)
        kind = t(f"area_profile.kind.{level}", lang)
        parts = children(registry, code) if level == "wk" else []
    trends = []
    for indicator in _trend_indicators(reader, [f for f, _ in figures]):
        chart = _trend(reader, indicator, columns, lang)
        if chart is not None:
            trends.append(chart)
        if len(trends) >= MAX_TRENDS:
            break
    return Report(
        code=code,
        name=names.get(code, code),
        level=level,
        lang=lang,
        kind=kind,
        columns=columns,
        figures=tuple(f for f, _ in figures),
        maps=tuple(_maps(reader, code, level, columns, figures, lang)),
        trends=tuple(trends),
        sources=_sources(reader, level, figures, lang),
        version=reader.version or "",
        version_date=version_date(reader.version or "", lang),
        parts=tuple(Place(p, names.get(p, p)) for p in parts),
        wijk=Place(wijk, names.get(wijk, wijk)) if wijk else None,
    )
