"""Releases over HTTP: `/api/v1/releases[/<version>]` (JSON) and the Atom feeds
`/feeds/versies.atom`, `/feeds/indicator/<id>.atom`, `/feeds/gebied/<code>.atom`.

Records come from the store's release log (data/releases.py), shown only for the datasets the
request's Reader's catalog has; texts from layouts/release_notes.py.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.context import reader
from data import releases
from layouts import release_notes
from layouts.i18n import normalize_lang
from layouts.permalink import pinned_href
from layouts.views.urls import api_href, href

releases_api = Blueprint("releases_api", __name__)

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
ATOM = "application/atom+xml; charset=utf-8"


def _absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def _error(status: int, message: str, parameter: str | None = None):
    body = {"error": message, "status": status}
    if parameter:
        body["parameter"] = parameter
    return jsonify(body), status


def _limit() -> int | None:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        return None
    return int(raw)


def release_document(record: dict) -> dict:
    """A release as the API gives it: its record plus where to see it and whether it is kept."""
    current = reader()
    store = current.store
    version = record["version"]
    shown = releases.visible(record, current.catalog.datasets, current.catalog.indicators)
    kept = store.has_version(version)
    return {
        **shown,
        "kept": kept,
        "pinned": version in store.pins(),
        "current": version == store.current_version(),
        "changed_datasets": releases.changed_datasets(shown),
        "page": _absolute(href(f"/versies/{version}")),
        "permalink": _absolute(pinned_href(version)) if kept else None,
        "url": _absolute(api_href(f"/api/v1/releases/{version}")),
    }


@releases_api.get("/api/v1/releases")
def list_releases():
    limit = _limit()
    if limit is None:
        return _error(400, f"'limit' must be a whole number from 1 to {MAX_LIMIT}", "limit")
    records = releases.releases(reader().store)[::-1][:limit]
    summary = []
    for record in records:
        document = release_document(record)
        document["datasets"] = {  # the full record has the areas and indicators
            name: {k: v for k, v in entry.items() if k not in ("areas", "indicators")}
            for name, entry in document["datasets"].items()
        }
        summary.append(document)
    return jsonify({"releases": summary, "count": len(summary)})


@releases_api.get("/api/v1/releases/<version>")
def one_release(version: str):
    record = releases.release(reader().store, version) if len(version) <= 64 else None
    if record is None:
        return _error(404, f"no store version {version!r}", "version")
    return jsonify(release_document(record))


def _urls(alternate: str, lang: str) -> dict:
    query = {"lang": lang} if lang != "nl" else None
    return {
        "self": _absolute(request.full_path.rstrip("?") if request.query_string else request.path),
        "alternate": _absolute(alternate),
        "release": lambda v: _absolute(href(f"/versies/{v}", query)),
    }


def _atom(body: bytes) -> Response:
    return Response(body, mimetype="application/atom+xml", content_type=ATOM)


@releases_api.get("/feeds/versies.atom")
def releases_feed():
    lang = normalize_lang(request.args.get("lang"))
    current = reader()
    records = releases.releases(current.store)
    urls = _urls(href("/versies", lang=lang), lang)
    return _atom(release_notes.releases_feed(current, records, urls, lang))


@releases_api.get("/feeds/indicator/<indicator_id>.atom")
def indicator_feed(indicator_id: str):
    lang = normalize_lang(request.args.get("lang"))
    current = reader()
    if indicator_id not in current.catalog.indicators:
        return _error(404, f"unknown indicator {indicator_id!r}", "indicator")
    records = releases.releases(current.store)
    urls = _urls(href(f"/data/indicator/{indicator_id}", lang=lang), lang)
    return _atom(release_notes.indicator_feed(current, records, indicator_id, urls, lang))


@releases_api.get("/feeds/gebied/<code>.atom")
def area_feed(code: str):
    lang = normalize_lang(request.args.get("lang"))
    current = reader()
    if code not in current.area_names():
        return _error(404, f"unknown area {code!r}", "area")
    records = releases.releases(current.store)
    page = f"/buurten/{code}" if code.startswith(("WK", "BU")) else f"/corona/{code}"
    urls = _urls(href(page, lang=lang), lang)
    return _atom(release_notes.area_feed(current, records, code, urls, lang))
