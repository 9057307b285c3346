"""Small reusable pieces shared by pages and theme blocks."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from data.catalog import Indicator
from layouts.i18n import format_date, format_number, t


def archived_badge(indicator: Indicator, lang: str) -> html.Span | None:
    if indicator.archived_since is None:
        return None
    return html.Span(
        t("common.archived", lang, date=format_date(indicator.archived_since, lang)),
        className="mm-archived",
    )


def value_text(value: float | None, indicator: Indicator, lang: str) -> str:
    return format_number(value, lang, decimals=indicator.decimals)


def tile(indicator: Indicator, latest, lang: str, tile_id: str | None = None) -> dbc.Card:
    """A headline figure: title, latest value with unit, its date, archived label."""
    heading = html.H3(indicator.title.get(lang), className="h6 mb-1")
    if latest is None:
        body = [heading, html.P(t("common.no_data", lang), className="mb-0")]
    else:
        period, value = latest
        body = [
            heading,
            html.P(
                [
                    html.Span(value_text(value, indicator, lang), className="mm-value"),
                    " ",
                    html.Span(indicator.unit.get(lang), className="text-muted"),
                ],
                className="mb-1",
            ),
            html.P(
                t("common.date_of_data", lang, date=format_date(period, lang)),
                className="mb-1 small",
            ),
        ]
    badge = archived_badge(indicator, lang)
    if badge is not None:
        body.append(badge)
    return dbc.Card(
        dbc.CardBody(body), className="mm-tile h-100", id=tile_id or f"tile-{indicator.id}"
    )
