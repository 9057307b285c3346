"""The area registry: one row per area code with its name, level and parent.

Datasets name areas (columns code, name, level, parent); `build_area_registry` merges them.
Level and, where the code says it, parent are derived from the CBS code itself:
BU01140100 -> WK011401 -> GM0114, PVxx -> NL01. A municipality's province is not in its
code, so it comes from the datasets (first non-null wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from data.observations import AREA_COLUMNS, LEVELS, areas_frame
from geo.provinces import COUNTRY, COUNTRY_NAME, PROVINCES

_PATTERNS: dict[str, re.Pattern[str]] = {
    "nl": re.compile(r"NL\d{2}"),
    "pv": re.compile(r"PV\d{2}"),
    "gm": re.compile(r"GM\d{4}"),
    "wk": re.compile(r"WK\d{6}"),
    "bu": re.compile(r"BU\d{8}"),
    "rwzi": re.compile(r"\d+"),
}
_LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}


def level_of(code: str) -> str:
    """The area level a CBS code belongs to: 'GM0114' -> 'gm'; digits only -> 'rwzi'."""
    for level, pattern in _PATTERNS.items():
        if pattern.fullmatch(code):
            return level
    raise ValueError(
        f"area code '{code}' has no known form; expected NLnn, PVnn, GMnnnn, WKnnnnnn, "
        "BUnnnnnnnn or a treatment-plant number"
    )


def parent_from_code(code: str) -> str | None:
    """The parent that the code itself determines, or None (GM, NL, RWZI)."""
    level = level_of(code)
    if level == "bu":
        return "WK" + code[2:8]
    if level == "wk":
        return "GM" + code[2:6]
    if level == "pv":
        return COUNTRY
    return None


def municipality_of(code: str) -> str | None:
    """The gemeente a gemeente, wijk or buurt code says it lies in: CBS codes carry the
    municipality's number (WK011401 and BU01140100 -> GM0114); None for other codes."""
    if code[:2] in ("GM", "WK", "BU") and len(code) >= 6:
        return "GM" + code[2:6]
    return None


def _clean(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def build_area_registry(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Merge area frames into one registry (one row per code), sorted by level and code.

    Names: the first non-null name wins in the order of `parts` (pass geometry first);
    provinces and NL01 always carry their official names. Parents: derived from the code
    where it can be, otherwise the first non-null parent given; a code that appears only as
    a parent gets a row too (name unknown). A level or a parent that contradicts the code
    raises ValueError naming the code.
    """
    names: dict[str, str | None] = {COUNTRY: COUNTRY_NAME, **PROVINCES}
    parents: dict[str, str | None] = {COUNTRY: None, **dict.fromkeys(PROVINCES, COUNTRY)}
    fixed = set(names)
    for part in parts:
        missing = [c for c in AREA_COLUMNS if c not in part.columns and c != "level"]
        if missing:
            raise ValueError(f"area frame lacks columns {missing}")
        for row in part.itertuples(index=False):
            code = _clean(row.code)
            if code is None:
                continue
            level = level_of(code)
            given_level = _clean(getattr(row, "level", None))
            if given_level is not None and given_level != level:
                raise ValueError(f"area {code}: level '{given_level}' given, code says '{level}'")
            name = _clean(row.name)
            if code not in fixed and names.get(code) is None:
                names[code] = name
            derived = parent_from_code(code)
            given_parent = _clean(row.parent)
            if derived is not None and given_parent is not None and given_parent != derived:
                raise ValueError(
                    f"area {code}: parent '{given_parent}' given, code says '{derived}'"
                )
            if parents.get(code) is None:
                parents[code] = derived or given_parent
            names.setdefault(code, None)
    pending = [p for p in parents.values() if p is not None and p not in names]
    while pending:  # a parent named only as a parent still gets a row
        code = pending.pop()
        if code in names:
            continue
        names[code] = None
        parents[code] = parent_from_code(code)
        if parents[code] is not None:
            pending.append(parents[code])
    rows = [
        {"code": code, "name": names[code], "level": level_of(code), "parent": parents.get(code)}
        for code in sorted(names, key=lambda c: (_LEVEL_ORDER[level_of(c)], c))
    ]
    return areas_frame(rows)


def _row(registry: pd.DataFrame, code: str) -> pd.Series:
    hits = registry[registry["code"] == code]
    if hits.empty:
        raise KeyError(f"area '{code}' is not in the area registry")
    return hits.iloc[0]


def parent_chain(registry: pd.DataFrame, code: str) -> list[str]:
    """Ancestors of `code`, nearest first: BU01140100 -> [WK011401, GM0114, PV22, NL01].

    The chain stops where the registry knows no parent.
    """
    chain: list[str] = []
    current = _clean(_row(registry, code)["parent"])
    while current is not None and current not in chain:
        chain.append(current)
        hits = registry[registry["code"] == current]
        if hits.empty:
            break
        current = _clean(hits.iloc[0]["parent"])
    return chain


def children(registry: pd.DataFrame, code: str) -> list[str]:
    """Codes whose parent is `code`, sorted."""
    return sorted(registry.loc[registry["parent"] == code, "code"].dropna().astype(str))


@dataclass(frozen=True)
class MissingReport:
    """Areas of one level with values but no polygon, and polygons without values."""

    level: str
    values_without_polygon: list[tuple[str, str | None]] = field(default_factory=list)
    polygons_without_values: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.values_without_polygon and not self.polygons_without_values


def missing_report(
    registry: pd.DataFrame,
    codes_with_geometry: set[str] | list[str],
    codes_with_values: set[str] | list[str],
    level: str,
) -> MissingReport:
    """Compare the areas of `level` that have a polygon with those that have a value.

    The page must say which areas it cannot draw (values, no polygon) and which it draws
    without data (polygon, no value); nothing is dropped silently. Codes are (code, name)
    pairs, the name from the registry (None when the registry does not know the code).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level '{level}'; known: {list(LEVELS)}")
    names = dict(zip(registry["code"].astype(str), registry["name"], strict=True))

    def of_level(codes) -> set[str]:
        return {str(c) for c in codes if _PATTERNS[level].fullmatch(str(c))}

    geometry, values = of_level(codes_with_geometry), of_level(codes_with_values)

    def named(codes: set[str]) -> list[tuple[str, str | None]]:
        return [(c, _clean(names.get(c))) for c in sorted(codes)]

    return MissingReport(level, named(values - geometry), named(geometry - values))


def feature_codes(geojson: dict | None) -> list[str]:
    """The area codes of a GeoJSON's features (id, else properties.code), in file order."""
    if not geojson:
        return []
    return [
        str(f.get("id") or (f.get("properties") or {}).get("code")) for f in geojson["features"]
    ]
