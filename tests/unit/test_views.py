"""The shared view rules: one area search, one reference rule, one tile, one cache key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import plotly
import pytest

from data.cache import QueryCache
from data.catalog import load_catalog
from data.reader import Reader, SiteSettings
from data.store import Store
from layouts.components import tile
from layouts.figures.summary import WeekChange
from layouts.views.area_search import find_area
from layouts.views.families import family
from layouts.views.references import reference_area

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml")
NAMES = {"GM1900": "Súdwest-Fryslân", "GM0114": "Emmen", "GM1680": "Aa en Hunze"}


@pytest.mark.parametrize(
    "typed", ["Sudwest Fryslan", "súdwest-fryslân", "SUDWEST-FRYSLAN", " GM1900 ", "gm1900"]
)
def test_an_area_is_found_whatever_case_accents_and_hyphens(typed):
    assert find_area(typed, NAMES) == "GM1900"


def test_an_area_is_found_only_among_the_codes_given():
    assert find_area("Emmen", NAMES, ["GM1900"]) is None
    assert find_area("", NAMES) is None
    assert find_area("Emmen-Oost", NAMES) is None


@pytest.mark.parametrize("home", ["GM0114", "GM0106"])
def test_counts_that_add_up_are_never_compared_with_their_whole(home):
    population = CATALOG.indicators["population"]
    density = CATALOG.indicators["population_density"]
    assert population.additive and not density.additive
    assert reference_area(population, "wk", None, home) is None
    assert reference_area(density, "wk", None, home) == home
    assert reference_area(density, "gm", "PV22", home) == "PV22"
    assert reference_area(density, "pv", None, home) is None
    assert reference_area(density, "gm", None, home) == "NL01"  # home itself is on that map


def test_families_come_from_the_catalog():
    cases = family(CATALOG, "covid_cases")
    assert cases.indicators("absolute") == ("covid_cases", "covid_cases_7d")
    assert cases.indicators("per100k") == ("covid_cases_per_100k", "covid_cases_per_100k_7d")
    with pytest.raises(KeyError, match="no indicator derived from population"):
        family(CATALOG, "population")


def _text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_a_tile_writes_sewage_at_its_display_scale_with_or_without_a_change():
    sewage = CATALOG.indicators["sewage_rna_per_100k"]
    day = dt.date(2022, 3, 14)
    latest = _text(tile(sewage, "nl", latest=(day, 100_528_242_703_997.0)))
    weekly = _text(tile(sewage, "nl", change=WeekChange(day, 95.4e12, 90.0e12)))
    assert "1.005" in latest and "× 100 miljard" in latest
    assert "100.528.242.703.997" not in latest
    assert "954" in weekly and "× 100 miljard" in weekly


def test_a_setting_that_changes_a_view_is_part_of_its_cache_key(tmp_path):
    calls = []
    cache = QueryCache()
    store = Store(tmp_path)
    plain = Reader(store, "v1", CATALOG, SiteSettings(), cache)
    with_tiles = Reader(store, "v1", CATALOG, SiteSettings(basemap="https://tiles/{z}"), cache)
    for reader in (plain, with_tiles, plain):
        reader.memo("view", ("wk",), lambda r=reader: calls.append(r.site.basemap))
    assert calls == [None, "https://tiles/{z}"]
    assert (
        Reader(store, "v1", CATALOG, SiteSettings(home="GM0106"), cache).memo(
            "view", ("wk",), lambda: "assen"
        )
        == "assen"
    )


def test_a_page_layout_is_built_once_per_version_address_and_language(tmp_path):
    from layouts.pages import with_reader

    built = []
    cache = QueryCache()
    readers = {"now": Reader(Store(tmp_path), "v1", CATALOG, SiteSettings(), cache)}

    def layout(reader, code=None, lang="nl", **query):
        built.append((reader.version, code, lang, tuple(sorted(query.items()))))
        return f"page {code} {lang}"

    page = with_reader(layout, lambda: readers["now"], memo="test")
    assert page("GM0114", lang="nl") == page("GM0114", lang="nl") == "page GM0114 nl"
    page("GM0114", lang="en")
    page("GM0114", lang="nl", view="per100k")
    readers["now"] = readers["now"].at("v2")  # a refresh published a new version
    page("GM0114", lang="nl")
    assert built == [
        ("v1", "GM0114", "nl", ()),
        ("v1", "GM0114", "en", ()),
        ("v1", "GM0114", "nl", (("view", "per100k"),)),
        ("v2", "GM0114", "nl", ()),
    ]


def test_a_page_keeps_a_bounded_number_of_query_variants_and_builds_the_rest(tmp_path):
    from layouts.pages import MAX_QUERY_VARIANTS, with_reader

    built = []
    reader = Reader(Store(tmp_path), "v1", CATALOG, SiteSettings(), QueryCache())

    def layout(reader, code=None, lang="nl", **query):
        built.append(tuple(sorted(query.items())))
        return "page"

    page = with_reader(layout, lambda: reader, memo="variants")
    for n in range(MAX_QUERY_VARIANTS + 5):  # made-up parameters: ?n=0, ?n=1, ...
        page("GM0114", n=str(n))
    assert len(built) == MAX_QUERY_VARIANTS + 5
    page("GM0114", n="0")  # one of the first variants: kept
    page("GM0114", n=str(MAX_QUERY_VARIANTS + 1))  # past the bound: built again
    assert len(built) == MAX_QUERY_VARIANTS + 6
    assert built[-1] == (("n", str(MAX_QUERY_VARIANTS + 1)),)
    page("GM0115")  # another address has its own variants
    page("GM0115")
    assert len(built) == MAX_QUERY_VARIANTS + 7


def test_the_per_100k_counterpart_comes_from_the_catalog():
    from layouts.views.families import per_100k_of

    assert per_100k_of(CATALOG, "covid_cases") == "covid_cases_per_100k"
    assert per_100k_of(CATALOG, "covid_cases_7d") == "covid_cases_per_100k_7d"
    assert per_100k_of(CATALOG, "population") is None
    assert per_100k_of(CATALOG, "no_such_indicator") is None
