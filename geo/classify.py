"""Classify map values into classes for a choropleth: quantile, equal interval or fixed breaks.

Every class is a half-open interval [lower, upper) except the last, which includes its upper
bound; a value equal to a bound belongs to the class that starts there. Values that are NaN
(or infinite) have no class (None): the map shows them as "no data".

- quantile: bounds at the quantiles of the values (linear interpolation). Duplicate bounds are
  merged and classes left empty are merged into their lower neighbour, so a class never
  holds nothing; with no more distinct values than classes, each value is its own class (v, v).
- equal_interval: `classes` classes of equal width from the minimum to the maximum; empty
  classes stay (that is what equal intervals mean). All values equal: one class (v, v).
- fixed: `breaks` are the thresholds between classes, so n breaks give n + 1 classes and the
  first and last are open-ended: (-inf, b0), [b0, b1), ..., [b(n-1), inf). The legend stays the
  same whatever the data; values below or above the breaks fall in the open-ended classes.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Method = Literal["quantile", "equal_interval", "fixed"]


@dataclass(frozen=True)
class Classification:
    method: str
    bounds: list[tuple[float, float]]
    counts: list[int]
    classes: pd.Series  # class index per value (same index as the input); None = no data
    mean: float | None  # mean of the values with data
    no_data: int

    @property
    def k(self) -> int:
        return len(self.bounds)

    def class_of(self, value: float | None) -> int | None:
        """The class a (new) value falls in, by the same rule as the classified values."""
        return _assign(np.array([_as_float(value)]), self.bounds)[0]


@dataclass(frozen=True)
class LegendEntry:
    lower: float | None
    upper: float | None
    count: int
    no_data: bool = False


def _as_float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _tidy(x: float) -> float:
    """Drop floating-point noise from computed bounds (2.8000000000000003 -> 2.8)."""
    return float(f"{x:.12g}") if math.isfinite(x) else x


def _assign(values: np.ndarray, bounds: list[tuple[float, float]]) -> list[int | None]:
    if not bounds:
        return [None] * len(values)
    lowers = np.array([lo for lo, _ in bounds])
    idx = np.clip(np.searchsorted(lowers, values, side="right") - 1, 0, len(bounds) - 1)
    return [int(i) if math.isfinite(v) else None for i, v in zip(idx, values, strict=True)]


def _counts(values: np.ndarray, bounds: list[tuple[float, float]]) -> list[int]:
    counts = [0] * len(bounds)
    for i in _assign(values, bounds):
        if i is not None:
            counts[i] += 1
    return counts


def _pairs(edges: list[float]) -> list[tuple[float, float]]:
    return list(itertools.pairwise(edges))


def _quantile_bounds(x: np.ndarray, classes: int) -> list[tuple[float, float]]:
    distinct = np.unique(x)
    if len(distinct) <= classes:
        return [(float(v), float(v)) for v in distinct]
    edges = [_tidy(float(q)) for q in np.quantile(x, np.linspace(0, 1, classes + 1))]
    edges[0], edges[-1] = float(distinct[0]), float(distinct[-1])
    edges = sorted(set(edges))
    while True:
        counts = _counts(x, _pairs(edges))
        empty = [i for i, n in enumerate(counts) if n == 0 and i > 0]
        if not empty:
            return _pairs(edges)
        del edges[empty[0]]


def _equal_bounds(x: np.ndarray, classes: int) -> list[tuple[float, float]]:
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        return [(lo, hi)]
    edges = [_tidy(lo + (hi - lo) * i / classes) for i in range(classes + 1)]
    edges[0], edges[-1] = lo, hi
    return _pairs(sorted(set(edges)))


def _fixed_bounds(breaks: list[float]) -> list[tuple[float, float]]:
    edges = sorted({float(b) for b in breaks})
    if not edges or not all(math.isfinite(b) for b in edges):
        raise ValueError("method 'fixed' needs at least one finite break")
    return _pairs([-math.inf, *edges, math.inf])


def classify(
    values: pd.Series,
    method: Method,
    classes: int | None = None,
    breaks: list[float] | None = None,
) -> Classification:
    """Classify `values` (one value per area); see the module docstring for the rules."""
    numeric = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64")
    arr = numeric.to_numpy(dtype="float64", na_value=np.nan)
    finite = arr[np.isfinite(arr)]
    if method == "fixed":
        if breaks is None:
            raise ValueError("method 'fixed' needs 'breaks'")
        bounds = _fixed_bounds(breaks)
    elif method in ("quantile", "equal_interval"):
        if classes is None or classes < 1:
            raise ValueError(f"method '{method}' needs 'classes' >= 1, got {classes}")
        if finite.size == 0:
            bounds = []
        elif method == "quantile":
            bounds = _quantile_bounds(finite, classes)
        else:
            bounds = _equal_bounds(finite, classes)
    else:
        raise ValueError(f"unknown classification method '{method}'")
    assigned = _assign(arr, bounds)
    return Classification(
        method=method,
        bounds=bounds,
        counts=_counts(finite, bounds),
        classes=pd.Series(assigned, index=numeric.index, dtype="object"),
        mean=float(finite.mean()) if finite.size else None,
        no_data=int(arr.size - finite.size),
    )


def legend_entries(classification: Classification) -> list[LegendEntry]:
    """One entry per class (bounds; None for an open end) and a last no-data entry if any."""
    entries = [
        LegendEntry(
            lower=lo if math.isfinite(lo) else None,
            upper=hi if math.isfinite(hi) else None,
            count=n,
        )
        for (lo, hi), n in zip(classification.bounds, classification.counts, strict=True)
    ]
    if classification.no_data:
        entries.append(LegendEntry(None, None, classification.no_data, no_data=True))
    return entries
