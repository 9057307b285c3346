"""Admin page callbacks: log in and out, and check and accept an uploaded staff dataset."""

from __future__ import annotations

import base64
import binascii
import logging

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, html, no_update
from flask import session

from app.context import reader, runtime
from app.security import client_address, csrf_ok, login_limiter
from data import staff, writequeue
from layouts.i18n import t
from layouts.pages import admin
from layouts.shell import lang_from_search

log = logging.getLogger(__name__)


@callback(
    Output(admin.BODY_ID, "children", allow_duplicate=True),
    Input("admin-login", "n_clicks"),
    Input("admin-password", "n_submit"),
    State("admin-user", "value"),
    State("admin-password", "value"),
    State(admin.CSRF_ID, "data"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def log_in(n_clicks, n_submit, user, password, token, search: str | None):
    """Check the password, unless the account or the address failed too often (no waiting:
    a refused login costs the worker nothing)."""
    lang = lang_from_search(search)
    settings = runtime().settings
    if admin.disabled_reason(settings, lang):
        return admin.body(settings, reader(), lang)
    if not csrf_ok(token):
        return admin.login_form(lang, t("admin.csrf_failed", lang))
    limiter, address, account = login_limiter(settings), client_address(), str(user or "")
    if limiter.locked(account, address):
        log.warning("admin login refused (too many failures) for %r from %s", account, address)
        return admin.login_form(lang, t("admin.locked", lang))
    if not admin.credentials_ok(settings, user, password):
        log.warning("failed admin login for %r from %s", account, address)
        limiter.failed(account, address)
        return admin.login_form(lang, t("admin.login_failed", lang))
    limiter.succeeded(account, address)
    session[admin.SESSION_KEY] = settings.admin_user
    return admin.body(settings, reader(), lang)


@callback(
    Output(admin.BODY_ID, "children", allow_duplicate=True),
    Input("admin-logout", "n_clicks"),
    State(admin.CSRF_ID, "data"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def log_out(n_clicks, token, search: str | None):
    lang = lang_from_search(search)
    if not n_clicks or admin.disabled_reason(runtime().settings, lang) or not csrf_ok(token):
        return no_update
    session.pop(admin.SESSION_KEY, None)
    session.pop(admin.OIDC_SESSION_KEY, None)
    return admin.body(runtime().settings, reader(), lang)


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
    Output(admin.JOB_ID, "data"),
    Output(admin.JOB_POLL_ID, "disabled"),
    Input("admin-submit", "n_clicks"),
    State("admin-csv", "contents"),
    State("admin-csv", "filename"),
    State("admin-yaml", "contents"),
    State(admin.CSRF_ID, "data"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def submit(n_clicks, csv_contents, csv_name, yaml_contents, token, search):
    """Check the upload, put it in the staff folder and ask the store's writer to refresh it
    (a web worker never writes the store); the progress shows below."""
    lang = lang_from_search(search)
    rt = runtime()
    if admin.disabled_reason(rt.settings, lang) or not admin.logged_in(rt.settings):
        return dbc.Alert(t("admin.login_needed", lang), color="warning"), no_update, True
    if not csrf_ok(token):
        return dbc.Alert(t("admin.csrf_failed", lang), color="warning"), no_update, True
    csv_bytes, yaml_bytes = _decode(csv_contents), _decode(yaml_contents)
    if csv_bytes is None or yaml_bytes is None or not isinstance(csv_name, str):
        return _problems(lang, [t("admin.both_files", lang)]), no_update, True
    data = reader()
    known = set(data.area_names()) if data.version else None
    try:
        dataset = staff.check_upload(
            csv_name, csv_bytes, yaml_bytes, catalog=data.catalog, known_areas=known
        )
    except staff.StaffProblems as exc:
        return _problems(lang, exc.problems), no_update, True
    staff.write_pair_atomically(rt.settings.staff_data_dir, dataset.id, csv_bytes, yaml_bytes)
    files = {f"{dataset.id}.csv": csv_bytes, f"{dataset.id}.yaml": yaml_bytes}  # for the clock
    job = writequeue.enqueue(rt.store, [dataset.id], by=admin.staff_name(), files=files)
    indicators = ", ".join(dataset.meta.indicator_specs(dataset.id))
    accepted = dbc.Alert(
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
    return accepted, job, False


@callback(
    Output(admin.PROGRESS_ID, "children"),
    Output(admin.JOB_POLL_ID, "disabled", allow_duplicate=True),
    Input(admin.JOB_POLL_ID, "n_intervals"),
    State(admin.JOB_ID, "data"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def show_progress(n_intervals, job, search):
    lang = lang_from_search(search)
    rt = runtime()
    if admin.disabled_reason(rt.settings, lang) or not admin.logged_in(rt.settings):
        return no_update, True
    alert, finished = admin.job_progress(writequeue.read(rt.store, job), lang)
    return alert, finished
