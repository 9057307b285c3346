"""Staff datasets end to end: folder -> refresh -> store -> catalog, API and a theme page.

Runs on a copy of the store refreshed from the shared data over HTTP (tests/conftest.py).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pandas as pd
import pytest
from flask import Flask

from app.api import api
from app.context import CONFIG_KEY
from app.main import build_runtime
from data import staff
from data.catalog import load_catalog
from data.pipeline import refresh
from data.store import Store
from tests.conftest import FIXTURES, copy_data_dir

STAFF_IDS = ["woz_value", "housing_market"]
THEME = """schema_version: 2
id: woningwaarde
title: {nl: Woningwaarde, en: Property value}
blocks:
  - type: tiles
    indicators: [woz_value]
  - type: map
    indicator: woz_value
    level: wijk
  - type: table
    indicators: [sales, days_on_market]
    level: wijk
"""


@pytest.fixture(scope="module")
def settings(refreshed_settings, tmp_path_factory):
    """A copy of the refreshed store, a staff folder with two datasets, a themes folder."""
    root = tmp_path_factory.mktemp("staff-refresh")
    copy_data_dir(refreshed_settings.data_dir, root / "data")
    (root / "staff").mkdir()
    for name in STAFF_IDS:
        for suffix in (".csv", ".yaml"):
            shutil.copy(FIXTURES / "staff" / f"{name}{suffix}", root / "staff")
    (root / "themes").mkdir()
    (root / "themes" / "woningwaarde.yaml").write_text(THEME, encoding="utf-8")
    return replace(
        refreshed_settings,
        data_dir=root / "data",
        staff_data_dir=root / "staff",
        themes_dir=root / "themes",
    )


@pytest.fixture(scope="module")
def published(settings):
    return refresh(settings, only=STAFF_IDS)


def server_for(settings) -> Flask:
    """The API as the app serves it, on `settings`' store."""
    server = Flask("staff-test")
    server.config[CONFIG_KEY] = build_runtime(settings)
    server.register_blueprint(api)
    return server


def test_refresh_of_staff_datasets_keeps_upstream_data_and_publishes_theirs(published, settings):
    by_id = {r.dataset: r for r in published.results}
    assert by_id["woz_value"].status == "updated" and by_id["woz_value"].rows == 54
    assert by_id["housing_market"].status == "updated" and by_id["housing_market"].rows == 24
    assert by_id["rivm_cases"].status == "kept"
    folder = Store(settings.store_dir).version_dir()
    for indicator in ("woz_value", "sales", "days_on_market", "population", "covid_cases"):
        assert (folder / "observations" / f"{indicator}.parquet").exists(), indicator
    meta = json.loads((folder / "datasets" / "woz_value" / "staff.json").read_text())
    assert meta["meta"]["source"] == "Gemeente Emmen, Onderzoek & Statistiek"


def test_the_catalog_of_the_published_version_holds_the_staff_indicators(published, settings):
    base = load_catalog(settings.catalog_path)
    catalog = staff.catalog_with_published_staff(base, Store(settings.store_dir))
    assert {"woz_value", "sales", "days_on_market"} <= set(catalog.indicators)
    assert catalog.indicators["woz_value"].levels == ["gm", "wk"]
    assert staff.catalog_with_published_staff(base, Store(settings.store_dir)) is catalog


def test_staff_figures_are_served_by_the_api(published, settings):
    """Through app.context.runtime(), whose catalog holds the published staff datasets."""
    client = server_for(settings).test_client()
    response = client.get("/api/v1/observations?indicator=woz_value&area=GM0114")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["observations"] == [
        {"area": "GM0114", "period": "2023-01-01", "value": 200.0},
        {"area": "GM0114", "period": "2024-01-01", "value": 214.0},
    ]
    indicators = client.get("/api/v1/indicators").get_json()["indicators"]
    woz = next(i for i in indicators if i["id"] == "woz_value")
    assert woz["sources"][0]["publisher"] == "Gemeente Emmen, Onderzoek & Statistiek"
    csv = client.get("/api/v1/observations?indicator=sales&area=WK011401&format=csv")
    assert csv.data.decode().splitlines()[1].startswith("WK011401,2024-01-01,")


def test_a_theme_can_use_staff_indicators(published, settings):
    from layouts.themes.loader import check_paths, references_of

    refs = references_of(build_runtime(settings).reader())
    (file,) = check_paths([], settings.themes_dir, refs)
    assert file.ok and not file.warnings, [str(p) for p in file.errors + file.warnings]


