"""Small reusable pieces shared by pages and theme blocks."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from data.catalog import Indicator
from layouts.i18n import format_date, format_number, t


def _id_text(component_id: str | dict) -> str:
    """A string for `component_id`, also for a pattern-matching id ({"type", "block"})."""
    if isinstance(component_id, str):
        return component_id
    return "-".join(str(component_id[key]) for key in sorted(component_id))


def radio_group(
    legend: str,
    component_id: str | dict,
    options: list[dict],
    value,
    legend_class: str = "form-label fs-6 fw-semibold mb-1",
    class_name: str = "mb-2",
) -> html.Fieldset:
    """Native radio buttons in a fieldset whose legend names the group.

    The buttons share a `name`, so they form one group as the browser knows it: Tab stops
    once, the arrow keys choose. dbc builds input ids from the component id, which gives
    every pattern-matching id the same "[object Object]" ids; those get their own here.
    """
    name = _id_text(component_id)
    if not isinstance(component_id, str):
        options = [{**option, "input_id": f"{name}-{option['value']}"} for option in options]
    return html.Fieldset(
        [
            html.Legend(legend, className=legend_class),
            dbc.RadioItems(id=component_id, name=name, options=options, value=value, inline=True),
        ],
        className=class_name,
    )


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
