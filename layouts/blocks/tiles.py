"""Tiles block: headline figures of one area (latest value, its date, archived label), each
from the one tile view model (layouts/views/tiles.py), as on /corona."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dash_bootstrap_components as dbc
from dash import html

from layouts.blocks.common import BlockContext, area_names, meta_line, shown_areas
from layouts.components import tile_card
from layouts.i18n import t
from layouts.views.tiles import load_latest_tile

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import TilesBlock


def build(block: TilesBlock, context: BlockContext) -> html.Section:
    lang, catalog = context.lang, context.catalog
    (area,) = shown_areas([block.area], block.area_from_url, context.url_area)
    area_name = area_names(context.reader, lang).get(area, area)
    title = block.title.get(lang) if block.title else t("themes.tiles_title", lang, area=area_name)
    heading_id = context.element_id("title")
    columns = []
    for ind_id in block.indicators:
        view = load_latest_tile(context.reader, ind_id, area, lang)
        columns.append(
            dbc.Col(
                tile_card(view, lang, context.element_id(f"tile-{ind_id}")),
                xs=12,
                sm=6,
                lg=4,
                className="mb-3",
            )
        )
    return html.Section(
        [
            html.H2(title, id=heading_id, className="h5 mb-2"),
            dbc.Row(columns, id=context.element_id("tiles")),
            meta_line(catalog, list(block.indicators), None, lang, title),
        ],
        className="mm-block mb-4",
        **{"aria-labelledby": heading_id},
    )
