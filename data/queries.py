"""Small query functions over the current store version, memoized on that version.

Every public function reads the current version once and calls a memoized function whose
arguments include the version, so a new version never serves stale results and the second user
of a view costs one cache read.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from app.context import runtime
from data.cache import memoize
from geo.registry import feature_codes


def version() -> str | None:
    """The store version to read: within a request, the one it started with."""
    return runtime().version


def _path(version_id: str, *parts: str):
    return runtime().store.versions.joinpath(version_id, *parts)


def _read(version_id: str, indicator: str, filters=None) -> pd.DataFrame:
    path = _path(version_id, "observations", f"{indicator}.parquet")
    if not path.exists():
        return pd.DataFrame({"area": [], "period": [], "value": []})
    frame = pd.read_parquet(path, columns=["area", "period", "value"], filters=filters)
    return frame.assign(area=frame["area"].astype(str))


@memoize()
def _series(version_id: str, indicator: str, areas: tuple[str, ...]) -> pd.DataFrame:
    frame = _read(version_id, indicator, filters=[("area", "in", list(areas))])
    return frame.sort_values(["area", "period"]).reset_index(drop=True)


def series(
    indicator: str,
    areas: tuple[str, ...] | list[str],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Observations of `indicator` for `areas` (columns area, period, value), oldest first."""
    version_id = version()
    if version_id is None or not areas:
        return pd.DataFrame({"area": [], "period": [], "value": []})
    frame = _series(version_id, indicator, tuple(sorted(set(areas))))
    if start is not None:
        frame = frame[frame["period"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["period"] <= pd.Timestamp(end)]
    return frame


@memoize(local=False)  # a whole level over all periods: too big to keep in every worker
def _level_table(version_id: str, indicator: str, level: str) -> pd.DataFrame:
    registry = _areas(version_id)
    codes = registry.loc[registry["level"] == level, "code"].tolist()
    if not codes:
        return pd.DataFrame({"area": [], "period": [], "value": []})
    return _read(version_id, indicator, filters=[("area", "in", codes)])


def periods(indicator: str, level: str) -> list[pd.Timestamp]:
    """The periods for which `indicator` has values at `level`, oldest first."""
    version_id = version()
    if version_id is None:
        return []
    return _periods(version_id, indicator, level)


@memoize()
def _periods(version_id: str, indicator: str, level: str) -> list[pd.Timestamp]:
    table = _level_table(version_id, indicator, level)
    return sorted(table["period"].dropna().unique().tolist())


def snapshot(indicator: str, level: str, period=None) -> pd.DataFrame:
    """Values of `indicator` for every area of `level` at `period` (default: the latest)."""
    version_id = version()
    if version_id is None:
        return pd.DataFrame({"area": [], "period": [], "value": []})
    return _snapshot(version_id, indicator, level, None if period is None else pd.Timestamp(period))


@memoize()
def _snapshot(version_id: str, indicator: str, level: str, period) -> pd.DataFrame:
    table = _level_table(version_id, indicator, level)
    if table.empty:
        return table
    period = table["period"].max() if period is None else period
    return table[table["period"] == period].sort_values("area").reset_index(drop=True)


def latest(indicator: str, area: str) -> tuple[pd.Timestamp, float] | None:
    """The latest (period, value) of `indicator` in `area` that has a value."""
    frame = series(indicator, (area,)).dropna(subset=["value"])
    if frame.empty:
        return None
    row = frame.iloc[-1]
    return row["period"], float(row["value"])


def areas() -> pd.DataFrame:
    """The area registry: code, name, level, parent."""
    version_id = version()
    if version_id is None:
        return pd.DataFrame({"code": [], "name": [], "level": [], "parent": []})
    return _areas(version_id)


@memoize()
def _areas(version_id: str) -> pd.DataFrame:
    return pd.read_parquet(_path(version_id, "areas.parquet"))


def area_names() -> dict[str, str]:
    """Name by area code (the code where the registry has no name)."""
    version_id = version()
    return _area_names(version_id) if version_id else {}


@memoize()
def _area_names(version_id: str) -> dict[str, str]:
    table = _areas(version_id)
    return dict(zip(table["code"], table["name"].fillna(table["code"]), strict=True))


def geometry(level: str) -> dict | None:
    """Simplified GeoJSON for `level`, or None when the store has none."""
    version_id = version()
    if version_id is None:
        return None
    return _geometry(version_id, level)


def geometry_at(version_id: str, level: str) -> dict | None:
    """Simplified GeoJSON for `level` in store version `version_id` (a kept older one too)."""
    return _geometry(version_id, level)


@memoize()
def _geometry(version_id: str, level: str) -> dict | None:
    path = _path(version_id, "geometry", f"{level}.geojson")
    return json.loads(path.read_text()) if path.exists() else None


def geometry_codes(level: str) -> list[str]:
    """The areas of `level` that have a polygon, in the order of the geometry's features."""
    version_id = version()
    return _geometry_codes(version_id, level) if version_id else []


@memoize()
def _geometry_codes(version_id: str, level: str) -> list[str]:
    return feature_codes(_geometry(version_id, level))


def indicator_levels(version_id: str | None = None) -> dict[str, list[str]]:
    """Which levels actually have values, per indicator (from the registry and the data)."""
    version_id = version_id or version()
    if version_id is None:
        return {}
    return _indicator_levels(version_id)


@memoize()
def _indicator_levels(version_id: str) -> dict[str, list[str]]:
    registry = _areas(version_id).set_index("code")["level"]
    out = {}
    for path in sorted(_path(version_id, "observations").glob("*.parquet")):
        codes = pd.read_parquet(path, columns=["area"])["area"].unique()
        out[path.stem] = sorted(set(registry.reindex(codes).dropna()))
    return out
