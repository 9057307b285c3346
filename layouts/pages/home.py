"""Home page: Emmen's headline figures from the store."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from data.reader import Reader
from layouts.components import tile
from layouts.i18n import normalize_lang, t
from layouts.pages import ReaderSource, with_reader

HEADLINES = (
    "covid_cases_7d",
    "covid_hospital_admissions_7d",
    "covid_deaths_7d",
    "sewage_rna_per_100k",
    "vaccination_completed_18plus",
    "population",
)


def layout(reader: Reader, lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    catalog = reader.catalog
    if reader.version is None:
        return html.Div(
            [html.H1(t("home.title", lang)), dbc.Alert(t("home.no_data_yet", lang), color="info")]
        )
    tiles = [
        dbc.Col(
            tile(catalog.indicator(i), lang, latest=reader.latest(i, reader.home)),
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
            html.H2(t("home.headlines", lang, area=reader.home_name), className="h4 mt-4"),
            dbc.Row(tiles, id="home-tiles"),
        ]
    )


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "home",
        path="/",
        layout=with_reader(layout, reader_of),
        name="Home",
        titles={"nl": "Home", "en": "Home"},
        title="MMmeter",
        nav=True,
        order=0,
    )
