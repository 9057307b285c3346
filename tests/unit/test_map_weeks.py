"""The weeks a map's week slider moves through (layouts/views/map_weeks.py)."""

from __future__ import annotations

import pandas as pd

from layouts.views.map_weeks import week_at, week_range, weeks_with_figures


def days(*texts: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(t) for t in texts]


def test_daily_figures_give_one_week_each_at_its_last_day_with_data():
    weeks = weeks_with_figures(days("2022-02-09", "2022-02-07", "2022-02-13", "2022-02-16"))
    assert [w.key for w in weeks] == ["2022-W06", "2022-W07"]
    assert [w.end for w in weeks] == days("2022-02-13", "2022-02-16")


def test_a_week_without_figures_is_not_on_the_slider():
    weeks = weeks_with_figures(days("2022-01-03", "2022-01-24", None))
    assert [w.key for w in weeks] == ["2022-W01", "2022-W04"]


def test_a_slider_position_picks_its_week_and_out_of_range_the_nearest_end():
    weeks = weeks_with_figures(days("2022-01-03", "2022-01-10", "2022-01-17"))
    assert week_at(weeks, 1).key == "2022-W02"
    assert week_at(weeks, None).key == "2022-W03"  # the latest
    assert week_at(weeks, -4).key == "2022-W01" and week_at(weeks, 99).key == "2022-W03"
    assert week_at([], 0) is None


def test_the_slider_ends_are_named_in_the_pages_language():
    weeks = weeks_with_figures(days("2021-12-28", "2022-02-14"))
    first, last = week_range(weeks, "nl")
    assert "52" in first and "2021" in first and "7" in last and "2022" in last
