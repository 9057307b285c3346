"""An indicator's page at /data/indicator/<id>: its data-dictionary entry (definition, unit,
decimals, how it is derived), the levels and number of areas with values, its first and last
period, a small trend of the home municipality (the trend block's figures), and its downloads
and API links. Definitions come from the catalog, the derivation text from
layouts/views/derivation.py."""

from __future__ import annotations

import dash
from dash import html

from data.coverage import indicator_area_counts
from data.dataset_facts import indicator_span
from data.reader import COUNTRY, Reader
from layouts import release_notes
from layouts.blocks import trend as trend_block
from layouts.blocks.common import BlockContext, area_names, meta_line
from layouts.components import archived_badge
from layouts.downloads import DownloadQuery, format_links
from layouts.figure_block import data_table, figure_block
from layouts.i18n import format_number, normalize_lang, t
from layouts.pages import ReaderSource, with_reader
from layouts.pages.data_dataset import breadcrumb, fact, period_words, section
from layouts.views.catalogue import LEVEL_ORDER
from layouts.views.data_links import INDICATOR_PREFIX, catalogue_href, dataset_href
from layouts.views.derivation import derivation_steps

SITE = "MMmeter"
FACTS_ID = "indicator-facts"
LEVELS_ID = "indicator-levels"
DOWNLOADS_ID = "indicator-downloads"
TREND_THEME = "indicator"  # the block ids' prefix: theme-indicator-0-...


def _levels(counts: dict[str, int]) -> list[str]:
    return sorted(counts, key=lambda lv: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 99)


def trend_area(reader: Reader, counts: dict[str, int], indicator_id: str) -> str | None:
    """The area the small chart shows: the home municipality, else its province, else the
    country, else the first area with values."""
    for code in (reader.home, reader.home_province, COUNTRY):
        if code and not reader.series(indicator_id, (code,)).dropna(subset=["value"]).empty:
            return code
    for level in _levels(counts):
        table = reader.snapshot(indicator_id, level)
        if not table.empty:
            return str(table["area"].iloc[0])
    return None


def higher_words(indicator, lang: str) -> str:
    key = {True: "better", False: "worse", None: "neutral"}[indicator.higher_is_better]
    return t(f"data.indicator.{key}", lang)


def facts_list(reader: Reader, indicator, lang: str) -> html.Dl:
    catalog = reader.catalog
    steps = derivation_steps(catalog, indicator.id, lang)
    first, last = indicator_span(reader, indicator.id)
    derivation = (
        html.Ol([html.Li(step) for step in steps], className="mb-0")
        if steps
        else t("data.indicator.published", lang)
    )
    datasets = html.Ul(
        [
            html.Li(html.A(catalog.datasets[d].title.get(lang), href=dataset_href(d, lang)))
            for d in indicator.dataset
        ],
        className="list-unstyled mb-0",
    )
    items = [
        *fact(t("data.indicator.id", lang), html.Code(indicator.id)),
        *fact(t("data.indicator.unit", lang), indicator.unit.get(lang)),
        *fact(t("data.indicator.decimals", lang), str(indicator.decimals)),
        *fact(
            t("data.indicator.frequency", lang), t(f"data.frequency.{indicator.frequency}", lang)
        ),
        *fact(t("data.indicator.higher_is_better", lang), higher_words(indicator, lang)),
        *fact(t("data.indicator.derivation", lang), derivation),
        *fact(t("data.indicator.datasets", lang), datasets),
        *fact(t("data.dataset.coverage_time", lang), period_words(first, last, lang)),
    ]
    return html.Dl(items, className="row mb-0", id=FACTS_ID)


def levels_table(indicator, counts: dict[str, int], lang: str) -> html.Div:
    rows = [
        [t(f"data.level.{lv}", lang), format_number(counts[lv], lang)] for lv in _levels(counts)
    ]
    caption = t("data.indicator.levels_caption", lang, title=indicator.title.get(lang))
    columns = [t("data.indicator.level", lang), t("data.indicator.areas", lang)]
    return data_table(columns, rows, caption, table_id=LEVELS_ID, numeric=[False, True])


