"""The map view model: one indicator over the areas of one level at one period.

Everything a map shows comes from one `AreaMap`: the areas and their values, the classes and
colours (`view`, layouts/figures/choropleth.py), the areas marked in the legend and named in
the summary (one rule: layouts/views/references.py), the summary, the legend, the table rows
and the source line. The theme map and ranking blocks, /buurten and /corona/kaart all build
their map through `area_map` (pure) or `load_area_map` (from a Reader), so map, legend,
summary and table always show the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dash import html

from data.catalog import Catalog, Indicator
from data.reader import Reader
from layouts.figure_block import Source
from layouts.figures.choropleth import MapView, map_view
from layouts.figures.legend import Reference, empty_legend, map_legend
from layouts.figures.ranking import RankedArea, format_values, rank_text, ranked_count
from layouts.figures.summary import ranking_summary
from layouts.i18n import t
from layouts.views.references import COUNTRY, reference_areas

GEOMETRY_DATASETS = {"gm": "geo_gemeenten", "wk": "geo_wijken", "bu": "geo_buurten"}
LEVELS_WITH_A_MEAN = ("wk", "bu")  # the mean of the wijken is a yardstick; of 342 gemeenten not


@dataclass(frozen=True)
class Marked:
    """An area a map names besides its own: the home municipality among the others
    (`on_map`) or the whole the areas lie in."""

    code: str
    name: str
    value: float | None
    on_map: bool


@dataclass(frozen=True)
class AreaMap:
    """One map: what the figure, legend, summary, table and CSV of a map all read."""

    indicator: Indicator | None  # None: no indicator has values at this level
    level: str
    lang: str
    when: str  # the period in words ('2021', 'week 6 2022 (13 februari 2022)')
    codes: list[str]  # the areas drawn (in the geometry's order)
    names: dict[str, str]
    view: MapView
    marked: tuple[Marked, ...] = ()
    period: pd.Timestamp | None = None

    @property
    def rows(self) -> list[RankedArea]:
        """The table rows: every area with a value or a polygon, ranked (as the map's hover)."""
        return self.view.rows

    @property
    def has_figures(self) -> bool:
        return self.indicator is not None and any(r.value is not None for r in self.view.rows)

    @property
    def unit(self) -> str:
        return self.indicator.unit.get(self.lang) if self.indicator else ""

    def area_word(self, plural: bool = False) -> str:
        """'wijk' / 'wijken', 'gemeente' / 'gemeenten'."""
        return t(f"maps.areas.{self.level}.{'other' if plural else 'one'}", self.lang)

    def row(self, code: str) -> RankedArea | None:
        return next((r for r in self.view.rows if r.code == code), None)

    def references(self) -> list[Reference]:
        """What the legend marks: the mean of the areas (wijken, buurten), then the marked
        areas with their values."""
        refs = []
        if self.level in LEVELS_WITH_A_MEAN and self.has_figures:
            mean = self.view.classification.mean
            refs.append(Reference(t("maps.mean_of", self.lang, areas=self.area_word(True)), mean))
        return refs + [Reference(capitalised(m.name), m.value) for m in self.marked]

    def summary(self, title: str) -> str:
        """Highest, lowest and missing areas, then each marked area in a sentence."""
        if self.indicator is None:
            return t(
                "a11y.ranking_no_data",
                self.lang,
                title=title,
                level=self.area_word(),
                period=self.when,
            )
        lang, indicator = self.lang, self.indicator
        text = ranking_summary(
            title,
            self.area_word(),
            self.when,
            {row.name: row.value for row in self.view.rows},
            unit=self.unit,
            decimals=indicator.decimals,
            lang=lang,
        )
        for marked in self.marked:
            sentence = self.marked_sentence(marked)
            if sentence:
                text += " " + sentence
        return text

    def marked_sentence(self, marked: Marked) -> str:
        if marked.value is None or not math.isfinite(marked.value):
            return ""
        value = format_values([marked.value], self.lang, self.indicator.decimals)[0]
        value = f"{value} {self.unit}".strip()
        if marked.on_map:
            row = self.row(marked.code)
            rank = rank_text(row, ranked_count(self.view.rows), self.lang) if row else ""
            return t("maps.summary_marked", self.lang, name=marked.name, value=value, rank=rank)
        return t("maps.summary_whole", self.lang, name=capitalised(marked.name), value=value)

    def legend(self, legend_id: str) -> html.Div:
        if not self.has_figures:
            return empty_legend(self.level, len(self.codes), self.lang, legend_id=legend_id)
        return map_legend(
            self.view,
            self.indicator,
            self.level,
            self.lang,
            legend_id=legend_id,
            references=self.references(),
        )

    def value_header(self) -> str:
        """'Waarde (inwoners)', or 'Waarde' without a unit."""
        unit = self.unit
        return (
            t("maps.value_header", self.lang, unit=unit) if unit else t("common.value", self.lang)
        )


def capitalised(text: str) -> str:
    """'the Netherlands' -> 'The Netherlands' where it starts a label or a sentence."""
    return text[:1].upper() + text[1:]


def area_map(
    codes: Sequence[str],
    values: Mapping[str, float],
    names: Mapping[str, str],
    indicator: Indicator | None,
    level: str,
    lang: str,
    when: str,
    marked: Sequence[Marked] = (),
    period: pd.Timestamp | None = None,
) -> AreaMap:
    """The map of `values` (code -> value) over the areas `codes` (pure). Areas with a value
    but no polygon are ranked and listed like the others (`codes` empty: no boundaries)."""
    drawn = list(codes) or sorted(values)
    view = map_view(drawn, values, names, indicator, lang)
    return AreaMap(
        indicator=indicator,
        level=level,
        lang=lang,
        when=when,
        codes=list(codes),
        names=dict(names),
        view=view,
        marked=tuple(marked),
        period=period,
    )


def values_of(frame: pd.DataFrame) -> dict[str, float]:
    """code -> value of a snapshot (missing values as NaN: drawn as "no data")."""
    return dict(
        zip(
            frame["area"].astype(str).tolist(),
            frame["value"].to_numpy(dtype="float64", na_value=np.nan).tolist(),
            strict=True,
        )
    )


def marked_areas(
    reader: Reader,
    indicator: Indicator,
    level: str,
    within: str | None,
    period,
    values: Mapping[str, float],
    names: Mapping[str, str],
) -> list[Marked]:
    """The areas the one reference rule names, with their values at `period`."""
    found = []
    for code in reference_areas(indicator, level, within, reader.home):
        on_map = code in values
        if on_map:
            value = values[code]
        elif period is None:
            continue
        else:
            frame = reader.series(indicator.id, (code,), period, period)
            value = float(frame["value"].iloc[-1]) if not frame.empty else None
        if value is not None and not math.isfinite(value):
            value = None
        if value is None and not on_map:
            continue
        found.append(Marked(code, names.get(code) or code, value, on_map))
    return found


def area_names(reader: Reader, lang: str) -> dict[str, str]:
    """Area names from the registry; the country in the page's language ('the Netherlands')."""
    return {**reader.area_names(), COUNTRY: t("areas.netherlands", lang)}


def load_area_map(
    reader: Reader,
    indicator: Indicator | None,
    level: str,
    lang: str,
    when: str,
    *,
    codes: Sequence[str],
    values: Mapping[str, float],
    within: str | None = None,
    period=None,
) -> AreaMap:
    """The map of `values` over `codes`, with the areas the reference rule names read from
    the Reader at `period`."""
    names = area_names(reader, lang)
    marked = (
        marked_areas(reader, indicator, level, within, period, values, names)
        if indicator is not None
        else []
    )
    return area_map(codes, values, names, indicator, level, lang, when, marked, period)


def figure_datasets(
    catalog: Catalog, indicator: Indicator, level: str, year: int | None
) -> list[str]:
    """The datasets with the map's figures: for wijken and buurten the key-figure files per
    wijk and buurt (the one of `year` when there is one per year), else the indicator's first."""
    if level in LEVELS_WITH_A_MEAN:
        local = [d for d in indicator.dataset if catalog.datasets[d].format.startswith("cbs_kwb")]
        of_year = [d for d in local if year is not None and str(year) in d]
        if of_year or local:
            return of_year or local
    return [indicator.dataset[0]]


def map_sources(catalog: Catalog, area: AreaMap, year: int | None = None) -> list[Source]:
    """The sources of a map: its figures and its boundaries."""
    ids = figure_datasets(catalog, area.indicator, area.level, year) if area.indicator else []
    geometry = GEOMETRY_DATASETS.get(area.level)
    if geometry in catalog.datasets:
        ids.append(geometry)
    return [Source.of(catalog.datasets[d], area.lang) for d in dict.fromkeys(ids)]


class ShowsAreaMap:
    """For a page's map content holding an `area: AreaMap`: what it shows, read from that
    map view (one place instead of the same properties on every map page)."""

    area: AreaMap

    @property
    def lang(self) -> str:
        return self.area.lang

    @property
    def indicator(self):  # None on a map with no indicator with values
        return self.area.indicator

    @property
    def codes(self) -> list[str]:
        return self.area.codes

    @property
    def view(self):
        return self.area.view

    @property
    def names(self) -> dict[str, str]:
        return self.area.names

    @property
    def has_figures(self) -> bool:
        return self.area.has_figures
