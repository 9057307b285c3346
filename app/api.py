"""HTTP API: /api/v1/observations, /api/v1/indicators, /api/v1/areas, /api/v1/geometry,
/api/v1/status, /healthz (alive), /readyz (a store version is loaded)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math

import pandas as pd
from flask import Blueprint, Response, jsonify, request

from app.context import reader

api = Blueprint("api", __name__)


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@api.errorhandler(ApiError)
def _api_error(error: ApiError):
    return jsonify({"error": error.message, "status": error.status}), error.status


def _date_param(name: str) -> dt.date | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, f"'{name}' must be a date as YYYY-MM-DD, got '{raw}'") from None


def indicator_document(indicator) -> dict:
    catalog = reader().catalog
    datasets = [catalog.datasets[d] for d in indicator.dataset]
    return {
        "id": indicator.id,
        "title": indicator.title.model_dump(),
        "unit": indicator.unit.model_dump(),
        "decimals": indicator.decimals,
        "definition": indicator.definition.model_dump(),
        "frequency": indicator.frequency,
        "higher_is_better": indicator.higher_is_better,
        "levels": indicator.levels,
        "archived_since": indicator.archived_since.isoformat()
        if indicator.archived_since
        else None,
        "sources": [
            {
                "dataset": d.id,
                "title": d.title.model_dump(),
                "publisher": d.publisher,
                "licence": d.licence,
                "licence_url": d.licence_url,
                "landing_page": d.landing_page,
            }
            for d in datasets
        ],
    }


@api.get("/api/v1/indicators")
def indicators():
    catalog = reader().catalog
    return jsonify({"indicators": [indicator_document(i) for i in catalog.indicators.values()]})


@api.get("/api/v1/areas")
def areas():
    table = reader().areas()
    level = request.args.get("level")
    if level:
        table = table[table["level"] == level]
    rows = [
        {k: (None if _missing(v) else v) for k, v in row.items()}
        for row in table.to_dict(orient="records")
    ]
    return jsonify({"areas": rows})


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


@api.get("/api/v1/observations")
def observations():
    data = reader()
    catalog = data.catalog
    indicator_id = request.args.get("indicator", "")
    area = request.args.get("area", "")
    output = request.args.get("format", "json").lower()
    if not indicator_id:
        raise ApiError(400, "parameter 'indicator' is required")
    if not area:
        raise ApiError(400, "parameter 'area' is required")
    if output not in ("json", "csv"):
        raise ApiError(400, f"'format' must be json or csv, got '{output}'")
    start, end = _date_param("from"), _date_param("to")
    if start and end and start > end:
        raise ApiError(400, f"'from' ({start}) is after 'to' ({end})")
    if indicator_id not in catalog.indicators:
        raise ApiError(404, f"unknown indicator '{indicator_id}'; see /api/v1/indicators")
    if data.version is None:
        raise ApiError(503, "no data yet: the first refresh is still running")
    if area not in set(data.areas()["code"]):
        raise ApiError(404, f"unknown area '{area}'; see /api/v1/areas")
    etag = _etag(data.version, indicator_id, area, start, end, output)
    if request.if_none_match.contains(etag):  # the client has this answer: nothing to build
        return _not_modified(etag)
    indicator = catalog.indicators[indicator_id]
    frame = data.series(indicator_id, (area,), start, end)
    rows = [
        {
            "area": area,
            "period": period.date().isoformat(),
            "value": None if math.isnan(value) else value,
        }
        for period, value in zip(frame["period"], frame["value"], strict=True)
    ]
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["area", "period", "value"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        filename = f"{indicator_id}_{area}.csv"
        response = Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    else:
        response = jsonify(
            {
                "indicator": indicator_id,
                "unit": indicator.unit.model_dump(),
                "version": data.version,
                "observations": rows,
            }
        )
    response.set_etag(etag)
    response.cache_control.max_age = 300  # a new store version changes the answer
    return response


def _etag(*parts) -> str:
    """An answer depends only on the store version and its parameters: that is its ETag."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _not_modified(etag: str) -> Response:
    response = Response(status=304)
    response.set_etag(etag)
    return response


@api.get("/api/v1/geometry/<level>")
def geometry(level: str):
    """The polygons a map of `level` draws (GeoJSON, winding as plotly's d3-geo takes it).
    With ?version= (the address map figures use) the answer never changes: cached for good."""
    from layouts.map_geometry import geometry_json

    requested = request.args.get("version")
    current = reader()
    version = requested or current.version
    body = geometry_json(current, level, version) if version else None
    if body is None:
        raise ApiError(404, f"no geometry for level '{level}' in version '{version}'")
    response = Response(body, mimetype="application/geo+json")
    response.set_etag(f"{version}-{level}")
    if requested:
        response.cache_control.public = True
        response.cache_control.max_age = 365 * 24 * 3600
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = 300
    return response.make_conditional(request)


@api.get("/api/v1/status")
def status():
    current = reader()
    store, catalog = current.store, current.catalog
    manifest = store.manifest() or {}
    datasets = store.status().get("datasets", {})
    return jsonify(
        {
            "version": store.current_version(),
            "created_at": manifest.get("created_at"),
            "row_counts": {
                k: v for k, v in manifest.get("row_counts", {}).items() if k in catalog.indicators
            },
            "rate_population_years": manifest.get("rate_population_years", {}),
            "datasets": {k: v for k, v in datasets.items() if k in catalog.datasets},
        }
    )


@api.get("/healthz")
def healthz():
    """Liveness: the process answers (200 also while the first refresh fills the store)."""
    version = reader().store.current_version()
    return jsonify({"status": "ok" if version else "starting", "version": version})


@api.get("/readyz")
def readyz():
    """Readiness: a store version is loaded, so pages and the API have data to show."""
    manifest = reader().store.manifest()
    if not manifest:
        return jsonify({"status": "starting", "version": None}), 503
    return jsonify(
        {"status": "ready", "version": manifest["version"], "created_at": manifest["created_at"]}
    )
