"""The OpenAPI 3.1 document of /api/v1 (served at /api/v1/openapi.json, shown at /api).

It is made from the code: query parameters from the pydantic models that validate them
(app/api_params.py), answers from the pydantic models below. An endpoint is one `Endpoint`
entry; add one here when adding a route.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.api_params import AreasQuery, ObservationsQuery, Query, parameters_schema
from data.downloads import MEDIA_TYPES

API_VERSION = "1.1.0"
_ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$"


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Error(BaseModel):
    error: str = Field(description="What is wrong, in words.")
    status: int
    parameter: str | None = Field(None, description="The parameter at fault, if one is.")


class Licence(BaseModel):
    name: str
    url: str


class Observation(BaseModel):
    indicator: str | None = Field(None, description="Only when the request may hold several.")
    area: str = Field(description="CBS area code.")
    period: dt.date = Field(description="Start date of the period.")
    value: float | None = Field(description="None: unknown or confidential.")


class ObservationsPage(Open):
    indicator: str | None = Field(description="The indicator (null when several).")
    unit: dict[str, str] | None = None
    indicators: list[dict[str, Any]]
    version: str = Field(description="The store version the rows come from.")
    licences: list[Licence]
    attribution: str
    observations: list[Observation]
    next: str | None = Field(description="Address of the next page; null on the last page.")


class GeoFeature(Open):
    type: str
    geometry: dict[str, Any] | None
    properties: dict[str, Any]


class FeatureCollection(Open):
    type: str
    features: list[GeoFeature]


class ObservationsCollection(FeatureCollection):
    version: str
    licences: list[Licence]
    attribution: str
    next: str | None


class IndicatorList(Open):
    indicators: list[dict[str, Any]]


class Area(Open):
    code: str
    name: str | None
    level: str | None
    parent: str | None


class AreaList(Open):
    areas: list[Area]


class DatasetDocument(Open):
    id: str
    title: dict[str, str]
    licence: str
    licence_url: str
    version: str | None
    indicators: list[dict[str, Any]]


class DatasetList(Open):
    version: str | None
    datasets: list[DatasetDocument]


class Health(Open):
    status: str
    version: str | None


class Status(Open):
    version: str | None
    datasets: dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    path: str
    summary: str
    description: str = ""
    query: type[Query] | None = None
    path_parameters: tuple[tuple[str, dict], ...] = ()
    # status -> {media type: model (or None: bytes)}
    responses: dict[str, dict[str, type[BaseModel] | None]] = field(default_factory=dict)
    tag: str = "data"


_ERRORS_400 = {"400": {"application/json": Error}}
_ERRORS_404 = {"404": {"application/json": Error}}
_NO_DATA = {"503": {"application/json": Error}}
OBSERVATION_MEDIA = {
    "application/json": ObservationsPage,
    "application/geo+json": ObservationsCollection,
    **{
        MEDIA_TYPES[f].split(";")[0]: None
        for f in ("csv", "ndjson", "xlsx", "parquet")  # csv-nl has csv's media type
    },
}

ENDPOINTS = (
    Endpoint(
        "/api/v1/observations",
        "Observations: indicators for areas over periods",
        "Several indicators or a whole dataset, several areas or a whole level, a period "
        "range, in JSON, CSV (`csv-nl`: `;` and decimal commas), XLSX, NDJSON, Parquet or "
        "GeoJSON. Pages link to the next one (`next`, `Link` header). Every answer names its "
        "store version (`X-MMmeter-Version`), licence and attribution, and has an ETag and "
        "Last-Modified for conditional requests.",
        query=ObservationsQuery,
        responses={
            "200": OBSERVATION_MEDIA,
            "304": {},
            **_ERRORS_400,
            **_ERRORS_404,
            "410": {"application/json": Error},
            **_NO_DATA,
        },
    ),
    Endpoint(
        "/api/v1/indicators",
        "Every indicator of the catalog",
        responses={"200": {"application/json": IndicatorList}},
        tag="catalog",
    ),
    Endpoint(
        "/api/v1/areas",
        "The area registry (code, name, level, parent)",
        query=AreasQuery,
        responses={"200": {"application/json": AreaList}, **_ERRORS_400},
        tag="catalog",
    ),
    Endpoint(
        "/api/v1/datasets",
        "Every dataset with its metadata, indicators, coverage and last refresh",
        responses={"200": {"application/json": DatasetList}},
        tag="catalog",
    ),
    Endpoint(
        "/api/v1/datasets/{dataset_id}",
        "One dataset",
        path_parameters=(("dataset_id", {"type": "string", "pattern": _ID_PATTERN}),),
        responses={"200": {"application/json": DatasetDocument}, **_ERRORS_404},
        tag="catalog",
    ),
    Endpoint(
        "/api/v1/geometry/{level}",
        "The map geometry of a level (GeoJSON)",
        path_parameters=(("level", {"type": "string", "pattern": r"^[a-z]{1,10}$"}),),
        responses={"200": {"application/geo+json": FeatureCollection}, **_ERRORS_404},
        tag="data",
    ),
    Endpoint(
        "/data/{dataset_id}.zip",
        "A dataset as a zip: observations (CSV), metadata.json and a Dutch README",
        "`catalogus` gives the whole catalogue: a folder per dataset, observations as Parquet.",
        path_parameters=(("dataset_id", {"type": "string", "pattern": _ID_PATTERN}),),
        responses={"200": {"application/zip": None}, "304": {}, **_ERRORS_404, **_NO_DATA},
        tag="downloads",
    ),
    Endpoint(
        "/api/v1/openapi.json",
        "This document",
        responses={"200": {"application/json": Open}},
        tag="service",
    ),
    Endpoint(
        "/api/v1/status",
        "The store version and each dataset's last refresh",
        responses={"200": {"application/json": Status}},
        tag="service",
    ),
    Endpoint(
        "/healthz",
        "Liveness",
        responses={"200": {"application/json": Health}},
        tag="service",
    ),
    Endpoint(
        "/readyz",
        "Readiness: a store version is loaded",
        responses={"200": {"application/json": Health}, "503": {"application/json": Health}},
        tag="service",
    ),
)

_DESCRIPTIONS = {
    "200": "OK",
    "304": "Not modified (the ETag or Last-Modified the client sent still holds)",
    "400": "A parameter is wrong; `parameter` names it",
    "404": "Unknown indicator, dataset, area or level",
    "410": "The cursor's store version is no longer kept",
    "503": "No data yet: the first refresh is still running",
}


def _schema_ref(model: type[BaseModel], schemas: dict) -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = definition
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(endpoint: Endpoint, schemas: dict) -> dict:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": schema}
        for name, schema in endpoint.path_parameters
    ]
    if endpoint.query is not None:
        parameters += parameters_schema(endpoint.query)
    responses = {}
    for status, media in endpoint.responses.items():
        answer: dict[str, Any] = {"description": _DESCRIPTIONS.get(status, status)}
        if media:
            answer["content"] = {
                kind: (
                    {"schema": _schema_ref(model, schemas)}
                    if model
                    else {"schema": {"type": "string", "format": "binary"}}
                )
                for kind, model in media.items()
            }
        responses[status] = answer
    operation = {
        "summary": endpoint.summary,
        "operationId": _operation_id(endpoint.path),
        "tags": [endpoint.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if endpoint.description:
        operation["description"] = endpoint.description
    return operation


def _operation_id(path: str) -> str:
    return "get_" + "_".join(p.strip("{}").replace(".", "_") for p in path.split("/") if p)


def openapi_document(title: str, server_url: str = "/") -> dict:
    """The OpenAPI 3.1 document of the endpoints above."""
    schemas: dict[str, Any] = {}
    paths = {e.path: {"get": _operation(e, schemas)} for e in ENDPOINTS}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{title} API",
            "version": API_VERSION,
            "description": "Open data of the platform: observations (indicator, area, "
            "period, value), the catalog of datasets and indicators, the area registry and "
            "downloads. Every answer names the licence and source of its data.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
