"""The map pages built from a Reader and driven through their callbacks: the municipality map
(/corona/kaart), the neighbourhood map (/buurten) and the area profile (/buurten/<code>).
Map, legend, summary and tables come from one view, so they agree; a shared address restores
the view. The municipality map is checked for Emmen's and Assen's platform; the mirror has
wijk and buurt boundaries for Emmen only, so the neighbourhood checks read Emmen's.

What needs a browser (real clicks on the map, keyboard, axe) stays in tests/browser/test_maps.py.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from callbacks import maps as map_callbacks
from callbacks import neighbourhoods as nbh_callbacks
from layouts.map_state import CoronaMapState, parse_corona_map
from layouts.pages import area_profile, corona_map, neighbourhoods
from tests.integration.conftest import HOMES
from tests.integration.pages import find, in_callback, kind, prop, text, walk

WIJKEN, BUURTEN = 27, 83
OTHER = {"GM0114": "GM0106", "GM0106": "GM0114"}


def trace_of(figure) -> dict:
    """The map's trace as a dict, whether the page holds a figure object or a sent dict."""
    plain = figure if isinstance(figure, dict) else figure.to_plotly_json()
    return dict(plain["data"][0])


def table_rows(component, table_id=None) -> list[list[str]]:
    """The body rows (rows with data cells) of the table in `component` (or the one with
    `table_id`), as cell texts; also for a table built from markup."""
    where = find(component, table_id) if table_id is not None else component
    rows = [row for row in walk(where) if kind(row) == "Tr"]
    return [
        [text(cell) for cell in prop(row, "children")]
        for row in rows
        if any(kind(cell) == "Td" for cell in prop(row, "children"))
    ]


# Neighbourhood map -------------------------------------------------------------------------


def test_neighbourhood_map_draws_every_wijk_with_legend_and_summary(emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="nl")
    trace = trace_of(prop(find(page, neighbourhoods.IDS.graph), "figure"))
    assert len(trace["locations"]) == WIJKEN
    assert all(code.startswith("WK0114") for code in trace["locations"])
    legend = text(find(page, neighbourhoods.LEGEND_ID))
    assert "wijken)" in legend and "kwantielen" in legend
    assert "Gemiddelde van de wijken" in legend
    summary = text(find(page, neighbourhoods.IDS.summary))
    assert "Wijk 08 Klazienaveen" in summary and "11.935 inwoners" in summary


def test_the_tables_have_the_same_numbers_as_the_map(emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="nl", indicator="household_size")
    trace = trace_of(prop(find(page, neighbourhoods.IDS.graph), "figure"))
    on_map = {name: data[0] for name, data in zip(trace["text"], trace["customdata"], strict=True)}
    sortable = {row[1]: row[2] for row in table_rows(page, neighbourhoods.SORTED_TABLE_ID)}
    assert sortable == on_map
    assert len(sortable) == WIJKEN
    assert re.fullmatch(r"\d,\d", sortable["Wijk 08 Klazienaveen"])
    alternative = {row[1]: row[2] for row in table_rows(find(page, neighbourhoods.IDS.table))}
    assert alternative == on_map


def test_switching_indicator_changes_colours_legend_title_and_address(dash_app, emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="nl")
    stored = prop(find(page, neighbourhoods.STATE_ID), "data")
    before = trace_of(prop(find(page, neighbourhoods.IDS.graph), "figure"))
    before_legend = text(find(page, neighbourhoods.LEGEND_ID))
    with in_callback(dash_app, emmen_reader, neighbourhoods.INDICATOR_ID):
        out = nbh_callbacks.update_neighbourhood_map("wk", "age_65_plus_pct", None, stored)
    patch, legend, _summary, title, *_rest, state = out
    z = patch.to_plotly_json()["operations"]
    patched = {
        tuple(op["location"]): op["params"]["value"] for op in z if op["operation"] == "Assign"
    }
    assert patched[("data", 0, "z")] != before["z"]
    assert "% van de inwoners" in text(legend) and "gelijke intervallen" in text(legend)
    assert text(legend) != before_legend
    assert "Inwoners van 65 jaar of ouder per wijk, 2021" in title
    assert parse_qs(urlsplit(state["url"]).query)["indicator"] == ["age_65_plus_pct"]


def test_the_shared_address_restores_indicator_and_year(emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="nl", indicator="population", year="2021")
    assert "Inwoners per wijk, 2021" in text(find(page, neighbourhoods.IDS.title))
    assert "Klazienaveen" in text(find(page, neighbourhoods.IDS.summary))
    assert prop(find(page, neighbourhoods.YEAR_ID), "value") == 2021
    state = prop(find(page, neighbourhoods.STATE_ID), "data")
    assert parse_qs(urlsplit(state["url"]).query) == {"year": ["2021"]}


