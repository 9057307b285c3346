"""Map pages: switching week, topic, zoom, level or year patches the map's values only.

Each callback reads its inputs, loads the view through the page module (memoized queries and
pure figure functions) and returns a dash.Patch for the figure plus the small pieces around it
(legend, summary, title). The table next to the municipality map is rebuilt in the browser
from the patched figure, so its 342 rows never travel again. The page URL follows the view
with history.replaceState, so a copied link reopens it without reloading the page.
"""

from __future__ import annotations

from dash import Input, Output, State, callback, clientside_callback, ctx, no_update
from dash.exceptions import PreventUpdate

from app.context import reader as current_reader
from callbacks.clientside import CORONA_MAP_TABLE
from layouts.figures.choropleth import values_patch
from layouts.figures.ranking import csv_download, ranking_csv
from layouts.map_state import CoronaMapState
from layouts.pages import corona_map as cm

# The URL follows the view without a page load (so a copied link reopens it), and the
# language switch in the header links to the same view in the other language.
FOLLOW_URL_JS = """
function(state) {
    if (!state || !state.url) { return window.dash_clientside.no_update; }
    if (window.location.pathname + window.location.search !== state.url) {
        window.history.replaceState(window.history.state, '', state.url);
    }
    return state.url_other_lang || window.dash_clientside.no_update;
}
"""

clientside_callback(
    FOLLOW_URL_JS,
    Output("lang-switch", "href", allow_duplicate=True),
    Input(cm.STATE_ID, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(cm.IDS.graph, "figure"),
    Output(cm.LEGEND_ID, "children"),
    Output(cm.IDS.summary, "children"),
    Output(cm.IDS.title, "children"),
    Output(cm.WEEK_TEXT_ID, "children"),
    Output(cm.SOURCE_ID, "children"),
    Output(cm.BADGE_ID, "children"),
    Output(cm.WEEK_ID, "max"),
    Output(cm.WEEK_RANGE_ID, "children"),
    Output(cm.WEEK_ID, "value"),
    Output(cm.STATE_ID, "data"),
    Input(cm.INDICATOR_ID, "value"),
    Input(cm.WEEK_ID, "value"),
    Input(cm.ZOOM_ID, "value"),
    Input(cm.PREVIOUS_ID, "n_clicks"),
    Input(cm.NEXT_ID, "n_clicks"),
    State(cm.STATE_ID, "data"),
    prevent_initial_call=True,
)
def update_corona_map(indicator, position, zoom, _previous, _next, stored):
    reader = current_reader()
    position = int(position) if position not in (None, "") else None
    if not stored:
        raise PreventUpdate
    lang = stored["lang"]
    state = CoronaMapState(indicator=indicator, week=stored["week"], zoom=zoom)
    trigger = ctx.triggered_id
    if trigger == cm.ZOOM_ID:
        data = {**stored, **cm.state_data_for_zoom(stored, zoom)}
        return (cm.zoom_patch(reader, zoom), *[no_update] * 9, data)
    if trigger == cm.WEEK_ID and position == stored["position"]:
        raise PreventUpdate  # the slider only echoes the week this callback just set
    if trigger == cm.WEEK_ID:
        content = cm.load(reader, state, lang, position=position)
    elif trigger in (cm.PREVIOUS_ID, cm.NEXT_ID):
        step = -1 if trigger == cm.PREVIOUS_ID else 1
        content = cm.load(reader, state, lang, position=stored["position"] + step)
    else:
        content = cm.load(reader, state, lang)
    if content is None:
        raise PreventUpdate
    new_weeks = trigger == cm.INDICATOR_ID
    around = cm.panel(reader, content)
    return (
        values_patch(content.view),
        around.legend,
        around.summary,
        around.title,
        around.week_text,
        around.meta,
        around.badge,
        len(content.weeks) - 1 if new_weeks else no_update,
        around.week_range if new_weeks else no_update,
        content.week_position,
        cm.state_data(content),
    )


# The table of all municipalities, rebuilt in the browser from the patched figure: the same
# markup as layouts/pages/corona_map.table_html, so its 342 rows never travel again.
clientside_callback(
    CORONA_MAP_TABLE,
    Output(cm.TABLE_HTML_ID, "children"),
    Input(cm.STATE_ID, "data"),
    State(cm.IDS.graph, "figure"),
    State(cm.TABLE_INFO_ID, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(cm.NAVIGATE_ID, "href"),
    Input(cm.IDS.graph, "clickData"),
    State(cm.STATE_ID, "data"),
    prevent_initial_call=True,
)
def open_clicked_municipality(click, stored):
    code = clicked_code(click)
    if code is None or not stored:
        raise PreventUpdate
    return cm.area_href(code, current_reader().home, stored["lang"])


def clicked_code(click) -> str | None:
    points = (click or {}).get("points") or []
    location = points[0].get("location") if points else None
    return str(location) if location else None


@callback(
    Output(cm.OPEN_ID, "href"),
    Output(cm.OPEN_ID, "children"),
    Input(cm.SEARCH_ID, "value"),
    State(cm.STATE_ID, "data"),
    prevent_initial_call=True,
)
def choose_municipality(text, stored):
    reader = current_reader()
    link = cm.open_link(reader, text, stored["lang"]) if stored else None
    if link is None:
        raise PreventUpdate
    return link


@callback(
    Output(cm.DOWNLOAD_ID, "data"),
    Input(cm.DOWNLOAD_BUTTON_ID, "n_clicks"),
    State(cm.STATE_ID, "data"),
    prevent_initial_call=True,
)
def download_corona_map(_clicks, stored):
    reader = current_reader()
    if not stored:
        raise PreventUpdate
    state = CoronaMapState(stored["indicator"], stored["week"], stored["zoom"])
    content = cm.load(reader, state, stored["lang"])
    if content is None:
        raise PreventUpdate
    filename = f"{state.indicator}_{content.week.key}_gemeenten.csv"
    return csv_download(
        ranking_csv(
            content.view.rows, indicator=state.indicator, period=content.week.end.date().isoformat()
        ),
        filename,
    )
