"""HTTP API: /api/v1/indicators, /api/v1/areas, /api/v1/geometry,
/api/v1/status, /healthz (alive), /readyz (a store version is loaded).
/api/v1/observations is app/observations_api.py."""

from __future__ import annotations

import math

import pandas as pd
from flask import Blueprint, Response, jsonify, request

from app.api_params import ApiError, AreasQuery, parse
from app.context import reader
from app.observations_api import observations_api
from data.exports import indicator_definition

api = Blueprint("api", __name__)
api.register_blueprint(observations_api)  # registering the API registers all of it


@api.errorhandler(ApiError)
def _api_error(error: ApiError):
    return jsonify(error.body()), error.status


def indicator_document(indicator) -> dict:
    catalog = reader().catalog
    datasets = [catalog.datasets[d] for d in indicator.dataset]
    return {
        **indicator_definition(indicator),
        "higher_is_better": indicator.higher_is_better,
        "levels": indicator.levels,
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
    level = parse(AreasQuery, request.args).level
    table = reader().areas()
    if level:
        table = table[table["level"] == level]
    rows = [
        {k: (None if _missing(v) else v) for k, v in row.items()}
        for row in table.to_dict(orient="records")
    ]
    return jsonify({"areas": rows})


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


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
