"""The page shell: skip link, header with navigation, main landmark, footer."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.reader import Reader
from layouts import permalink
from layouts.i18n import normalize_lang, t
from layouts.views.urls import api_href, href, parse_search, same_view

MAIN_ID = "main-content"


def layout(reader: Reader) -> html.Div:
    return html.Div(
        [
            dcc.Store(id="lang-store", data="nl"),
            html.A(
                t("a11y.skip_link", "nl"), href=f"#{MAIN_ID}", className="skip-link", id="skip-link"
            ),
            html.Header(
                id="site-header", className="mm-header", children=header(reader, "/", "nl")
            ),
            html.Main(
                dbc.Container(
                    [permalink.bar(reader), dash.page_container], className="py-3", fluid="lg"
                ),
                id=MAIN_ID,
                tabIndex="-1",
            ),
            html.Footer(id="site-footer", className="mm-footer mt-4", children=footer("nl")),
        ]
    )


def lang_from_search(search: str | None) -> str:
    values = parse_qs((search or "").lstrip("?")).get("lang", ["nl"])
    return normalize_lang(values[0])


def with_lang(path: str, search: str | None, lang: str) -> str:
    """A link to the app path `path` with the query `search`, in `lang` (layouts.views.urls)."""
    return href(path, parse_search(search), lang)


def nav_pages(reader: Reader) -> list[dict]:
    from layouts.themes.loader import nav_entries

    pages = [p for p in dash.page_registry.values() if p.get("nav")] + nav_entries(reader)
    return sorted(pages, key=lambda p: (p.get("order") or 0, p["path"]))


def page_title(page: dict, lang: str) -> str:
    titles = page.get("titles") or {}
    return titles.get(lang) or titles.get("nl") or page["name"]


def active_path(pathname: str | None, paths: list[str]) -> str | None:
    """The navigation entry the page belongs to: the longest path that is the page's path or
    a folder above it (/corona/kaart is Coronakaart, not Corona; /corona/GM0114 is Corona)."""
    pathname = pathname or "/"
    matches = [
        path
        for path in paths
        if pathname == path or (path != "/" and pathname.startswith(path.rstrip("/") + "/"))
    ]
    return max(matches, key=len, default=None)


def header(reader: Reader, pathname: str, lang: str, search: str | None = None) -> dbc.Navbar:
    links = []
    pages = nav_pages(reader)
    current = active_path(permalink.strip_pinned(pathname), [page["path"] for page in pages])
    for page in pages:
        path = page["path"]
        active = path == current
        links.append(
            html.Li(
                html.A(
                    page_title(page, lang),
                    href=with_lang(path, None, lang),
                    className="nav-link active" if active else "nav-link",
                    **({"aria-current": "page"} if active else {}),
                ),
                className="nav-item",
            )
        )
    other = "en" if lang == "nl" else "nl"
    switch = html.A(
        t("lang.switch.label", lang),
        href=same_view(pathname, search, other),
        lang=other,
        hrefLang=other,
        className="nav-link",
        id="lang-switch",
        **{"aria-label": t("lang.switch.aria_label", lang)},
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [
                        html.Span("MMmeter", className="fw-bold"),
                        html.Span(f" · {t('site.tagline', lang)}", className="d-none d-md-inline"),
                    ],
                    href=with_lang("/", None, lang),
                ),
                html.Button(
                    html.Span(className="navbar-toggler-icon"),
                    id="nav-toggler",
                    className="navbar-toggler",
                    type="button",
                    **{
                        "aria-label": t("nav.toggle", lang),
                        "aria-controls": "nav-collapse",
                        "aria-expanded": "false",
                    },
                ),
                dbc.Collapse(
                    html.Nav(
                        html.Ul(
                            [*links, html.Li(switch, className="nav-item")],
                            className="navbar-nav ms-auto",
                        ),
                        **{"aria-label": t("nav.label", lang)},
                    ),
                    id="nav-collapse",
                    navbar=True,
                ),
            ],
            fluid="lg",
        ),
        dark=True,
        expand="lg",
        className="mm-header",
        # A <div>, not dbc's default <nav>: the menu inside is the one, labelled, navigation
        # landmark; an outer unlabelled <nav> around brand and button would be a second one.
        tag="div",
    )


def footer(lang: str) -> dbc.Container:
    return dbc.Container(
        [
            html.H2(t("footer.sources", lang), className="h6 mt-3"),
            html.Ul(
                [
                    html.Li(t("footer.source_rivm", lang)),
                    html.Li(t("footer.source_cbs", lang)),
                    html.Li(t("footer.source_geometry", lang)),
                ],
                className="mb-2",
            ),
            html.P(
                [
                    dcc.Link(
                        t("nav.accessibility", lang),
                        href=with_lang("/toegankelijkheid", None, lang),
                    ),
                    " · ",
                    dcc.Link(t("nav.help", lang), href=with_lang("/help", None, lang)),
                    " · ",
                    dcc.Link(t("nav.status", lang), href=with_lang("/status", None, lang)),
                    " · ",
                    dcc.Link(
                        t("releases.page.list_title", lang), href=with_lang("/versies", None, lang)
                    ),
                    " · ",
                    html.A(t("footer.api", lang), href=api_href("/api/v1/indicators")),
                ],
                className="mb-0 pb-3",
            ),
        ],
        fluid="lg",
    )
