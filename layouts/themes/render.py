"""A theme as a page: its title, lead and blocks; or, for a broken file, the problems for staff."""

from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.reader import Reader
from layouts.blocks.common import BlockContext
from layouts.i18n import t
from layouts.shell import with_lang
from layouts.themes.loader import ThemeFile, page_path
from layouts.themes.models import Theme

log = logging.getLogger(__name__)


def render_block(block, context: BlockContext):
    """The block's components; a block that fails says so and leaves the others standing."""
    try:
        return block.build(context)
    except Exception:
        log.exception("theme %s: block %s could not be built", context.theme_id, context.number)
        return dbc.Alert(
            t("themes.block_failed", context.lang),
            color="warning",
            className="mm-block mb-4",
            id=context.element_id("failed"),
        )


def render_theme(theme: Theme, reader: Reader, lang: str, url_area: str | None = None) -> html.Div:
    """`url_area`: the area the page address names (?gebied=), for blocks that follow it."""
    blocks = [
        render_block(block, BlockContext(theme.id, str(i), lang, reader, url_area))
        for i, block in enumerate(theme.blocks)
    ]
    lead = html.P(theme.lead.get(lang), className="lead") if theme.lead else None
    return html.Div(
        [html.H1(theme.title.get(lang)), lead, *blocks],
        className="mm-theme",
        id=f"theme-{theme.id}",
    )


def render_problems(file: ThemeFile, lang: str) -> html.Div:
    """The page of a broken theme file: what is wrong, where, and how to check it."""
    return html.Div(
        [
            html.H1(t("themes.broken_title", lang)),
            dbc.Alert(
                [
                    html.P(t("themes.broken_intro", lang, file=file.path.name)),
                    html.Ul(
                        [
                            html.Li(html.Code(str(problem), className="text-reset"))
                            for problem in file.errors
                        ],
                        id="theme-problems",
                    ),
                    html.P(
                        [
                            t("themes.broken_check", lang),
                            " ",
                            html.Code(
                                f"python -m app themes check {file.path.name}",
                                className="text-reset",
                            ),
                        ],
                        className="mb-0",
                    ),
                ],
                color="danger",
            ),
        ],
        className="mm-theme-broken",
    )


def render_not_found(theme_id: str, themes: list[Theme], lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("errors.not_found.title", lang)),
            html.P(t("themes.not_found", lang, theme=theme_id)),
            theme_list(themes, lang),
        ]
    )


def theme_list(themes: list[Theme], lang: str) -> html.Ul:
    """The themes of the menu (not `start`, which is the home page), as links with their lead."""
    return html.Ul(
        [
            html.Li(
                [
                    dcc.Link(
                        theme.title.get(lang), href=with_lang(page_path(theme.id), None, lang)
                    ),
                    html.Span(f": {theme.lead.get(lang)}") if theme.lead else None,
                ]
            )
            for theme in themes
            if theme.nav
        ],
        id="theme-list",
    )
