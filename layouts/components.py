"""Small reusable pieces shared by pages and theme blocks."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from data.catalog import Indicator
from layouts.figures.summary import WeekChange
from layouts.i18n import format_date, t
from layouts.views.tiles import DATE_KEY, Tile, latest_tile, week_tile


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


def tile_card(view: Tile, lang: str, tile_id: str | None = None) -> dbc.Card:
    """The one tile of every page and theme, drawn from its view model (layouts/views/tiles.py):
    title, value with unit, its date, the change against the week before, the archived label."""
    heading = html.H3(view.title, className="h6 mb-1")
    if view.value is None:
        body = [heading, html.P(t("common.no_data", lang), className="mb-0")]
    else:
        body = [
            heading,
            html.P(
                [
                    html.Span(view.value_text, className="mm-value"),
                    " ",
                    html.Span(view.unit, className="text-muted"),
                ],
                className="mb-1",
            ),
            html.P(view.date_line, className="mb-1 small"),
        ]
        if view.change_line is not None:
            arrow, words = view.change_line
            body.append(
                html.P(
                    [html.Span(arrow, className="me-1", **{"aria-hidden": "true"}), words]
                    if arrow
                    else words,
                    className="mb-1 small",
                )
            )
    if view.archived is not None:
        body.append(html.Span(view.archived, className="mm-archived"))
    return dbc.Card(
        dbc.CardBody(body), className="mm-tile h-100", id=tile_id or f"tile-{view.indicator}"
    )


def tile(
    indicator: Indicator,
    lang: str,
    *,
    latest: tuple | None = None,
    change: WeekChange | None = None,
    title: str | None = None,
    date_key: str = DATE_KEY,
    tile_id: str | None = None,
) -> dbc.Card:
    """A tile of the latest value (`latest` = (date, value)) or, when `change` is given, of the
    latest week against the week before, at the indicator's display scale."""
    if change is not None:
        view = week_tile(indicator, lang, change, title=title, date_key=date_key)
    else:
        view = latest_tile(indicator, lang, latest, title=title, date_key=date_key)
    return tile_card(view, lang, tile_id)
