"""Corona overview: the controls update the charts in place and write the view into the URL.

The page is rendered from the URL (layouts/pages/corona.py); these callbacks only run when the
reader changes a control. Choosing another municipality navigates to its page, keeping the
rest of the view.
"""

from __future__ import annotations

from dash import Input, Output, State, callback, clientside_callback, ctx, no_update

from layouts.corona_state import (
    CoronaState,
    page_path,
    state_from_controls,
    to_query,
)
from layouts.pages import corona as page


def _block_outputs(ids, *, title: bool) -> list[Output]:
    outputs = [Output(ids.title, "children")] if title else []
    return [
        *outputs,
        Output(ids.graph, "figure"),
        Output(ids.summary, "children"),
        Output(ids.table, "children"),
        Output(ids.meta, "children"),
    ]


def _values(parts: page.BlockParts) -> list:
    return [parts.figure, parts.summary, parts.table, parts.meta]


@callback(
    Output(page.PERIOD_INPUT, "value"),
    Output(page.RANGE_INPUT, "value"),
    Output(page.RANGE_TEXT, "children"),
    Input(page.PERIOD_INPUT, "value"),
    Input(page.RANGE_INPUT, "value"),
    State(page.RANGE_INPUT, "min"),
    State(page.RANGE_INPUT, "max"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def sync_period(preset, months, first, last, rendered):
    """A preset resets the slider to the whole range; moving the slider clears the preset."""
    lang = rendered["lang"]
    if ctx.triggered_id == page.PERIOD_INPUT:
        state = CoronaState(lang=lang).with_preset(preset)
        return no_update, [first, last], page.range_text(state, lang)
    if list(months or []) == [first, last]:
        return "all", no_update, page.range_text(CoronaState(lang=lang), lang)
    state = state_from_controls(
        view=None, preset=None, months=months, metric=None, compare=None, lang=lang
    )
    return None, no_update, page.range_text(state, lang)


@callback(
    *[o for key in page.TREND_IDS for o in _block_outputs(page.TREND_IDS[key], title=True)],
    *_block_outputs(page.SEWAGE_IDS, title=False),
    Input(page.VIEW_INPUT, "value"),
    Input(page.PERIOD_INPUT, "value"),
    Input(page.RANGE_INPUT, "value"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def update_trends(view, preset, months, rendered):
    state = state_from_controls(
        view=view, preset=preset, months=months, metric=None, compare=None, lang=rendered["lang"]
    )
    area = rendered["area"]
    values = []
    for key in page.TREND_IDS:
        values += [
            page.trend_title(key, state.view, state.lang),
            *_values(page.trend_parts(key, area, state)),
        ]
    return [*values, *_values(page.sewage_parts(area, state))]


@callback(
    *_block_outputs(page.COMPARE_IDS, title=True),
    Input(page.COMPARE_METRIC_INPUT, "value"),
    Input(page.COMPARE_INPUT, "value"),
    Input(page.PERIOD_INPUT, "value"),
    Input(page.RANGE_INPUT, "value"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def update_comparison(metric, compare, preset, months, rendered):
    state = state_from_controls(
        view=None,
        preset=preset,
        months=months,
        metric=metric,
        compare=compare,
        lang=rendered["lang"],
    )
    return [
        page.comparison_title(state.metric, state.lang),
        *_values(page.comparison_parts(rendered["area"], state)),
    ]


@callback(
    Output(page.URL, "search"),
    Input(page.VIEW_INPUT, "value"),
    Input(page.PERIOD_INPUT, "value"),
    Input(page.RANGE_INPUT, "value"),
    Input(page.COMPARE_METRIC_INPUT, "value"),
    Input(page.COMPARE_INPUT, "value"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def write_url(view, preset, months, metric, compare, rendered):
    """Keep the address bar in step with the view, so a copied link reopens it."""
    state = state_from_controls(
        view=view,
        preset=preset,
        months=months,
        metric=metric,
        compare=compare,
        lang=rendered["lang"],
    )
    return to_query(state)


@callback(
    Output(page.NAVIGATION, "href"),
    Input(page.MUNICIPALITY_INPUT, "value"),
    State(page.URL, "search"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def open_municipality(code, search, rendered):
    """Open the chosen municipality's page with the same view (and language)."""
    if not code or code == rendered["area"]:
        return no_update
    return page_path(code) + (search or "")


# The language switch in the header links to the same view in the other language; the page
# changes the address without a page load, so the link follows the address here.
clientside_callback(
    """
    function(search) {
        const params = new URLSearchParams(search || '');
        const other = params.get('lang') === 'en' ? 'nl' : 'en';
        if (other === 'nl') { params.delete('lang'); } else { params.set('lang', other); }
        const query = params.toString().replace(/%2C/g, ',');
        return window.location.pathname + (query ? '?' + query : '');
    }
    """,
    Output("lang-switch", "href", allow_duplicate=True),
    Input(page.URL, "search"),
    prevent_initial_call=True,
)
