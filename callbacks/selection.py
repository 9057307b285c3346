"""Own area selection (/buurten/selectie): the search box narrows the list, a click on the map
adds or removes an area, and every change of the list updates the map, the count and the
link to the selection's address (following it shows the combined figures)."""

from __future__ import annotations

from dash import Input, Output, Patch, State, callback
from dash.exceptions import PreventUpdate

from app.context import reader as current_reader
from callbacks.maps import clicked_code
from layouts.i18n import t
from layouts.pages import selection as sel
from layouts.views.selection import MAX_AREAS


def matches(option: dict, text: str) -> bool:
    return text.casefold() in str(option["label"]).casefold()


@callback(
    Output(sel.LIST_ID, "options"),
    Input(sel.FILTER_ID, "value"),
    State(sel.LIST_ID, "value"),
    State(sel.STATE_ID, "data"),
    prevent_initial_call=True,
)
def filter_areas(text, chosen, stored):
    if not stored:
        raise PreventUpdate
    reader = current_reader()
    level = stored["level"]
    options = sel.area_options(sel.area_codes(reader, level), reader.area_names())
    wanted = (text or "").strip()[:100]
    kept = set(chosen or [])
    return [o for o in options if not wanted or o["value"] in kept or matches(o, wanted)]


@callback(
    Output(sel.LIST_ID, "value"),
    Input(sel.MAP_IDS.graph, "clickData"),
    State(sel.LIST_ID, "value"),
    prevent_initial_call=True,
)
def toggle_clicked_area(click, chosen):
    code = clicked_code(click)
    if code is None:
        raise PreventUpdate
    chosen = list(chosen or [])
    if code in chosen:
        chosen.remove(code)
    elif len(chosen) < MAX_AREAS:
        chosen.append(code)
    return chosen


@callback(
    Output(sel.SHOW_ID, "href"),
    Output(sel.COUNT_ID, "children"),
    Output(sel.MAP_IDS.graph, "figure"),
    Input(sel.LIST_ID, "value"),
    State(sel.STATE_ID, "data"),
    prevent_initial_call=True,
)
def follow_choice(chosen, stored):
    if not stored:
        raise PreventUpdate
    reader = current_reader()
    level, lang = stored["level"], stored["lang"]
    known = set(sel.area_codes(reader, level))
    chosen = [c for c in (chosen or []) if c in known][:MAX_AREAS]
    view = sel.selected_view(reader.home_geometry_codes(level), chosen)
    patch = Patch()
    patch["data"][0]["z"] = view.z
    count = t("selection.chosen_count", lang, count=len(chosen), max=MAX_AREAS)
    return sel.selection_href(chosen, level, lang), count, patch
