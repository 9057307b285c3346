"""Answers for requests the app cannot serve: 400 for a malformed callback request, a real 404
for an unknown page (Dash's "niet gevonden" page, with status 404) and a JSON 404 for an unknown
API path, instead of a 500 or the app's page with 200 (a soft 404).
"""

from __future__ import annotations

import logging

from dash import Dash
from dash.exceptions import DashException
from flask import Flask, g, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("mmmeter.errors")

CALLBACK_SUFFIX = "_dash-update-component"
CATCH_ALL_RULES = ("/", "/<path:path>")
NOT_FOUND_MODULE = "not_found_404"
MAX_TEXT = 4096  # longest pathname, search, ... a callback takes
MAX_ITEMS = 2000  # longest list of input values (ALL pattern-matching inputs included)
# What the properties our callbacks read may hold (one Dash prop name, one rule).
_TEXT = (str, type(None))
_COUNT = (int, type(None))
PROP_TYPES: dict[str, tuple[type, ...]] = {
    "pathname": _TEXT,
    "search": _TEXT,
    "hash": _TEXT,
    "href": _TEXT,
    "n_clicks": _COUNT,
    "n_submit": _COUNT,
    "n_intervals": _COUNT,
    "is_open": (bool, type(None)),
    "contents": (str, list, type(None)),
    "filename": (str, list, type(None)),
    "value": (str, int, float, list, type(None)),
    "min": (int, float, type(None)),
    "max": (int, float, type(None)),
}


class BadCallbackRequest(ValueError):
    pass


def page_of(path: str) -> str | None:
    """The registered page `path` opens (its path template or path); None: no such page.

    A template page registered with `exists=function(**path variables)` (layouts/pages/
    themes.py) answers 404 for the addresses it does not know."""
    if not has_request_context():
        return _page_of(path)
    known = g.setdefault("mmmeter_pages_of", {})  # asked by several hooks of one request
    if path not in known:
        known[path] = _page_of(path)
    return known[path]


def _page_of(path: str) -> str | None:
    from dash import _pages, strip_relative_path  # the lookup Dash's own page router uses

    page, variables = _pages._path_to_page((strip_relative_path(path) or "").strip("/"))
    if not page or page.get("module") == NOT_FOUND_MODULE:
        return None
    exists = page.get("exists")  # a page template may say which of its addresses exist
    if exists is not None and variables and not exists(**variables):
        return None
    return page.get("path_template") or page.get("path")


def callback_name() -> str | None:
    """The output of the callback this request asks for, once its body passed the check."""
    output = g.get("mmmeter_callback")
    return output.split("@", 1)[0][:200] if output else None


def _check_value(item, where: str) -> None:
    if not isinstance(item, dict):
        raise BadCallbackRequest(f"{where}: expected an object with id, property and value")
    if not isinstance(item.get("id"), str | dict) or not isinstance(item.get("property"), str):
        raise BadCallbackRequest(f"{where}: id must be a string or object, property a string")
    kinds = PROP_TYPES.get(item["property"])
    value = item.get("value")
    if kinds is not None:
        if isinstance(value, bool) and bool not in kinds:
            raise BadCallbackRequest(f"{where}: {item['property']} cannot be true or false")
        if not isinstance(value, kinds):
            raise BadCallbackRequest(f"{where}: {item['property']} has the wrong type")
    if isinstance(value, str) and len(value) > MAX_TEXT and item["property"] != "contents":
        raise BadCallbackRequest(f"{where}: {item['property']} is too long")


def _check_values(values, expected: list, where: str) -> None:
    if not isinstance(values, list) or len(values) != len(expected):
        raise BadCallbackRequest(f"{where}: expected a list of {len(expected)} value(s)")
    for index, item in enumerate(values):
        if isinstance(item, list):  # an ALL / ALLSMALLER pattern-matching input
            if len(item) > MAX_ITEMS:
                raise BadCallbackRequest(f"{where}[{index}]: too many values")
            for sub, part in enumerate(item):
                _check_value(part, f"{where}[{index}][{sub}]")
        else:
            _check_value(item, f"{where}[{index}]")


def check_callback_body(body, callback_map: dict) -> None:
    """Raise BadCallbackRequest unless `body` is a callback request this app can run."""
    if not isinstance(body, dict):
        raise BadCallbackRequest("the request body must be a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadCallbackRequest("unknown callback output")
    outputs = body.get("outputs")
    count = len(output.strip(".").split("...")) if output.startswith("..") else 1
    if not (isinstance(outputs, dict) and count == 1) and not (
        isinstance(outputs, list) and len(outputs) == count
    ):
        raise BadCallbackRequest(f"outputs: expected {count} output(s)")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallbackRequest("changedPropIds: expected a list of strings")
    spec = callback_map[output]
    _check_values(body.get("inputs"), spec["inputs"], "inputs")
    _check_values(body.get("state", []), spec["state"], "state")


def _bad_request(message: str):
    return jsonify({"error": message, "status": 400}), 400


def init_errors(server: Flask, app: Dash) -> None:
    @server.before_request
    def _reject_malformed():
        rule = request.url_rule.rule if request.url_rule else ""
        if request.method == "POST" and rule.endswith(CALLBACK_SUFFIX):
            if not request.is_json:
                return _bad_request("a callback request is JSON (application/json)")
            body = request.get_json(silent=True, cache=True)
            try:
                check_callback_body(body, app.callback_map)
            except BadCallbackRequest as exc:
                return _bad_request(f"malformed callback request: {exc}")
            g.mmmeter_callback = body["output"]
        elif rule in CATCH_ALL_RULES and request.path.startswith(("/api/", "/_dash-")):
            return jsonify({"error": f"no such address: {request.path}", "status": 404}), 404
        return None

    @server.after_request
    def _real_not_found(response):
        rule = request.url_rule.rule if request.url_rule else ""
        if g.get("mmmeter_ready"):  # a ready answer (app/answers.py) was a known page
            return response
        if rule in CATCH_ALL_RULES and response.status_code == 200 and not page_of(request.path):
            response.status_code = 404  # Dash's page router shows the "niet gevonden" page
        return response

    @server.errorhandler(DashException)  # PreventUpdate keeps Dash's own handler (204)
    @server.errorhandler(TypeError)
    @server.errorhandler(ValueError)
    @server.errorhandler(LookupError)
    @server.errorhandler(AttributeError)
    def _callback_input_error(error):
        """A callback that fails on a value of its inputs (an unknown week, area, ...) got a
        request no page of ours sends: 400, logged with its traceback for a look."""
        rule = request.url_rule.rule if request.url_rule else ""
        if isinstance(error, HTTPException) or not rule.endswith(CALLBACK_SUFFIX):
            raise error
        log.warning("callback %s refused its input: %r", callback_name(), error, exc_info=error)
        return _bad_request("the callback cannot use these input values")
