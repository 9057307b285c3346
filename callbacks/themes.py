"""The callbacks of all theme blocks: one per interactive block type, for every theme.

Ids are pattern-matching ({"type": "theme-trend-range", "block": "<theme>-<n>"}), so a new theme
file adds blocks, never callbacks. Each callback finds its block from the key in the id, reads
the store through a query, and calls the same pure functions the page was built with.
"""

from __future__ import annotations

import pandas as pd
from dash import MATCH, Input, Output, State, callback, clientside_callback, ctx, no_update

from app.context import reader as current_reader
from callbacks.clientside import TABLE_FOR_PATTERN_ID
from data.reader import Reader
from layouts.blocks import map as map_block
from layouts.blocks import trend as trend_block
from layouts.blocks.common import BlockContext, parse_block_key
from layouts.figure_block import prepare_figure
from layouts.figures import choropleth
from layouts.shell import lang_from_search
from layouts.themes.loader import current_themes
from layouts.themes.models import MapBlock, RowBlock, TrendBlock
from layouts.views.area_pages import area_href, area_in_search


def find_block(reader: Reader, key: str):
    """The block of a theme for a key like 'bevolking-3' or 'bevolking-3.1' (None: gone)."""
    parsed = parse_block_key(key)
    if parsed is None:
        return None
    theme_id, number = parsed
    file = current_themes(reader).find(theme_id)
    if file is None or not file.ok or file.theme is None:
        return None
    block = None
    blocks = file.theme.blocks
    for part in number.split("."):
        index = int(part)
        if index >= len(blocks):
            return None
        block = blocks[index]
        blocks = block.blocks if isinstance(block, RowBlock) else []
    return block


def _key() -> str:
    return ctx.triggered_id["block"] if isinstance(ctx.triggered_id, dict) else ""


@callback(
    Output({"type": "theme-trend-graph", "block": MATCH}, "figure"),
    Output({"type": "theme-trend-summary", "block": MATCH}, "children"),
    Input({"type": "theme-trend-range", "block": MATCH}, "value"),
    Input({"type": "theme-trend-view", "block": MATCH}, "value"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def update_trend(range_value: str | None, shown_as: str | None, search: str | None):
    reader = current_reader()
    block = find_block(reader, _key())
    if not isinstance(block, TrendBlock) or range_value not in trend_block.RANGES:
        return no_update, no_update
    if shown_as not in trend_block.VIEWS:
        return no_update, no_update
    lang = lang_from_search(search)
    block = trend_block.following(block, area_in_search(search, reader.area_names()))
    view = trend_block.load_view(reader, block, lang, range_value, shown_as)
    return prepare_figure(view.figure, lang), view.summary


# The table alternative of every trend block, written in the browser from its figure.
clientside_callback(
    TABLE_FOR_PATTERN_ID,
    Output({"type": "theme-trend-table", "block": MATCH}, "data-rows"),
    Input({"type": "theme-trend-graph", "block": MATCH}, "figure"),
    State({"type": "theme-trend-table", "block": MATCH}, "id"),
)


@callback(
    Output({"type": "theme-map-graph", "block": MATCH}, "figure"),
    Output({"type": "theme-map-summary", "block": MATCH}, "children"),
    Output({"type": "theme-map-table", "block": MATCH}, "children"),
    Output({"type": "theme-map-legend", "block": MATCH}, "children"),
    Input({"type": "theme-map-period", "block": MATCH}, "value"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def update_map(period: str | None, search: str | None):
    reader = current_reader()
    key = _key()
    block = find_block(reader, key)
    if not isinstance(block, MapBlock) or not period:
        return no_update, no_update, no_update, no_update
    lang = lang_from_search(search)
    parts = map_block.load_parts(
        reader, block, pd.Timestamp(period), lang, f"theme-{key.replace('.', '-')}"
    )
    return choropleth.values_patch(parts.view), parts.summary, parts.table, parts.legend


def _map_outputs(*extra):
    """The figure, summary, table and legend of a map block, which several controls set."""
    parts = ("graph", "summary", "table", "legend")
    prop = {"graph": "figure", "legend": "children", "summary": "children", "table": "children"}
    outputs = [
        Output({"type": f"theme-map-{p}", "block": MATCH}, prop[p], allow_duplicate=True)
        for p in parts
    ]
    return [*outputs, *extra]


@callback(
    *_map_outputs(Output({"type": "theme-map-meta", "block": MATCH}, "children")),
    Input({"type": "theme-map-level", "block": MATCH}, "value"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def switch_map_level(level: str | None, search: str | None):
    """The level switch of a map block: the map redrawn at the chosen level, with its
    boundaries, legend, summary, table and the downloads of that level."""
    reader = current_reader()
    key = _key()
    block = find_block(reader, key)
    shown = block.at_level(level) if isinstance(block, MapBlock) and level else None
    if shown is None:
        return (no_update,) * 5
    lang = lang_from_search(search)
    theme_id, number = parse_block_key(key)  # found above: the key parses
    context = BlockContext(theme_id, number, lang, reader)
    parts = map_block.load_parts(reader, shown, None, lang, _element_id(key))
    figure = prepare_figure(map_block.map_figure(reader, shown, parts), lang)
    meta = map_block.block_meta(shown, parts, context).children
    return figure, parts.summary, parts.table, parts.legend, meta


@callback(
    *_map_outputs(Output({"type": "theme-map-week-text", "block": MATCH}, "children")),
    Input({"type": "theme-map-week", "block": MATCH}, "value"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def move_map_week(position, search: str | None):
    """The week slider of a map block: only the values of the chosen week are sent."""
    reader = current_reader()
    key = _key()
    block = find_block(reader, key)
    try:
        position = int(position)
    except (TypeError, ValueError):
        position = None
    loaded = None
    if isinstance(block, MapBlock) and block.week_slider and position is not None:
        lang = lang_from_search(search)
        loaded = map_block.load_week(reader, block, position, lang, _element_id(key))
    if loaded is None:
        return (no_update,) * 5
    week, parts = loaded
    patch = choropleth.values_patch(parts.view)
    return patch, parts.summary, parts.table, parts.legend, map_block.week_text(week, lang)


def _element_id(key: str) -> str:
    return f"theme-{key.replace('.', '-')}"


@callback(
    Output({"type": "theme-map-navigate", "block": MATCH}, "href"),
    Input({"type": "theme-map-graph", "block": MATCH}, "clickData"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def open_clicked_area(click, search: str | None):
    """A click on an area of a map block with `open_area` opens the area's page."""
    reader = current_reader()
    block = find_block(reader, _key())
    points = (click or {}).get("points") or [] if isinstance(click, dict) else []
    code = points[0].get("location") if points and isinstance(points[0], dict) else None
    if not isinstance(block, MapBlock) or not block.open_area or not isinstance(code, str):
        return no_update
    return area_href(code, reader.home, lang_from_search(search)) or no_update
