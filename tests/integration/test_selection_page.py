"""The own area selection (/buurten/selectie) built from the refreshed store: combined figures
by the catalog's rules, next to the gemeente's own; the selection of all wijken reproduces the
gemeente's figures for the additive indicators; bad addresses give a message, never an error.
What needs a browser (axe) is in tests/browser/test_embeds_and_selection.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from callbacks import selection as sel_callbacks
from layouts.i18n import format_number
from layouts.pages import selection as sel
from layouts.views.selection import MAX_AREAS
from tests.integration.pages import find, in_callback, kind, prop, text, walk

# CBS rounds counts of persons per wijk and buurt to multiples of 5 and areas to whole
# hectares, each on its own: a sum of n parts lies within n × half the rounding unit of the
# gemeente's own (unrounded) figure.
ROUNDING_UNIT = {"population": 5, "men": 5, "women": 5}


def result_cells(page) -> dict[str, list[str]]:
    """Indicator title -> the texts of its row in the result table."""
    table = find(page, sel.RESULT_TABLE_ID)
    rows = {}
    for row in walk(table):
        if kind(row) != "Tr":
            continue
        cells = [text(c) for c in prop(row, "children")]
        if any(kind(c) == "Td" for c in prop(row, "children")):
            rows[cells[0]] = cells
    return rows


def test_all_wijken_together_reproduce_the_gemeentes_additive_figures(emmen_reader):
    wijken = tuple(sel.area_codes(emmen_reader, "wk"))
    rows = sel.selection_rows(emmen_reader, wijken, "wk")
    compared = []
    for row in rows:
        if not row.indicator.additive or row.municipality is None or row.municipality_from_parts:
            continue  # only the gemeente's own figures (CBS 2024) are a check
        unit = ROUNDING_UNIT.get(row.indicator.id, 1)
        combined = row.combined
        assert combined.status == "ok" and combined.complete, row.indicator.id
        assert abs(combined.value - row.municipality) <= len(wijken) * unit / 2, row.indicator.id
        compared.append(row.indicator.id)
    # the 2024 key figures (85984NED) have a gemeente row: every count of it is compared
    assert set(compared) >= {"population", "men", "women", "dwellings", "area_total", "area_land"}


def test_all_wijken_together_reproduce_the_gemeentes_population_density(emmen_reader):
    wijken = tuple(sel.area_codes(emmen_reader, "wk"))
    density = next(
        r
        for r in sel.selection_rows(emmen_reader, wijken, "wk")
        if r.indicator.id == "population_density"
    )
    assert density.municipality is not None
    assert round(density.combined.value) == pytest.approx(density.municipality, abs=1)


def _value(reader, indicator: str, code: str, year: int) -> float:
    frame = reader.snapshot(indicator, "wk", pd.Timestamp(f"{year}-01-01"))
    return float(frame.loc[frame["area"] == code, "value"].iloc[0])


def test_selection_page_shows_combined_figures_next_to_the_gemeente(emmen_reader):
    codes = ["WK011408", "WK011446"]  # Klazienaveen, Bargeres
    page = sel.layout(emmen_reader, gebieden=",".join(codes), lang="nl")
    heading = text(find(page, f"{sel.RESULT_ID}-title"))
    assert heading == "Samen cijfers van 2 wijken"
    cells = result_cells(page)
    population = sum(_value(emmen_reader, "population", c, 2024) for c in codes)
    home = _value_of_home(emmen_reader, "population", 2024)
    assert cells["Inwoners inwoners"][1:4] == [
        format_number(population, "nl", decimals=0),
        format_number(home, "nl", decimals=0),
        "opgeteld",
    ]
    # a share: weighted by the inhabitants of 2021, the year of the share
    shares = {c: _value(emmen_reader, "age_65_plus_pct", c, 2021) for c in codes}
    weights = {c: _value(emmen_reader, "population", c, 2021) for c in codes}
    expected = sum(shares[c] * weights[c] for c in codes) / sum(weights.values())
    row = cells["Inwoners van 65 jaar of ouder % van de inwoners"]
    assert row[1] == format_number(expected, "nl", decimals=0)
    assert row[3] == "gemiddelde, gewogen naar inwoners"
    assert cells["Stedelijkheid klasse (1 = zeer sterk stedelijk, 5 = niet stedelijk)"][1] == (
        "kan niet"
    )
    # 2021 has no gemeente row: all wijken combined, marked and explained
    households = sum(
        _value(emmen_reader, "households", c, 2021) for c in sel.area_codes(emmen_reader, "wk")
    )
    assert cells["Huishoudens huishoudens"][2] == format_number(households, "nl", decimals=0) + " *"
    assert "alle wijken samen" in text(find(page, sel.RESULT_ID))
    chosen = prop(find(page, sel.LIST_ID), "value")
    assert chosen == codes


def _value_of_home(reader, indicator: str, year: int) -> float:
    frame = reader.snapshot(indicator, "gm", pd.Timestamp(f"{year}-01-01"))
    return float(frame.loc[frame["area"] == reader.home, "value"].iloc[0])


def test_a_wijk_without_published_shares_is_named_not_guessed(emmen_reader):
    # WK011453 (industrial area, 35 inhabitants): CBS publishes no age shares for it
    page = sel.layout(emmen_reader, gebieden="WK011453,WK011402", lang="nl")
    row = result_cells(page)["Inwoners 0 tot 15 jaar % van de inwoners"]
    assert "zonder Wijk 53 Kern Emmen Industrieterreinen: geen cijfer" in row[1]


def test_the_disclosure_limits_never_hide_a_figure_cbs_published_for_one_wijk(emmen_reader):
    """The catalog's limits are CBS's: a wijk on its own gets its own published figure back."""
    checked = 0
    wijken = sel.area_codes(emmen_reader, "wk")
    smallest = sorted(wijken, key=lambda c: _value(emmen_reader, "population", c, 2021))[:4]
    for code in smallest:  # the ones nearest to the limits
        for row in sel.selection_rows(emmen_reader, (code,), "wk"):
            if row.indicator.disclosure_limit is None:
                continue
            own = _value(emmen_reader, row.indicator.id, code, row.year)
            if pd.notna(own):
                assert row.combined.status == "ok", (code, row.indicator.id)
                checked += 1
    assert checked >= 4 * 8


def test_unknown_codes_other_levels_and_too_many_areas_give_messages(emmen_reader):
    page = sel.layout(emmen_reader, gebieden="WK011401,XX<script>,BU01140100,wk011402", lang="nl")
    notice = text(find(page, sel.NOTICE_ID))
    assert "XX<SCRIPT>" in notice and "BU01140100" in notice
    assert text(find(page, f"{sel.RESULT_ID}-title")) == "Samen cijfers van 2 wijken"
    many = ",".join(
        [*sel.area_codes(emmen_reader, "bu")] * 2 + [f"BU0114{i:04d}" for i in range(200)]
    )
    page = sel.layout(emmen_reader, gebieden=many, lang="nl")
    assert len(prop(find(page, sel.LIST_ID), "value")) <= MAX_AREAS
    page = sel.layout(emmen_reader, gebieden=["WK011401", "WK011402"], niveau="zz", lang="nl")
    assert "2 wijken" in text(find(page, f"{sel.RESULT_ID}-title"))


def test_the_selection_page_answers_any_address_without_an_error(client):
    for query in ("", "?gebieden=", "?gebieden=%00%ff", "?gebieden=" + "WK011401," * 500):
        assert client.get(f"/buurten/selectie{query}").status_code == 200


def test_a_map_click_adds_and_removes_an_area_and_the_link_follows(dash_app, emmen_reader):
    click = {"points": [{"location": "WK011440"}]}
    with in_callback(dash_app, emmen_reader, sel.MAP_IDS.graph, "clickData"):
        assert sel_callbacks.toggle_clicked_area(click, ["WK011401"]) == ["WK011401", "WK011440"]
        assert sel_callbacks.toggle_clicked_area(click, ["WK011440"]) == []
    stored = {"level": "wk", "lang": "en"}
    with in_callback(dash_app, emmen_reader, sel.LIST_ID):
        link, count, _patch = sel_callbacks.follow_choice(["WK011401", "NOPE", "WK011440"], stored)
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path.endswith(sel.PATH)
    assert query == {"gebieden": ["WK011401,WK011440"], "lang": ["en"]}
    assert count.startswith("2 chosen")


def test_the_search_box_narrows_the_list_and_keeps_chosen_areas(dash_app, emmen_reader):
    stored = {"level": "wk", "lang": "nl"}
    with in_callback(dash_app, emmen_reader, sel.FILTER_ID):
        options = sel_callbacks.filter_areas("barge", ["WK011440"], stored)
    values = [o["value"] for o in options]
    assert "WK011440" in values and "WK011446" in values  # chosen, and Bargeres
    assert "WK011408" not in values
