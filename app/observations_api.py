"""GET /api/v1/observations: indicators (or a whole dataset) for areas (or a whole level) over
a period range, in every download format, paged with an opaque cursor.

Parameters are validated by app/api_params.ObservationsQuery (the model the OpenAPI document
is made from); rows come from data/exports.py one row group at a time and are written by
data/downloads.py. Full CSV, NDJSON and Parquet exports stream; JSON and GeoJSON come in pages.
Every answer depends only on the store version and its parameters: that is its ETag, and the
version's time its Last-Modified.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator

from flask import Blueprint, Response, jsonify, request

from app.api_params import DEFAULT_PAGE, GEOJSON_PAGE, ApiError, ObservationsQuery, parse
from app.context import reader
from data import downloads
from data.cache import LocalMemo
from data.exports import Selection, batches, dataset_indicators, level_codes, metadata, page
from data.reader import Reader
from data.store import version_time
from layouts.views.urls import api_href

observations_api = Blueprint("observations_api", __name__)
PATH = "/api/v1/observations"
MAX_AGE_S = 300  # a new store version changes the answer
_VERSION = re.compile(r"^[0-9A-Za-z]{1,40}$")
# JSON and GeoJSON pages are kept per process by their ETag (version, site, parameters and
# the indicators the request's catalog let it see), so the second user of an answer costs a
# cache read; at most KEPT_ANSWERS of at most KEPT_MAX_BYTES each.
KEPT_FORMATS = ("json", "geojson")
KEPT_ANSWERS = 64
KEPT_MAX_BYTES = 1024 * 1024
# Rows of a page when no `limit` is given (other formats stream every row).
PAGES = {"json": DEFAULT_PAGE, "geojson": GEOJSON_PAGE, "xlsx": downloads.XLSX_MAX_ROWS}
_answers = LocalMemo(KEPT_ANSWERS)


@observations_api.errorhandler(ApiError)
def _api_error(error: ApiError):
    return jsonify(error.body()), error.status


@observations_api.get(PATH)
def observations():
    query = parse(ObservationsQuery, request.args)
    current = reader()
    indicators = _indicators(current, query)
    if current.version is None:
        raise ApiError(503, "no data yet: the first refresh is still running")
    current, offset = _cursor_position(current, query)
    selection = Selection(indicators, _areas(current, query), query.from_, query.to)
    etag = _etag(current.version, current.site.key(), query.model_dump(), offset, indicators)
    if _client_has(etag, current.version):
        return _not_modified(etag, current.version)
    single = bool(query.indicator) and len(indicators) == 1
    columns = ("area", "period", "value") if single else ("indicator", "area", "period", "value")
    meta = metadata(current, indicators, geometry=query.format == "geojson")
    kept_as = (etag, api_href(PATH))  # next links carry the path prefixes of the request
    kept = _answers.get(kept_as) if query.format in KEPT_FORMATS else None
    if kept is not None:  # the same question in this version: a cache read
        body, next_url = kept
        response = Response(body, mimetype=downloads.MEDIA_TYPES[query.format])
    else:
        limit = query.limit or PAGES.get(query.format)
        rows = page(batches(current, selection), offset, None if limit is None else limit + 1)
        next_url = None
        if limit is not None:
            tables, more = _first_rows(rows, limit)
            if more:
                next_url = _next_url(query, current.version, offset + limit, limit)
            rows = iter(tables)
        response = _answer(current, query, rows, columns, meta, next_url, single, indicators)
        if query.format in KEPT_FORMATS and response.content_length <= KEPT_MAX_BYTES:
            _answers.put(kept_as, (response.get_data(), next_url))
    _describe(response, meta, etag, current.version, next_url)
    if query.format != "json":
        name = _file_name(query, indicators)
        extension = downloads.EXTENSIONS[query.format]
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _indicators(current: Reader, query: ObservationsQuery) -> tuple[str, ...]:
    catalog = current.catalog
    if query.dataset:
        if query.dataset not in catalog.datasets:
            message = f"unknown dataset '{query.dataset}'; see /api/v1/datasets"
            raise ApiError(404, message, "dataset")
        return dataset_indicators(current, query.dataset)
    unknown = [i for i in query.indicators if i not in catalog.indicators]
    if unknown:
        names = ", ".join(f"'{i}'" for i in unknown[:5])
        raise ApiError(404, f"unknown indicator {names}; see /api/v1/indicators", "indicator")
    return query.indicators


def _areas(current: Reader, query: ObservationsQuery) -> tuple[str, ...] | None:
    if query.level:
        return level_codes(current, query.level)
    if not query.area:
        return None
    known = set(current.area_names())
    unknown = [a for a in query.areas if a not in known]
    if unknown:
        names = ", ".join(f"'{a}'" for a in unknown[:5])
        raise ApiError(404, f"unknown area {names}; see /api/v1/areas", "area")
    return query.areas


def _first_rows(rows: Iterator, limit: int) -> tuple[list, bool]:
    """The tables of the first `limit` rows, and whether there are more (one row was read
    beyond the limit to know)."""
    tables, count = [], 0
    for table in rows:
        tables.append(table)
        count += table.num_rows
    more = count > limit
    if more:
        tables[-1] = tables[-1].slice(0, tables[-1].num_rows - (count - limit))
    return tables, more


def _answer(current, query, rows, columns, meta, next_url, single, indicators) -> Response:
    output = query.format
    if output == "json":
        head = {"indicator": indicators[0] if single else None}
        if single:
            head["unit"] = current.catalog.indicators[indicators[0]].unit.model_dump()
        head["indicators"] = meta["indicators"]
        body = downloads.json_document(meta, downloads.rows(rows, columns), next_url, **head)
        return jsonify(body)
    if output == "geojson":
        observations = downloads.rows(rows, columns)
        body = downloads.geojson_document(
            observations, _geometries(current, observations), current.area_names(), meta, next_url
        )
        return Response(json.dumps(body, ensure_ascii=False), mimetype="application/geo+json")
    if output == "xlsx":
        try:
            content = downloads.xlsx_bytes(rows, columns, {**meta, "next": next_url})
        except downloads.TooManyRows as exc:
            raise ApiError(
                400, f"'format': {exc}; use csv or parquet, or a limit", "format"
            ) from None
        return Response(content, mimetype=downloads.MEDIA_TYPES["xlsx"])
    if output == "parquet":
        chunks = downloads.parquet_chunks(rows, meta)
    elif output == "ndjson":
        chunks = downloads.ndjson_chunks(rows, columns)
    else:
        chunks = downloads.csv_chunks(rows, columns, dutch=output == "csv-nl")
    return Response(chunks, mimetype=downloads.MEDIA_TYPES[output])


def _geometries(current: Reader, observations: list[dict]) -> dict[str, dict]:
    """The polygon of each area in `observations` (from the map geometry of its level)."""
    registry = current.areas().set_index("code")["level"]
    levels = set(registry.reindex(list({r["area"] for r in observations})).dropna())
    found: dict[str, dict] = {}
    for level in sorted(levels):
        collection = current.geometry(level) or {"features": []}
        for feature in collection["features"]:
            found[str(feature["properties"]["code"])] = feature["geometry"]
    return found


# --- headers: version, licence, caching, paging -----------------------------------------------


def _header_text(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\r\n]+", " ", plain)


def _describe(response: Response, meta: dict, etag: str, version: str, next_url) -> None:
    response.set_etag(etag)
    response.last_modified = version_time(version)
    response.cache_control.max_age = MAX_AGE_S
    response.headers["X-MMmeter-Version"] = version
    response.headers["X-Licence"] = _header_text("; ".join(x["name"] for x in meta["licences"]))
    response.headers["X-Attribution"] = _header_text(meta["attribution"])
    links = [f'<{lic["url"]}>; rel="license"' for lic in meta["licences"]]
    if next_url:
        links.insert(0, f'<{next_url}>; rel="next"')
    if links:
        response.headers["Link"] = ", ".join(links)


def _etag(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _client_has(etag: str, version: str) -> bool:
    """Whether the request's validators say the client has this answer (flask-compress adds
    `:gzip` or `:br` to the ETag of a compressed answer)."""
    tags = request.if_none_match
    if tags:
        return tags.contains(etag) or any(t.partition(":")[0] == etag for t in tags.as_set())
    since = request.if_modified_since
    return since is not None and version_time(version).replace(microsecond=0) <= since


def _not_modified(etag: str, version: str) -> Response:
    response = Response(status=304)
    response.set_etag(etag)
    response.last_modified = version_time(version)
    response.cache_control.max_age = MAX_AGE_S
    return response


def _file_name(query: ObservationsQuery, indicators: tuple[str, ...]) -> str:
    what = query.dataset or "_".join(indicators[:3]) + ("_en_meer" if len(indicators) > 3 else "")
    where = query.level or (query.areas[0] if len(query.areas) == 1 else "")
    if len(query.areas) > 1:
        where = f"{len(query.areas)}_gebieden"
    name = "_".join(p for p in (what, where) if p)
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:150]


# --- the cursor ---------------------------------------------------------------------------


def _selection_digest(query: ObservationsQuery) -> str:
    return hashlib.sha256(repr(query.selection_key()).encode()).hexdigest()[:12]


def encode_cursor(query: ObservationsQuery, version: str, offset: int) -> str:
    raw = json.dumps([version, _selection_digest(query), offset], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_position(current: Reader, query: ObservationsQuery) -> tuple[Reader, int]:
    """The Reader and row offset a cursor points at: the store version of its first page, so
    paging through is consistent while that version is kept."""
    if not query.cursor:
        return current, 0
    try:
        text = query.cursor + "=" * (-len(query.cursor) % 4)
        version, digest, offset = json.loads(base64.urlsafe_b64decode(text))
        valid = (
            isinstance(version, str)
            and _VERSION.match(version)
            and isinstance(offset, int)
            and 0 <= offset < 10**9
        )
    except (ValueError, TypeError, binascii.Error):
        valid = False
    if not valid:
        message = "'cursor' is not a cursor of this API; take it from a next link"
        raise ApiError(400, message, "cursor")
    if digest != _selection_digest(query):
        raise ApiError(400, "'cursor' belongs to another query", "cursor")
    if version != current.version:
        if current.store.manifest(version) is None:
            raise ApiError(
                410, "'cursor': the data has changed since; start again without it", "cursor"
            )
        current = current.at(version)
    return current, offset


def _next_url(query: ObservationsQuery, version: str, offset: int, limit: int) -> str:
    args = {k: v for k, v in request.args.items(multi=False) if k not in ("cursor", "limit")}
    for name in ("indicator", "area"):
        if name in args:
            args[name] = ",".join(request.args.getlist(name))
    args["limit"] = str(limit)
    args["cursor"] = encode_cursor(query, version, offset)
    return api_href(PATH, args)
