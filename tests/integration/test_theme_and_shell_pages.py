"""Home, status and theme pages built from a Reader, and the theme blocks' callbacks called as
Dash calls them: the headline figures, every shipped theme block drawn, the navigation and the
overview in the themes' order. For Emmen's and Assen's platform where the data allows.

Axe, English text and phone width of each of these pages are checked in the browser with every
page (tests/browser/test_accessibility.py, test_phone.py).
"""

from __future__ import annotations

import shutil

import dash
import pytest

from callbacks import themes as theme_callbacks
from layouts.pages import help, home, status, themes
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


def test_the_english_help_page_writes_its_example_chart_in_english(home_reader):
    """The chart's own text (trace names in its legend and table, the summary, the table
    toggle) comes from the server in the page's language; the browser only draws it."""
    page = help.layout(home_reader, lang="en")
    (graph,) = graphs(page)
    figure = prop(graph, "figure")
    data = figure["data"] if isinstance(figure, dict) else figure.to_plotly_json()["data"]
    names = {trace.get("name") for trace in data}
    assert {"7-day average", "Per day"} <= names
    words = text(page)
    assert "Show table" in words and "Toon tabel" not in words
    assert "Latest value" in text(find(page, "help-example-summary"))


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
        figure, summary = theme_callbacks.update_trend("1m", "absolute", "")
    assert "tot en met 31 maart 2023" in summary
    assert figure.data and figure.layout.meta["table"]["caption"]
    with in_callback(dash_app, emmen_reader, trigger):
        unchanged = theme_callbacks.update_trend("10y", "absolute", "")
    assert all(value is theme_callbacks.no_update for value in unchanged)


# --- a themes folder that changes while the app runs (the registered, memoized layouts) ------

NEW_THEME = """schema_version: 3
id: wonen-nieuw
title: {nl: Wonen nieuw, en: Housing new}
order: 25
blocks:
  - type: map
    indicator: dwellings
    level: wijk
  - type: text
    body: {nl: "Toegevoegd zonder herstart.", en: "Added without a restart."}
"""


@pytest.fixture()
def own_themes(refreshed_settings, tmp_path):
    """A Reader of the refreshed store with a themes folder of its own: bevolking, and a
    broken 'wonen' (an unknown indicator on line 12)."""
    from dataclasses import replace

    from app.main import build_runtime
    from tests.conftest import FIXTURES, REPO_ROOT

    folder = tmp_path / "themes"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "layouts" / "themes" / "bevolking.yaml", folder)
    shutil.copy(FIXTURES / "themes" / "broken" / "unknown_indicator.yaml", folder / "wonen.yaml")
    return folder, build_runtime(replace(refreshed_settings, themes_dir=folder)).reader()


def served_theme(dash_app, reader, theme_id: str):
    """The theme page as the registered (memoized) layout serves it, and the header's links."""
    page = dash.page_registry["theme_page"]
    with in_callback(dash_app, reader):
        layout = page["layout"](theme_id=theme_id)
        nav = [
            text(link)
            for link in walk(header(reader, f"/thema/{theme_id}", "nl"))
            if kind(link) == "A" and "nav-link" in (prop(link, "className") or "")
        ]
    return layout, nav


def heading(page) -> str:
    return next(text(c) for c in walk(page) if kind(c) == "H1")


def test_a_theme_file_added_while_running_gets_its_page_and_menu_entry(dash_app, own_themes):
    folder, reader = own_themes
    _page, nav = served_theme(dash_app, reader, "bevolking")
    assert "Wonen nieuw" not in nav
    (folder / "wonen-nieuw.yaml").write_text(NEW_THEME, encoding="utf-8")
    page, nav = served_theme(dash_app, reader, "wonen-nieuw")
    assert heading(page) == "Wonen nieuw"
    assert "Toegevoegd zonder herstart." in text(page)
    assert len(graphs(page)) == 1
    assert nav.index("Bevolking") < nav.index("Wonen nieuw")  # order 20, then 25


