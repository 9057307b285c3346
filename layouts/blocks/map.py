"""Map block: a choropleth of an indicator for every area of a level, with a period choice.

The map, its legend, the summary and the table come from one `MapView` (layouts/figures/
choropleth.py), so they always show the same numbers. Choosing another period (when there are
several, e.g. years) sends only the values through callbacks/themes.py (`values_patch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from dash import html

from data.catalog import Indicator
from data.reader import Reader
from layouts.blocks.common import (
    BlockContext,
    LevelValues,
    area_names,
    level_download,
    level_values,
    level_word,
    meta_line,
    no_data_note,
    period_label,
    title_of,
)
from layouts.components import archived_badge, radio_group
from layouts.figure_block import figure_block
from layouts.figures import choropleth
from layouts.figures.legend import Reference, map_legend
from layouts.figures.ranking import ranking_table
from layouts.figures.summary import ranking_summary
from layouts.i18n import t
from layouts.views.references import reference_area

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import MapBlock

KIND = "map"
MAX_PERIOD_CHOICES = 12  # more periods (daily data) than fit a choice: the map shows the latest


@dataclass(frozen=True)
class MapParts:
    """What a map block shows for one period, built from one MapView."""

    view: choropleth.MapView
    values: LevelValues
    summary: str
    table: html.Div
    legend: html.Div


def period_choices(reader: Reader, indicator: Indicator, level: str) -> list[pd.Timestamp]:
    periods = reader.periods(indicator.id, level)
    return periods if 1 < len(periods) <= MAX_PERIOD_CHOICES else []


def filtered_geometry(reader: Reader, level: str, codes: list[str]) -> dict | None:
    """The level's geometry with only the features of `codes` (None: no geometry)."""
    geojson = reader.geometry(level)
    if geojson is None:
        return None
    wanted = set(codes)
    features = [f for f in geojson["features"] if str(f.get("id")) in wanted]
    return {**geojson, "features": features} if features else None


def map_parts(
    block: MapBlock,
    indicator: Indicator,
    values: LevelValues,
    codes: list[str],
    lang: str,
    element_id: str,
    references: tuple[Reference, ...] = (),
) -> MapParts:
    """View, summary, table and legend of the map for the values of one period (pure)."""
    title = title_of(block, indicator, lang)
    view = choropleth.map_view(codes, values.values, values.names, indicator, lang)
    level = level_word(block.level_code, lang)
    when = period_label(values.period, indicator.frequency, lang)
    by_name = {values.names[row.code]: row.value for row in view.rows}
    summary = ranking_summary(
        title,
        level,
        when,
        by_name,
        unit=indicator.unit.get(lang),
        decimals=indicator.decimals,
        lang=lang,
    )
    caption = t("themes.map_table_caption", lang, title=title, level=level, period=when)
    table = ranking_table(
        view.rows,
        caption=caption,
        area_header=level.capitalize(),
        value_header=f"{indicator.title.get(lang)} ({indicator.unit.get(lang)})",
        lang=lang,
        table_id=f"{element_id}-table",
    )
    legend = map_legend(
        view,
        indicator,
        block.level_code,
        lang,
        legend_id=f"{element_id}-legend",
        references=references,
    )
    return MapParts(view, values, summary, table, legend)


def references(
    reader: Reader, block: MapBlock, indicator: Indicator, period, lang: str
) -> tuple[Reference, ...]:
    """The value of the reference area at the map's period, for the legend."""
    code = reference_area(indicator, block.level_code, block.within, reader.home)
    if code is None or period is None:
        return ()
    frame = reader.series(indicator.id, (code,), period, period)
    if frame.empty:
        return ()
    name = area_names(reader, lang).get(code, code)
    return (Reference(name, float(frame["value"].iloc[-1])),)


def period_control(
    choices: list[pd.Timestamp], chosen, indicator: Indicator, context: BlockContext
) -> html.Fieldset:
    lang = context.lang
    return radio_group(
        t("themes.choose_period", lang),
        context.ids(KIND).part("period"),
        [
            {
                "label": period_label(p, indicator.frequency, lang),
                "value": pd.Timestamp(p).date().isoformat(),
            }
            for p in reversed(choices)
        ],
        pd.Timestamp(chosen).date().isoformat() if chosen is not None else None,
    )


def build(block: MapBlock, context: BlockContext) -> html.Section:
    lang, catalog = context.lang, context.catalog
    indicator = catalog.indicators[block.indicator]
    title = title_of(block, indicator, lang)
    ids = context.ids(KIND)
    values = level_values(
        context.reader, indicator.id, block.level_code, block.within, block.period, lang
    )
    geojson = filtered_geometry(context.reader, block.level_code, values.codes)
    parts = map_parts(
        block,
        indicator,
        values,
        values.codes,
        lang,
        context.prefix,
        references(context.reader, block, indicator, values.period, lang),
    )
    # every period: the period control changes the map, not this line
    download = level_download([indicator.id], block.level_code, block.within, values.codes)
    meta = meta_line(catalog, [indicator.id], values.period, lang, title, download=download)
    if geojson is None or not values.values:
        note = "themes.no_map" if geojson is None else "themes.no_data_level"
        heading_id = context.element_id("title")
        return html.Section(
            [
                html.H2(title, id=heading_id, className="h5 mb-1"),
                no_data_note(lang, note, level=level_word(block.level_code, lang)),
                parts.table if values.values else None,
                meta,
            ],
            className="mm-block mb-4",
            **{"aria-labelledby": heading_id},
        )
    figure = choropleth.choropleth_figure(
        geojson,
        parts.view,
        values.names,
        basemap=context.reader.site.basemap,
    )
    choices = [] if block.period else period_choices(context.reader, indicator, block.level_code)
    return html.Div(
        figure_block(
            ids,
            title,
            figure,
            html.Span(parts.summary, id=ids.part("summary")),
            html.Div(parts.table, id=ids.part("table")),
            meta,
            lang,
            badge=archived_badge(indicator, lang),
            controls=html.Div(
                [
                    period_control(choices, values.period, indicator, context) if choices else None,
                    html.Div(parts.legend, id=ids.part("legend")),
                ]
            ),
            graph_height=420,
        ),
        className="mm-map",
    )
