"""Combining the figures of several areas into one, by the rule each indicator declares in the
catalog (`aggregation`): counts are summed, shares and averages weighted by their denominator,
densities divided by the summed area, and what cannot be combined is said to be so.

Pure functions of plain values: the caller (layouts/views/selection.py) reads the parts' values
from the store. A part whose own figure is missing or secret is left out and named, never
derived from the others, so a combination can never reveal a figure the source withheld.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from data.catalog import AREA_UNITS, Indicator

Status = Literal["ok", "suppressed", "not_combinable", "no_data"]


@dataclass(frozen=True)
class Combined:
    """The combined figure of a selection of areas for one indicator."""

    value: float | None  # None unless status is "ok"
    status: Status
    used: tuple[str, ...] = ()  # the parts the value is made of
    missing: tuple[str, ...] = ()  # parts without a (published) figure, left out
    base: float | None = None  # the summed weight or numerator the disclosure limit is about

    @property
    def complete(self) -> bool:
        return self.status == "ok" and not self.missing


def _known(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _parts(codes: Sequence[str], *columns: Mapping[str, float | None]):
    used, missing = [], []
    for code in codes:
        (used if all(_known(c.get(code)) for c in columns) else missing).append(code)
    return tuple(used), tuple(missing)


def _disclosed(value: float, base: float, limit: int | None, **kw) -> Combined:
    if limit is not None and base < limit:
        return Combined(None, "suppressed", base=base, **kw)
    return Combined(value, "ok", base=base, **kw)


def combine_sum(
    codes: Sequence[str], values: Mapping[str, float | None], limit: int | None = None
) -> Combined:
    """Σ values; the disclosure limit applies to the total itself."""
    used, missing = _parts(codes, values)
    if not used:
        return Combined(None, "no_data", missing=missing)
    total = math.fsum(values[c] for c in used)
    return _disclosed(total, total, limit, used=used, missing=missing)


def combine_weighted_mean(
    codes: Sequence[str],
    values: Mapping[str, float | None],
    weights: Mapping[str, float | None],
    limit: int | None = None,
) -> Combined:
    """Σ value × weight / Σ weight over the parts that have both; suppressed when Σ weight is
    below `limit`."""
    used, missing = _parts(codes, values, weights)
    base = math.fsum(weights[c] for c in used)
    if not used or base <= 0:
        return Combined(None, "no_data", used=used, missing=missing)
    mean = math.fsum(values[c] * weights[c] for c in used) / base
    return _disclosed(mean, base, limit, used=used, missing=missing)


def combine_density(
    codes: Sequence[str],
    numerators: Mapping[str, float | None],
    areas: Mapping[str, float | None],
    area_unit: str = "ha",
    limit: int | None = None,
) -> Combined:
    """Σ numerator / Σ area in km² (`area_unit`: ha or km²); suppressed when Σ numerator is
    below `limit`."""
    used, missing = _parts(codes, numerators, areas)
    km2 = math.fsum(areas[c] for c in used) * AREA_UNITS[area_unit]
    if not used or km2 <= 0:
        return Combined(None, "no_data", used=used, missing=missing)
    base = math.fsum(numerators[c] for c in used)
    return _disclosed(base / km2, base, limit, used=used, missing=missing)


def combine(
    indicator: Indicator,
    codes: Sequence[str],
    values: Mapping[str, Mapping[str, float | None]],
    area_unit: str = "ha",
) -> Combined:
    """The combined figure of `codes` for `indicator`, by its catalog rule. `values` holds, per
    indicator id, the parts' values of the same period: the indicator itself and the ones its
    rule names (weight, numerator, per_area)."""
    rule = indicator.aggregation
    limit = indicator.disclosure_limit
    empty: dict[str, float | None] = {}
    if rule == "sum":
        return combine_sum(codes, values.get(indicator.id, empty), limit)
    if rule == "weighted_mean":
        return combine_weighted_mean(
            codes, values.get(indicator.id, empty), values.get(indicator.weight, empty), limit
        )
    if rule == "density":
        return combine_density(
            codes,
            values.get(indicator.numerator, empty),
            values.get(indicator.per_area, empty),
            area_unit,
            limit,
        )
    return Combined(None, "not_combinable")


def inputs_of(indicator: Indicator) -> tuple[str, ...]:
    """The indicators whose values `combine` needs for `indicator`."""
    if indicator.aggregation == "weighted_mean":
        return (indicator.id, indicator.weight)
    if indicator.aggregation == "density":
        return (indicator.numerator, indicator.per_area)
    if indicator.aggregation == "sum":
        return (indicator.id,)
    return ()