def test_a_broken_theme_shows_its_problems_until_it_is_fixed(dash_app, own_themes):
    folder, reader = own_themes
    page, nav = served_theme(dash_app, reader, "wonen")
    assert heading(page) == "Dit thema kan niet worden getoond"
    problems = text(find(page, "theme-problems"))
    assert "wonen.yaml:12 blocks[2].indicator: unknown indicator 'woz_waarde'" in problems
    assert "python -m app themes check wonen.yaml" in text(page)
    assert "Wonen" not in nav and "Bevolking" in nav
    path = folder / "wonen.yaml"
    path.write_text(path.read_text().replace("woz_waarde", "dwellings"), encoding="utf-8")
    page, nav = served_theme(dash_app, reader, "wonen")
    assert heading(page) == "Wonen"
    assert "Wonen" in nav


# --- block options a hand-written page needed: area from the address, opening an area -------

FOLLOWING_THEME = """schema_version: 3
id: elke-gemeente
title: {nl: Elke gemeente, en: Every municipality}
blocks:
  - type: tiles
    indicators: [population]
    area_from_url: true
  - type: trend
    indicator: covid_cases_per_100k_7d
    areas: [home, NL01]
    range: 1m
    area_from_url: true
  - type: map
    indicator: population_density
    level: gemeente
    within: home_province
    open_area: true
  - type: trend
    indicator: covid_cases
    per_100k_toggle: true
"""


def reader_with_theme(settings, folder, name: str, text: str):
    """A Reader whose themes folder (`folder`, made here) holds the one theme file `name`."""
    from dataclasses import replace

    from app.main import build_runtime

    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return build_runtime(replace(settings, themes_dir=folder)).reader()


@pytest.fixture()
def following_theme(refreshed_settings, tmp_path):
    return reader_with_theme(
        refreshed_settings, tmp_path / "themes", "elke-gemeente.yaml", FOLLOWING_THEME
    )


def test_blocks_that_follow_the_address_show_the_area_it_names(dash_app, following_theme):
    reader = following_theme
    plain = themes.layout(reader, theme_id="elke-gemeente", lang="nl")
    named = themes.layout(reader, theme_id="elke-gemeente", lang="nl", gebied="assen")
    assert "Emmen" in text(find(plain, "theme-elke-gemeente-0-title"))
    tiles_title = text(find(named, "theme-elke-gemeente-0-title"))
    assert "Assen" in tiles_title and "Emmen" not in tiles_title
    summary = text(find(named, {"type": "theme-trend-summary", "block": "elke-gemeente-1"}))
    assert "in Assen" in summary
    trace_names = {t.name for t in prop(graphs(named)[0], "figure").data}
    assert "Assen" in trace_names and "Nederland" in trace_names
    # The period switch keeps the area of the address (the callback reads the same search).
    trigger = {"type": "theme-trend-range", "block": "elke-gemeente-1"}
    with in_callback(dash_app, reader, trigger):
        _figure, redrawn = theme_callbacks.update_trend("3m", "absolute", "?gebied=GM0106")
    assert "in Assen" in redrawn


def test_a_map_block_that_opens_areas_links_its_table_and_its_clicks(dash_app, following_theme):
    reader = following_theme
    page = themes.layout(reader, theme_id="elke-gemeente", lang="en")
    tables = [c for c in walk(page) if prop(c, "id") == "theme-elke-gemeente-2-table"]
    links = {text(a): prop(a, "href") for a in walk(tables) if kind(a) == "A"}
    assert links["Assen"] == "/corona/GM0106?lang=en"
    assert links["Emmen"] == "/corona?lang=en"  # the home municipality's page
    trigger = {"type": "theme-map-graph", "block": "elke-gemeente-2"}
    with in_callback(dash_app, reader, trigger, "clickData"):
        opened = theme_callbacks.open_clicked_area({"points": [{"location": "GM0106"}]}, "?lang=en")
        ignored = theme_callbacks.open_clicked_area({"points": [{"z": 1}]}, "")
        malformed = theme_callbacks.open_clicked_area({"points": "x"}, "")
    assert opened == "/corona/GM0106?lang=en"
    assert ignored is malformed is dash.no_update


