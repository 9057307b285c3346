"""Trend block: an indicator over time for one or more areas, with period presets.

One area of a daily count with a 7-day average in the catalog (`<id>_7d`) is drawn as daily bars
with the average line; irregular measurements as markers; everything else as one line per area.
The trend itself (figure, summary, table rows, sources and download) is the one trend view
model of layouts/views/trends.py, shared with /corona; the browser writes the "show as table"
alternative from the figure itself (tableFromFigure in app/assets/2-site/clientside.js, one
pattern-matching callback in callbacks/themes.py). `trend_view` is pure; the page and the range
callback both use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd
from dash import html

from data.catalog import Catalog, Indicator
from data.reader import Reader
from layouts.blocks.common import BlockContext, area_names, meta_line, shown_areas, title_of
from layouts.components import archived_badge, radio_group
from layouts.figure_block import figure_block
from layouts.i18n import t
from layouts.views.families import is_seven_day_mean, per_100k_of
from layouts.views.periods import PRESETS
from layouts.views.trends import (  # noqa: F401 (the block's names for the shared rules)
    DAILY_UP_TO_DAYS,
    Trend,
    average_partner,
    clip_to_range,
    period_trend,
    weekly_points,
    with_dates,
)

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import TrendBlock

KIND = "trend"
RANGES = PRESETS
TrendView = Trend  # the block's view is the one trend view model (layouts/views/trends.py)


def has_ranges(indicator: Indicator) -> bool:
    return indicator.frequency in ("day", "week", "measurement")


def is_seven_day_average(catalog: Catalog, indicator_id: str) -> bool:
    """covid_cases_per_100k_7d is the 7-day mean of covid_cases_per_100k (catalog: derivation)."""
    return is_seven_day_mean(catalog, indicator_id)


def trend_view(
    catalog: Catalog,
    block: TrendBlock,
    frame: pd.DataFrame,
    average: pd.DataFrame | None,
    names: Mapping[str, str],
    lang: str,
    range_value: str,
) -> Trend:
    """The block's trend for the range (pure; layouts/views/trends.period_trend)."""
    indicator = catalog.indicators[block.indicator]
    title = title_of(block, indicator, lang)
    return period_trend(
        catalog, block.indicator, block.areas, frame, average, names, lang, range_value, title
    )


VIEWS = ("absolute", "per100k")  # as on the corona page (layouts/corona_state.py)
VIEW_LABELS = {"absolute": "common.absolute", "per100k": "common.per_100k"}


def as_shown(catalog: Catalog, block: TrendBlock, view: str) -> TrendBlock:
    """The block with its indicator per 100,000 when the reader chose that (`per_100k_toggle`)."""
    if view != "per100k" or not block.per_100k_toggle:
        return block
    rate = per_100k_of(catalog, block.indicator)
    return block if rate is None else block.model_copy(update={"indicator": rate})


def load_view(
    reader: Reader, block: TrendBlock, lang: str, range_value: str, view: str = "absolute"
) -> Trend:
    """trend_view with the block's observations read from the store."""
    catalog = reader.catalog
    block = as_shown(catalog, block, view)
    frame = reader.series(block.indicator, tuple(block.areas))
    partner = average_partner(catalog, block.indicator) if len(block.areas) == 1 else None
    average = reader.series(partner.id, tuple(block.areas)) if partner is not None else None
    return trend_view(catalog, block, frame, average, area_names(reader, lang), lang, range_value)


def range_control(block: TrendBlock, context: BlockContext, shown: bool) -> html.Div:
    """The period choice; kept hidden (not left out) when the indicator has no ranges, so that
    the one trend callback always finds both of its inputs."""
    lang = context.lang
    return html.Div(
        radio_group(
            t("time.label", lang),
            context.ids(KIND).part("range"),
            [{"label": t(f"time.{value}", lang), "value": value} for value in RANGES],
            block.range if shown else "all",
        ),
        hidden=not shown,
    )


def view_control(block: TrendBlock, context: BlockContext) -> html.Div:
    """Counts or per 100,000 inhabitants (`per_100k_toggle`); hidden without the toggle."""
    lang = context.lang
    return html.Div(
        radio_group(
            t("common.show_as", lang),
            context.ids(KIND).part("view"),
            [{"label": t(VIEW_LABELS[value], lang), "value": value} for value in VIEWS],
            "absolute",
        ),
        hidden=not block.per_100k_toggle,
    )


def following(block: TrendBlock, url_area: str | None) -> TrendBlock:
    """The block with the area of the page address in place of its first area, when it
    follows the address (`area_from_url`)."""
    areas = shown_areas(list(block.areas), block.area_from_url, url_area)
    return block if areas == list(block.areas) else block.model_copy(update={"areas": areas})


def build(block: TrendBlock, context: BlockContext) -> html.Section:
    lang, catalog = context.lang, context.catalog
    block = following(block, context.url_area)
    indicator = catalog.indicators[block.indicator]
    ranged = has_ranges(indicator)
    view = load_view(context.reader, block, lang, block.range if ranged else "all")
    title = title_of(block, indicator, lang)
    ids = context.ids(KIND)
    return figure_block(
        ids,
        title,
        view.figure,
        html.Span(view.summary, id=ids.part("summary")),
        html.Div(id=ids.part("table")),  # written in the browser from the figure
        meta_line(
            catalog,
            list(view.sources),
            view.last_period,
            lang,
            title,
            download=view.download,
        ),
        lang,
        badge=archived_badge(indicator, lang),
        controls=html.Div([view_control(block, context), range_control(block, context, ranged)]),
    )
