"""Small reusable pieces shared by pages and theme blocks."""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import html

from data.catalog import Indicator, shown_unit, shown_value
from layouts.figures.summary import WeekChange, change_words
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


def tile(
    indicator: Indicator,
    lang: str,
    *,
    latest: tuple | None = None,
    change: WeekChange | None = None,
    title: str | None = None,
    date_key: str = "common.date_of_data",
    tile_id: str | None = None,
) -> dbc.Card:
    """A headline figure, the one tile of every page and theme: title, value with unit (at the
    indicator's display scale from the catalog), its date, the change against the week before
    when `change` is given, and the archived label."""
    heading = html.H3(title or indicator.title.get(lang), className="h6 mb-1")
    if change is not None:
        change = replace(
            change,
            current=shown_value(indicator, change.current),
            previous=shown_value(indicator, change.previous),
        )
        value, date = change.current, change.end
    else:
        value, date = (latest[1], latest[0]) if latest is not None else (None, None)
        value = shown_value(indicator, value)
    if value is None:
        body = [heading, html.P(t("common.no_data", lang), className="mb-0")]
    else:
        body = [
            heading,
            html.P(
                [
                    html.Span(
                        format_number(value, lang, decimals=indicator.decimals),
                        className="mm-value",
                    ),
                    " ",
                    html.Span(shown_unit(indicator, lang), className="text-muted"),
                ],
                className="mb-1",
            ),
            html.P(t(date_key, lang, date=format_date(date, lang)), className="mb-1 small"),
        ]
        if change is not None:
            arrow, words = change_words(change, lang, indicator.decimals)
            body.append(
                html.P(
                    [html.Span(arrow, className="me-1", **{"aria-hidden": "true"}), words]
                    if arrow
                    else words,
                    className="mb-1 small",
                )
            )
    badge = archived_badge(indicator, lang)
    if badge is not None:
        body.append(badge)
    return dbc.Card(
        dbc.CardBody(body), className="mm-tile h-100", id=tile_id or f"tile-{indicator.id}"
    )
