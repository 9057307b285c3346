"""A dataset's page at /data/<dataset>: what it is, where it comes from, its licence, how often
and when it was last fetched, what periods and areas it covers, its indicators, the pages and
themes that use it, its downloads and its release history. Everything from the Reader's catalog
and store version (data/dataset_facts.py, data/coverage.py)."""

from __future__ import annotations

import logging

import dash
from dash import html

from data.coverage import dataset_area_counts
from data.dataset_facts import dataset_facts
from data.reader import Reader
from layouts.downloads import dataset_downloads
from layouts.figure_block import data_table
from layouts.i18n import format_date, format_number, normalize_lang, t
from layouts.pages import ReaderSource, with_reader
from layouts.refresh_status import format_moment
from layouts.release_history import release_history_section
from layouts.views.catalogue import LEVEL_ORDER, dataset_frequency
from layouts.views.data_links import CATALOGUE_PATH, catalogue_href, indicator_href
from layouts.views.urls import href
from layouts.views.usage import uses_of

log = logging.getLogger(__name__)
SITE = "MMmeter"
FACTS_ID = "dataset-facts"
INDICATORS_ID = "dataset-indicators"
USED_BY_ID = "dataset-used-by"
DOWNLOADS_ID = "dataset-downloads"


def breadcrumb(title: str, lang: str) -> html.Nav:
    return html.Nav(
        html.Ol(
            [
                html.Li(
                    html.A(t("data.dataset.breadcrumb", lang), href=catalogue_href(lang)),
                    className="breadcrumb-item",
                ),
                html.Li(title, className="breadcrumb-item active", **{"aria-current": "page"}),
            ],
            className="breadcrumb",
        ),
        **{"aria-label": t("nav.breadcrumb", lang)},
    )


def fact(label: str, value) -> list:
    return [html.Dt(label, className="col-sm-4"), html.Dd(value, className="col-sm-8")]


def external(text: str, url: str) -> html.A:
    return html.A(text, href=url, rel="noopener")


def period_words(first: str | None, last: str | None, lang: str) -> str:
    if not first:
        return t("common.no_data", lang)
    return t(
        "data.dataset.period_range",
        lang,
        first=format_date(first, lang),
        last=format_date(last, lang),
    )


def coverage_words(counts: dict[str, int], lang: str) -> str:
    if not counts:
        return t("common.no_data", lang)
    ordered = sorted(counts, key=lambda lv: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 99)
    return "; ".join(
        t(
            "data.dataset.areas_count",
            lang,
            level=t(f"data.level.{lv}", lang),
            count=format_number(counts[lv], lang),
        )
        for lv in ordered
    )


def facts_list(reader: Reader, dataset, facts: dict, lang: str) -> html.Dl:
    files = [f.url for f in dataset.files if f.url]
    refreshed = facts.get("last_successful_refresh")
    items = [
        *fact(t("data.dataset.publisher", lang), dataset.publisher),
        *fact(t("data.dataset.owner", lang), dataset.owner),
        *fact(
            t("data.dataset.licence", lang),
            html.A(dataset.licence, href=dataset.licence_url, rel="license noopener"),
        ),
        *fact(
            t("data.dataset.source", lang),
            external(
                t("data.dataset.landing_page", lang, publisher=dataset.publisher),
                dataset.landing_page,
            ),
        ),
    ]
    if files:
        items += fact(
            t("data.dataset.files", lang),
            html.Ul(
                [html.Li(html.Code(url)) for url in files],
                className="list-unstyled mb-0",
            ),
        )
    frequency = t(f"data.frequency.{dataset_frequency(dataset)}", lang)
    if dataset.archived_since:
        archived = format_date(dataset.archived_since, lang)
        frequency = f"{frequency} · {t('data.dataset.archived', lang, date=archived)}"
    items += fact(t("data.dataset.frequency", lang), frequency)
    items += fact(
        t("data.dataset.last_refresh", lang),
        format_moment(refreshed, lang) if refreshed else t("data.dataset.never", lang),
    )
    coverage = facts["temporal_coverage"]
    items += fact(
        t("data.dataset.coverage_time", lang),
        period_words(coverage["first_period"], coverage["last_period"], lang),
    )
    items += fact(
        t("data.dataset.coverage_space", lang),
        coverage_words(dataset_area_counts(reader, dataset.id), lang),
    )
    return html.Dl(items, className="row mb-0", id=FACTS_ID)


