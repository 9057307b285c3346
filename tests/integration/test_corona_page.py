"""The corona page of a municipality, built from a Reader and driven through its callbacks as
Dash calls them: the figures the store holds, the tiles and sentences around them, the view in
the address, the search box and the comparison. For Emmen's and Assen's platform alike.

What only a browser shows (the table written from the chart, the period slider with keys,
axe, phone width) stays in tests/browser/test_corona.py.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from dash import no_update

from callbacks import corona as corona_callbacks
from layouts.corona_state import CoronaState, parse_state
from layouts.datalist import datalist_values
from layouts.i18n import format_number
from layouts.pages import corona
from tests.integration.conftest import HOMES
from tests.integration.pages import chosen, find, in_callback, text

PEAK = "2022-02-10"  # the peak of the omicron wave
LAST = "2023-03-31"  # RIVM's last day of municipal figures
OTHER = {"GM0114": "GM0106", "GM0106": "GM0114"}  # a municipality that is not home


def days(trace) -> list[str]:
    """The days of a trace, whether sent as x values or as a first day and a step."""
    if trace.x is not None:
        return [str(x)[:10] for x in trace.x]
    first = dt.date.fromisoformat(str(trace.x0)[:10])
    step = dt.timedelta(milliseconds=trace.dx)
    return [(first + i * step).isoformat() for i in range(len(trace.y))]


def value_on(trace, day: str):
    return dict(zip(days(trace), trace.y, strict=True)).get(day)


def stored_value(reader, indicator: str, area: str, day: str) -> float:
    frame = reader.series(indicator, (area,))
    [value] = frame.loc[frame["period"] == pd.Timestamp(day), "value"].tolist()
    return value


def rendered(area: str, lang: str = "nl") -> dict:
    return {"area": area, "lang": lang}


def test_the_charts_show_the_values_of_the_store(home_reader):
    home = home_reader.home
    parts = corona.trend_parts(home_reader, "cases", home, CoronaState())
    bars, average = parts.figure.data
    assert average.name == "Gemiddelde over 7 dagen"
    assert value_on(bars, PEAK) == stored_value(home_reader, "covid_cases", home, PEAK)
    expected = stored_value(home_reader, "covid_cases_7d", home, PEAK)
    assert value_on(average, PEAK) == pytest.approx(round(expected, 1))
    assert days(average)[-1] == LAST
    # the table alternative is written from the figure: it knows the columns' decimals
    assert parts.figure.layout.meta["table"]["decimals"] == [0, 1]


def test_tiles_and_summary_give_the_latest_week_in_words(home_reader):
    name = HOMES[home_reader.home]
    page = corona.layout(home_reader, None, lang="nl")
    latest = stored_value(home_reader, "covid_cases_7d", home_reader.home, LAST)
    tile = text(find(page, "corona-tile-cases"))
    assert format_number(latest, "nl", 1) in tile
    assert "31 maart 2023" in tile and "Gearchiveerd" in tile
    summary = text(find(page, "corona-cases-summary"))
    assert summary.startswith(f"In de week tot en met 31 maart 2023 kregen in {name} gemiddeld")
    assert format_number(latest, "nl", 1) in summary
    for block in ("cases", "hospital", "deaths", "sewage", "compare", "vaccination"):
        meta = text(find(page, f"corona-{block}-meta"))
        assert "Bron: RIVM" in meta and "Download" in meta and "CSV" in meta, (block, meta)
        assert find(page, f"corona-{block}-graph").figure.data, f"{block}: no traces"


def test_the_page_is_complete_in_english(home_reader):
    page = corona.layout(home_reader, None, lang="en")
    words = text(page)
    for dutch in ("Toon tabel", "Gearchiveerd", "Positief geteste", "per dag", "Bron:"):
        assert dutch not in words, f"Dutch text {dutch!r} on the English page"
    assert "Positive tests" in words and "Show table" in words and "Archived" in words
    summary = text(find(page, "corona-cases-summary"))
    assert summary.startswith("In the week to 31 March 2023, an average of")


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("emmen", "Corona in Emmen"),
        ("Aa en Hunze", "Corona in Aa en Hunze"),
        ("Aa%20en%20Hunze", "Corona in Aa en Hunze"),
        ("sudwest-fryslan", "Corona in Súdwest-Fryslân"),
        ("gm0106", "Corona in Assen"),
    ],
)
def test_a_municipality_can_be_named_in_the_address(home_reader, address, heading):
    page = corona.layout(home_reader, address, lang="nl")
    assert find(page, "corona-heading").children == heading


def test_an_unknown_municipality_offers_the_search_box(home_reader):
    page = corona.layout(home_reader, "atlantis", lang="nl")
    assert page.children[0].children == "Gemeente niet gevonden"
    assert "atlantis" in text(page)
    find(page, corona.SEARCH_INPUT)


def test_the_search_list_names_every_municipality_with_figures(home_reader):
    page = corona.layout(home_reader, None, lang="nl")
    names = datalist_values(find(page, corona.NAMES_LIST))
    assert len(names) == 342
    assert {"Assen", "Emmen", "Súdwest-Fryslân"} <= set(names)


@pytest.mark.parametrize("typed", ["{name}", "{name_lower}", "  {name_upper} "])
def test_the_search_box_opens_another_municipality_keeping_the_view(dash_app, home_reader, typed):
    home, other = home_reader.home, OTHER[home_reader.home]
    name = HOMES[other]
    typed = typed.format(name=name, name_lower=name.lower(), name_upper=name.upper())
    with in_callback(dash_app, home_reader, corona.SEARCH_INPUT, "n_submit"):
        href, message = corona_callbacks.open_municipality(
            None, 1, typed, "?view=per100k&lang=en", rendered(home, "en")
        )
    assert (href, message) == (f"/corona/{other}?view=per100k&lang=en", "")
    # ... and that address shows the other municipality in the same view
    page = corona.layout(home_reader, other, **parse_qs(urlsplit(href).query))
    assert chosen(page, corona.VIEW_INPUT) == "per100k"
    _bars, average = find(page, "corona-cases-graph").figure.data
    expected = stored_value(home_reader, "covid_cases_per_100k_7d", other, PEAK)
    assert value_on(average, PEAK) == pytest.approx(round(expected, 1))
    assert name in text(find(page, "corona-cases-summary"))


def test_the_search_box_leads_home_to_the_page_without_a_code(dash_app, home_reader):
    name = HOMES[home_reader.home]
    with in_callback(dash_app, home_reader, corona.SEARCH_BUTTON, "n_clicks"):
        href, _ = corona_callbacks.open_municipality(
            1, None, name, "", rendered(OTHER[home_reader.home])
        )
    assert href == "/corona"


@pytest.mark.parametrize("typed", ["Atlantis", "   "])
def test_an_unknown_name_in_the_search_box_is_answered_in_words(dash_app, home_reader, typed):
    with in_callback(dash_app, home_reader, corona.SEARCH_BUTTON, "n_clicks"):
        href, message = corona_callbacks.open_municipality(
            1, None, typed, "", rendered(home_reader.home)
        )
    assert href is no_update  # the page stays where it is
    assert "niet gevonden" in message.casefold() or "geen gemeente" in message.casefold(), message
    assert typed.strip() in message


def test_the_share_url_reopens_the_same_view(dash_app, home_reader):
    home, other = home_reader.home, OTHER[home_reader.home]
    query = {"view": "per100k", "period": "3m", "compare": other, "metric": "hospital"}
    page = corona.layout(home_reader, home, lang="nl", **query)
    assert chosen(page, corona.VIEW_INPUT) == "per100k"
    assert chosen(page, corona.PERIOD_INPUT) == "3m"
    assert chosen(page, corona.COMPARE_METRIC_INPUT) == "hospital"
    assert HOMES[other] in text(find(page, corona.COMPARE_CHOSEN))
    title = text(find(page, "corona-cases-title"))
    assert title == "Positief geteste mensen per 100.000 inwoners"
    _bars, average = find(page, "corona-cases-graph").figure.data
    assert (days(average)[0], days(average)[-1]) == ("2023-01-01", LAST)
    names = [trace.name for trace in find(page, "corona-compare-graph").figure.data]
    assert names == [HOMES[home], "Drenthe", "Nederland", HOMES[other]]
    assert text(find(page, "corona-compare-title")).startswith("Ziekenhuisopnames")
    # Changing a control writes the new view into the address, keeping the rest ...
    with in_callback(dash_app, home_reader, corona.PERIOD_INPUT):
        search = corona_callbacks.write_url(
            "per100k", "1y", None, "hospital", [other], rendered(home)
        )
    assert parse_qs(search[1:]) == {
        "view": ["per100k"],
        "period": ["1y"],
        "metric": ["hospital"],
        "compare": [other],
    }
    # ... and that address opens the same view again.
    page = corona.layout(home_reader, home, lang="nl", **parse_qs(search[1:]))
    assert chosen(page, corona.PERIOD_INPUT) == "1y"
    _bars, average = find(page, "corona-cases-graph").figure.data
    assert days(average)[0] == "2022-04-01"


def test_changing_the_view_redraws_every_trend_in_it(dash_app, home_reader):
    home = home_reader.home
    with in_callback(dash_app, home_reader, corona.VIEW_INPUT):
        values = corona_callbacks.update_trends("per100k", "1m", None, rendered(home))
    titles = values[0 : 3 * 4 : 4]
    assert titles[0] == "Positief geteste mensen per 100.000 inwoners"
    assert all("100.000" in title for title in titles), titles
    cases_figure = values[1]
    assert days(cases_figure.data[1])[0] == "2023-03-01"  # one month back from 31 March
    expected = stored_value(home_reader, "covid_cases_per_100k_7d", home, LAST)
    assert value_on(cases_figure.data[1], LAST) == pytest.approx(round(expected, 1))


def test_added_municipalities_join_the_comparison_and_can_be_removed(dash_app, home_reader):
    home = home_reader.home
    chosen_codes: list[str] = []
    for name in ("Coevorden", "aa en hunze"):
        with in_callback(dash_app, home_reader, corona.COMPARE_BUTTON, "n_clicks"):
            chosen_codes, items, field, message = corona_callbacks.edit_comparison(
                1, None, [], name, chosen_codes, rendered(home)
            )
        assert field == ""  # the field is emptied for the next name
        assert "toegevoegd" in message.casefold(), message
    assert chosen_codes == ["GM0109", "GM1680"]
    assert text(items).count("Verwijder") == 2
    state = parse_state({"compare": ",".join(chosen_codes), "period": "1m"})
    parts = corona.comparison_parts(home_reader, home, state)
    names = [trace.name for trace in parts.figure.data]
    assert names == [HOMES[home], "Drenthe", "Nederland", "Coevorden", "Aa en Hunze"]
    assert "Coevorden" in parts.summary and "Aa en Hunze" in parts.summary
    remove = {"type": corona.COMPARE_REMOVE, "code": "GM0109"}
    with in_callback(dash_app, home_reader, remove, "n_clicks"):
        left, items, _, _ = corona_callbacks.edit_comparison(
            None, None, [1, None], "", chosen_codes, rendered(home)
        )
    assert left == ["GM1680"]
    assert "Coevorden" not in text(items)
    with in_callback(dash_app, home_reader, corona.COMPARE_STORE, "data"):
        search = corona_callbacks.write_url(None, "1m", None, "cases", left, rendered(home))
    assert parse_qs(search[1:])["compare"] == ["GM1680"]


def test_the_home_municipality_and_unknown_names_are_not_added(dash_app, home_reader):
    home = home_reader.home
    for typed, words in ((HOMES[home], "staat al"), ("Atlantis", "Atlantis")):
        with in_callback(dash_app, home_reader, corona.COMPARE_BUTTON, "n_clicks"):
            codes, _, _, message = corona_callbacks.edit_comparison(
                1, None, [], typed, [], rendered(home)
            )
        assert codes is no_update
        assert words in message, message
