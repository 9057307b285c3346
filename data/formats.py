"""Registry of upstream formats: each turns a dataset's raw files into normalized data.

A format function takes the fetched files of one dataset (grouped by the catalog's `role`)
and the dataset's catalog entry, and returns `Normalized`: base observations (no derived
indicators: those are computed in data/derive.py), the areas the dataset names, and
geometry (GeoJSON FeatureCollections per area level, WGS84, properties `code` and `name`).
Any problem with the input raises data.errors.SourceError with a reason a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from data.catalog import Dataset
from data.observations import areas_frame, empty


@dataclass(frozen=True)
class RawFile:
    role: str
    name: str  # file name or URL, used in error messages
    content: bytes


@dataclass
class Normalized:
    observations: pd.DataFrame = field(default_factory=empty)
    areas: pd.DataFrame = field(default_factory=lambda: areas_frame([]))
    geometry: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


FormatFunction = Callable[[dict[str, list[RawFile]], Dataset], Normalized]

FORMATS: dict[str, FormatFunction] = {}


def register(name: str) -> Callable[[FormatFunction], FormatFunction]:
    def decorate(fn: FormatFunction) -> FormatFunction:
        FORMATS[name] = fn
        return fn

    return decorate


def format_function(name: str) -> FormatFunction:
    import data.parsers  # noqa: F401  (registers the formats)

    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown dataset format '{name}'; known: {sorted(FORMATS)}") from None