def trend(reader: Reader, indicator, area: str, lang: str) -> html.Section:
    """The trend block's figure of `indicator` in `area`, over every period (no range
    control: this page has no theme for the range callback to find)."""
    from layouts.themes.models import TrendBlock

    names = area_names(reader, lang)
    title = t(
        "data.indicator.trend_title",
        lang,
        title=indicator.title.get(lang),
        area=names.get(area, area),
    )
    block = TrendBlock(type="trend", indicator=indicator.id, areas=[area], title=None)
    view = trend_block.load_view(reader, block, lang, "all")
    ids = BlockContext(TREND_THEME, "0", lang, reader).ids(trend_block.KIND)
    return figure_block(
        ids,
        title,
        view.figure,
        html.Span(view.summary, id=ids.part("summary")),
        html.Div(id=ids.part("table")),  # written in the browser from the figure
        meta_line(
            reader.catalog,
            [indicator.id],
            view.last_period,
            lang,
            title,
            download=DownloadQuery((indicator.id,), (area,)),
        ),
        lang,
        badge=archived_badge(indicator, lang),
        graph_height=260,
    )


def downloads(indicator, counts: dict[str, int], lang: str) -> html.Div:
    title = indicator.title.get(lang)
    parts = []
    for level in _levels(counts):
        words = t("data.indicator.downloads_level", lang, level=t(f"data.level.{level}", lang))
        query = DownloadQuery((indicator.id,), level=level)
        parts += [
            html.H3(words, className="h6 mt-3"),
            format_links([(f, query.href(f)) for f in query.formats], lang, f"{title}, {words}"),
        ]
    return html.Div(parts, id=DOWNLOADS_ID)


def not_found(lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("data.indicator.not_found", lang)),
            html.P(html.A(t("data.title", lang), href=catalogue_href(lang))),
        ]
    )


def layout(reader: Reader, indicator_id: str | None = None, lang: str = "nl", **_query):
    lang = normalize_lang(lang)
    indicator = reader.catalog.indicators.get(indicator_id or "")
    if indicator is None:
        return not_found(lang)
    title = indicator.title.get(lang)
    counts = indicator_area_counts(reader, indicator.id)
    area = trend_area(reader, counts, indicator.id) if counts else None
    badge = archived_badge(indicator, lang)
    return html.Div(
        [
            breadcrumb(title, lang),
            html.H1(title),
            badge,
            html.P(indicator.definition.get(lang), id="indicator-definition"),
            section(t("data.indicator.facts", lang), "facts", facts_list(reader, indicator, lang)),
            section(
                t("data.indicator.levels", lang),
                "levels",
                levels_table(indicator, counts, lang)
                if counts
                else html.P(t("data.indicator.no_values", lang)),
            ),
            trend(reader, indicator, area, lang) if area else None,
            section(
                t("data.indicator.downloads", lang), "downloads", downloads(indicator, counts, lang)
            ),
            release_notes.indicator_feed_link(reader, indicator.id, lang),
        ]
    )


def page_title(reader: Reader, indicator_id: str | None = None) -> str:
    indicator = reader.catalog.indicators.get(indicator_id or "")
    return f"{indicator.title.nl} | {SITE}" if indicator else SITE


def indicator_exists(reader: Reader, indicator_id: str) -> bool:
    return indicator_id in reader.catalog.indicators


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "data_indicator",
        # before /data/<dataset_id>, whose template would otherwise take "indicator/<id>"
        path_template=f"{INDICATOR_PREFIX}<indicator_id>",
        layout=with_reader(layout, reader_of, memo="data_indicator"),
        name="Indicator",
        title=with_reader(page_title, reader_of),
        nav=False,
        exists=with_reader(indicator_exists, reader_of),  # else a 404 (app/errors.py)
        order=80.5,
    )
