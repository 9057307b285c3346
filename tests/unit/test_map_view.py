"""The map view model (layouts/views/maps.py) without a store: the map, its legend, its summary
and its tables read one AreaMap, so they agree; the page states it gives restore the view."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from data.catalog import load_catalog
from geo.registry import MissingReport
from layouts.figures.choropleth import choropleth_figure, values_patch
from layouts.figures.legend import legend_rows
from layouts.figures.ranking import ranking_figure, ranking_table
from layouts.map_state import (
    CoronaMapState,
    NeighbourhoodMapState,
    Week,
    parse_corona_map,
    parse_neighbourhood_map,
)
from layouts.pages import corona_map, neighbourhoods
from layouts.views.maps import Marked, area_map, figure_datasets, map_sources
from layouts.views.references import reference_areas
from tests.integration.pages import kind, prop, text, walk

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml")
DENSITY = CATALOG.indicators["population_density"]
POPULATION = CATALOG.indicators["population"]
CASES = CATALOG.indicators["covid_cases_per_100k_7d"]
WIJKEN = [f"WK0114{n:02d}" for n in range(1, 9)]
NAMES = {code: f"Wijk {code[-2:]}" for code in WIJKEN} | {"GM0114": "Emmen", "NL01": "Nederland"}
DENSITIES = dict(
    zip(WIJKEN, [120.0, 80.5, 3050.0, 940.0, math.nan, 410.0, 2210.0, 15.0], strict=True)
)


def square(code: str, x: float) -> dict:
    ring = [[x, 52.0], [x + 0.1, 52.0], [x + 0.1, 52.1], [x, 52.1], [x, 52.0]]
    return {"type": "Feature", "id": code, "geometry": {"type": "Polygon", "coordinates": [ring]}}


GEOMETRY = {
    "type": "FeatureCollection",
    "features": [square(c, i / 5) for i, c in enumerate(WIJKEN)],
}


EMMEN_AS_A_WHOLE = (Marked("GM0114", "Emmen", 306.0, False),)


def density_map(lang: str = "nl"):
    return area_map(WIJKEN, DENSITIES, NAMES, DENSITY, "wk", lang, "2021", EMMEN_AS_A_WHOLE)


def table_cells(component) -> dict[str, tuple[str, str]]:
    """Area name -> (rank cell, value cell) of a ranking table."""
    rows = [row for row in walk(component) if kind(row) == "Tr"]
    cells = {}
    for row in rows:
        children = prop(row, "children")
        if any(kind(cell) == "Td" for cell in children):
            rank, name, value = (text(cell) for cell in children)
            cells[name] = (rank, value)
    return cells


def test_the_table_has_the_same_numbers_as_the_map_and_the_ranking_chart():
    area = density_map()
    figure = choropleth_figure(GEOMETRY, area.view, area.names)
    trace = figure["data"][0]
    on_map = {name: data[0] for name, data in zip(trace["text"], trace["customdata"], strict=True)}
    table = table_cells(
        ranking_table(area.rows, caption="c", area_header="Wijk", value_header="v", lang="nl")
    )
    assert {name: value for name, (_rank, value) in table.items()} == on_map
    assert on_map["Wijk 03"] == "3.050" and on_map["Wijk 05"] == "geen gegevens"
    bars = ranking_figure(area.rows, area.view.colour_by_code, unit=area.unit, lang="nl")
    charted = dict(zip(bars.data[0].y, bars.data[0].x, strict=True))
    assert {
        name: DENSITIES[code]
        for code, name in NAMES.items()
        if code in WIJKEN and not math.isnan(DENSITIES[code])
    } == pytest.approx(charted)


def test_a_patch_for_another_period_carries_the_values_of_its_own_view():
    area = density_map()
    patch = values_patch(area.view).to_plotly_json()
    assigned = {op["location"][-1]: op["params"]["value"] for op in patch["operations"]}
    assert assigned["z"] == area.view.z
    assert assigned["customdata"] == area.view.customdata


def test_legend_summary_and_table_agree():
    area = density_map()
    summary = area.summary("Bevolkingsdichtheid")
    table = table_cells(
        ranking_table(area.rows, caption="c", area_header="Wijk", value_header="v", lang="nl")
    )
    first = next(name for name, (rank, _v) in table.items() if rank == "1")
    assert first == "Wijk 03" and f"{first}" in summary and table[first][1] in summary
    last = next(r for r in reversed(area.rows) if r.value is not None)
    assert last.name in summary and last.value_text in summary
    assert "Emmen als geheel: 306" in summary
    rows = legend_rows(area.view, DENSITY, "wk", "nl", area.references())
    with_data = [row for row in rows if not row.no_data]
    assert sum(row.count for row in with_data) == sum(1 for r in area.rows if r.value is not None)
    assert sum(row.count for row in rows if row.no_data) == 1  # Wijk 05
    markers = [marker for row in rows for marker in row.markers]
    assert any(m.startswith("Emmen: 306") for m in markers)
    mean = area.view.classification.mean
    assert any(m.startswith("Gemiddelde van de wijken") for m in markers)
    assert mean == pytest.approx(sum(v for v in DENSITIES.values() if not math.isnan(v)) / 7)


def test_on_a_map_of_gemeenten_home_is_marked_with_its_rank_and_the_country_named():
    codes = ["GM0114", "GM0106", "GM1680"]
    values = {"GM0114": 12.0, "GM0106": 30.5, "GM1680": 7.25}
    marked = [Marked("GM0114", "Emmen", 12.0, True), Marked("NL01", "the Netherlands", 14.0, False)]
    area = area_map(codes, values, NAMES, CASES, "gm", "en", "week 6 2022", marked)
    summary = area.summary("Cases")
    assert "Emmen: 12.0 per 100,000 inhabitants per day, rank 2 of 3." in summary
    assert "The Netherlands as a whole: 14.0" in summary
    assert [r.label for r in area.references()] == ["Emmen", "The Netherlands"]


@pytest.mark.parametrize("home", ["GM0114", "GM0106"])
def test_one_reference_rule_for_every_level(home):
    assert reference_areas(POPULATION, "wk", None, home) == []
    assert reference_areas(DENSITY, "wk", None, home) == [home]
    assert reference_areas(DENSITY, "bu", "WK011401", home) == ["WK011401"]
    assert reference_areas(DENSITY, "gm", None, home) == [home, "NL01"]
    assert reference_areas(POPULATION, "gm", None, home) == [home]  # marked, not compared
    assert reference_areas(DENSITY, "gm", "PV22", home) == [home, "PV22"]


def test_counts_that_add_up_name_no_whole_in_legend_or_summary():
    area = area_map(
        WIJKEN, {c: 4000.0 + i for i, c in enumerate(WIJKEN)}, NAMES, POPULATION, "wk", "nl", "2021"
    )
    assert "als geheel" not in area.summary("Inwoners")
    assert [r.label for r in area.references()] == ["Gemiddelde van de wijken"]


def test_a_map_without_boundaries_still_ranks_and_tables_its_figures():
    area = area_map([], {"WK011401": 5.0, "WK011402": 7.0}, NAMES, DENSITY, "wk", "nl", "2021")
    assert [r.code for r in area.rows] == ["WK011402", "WK011401"]
    assert area.has_figures and area.codes == []


def test_the_sources_name_figures_and_boundaries():
    area = density_map()
    publishers = [source.publisher for source in map_sources(CATALOG, area, 2021)]
    assert len(publishers) == 2 and "PDOK" in " ".join(publishers)
    assert all(
        "kwb" in CATALOG.datasets[d].format for d in figure_datasets(CATALOG, DENSITY, "wk", 2021)
    )


# --- share URL restores the view (the state a page stores, its URL, read back) -----------


def query_of(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    "state",
    [
        NeighbourhoodMapState(),
        NeighbourhoodMapState("wk", "population_density", 2021),
        NeighbourhoodMapState("bu", "population", 2020),
    ],
)
def test_the_neighbourhood_share_url_restores_the_view(state, lang):
    content = neighbourhoods.NeighbourhoodMap(
        state,
        ["population", "population_density"],
        [2020, 2021],
        density_map(lang),
        MissingReport(state.level),
    )
    stored = neighbourhoods.state_data(content)
    assert urlsplit(stored["url"]).path == neighbourhoods.PATH
    assert parse_neighbourhood_map(query_of(stored["url"])) == state
    assert query_of(stored["url"]).get("lang", "nl") == lang
    assert parse_neighbourhood_map(query_of(stored["url_other_lang"])) == state


@pytest.mark.parametrize("zoom", ["NL01", "PV22"])
def test_the_municipality_map_share_url_restores_week_topic_and_zoom(zoom):
    weeks = [
        Week("2022-W05", pd.Timestamp("2022-02-06")),
        Week("2022-W06", pd.Timestamp("2022-02-13")),
    ]
    state = CoronaMapState("covid_deaths_per_100k_7d", "2022-W05", zoom)
    area = area_map(["GM0114"], {"GM0114": 1.0}, NAMES, CASES, "gm", "nl", "week 5")
    content = corona_map.CoronaMap(state, weeks, weeks[0], area, "GM0114", "PV22", "Drenthe")
    stored = corona_map.state_data(content)
    assert parse_corona_map(query_of(stored["url"])) == state
    assert stored["position"] == 0
    zoomed = corona_map.state_data_for_zoom(stored, "PV22")
    assert parse_corona_map(query_of(zoomed["url"])).zoom == "PV22"
    assert re.search(r"week=2022-W05", zoomed["url"])