def test_a_theme_page_draws_the_staff_figures(published, settings):
    import plotly

    from layouts.themes.checks import References
    from layouts.themes.loader import load_theme_file
    from layouts.themes.render import render_theme

    reader = build_runtime(settings).reader()  # no Flask app: the Reader is all a page needs
    theme = load_theme_file(settings.themes_dir / "woningwaarde.yaml", References(reader.catalog))
    page = json.dumps(render_theme(theme.theme, reader, "nl"), cls=plotly.utils.PlotlyJSONEncoder)
    assert "-failed" not in page  # no block fell over
    assert "Gemiddelde WOZ-waarde (testgegevens)" in page  # the tile and the map
    assert "Wijk 08 Klazienaveen" in page  # the table, a row per wijk
    assert "Bron: Gemeente Emmen, Onderzoek & Statistiek" in page


def test_nothing_changed_publishes_nothing(published, settings):
    again = refresh(settings, only=STAFF_IDS)
    assert again.version == published.version
    assert {r.dataset: r.status for r in again.results}["woz_value"] == "unchanged"


def test_a_broken_csv_is_rejected_with_line_and_column_and_the_last_good_stays(published, settings):
    path = settings.staff_data_dir / "woz_value.csv"
    good = path.read_bytes()
    try:
        path.write_bytes(good.replace(b"GM0114,2024,214", b"GM0114,2024,veel"))
        report = refresh(settings, only=["woz_value"])
        (result,) = [r for r in report.results if r.dataset == "woz_value"]
        assert result.status == "failed"
        assert result.reason == (
            "woz_value.csv: column value, line 29: 'veel' is not a number (last good version kept)"
        )
        status = Store(settings.store_dir).status()["datasets"]["woz_value"]
        assert status["last_failure_reason"].startswith("woz_value.csv: column value, line 29")
        folder = Store(settings.store_dir).version_dir()
        kept = pd.read_parquet(folder / "observations" / "woz_value.parquet")
        assert kept.loc[kept["area"] == "GM0114", "value"].tolist() == [200.0, 214.0]
    finally:
        path.write_bytes(good)


def test_a_dissolved_municipality_in_a_staff_csv_is_rejected_like_an_unknown_one(
    published, settings
):
    path = settings.staff_data_dir / "woz_value.csv"
    good = path.read_bytes()
    try:
        path.write_bytes(good + b"GM0010,2023,150\n")  # Delfzijl, part of Eemsdelta since 2021
        report = refresh(settings, only=["woz_value"])
        (result,) = [r for r in report.results if r.dataset == "woz_value"]
        assert result.status == "failed"
        assert "GM0010" in result.reason and "known area code" in result.reason
    finally:
        path.write_bytes(good)


def test_the_folder_sync_tries_rejected_files_once_until_they_change(published, settings):
    path = settings.staff_data_dir / "woz_value.csv"
    good = path.read_bytes()
    sync = staff.FolderSync(settings)
    try:
        assert sync() == []  # the folder matches the store
        path.write_bytes(good.replace(b"GM0114,2024,214", b"GM0114,2024,veel"))
        assert sync() == ["woz_value"]
        reason = Store(settings.store_dir).status()["datasets"]["woz_value"]["last_failure_reason"]
        assert "'veel' is not a number" in reason
        assert sync() == []  # the same broken file is not tried every minute
        path.write_bytes(good.replace(b"GM0114,2024,214", b"GM0114,2024,?"))
        assert sync() == ["woz_value"]  # a new edit is tried again
    finally:
        path.write_bytes(good)
    assert sync() == []  # back to what the store holds
    assert Store(settings.store_dir).current_version() == published.version


def test_a_removed_dataset_disappears_at_the_next_refresh(published, settings, tmp_path):
    moved = []
    for suffix in (".csv", ".yaml"):
        source = settings.staff_data_dir / f"housing_market{suffix}"
        moved.append((shutil.move(source, tmp_path / source.name), source))
    try:
        assert staff.changed_datasets(settings) == ["housing_market"]
        report = refresh(settings, only=["housing_market"])
        assert report.version != published.version
        folder = Store(settings.store_dir).version_dir()
        assert not (folder / "observations" / "sales.parquet").exists()
        assert (folder / "observations" / "woz_value.parquet").exists()
    finally:
        for current, original in moved:
            shutil.move(current, original)
    assert staff.changed_datasets(settings) == ["housing_market"]
    staff.FolderSync(settings)()  # what the scheduler runs: the dataset comes back
    assert staff.changed_datasets(settings) == []
