"""Derived indicators, computed once in the pipeline: trailing 7-day means, sums from gemeente up
to province and country, rates per 100,000 inhabitants, and sewage for provinces and the
country from the treatment plants."""

from __future__ import annotations

import pandas as pd

from data import observations as obs
from data import population

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
SEWAGE = "sewage_rna_per_100k"


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


def weekly_sewage(
    plants: pd.DataFrame, registry: pd.DataFrame, denominators: pd.DataFrame
) -> pd.DataFrame:
    """Sewage per province and for the country per week (periods: the Monday), the national
    dashboard's method with the weights this platform has.

    Per treatment plant the mean of its measurements in the week; per municipality the mean
    of its plants (the plant's municipality is its parent in the registry: one per plant);
    per province and country the mean of the municipalities with a value that week,
    weighted by their inhabitants (the population the rates per 100,000 use for that year).
    So each plant weighs the inhabitants of its municipality, shared among the plants of
    that municipality that measured that week.
    """
    if plants.empty:
        return obs.empty()
    table = registry.set_index("code")
    plant_gm = table.loc[table["level"] == "rwzi", "parent"].dropna()
    gm_parent = table.loc[table["level"] == "gm", "parent"]
    week = plants["period"] - pd.to_timedelta(plants["period"].dt.day_of_week, unit="D")
    frame = pd.DataFrame(
        {
            "plant": plants["area"].astype(str).to_numpy(),
            "week": week.to_numpy(),
            "value": plants["value"].to_numpy("float64"),
        }
    ).dropna(subset=["value"])
    per_plant = frame.groupby(["plant", "week"], as_index=False)["value"].mean()
    per_plant["gm"] = per_plant["plant"].map(plant_gm)
    per_gm = per_plant.dropna(subset=["gm"]).groupby(["gm", "week"], as_index=False)["value"].mean()
    weights = denominators.set_index(["area", "year"])["population"]
    key = pd.MultiIndex.from_arrays([per_gm["gm"].to_numpy(), per_gm["week"].dt.year.to_numpy()])
    per_gm["weight"] = weights.reindex(key).to_numpy()
    per_gm = per_gm.dropna(subset=["weight"])
    per_gm["weighted"] = per_gm["value"] * per_gm["weight"]
    per_gm["pv"] = per_gm["gm"].map(gm_parent)
    parts = []
    for region, group in (("pv", per_gm.dropna(subset=["pv"])), (None, per_gm)):
        keys = [region, "week"] if region else ["week"]
        sums = group.groupby(keys, as_index=False)[["weighted", "weight"]].sum()
        area = sums[region] if region else COUNTRY
        parts.append(
            obs.frame(
                [SEWAGE] * len(sums),
                [area] * len(sums) if region is None else area,
                sums["week"],
                sums["weighted"] / sums["weight"],
            )
        )
    return obs.concat(parts)


def derive_all(
    base: pd.DataFrame, registry: pd.DataFrame, denominators: pd.DataFrame
) -> pd.DataFrame:
    """All observations: base ones, sums to province/country, 7-day means, rates per 100k
    (each year divided by its own population, see data/population.py) and sewage per
    province and country."""
    is_count = base["indicator"].isin(DAILY_COUNTS)
    counts = sum_up(base[is_count], registry) if is_count.any() else obs.empty()
    parts = [base[~is_count], counts, population.region_totals(denominators)]
    for indicator, (mean_id, rate_id, rate_mean_id) in DERIVED.items():
        series = counts[counts["indicator"] == indicator]
        if series.empty:
            continue
        mean = trailing_mean(series)
        parts.append(mean.assign(indicator=mean_id))
        if rate_id:
            parts.append(population.per_100k(series, denominators).assign(indicator=rate_id))
        if rate_mean_id:
            parts.append(population.per_100k(mean, denominators).assign(indicator=rate_mean_id))
    sewage = base[base["indicator"] == SEWAGE]
    plants = sewage[sewage["area"].astype(str).str.fullmatch(r"\d+").to_numpy()]
    parts.append(weekly_sewage(plants, registry, denominators))
    return obs.concat(parts)
