"""A read-only CKAN action API over the catalog (/api/3/action/package_list, package_show,
package_search), with the DCAT-AP-DONL 1.1 field names, for data.overheid.nl's harvester.
Answers are {"help", "success", "result"}; errors {"success": false, "error": {...}} with 400 or
404, never a 500."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from app.catalog_records import NoData, base_url, current_records
from data.ckan import package_dict, search

ckan = Blueprint("ckan", __name__)

MAX_ROWS = 1000
DEFAULT_ROWS = 10
MAX_QUERY = 500  # characters of q
ACTIONS = ("package_list", "package_show", "package_search")


class CkanError(Exception):
    def __init__(self, status: int, kind: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.field = status, kind, message, field


def _help(action: str) -> str:
    return f"{base_url()}api/3/action/help_show?name={action}"


def _ok(action: str, result):
    return jsonify({"help": _help(action), "success": True, "result": result})


@ckan.errorhandler(CkanError)
def _error(error: CkanError):
    body = {"__type": error.kind, "message": error.message}
    if error.field:
        body[error.field] = [error.message]
    action = (request.view_args or {}).get("action") or request.path.rsplit("/", 1)[-1]
    return jsonify({"help": _help(action), "success": False, "error": body}), error.status


@ckan.errorhandler(NoData)
def _no_data(_error):
    return _error(
        CkanError(503, "Service Unavailable", "no data yet: the first refresh is running")
    )


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise CkanError(400, "Validation Error", f"'{name}' must be a whole number", name) from None
    if not low <= value <= high:
        raise CkanError(400, "Validation Error", f"'{name}' must be between {low} and {high}", name)
    return value


@ckan.get("/api/3/action/<action>")
def action(action: str):
    if action == "package_list":
        names = [d.id for d in current_records()]
        offset = _int("offset", 0, 0, 10**6)
        limit = _int("limit", len(names), 0, MAX_ROWS)
        return _ok(action, names[offset : offset + limit])
    if action == "package_show":
        wanted = request.args.get("id", "")
        if not wanted:
            raise CkanError(400, "Validation Error", "parameter 'id' is required", "id")
        for record in current_records():
            if wanted in (record.id, record.identifier):
                return _ok(action, package_dict(record))
        raise CkanError(404, "Not Found Error", f"no dataset '{wanted[:100]}'")
    if action == "package_search":
        q = request.args.get("q", "")
        if len(q) > MAX_QUERY:
            raise CkanError(400, "Validation Error", f"'q' is longer than {MAX_QUERY}", "q")
        rows = _int("rows", DEFAULT_ROWS, 0, MAX_ROWS)
        start = _int("start", 0, 0, 10**6)
        found = search(current_records(), q)
        return _ok(
            action,
            {
                "count": len(found),
                "results": [package_dict(d) for d in found[start : start + rows]],
                "sort": "score desc, metadata_modified desc",
                "facets": {},
                "search_facets": {},
            },
        )
    raise CkanError(
        400, "Bad Request", f"unknown action '{action[:60]}'; known: {', '.join(ACTIONS)}"
    )
