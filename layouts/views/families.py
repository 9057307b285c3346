"""Indicator families, read from the catalog's `derived_from`/`derivation` fields: a daily
count, its trailing 7-day mean, and both per 100,000 inhabitants (data/derive.py computes them)."""

from __future__ import annotations

from dataclasses import dataclass

from data.catalog import Catalog


@dataclass(frozen=True)
class Family:
    daily: str
    average: str
    daily_per_100k: str
    average_per_100k: str

    def indicators(self, view: str) -> tuple[str, str]:
        """(daily, average) indicator ids for the view 'absolute' or 'per100k'."""
        if view == "per100k":
            return self.daily_per_100k, self.average_per_100k
        return self.daily, self.average


def family(catalog: Catalog, daily: str) -> Family:
    """The family of the daily count `daily`; KeyError naming what the catalog lacks."""

    def derived(source: str, derivation: str) -> str:
        found = catalog.derived(source, derivation)
        if found is None:
            raise KeyError(f"the catalog has no indicator derived from {source} by {derivation}")
        return found.id

    per_100k = derived(daily, "per_100k")
    return Family(daily, derived(daily, "mean_7d"), per_100k, derived(per_100k, "mean_7d"))


def seven_day_mean_of(catalog: Catalog, indicator_id: str) -> str | None:
    """The 7-day mean of a daily indicator (covid_cases -> covid_cases_7d), if there is one."""
    indicator = catalog.indicators[indicator_id]
    if indicator.frequency != "day":
        return None
    found = catalog.derived(indicator_id, "mean_7d")
    return found.id if found is not None else None


def is_seven_day_mean(catalog: Catalog, indicator_id: str) -> bool:
    indicator = catalog.indicators.get(indicator_id)
    return indicator is not None and indicator.derivation == "mean_7d"


def per_100k_of(catalog: Catalog, indicator_id: str) -> str | None:
    """The same indicator per 100,000 inhabitants (covid_cases -> covid_cases_per_100k,
    covid_cases_7d -> covid_cases_per_100k_7d), if the catalog has it."""
    indicator = catalog.indicators.get(indicator_id)
    if indicator is None:
        return None
    if indicator.derivation == "mean_7d" and indicator.derived_from:
        rate = catalog.derived(indicator.derived_from, "per_100k")
        found = catalog.derived(rate.id, "mean_7d") if rate is not None else None
    else:
        found = catalog.derived(indicator_id, "per_100k")
    return found.id if found is not None else None
