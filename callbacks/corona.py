"""Corona overview: the controls update the charts in place and write the view into the URL.

The page is rendered from the URL (layouts/pages/corona.py); these callbacks run when the
reader changes a control. Choosing another municipality opens its page with the same view.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, no_update

from app.context import reader as current_reader
from callbacks.clientside import TABLE_FROM_FIGURE
from layouts.corona_state import (
    MAX_COMPARE,
    CoronaState,
    page_path,
    resolve_municipality,
    state_from_controls,
    to_query,
)
from layouts.i18n import t
from layouts.pages import corona as page
from layouts.views.urls import href


def _parts_outputs(ids, *, title: bool) -> list[Output]:
    outputs = [Output(ids.title, "children")] if title else []
    return [
        *outputs,
        Output(ids.graph, "figure"),
        Output(ids.summary, "children"),
        Output(ids.meta, "children"),
    ]


def _parts_values(parts: page.BlockParts) -> list:
    return [parts.figure, parts.summary, parts.meta]


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
    """A preset puts the slider back on the whole range; moving the slider clears the preset
    (or selects 'all' when it covers the whole range)."""
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
    *[o for ids in page.TREND_IDS.values() for o in _parts_outputs(ids, title=True)],
    *_parts_outputs(page.SEWAGE_IDS, title=False),
    Input(page.VIEW_INPUT, "value"),
    Input(page.PERIOD_INPUT, "value"),
    Input(page.RANGE_INPUT, "value"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def update_trends(view, preset, months, rendered):
    reader = current_reader()
    state = state_from_controls(
        view=view, preset=preset, months=months, metric=None, compare=None, lang=rendered["lang"]
    )
    area, values = rendered["area"], []
    for key in page.TREND_IDS:
        values.append(page.trend_title(reader, key, state.view, state.lang))
        values += _parts_values(page.trend_parts(reader, key, area, state))
    return [*values, *_parts_values(page.sewage_parts(reader, area, state))]


@callback(
    *_parts_outputs(page.COMPARE_IDS, title=True),
    Input(page.COMPARE_METRIC_INPUT, "value"),
    Input(page.COMPARE_STORE, "data"),
    Input(page.PERIOD_INPUT, "value"),
    Input(page.RANGE_INPUT, "value"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def update_comparison(metric, compare, preset, months, rendered):
    reader = current_reader()
    state = state_from_controls(
        view=None,
        preset=preset,
        months=months,
        metric=metric,
        compare=compare,
        lang=rendered["lang"],
    )
    return [
        page.comparison_title(reader, state.metric, state.lang),
        *_parts_values(page.comparison_parts(reader, rendered["area"], state)),
    ]


@callback(
    Output(page.COMPARE_STORE, "data"),
    Output(page.COMPARE_CHOSEN, "children"),
    Output(page.COMPARE_INPUT, "value"),
    Output(page.COMPARE_MESSAGE, "children"),
    Input(page.COMPARE_BUTTON, "n_clicks"),
    Input(page.COMPARE_INPUT, "n_submit"),
    Input({"type": page.COMPARE_REMOVE, "code": ALL}, "n_clicks"),
    State(page.COMPARE_INPUT, "value"),
    State(page.COMPARE_STORE, "data"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def edit_comparison(_added, _submitted, removed, typed, chosen, rendered):
    """Add the typed municipality to the comparison, or remove one whose button was pressed."""
    reader = current_reader()
    lang, chosen = rendered["lang"], list(chosen or [])
    trigger = ctx.triggered_id
    if isinstance(trigger, dict):
        if not any(removed):  # a remove button was (re)drawn, not pressed
            return no_update, no_update, no_update, no_update
        chosen = [c for c in chosen if c != trigger["code"]]
        return chosen, page.chosen_list(reader, chosen, lang), no_update, ""
    names = page.municipalities(reader)
    code = resolve_municipality(typed or "", names) if (typed or "").strip() else None
    if code is None:
        return no_update, no_update, no_update, t("corona.overview.unknown", lang, text=typed or "")
    if code == rendered["area"] or code in chosen:
        message = t("corona.overview.compare_present", lang, name=names[code])
        return no_update, no_update, "", message
    if len(chosen) >= MAX_COMPARE:
        return (
            no_update,
            no_update,
            no_update,
            t("corona.overview.compare_full", lang, count=MAX_COMPARE),
        )
    chosen.append(code)
    message = t("corona.overview.compare_added", lang, name=names[code])
    return chosen, page.chosen_list(reader, chosen, lang), "", message


@callback(
    Output(page.URL, "search"),
    Input(page.VIEW_INPUT, "value"),
    Input(page.PERIOD_INPUT, "value"),
    Input(page.RANGE_INPUT, "value"),
    Input(page.COMPARE_METRIC_INPUT, "value"),
    Input(page.COMPARE_STORE, "data"),
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
    Output(page.SEARCH_MESSAGE, "children"),
    Input(page.SEARCH_BUTTON, "n_clicks"),
    Input(page.SEARCH_INPUT, "n_submit"),
    State(page.SEARCH_INPUT, "value"),
    State(page.URL, "search"),
    State(page.PAGE_STORE, "data"),
    prevent_initial_call=True,
)
def open_municipality(_clicked, _submitted, typed, search, rendered):
    """Open the typed municipality's page with the same view (and language)."""
    reader = current_reader()
    code = (
        resolve_municipality(typed, page.municipalities(reader)) if (typed or "").strip() else None
    )
    if code is None:
        return no_update, t("corona.overview.unknown", rendered["lang"], text=typed or "")
    return href(page_path(code, reader.home)) + (search or ""), ""


for _ids in page.ALL_BLOCK_IDS:
    clientside_callback(
        TABLE_FROM_FIGURE,
        Output(_ids.table, "data-rows"),
        Input(_ids.graph, "figure"),
        State(_ids.table, "id"),
    )

# A removed municipality's button disappears with it; keep the keyboard focus in the form.
clientside_callback(
    """
    function(chosen, inputId) {
        if (document.activeElement === document.body) {
            const field = document.getElementById(inputId);
            if (field) { field.focus(); }
        }
        return window.dash_clientside.no_update;
    }
    """,
    Output(page.COMPARE_INPUT, "className"),
    Input(page.COMPARE_STORE, "data"),
    State(page.COMPARE_INPUT, "id"),
    prevent_initial_call=True,
)

# Radix' slider names its handles "Minimum" and "Maximum" and announces month numbers; give
# them the page's words and the month in words (aria-valuetext; the server's month names: the
# browser's Intl would load its locale data on the first screen). The handles appear once the
# slider's code has loaded, so try again for a moment if they are not there yet.
clientside_callback(
    """
    function(value, words) {
        const name = n => `${words.months[n % 12]} ${Math.floor(n / 12)}`;
        let tries = 0;
        const label = () => {
            const handles = document.querySelectorAll('#corona-range [role="slider"]');
            if (handles.length < 2) { if (tries++ < 50) { setTimeout(label, 100); } return; }
            handles.forEach((handle, i) => {
                handle.setAttribute('aria-label', i === 0 ? words.start : words.end);
                handle.setAttribute('aria-valuetext', name((value || [])[i]));
            });
        };
        label();
        return window.dash_clientside.no_update;
    }
    """,
    Output(page.RANGE_LABELS, "data"),
    Input(page.RANGE_INPUT, "value"),
    State(page.RANGE_LABELS, "data"),
)

# The language switch in the header links to the same view in the other language; this page
# changes the address without loading a page, so the link follows the address here.
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
