"""Simplify a polygon coverage once, in the pipeline, so maps send little geometry.

A coverage is a set of polygons that tile an area (municipalities, wijken, buurten).
Simplifying each polygon on its own would open gaps and overlaps along shared borders;
`shapely.coverage_simplify` simplifies every shared edge once, so borders stay shared.
It works in metres (RD New, EPSG:28992); the result goes back to WGS84 and is snapped to
a grid of 10^-decimals degrees with `shapely.set_precision`, which keeps every polygon
valid and, since shared vertices snap to the same grid point, keeps borders shared.
"""

from __future__ import annotations

import json

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"

# (tolerance in metres, decimals) per area level. The tolerance is coverage_simplify's
# Visvalingam-Whyatt tolerance (about the square root of the triangle areas it removes).
# 4 decimals is ~7 m east-west and ~11 m north-south in the Netherlands, 5 decimals ~1 m.
DEFAULTS: dict[str, tuple[float, int]] = {
    "nl": (250.0, 4),
    "pv": (150.0, 4),
    "gm": (100.0, 4),
    "wk": (10.0, 5),
    "bu": (5.0, 5),
}

_SNAP_M = 0.05  # coverage_clean snaps vertices closer than this (metres) to each other
_TO_RD = Transformer.from_crs(WGS84, RD_NEW, always_xy=True)
_TO_WGS84 = Transformer.from_crs(RD_NEW, WGS84, always_xy=True)


def _reproject(geoms: np.ndarray, transformer: Transformer) -> np.ndarray:
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of `geom` (make_valid can add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _valid(geom: shapely.Geometry) -> shapely.Geometry:
    return geom if geom.is_valid else _polygonal(shapely.make_valid(geom))


def _features(fc: dict) -> tuple[list[str], list[str | None], np.ndarray]:
    if fc.get("type") != "FeatureCollection":
        raise ValueError("expected a GeoJSON FeatureCollection")
    codes: list[str] = []
    names: list[str | None] = []
    geoms = []
    for i, feature in enumerate(fc.get("features", [])):
        props = feature.get("properties") or {}
        code = props.get("code") or feature.get("id")
        if not code:
            raise ValueError(f"feature {i} has no 'code' property")
        if feature.get("geometry") is None:
            raise ValueError(f"feature {code} has no geometry")
        geom = _valid(shape(feature["geometry"]))
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"feature {code} is not a polygon")
        codes.append(str(code))
        names.append(props.get("name"))
        geoms.append(geom)
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"codes occur more than once: {duplicates}")
    return codes, names, np.array(geoms, dtype=object)


def _rounded(coords, decimals: int):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), decimals) for c in coords]
    return [_rounded(c, decimals) for c in coords]


def to_feature_collection(
    codes: list[str], names: list[str | None], geoms, decimals: int | None = None
) -> dict:
    """Minimal GeoJSON: feature id = code, properties code and name, nothing else."""
    features = []
    for code, name, geom in zip(codes, names, geoms, strict=True):
        geometry = mapping(geom)
        coordinates = geometry["coordinates"]
        if decimals is not None:
            coordinates = _rounded(coordinates, decimals)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": name},
                "geometry": {"type": geometry["type"], "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def simplify_coverage(fc: dict, tolerance_m: float, decimals: int) -> dict:
    """Simplify a WGS84 polygon coverage, keeping shared borders shared and every code.

    Input features need a `code` property (or an id); `name` is kept when present.
    Invalid polygons are made valid first. Exterior rings come out counter-clockwise
    (RFC 7946). Raises ValueError if a feature would vanish at this tolerance/precision.
    """
    if tolerance_m < 0 or decimals < 0:
        raise ValueError("tolerance_m and decimals must not be negative")
    codes, names, geoms = _features(fc)
    rd = _reproject(geoms, _TO_RD)
    if not shapely.coverage_is_valid(rd):
        rd = shapely.coverage_clean(rd, snapping_distance=_SNAP_M)
    if tolerance_m > 0:
        rd = shapely.coverage_simplify(rd, tolerance_m, simplify_boundary=True)
    wgs = _reproject(rd, _TO_WGS84)
    snapped = shapely.set_precision(wgs, 10.0**-decimals)
    out = []
    for code, geom in zip(codes, snapped, strict=True):
        geom = _valid(_polygonal(geom))
        if geom.is_empty:
            raise ValueError(
                f"feature {code} vanished at tolerance {tolerance_m} m and {decimals} decimals; "
                "use a smaller tolerance or more decimals"
            )
        out.append(shapely.orient_polygons(geom))
    return to_feature_collection(codes, names, out, decimals)


def simplify_level(fc: dict, level: str) -> dict:
    """simplify_coverage with the DEFAULTS for an area level ('gm', 'wk', 'bu', ...)."""
    try:
        tolerance_m, decimals = DEFAULTS[level]
    except KeyError:
        raise ValueError(f"no simplification defaults for level '{level}'") from None
    return simplify_coverage(fc, tolerance_m, decimals)


def geojson_size_bytes(fc: dict) -> int:
    """Size of `fc` as compact UTF-8 JSON, as it would be sent to the browser."""
    return len(json.dumps(fc, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
