"""The Reader: one store version, the catalog that goes with it and the site's settings, with
memoized query methods over them.

app/ builds one Reader per request (so every part of one answer sees the same version); the
command line, the theme check and the benchmarks build one without any Flask app. Every
memoized method keys its result on the store version, the site settings and its arguments, so
a new version or another setting never gets a result computed for the old one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from data.cache import QueryCache
from data.catalog import DEFAULT_HOME, DEFAULT_WEBSITE, Catalog
from data.stores import StoreBackend
from geo.registry import feature_codes, municipality_of

COUNTRY = "NL01"
EMPTY_OBSERVATIONS = {"area": [], "period": [], "value": []}


@dataclass(frozen=True)
class SiteSettings:
    """The settings that change what a page shows, part of every cache key."""

    home: str = DEFAULT_HOME  # the CBS code of the municipality the platform is for
    basemap: str | None = None  # tile URL for maps, or None: no background map
    themes_dir: Path | None = None  # folder of the theme YAML files
    mirror: str | None = None  # the mirror the data comes from (None: the upstream URLs)
    website: str = DEFAULT_WEBSITE  # the municipality's website, for contact
    pinned: bool = False  # a permalink's Reader: its pages link under /v/<version>
    # Who the answer is for: "public" (anyone) or "staff" (logged in, sees internal datasets,
    # indicators and themes). Part of the key, so no entry an anonymous visitor reads was
    # computed for staff.
    audience: Literal["public", "staff"] = "public"

    def key(self) -> tuple:
        return (
            self.home,
            self.basemap,
            str(self.themes_dir),
            self.mirror,
            self.website,
            self.pinned,
            self.audience,
        )

    @property
    def staff(self) -> bool:
        return self.audience == "staff"


def memoized(*, local: bool = True) -> Callable[[Callable], Callable]:
    """Memoize `function(reader, *args)` on the Reader's version and site settings and `args`:
    the Reader's own query methods, and views built from them (a map's values, a panel)."""

    def decorate(function: Callable) -> Callable:
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def wrapper(reader: Reader, *args):
            return reader.memo(name, args, lambda: function(reader, *args), local=local)

        return wrapper

    return decorate


class Reader:
    def __init__(
        self,
        store: StoreBackend,
        version: str | None,
        catalog: Catalog,
        site: SiteSettings | None = None,
        cache: QueryCache | None = None,
    ) -> None:
        self.store = store
        self.version = version
        self.catalog = catalog
        self.site = site or SiteSettings()
        self.cache = cache or QueryCache()

    def __repr__(self) -> str:
        return f"Reader(version={self.version!r}, home={self.site.home!r})"

    def at(self, version: str | None) -> Reader:
        """The same Reader on another (kept) store version."""
        return Reader(self.store, version, self.catalog, self.site, self.cache)

    @property
    def has_data(self) -> bool:
        return self.version is not None

    def memo(self, name: str, args: tuple, compute: Callable[[], Any], *, local=True) -> Any:
        """Memoize `compute` under `name` and `args` for this version, these settings (the
        audience among them) and this catalog (for views built on top of the queries, too)."""
        if self.version is None:
            return compute()
        key = (self.version, self.site.key(), self.catalog.fingerprint, *args)
        return self.cache.get(name, key, compute, local=local)

    # --- what the version holds, read through the store backend (data/stores.py) --------

    def _read(self, indicator: str, areas: list[str] | None = None) -> pd.DataFrame:
        if self.version is None:
            return pd.DataFrame(EMPTY_OBSERVATIONS)
        frame = self.store.read_observations(self.version, indicator, areas)
        if frame is None:
            return pd.DataFrame(EMPTY_OBSERVATIONS)
        return frame.assign(area=frame["area"].astype(str))

    # --- observations ------------------------------------------------------------------

    @memoized()
    def _series(self, indicator: str, areas: tuple[str, ...]) -> pd.DataFrame:
        frame = self._read(indicator, list(areas))
        return frame.sort_values(["area", "period"]).reset_index(drop=True)

    def series(
        self,
        indicator: str,
        areas: tuple[str, ...] | list[str],
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> pd.DataFrame:
        """Observations of `indicator` for `areas` (columns area, period, value), oldest first."""
        if self.version is None or not areas:
            return pd.DataFrame(EMPTY_OBSERVATIONS)
        frame = self._series(indicator, tuple(sorted(set(areas))))
        if start is not None:
            frame = frame[frame["period"] >= pd.Timestamp(start)]
        if end is not None:
            frame = frame[frame["period"] <= pd.Timestamp(end)]
        return frame

    @memoized(local=False)  # a whole level over all periods: too big to keep in every worker
    def level_table(self, indicator: str, level: str) -> pd.DataFrame:
        codes = self._level_codes(level)
        if not codes:
            return pd.DataFrame(EMPTY_OBSERVATIONS)
        return self._read(indicator, codes)

    def _level_codes(self, level: str) -> list[str]:
        registry = self.areas()
        return registry.loc[registry["level"] == level, "code"].tolist()

    @memoized()
    def periods(self, indicator: str, level: str) -> list[pd.Timestamp]:
        """The periods for which `indicator` has values at `level`, oldest first (read from
        the period column alone, not the level's whole table)."""
        codes = self._level_codes(level)
        if self.version is None or not codes:
            return []
        frame = self.store.read_observations(self.version, indicator, codes, columns=["period"])
        if frame is None:
            return []
        return sorted(frame["period"].dropna().unique().tolist())

    def snapshot(self, indicator: str, level: str, period=None) -> pd.DataFrame:
        """Values of `indicator` for every area of `level` at `period` (default: the latest)."""
        if self.version is None:
            return pd.DataFrame(EMPTY_OBSERVATIONS)
        return self._snapshot(indicator, level, None if period is None else pd.Timestamp(period))

    @memoized()
    def _snapshot(self, indicator: str, level: str, period) -> pd.DataFrame:
        """One period of the level (default the latest), read alone: a map week reads some
        hundreds of rows, not the level's whole table."""
        codes = self._level_codes(level)
        if period is None:
            known = self.periods(indicator, level)
            if not known:
                return pd.DataFrame(EMPTY_OBSERVATIONS)
            period = known[-1]
        frame = self.store.read_observations(self.version, indicator, codes, periods=[period])
        if frame is None or not codes:
            return pd.DataFrame(EMPTY_OBSERVATIONS)
        frame = frame.assign(area=frame["area"].astype(str))
        return frame.sort_values("area").reset_index(drop=True)

    def latest(self, indicator: str, area: str) -> tuple[pd.Timestamp, float] | None:
        """The latest (period, value) of `indicator` in `area` that has a value."""
        frame = self.series(indicator, (area,)).dropna(subset=["value"])
        if frame.empty:
            return None
        row = frame.iloc[-1]
        return row["period"], float(row["value"])

    @memoized()
    def indicator_levels(self) -> dict[str, list[str]]:
        """Which levels actually have values, per indicator (from the registry and the data)."""
        if self.version is None:
            return {}
        registry = self.areas().set_index("code")["level"]
        return {
            indicator: sorted(set(registry.reindex(codes).dropna()))
            for indicator, codes in self.indicator_areas().items()
        }

    @memoized()
    def indicator_areas(self) -> dict[str, list[str]]:
        """The area codes with values, per indicator."""
        return {} if self.version is None else self.store.observation_areas(self.version)

    # --- areas -------------------------------------------------------------------------

    @memoized()
    def areas(self) -> pd.DataFrame:
        """The area registry: code, name, level, parent."""
        if self.version is None:
            return pd.DataFrame({"code": [], "name": [], "level": [], "parent": []})
        table = self.store.read_areas(self.version)
        return table if table is not None else self.at(None).areas()

    @memoized()
    def area_names(self) -> dict[str, str]:
        """Name by area code (the code where the registry has no name)."""
        table = self.areas()
        return dict(zip(table["code"], table["name"].fillna(table["code"]), strict=True))

    @memoized()
    def parents(self) -> dict[str, str]:
        """Parent code by area code (areas without a parent are left out)."""
        table = self.areas().dropna(subset=["parent"])
        return dict(zip(table["code"], table["parent"], strict=True))

    # --- the home municipality ---------------------------------------------------------

    @property
    def home(self) -> str:
        return self.site.home

    @property
    def home_name(self) -> str:
        return self.area_names().get(self.home, self.home)

    @property
    def home_province(self) -> str | None:
        """The province of the home municipality, from the area registry."""
        return self.parents().get(self.home)

    @property
    def home_province_name(self) -> str:
        province = self.home_province
        return self.area_names().get(province, province) if province else ""

    def in_home(self, code: str) -> bool:
        """Whether a wijk (WK) or buurt (BU) code lies in the home municipality: CBS codes
        carry the municipality's number (WK0114xx, BU0114xxxx)."""
        return code[:2] in ("WK", "BU") and municipality_of(code) == self.home

    # --- geometry ----------------------------------------------------------------------

    @memoized()
    def geometry(self, level: str) -> dict | None:
        """Simplified GeoJSON for `level`, or None when the store has none."""
        if self.version is None:
            return None
        return self.store.read_geometry(self.version, level)

    @memoized()
    def geometry_codes(self, level: str) -> list[str]:
        """The areas of `level` that have a polygon, in the order of the geometry's features."""
        return feature_codes(self.geometry(level))

    def home_geometry_codes(self, level: str) -> list[str]:
        """The wijken or buurten (`level` wk or bu) of the home municipality with a polygon."""
        return [code for code in self.geometry_codes(level) if self.in_home(code)]
