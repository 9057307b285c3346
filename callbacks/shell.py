"""Header, footer and the document language follow the URL's `lang`."""

from __future__ import annotations

from dash import Input, Output, State, callback, clientside_callback

from app.context import reader as current_reader
from layouts import shell
from layouts.i18n import t
from layouts.islands import static_page


@callback(
    Output("site-header", "children"),
    Output("site-footer", "children"),
    Output("skip-link", "children"),
    Output("lang-store", "data"),
    Input("_pages_location", "pathname"),
    Input("_pages_location", "search"),
)
def update_shell(pathname: str | None, search: str | None):
    lang = shell.lang_from_search(search)
    return (
        static_page(shell.header(current_reader(), pathname or "/", lang, search)),
        static_page(shell.footer(lang)),
        t("a11y.skip_link", lang),
        lang,
    )


clientside_callback(
    "function(lang) { document.documentElement.lang = lang || 'nl'; }",
    Input("lang-store", "data"),
)

# After a page change, app/assets/2-site/mmmeter.js moves focus to the new page's heading.
clientside_callback(
    "function(children) { if (window.mmmeter) { window.mmmeter.pageChanged(); } }",
    Input("_pages_content", "children"),
)


@callback(
    Output("nav-collapse", "is_open"),
    Output("nav-toggler", "aria-expanded"),
    Input("nav-toggler", "n_clicks"),
    State("nav-collapse", "is_open"),
    prevent_initial_call=True,
)
def toggle_navigation(n_clicks: int | None, is_open: bool | None) -> tuple[bool, str]:
    return (not is_open, "false" if is_open else "true")
