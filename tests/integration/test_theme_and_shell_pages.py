"""Home, status and theme pages built from a Reader, and the theme blocks' callbacks called as
Dash calls them: the headline figures, every shipped theme block drawn, the navigation and the
overview in the themes' order. For Emmen's and Assen's platform where the data allows.

Axe, English text and phone width of each of these pages are checked in the browser with every
page (tests/browser/test_accessibility.py, test_phone.py).
"""

from __future__ import annotations

import pytest

from callbacks import themes as theme_callbacks
from layouts.pages import home, status, themes
from layouts.shell import header
from layouts.themes.loader import current_themes
from tests.integration.conftest import HOMES
from tests.integration.pages import find, in_callback, kind, prop, text, walk

SHIPPED = ["corona", "bevolking", "huishoudens-wonen"]


def graphs(component) -> list:
    return [c for c in walk(component) if kind(c) == "Graph"]


def test_home_page_shows_the_headline_figures(home_reader):
    tiles = text(find(home.layout(home_reader, lang="nl"), "theme-start-0-tiles"))
    assert "Positief geteste mensen" in tiles and "Gearchiveerd" in tiles
    population = home_reader.series("population", (home_reader.home,)).dropna(subset=["value"])
    latest = int(population.sort_values("period")["value"].iloc[-1])
    assert f"{latest:,}".replace(",", ".") in tiles  # Dutch number format


def test_home_page_in_english(home_reader):
    tiles = text(find(home.layout(home_reader, lang="en"), "theme-start-0-tiles"))
    assert "Positive tests" in tiles and "Archived" in tiles
    assert "Positief" not in tiles and "Gearchiveerd" not in tiles


def test_status_page_lists_every_dataset(home_reader):
    words = text(status.layout(home_reader, lang="nl"))
    for dataset in home_reader.catalog.datasets.values():
        assert dataset.title.get("nl") in words, dataset.id
    assert "COVID-19 aantallen per gemeente" in words


def test_the_shipped_themes_are_the_three_of_the_issue_and_the_start_page(emmen_reader):
    assert [theme.id for theme in current_themes(emmen_reader).valid] == [*SHIPPED, "start"]


@pytest.mark.parametrize("theme_id", SHIPPED)
def test_a_shipped_theme_draws_every_block(home_reader, theme_id):
    theme = current_themes(home_reader).find(theme_id).theme
    page = themes.layout(home_reader, theme_id, lang="nl")
    assert text(next(c for c in walk(page) if kind(c) == "H1")) == theme.title.nl
    charts = sum(
        1 for _, _, block in theme.numbered_blocks() if block.type in ("trend", "map", "ranking")
    )
    if home_reader.home == "GM0114":
        assert len(graphs(page)) == charts
    else:  # the mirror has no wijk boundaries of Assen: those maps say so instead
        assert len(graphs(page)) <= charts
    failed = [prop(c, "id") for c in walk(page) if str(prop(c, "id") or "").endswith("-failed")]
    assert not failed, failed
    assert "Bron:" in text(page)
    if theme_id == "corona":
        assert HOMES[home_reader.home] in text(page)


def test_the_navigation_lists_the_themes_in_their_order(dash_app, emmen_reader):
    with dash_app.server.test_request_context("/"):
        labels = [
            text(c) for c in walk(header(emmen_reader, "/", "nl")) if kind(c) == "NavLink"
        ] or [text(c) for c in walk(header(emmen_reader, "/", "nl")) if kind(c) == "A"]
    positions = [labels.index(title) for title in ("Corona in de regio", "Bevolking")]
    assert positions == sorted(positions)
    assert labels.index("Huishoudens & wonen") > labels.index("Bevolking")


def theme_links(component) -> list[str]:
    return [text(c) for c in walk(find(component, "theme-list")) if kind(c) == "Link"]


def test_the_themes_overview_lists_every_theme_of_the_menu_in_order(emmen_reader):
    in_menu = [theme.title.nl for theme in current_themes(emmen_reader).valid if theme.nav]
    assert theme_links(themes.overview(emmen_reader)) == in_menu
    assert in_menu == ["Corona in de regio", "Bevolking", "Huishoudens & wonen"]


def test_an_unknown_theme_says_so_and_lists_the_themes(emmen_reader):
    page = themes.layout(emmen_reader, "bestaat-niet", lang="nl")
    assert "Er is geen thema 'bestaat-niet'" in text(page)
    assert theme_links(page) == theme_links(themes.overview(emmen_reader))


def test_choosing_a_year_on_a_theme_map_changes_its_summary_table_and_legend(
    dash_app, emmen_reader
):
    page = themes.layout(emmen_reader, "bevolking", lang="nl")
    summary_id = {"type": "theme-map-summary", "block": "bevolking-1"}
    assert prop(find(page, summary_id), "children").startswith("Inwoners per wijk, 2024.")
    radios = find(page, {"type": "theme-map-period", "block": "bevolking-1"})
    period = next(o["value"] for o in prop(radios, "options") if o["label"] == "2021")
    trigger = {"type": "theme-map-period", "block": "bevolking-1"}
    with in_callback(dash_app, emmen_reader, trigger):
        _patch, summary, table, legend = theme_callbacks.update_map(period, "")
    assert summary.startswith("Inwoners per wijk, 2021.")
    assert "Inwoners per wijk, 2021" in text(table)
    assert text(legend)


def test_choosing_a_period_on_a_theme_trend_redraws_it(dash_app, emmen_reader):
    trigger = {"type": "theme-trend-range", "block": "corona-1"}
    with in_callback(dash_app, emmen_reader, trigger):
        figure, summary = theme_callbacks.update_trend("1m", "")
    assert "tot en met 31 maart 2023" in summary
    assert figure.data and figure.layout.meta["table"]["caption"]
    with in_callback(dash_app, emmen_reader, trigger):
        unchanged = theme_callbacks.update_trend("10y", "")
    assert all(value is theme_callbacks.no_update for value in unchanged)
