"""Ranking block: the areas of a level as bars, highest first, in their map class colours;
the same map view (layouts/views/maps.py) as the map block, so both show the same numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dash import html

from layouts.blocks.common import (
    BlockContext,
    level_download,
    level_word,
    meta_line,
    no_data_note,
    title_of,
)
from layouts.blocks.map import block_map
from layouts.components import archived_badge
from layouts.figure_block import figure_block
from layouts.figures.ranking import BAR_HEIGHT_PX, ranking_figure, ranking_table
from layouts.i18n import t

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import RankingBlock

KIND = "ranking"


def build(block: RankingBlock, context: BlockContext) -> html.Section:
    lang, catalog = context.lang, context.catalog
    indicator = catalog.indicators[block.indicator]
    title = title_of(block, indicator, lang)
    level = level_word(block.level_code, lang)
    area, values = block_map(context.reader, block, block.period, lang)
    download = level_download(
        [indicator.id], block.level_code, block.within, values.codes, values.period
    )
    meta = meta_line(catalog, [indicator.id], values.period, lang, title, download=download)
    if not values.values:
        heading_id = context.element_id("title")
        return html.Section(
            [
                html.H2(title, id=heading_id, className="h5 mb-1"),
                no_data_note(lang, "themes.no_data_level", level=level),
                meta,
            ],
            className="mm-block mb-4",
            **{"aria-labelledby": heading_id},
        )
    rows = [row for row in area.rows if row.value is not None]
    shown = rows[: block.limit] if block.limit else rows
    figure = ranking_figure(shown, area.view.colour_by_code, unit=area.unit, lang=lang)
    summary = area.summary(title)
    if block.limit and len(rows) > block.limit:
        summary += " " + t("themes.ranking_limited", lang, shown=len(shown), total=len(rows))
    caption = t("themes.map_table_caption", lang, title=title, level=level, period=area.when)
    table = ranking_table(
        area.rows,
        caption=caption,
        area_header=level.capitalize(),
        value_header=f"{indicator.title.get(lang)} ({area.unit})",
        lang=lang,
        table_id=context.element_id("table"),
    )
    return figure_block(
        context.ids(KIND),
        title,
        figure,
        summary,
        table,
        meta,
        lang,
        badge=archived_badge(indicator, lang),
        graph_height=max(160, BAR_HEIGHT_PX * len(shown) + 56),
    )
