"""Map block: a choropleth of an indicator for every area of a level, with a period choice.

The map, its legend, the summary and the table come from one `AreaMap` (layouts/views/maps.py),
so they always show the same numbers. Choosing another period (when there are
several, e.g. years) sends only the values through callbacks/themes.py (`values_patch`); so
does the week slider (`week_slider`, weeks from layouts/views/map_weeks.py). The level switch
(`level_switch`) draws the block at another level (`MapBlock.at_level`) with its geometry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.catalog import Indicator
from data.reader import Reader
from data.staff import LEVELS
from layouts.blocks.common import (
    BlockContext,
    LevelValues,
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
from layouts.figures.map_poster import map_poster
from layouts.figures.ranking import ranking_table
from layouts.i18n import format_date, t
from layouts.views.area_pages import area_href
from layouts.views.map_weeks import Week, week_at, week_range, week_words, weeks_with_figures
from layouts.views.maps import AreaMap, load_area_map

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import LevelBlock, MapBlock

KIND = "map"
MAX_PERIOD_CHOICES = 12  # more periods (daily data) than fit a choice: the map shows the latest


@dataclass(frozen=True)
class MapParts:
    """What a map block shows for one period, all read from one AreaMap."""

    area: AreaMap
    values: LevelValues
    summary: str
    table: html.Div
    legend: html.Div

    @property
    def view(self) -> choropleth.MapView:
        return self.area.view


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


def block_map(reader: Reader, block: LevelBlock, period, lang: str) -> tuple[AreaMap, LevelValues]:
    """The map view of a map or ranking block at `period` (default: the block's, else the
    latest), with the areas the reference rule names."""
    indicator = reader.catalog.indicators[block.indicator]
    values = level_values(reader, indicator.id, block.level_code, block.within, period, lang)
    area = load_area_map(
        reader,
        indicator,
        block.level_code,
        lang,
        period_label(values.period, indicator.frequency, lang),
        codes=values.codes,
        values=values.values,
        within=block.within,
        period=values.period,
    )
    return area, values


def map_parts(
    block: LevelBlock,
    area: AreaMap,
    values: LevelValues,
    element_id: str,
    href: Callable[[str], str | None] | None = None,
) -> MapParts:
    """Summary, table and legend of the map for the values of one period (pure); with `href`
    the area names in the table link to href(code)."""
    lang, indicator = area.lang, area.indicator
    title = title_of(block, indicator, lang)
    level = level_word(block.level_code, lang)
    caption = t("themes.map_table_caption", lang, title=title, level=level, period=area.when)
    table = ranking_table(
        area.rows,
        caption=caption,
        area_header=level.capitalize(),
        value_header=f"{indicator.title.get(lang)} ({indicator.unit.get(lang)})",
        lang=lang,
        href=href,
        table_id=f"{element_id}-table",
    )
    legend = area.legend(f"{element_id}-legend")
    return MapParts(area, values, area.summary(title), table, legend)


def area_links(reader: Reader, block: LevelBlock, lang: str) -> Callable[[str], str | None] | None:
    """The links of a block's area names to the areas' pages, when the block opens them."""
    if not getattr(block, "open_area", False):
        return None
    return lambda code: area_href(code, reader.home, lang)


def load_parts(reader: Reader, block: LevelBlock, period, lang: str, element_id: str) -> MapParts:
    area, values = block_map(reader, block, period, lang)
    return map_parts(block, area, values, element_id, area_links(reader, block, lang))


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


def slider_weeks(reader: Reader, block: MapBlock) -> list[Week]:
    """The weeks the block's week slider moves through (none without `week_slider`)."""
    if not block.week_slider:
        return []
    return weeks_with_figures(reader.periods(block.indicator, block.level_code))


def week_text(week: Week, lang: str) -> str:
    words, day = week_words(week, lang), format_date(week.end, lang)
    return t("themes.week_shown", lang, week=words, date=day)


