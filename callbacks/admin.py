"""Admin page callbacks: log in and out, and check and accept an uploaded staff dataset."""

from __future__ import annotations

import base64
import binascii
import logging
import time

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, html, no_update
from flask import session

from app.context import reader, runtime
from data import staff
from layouts.i18n import t
from layouts.pages import admin
from layouts.shell import lang_from_search

log = logging.getLogger(__name__)
FAILED_LOGIN_DELAY_S = 1.0


@callback(
    Output(admin.BODY_ID, "children", allow_duplicate=True),
    Input("admin-login", "n_clicks"),
    Input("admin-password", "n_submit"),
    State("admin-user", "value"),
    State("admin-password", "value"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def log_in(n_clicks, n_submit, user: str | None, password: str | None, search: str | None):
    lang = lang_from_search(search)
    settings = runtime().settings
    if admin.disabled_reason(settings, lang):
        return admin.body(settings, reader(), lang)
    if not admin.credentials_ok(settings, user, password):
        log.warning("failed admin login for user %r", user)
        time.sleep(FAILED_LOGIN_DELAY_S)
        return admin.login_form(lang, t("admin.login_failed", lang))
    session[admin.SESSION_KEY] = settings.admin_user
    return admin.body(settings, reader(), lang)


@callback(
    Output(admin.BODY_ID, "children", allow_duplicate=True),
    Input("admin-logout", "n_clicks"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def log_out(n_clicks, search: str | None):
    if not n_clicks:
        return no_update
    session.pop(admin.SESSION_KEY, None)
    return admin.body(runtime().settings, reader(), lang_from_search(search))


@callback(
    Output("admin-csv-name", "children"),
    Input("admin-csv", "filename"),
    prevent_initial_call=True,
)
def show_csv_name(filename: str | None):
    return filename or no_update


@callback(
    Output("admin-yaml-name", "children"),
    Input("admin-yaml", "filename"),
    prevent_initial_call=True,
)
def show_yaml_name(filename: str | None):
    return filename or no_update


# dcc.Upload puts a transparent file input over its button; it gets no name and would be a
# second, invisible tab stop. Name it by the visible label and leave the keyboard to the button
# (Enter or Space on it opens the file chooser). The upload appears after logging in, so look
# for the inputs for a moment.
clientside_callback(
    """
    function(body) {
        let tries = 0;
        const label = function() {
            let done = true;
            ['admin-csv', 'admin-yaml'].forEach(function(name) {
                const input = document.querySelector('#' + name + ' input[type=file]');
                if (!input) { done = false; return; }
                input.setAttribute('tabindex', '-1');
                input.setAttribute('aria-labelledby', name + '-label');
            });
            if (!done && ++tries < 50) { window.setTimeout(label, 100); }
        };
        label();
    }
    """,
    Input(admin.BODY_ID, "children"),
)


def _decode(contents: str | None) -> bytes | None:
    """The bytes of a dcc.Upload `contents` data URL (None when nothing was chosen)."""
    if not contents or "," not in contents:
        return None
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return None


def _problems(lang: str, problems: list[str]) -> dbc.Alert:
    return dbc.Alert(
        [
            html.P(t("admin.rejected", lang), className="fw-bold"),
            html.Ul(
                [html.Li(html.Code(p, className="text-reset")) for p in problems],
                id="admin-problems",
            ),
            html.P(t("admin.nothing_changed", lang), className="mb-0"),
        ],
        color="danger",
        id="admin-rejected",
    )


@callback(
    Output("admin-result", "children"),
    Input("admin-submit", "n_clicks"),
    State("admin-csv", "contents"),
    State("admin-csv", "filename"),
    State("admin-yaml", "contents"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def submit(n_clicks, csv_contents, csv_name, yaml_contents, search):
    lang = lang_from_search(search)
    rt = runtime()
    if admin.disabled_reason(rt.settings, lang) or not admin.logged_in(rt.settings):
        return dbc.Alert(t("admin.login_needed", lang), color="warning")
    csv_bytes, yaml_bytes = _decode(csv_contents), _decode(yaml_contents)
    if csv_bytes is None or yaml_bytes is None or not csv_name:
        return _problems(lang, [t("admin.both_files", lang)])
    data = reader()
    known = set(data.area_names()) if data.version else None
    try:
        dataset = staff.check_upload(
            csv_name, csv_bytes, yaml_bytes, catalog=data.catalog, known_areas=known
        )
    except staff.StaffProblems as exc:
        return _problems(lang, exc.problems)
    staff.write_pair_atomically(rt.settings.staff_data_dir, dataset.id, csv_bytes, yaml_bytes)
    staff.refresh_in_background(rt.settings, [dataset.id])
    indicators = ", ".join(dataset.meta.indicator_specs(dataset.id))
    return dbc.Alert(
        [
            html.P(
                t("admin.accepted", lang, dataset=dataset.id, rows=len(dataset.observations)),
                className="fw-bold",
            ),
            html.P(t("admin.accepted_use", lang, indicators=indicators), className="mb-0"),
        ],
        color="success",
        id="admin-accepted",
    )
