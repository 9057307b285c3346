"""Admin page (/beheer): staff upload a dataset (CSV + YAML) after logging in.

Credentials come only from the environment: MMMETER_ADMIN_USER and MMMETER_ADMIN_PASSWORD_HASH
(a werkzeug password hash); MMMETER_SECRET_KEY signs the login cookie and MMMETER_STAFF_DATA_DIR
is where accepted files go. Without any of them the page says the admin is disabled: there is
no default password.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Protocol

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import session
from werkzeug.security import check_password_hash

from data import staff
from data.reader import Reader
from layouts.i18n import normalize_lang, t
from layouts.pages import ReaderSource, with_reader

PATH = "/beheer"
SESSION_KEY = "mmmeter_admin"
OIDC_SESSION_KEY = "mmmeter_staff_oidc"  # a staff member logged in through OIDC (app/oidc.py)
OIDC_LOGIN_PATH = "/beheer/oidc/login"
BODY_ID = "admin-body"
CSRF_ID = "admin-csrf"
JOB_ID = "admin-job"
JOB_POLL_ID = "admin-job-poll"
PROGRESS_ID = "admin-progress"


class Settings(Protocol):
    """The admin's settings (app/settings.py reads them from the environment)."""

    admin_user: str | None
    admin_password_hash: str | None
    secret_key: str | None
    staff_data_dir: Path | None


def disabled_reason(settings: Settings, lang: str) -> str | None:
    """Why the admin cannot be used with these settings (None: it can)."""
    missing = [
        name
        for name, value in (
            ("MMMETER_ADMIN_USER", settings.admin_user),
            ("MMMETER_ADMIN_PASSWORD_HASH", settings.admin_password_hash),
            ("MMMETER_SECRET_KEY", settings.secret_key),
            ("MMMETER_STAFF_DATA_DIR", settings.staff_data_dir),
        )
        if not value
    ]
    if oidc_enabled(settings):  # staff log in through the identity provider instead
        missing = [m for m in missing if not m.startswith("MMMETER_ADMIN_")]
    if missing:
        return t("admin.disabled", lang, settings=", ".join(missing))
    return None


def credentials_ok(settings: Settings, user: str | None, password: str | None) -> bool:
    """True when `user` and `password` match the configured user and password hash."""
    if not settings.admin_user or not settings.admin_password_hash or not user or not password:
        return False
    same_user = hmac.compare_digest(user.encode(), settings.admin_user.encode())
    try:
        same_password = check_password_hash(settings.admin_password_hash, password)
    except ValueError:  # a malformed hash in the environment
        return False
    return same_user and same_password


def oidc_enabled(settings: Settings) -> bool:
    """Whether staff may log in through the identity provider (app/oidc.py registers it)."""
    return bool(
        settings.secret_key
        and getattr(settings, "oidc_issuer", None)
        and getattr(settings, "oidc_client_id", None)
        and getattr(settings, "oidc_client_secret", None)
    )


def logged_in(settings: Settings) -> bool:
    """Logged in as the admin user, or as staff through the identity provider (OIDC)."""
    user = session.get(SESSION_KEY)
    if user and user == settings.admin_user:
        return True
    return oidc_enabled(settings) and bool(session.get(OIDC_SESSION_KEY))


def staff_name() -> str:
    return str(session.get(SESSION_KEY) or session.get(OIDC_SESSION_KEY) or "")


def oidc_login_link(settings: Settings, lang: str) -> html.P | None:
    """The link to log in with the municipality's account, when OIDC is configured."""
    from layouts.views.urls import href

    if not oidc_enabled(settings):
        return None
    return html.P(
        html.A(t("admin.oidc_login", lang), href=href(OIDC_LOGIN_PATH), id="admin-oidc-login"),
        className="mt-3",
    )


def login_form(lang: str, message: str | None = None) -> html.Div:
    return html.Div(
        [
            html.H2(t("admin.login_title", lang), className="h4"),
            dbc.Alert(message, color="danger", id="admin-login-error") if message else None,
            html.Div(
                [
                    html.Label(t("admin.user", lang), htmlFor="admin-user", className="form-label"),
                    dcc.Input(
                        id="admin-user",
                        type="text",
                        autoComplete="username",
                        className="form-control",
                        debounce=False,
                    ),
                ],
                className="mb-3",
                style={"maxWidth": "24rem"},
            ),
            html.Div(
                [
                    html.Label(
                        t("admin.password", lang), htmlFor="admin-password", className="form-label"
                    ),
                    dcc.Input(
                        id="admin-password",
                        type="password",
                        autoComplete="current-password",
                        className="form-control",
                        n_submit=0,
                    ),
                ],
                className="mb-3",
                style={"maxWidth": "24rem"},
            ),
            html.Button(
                t("admin.login", lang), id="admin-login", type="button", className="btn btn-primary"
            ),
        ],
        id="admin-login-form",
    )


