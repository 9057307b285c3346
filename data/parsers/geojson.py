"""Area boundaries: GeoJSON FeatureCollections and TopoJSON topologies in WGS84 lon/lat.

Property names of all known sources are accepted: `code` (VWS dashboard), `statcode`/
`statnaam` (CBS/PDOK gebiedsindelingen), `gemeentecode`/`wijkcode`/`buurtcode` with their
`...naam` (PDOK wijkenbuurten), and `areaName`/`name`. Output features carry exactly the
properties `code` and `name`; geometry is made valid but not simplified.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import numpy as np

from data.catalog import Dataset
from data.errors import SourceError
from data.formats import Normalized, RawFile, register
from data.observations import areas_frame
from data.parsers.csvtools import CODE_EXAMPLES, CODE_PATTERNS, prepare_text
from geo.registry import municipality_of

if TYPE_CHECKING:  # shapely is imported where geometry is parsed: a web worker never does
    import shapely
    from shapely.geometry import Polygon

# WGS84 lon/lat box around the Netherlands; anything outside is not lon/lat of Dutch areas.
LON_RANGE = (2.0, 8.0)
LAT_RANGE = (50.0, 54.0)
WGS84_NAMES = re.compile(r"(EPSG:*4326|CRS84|WGS ?84)$", re.IGNORECASE)

CODE_KEYS: dict[str, list[str]] = {
    "nl": ["code", "statcode"],
    "pv": ["provinciecode", "statcode", "code", "PV_CODE"],
    "gm": ["gemeentecode", "statcode", "code", "GM_CODE", "gm_code"],
    "wk": ["wijkcode", "statcode", "code", "WK_CODE"],
    "bu": ["buurtcode", "statcode", "code", "BU_CODE"],
}
NAME_KEYS: dict[str, list[str]] = {
    "nl": [],
    "pv": ["provincienaam"],
    "gm": ["gemeentenaam"],
    "wk": ["wijknaam"],
    "bu": ["buurtnaam"],
}
COMMON_NAME_KEYS = ["statnaam", "areaName", "name", "naam"]
PROVINCE_KEYS = ["provinciecode", "pv_code", "PV_CODE", "provincie_code"]
COUNTRY = "NL01"


# ------------------------------------------------------------------------------------------
# TopoJSON


def _arcs(topology: dict, source: str) -> list[np.ndarray]:
    transform = topology.get("transform")
    raw_arcs = topology.get("arcs")
    if not isinstance(raw_arcs, list):
        raise SourceError(source, "TopoJSON without an 'arcs' list")
    if transform:
        scale = np.asarray(transform["scale"], dtype=float)
        translate = np.asarray(transform["translate"], dtype=float)
    arcs = []
    for arc in raw_arcs:
        points = np.asarray(arc, dtype=float).reshape(-1, len(arc[0]) if arc else 2)[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * scale + translate
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[np.ndarray], source: str) -> list[list[float]]:
    parts = []
    for position, index in enumerate(indexes):
        try:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        except (IndexError, TypeError):
            raise SourceError(
                source, f"TopoJSON refers to arc {index}, which does not exist"
            ) from None
        parts.append(arc if position == 0 else arc[1:])
    return np.concatenate(parts).tolist() if parts else []


def _topo_geometry(obj: dict, arcs: list[np.ndarray], source: str) -> dict | None:
    kind = obj.get("type")
    if kind is None:
        return None
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(r, arcs, source) for r in obj["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [[_ring(r, arcs, source) for r in p] for p in obj["arcs"]],
        }
    if kind == "GeometryCollection":
        return {
            "type": kind,
            "geometries": [_topo_geometry(g, arcs, source) for g in obj.get("geometries", [])],
        }
    return {"type": kind, "coordinates": obj.get("coordinates")}


def _code_of(properties: dict, level: str) -> str | None:
    for key in CODE_KEYS[level]:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return None


def _matches(code: str | None, level: str) -> bool:
    return code is not None and re.fullmatch(CODE_PATTERNS[level], code) is not None


def _topology_features(doc: dict, level: str, source: str) -> list[dict]:
    """Decode the TopoJSON object whose codes are of `level` into GeoJSON features."""
    objects = doc.get("objects")
    if not isinstance(objects, dict) or not objects:
        raise SourceError(source, "TopoJSON without 'objects'")
    scores = {}
    for name, obj in objects.items():
        geometries = obj.get("geometries", []) if isinstance(obj, dict) else []
        codes = [_code_of(g.get("properties") or {}, level) for g in geometries]
        scores[name] = sum(_matches(c, level) for c in codes)
    best = max(scores, key=lambda n: scores[n])
    if scores[best] == 0:
        single_nl = [
            n
            for n, o in objects.items()
            if level == "nl" and n.lower().startswith("nl") and len(o.get("geometries", [])) == 1
        ]
        if not single_nl:
            raise SourceError(
                source,
                f"no object in the TopoJSON has {level} codes (like {CODE_EXAMPLES[level]}); "
                f"objects: {', '.join(objects)}",
            )
        best = single_nl[0]
    arcs = _arcs(doc, source)
    return [
        {
            "type": "Feature",
            "properties": g.get("properties") or {},
            "geometry": _topo_geometry(g, arcs, source),
        }
        for g in objects[best].get("geometries", [])
    ]


# ------------------------------------------------------------------------------------------
# geometry


def _polygon(rings: list, where: str, source: str) -> Polygon | None:
    """A polygon from GeoJSON rings; rings too short to enclose anything are dropped."""
    from shapely.geometry import Polygon

    usable = []
    for ring in rings:
        points = [tuple(p[:2]) for p in ring]
        if len(points) >= 3 and points[0] != points[-1]:
            points.append(points[0])
        if len(points) >= 4:
            usable.append(points)
        elif not usable:
            return None  # exterior ring collapsed: no polygon
    if not usable:
        return None
    try:
        return Polygon(usable[0], usable[1:])
    except (ValueError, TypeError) as exc:
        raise SourceError(source, f"{where}: unreadable polygon ({exc})") from None


def _polygons(geometry: dict, where: str, source: str) -> list[Polygon]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        found = _polygon(geometry.get("coordinates") or [], where, source)
        return [found] if found is not None else []
    if kind == "MultiPolygon":
        parts = [_polygon(rings, where, source) for rings in geometry.get("coordinates") or []]
        return [p for p in parts if p is not None]
    if kind == "GeometryCollection":
        return [
            p
            for g in geometry.get("geometries") or []
            if g is not None
            for p in _polygons(g, where, source)
        ]
    raise SourceError(source, f"{where}: geometry type {kind!r}; expected Polygon or MultiPolygon")


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    """Only the polygonal parts of `geom`, as a Polygon or MultiPolygon (None if nothing left)."""
    import shapely
    from shapely.geometry import MultiPolygon

    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p) if not q.is_empty]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def make_valid_polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    """Repair an invalid polygon (make_valid, else buffer(0)); keep only polygonal parts."""
    import shapely

    if geom.is_valid:
        return _polygonal(geom)
    fixed = _polygonal(shapely.make_valid(geom))
    if fixed is None or not fixed.is_valid:
        fixed = _polygonal(geom.buffer(0))
    return fixed


def _check_crs(doc: dict, source: str) -> None:
    crs = doc.get("crs")
    if not crs:
        return
    name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
    if not name or not WGS84_NAMES.search(str(name)):
        raise SourceError(
            source, f"expected WGS84 (EPSG:4326) coordinates, got {name or json.dumps(crs)}"
        )


def _check_bounds(geoms: list[shapely.Geometry], source: str) -> None:
    import shapely

    if not geoms:
        return
    xmin, ymin, xmax, ymax = shapely.total_bounds(np.asarray(geoms, dtype=object))
    inside = (
        LON_RANGE[0] <= xmin <= xmax <= LON_RANGE[1]
        and LAT_RANGE[0] <= ymin <= ymax <= LAT_RANGE[1]
    )
    if inside:
        return
    box = f"x {xmin:.6g}..{xmax:.6g}, y {ymin:.6g}..{ymax:.6g}"
    swapped = (
        LAT_RANGE[0] <= xmin <= xmax <= LAT_RANGE[1]
        and LON_RANGE[0] <= ymin <= ymax <= LON_RANGE[1]
    )
    hint = " (latitude/longitude swapped? expected lon, lat order)" if swapped else ""
    raise SourceError(
        source,
        f"expected WGS84 (EPSG:4326) lon/lat coordinates in the Netherlands "
        f"(lon {LON_RANGE[0]:g}..{LON_RANGE[1]:g}, lat {LAT_RANGE[0]:g}..{LAT_RANGE[1]:g}), "
        f"got {box}{hint}",
    )


def _name_of(properties: dict, level: str) -> str | None:
    for key in NAME_KEYS[level] + COMMON_NAME_KEYS:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return None


def _parent(code: str, level: str, properties: dict) -> str | None:
    if level == "wk":
        return "GM" + code[2:6]
    if level == "bu":
        return "WK" + code[2:8]
    if level == "pv":
        return COUNTRY
    if level == "gm":
        for key in PROVINCE_KEYS:
            value = str(properties.get(key) or "").strip()
            if re.fullmatch(CODE_PATTERNS["pv"], value):
                return value
    return None


# ------------------------------------------------------------------------------------------
# format


def _what(exc: Exception) -> str:
    """A short, plain account of a structural error in a JSON document."""
    if isinstance(exc, KeyError):
        return f"the key {exc.args[0]!r} is missing"
    if isinstance(exc, (TypeError, AttributeError)):
        return "a value has the wrong type (a list or object where the other was expected?)"
    if isinstance(exc, IndexError):
        return "a list is shorter than expected"
    return str(exc)[:200]


def read_features(raw: RawFile, level: str) -> list[dict]:
    """The GeoJSON features of a FeatureCollection, Feature or TopoJSON file (undecided codes)."""
    source = raw.name
    data = prepare_text(raw.content, source, kind="GeoJSON")
    try:
        doc = json.loads(data.decode("utf-8"))  # bytes would be sniffed as UTF-16/32
    except json.JSONDecodeError as exc:
        raise SourceError(
            source, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise SourceError(source, "JSON is nested too deeply to read") from None
    if not isinstance(doc, dict):
        raise SourceError(source, "expected a GeoJSON or TopoJSON object")
    _check_crs(doc, source)
    kind = doc.get("type")
    if kind == "Topology":
        try:
            return _topology_features(doc, level, source)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise SourceError(source, f"TopoJSON is malformed: {_what(exc)}") from None
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise SourceError(source, "FeatureCollection without a 'features' list")
        return features
    if kind == "Feature":
        return [doc]
    raise SourceError(source, f"expected a FeatureCollection or Topology, got type {kind!r}")


def _within(features: list, level: str, municipality: str) -> tuple[list, int]:
    """The features whose wijk/buurt code lies in `municipality` (WK0114xx, BU0114xxxx), and
    how many were left out. Features without a readable code are kept for the checks below."""
    kept = [
        f
        for f in features
        if not isinstance(f, dict)
        or (code := _code_of(f.get("properties") or {}, level)) is None
        or municipality_of(code) == municipality
    ]
    return kept, len(features) - len(kept)


@register("geo_areas")
def geo_areas(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """Boundaries of one area level (the catalog's `level:`) from GeoJSON or TopoJSON."""
    import shapely
    from shapely.geometry import MultiPolygon

    found = files.get("main") or []
    if len(found) != 1:
        raise SourceError(dataset.id or "geo_areas", f"expected one 'main' file, got {len(found)}")
    raw = found[0]
    source = raw.name
    level = dataset.level
    if level is None or level not in CODE_KEYS:
        raise SourceError(
            source, f"the catalog entry needs 'level:' (one of {', '.join(CODE_KEYS)})"
        )
    features = read_features(raw, level)
    if not features:
        raise SourceError(source, "no features")

    notes: list[str] = []
    if dataset.area and level in ("wk", "bu"):
        features, outside = _within(features, level, dataset.area)
        if outside:
            notes.append(f"{source}: {outside} features outside {dataset.area} left out")
        if not features:
            notes.append(f"{source}: no {level} boundaries of {dataset.area}")
            return Normalized(notes=notes)
    order: list[str] = []
    names: dict[str, str | None] = {}
    parents: dict[str, str | None] = {}
    shapes: dict[str, list[shapely.Geometry]] = {}
    seen: dict[str, int] = {}  # a feature's text -> its number, to find exact repeats
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise SourceError(source, f"feature {number} is not an object")
        text = json.dumps(feature, sort_keys=True, default=str)
        if text in seen:
            raise SourceError(
                source,
                f"feature {number} repeats feature {seen[text]} exactly (duplicated feature)",
            )
        seen[text] = number
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise SourceError(source, f"feature {number}: 'properties' is not an object")
        code = _code_of(properties, level)
        if level == "nl" and not _matches(code, level) and len(features) == 1:
            code = COUNTRY
        where = f"feature {number} ({code})"
        if not _matches(code, level):
            keys = "/".join(CODE_KEYS[level])
            raise SourceError(
                source,
                f"feature {number}: code {code!r} (property {keys}) is not a {level} code "
                f"like {CODE_EXAMPLES[level]}",
            )
        if code not in names:
            order.append(code)
            names[code] = _name_of(properties, level)
            parents[code] = _parent(code, level, properties)
            shapes[code] = []
        geometry = feature.get("geometry")
        if geometry is None:
            continue
        shapes[code].extend(_polygons(geometry, where, source))

    all_polygons = [p for polys in shapes.values() for p in polys]
    _check_bounds(all_polygons, source)

    duplicated = len(features) - len(order)
    if duplicated:
        notes.append(f"{source}: {duplicated} features repeat an earlier code; merged")
    output = []
    repaired = []
    without = []
    for code in order:
        polygons = shapes[code]
        if not polygons:
            without.append(code)
            continue
        geom = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
        valid = make_valid_polygonal(geom)
        if not geom.is_valid:
            repaired.append(code)
        if valid is None:
            without.append(code)
            continue
        output.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": names[code]},
                "geometry": json.loads(shapely.to_geojson(valid)),
            }
        )
    if repaired:
        notes.append(f"{source}: invalid geometry repaired for {', '.join(repaired)}")
    if without:
        notes.append(f"{source}: no polygon for {', '.join(without)}")

    areas = areas_frame(
        [{"code": c, "name": names[c], "level": level, "parent": parents[c]} for c in order]
    )
    return Normalized(
        areas=areas,
        geometry={level: {"type": "FeatureCollection", "features": output}},
        notes=notes,
    )
