"""Derived indicators, computed once in the pipeline: trailing 7-day means, sums from gemeente up
to province and country, and rates per 100,000 inhabitants."""

from __future__ import annotations

import pandas as pd

from data import observations as obs

# Daily counts per gemeente that are summed up to province and country.
DAILY_COUNTS = ("covid_cases", "covid_deaths", "covid_hospital_admissions")
# count indicator -> derived indicators (7-day mean, per 100k daily, per 100k 7-day mean)
DERIVED = {
    "covid_cases": ("covid_cases_7d", "covid_cases_per_100k", "covid_cases_per_100k_7d"),
    "covid_deaths": ("covid_deaths_7d", "covid_deaths_per_100k", "covid_deaths_per_100k_7d"),
    "covid_hospital_admissions": (
        "covid_hospital_admissions_7d",
        "covid_hospital_admissions_per_100k",
        "covid_hospital_admissions_per_100k_7d",
    ),
}
WINDOW_DAYS = 7
COUNTRY = "NL01"


def sum_up(counts: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Add province (parent of each gemeente) and country sums to gemeente observations."""
    gm = counts[obs.has_prefix(counts["area"], "GM")]
    parents = registry.set_index("code")["parent"]
    with_parent = gm.assign(area=gm["area"].astype("category").map(parents))
    missing = with_parent["area"].isna()
    if missing.any():
        codes = sorted(gm.loc[missing, "area"].unique())[:5]
        raise ValueError(f"gemeenten without a province in the area registry: {codes}")
    province = with_parent.groupby(["indicator", "area", "period"], as_index=False, observed=True)[
        "value"
    ].sum()
    country = gm.groupby(["indicator", "period"], as_index=False, observed=True)["value"].sum()
    country["area"] = COUNTRY
    return obs.concat([gm, province, country])


def trailing_mean(series: pd.DataFrame, window: int = WINDOW_DAYS) -> pd.DataFrame:
    """Trailing mean over the day and the `window - 1` days before, per area.

    The series are daily counts: a day inside the published range without a row counts as zero
    (nothing was reported that day), so the mean runs on without gaps. The first six days of a
    series have no full window and so no mean.
    """
    if series.empty:
        return series.iloc[0:0]
    wide = series.pivot_table(
        index="period", columns="area", values="value", aggfunc="sum", observed=True
    )
    full_range = pd.date_range(wide.index.min(), wide.index.max(), freq="D")
    wide = wide.reindex(full_range, fill_value=0.0)
    mean = wide.rolling(window, min_periods=window).mean()
    long = mean.stack().rename("value").reset_index()
    long.columns = ["period", "area", "value"]
    return long.dropna(subset=["value"])


def per_100k(series: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """Value per 100,000 inhabitants; areas without a population are left out."""
    pop = series["area"].astype("category").map(population).astype("float64")
    keep = pop.notna() & (pop > 0)
    out = series[keep].copy()
    out["value"] = out["value"] / pop[keep] * 100_000
    return out


def population_by_area(gm_population: pd.Series, registry: pd.DataFrame) -> pd.Series:
    """Population per gemeente, plus province and country sums."""
    parents = registry.set_index("code")["parent"]
    gm = gm_population[gm_population.index.str.startswith("GM")]
    province = gm.groupby(gm.index.map(parents)).sum()
    country = pd.Series({COUNTRY: gm.sum()})
    return pd.concat([gm, province, country])


def derive_all(
    base: pd.DataFrame, registry: pd.DataFrame, gm_population: pd.Series, population_period
) -> pd.DataFrame:
    """All observations: base ones, sums to province/country, 7-day means and rates per 100k."""
    is_count = base["indicator"].isin(DAILY_COUNTS)
    counts = sum_up(base[is_count], registry) if is_count.any() else obs.empty()
    population = population_by_area(gm_population, registry)
    parts = [base[~is_count], counts, _population_totals(population, population_period)]
    for indicator, (mean_id, rate_id, rate_mean_id) in DERIVED.items():
        series = counts[counts["indicator"] == indicator]
        if series.empty:
            continue
        mean = trailing_mean(series)
        parts.append(mean.assign(indicator=mean_id))
        if rate_id:
            parts.append(per_100k(series, population).assign(indicator=rate_id))
        if rate_mean_id:
            parts.append(per_100k(mean, population).assign(indicator=rate_mean_id))
    return obs.concat(parts)


def _population_totals(population: pd.Series, period) -> pd.DataFrame:
    """Province and country population (gemeente population is a base observation already)."""
    totals = population[~population.index.str.startswith("GM")]
    return obs.frame(["population"] * len(totals), totals.index, [period] * len(totals), totals)
