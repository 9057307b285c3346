"""Denominators for rates per 100,000 inhabitants: which population divides which year.

Rule (the national dashboard's): an observation is divided by the population on 1 January of
its own year where the platform has it, otherwise by that of the nearest earlier year (and,
before the first year the platform has, by the first). A municipality uses its own years; a
province or the country uses only the years in which every one of its municipalities has a
population, so that its denominator is always the sum of one year's figures.

The table that comes out (area, year, population, population_year) is stored with each store
version (`denominators.parquet`), so every rate can be traced to the population it used.
"""

from __future__ import annotations

import pandas as pd

from data import observations as obs

COUNTRY = "NL01"
COLUMNS = ["area", "year", "population", "population_year"]


def municipal_vintages(base: pd.DataFrame) -> pd.DataFrame:
    """Population per municipality and year (columns area, year, value) from observations."""
    rows = base[(base["indicator"] == "population") & obs.has_prefix(base["area"], "GM")]
    rows = rows.dropna(subset=["value"])
    out = pd.DataFrame(
        {
            "area": rows["area"].astype(str).to_numpy(),
            "year": rows["period"].dt.year.to_numpy(),
            "value": rows["value"].to_numpy("float64"),
        }
    )
    return out.drop_duplicates(["area", "year"], keep="last").reset_index(drop=True)


def _nearest_earlier(available: list[int], year: int) -> int:
    earlier = [y for y in available if y <= year]
    return max(earlier) if earlier else min(available)


def denominators(
    vintages: pd.DataFrame, parents: pd.Series, years: list[int] | range
) -> pd.DataFrame:
    """The population each area divides by in each of `years` (columns area, year,
    population, population_year), for municipalities, their provinces (`parents`: province
    by municipality code) and the country."""
    if vintages.empty or not len(years):
        return pd.DataFrame(columns=COLUMNS)
    table = vintages.pivot_table(index="area", columns="year", values="value", aggfunc="last")
    rows = []
    for area, values in table.iterrows():
        available = sorted(int(y) for y in values.dropna().index)
        for year in years:
            used = _nearest_earlier(available, year)
            rows.append((area, year, values[used], used))
    regions = {COUNTRY: list(table.index)}
    for area in table.index:
        parent = parents.get(area)
        if isinstance(parent, str):
            regions.setdefault(parent, []).append(area)
    for region, members in sorted(regions.items()):
        part = table.loc[members]
        complete = sorted(int(y) for y in part.columns if part[y].notna().all())
        if not complete:
            continue
        for year in years:
            used = _nearest_earlier(complete, year)
            rows.append((region, year, part[used].sum(), used))
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"year": "int64", "population": "float64", "population_year": "int64"})


def region_totals(denominators_table: pd.DataFrame) -> pd.DataFrame:
    """Province and country population as observations, for the years they are complete."""
    table = denominators_table[~denominators_table["area"].str.startswith("GM")]
    own = table[table["year"] == table["population_year"]]
    return obs.frame(
        ["population"] * len(own),
        own["area"].tolist(),
        pd.to_datetime(own["year"].astype(str) + "-01-01").tolist(),
        own["population"].tolist(),
    )


def per_100k(series: pd.DataFrame, denominators_table: pd.DataFrame) -> pd.DataFrame:
    """Value per 100,000 inhabitants, each row divided by the population of its area for its
    year (see `denominators`); rows of areas without a population are left out."""
    if series.empty or denominators_table.empty:
        return series.iloc[0:0]
    lookup = denominators_table.set_index(["area", "year"])["population"]
    key = pd.MultiIndex.from_arrays(
        [series["area"].astype(str).to_numpy(), series["period"].dt.year.to_numpy()]
    )
    pop = pd.Series(lookup.reindex(key).to_numpy(), index=series.index)
    keep = pop.notna() & (pop > 0)
    out = series[keep].copy()
    out["value"] = out["value"] / pop[keep] * 100_000
    return out


def years_used(denominators_table: pd.DataFrame, years: set[int]) -> dict[str, list[int]]:
    """For the manifest: observation year -> the population years that divided it."""
    table = denominators_table[denominators_table["year"].isin(years)]
    return {
        str(year): sorted(int(y) for y in group["population_year"].unique())
        for year, group in table.groupby("year")
    }