def indicators_table(reader: Reader, dataset, lang: str) -> html.Div:
    catalog = reader.catalog
    rows = [
        [
            html.A(ind.title.get(lang), href=indicator_href(ind.id, lang)),
            html.Code(ind.id),
            ind.unit.get(lang),
            ind.definition.get(lang),
        ]
        for ind in catalog.indicators.values()
        if dataset.id in ind.dataset
    ]
    columns = [
        t("data.dataset.indicator", lang),
        t("data.indicator.id", lang),
        t("data.indicator.unit", lang),
        t("data.indicator.definition", lang),
    ]
    caption = t("data.dataset.indicators_caption", lang, title=dataset.title.get(lang))
    return data_table(columns, rows, caption, table_id=INDICATORS_ID)


def used_by(reader: Reader, dataset_id: str, lang: str) -> html.Ul | html.P:
    ids = [i.id for i in reader.catalog.indicators.values() if dataset_id in i.dataset]
    found = uses_of(reader, ids)
    if not found:
        return html.P(t("data.dataset.used_by_none", lang), id=USED_BY_ID)
    return html.Ul(
        [html.Li(html.A(use.title(lang), href=href(use.path, None, lang))) for use in found],
        id=USED_BY_ID,
    )


def section(heading: str, key: str, *children) -> html.Section:
    heading_id = f"data-{key}-heading"
    return html.Section(
        [html.H2(heading, id=heading_id, className="h4 mt-4"), *children],
        **{"aria-labelledby": heading_id},
    )


def not_found(lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("data.dataset.not_found", lang)),
            html.P(html.A(t("data.title", lang), href=catalogue_href(lang))),
        ]
    )


def layout(reader: Reader, dataset_id: str | None = None, lang: str = "nl", **_query):
    lang = normalize_lang(lang)
    dataset = reader.catalog.datasets.get(dataset_id or "")
    if dataset is None:
        return not_found(lang)
    title = dataset.title.get(lang)
    facts = dataset_facts(reader, dataset.id)
    description = getattr(dataset, "description", None)
    lead = (
        description.get(lang)
        if description is not None
        else t(
            "data.dataset.description",
            lang,
            publisher=dataset.publisher,
            count=sum(1 for i in reader.catalog.indicators.values() if dataset.id in i.dataset),
        )
    )
    history = release_history_section(reader, dataset.id, lang)
    return html.Div(
        [
            breadcrumb(title, lang),
            html.H1(title),
            html.P(lead, className="lead"),
            section(
                t("data.dataset.facts", lang), "facts", facts_list(reader, dataset, facts, lang)
            ),
            section(
                t("data.dataset.indicators", lang),
                "indicators",
                indicators_table(reader, dataset, lang),
            ),
            section(t("data.dataset.used_by", lang), "used-by", used_by(reader, dataset.id, lang)),
            section(
                t("data.dataset.downloads", lang),
                "downloads",
                html.P(t("data.dataset.downloads_intro", lang)),
                html.Div(dataset_downloads(dataset.id, lang, title), id=DOWNLOADS_ID),
            ),
            history,
        ]
    )


def page_title(reader: Reader, dataset_id: str | None = None) -> str:
    dataset = reader.catalog.datasets.get(dataset_id or "")
    return f"{dataset.title.nl} | {SITE}" if dataset else SITE


def dataset_exists(reader: Reader, dataset_id: str) -> bool:
    return dataset_id in reader.catalog.datasets


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "data_dataset",
        path_template=f"{CATALOGUE_PATH}/<dataset_id>",
        # not memoized: the last refresh changes without a new store version
        layout=with_reader(layout, reader_of),
        name="Dataset",
        title=with_reader(page_title, reader_of),
        nav=False,
        exists=with_reader(dataset_exists, reader_of),  # else a 404 (app/errors.py)
        order=81,
    )
