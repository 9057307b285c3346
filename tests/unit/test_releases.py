"""Release records: what a store version changed per dataset, and the log that outlives it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data import observations as obs
from data import releases
from data.store import VERSION_FORMAT, Store


def _frame(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    if not rows:
        return obs.empty()
    indicator, area, period, value = zip(*rows, strict=True)
    return obs.frame(indicator, area, period, value)


OLD = _frame(
    [
        ("cases", "GM0114", "2026-11-29", 3.0),
        ("cases", "GM0114", "2026-11-30", 4.0),
        ("cases", "GM0106", "2026-11-30", 7.0),
        ("deaths", "GM0106", "2026-11-30", np.nan),
    ]
)


def test_added_changed_and_removed_rows_are_counted_on_indicator_area_and_period():
    new = _frame(
        [
            ("cases", "GM0114", "2026-11-29", 3.0),  # same
            ("cases", "GM0114", "2026-11-30", 5.0),  # changed
            ("cases", "GM0114", "2026-12-01", 6.0),  # added
            ("deaths", "GM0106", "2026-11-30", np.nan),  # same (missing stays missing)
        ]
    )  # ("cases", "GM0106", "2026-11-30") removed
    change = releases.diff_observations(OLD, new)
    assert (change.added, change.changed, change.removed, change.rows) == (1, 1, 1, 4)
    assert change.last_period == "2026-12-01"
    assert change.previous_last_period == "2026-11-30"
    assert change.new_last_period
    assert change.areas == ["GM0106", "GM0114"]


def test_the_same_rows_in_another_order_and_dtype_are_no_change_and_have_one_checksum():
    shuffled = OLD.iloc[::-1].reset_index(drop=True)
    shuffled = shuffled.assign(area=shuffled["area"].astype(str))
    change = releases.diff_observations(OLD, shuffled)
    assert not change.any and change.areas == []
    assert not change.new_last_period
    assert releases.checksum(OLD) == releases.checksum(shuffled)


def test_a_value_that_differs_changes_the_checksum():
    changed = OLD.assign(value=OLD["value"].where(OLD.index != 0, 3.5))
    assert releases.checksum(changed) != releases.checksum(OLD)


def test_the_first_release_adds_every_row():
    change = releases.diff_observations(None, OLD)
    assert (change.added, change.changed, change.removed) == (4, 0, 0)
    assert change.previous_last_period is None and change.new_last_period


def test_a_recomputed_mean_that_differs_in_its_last_bits_is_not_a_change():
    noisy = OLD.assign(value=OLD["value"] * (1 + 1e-13))
    assert releases.diff_observations(OLD, noisy).changed == 0


def _loader(frame):
    return lambda: frame


def test_release_record_names_each_datasets_changes_and_the_indicators_and_areas_behind_them():
    new = _frame([("cases", "GM0114", "2026-11-30", 4.0), ("cases", "GM0114", "2026-12-01", 9.0)])
    old = _frame([("cases", "GM0114", "2026-11-30", 4.0)])
    record = releases.release_record(
        "V2",
        "2026-12-01T12:00:00Z",
        {"version": "V1", "datasets": {"rivm": {"checksum": "x"}, "cbs": {"checksum": "c"}}},
        {
            "rivm": ("updated", _loader(old), _loader(new)),
            "cbs": ("unchanged", _loader(OLD), _loader(OLD)),
        },
        {"cases": (_loader(old), _loader(new)), "cases_7d": (_loader(old), _loader(old))},
        {"cases": ["rivm"], "cases_7d": ["rivm"]},
    )
    assert record["previous"] == "V1"
    rivm, cbs = record["datasets"]["rivm"], record["datasets"]["cbs"]
    assert (rivm["added"], rivm["changed"], rivm["removed"], rivm["rows"]) == (1, 0, 0, 2)
    assert rivm["last_period"] == "2026-12-01" and rivm["new_last_period"]
    assert list(rivm["indicators"]) == ["cases"]  # cases_7d did not change
    assert rivm["areas"] == ["GM0114"]
    assert cbs["status"] == "unchanged" and cbs["added"] == 0 and cbs["checksum"] == "c"
    assert releases.changed_datasets(record) == ["rivm"]


def _version(days_ago: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).strftime(VERSION_FORMAT)


def _publish(store: Store, version: str, datasets: dict) -> None:
    record = {"version": version, "created_at": "2026-12-01T00:00:00Z", "datasets": datasets}
    store.publish(store.new_staging_dir(), {"version": version, "release": record})


def test_release_history_outlives_pruning_newest_first(tmp_path):
    store = Store(tmp_path, keep_versions=1, keep_hours=0)
    first, second = _version(3), _version(2)
    _publish(store, first, {"rivm": {"rows": 1, "checksum": "a"}})
    _publish(store, second, {"rivm": {"rows": 2, "checksum": "b"}, "cbs": {"rows": 5}})
    assert not store.has_version(first)  # pruned
    history = releases.release_history(store, "rivm")
    assert [(h["version"], h["rows"]) for h in history] == [(second, 2), (first, 1)]
    assert releases.release(store, first)["datasets"]["rivm"]["checksum"] == "a"
    assert releases.release(store, "19990101T000000000000Z") is None


def test_a_release_whose_log_line_was_lost_is_read_from_its_manifest(tmp_path):
    store = Store(tmp_path)
    version = _version(0)
    _publish(store, version, {"rivm": {"rows": 1}})
    store.releases_path.unlink()  # as if the writer died between publishing and the log line
    assert releases.release(store, version)["datasets"]["rivm"]["rows"] == 1


def test_visible_keeps_only_the_datasets_and_indicators_the_catalog_shows():
    record = {
        "version": "V",
        "datasets": {
            "public": {"indicators": {"a": {"added": 1}, "secret": {"added": 2}}},
            "internal": {"indicators": {"b": {"added": 1}}},
        },
    }
    shown = releases.visible(record, ["public"], ["a", "b"])
    assert list(shown["datasets"]) == ["public"]
    assert list(shown["datasets"]["public"]["indicators"]) == ["a"]
    assert list(record["datasets"]["public"]["indicators"]) == ["a", "secret"]  # not changed
