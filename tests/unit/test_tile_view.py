"""The tile view model (layouts/views/tiles.py) and the one tile drawn from it."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly
import pytest

from app.settings import PROJECT_ROOT
from data.catalog import load_catalog
from layouts.components import tile_card
from layouts.figures.summary import WeekChange
from layouts.i18n import t
from layouts.views.tiles import latest_tile, week_change, week_tile

DAY = dt.date(2022, 3, 14)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PROJECT_ROOT / "data" / "catalog.yaml")


def _text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_a_latest_tile_has_the_value_and_unit_at_the_display_scale(catalog):
    sewage = catalog.indicators["sewage_rna_per_100k"]
    view = latest_tile(sewage, "nl", (DAY, 100_528_242_703_997.0))
    assert view.value == pytest.approx(100_528_242_703_997.0 / sewage.display.scale)
    assert view.unit == sewage.display.unit.get("nl") != sewage.unit.get("nl")
    assert view.value_text == "1.005"
    assert view.date_line == "Cijfers van 14 maart 2022"
    assert view.change is None and view.change_line is None


def test_a_week_tile_scales_both_weeks_and_keeps_the_relative_change(catalog):
    sewage = catalog.indicators["sewage_rna_per_100k"]
    view = week_tile(
        sewage, "en", WeekChange(DAY, 95.4e12, 90.0e12), date_key="common.date_of_data"
    )
    scale = sewage.display.scale
    assert (view.change.current, view.change.previous) == (95.4e12 / scale, 90.0e12 / scale)
    assert view.value_text == "954"
    arrow, words = view.change_line
    assert arrow and "6%" in words  # 95.4 against 90.0: 6% more


def test_a_tile_without_figures_has_no_value_and_no_date(catalog):
    view = latest_tile(catalog.indicators["population"], "nl", None)
    assert view.value is None and view.value_text is None and view.date_line is None
    assert t("common.no_data", "nl") in _text(tile_card(view, "nl"))


def test_an_archived_indicator_carries_its_label(catalog):
    archived = next(i for i in catalog.indicators.values() if i.archived_since is not None)
    current = catalog.indicators["population"]
    assert (
        archived.archived_since.strftime("%Y") in latest_tile(archived, "nl", (DAY, 1.0)).archived
    )
    assert latest_tile(current, "nl", (DAY, 1.0)).archived is None


def test_the_card_shows_what_the_view_says(catalog):
    sewage = catalog.indicators["sewage_rna_per_100k"]
    view = week_tile(sewage, "nl", WeekChange(DAY, 95.4e12, 90.0e12), title="Rioolwater")
    text = _text(tile_card(view, "nl", "corona-tile-sewage"))
    for part in (view.title, view.value_text, view.unit, view.date_line, view.change_line[1]):
        assert part in text
    assert '"id": "corona-tile-sewage"' in text


def test_the_week_change_of_measurements_compares_weekly_means(catalog):
    days = pd.to_datetime(["2022-03-01", "2022-03-03", "2022-03-08", "2022-03-10"])
    frame = pd.DataFrame({"area": "GM0114", "period": days, "value": [10.0, 20.0, 30.0, 50.0]})
    change = week_change(catalog.indicators["sewage_rna_per_100k"], frame)
    assert (change.current, change.previous) == (40.0, 15.0)


def test_the_week_change_of_a_seven_day_mean_compares_with_seven_days_earlier(catalog):
    days = pd.date_range("2022-03-01", periods=10, freq="D")
    frame = pd.DataFrame({"area": "GM0114", "period": days, "value": [float(v) for v in range(10)]})
    change = week_change(catalog.indicators["covid_cases_7d"], frame)
    assert (change.end, change.current, change.previous) == (dt.date(2022, 3, 10), 9.0, 2.0)
