"""The municipality is a setting: the same store and code serve Emmen's or Assen's platform.

Pages are built straight from a Reader (no Flask app, no browser): what a visitor reads is the
text of the components.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from dash.development.base_component import Component

from app.main import build_runtime
from data.catalog import load_catalog
from data.formats import RawFile, format_function
from data.pipeline import refresh
from layouts import shell
from layouts.i18n import use_site_names
from layouts.pages import accessibility, corona, corona_map, help, home, neighbourhoods, themes
from tests.conftest import REPO_ROOT, shared_file

HOMES = {"GM0114": ("Emmen", "Assen"), "GM0106": ("Assen", "Emmen")}


MANY_ROWS = 100  # a table of every municipality names them all, Emmen and Assen included


def _rows(table: Component) -> int:
    parts = table.children if isinstance(table.children, list) else [table.children]
    bodies = [p for p in parts if type(p).__name__ == "Tbody"]
    return sum(len(b.children or []) for b in bodies)


def visible_text(component) -> str:
    """The text a visitor reads, without the suggestion list of every municipality's name and
    without tables that list every municipality."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(visible_text(c) for c in component)
    if isinstance(component, Component):
        if type(component).__name__ in ("Datalist", "Store", "Location", "Graph", "Markdown"):
            return ""
        if type(component).__name__ == "Table" and _rows(component) > MANY_ROWS:
            return ""
        return visible_text(getattr(component, "children", None) or [])
    return ""


@pytest.fixture(scope="module", params=sorted(HOMES))
def reader(request, refreshed_settings):
    runtime = build_runtime(replace(refreshed_settings, home=request.param))
    reader = runtime.reader()
    use_site_names(reader.home_name, reader.home_province_name)
    yield reader
    use_site_names("{home_name}", "{home_province_name}")


def test_the_home_municipality_comes_from_the_setting_and_the_registry(reader):
    name, _ = HOMES[reader.home]
    assert reader.home_name == name
    assert reader.home_province == "PV22"
    assert reader.home_province_name == "Drenthe"
    assert reader.catalog.site.home == reader.home


@pytest.mark.parametrize(
    "page",
    [
        lambda r: home.layout(r, lang="nl"),
        lambda r: corona.layout(r, None, lang="nl"),
        lambda r: corona_map.layout(r, lang="nl"),
        lambda r: neighbourhoods.layout(r, lang="nl"),
        lambda r: help.layout(r, lang="nl"),
        lambda r: accessibility.layout(r, lang="nl"),
        lambda r: themes.layout(r, "bevolking", lang="nl"),
        lambda r: themes.layout(r, "huishoudens-wonen", lang="nl"),
        lambda r: shell.footer("nl"),
    ],
    ids=["home", "corona", "corona_map", "buurten", "help", "a11y", "theme1", "theme2", "footer"],
)
def test_pages_speak_of_the_home_municipality_only(reader, page):
    name, other = HOMES[reader.home]
    text = visible_text(page(reader))
    assert other not in text
    assert name in text or text.startswith("Bronnen")  # the footer names no municipality


def test_the_corona_page_without_a_code_is_the_home_municipality(reader):
    name, _ = HOMES[reader.home]
    heading = corona.layout(reader, None, lang="nl").children[0]
    assert heading.children == f"Corona in {name}"


def test_wijken_of_a_municipality_without_boundaries_are_said_to_have_none(reader):
    content = neighbourhoods.load(reader, neighbourhoods.parse_neighbourhood_map({}), "nl")
    if reader.home == "GM0114":
        assert len(content.codes) == 27
    else:  # the mirror has Emmen's wijk boundaries only
        assert content.codes == []
        assert "0" in neighbourhoods.summary(content)


def test_the_national_wijk_file_gives_the_wijken_of_the_home_municipality():
    path = shared_file("cbs/wijk_2021_v1_kerncijfers_NL.csv.gz")
    catalog = load_catalog(REPO_ROOT / "data" / "catalog.yaml", "GM0106")
    dataset = catalog.datasets["cbs_wijk_2021"]
    raw = RawFile("main", path.name, path.read_bytes())
    result = format_function(dataset.format)({"main": [raw]}, dataset)
    codes = set(result.observations["area"])
    assert codes and all(code.startswith("WK0106") for code in codes)
    assert set(result.areas["parent"]) == {"GM0106"}


def test_the_wijk_map_of_inhabitants_is_not_compared_with_the_whole_municipality(
    refreshed_settings,
):
    reader = build_runtime(refreshed_settings).reader()
    use_site_names(reader.home_name, reader.home_province_name)
    state = neighbourhoods.parse_neighbourhood_map
    population = neighbourhoods.load(reader, state({"indicator": "population"}), "nl")
    density = neighbourhoods.load(reader, state({"indicator": "population_density"}), "nl")
    assert population.area.marked == ()
    assert "als geheel" not in neighbourhoods.summary(population)
    assert [r.label for r in population.area.references()] == ["Gemiddelde van de wijken"]
    assert [m.code for m in density.area.marked] == [reader.home]
    assert "Emmen als geheel" in neighbourhoods.summary(density)


@pytest.fixture(scope="module")
def assen_settings(refreshed_settings, tmp_path_factory):
    """Emmen's store, with the wijk datasets refreshed for Assen (home GM0106)."""
    data_dir = tmp_path_factory.mktemp("assen") / "data"
    shutil.copytree(refreshed_settings.data_dir / "store", data_dir / "store", symlinks=True)
    settings = replace(refreshed_settings, data_dir=data_dir, home="GM0106")
    report = refresh(settings, only=["cbs_wijk_2021", "cbs_kwb_2024", "geo_wijken", "geo_buurten"])
    assert not report.failed, [(r.dataset, r.reason) for r in report.failed]
    return settings


def test_wijk_figures_without_boundaries_are_shown_with_a_note(assen_settings):
    reader = build_runtime(assen_settings).reader()
    use_site_names(reader.home_name, reader.home_province_name)
    content = neighbourhoods.load(reader, neighbourhoods.parse_neighbourhood_map({}), "nl")
    assert content.codes == []  # the mirror has no boundaries of Assen's wijken
    assert content.has_figures
    assert {row.code[:6] for row in content.view.rows} == {"WK0106"}
    notes = visible_text(neighbourhoods.notes(reader, content))
    assert "geen grenzen van de wijken van Assen" in notes
    assert "Emmen" not in visible_text(neighbourhoods.layout(reader, lang="nl"))
