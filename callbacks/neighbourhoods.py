"""Neighbourhood map (/buurten): level, indicator and year; compare table sorting; CSV; search;
a click on the map opens the area profile.

Switching indicator or year patches the map's values only; switching level sends the new
geometry (wijken or buurten) once. The compare section follows the map's state store.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, no_update
from dash.exceptions import PreventUpdate

from app.context import reader as current_reader
from callbacks.maps import FOLLOW_URL_JS, clicked_code
from layouts.figures.choropleth import values_patch
from layouts.figures.ranking import TableSort, csv_download, ranking_csv
from layouts.map_state import NeighbourhoodMapState
from layouts.pages import neighbourhoods as nb
from layouts.pages.corona_map import link_style

clientside_callback(
    FOLLOW_URL_JS,
    Output("lang-switch", "href", allow_duplicate=True),
    Input(nb.STATE_ID, "data"),
    prevent_initial_call=True,
)


def _state(stored: dict) -> NeighbourhoodMapState:
    return NeighbourhoodMapState(stored["level"], stored["indicator"], stored["year"])


@callback(
    Output(nb.IDS.graph, "figure"),
    Output(nb.LEGEND_ID, "children"),
    Output(nb.IDS.summary, "children"),
    Output(nb.IDS.title, "children"),
    Output(nb.IDS.table, "children"),
    Output(nb.SOURCE_ID, "children"),
    Output(nb.NOTES_ID, "children"),
    Output(nb.INDICATOR_ID, "options"),
    Output(nb.INDICATOR_ID, "value"),
    Output(nb.INDICATOR_ID, "disabled"),
    Output(nb.INDICATOR_ID, "placeholder"),
    Output(nb.YEAR_ID, "options"),
    Output(nb.YEAR_ID, "value"),
    Output(nb.YEAR_BOX_ID, "style"),
    Output(nb.SEARCH_BOX_ID, "children"),
    Output(nb.STATE_ID, "data"),
    Input(nb.LEVEL_ID, "value"),
    Input(nb.INDICATOR_ID, "value"),
    Input(nb.YEAR_ID, "value"),
    State(nb.STATE_ID, "data"),
    prevent_initial_call=True,
)
def update_neighbourhood_map(level, indicator, year, stored):
    reader = current_reader()
    if not stored:
        raise PreventUpdate
    lang = stored["lang"]
    trigger = ctx.triggered_id
    shown = _state(stored)
    # A control that only echoes what this callback just set changes nothing.
    if trigger == nb.LEVEL_ID and level != shown.level:
        wanted = NeighbourhoodMapState(level, shown.indicator, shown.year)
    elif trigger == nb.INDICATOR_ID and indicator and indicator != shown.indicator:
        wanted = NeighbourhoodMapState(shown.level, indicator, None)
    elif trigger == nb.YEAR_ID and year is not None and year != shown.year:
        wanted = NeighbourhoodMapState(shown.level, shown.indicator, year)
    else:
        raise PreventUpdate
    content = nb.load(reader, wanted, lang)
    new_level = trigger == nb.LEVEL_ID
    around = nb.panel(reader, content)
    return (
        around.figure if new_level else values_patch(content.view),
        around.legend,
        around.summary,
        around.title,
        around.table,
        around.meta,
        around.notes,
        around.indicator_options if new_level else no_update,
        content.state.indicator if content.indicator else None,
        not content.indicators,
        around.indicator_placeholder,
        around.year_options,
        content.state.year,
        around.year_box_style,
        around.search if new_level else no_update,
        nb.state_data(content),
    )


@callback(
    Output(nb.COMPARE_ID, "children"),
    Output(nb.DOWNLOAD_BUTTON_ID, "style"),
    Input(nb.STATE_ID, "data"),
    State(nb.SORT_STORE_ID, "data"),
    prevent_initial_call=True,
)
def update_compare(stored, sort_data):
    reader = current_reader()
    if not stored:
        raise PreventUpdate
    content = nb.load(reader, _state(stored), stored["lang"])
    return nb.compare_section(reader, content, _sort(sort_data)), nb.download_style(content)


def _sort(data: dict | None) -> TableSort:
    return TableSort(data["key"], data["descending"]) if data else TableSort()


@callback(
    Output(nb.SORTED_BOX_ID, "children"),
    Output(nb.SORT_STORE_ID, "data"),
    Input({"type": nb.SORT_TYPE, "column": ALL}, "n_clicks"),
    State(nb.SORT_STORE_ID, "data"),
    State(nb.STATE_ID, "data"),
    prevent_initial_call=True,
)
def sort_table(clicks, sort_data, stored):
    reader = current_reader()
    trigger = ctx.triggered_id
    if not stored or not isinstance(trigger, dict) or not any(clicks):
        raise PreventUpdate  # the sort buttons were only drawn again
    sort = _sort(sort_data).toggled(trigger["column"])
    content = nb.load(reader, _state(stored), stored["lang"])
    return nb.sortable_table(content, sort), {"key": sort.key, "descending": sort.descending}


@callback(
    Output(nb.NAVIGATE_ID, "href"),
    Input(nb.IDS.graph, "clickData"),
    State(nb.STATE_ID, "data"),
    prevent_initial_call=True,
)
def open_clicked_area(click, stored):
    code = clicked_code(click)
    if code is None or not stored:
        raise PreventUpdate
    return nb.profile_href(code, stored["lang"])


@callback(
    Output(nb.OPEN_ID, "href"),
    Output(nb.OPEN_ID, "children"),
    Output(nb.OPEN_ID, "style"),
    Input(nb.SEARCH_ID, "value"),
    State(nb.STATE_ID, "data"),
    prevent_initial_call=True,
)
def choose_area(text, stored):
    reader = current_reader()
    link = nb.open_link(reader, text, stored["level"], stored["lang"]) if stored else None
    if link is None:
        return no_update, no_update, link_style(None)
    return (*link, link_style(link[0]))


@callback(
    Output(nb.DOWNLOAD_ID, "data"),
    Input(nb.DOWNLOAD_BUTTON_ID, "n_clicks"),
    State(nb.STATE_ID, "data"),
    prevent_initial_call=True,
)
def download_neighbourhoods(clicks, stored):
    reader = current_reader()
    if not clicks or not stored:
        raise PreventUpdate
    content = nb.load(reader, _state(stored), stored["lang"])
    if content.indicator is None:
        raise PreventUpdate
    state = content.state
    period = f"{state.year}-01-01"
    filename = f"{state.indicator}_{state.level}_{state.year}.csv"
    return csv_download(
        ranking_csv(content.view.rows, indicator=state.indicator, period=period), filename
    )
