"""The one data model: observations (indicator, area, period, value)."""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["indicator", "area", "period", "value"]
AREA_COLUMNS = ["code", "name", "level", "parent"]
LEVELS = ("nl", "pv", "gm", "wk", "bu", "rwzi")


def empty() -> pd.DataFrame:
    return frame([], [], [], [])


def frame(indicator, area, period, value) -> pd.DataFrame:
    """Build an observations frame with the canonical dtypes (codes as categoricals: millions of
    rows share a few hundred codes)."""
    return pd.DataFrame(
        {
            "indicator": _categorical(indicator),
            "area": _categorical(area),
            "period": pd.to_datetime(pd.Series(period))
            .astype("datetime64[ns]")
            .reset_index(drop=True),
            "value": pd.Series(value, dtype="float64").reset_index(drop=True),
        }
    )


def _categorical(values, prune: bool = True) -> pd.Series:
    """Codes as a categorical with plain-object string categories (one dtype for all frames)."""
    series = pd.Series(values).reset_index(drop=True)
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    cat = (series.cat.remove_unused_categories() if prune else series).array
    categories = pd.Index(cat.categories.astype(str), dtype=object)
    return pd.Series(pd.Categorical.from_codes(cat.codes, categories=categories))


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate observation frames, keeping codes categorical (a plain concat of categoricals
    with different categories falls back to millions of Python strings)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty()
    out = {}
    for column in ("indicator", "area"):
        parts = [_categorical(f[column], prune=False).values for f in frames]
        out[column] = pd.api.types.union_categoricals(parts, sort_categories=True)
    out["period"] = np.concatenate([f["period"].to_numpy("datetime64[ns]") for f in frames])
    out["value"] = np.concatenate([f["value"].to_numpy("float64") for f in frames])
    return pd.DataFrame(out)


def has_prefix(codes: pd.Series, prefix: str) -> pd.Series:
    """Boolean mask of the codes that start with `prefix` (fast on categoricals)."""
    if isinstance(codes.dtype, pd.CategoricalDtype):
        matching = [c for c in codes.cat.categories if str(c).startswith(prefix)]
        return codes.isin(matching)
    return codes.astype("string").str.startswith(prefix).fillna(False).astype(bool)


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with exactly the observation columns and dtypes."""
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"observations lack columns {missing}")
    return frame(df["indicator"], df["area"], df["period"], df["value"]).reset_index(drop=True)


def areas_frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=AREA_COLUMNS)
    return df.astype({"code": "string", "name": "string", "level": "string", "parent": "string"})
