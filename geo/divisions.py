"""Municipal division changes (herindelingen) and re-coding figures to one division.

The changes live in data/municipal_changes.yaml (mergers and splits with dates, from CBS).
`to_division` moves additive figures (counts, populations) of municipalities that were
dissolved on or before a target date to their successors and sums them there; a split
municipality's figures are divided by the shares in the YAML. Rates and averages are not
additive: re-code their numerator and denominator, then divide again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from data.yamlfile import Problem, YamlProblems, read_yaml, validate_document

CHANGES_PATH = Path(__file__).resolve().parent.parent / "data" / "municipal_changes.yaml"
_GM = r"^GM\d{4}$"
_SHARE_TOLERANCE = 1e-6


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Municipality(_Strict):
    code: str = Field(pattern=_GM)
    name: str


class _Successor(_Municipality):
    share: float = Field(gt=0, le=1)


class _Merger(_Strict):
    date: dt.date
    new: _Municipality
    old: list[_Municipality] = Field(min_length=1)

    @model_validator(mode="after")
    def _new_not_old(self) -> _Merger:
        if self.new.code in {m.code for m in self.old}:
            raise ValueError(f"{self.new.code} cannot merge into itself")
        return self


class _Split(_Strict):
    date: dt.date
    old: _Municipality
    successors: list[_Successor] = Field(min_length=2)

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> _Split:
        total = sum(s.share for s in self.successors)
        if abs(total - 1) > _SHARE_TOLERANCE:
            raise ValueError(f"shares of {self.old.code} sum to {total:g}, expected 1")
        return self


class _ChangesFile(_Strict):
    schema_version: Literal[1]
    mergers: list[_Merger] = []
    splits: list[_Split] = []


@dataclass(frozen=True)
class Change:
    """On `date`, municipality `old` ceased; `share` of it went to `new`."""

    date: dt.date
    old: str
    new: str
    share: float = 1.0
    old_name: str = ""
    new_name: str = ""


def load_changes(path: Path | str = CHANGES_PATH) -> list[Change]:
    """Read and check the changes file; YamlProblems names the file, line and field."""
    doc = read_yaml(path)
    parsed = validate_document(doc, _ChangesFile)
    changes = [
        Change(m.date, old.code, m.new.code, 1.0, old.name, m.new.name)
        for m in parsed.mergers
        for old in m.old
    ] + [
        Change(s.date, s.old.code, succ.code, succ.share, s.old.name, succ.name)
        for s in parsed.splits
        for succ in s.successors
    ]
    ended: dict[str, dt.date] = {}
    for c in changes:
        if ended.setdefault(c.old, c.date) != c.date:
            problem = Problem(str(path), None, "", f"{c.old} is dissolved on two dates")
            raise YamlProblems([problem])
    return sorted(changes, key=lambda c: (c.date, c.old, c.new))


def _as_date(value: dt.date | str | pd.Timestamp) -> dt.date:
    return pd.Timestamp(value).date()


def successors(code: str, changes: list[Change], target_date: dt.date | str) -> dict[str, float]:
    """The municipalities `code` belongs to on `target_date`, with the share of each.

    Follows chains (a successor that is itself dissolved later). A code that no change
    dissolves maps to itself: {'GM0114': 1.0}.
    """
    target = _as_date(target_date)
    state = {code: 1.0}
    for day in sorted({c.date for c in changes if c.date <= target}):
        todays = [c for c in changes if c.date == day]
        dissolved = {c.old for c in todays}
        if not dissolved & state.keys():
            continue
        moved: dict[str, float] = {}
        for area, weight in state.items():
            if area in dissolved:
                for c in todays:
                    if c.old == area:
                        moved[c.new] = moved.get(c.new, 0.0) + weight * c.share
            else:
                moved[area] = moved.get(area, 0.0) + weight
        state = moved
    return state


def to_division(
    obs: pd.DataFrame,
    changes: list[Change],
    target_date: dt.date | str,
    area_column: str = "area",
    value_column: str = "value",
) -> pd.DataFrame:
    """Re-code additive observations to the municipal division in force on `target_date`.

    Rows of dissolved municipalities move to their successors (times the share for a
    split) and are summed with the successors' own rows per value of every other column
    (indicator, period, ...). A missing value in any part makes the sum missing. Codes
    that are not municipalities (NL01, PV22, WK..., RWZI) pass through unchanged.
    Returns the same columns as `obs`, with float values.
    """
    if obs.empty:
        return obs.copy()
    categorical = [c for c in obs.columns if isinstance(obs[c].dtype, pd.CategoricalDtype)]
    if categorical:  # work on plain strings, give back categoricals
        plain = obs.astype(dict.fromkeys(categorical, str))
        result = to_division(plain, changes, target_date, area_column, value_column)
        for column in categorical:
            result[column] = pd.Categorical(result[column].to_numpy(dtype=object))
        return result
    keys = [c for c in obs.columns if c not in (area_column, value_column)]
    codes = obs[area_column].dropna().astype(str).unique()
    mapping = pd.DataFrame(
        [
            (code, new, share)
            for code in codes
            for new, share in successors(code, changes, target_date).items()
        ],
        columns=["_code", "_new", "_share"],
    )
    if (mapping["_code"] == mapping["_new"]).all():
        return obs.copy()
    merged = obs.assign(_code=obs[area_column].astype("string")).merge(
        mapping.astype({"_code": "string"}), on="_code", how="left"
    )
    unmapped = merged["_new"].isna()  # rows without an area code stay as they are
    merged.loc[unmapped, "_share"] = 1.0
    merged[value_column] = merged[value_column].astype("float64") * merged["_share"]
    merged[area_column] = merged["_new"].where(~unmapped, merged[area_column])
    merged[area_column] = merged[area_column].astype(obs[area_column].dtype)
    summed = merged.groupby([*keys, area_column], dropna=False, sort=True)[value_column].sum(
        skipna=False
    )
    return summed.reset_index()[list(obs.columns)]


def main_successor(code: str, changes: list[Change], target_date: dt.date | str) -> str:
    """The one municipality `code` belongs to on `target_date`: the successor with the
    largest share (for a split; lowest code on a tie). For things that cannot be divided,
    like a treatment plant assigned to one municipality."""
    found = successors(code, changes, target_date)
    return min(found, key=lambda c: (-found[c], c))


def dissolved_by(changes: list[Change], target_date: dt.date | str) -> set[str]:
    """Codes of the municipalities that no longer exist on `target_date`."""
    target = _as_date(target_date)
    return {c.old for c in changes if c.date <= target}


def recode_areas(
    areas: pd.DataFrame, changes: list[Change], target_date: dt.date | str
) -> pd.DataFrame:
    """An area frame (code, name, level, parent) in the division of `target_date`: rows of
    dissolved municipalities are dropped, and a parent that is a dissolved municipality
    (a treatment plant's) becomes its main successor."""
    gone = dissolved_by(changes, target_date)
    if not gone or areas.empty:
        return areas
    codes = areas["code"].astype("string")
    out = areas[~codes.isin(gone).fillna(False).to_numpy()].copy()
    parent = out["parent"].astype("string")
    moved = parent.isin(gone).fillna(False).to_numpy()
    if moved.any():
        out.loc[moved, "parent"] = [main_successor(p, changes, target_date) for p in parent[moved]]
    return out.reset_index(drop=True)


def to_division_weighted(
    obs: pd.DataFrame,
    changes: list[Change],
    target_date: dt.date | str,
    weights: pd.Series,
) -> pd.DataFrame:
    """Re-code non-additive observations (shares, rates, averages) of municipalities to the
    division of `target_date`, as the mean of the parts weighted by `weights` (inhabitants
    by municipality code, in the parts' own division).

    Where a successor has more than one part on a row key, the value is
    sum(share * weight * value) / sum(share * weight); it is missing when a part lacks a
    value or a weight. A successor with one part keeps that part's value. Columns as
    `to_division` (area, value and the other columns as keys).
    """
    if obs.empty:
        return obs.copy()
    categorical = [c for c in obs.columns if isinstance(obs[c].dtype, pd.CategoricalDtype)]
    plain = obs.astype(dict.fromkeys(categorical, str)) if categorical else obs
    keys = [c for c in plain.columns if c not in ("area", "value")]
    codes = plain["area"].dropna().astype(str).unique()
    mapping = pd.DataFrame(
        [
            (code, new, share)
            for code in codes
            for new, share in successors(code, changes, target_date).items()
        ],
        columns=["area", "_new", "_share"],
    )
    merged = plain.merge(mapping, on="area", how="left")
    merged["_new"] = merged["_new"].fillna(merged["area"])
    merged["_share"] = merged["_share"].fillna(1.0)
    merged["_w"] = merged["area"].map(weights).astype("float64") * merged["_share"]
    merged["_wv"] = merged["_w"] * merged["value"].astype("float64")
    grouped = merged.groupby([*keys, "_new"], dropna=False, sort=True)
    parts = grouped["area"].transform("size")
    single = parts == 1
    merged.loc[single, "_w"] = 1.0
    merged.loc[single, "_wv"] = merged.loc[single, "value"].astype("float64")
    sums = merged.groupby([*keys, "_new"], dropna=False, sort=True)[["_wv", "_w"]].sum(min_count=1)
    incomplete = (
        merged.assign(_bad=merged["_wv"].isna())
        .groupby([*keys, "_new"], dropna=False, sort=True)["_bad"]
        .any()
    )
    value = (sums["_wv"] / sums["_w"]).mask(incomplete)
    out = value.rename("value").reset_index().rename(columns={"_new": "area"})
    out = out[list(plain.columns)]
    for column in categorical:
        out[column] = pd.Categorical(out[column].to_numpy(dtype=object))
    return out
