"""Dated permalinks in the page shell: the "permalink" button, the link it makes, and on a pinned
page the "Stand per 1 december 2026" label with a notice when newer figures exist.

Addresses: `/v/<version>/<path>?<state>` under Dash's requests prefix (app/permalinks.py serves
them). The pure helpers here split and build them; callbacks/permalinks.py fills the parts.
"""

from __future__ import annotations

import re

from dash import dcc, html

from data.reader import Reader
from data.store import version_time
from layouts.i18n import format_date, t

PREFIX = "/v/"
MAX_STATE = 2048  # longest query string a permalink keeps
_PINNED_PATH = re.compile(r"/v/([^/]{1,64})(/.*)?", re.DOTALL)

BUTTON_ID = "permalink-button"
PANEL_ID = "permalink-panel"
OUTPUT_ID = "permalink-output"
COPY_ID = "permalink-copy"
STATUS_ID = "permalink-status"
COPIED_ID = "permalink-copied"
NOTICE_ID = "pin-notice"
VERSION_ID = "shown-version"


def split_pinned(path: str | None) -> tuple[str | None, str]:
    """('20261201T194613248575Z', '/corona/GM0114') for '/v/20261201T194613248575Z/corona/
    GM0114'; (None, path) for an address that names no version."""
    match = _PINNED_PATH.fullmatch(path or "")
    if not match:
        return None, path or "/"
    return match.group(1), match.group(2) or "/"


def strip_pinned(path: str | None, base: str = "/") -> str:
    """A browser pathname without its `/v/<version>` (right after Dash's requests prefix)."""
    path = path or "/"
    base = base.rstrip("/")
    if base and path != base and not path.startswith(base + "/"):
        return path
    version, inner = split_pinned(path[len(base) :])
    return base + inner if version is not None else path


def permalink_path(version: str, pathname: str | None, search: str | None, base: str = "/") -> str:
    """The address that pins the view `pathname` + `search` (as the browser has them) to
    `version`; a pin already in the pathname is replaced."""
    base = base.rstrip("/")
    inner = strip_pinned(pathname, base)[len(base) :] or "/"
    query = (search or "").lstrip("?")[:MAX_STATE]
    return f"{base}{PREFIX}{version}{inner}" + (f"?{query}" if query else "")


def pinned_href(version: str, path: str = "/", query=None, lang: str = "nl") -> str:
    """A link to the app path `path` pinned to `version` (the URL builder, under any pin)."""
    from layouts.views.urls import href, pinned_version, use_pinned_version

    before = pinned_version()
    use_pinned_version(version)
    try:
        return href(path, query, lang)
    finally:
        use_pinned_version(before)


def stand_label(version: str, lang: str) -> str:
    """'Stand per 1 december 2026' for the version made then."""
    return t("releases.stand", lang, date=format_date(version_time(version), lang))


def bar(reader: Reader, lang: str = "nl") -> html.Div:
    """The shell's permalink bar: notice slot, button and (once clicked) the link to copy."""
    return (
        html.Div(
            [
                dcc.Store(id=VERSION_ID, data=reader.version),
                html.Div(id=NOTICE_ID),
                html.Div(
                    [
                        html.Button(
                            t("releases.permalink.button", lang),
                            id=BUTTON_ID,
                            type="button",
                            className="btn btn-outline-primary btn-sm",
                            **{"aria-controls": PANEL_ID, "aria-expanded": "false"},
                        ),
                        html.Div(id=PANEL_ID, hidden=True, className="mt-2"),
                        html.P(
                            id=STATUS_ID, className="visually-hidden", **{"aria-live": "polite"}
                        ),
                    ],
                    className="mm-permalink",
                ),
            ],
            className="mm-permalink-bar mb-2",
        )
        if reader.has_data
        else html.Div()
    )


def panel(url: str, version: str, lang: str) -> list:
    """The link made, in a field to select and a button to copy it."""
    return [
        html.Label(stand_label(version, lang), htmlFor=OUTPUT_ID, className="form-label small"),
        html.Div(
            [
                dcc.Input(
                    id=OUTPUT_ID, value=url, readOnly=True, type="url", className="form-control"
                ),
                html.Button(
                    t("releases.permalink.copy", lang),
                    id=COPY_ID,
                    type="button",
                    className="btn btn-primary",
                    **{"data-copied": t("releases.permalink.copied", lang)},
                ),
            ],
            className="input-group",
        ),
        html.P(id=COPIED_ID, className="small mb-0", **{"aria-live": "polite"}),
    ]


def notice(version: str, current: str | None, current_href: str, lang: str) -> list:
    """On a pinned page: its date, and a link to the current figures when there are newer."""
    parts = [html.Strong(stand_label(version, lang))]
    if current and current != version:
        parts += [
            " ",
            t("releases.newer", lang),
            " ",
            html.A(t("releases.to_current", lang), href=current_href),
        ]
    return [html.P(parts, className="alert alert-info mb-2", role="status")]
