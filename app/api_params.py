"""The query parameters of the /api/v1 endpoints, one pydantic model per endpoint.

The same models validate a request (`parse`) and describe it in the OpenAPI document
(app/openapi.py reads their JSON schema), so the documentation cannot drift from what the
code accepts. A parameter that does not validate is a 400 whose JSON names it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from werkzeug.datastructures import MultiDict

from data.downloads import XLSX_MAX_ROWS

MAX_INDICATORS = 50
MAX_AREAS = 1000
DEFAULT_PAGE = 10_000  # rows of a JSON or GeoJSON answer when `limit` is not given
MAX_LIMIT = 50_000
GEOJSON_PAGE = 1_000  # every feature carries its area's polygon
GEOJSON_MAX_LIMIT = 5_000
Format = Literal["json", "csv", "csv-nl", "xlsx", "ndjson", "parquet", "geojson"]
Level = Literal["nl", "pv", "gm", "wk", "bu", "rwzi"]

_ID = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}"
IdList = Annotated[
    str,
    Field(pattern=rf"^{_ID}(,{_ID})*$", max_length=5000),
]


class ApiError(Exception):
    """An answer with an error status and a JSON body naming the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter

    def body(self) -> dict:
        out = {"error": self.message, "status": self.status}
        if self.parameter:
            out["parameter"] = self.parameter
        return out


class Query(BaseModel):
    # Unknown parameters are ignored (a cache buster, a tracking tag); known ones are checked.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class ObservationsQuery(Query):
    """GET /api/v1/observations"""

    indicator: IdList | None = Field(
        None,
        description="One or more indicator ids, comma-separated (see /api/v1/indicators).",
        examples=["covid_cases", "covid_cases,covid_deaths"],
    )
    dataset: str | None = Field(
        None,
        pattern=rf"^{_ID}$",
        description="Every indicator of one dataset (see /api/v1/datasets), instead of "
        "`indicator`; without `area` or `level`: every area.",
    )
    area: IdList | None = Field(
        None,
        description="One or more CBS area codes, comma-separated (see /api/v1/areas).",
        examples=["GM0114", "GM0114,GM0106"],
    )
    level: Level | None = Field(
        None, description="Every area of one level instead of `area`: nl, pv, gm, wk, bu, rwzi."
    )
    from_: dt.date | None = Field(
        None, alias="from", description="First period (YYYY-MM-DD, periods by their start date)."
    )
    to: dt.date | None = Field(None, description="Last period (YYYY-MM-DD).")
    format: Format = Field("json", description="The answer's format.")
    limit: int | None = Field(
        None,
        ge=1,
        le=MAX_LIMIT,
        description=f"Rows per page (at most {MAX_LIMIT:,}; GeoJSON {GEOJSON_MAX_LIMIT:,}). JSON "
        f"answers have pages of {DEFAULT_PAGE:,} rows by default, GeoJSON of {GEOJSON_PAGE:,}, "
        f"XLSX of {XLSX_MAX_ROWS:,}; CSV, NDJSON "
        "and Parquet stream every row unless a limit is given. A page that is not the last "
        "links to the next one "
        '(`next` in the body, a `Link: <...>; rel="next"` header).',
    )
    cursor: str | None = Field(
        None,
        max_length=400,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Where the next page starts: take it from a `next` link, never build it.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> ObservationsQuery:
        if self.indicator and self.dataset:
            raise ValueError("give 'indicator' or 'dataset', not both")
        if not self.indicator and not self.dataset:
            raise ValueError("parameter 'indicator' (or 'dataset') is required")
        if self.area and self.level:
            raise ValueError("give 'area' or 'level', not both")
        if self.indicator and not self.area and not self.level:
            raise ValueError("parameter 'area' (or 'level') is required with 'indicator'")
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError(f"'from' ({self.from_}) is after 'to' ({self.to})")
        if len(self.indicators) > MAX_INDICATORS:
            raise ValueError(f"'indicator': at most {MAX_INDICATORS} indicators")
        if self.format == "geojson" and (self.limit or 0) > GEOJSON_MAX_LIMIT:
            raise ValueError(f"'limit': at most {GEOJSON_MAX_LIMIT:,} features in GeoJSON")
        if len(self.areas) > MAX_AREAS:
            raise ValueError(f"'area': at most {MAX_AREAS} areas")
        return self

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.indicator.split(","))) if self.indicator else ()

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.area.split(","))) if self.area else ()

    def selection_key(self) -> tuple:
        """What the rows depend on (not the format or the page)."""
        return (self.indicator, self.dataset, self.area, self.level, self.from_, self.to)


class AreasQuery(Query):
    """GET /api/v1/areas"""

    level: Level | None = Field(None, description="Only the areas of this level.")


LIST_PARAMETERS = ("indicator", "area")  # may also be repeated: area=A&area=B


def parse(model: type[Query], args: MultiDict) -> Query:
    """The validated parameters of a request, or ApiError(400) naming the one at fault."""
    values = {}
    for name in args:
        items = args.getlist(name)
        values[name] = ",".join(items) if name in LIST_PARAMETERS else items[0]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = error["loc"][0] if error["loc"] else None
        message = error["msg"].removeprefix("Value error, ")
        if where is not None:
            given = values.get(str(where), "")
            message = f"'{where}': {message} (got '{str(given)[:100]}')"
        raise ApiError(400, message, str(where) if where is not None else _named(message)) from None


def _named(message: str) -> str | None:
    """The parameter a model-level message is about (its first quoted name)."""
    parts = message.split("'")
    return parts[1] if len(parts) > 2 else None


def _not_null(schema: dict) -> dict:
    """A query parameter is absent or a string, never null: `X | None` is documented as X."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        schema = {**rest, **options[0]}
    if schema.get("default", "") is None:
        del schema["default"]
    return schema


def parameters_schema(model: type[Query]) -> list[dict]:
    """The model's fields as OpenAPI query parameters (from its JSON schema)."""
    schema = model.model_json_schema(by_alias=True)
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = _not_null(dict(prop))
        description = prop.pop("description", None)
        examples = prop.pop("examples", None)
        prop.pop("title", None)
        parameter = {"name": name, "in": "query", "required": False, "schema": prop}
        if description:
            parameter["description"] = description
        if examples:
            parameter["examples"] = {f"e{i}": {"value": v} for i, v in enumerate(examples)}
        if name in LIST_PARAMETERS:
            parameter["style"] = "form"
            parameter["explode"] = False
        out.append(parameter)
    return out
