"""The data catalogue at /data: every dataset and every indicator, searched and filtered by the
URL's query (a plain GET form, so every search is a shareable address and works without
JavaScript). The search rule is layouts/views/catalogue.py."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from data.reader import Reader
from layouts.i18n import format_date, normalize_lang, t
from layouts.pages import ReaderSource, with_reader
from layouts.views import catalogue
from layouts.views.catalogue import CatalogueQuery, Entry
from layouts.views.data_links import (
    CATALOGUE_PATH,
    catalogue_href,
    dataset_href,
    indicator_href,
)
from layouts.views.usage import theme_uses

SITE = "MMmeter"
FORM_ID = "data-search"
QUERY_ID = "data-q"
COUNT_ID = "data-count"
RESULTS_ID = "data-results"


def theme_titles(reader: Reader, lang: str) -> dict[str, str]:
    return {use.id: use.title(lang) for use in theme_uses(reader)}


def entries(reader: Reader) -> list[Entry]:
    """Every dataset and indicator of the Reader's catalog as catalogue entries."""
    themes_of: dict[str, set[str]] = {}
    for use in theme_uses(reader):
        for indicator_id in use.indicators:
            themes_of.setdefault(indicator_id, set()).add(use.id)
    return catalogue.catalogue_entries(
        reader.catalog,
        reader.indicator_levels(),
        {k: frozenset(v) for k, v in themes_of.items()},
    )


def option_label(name: str, value: str, lang: str, themes: dict[str, str]) -> str:
    if name == "theme":
        return themes.get(value, value)
    if name == "source":
        return value
    return t(f"data.{name}.{value}", lang)


def filter_control(name: str, values, chosen: str | None, lang: str, themes) -> dbc.Col:
    control_id = f"data-filter-{name}"
    return dbc.Col(
        [
            dbc.Label(t(f"data.filter.{name}", lang), html_for=control_id, className="mb-1"),
            dbc.Select(
                id=control_id,
                name=name,
                value=chosen or "",
                options=[{"label": t("data.search.any", lang), "value": ""}]
                + [{"label": option_label(name, v, lang, themes), "value": v} for v in values],
            ),
        ],
        xs=12,
        sm=6,
        lg=4,
        className="mb-2",
    )


def search_form(
    query: CatalogueQuery, known: dict[str, tuple[str, ...]], lang: str, themes
) -> html.Form:
    # Visibility is a choice only where there is something to choose (staff see internal data).
    shown = [n for n in catalogue.FILTERS if n != "visibility" or len(known[n]) > 1]
    hidden_lang = [dbc.Input(type="hidden", name="lang", value=lang)] if lang != "nl" else []
    return html.Form(
        [
            dbc.Label(
                [
                    t("data.search.label", lang),
                    html.Span(t("data.search.hint", lang), className="d-block small"),
                ],
                html_for=QUERY_ID,
                className="mb-1",
            ),
            dbc.Input(
                id=QUERY_ID,
                type="search",
                name="q",
                value=query.q,
                maxLength=catalogue.MAX_QUERY,
                className="mb-2",
            ),
            dbc.Row(
                [filter_control(n, known[n], query.get(n), lang, themes) for n in shown],
            ),
            *hidden_lang,
            html.Div(
                [
                    html.Button(
                        t("data.search.submit", lang), type="submit", className="btn btn-primary"
                    ),
                    html.A(
                        t("data.search.clear", lang),
                        href=catalogue_href(lang),
                        className="btn btn-link",
                    ),
                ],
                className="mt-2",
            ),
        ],
        id=FORM_ID,
        method="get",
        action=catalogue_href("nl"),
        role="search",
        **{"aria-label": t("data.search.form_label", lang)},
        className="mm-data-search mb-3",
    )


def facts_line(entry: Entry, lang: str) -> str:
    parts = [", ".join(sorted(entry.sources)), t(f"data.frequency.{entry.frequency}", lang)]
    if entry.levels:
        parts.append(", ".join(t(f"data.level.{lv}", lang) for lv in entry.levels))
    return " · ".join(p for p in parts if p)


def result_item(reader: Reader, entry: Entry, lang: str) -> html.Li:
    catalog = reader.catalog
    if entry.kind == "dataset":
        link = dataset_href(entry.id, lang)
        archived = catalog.datasets[entry.id].archived_since
        text = None
    else:
        link = indicator_href(entry.id, lang)
        indicator = catalog.indicators[entry.id]
        archived = indicator.archived_since
        text = indicator.definition.get(lang)
    return html.Li(
        [
            html.A(entry.title(lang), href=link, className="fw-semibold"),
            " ",
            html.Span(
                t("data.archived_since", lang, date=format_date(archived, lang)),
                className="mm-archived",
            )
            if archived
            else None,
            html.P(facts_line(entry, lang), className="small text-muted mb-0"),
            html.P(text, className="small mb-0") if text else None,
        ],
        className="mb-3",
    )


def results_section(reader: Reader, found: list[Entry], kind: str, lang: str):
    of_kind = [e for e in found if e.kind == kind]
    if not of_kind:
        return None
    heading_id = f"data-{kind}-heading"
    return html.Section(
        [
            html.H2(t(f"data.{kind}s_heading", lang, count=len(of_kind)), id=heading_id),
            html.Ul([result_item(reader, e, lang) for e in of_kind], className="list-unstyled"),
        ],
        id=f"data-{kind}s",
        **{"aria-labelledby": heading_id},
    )


def count_text(found: list[Entry], query: CatalogueQuery, lang: str) -> str:
    if query.q:
        return t("data.results_for", lang, count=len(found), query=query.q)
    if len(found) == 1:
        return t("data.results_one", lang)
    return t("data.results", lang, count=len(found))


def layout(reader: Reader, lang: str = "nl", **query) -> html.Div:
    lang = normalize_lang(lang)
    every = entries(reader)
    known = catalogue.options(every)
    chosen = catalogue.parse_query(query, known)
    found = catalogue.search(every, chosen)
    themes = theme_titles(reader, lang)
    results = [results_section(reader, found, kind, lang) for kind in catalogue.KINDS]
    return html.Div(
        [
            html.H1(t("data.title", lang)),
            html.P(t("data.intro", lang), className="lead"),
            search_form(chosen, known, lang, themes),
            html.P(count_text(found, chosen, lang), id=COUNT_ID, role="status"),
            html.Div(
                [r for r in results if r is not None]
                or html.P(t("data.no_results", lang), className="mm-no-results"),
                id=RESULTS_ID,
            ),
        ]
    )


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "data_catalogue",
        path=CATALOGUE_PATH,
        layout=with_reader(layout, reader_of),
        name="Data",
        titles={"nl": t("data.nav", "nl"), "en": t("data.nav", "en")},
        title=f"Data | {SITE}",
        nav=True,
        order=80,
    )
