"""Home page: Emmen's headline figures from the store."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from app.context import runtime
from data import queries
from layouts.components import tile
from layouts.i18n import normalize_lang, t
from layouts.no_data import no_data_notice

HOME_AREA = "GM0114"
HEADLINES = (
    "covid_cases_7d",
    "covid_hospital_admissions_7d",
    "covid_deaths_7d",
    "sewage_rna_per_100k",
    "vaccination_completed_18plus",
    "population",
)


def layout(lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    catalog = runtime().catalog
    if queries.version() is None:
        return html.Div([html.H1(t("home.title", lang)), no_data_notice(lang)])
    tiles = [
        dbc.Col(
            tile(catalog.indicator(i), queries.latest(i, HOME_AREA), lang),
            xs=12,
            sm=6,
            lg=4,
            className="mb-3",
        )
        for i in HEADLINES
        if i in catalog.indicators
    ]
    return html.Div(
        [
            html.H1(t("home.title", lang)),
            html.P(t("home.intro", lang), className="lead"),
            html.H2(t("home.headlines", lang, area="Emmen"), className="h4 mt-4"),
            dbc.Row(tiles, id="home-tiles"),
        ]
    )


def register() -> None:
    dash.register_page(
        "home",
        path="/",
        layout=layout,
        name="Home",
        titles={"nl": "Home", "en": "Home"},
        title="MMmeter",
        nav=True,
        order=0,
    )