def test_a_trend_with_the_per_100k_switch_redraws_per_100000(dash_app, following_theme):
    reader = following_theme
    page = themes.layout(reader, theme_id="elke-gemeente", lang="nl")
    switch = find(page, {"type": "theme-trend-view", "block": "elke-gemeente-3"})
    assert [o["value"] for o in prop(switch, "options")] == ["absolute", "per100k"]
    trigger = {"type": "theme-trend-view", "block": "elke-gemeente-3"}
    with in_callback(dash_app, reader, trigger):
        counts_figure, counts = theme_callbacks.update_trend("all", "absolute", "")
        rate_figure, rate = theme_callbacks.update_trend("all", "per100k", "")
        refused = theme_callbacks.update_trend("all", "per1000", "")
    assert "per 100.000" not in counts and "per 100.000" in rate
    counted = [v for v in counts_figure["data"][0]["y"] if v is not None]
    rated = [v for v in rate_figure["data"][0]["y"] if v is not None]
    assert max(rated) < max(counted)  # Emmen has over 100,000 inhabitants
    assert refused == (dash.no_update, dash.no_update)
    # A block without the switch keeps it out of sight (the callback still finds it).
    plain = [c for c in walk(page) if kind(c) == "Div" and prop(c, "hidden") is True]
    assert any(
        prop(c, "id") == {"type": "theme-trend-view", "block": "elke-gemeente-1"}
        for c in walk(plain)
    )


# --- map block controls of the hand-written map pages: level switch, week slider ------------

CONTROLS_THEME = """schema_version: 3
id: kaartknoppen
title: {nl: Kaartknoppen, en: Map controls}
blocks:
  - type: map
    indicator: population
    level: wijk
    level_switch: [wijk, gemeente]
  - type: map
    indicator: covid_cases_per_100k_7d
    level: gemeente
    week_slider: true
"""


@pytest.fixture()
def controls_theme(refreshed_settings, tmp_path):
    return reader_with_theme(
        refreshed_settings, tmp_path / "themes", "kaartknoppen.yaml", CONTROLS_THEME
    )


def test_a_map_block_level_switch_redraws_the_map_at_the_chosen_level(dash_app, controls_theme):
    reader = controls_theme
    page = themes.layout(reader, theme_id="kaartknoppen", lang="nl")
    switch_id = {"type": "theme-map-level", "block": "kaartknoppen-0"}
    meta_id = {"type": "theme-map-meta", "block": "kaartknoppen-0"}
    switch = find(page, switch_id)
    assert [o["value"] for o in prop(switch, "options")] == ["wijk", "gemeente"]
    assert prop(switch, "value") == "wijk"
    wijk_figure = prop(find(page, {"type": "theme-map-graph", "block": "kaartknoppen-0"}), "figure")
    with in_callback(dash_app, reader, switch_id):
        figure, summary, table, legend, meta = theme_callbacks.switch_map_level("gemeente", "")
        refused = theme_callbacks.switch_map_level("buurt", "")  # not one of the block's
    assert summary.startswith("Inwoners per gemeente") and "Hoogste" in summary
    assert "Assen" in text(table) and text(legend)
    before = [prop(a, "href") for a in walk(find(page, meta_id)) if kind(a) == "A"]
    after = [prop(a, "href") for a in walk(meta) if kind(a) == "A"]
    assert any("level=wk" in h for h in before) and not any("level=wk" in h for h in after)
    assert any("level=gm" in h for h in after)  # the downloads follow the level shown
    # a new figure with the level's boundaries: every gemeente instead of the home's wijken
    assert all(str(code).startswith("WK") for code in wijk_figure.data[0].locations)
    codes = [str(code) for code in figure.data[0].locations]
    assert "GM0106" in codes and all(code.startswith("GM") for code in codes)
    assert all(value is dash.no_update for value in refused)


def test_a_map_block_week_slider_sends_the_values_of_the_chosen_week(dash_app, controls_theme):
    reader = controls_theme
    page = themes.layout(reader, theme_id="kaartknoppen", lang="nl")
    slider_id = {"type": "theme-map-week", "block": "kaartknoppen-1"}
    slider = find(page, slider_id)
    weeks = prop(slider, "max")
    assert weeks > 1 and prop(slider, "value") == weeks
    latest = text(find(page, {"type": "theme-map-week-text", "block": "kaartknoppen-1"}))
    with in_callback(dash_app, reader, slider_id):
        patch, summary, table, legend, week = theme_callbacks.move_map_week(0, "")
        refused = theme_callbacks.move_map_week("x", "")
    assert isinstance(patch, dash.Patch)  # values only: the geometry stays in the browser
    operations = patch.to_plotly_json()["operations"]
    assert operations and not any("geojson" in str(op["location"]) for op in operations)
    day = week.split(" (")[1].rstrip(")")  # the week's last day with figures
    assert week != latest and day in summary and day not in latest
    assert day in text(table) and text(legend)
    assert all(value is dash.no_update for value in refused)