def _upload(upload_id: str, label: str, accept: str, lang: str) -> html.Div:
    return html.Div(
        [
            html.P(label, id=f"{upload_id}-label", className="form-label fw-semibold mb-1"),
            dcc.Upload(
                html.Button(
                    t("admin.choose_file", lang),
                    type="button",
                    className="btn btn-outline-primary",
                    **{"aria-describedby": f"{upload_id}-label {upload_id}-name"},
                ),
                id=upload_id,
                accept=accept,
                max_size=staff.MAX_CSV_BYTES,
                multiple=False,
            ),
            html.P(
                t("admin.no_file", lang),
                id=f"{upload_id}-name",
                className="small text-muted mt-1 mb-0",
                **{"aria-live": "polite"},
            ),
        ],
        className="mb-3",
    )


def staff_table(settings: Settings, reader: Reader, lang: str) -> html.Div:
    """The datasets in the staff folder with the result of their last refresh."""
    status = reader.store.status().get("datasets", {})
    rows = []
    for entry in staff.folder_entries(settings.staff_data_dir):
        state = status.get(entry.id, {})
        rows.append(
            html.Tr(
                [
                    html.Th(entry.id, scope="row"),
                    html.Td(state.get("last_success") or "–"),
                    html.Td(state.get("last_failure_reason") or "–"),
                ]
            )
        )
    if not rows:
        return html.P(t("admin.no_datasets", lang), id="admin-datasets")
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("admin.dataset", lang), scope="col"),
                html.Th(t("status.last_success", lang), scope="col"),
                html.Th(t("status.reason", lang), scope="col"),
            ]
        )
    )
    return html.Div(
        html.Table(
            [html.Caption(t("admin.datasets", lang)), head, html.Tbody(rows)],
            className="table table-sm mb-0",
        ),
        className="mm-table-scroll",
        tabIndex="0",
        role="region",
        id="admin-datasets",
        **{"aria-label": t("admin.datasets", lang)},
    )


def upload_form(settings: Settings, reader: Reader, lang: str) -> html.Div:
    return html.Div(
        [
            html.P(
                [
                    t("admin.logged_in", lang, user=staff_name()),
                    " ",
                    html.Button(
                        t("admin.logout", lang),
                        id="admin-logout",
                        type="button",
                        className="btn btn-link p-0 align-baseline",
                    ),
                ]
            ),
            html.H2(t("admin.upload_title", lang), className="h4"),
            html.P(t("admin.upload_intro", lang)),
            _upload("admin-csv", t("admin.csv_label", lang), ".csv,text/csv", lang),
            _upload("admin-yaml", t("admin.yaml_label", lang), ".yaml,.yml", lang),
            html.Button(
                t("admin.submit", lang),
                id="admin-submit",
                type="button",
                className="btn btn-primary",
            ),
            dcc.Loading(html.Div(id="admin-result", className="mt-3"), type="default"),
            dcc.Store(id=JOB_ID),
            dcc.Interval(id=JOB_POLL_ID, interval=1000, disabled=True),
            html.Div(id=PROGRESS_ID, role="status", className="mt-2"),
            html.H2(t("admin.datasets", lang), className="h4 mt-4"),
            staff_table(settings, reader, lang),
        ],
        id="admin-upload-form",
    )


def body(settings: Settings, reader: Reader, lang: str, message: str | None = None) -> html.Div:
    reason = disabled_reason(settings, lang)
    if reason:
        return dbc.Alert(reason, color="info", id="admin-disabled")
    if logged_in(settings):
        return upload_form(settings, reader, lang)
    return html.Div([login_form(lang, message), oidc_login_link(settings, lang)])


def job_progress(record: dict | None, lang: str) -> tuple[dbc.Alert, bool]:
    """What the writer did with an upload's refresh request, and whether it is finished."""
    from data import writequeue

    if record is None:
        return dbc.Alert(t("admin.job_unknown", lang), color="secondary"), True
    state = record.get("state")
    if state == writequeue.DONE:
        text = t("admin.job_done", lang, version=record.get("version") or "–")
        return dbc.Alert(text, color="success", id="admin-job-done"), True
    if state == writequeue.FAILED:
        text = t("admin.job_failed", lang, reason=record.get("reason") or "–")
        return dbc.Alert(text, color="danger", id="admin-job-failed"), True
    if state == writequeue.RUNNING:
        step = (record.get("messages") or ["…"])[-1]
        return dbc.Alert(t("admin.job_running", lang, step=step), color="info"), False
    return dbc.Alert(t("admin.job_queued", lang), color="info"), False


def layout(
    reader: Reader, lang: str = "nl", *, settings_of: Callable[[], Settings], **_query
) -> html.Div:
    from flask_wtf.csrf import generate_csrf

    lang = normalize_lang(lang)
    settings = settings_of()
    enabled = disabled_reason(settings, lang) is None
    return html.Div(
        [
            html.H1(t("admin.title", lang)),
            html.P(t("admin.intro", lang)),
            # the token admin actions send back (Flask-WTF: signed, bound to the session)
            dcc.Store(id=CSRF_ID, data=generate_csrf() if enabled else None),
            html.Div(body(settings, reader, lang), id=BODY_ID),
        ]
    )


def register(reader_of: ReaderSource, settings_of: Callable[[], Settings]) -> None:
    dash.register_page(
        "admin",
        path=PATH,
        layout=with_reader(partial(layout, settings_of=settings_of), reader_of),
        name="Beheer",
        titles={"nl": "Beheer", "en": "Admin"},
        title="Beheer | MMmeter",
        nav=False,
    )
