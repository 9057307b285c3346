"""The one data model: observations (indicator, area, period, value)."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["indicator", "area", "period", "value"]
AREA_COLUMNS = ["code", "name", "level", "parent"]
LEVELS = ("nl", "pv", "gm", "wk", "bu", "rwzi")


def empty() -> pd.DataFrame:
    return frame([], [], [], [])


def frame(indicator, area, period, value) -> pd.DataFrame:
    """Build an observations frame with the canonical dtypes."""
    return pd.DataFrame(
        {
            "indicator": pd.Series(indicator, dtype="string"),
            "area": pd.Series(area, dtype="string"),
            "period": pd.to_datetime(pd.Series(period)).astype("datetime64[ns]"),
            "value": pd.Series(value, dtype="float64"),
        }
    )


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with exactly the observation columns and dtypes."""
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"observations lack columns {missing}")
    return frame(df["indicator"], df["area"], df["period"], df["value"]).reset_index(drop=True)


def areas_frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=AREA_COLUMNS)
    return df.astype({"code": "string", "name": "string", "level": "string", "parent": "string"})
