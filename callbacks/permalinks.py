"""The shell's permalink button and the pinned page's notice (layouts/permalink.py)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, clientside_callback, no_update
from flask import request

from app.context import runtime
from layouts import permalink
from layouts.i18n import t
from layouts.shell import lang_from_search
from layouts.views.urls import pinned_version


def _base() -> str:
    return dash.get_app().config.requests_pathname_prefix


@callback(
    Output(permalink.NOTICE_ID, "children"),
    Input("_pages_location", "pathname"),
    Input("_pages_location", "search"),
)
def show_pin_notice(pathname: str | None, search: str | None):
    version = pinned_version()
    if version is None:
        return []
    lang = lang_from_search(search)
    current = runtime().store.current_version()
    current_href = permalink.strip_pinned(pathname, _base()) + (search or "")
    return permalink.notice(version, current, current_href, lang)


@callback(
    Output(permalink.PANEL_ID, "children"),
    Output(permalink.PANEL_ID, "hidden"),
    Output(permalink.BUTTON_ID, "aria-expanded"),
    Output(permalink.STATUS_ID, "children"),
    Input(permalink.BUTTON_ID, "n_clicks"),
    State("_pages_location", "pathname"),
    State("_pages_location", "search"),
    State(permalink.VERSION_ID, "data"),
    prevent_initial_call=True,
)
def make_permalink(n_clicks, pathname: str | None, search: str | None, shown: str | None):
    """Pin the version this page shows and give the link to this view (page and its state)."""
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    lang = lang_from_search(search)
    version = pinned_version() or shown
    if not isinstance(version, str) or not runtime().store.pin(version):
        return [], True, "false", t("releases.permalink.gone", lang)
    path = permalink.permalink_path(version, pathname, search, _base())
    url = request.host_url.rstrip("/") + path
    done = t("releases.permalink.made", lang)
    return permalink.panel(url, version, lang), False, "true", done


clientside_callback(
    """function(n) {
        const field = document.getElementById('permalink-output');
        const button = document.getElementById('permalink-copy');
        if (!n || !field) { return window.dash_clientside.no_update; }
        field.select();
        if (navigator.clipboard) { navigator.clipboard.writeText(field.value).catch(() => {}); }
        return button ? button.dataset.copied : '';
    }""",
    Output(permalink.COPIED_ID, "children"),
    Input(permalink.COPY_ID, "n_clicks"),
    prevent_initial_call=True,
)
