"""The data catalogue's search and filters (layouts/views/catalogue.py), the derivation text of
derived indicators (layouts/views/derivation.py) and the download links of a view
(layouts/downloads.py), on the shipped catalog: no store, no Dash app."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from data.catalog import load_catalog
from layouts.downloads import AREA_FORMATS, FORMATS, DownloadQuery, download_links
from layouts.figure_block import Source, source_line
from layouts.i18n import t
from layouts.views import catalogue
from layouts.views.area_search import name_key
from layouts.views.derivation import derivation_steps, derivation_text
from tests.conftest import REPO_ROOT

CATALOG = load_catalog(REPO_ROOT / "data" / "catalog.yaml")


def entries(themes_of=None):
    return catalogue.catalogue_entries(CATALOG, {}, themes_of or {})


def found(text: str = "", **filters) -> list[str]:
    every = entries()
    query = catalogue.parse_query({"q": text, **filters}, catalogue.options(every))
    return [e.id for e in catalogue.search(every, query)]


def walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from walk(child)


def query_of(href: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(href).query).items()}


# --- search ------------------------------------------------------------------------------


def test_the_catalogue_has_every_dataset_and_every_indicator_once():
    ids = [(e.kind, e.id) for e in entries()]
    expected = [("dataset", d) for d in CATALOG.datasets]
    expected += [("indicator", i) for i in CATALOG.indicators]
    assert ids == expected


def test_an_empty_search_finds_everything():
    assert len(found()) == len(CATALOG.datasets) + len(CATALOG.indicators)


@pytest.mark.parametrize("typed", ["RIOOLWATER", "rioolwáter", "  Rioolwater  "])
def test_search_ignores_case_accents_and_spaces(typed):
    assert found(typed) == found("rioolwater")
    assert "rivm_sewage" in found(typed)


def test_search_reads_titles_in_both_languages_definitions_and_keywords():
    sewage = CATALOG.indicators["sewage_rna_per_100k"]
    word_of_definition = max(name_key(sewage.definition.nl).split(), key=len)
    assert "sewage_rna_per_100k" in found(word_of_definition)
    assert "rivm_sewage" in found("treatment plant")  # English title
    keyword = CATALOG.datasets["rivm_hospital"].keywords[-1]  # NICE
    assert "rivm_hospital" in found(keyword.lower())


def test_every_word_must_match():
    both = set(found("vaccinatiegraad basisserie"))
    assert both and both <= set(found("vaccinatiegraad")) & set(found("basisserie"))
    assert found("vaccinatiegraad zzzzqqq") == []


def test_search_text_is_cut_to_its_maximum_length():
    query = catalogue.parse_query({"q": "a" * 10_000}, {})
    assert len(query.q) == catalogue.MAX_QUERY


def test_filters_keep_entries_with_that_value():
    archived = found(status="archived")
    assert archived and all(
        (CATALOG.datasets.get(i) or CATALOG.indicators.get(i)).archived_since for i in archived
    )
    live = set(found(status="live"))
    assert live.isdisjoint(archived) and len(live) + len(archived) == len(found())
    indicators = found(kind="indicator", level="bu")
    assert indicators and all("bu" in CATALOG.indicators[i].levels for i in indicators)
    cbs = found(source="CBS", kind="dataset")
    assert cbs and all("CBS" in CATALOG.datasets[d].publisher for d in cbs)


def test_a_dataset_takes_the_levels_and_themes_of_its_indicators():
    themes_of = {"covid_cases": frozenset({"corona"})}
    by_id = {(e.kind, e.id): e for e in entries(themes_of)}
    assert "corona" in by_id[("dataset", "rivm_cases")].themes
    assert not by_id[("dataset", "cbs_kwb_2024")].themes
    wanted = set(CATALOG.indicators["covid_cases"].levels)
    assert wanted <= set(by_id[("dataset", "rivm_cases")].levels)


def test_unknown_filter_values_are_ignored_not_errors():
    query = catalogue.parse_query(
        {"level": "xx", "status": ["live"], "q": 3, "kind": "dataset"},
        catalogue.options(entries()),
    )
    assert query.filters == (("kind", "dataset"),) and query.q == ""


def test_a_query_round_trips_through_the_url():
    known = catalogue.options(entries())
    query = catalogue.parse_query({"q": "inwoners", "level": "wk", "frequency": "year"}, known)
    assert catalogue.parse_query(query.as_query(), known) == query


def test_entries_without_a_visibility_field_are_public():
    assert {e.visibility for e in entries()} == {"public"}


# --- derivations -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_seven_day_mean_names_its_source_and_its_window(lang):
    derived = next(i for i in CATALOG.indicators.values() if i.derivation == "mean_7d")
    source = CATALOG.indicators[derived.derived_from]
    (step,) = derivation_steps(CATALOG, derived.id, lang)[:1]
    assert source.title.get(lang) in step and f"({source.id})" in step
    assert "7" in step and "6" in step


def test_a_chain_of_derivations_is_told_step_by_step_back_to_the_published_count():
    chained = next(
        i
        for i in CATALOG.indicators.values()
        if i.derived_from and CATALOG.indicators[i.derived_from].derived_from
    )
    steps = derivation_steps(CATALOG, chained.id, "nl")
    middle = CATALOG.indicators[chained.derived_from]
    assert len(steps) == 2
    assert steps[0].startswith(t(f"data.derivation.{chained.derivation}", "nl").split("{")[0])
    assert steps[1].startswith(t(f"data.derivation.{middle.derivation}", "nl").split("{")[0])
    assert f"({middle.derived_from})" in steps[1]
    assert derivation_text(CATALOG, chained.id, "nl") == " ".join(steps)


def test_a_published_indicator_has_no_derivation():
    assert derivation_text(CATALOG, "population", "nl") is None


# --- downloads ---------------------------------------------------------------------------


def test_an_area_view_downloads_exactly_its_indicator_areas_and_period():
    view = DownloadQuery(("covid_cases",), ("GM0114", "GM0106"), start=dt.date(2021, 1, 1))
    assert view.formats == FORMATS  # no GeoJSON for a series of a few areas
    for fmt in view.formats:
        assert query_of(view.href(fmt)) == {
            "indicator": "covid_cases",
            "area": "GM0114,GM0106",
            "from": "2021-01-01",
            "format": fmt,
        }


def test_a_level_view_downloads_the_level_and_offers_geojson():
    day = dt.date(2022, 2, 6)
    view = DownloadQuery(("covid_cases_per_100k_7d",), level="gm", start=day, end=day)
    assert view.formats == AREA_FORMATS and "geojson" in view.formats
    assert query_of(view.href("geojson")) == {
        "indicator": "covid_cases_per_100k_7d",
        "level": "gm",
        "from": "2022-02-06",
        "to": "2022-02-06",
        "format": "geojson",
    }
    inside = DownloadQuery(("population",), ("WK011401",), level="wk")
    assert "level" not in query_of(inside.href("csv"))  # the areas say it


def test_every_download_link_names_its_format_and_the_view():
    view = DownloadQuery(("population",), level="wk")
    details = download_links(view, "en", "Inhabitants per district")
    links = [c for c in walk(details) if type(c).__name__ == "A"]
    assert [query_of(a.href)["format"] for a in links] == list(AREA_FORMATS)
    for link, fmt in zip(links, AREA_FORMATS, strict=True):
        visible, hidden = link.children
        assert visible == t(f"downloads.format.{fmt}", "en")
        assert "Inhabitants per district" in hidden.children


def test_a_source_line_with_a_download_links_the_definition_api_and_formats():
    source = Source("RIVM", "COVID-19", "Public Domain Mark 1.0", "https://data.rivm.nl")
    view = DownloadQuery(("covid_cases",), ("GM0114",))
    meta = source_line([source], None, "nl", None, None, "Titel", download=view)
    hrefs = [c.href for c in walk(meta) if type(c).__name__ == "A"]
    assert hrefs[1] == "/data/indicator/covid_cases"
    assert query_of(hrefs[2]) == {"indicator": "covid_cases", "area": "GM0114"}
    assert [query_of(h)["format"] for h in hrefs[3:]] == list(FORMATS)


def test_a_view_of_several_indicators_links_a_definition_only_of_its_main_one():
    several = DownloadQuery(("vaccination_partly_12plus", "vaccination_completed_12plus"), ("X",))
    assert several.about is None
    family = DownloadQuery(("covid_cases", "covid_cases_7d"), ("X",), main="covid_cases")
    assert family.about == "covid_cases"
    assert query_of(family.href("csv"))["indicator"] == "covid_cases,covid_cases_7d"


# --- the pages before the first refresh --------------------------------------------------


def test_the_data_pages_render_before_the_first_refresh(tmp_path):
    from data.reader import Reader
    from data.store import Store
    from layouts.pages import data_catalogue, data_dataset, data_indicator

    reader = Reader(Store(tmp_path), None, CATALOG)
    page = str(data_catalogue.layout(reader, lang="nl"))
    for dataset in CATALOG.datasets.values():
        assert dataset.title.nl in page
    dataset = str(data_dataset.layout(reader, "rivm_cases", lang="nl"))
    assert t("data.dataset.never", "nl") in dataset
    indicator = str(data_indicator.layout(reader, "covid_cases_7d", lang="en"))
    assert t("data.indicator.no_values", "en") in indicator and "Graph" not in indicator
