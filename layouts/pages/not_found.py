"""404 page."""

from __future__ import annotations

import dash
from dash import dcc, html

from layouts.i18n import normalize_lang, t
from layouts.views.urls import href


def layout(lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    return html.Div(
        [
            html.H1(t("errors.not_found.title", lang)),
            html.P(t("errors.not_found.body_generic", lang)),
            dcc.Link(t("errors.not_found.back_home", lang), href=href("/", lang=lang)),
        ]
    )


def register() -> None:
    dash.register_page("not_found_404", path="/404", layout=layout, name="404", title="MMmeter")
