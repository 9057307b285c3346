"""The data catalogue (/data), dataset pages (/data/<dataset>) and indicator pages
(/data/indicator/<id>) built from a Reader of the refreshed store, checked against its catalog
and store; the download links under the charts of the other pages; the header link, the
sitemap and the 404s over HTTP. Axe, console and English in the browser:
tests/browser/test_data_pages.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from data.dataset_facts import dataset_facts, indicator_span
from layouts.i18n import format_date, format_number, t
from layouts.pages import corona, data_catalogue, data_dataset, data_indicator, themes
from layouts.shell import header
from layouts.themes.loader import current_themes
from layouts.views.derivation import derivation_steps
from tests.integration.pages import find, kind, prop, text, walk


def links(component) -> list[str]:
    return [prop(c, "href") for c in walk(component) if kind(c) == "A" and prop(c, "href")]


def query_of(href: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(href).query).items()}


def observation_links(component) -> list[dict[str, str]]:
    return [query_of(h) for h in links(component) if urlsplit(h).path == "/api/v1/observations"]


def listed(page, kind_: str) -> list[str]:
    section = [c for c in walk(page) if prop(c, "id") == f"data-{kind_}s"]
    if not section:
        return []
    return [urlsplit(h).path for h in links(section[0])]


# --- the catalogue -----------------------------------------------------------------------


def test_the_catalogue_lists_every_dataset_and_indicator_of_the_catalog(home_reader):
    page = data_catalogue.layout(home_reader, lang="nl")
    catalog = home_reader.catalog
    assert listed(page, "dataset") == [f"/data/{d}" for d in catalog.datasets]
    assert listed(page, "indicator") == [f"/data/indicator/{i}" for i in catalog.indicators]
    total = len(catalog.datasets) + len(catalog.indicators)
    assert text(find(page, data_catalogue.COUNT_ID)) == t("data.results", "nl", count=total)


def test_a_search_in_the_address_finds_by_definition_and_says_how_many(emmen_reader):
    population = emmen_reader.catalog.indicators["population"]
    word = "70072NED"  # in the population's definition, not in its title
    assert word in population.definition.nl and word not in population.title.nl
    page = data_catalogue.layout(emmen_reader, lang="nl", q=word.lower())
    found = listed(page, "dataset") + listed(page, "indicator")
    assert "/data/indicator/population" in found
    every = len(emmen_reader.catalog.datasets) + len(emmen_reader.catalog.indicators)
    assert 0 < len(found) < every
    count = t("data.results_for", "nl", count=len(found), query=word.lower())
    assert text(find(page, data_catalogue.COUNT_ID)) == count
    assert prop(find(page, data_catalogue.QUERY_ID), "value") == word.lower()


def test_filters_in_the_address_are_shown_as_chosen_and_applied(emmen_reader):
    page = data_catalogue.layout(emmen_reader, lang="en", status="archived", kind="dataset")
    archived = [d for d, ds in emmen_reader.catalog.datasets.items() if ds.archived_since]
    assert listed(page, "dataset") == [f"/data/{d}" for d in archived]
    assert listed(page, "indicator") == []
    assert prop(find(page, "data-filter-status"), "value") == "archived"
    assert "Archived" in text(page)


def test_a_theme_filter_keeps_what_the_theme_shows(emmen_reader):
    theme = current_themes(emmen_reader).find("bevolking").theme
    shown = {i for _, _, block in theme.numbered_blocks() for i in block.indicator_ids}
    page = data_catalogue.layout(emmen_reader, lang="nl", theme="bevolking", kind="indicator")
    assert {p.rsplit("/", 1)[1] for p in listed(page, "indicator")} == shown


def test_a_search_without_results_says_so(emmen_reader):
    page = data_catalogue.layout(emmen_reader, lang="nl", q="qqqzzzxxx")
    assert t("data.no_results", "nl") in text(find(page, data_catalogue.RESULTS_ID))
    assert text(find(page, data_catalogue.COUNT_ID)).startswith("0 ")


def test_the_header_links_to_the_catalogue(dash_app, emmen_reader):
    with dash_app.server.test_request_context("/"):
        nav = header(emmen_reader, "/data", "nl")
    data_links = [c for c in walk(nav) if kind(c) == "A" and prop(c, "href") == "/data"]
    assert data_links and text(data_links[0]) == t("data.nav", "nl")
    assert prop(data_links[0], "aria-current") == "page"


# --- a dataset page ----------------------------------------------------------------------


@pytest.mark.parametrize("dataset_id", ["rivm_cases", "cbs_kwb_2024", "geo_wijken"])
def test_a_dataset_page_shows_its_catalog_entry_and_store_facts(home_reader, dataset_id):
    dataset = home_reader.catalog.datasets[dataset_id]
    page = data_dataset.layout(home_reader, dataset_id, lang="nl")
    words = text(page)
    assert text(next(c for c in walk(page) if kind(c) == "H1")) == dataset.title.nl
    for value in (dataset.publisher, dataset.owner, dataset.licence):
        assert value in words
    hrefs = links(page)
    assert dataset.licence_url in hrefs and dataset.landing_page in hrefs
    facts = dataset_facts(home_reader, dataset_id)
    coverage = facts["temporal_coverage"]
    if coverage["first_period"]:
        assert format_date(coverage["first_period"], "nl") in words
        assert format_date(coverage["last_period"], "nl") in words
    own = [i for i in home_reader.catalog.indicators.values() if dataset_id in i.dataset]
    table = text(find(page, data_dataset.INDICATORS_ID))
    for indicator in own:
        assert indicator.title.nl in table and indicator.unit.nl in table
    assert f"/data/{dataset_id}.zip" in hrefs
    whole = [q for q in observation_links(page) if q.get("dataset") == dataset_id]
    assert {q["format"] for q in whole} >= {"csv", "csv-nl", "xlsx", "json", "parquet"}


def test_a_dataset_page_counts_the_areas_with_values_per_level(emmen_reader):
    page = data_dataset.layout(emmen_reader, "rivm_cases", lang="nl")
    municipalities = emmen_reader.level_table("covid_cases", "gm")["area"].nunique()
    expected = t("data.dataset.areas_count", "nl", level="gemeente", count=municipalities)
    assert expected in text(find(page, data_dataset.FACTS_ID))


def test_a_dataset_page_names_its_last_successful_refresh(emmen_reader):
    status = emmen_reader.store.status()["datasets"]["rivm_cases"]
    assert status.get("last_success")
    from layouts.refresh_status import format_moment

    page = data_dataset.layout(emmen_reader, "rivm_cases", lang="en")
    assert format_moment(status["last_success"], "en") in text(page)


def test_a_dataset_page_lists_the_themes_and_pages_that_use_it(emmen_reader):
    own = {i for i, ind in emmen_reader.catalog.indicators.items() if "rivm_cases" in ind.dataset}
    using = [
        theme
        for theme in current_themes(emmen_reader).valid
        if own & {i for _, _, b in theme.numbered_blocks() for i in b.indicator_ids}
    ]
    assert using
    used = text(find(data_dataset.layout(emmen_reader, "rivm_cases", lang="nl"), "dataset-used-by"))
    for theme in using:
        assert theme.title.nl in used
    assert "Corona" in used.split()  # the hand-written corona page declares its indicators
    assert set(corona.shown_indicators(emmen_reader)) & own


def test_an_unknown_dataset_is_a_404(client):
    assert client.get("/data/no_such_dataset").status_code == 404
    assert client.get("/data/indicator/no_such_indicator").status_code == 404
    assert client.get("/data/rivm_cases").status_code == 200


# --- an indicator page -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_indicator_page_is_its_data_dictionary_entry(emmen_reader, lang):
    indicator_id = "covid_cases_per_100k_7d"
    indicator = emmen_reader.catalog.indicators[indicator_id]
    page = data_indicator.layout(emmen_reader, indicator_id, lang=lang)
    facts = text(find(page, data_indicator.FACTS_ID))
    assert indicator.unit.get(lang) in facts and indicator_id in facts
    for step in derivation_steps(emmen_reader.catalog, indicator_id, lang):
        assert step in facts
    assert text(find(page, "indicator-definition")) == indicator.definition.get(lang)
    first, last = indicator_span(emmen_reader, indicator_id)
    assert format_date(first, lang) in facts and format_date(last, lang) in facts
    for dataset_id in indicator.dataset:
        assert f"/data/{dataset_id}" in [urlsplit(h).path for h in links(page)]


def test_an_indicator_page_counts_areas_per_level_and_draws_the_home_trend(emmen_reader):
    page = data_indicator.layout(emmen_reader, "population", lang="nl")
    levels = text(find(page, data_indicator.LEVELS_ID))
    for level in emmen_reader.indicator_levels()["population"]:
        count = emmen_reader.level_table("population", level)["area"].nunique()
        assert f"{t(f'data.level.{level}', 'nl')} {format_number(count, 'nl')}" in levels
    graphs = [c for c in walk(page) if kind(c) == "Graph"]
    assert len(graphs) == 1 and prop(graphs[0], "figure").data
    home_series = [q for q in observation_links(page) if q.get("area") == emmen_reader.home]
    assert home_series and home_series[0]["indicator"] == "population"
    per_level = [q for q in observation_links(find(page, data_indicator.DOWNLOADS_ID))]
    assert {q["level"] for q in per_level} == set(emmen_reader.indicator_levels()["population"])
    for level in emmen_reader.indicator_levels()["population"]:
        assert {q["format"] for q in per_level if q["level"] == level} >= {"geojson", "xlsx"}


# --- downloads under the charts of other pages -------------------------------------------


def test_every_chart_of_a_theme_has_downloads_of_exactly_its_indicator(emmen_reader):
    page = themes.layout(emmen_reader, "bevolking", lang="nl")
    sections = [
        c
        for c in walk(page)
        if kind(c) == "Section" and any(kind(g) == "Graph" for g in walk(prop(c, "children")))
    ]
    assert sections
    for section in sections:
        details = [
            c
            for c in walk(section)
            if kind(c) == "Details" and "mm-downloads" in str(prop(c, "className"))
        ]
        assert len(details) == 1, text(section)[:80]
        queries = observation_links(details[0])
        assert len({q["indicator"] for q in queries}) == 1
        assert queries[0]["indicator"] in emmen_reader.catalog.indicators


def test_the_corona_charts_download_the_period_they_show(emmen_reader):
    page = corona.layout(emmen_reader, lang="nl")
    queries = [q for q in observation_links(page) if q.get("format") == "xlsx"]
    assert queries
    for query in queries:
        assert query["area"] == emmen_reader.home
        main = query["indicator"].split(",")[0]
        shown = emmen_reader.series(main, (emmen_reader.home,)).dropna(subset=["value"])
        assert query["from"] >= shown["period"].min().date().isoformat()
        assert query["to"] <= shown["period"].max().date().isoformat()


# --- sitemap -----------------------------------------------------------------------------


def test_the_sitemap_lists_the_catalogue_and_every_dataset_and_indicator_page(client, readers):
    body = client.get("/sitemap.xml").get_data(as_text=True)
    catalog = readers("GM0114").catalog
    assert "http://localhost/data</loc>" in body
    for dataset_id in catalog.datasets:
        assert f"/data/{dataset_id}</loc>" in body
    for indicator_id in catalog.indicators:
        assert f"/data/indicator/{indicator_id}</loc>" in body