def test_sorting_the_table_by_name_and_back(dash_app, emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="nl")
    stored = prop(find(page, neighbourhoods.STATE_ID), "data")
    button = {"type": neighbourhoods.SORT_TYPE, "column": "name"}
    sort = prop(find(page, neighbourhoods.SORT_STORE_ID), "data")
    with in_callback(dash_app, emmen_reader, button, "n_clicks"):
        box, sort = nbh_callbacks.sort_table([None, 1, None], sort, stored)
    names = [row[1] for row in table_rows(box, neighbourhoods.SORTED_TABLE_ID)]
    assert names == sorted(names, key=str.casefold) and len(names) == WIJKEN
    header = next(c for c in walk(box) if prop(c, "aria-sort") == "ascending")
    assert "Wijk" in text(header)
    with in_callback(dash_app, emmen_reader, button, "n_clicks"):
        box, sort = nbh_callbacks.sort_table([None, 2, None], sort, stored)
    names = [row[1] for row in table_rows(box, neighbourhoods.SORTED_TABLE_ID)]
    assert names == sorted(names, key=str.casefold, reverse=True)


def test_buurt_level_shows_boundaries_and_says_there_are_no_figures(emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="nl", level="bu")
    assert (
        len(trace_of(prop(find(page, neighbourhoods.IDS.graph), "figure"))["locations"]) == BUURTEN
    )
    notes = text(find(page, neighbourhoods.NOTES_ID))
    assert "geen cijfers uit deze bron" in notes and "schematisch" in notes
    assert f"Geen gegevens of geheim ({BUURTEN} buurten)" in text(
        find(page, neighbourhoods.LEGEND_ID)
    )


def test_switching_level_to_buurten_and_back_sends_their_geometry(dash_app, emmen_reader):
    stored = prop(
        find(neighbourhoods.layout(emmen_reader, lang="nl"), neighbourhoods.STATE_ID), "data"
    )
    with in_callback(dash_app, emmen_reader, neighbourhoods.LEVEL_ID):
        out = nbh_callbacks.update_neighbourhood_map("bu", stored["indicator"], None, stored)
    figure, state = out[0], out[-1]
    assert len(trace_of(figure)["locations"]) == BUURTEN
    assert parse_qs(urlsplit(state["url"]).query)["level"] == ["bu"]
    with in_callback(dash_app, emmen_reader, neighbourhoods.LEVEL_ID):
        out = nbh_callbacks.update_neighbourhood_map("wk", state["indicator"], None, state)
    assert len(trace_of(out[0])["locations"]) == WIJKEN
    assert "level" not in parse_qs(urlsplit(out[-1]["url"]).query)


def test_the_search_box_finds_a_wijk_ignoring_case(dash_app, emmen_reader):
    stored = prop(
        find(neighbourhoods.layout(emmen_reader, lang="nl"), neighbourhoods.STATE_ID), "data"
    )
    with in_callback(dash_app, emmen_reader, neighbourhoods.SEARCH_ID):
        href, words, style = nbh_callbacks.choose_area("wijk 08 klazienaveen", stored)
    assert href == "/buurten/WK011408"
    assert "Klazienaveen" in text(words) and style.get("display") != "none"


def test_neighbourhood_map_in_english(emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="en")
    words = text(page)
    assert "Districts" in words and "Inhabitants per district, 2024" in words
    for dutch in ("Wijken en buurten", "Legenda", "Kies een", "Vergelijk", "Toon tabel"):
        assert dutch not in words


# Area profile ------------------------------------------------------------------------------


def test_area_profile_compares_the_wijk_with_its_municipality(emmen_reader):
    page = area_profile.layout(emmen_reader, "WK011408", lang="nl")
    assert text(next(c for c in walk(page) if kind(c) == "H1")) == "Wijk 08 Klazienaveen"
    table = text(find(page, "area-profile-indicators"))
    assert "11.935" in table and "109.346" in table  # the wijk and Emmen
    words = text(page)
    assert "Buurten in deze wijk" in words and "Klazienaveen-Noord" in words
    assert len(trace_of(prop(find(page, "area-locator-graph"), "figure"))["locations"]) == WIJKEN


def test_buurt_profile_names_its_wijk_and_has_no_figures(emmen_reader):
    words = text(area_profile.layout(emmen_reader, "BU01140100", lang="nl"))
    assert "Wijk 01 Nieuw-Weerdinge" in words
    assert "geen cijfers uit deze bron" in words


@pytest.mark.parametrize("code", ["WK999999", "GM0114", "<script>"])
def test_an_unknown_area_says_so(emmen_reader, code):
    assert "Gebied niet gevonden" in text(area_profile.layout(emmen_reader, code, lang="nl"))