def load_week(
    reader: Reader, block: MapBlock, position, lang: str, element_id: str
) -> tuple[Week, MapParts] | None:
    """The week at slider `position` and the map's parts at its last day (None: no weeks)."""
    week = week_at(slider_weeks(reader, block), position)
    if week is None:
        return None
    return week, load_parts(reader, block, week.end, lang, element_id)


def week_control(weeks: list[Week], context: BlockContext) -> html.Div:
    """A slider over the weeks with figures (the latest chosen), as on /corona/kaart."""
    lang, ids = context.lang, context.ids(KIND)
    # the label holds the slider: a pattern-matching id has no fixed DOM id for htmlFor
    return html.Div(
        [
            html.Label(
                [
                    html.Span(t("themes.week_label", lang), className="d-block fw-bold mb-1"),
                    dbc.Input(
                        id=ids.part("week"),
                        type="range",
                        min=0,
                        max=len(weeks) - 1,
                        step=1,
                        value=len(weeks) - 1,
                        debounce=250,  # ms: dragging sends one update when it pauses
                        class_name="form-range",
                    ),
                ],
                className="d-block mb-0",
            ),
            html.Div(
                [html.Span(words) for words in week_range(weeks, lang)],
                className="d-flex justify-content-between small text-muted",
            ),
            html.P(
                week_text(weeks[-1], lang),
                id=ids.part("week-text"),
                className="mb-1",
                **{"aria-live": "polite"},
            ),
        ],
        className="mb-2",
    )


def level_control(block: MapBlock, context: BlockContext) -> html.Fieldset:
    """The radio group of the block's level switch, its own level chosen."""
    lang = context.lang
    return radio_group(
        t("themes.choose_level", lang),
        context.ids(KIND).part("level"),
        [
            {"label": level_word(LEVELS[word], lang).capitalize(), "value": word}
            for word in block.level_switch or []
        ],
        block.level,
    )


def map_figure(reader: Reader, block: LevelBlock, parts: MapParts):
    """The choropleth of the parts over the block's level (no boundaries: an empty map)."""
    geojson = filtered_geometry(reader, block.level_code, parts.values.codes)
    return choropleth.choropleth_figure(
        geojson or {"type": "FeatureCollection", "features": []},
        parts.view,
        parts.area.names,
        basemap=reader.site.basemap,
    )


def block_meta(block: LevelBlock, parts: MapParts, context: BlockContext) -> html.Div:
    """Source line and downloads of the block's level (every period: the period control and
    the week slider change the map, not this line; the level switch sends a new one)."""
    lang, indicator = context.lang, parts.area.indicator
    title = title_of(block, indicator, lang)
    values = parts.values
    download = level_download([block.indicator], block.level_code, block.within, values.codes)
    line = meta_line(
        context.catalog, [block.indicator], values.period, lang, title, download=download
    )
    return html.Div(line, id=context.ids(KIND).part("meta"))


def build(block: MapBlock, context: BlockContext) -> html.Section:
    lang, catalog = context.lang, context.catalog
    indicator = catalog.indicators[block.indicator]
    title = title_of(block, indicator, lang)
    ids = context.ids(KIND)
    parts = load_parts(context.reader, block, block.period, lang, context.prefix)
    values = parts.values
    geojson = filtered_geometry(context.reader, block.level_code, values.codes)
    meta = block_meta(block, parts, context)
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
    figure = map_figure(context.reader, block, parts)
    fixed = block.period or block.week_slider or block.level_switch
    choices = [] if fixed else period_choices(context.reader, indicator, block.level_code)
    weeks = slider_weeks(context.reader, block)
    return html.Div(
        [
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
                        period_control(choices, values.period, indicator, context)
                        if choices
                        else None,
                        week_control(weeks, context) if weeks else None,
                        level_control(block, context) if block.level_switch else None,
                        html.Div(parts.legend, id=ids.part("legend")),
                    ]
                ),
                graph_height=420,
                poster=map_poster(geojson, parts.view, basemap=context.reader.site.basemap),
            ),
            dcc.Location(id=ids.part("navigate"), refresh="callback-nav")
            if block.open_area
            else None,
        ],
        className="mm-map",
    )
