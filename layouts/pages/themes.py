"""Theme pages: one page per theme file at /thema/<id>, and an overview at /thema.

At start every valid theme gets its own entry in Dash's page registry; one path-template page
(`/thema/<theme_id>`) serves every theme, so a theme added or fixed later is served without a
restart. Each request reads the folder again when a file changed (layouts/themes/loader.py).
The navigation lists the valid themes from the loader (`nav_entries`), in their `order`.
"""

from __future__ import annotations

import logging
from functools import partial

import dash
from dash import html

from data.reader import Reader
from layouts.i18n import normalize_lang, t
from layouts.no_data import no_data_notice
from layouts.pages import ReaderSource, theme_files, with_reader
from layouts.themes.loader import PATH_PREFIX, current_themes, page_path
from layouts.themes.render import render_not_found, render_problems, render_theme, theme_list
from layouts.views.area_pages import area_in_query

log = logging.getLogger(__name__)
SITE = "MMmeter"


def layout(reader: Reader, theme_id: str | None = None, lang: str = "nl", **query) -> html.Div:
    lang = normalize_lang(lang)
    themes = current_themes(reader)
    file = themes.find(theme_id or "")
    if file is None:
        return render_not_found(theme_id or "", themes.valid, lang)
    if not file.ok or file.theme is None:
        return render_problems(file, lang)
    if reader.version is None:
        return html.Div([html.H1(file.theme.title.get(lang)), no_data_notice(reader, lang)])
    return render_theme(file.theme, reader, lang, area_in_query(query, reader.area_names()))


def overview(reader: Reader, lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    return html.Div(
        [
            html.H1(t("themes.title", lang)),
            html.P(t("themes.intro", lang), className="lead"),
            theme_list(current_themes(reader).valid, lang),
        ]
    )


def page_title(reader: Reader, theme_id: str | None = None) -> str:
    """The browser tab title of a theme page (in Dutch: Dash gives titles no language)."""
    try:
        file = current_themes(reader).find(theme_id or "")
    except Exception:  # a title must never break the page
        log.exception("no title for theme %s", theme_id)
        file = None
    if file is None or file.theme is None:
        return SITE
    return f"{file.theme.title.nl} | {SITE}"


def theme_exists(reader: Reader, theme_id: str) -> bool:
    """Whether /thema/<theme_id> is a theme (valid, or broken with its problems to show)."""
    return current_themes(reader).find(theme_id) is not None


def register(reader_of: ReaderSource) -> None:
    """Register the theme pages: one entry per valid theme of the site's folder at start, and
    the path template that serves themes added later."""
    for theme in current_themes(reader_of()).valid:
        dash.register_page(
            f"theme_{theme.id}",
            path=page_path(theme.id),
            layout=with_reader(
                partial(layout, theme_id=theme.id),
                reader_of,
                memo=f"theme.{theme.id}",
                memo_extra=theme_files,
            ),
            name=theme.title.nl,
            titles={"nl": theme.title.nl, "en": theme.title.en},
            title=with_reader(partial(page_title, theme_id=theme.id), reader_of),
            theme_id=theme.id,
            nav=False,  # the navigation takes themes from the loader (current, valid only)
            order=theme.order,
        )
    dash.register_page(
        "theme_page",
        path_template=f"{PATH_PREFIX}<theme_id>",
        layout=with_reader(layout, reader_of, memo="theme", memo_extra=theme_files),
        name="Thema",
        title=with_reader(page_title, reader_of),
        nav=False,
        exists=with_reader(theme_exists, reader_of),  # else the address is a 404 (app/errors.py)
    )
    dash.register_page(
        "themes_overview",
        path=PATH_PREFIX.rstrip("/"),
        layout=with_reader(overview, reader_of),
        name="Thema's",
        titles={"nl": "Thema's", "en": "Themes"},
        title=f"Thema's | {SITE}",
        nav=False,
    )