# Municipality map --------------------------------------------------------------------------


def test_municipality_map_shows_every_municipality_and_marks_home(home_reader):
    page = corona_map.layout(home_reader, lang="nl")
    trace = trace_of(prop(find(page, corona_map.IDS.graph), "figure"))
    assert len(trace["locations"]) == 342
    legend = text(find(page, corona_map.LEGEND_ID))
    assert "Vaste klassengrenzen" in legend and f"{HOMES[home_reader.home]}:" in legend
    assert "minder dan 5 " in legend and "200 of meer" in legend


def test_the_table_holds_the_numbers_of_the_map(home_reader):
    page = corona_map.layout(home_reader, lang="nl", week="2021-W10")
    trace = trace_of(prop(find(page, corona_map.IDS.graph), "figure"))
    on_map = {
        name: list(data) for name, data in zip(trace["text"], trace["customdata"], strict=True)
    }
    rows = table_rows(page, corona_map.TABLE_HTML_ID)
    assert {row[0]: row[1:] for row in rows} == on_map
    assert [row[0] for row in rows] == sorted(on_map, key=str.casefold)


def test_the_week_slider_moves_values_text_and_address(dash_app, home_reader):
    page = corona_map.layout(home_reader, lang="nl", week="2021-W10")
    stored = prop(find(page, corona_map.STATE_ID), "data")
    assert "week 10 van 2021" in text(find(page, corona_map.WEEK_TEXT_ID))
    before = trace_of(prop(find(page, corona_map.IDS.graph), "figure"))["customdata"]
    with in_callback(dash_app, home_reader, corona_map.WEEK_ID):
        out = map_callbacks.update_corona_map(
            stored["indicator"], stored["position"] + 1, stored["zoom"], None, None, stored
        )
    patch, week_text, state = out[0], out[4], out[-1]
    operations = patch.to_plotly_json()["operations"]
    customdata = next(
        op["params"]["value"] for op in operations if op["location"] == ["data", 0, "customdata"]
    )
    assert customdata != before
    assert "week 11 van 2021" in week_text
    assert parse_qs(urlsplit(state["url"]).query)["week"] == ["2021-W11"]
    # the page opened at that address shows what the patch holds
    again = corona_map.layout(home_reader, lang="nl", **parse_qs(urlsplit(state["url"]).query))
    assert trace_of(prop(find(again, corona_map.IDS.graph), "figure"))["customdata"] == customdata


def test_switching_topic_and_zoom_to_the_home_province(dash_app, home_reader):
    page = corona_map.layout(home_reader, lang="nl", week="2021-W10")
    stored = prop(find(page, corona_map.STATE_ID), "data")
    topic = "covid_hospital_admissions_per_100k_7d"
    with in_callback(dash_app, home_reader, corona_map.INDICATOR_ID):
        out = map_callbacks.update_corona_map(topic, None, stored["zoom"], None, None, stored)
    assert "Ziekenhuisopnames" in out[3]
    stored = out[-1]
    with in_callback(dash_app, home_reader, corona_map.ZOOM_ID):
        out = map_callbacks.update_corona_map(topic, None, "PV22", None, None, stored)
    assert "zoom=PV22" in out[-1]["url"] and f"indicator={topic}" in out[-1]["url"]
    geo = {
        tuple(op["location"]): op
        for op in out[0].to_plotly_json()["operations"]
        if op["location"][:2] == ["layout", "geo"]
    }
    assert geo, "the zoom patch changes the map's view"
    shown = corona_map.zoom_bounds(home_reader, "PV22")
    assert shown is not None and shown != corona_map.zoom_bounds(home_reader, "NL01")


def test_the_search_box_links_another_municipality(dash_app, home_reader):
    other = OTHER[home_reader.home]
    stored = prop(find(corona_map.layout(home_reader, lang="en"), corona_map.STATE_ID), "data")
    with in_callback(dash_app, home_reader, corona_map.SEARCH_ID):
        href, words = map_callbacks.choose_municipality(f"  {HOMES[other].lower()} ", stored)
    assert href == f"/corona/{other}?lang=en"
    assert HOMES[other] in words
    with in_callback(dash_app, home_reader, corona_map.IDS.graph, "clickData"):
        clicked = map_callbacks.open_clicked_municipality(
            {"points": [{"location": home_reader.home}]}, stored
        )
    assert clicked == "/corona?lang=en"  # the home municipality's page has no code


def test_the_municipality_map_state_round_trips_through_the_address():
    state = CoronaMapState("covid_hospital_admissions_per_100k_7d", "2021-W11", "PV22")
    url = corona_map.PATH + corona_map.corona_map_query(state, "nl")
    assert parse_corona_map(parse_qs(urlsplit(url).query)) == state
