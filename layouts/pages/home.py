"""Home page (/): the theme `start` (layouts/themes/start.yaml), which staff edit like any
other theme: the headline figures of the home municipality."""

from __future__ import annotations

import dash
from dash import html

from data.reader import Reader
from layouts.i18n import normalize_lang, t
from layouts.no_data import no_data_notice
from layouts.pages import ReaderSource, theme_files, with_reader
from layouts.themes.loader import current_themes
from layouts.themes.render import render_problems, render_theme
from layouts.views.area_pages import area_in_query

START_THEME = "start"


def layout(reader: Reader, lang: str = "nl", **query) -> html.Div:
    lang = normalize_lang(lang)
    if reader.version is None:
        return html.Div([html.H1(t("home.title", lang)), no_data_notice(reader, lang)])
    file = current_themes(reader).find(START_THEME)
    if file is None:
        return html.Div([html.H1(t("home.title", lang)), html.P(t("home.intro", lang))])
    if not file.ok or file.theme is None:
        return render_problems(file, lang)
    url_area = area_in_query(query, reader.area_names())
    return html.Div(render_theme(file.theme, reader, lang, url_area), id="home-page")


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "home",
        path="/",
        layout=with_reader(layout, reader_of, memo="home", memo_extra=theme_files),
        name="Home",
        titles={"nl": "Home", "en": "Home"},
        title="MMmeter",
        nav=True,
        order=0,
    )
