"""/catalog.jsonld and /catalog.ttl: the DCAT-AP-DONL catalogue for data.overheid.nl."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.catalog_records import NoData, catalog_graph_text

dcat_routes = Blueprint("dcat_routes", __name__)


def _answer(output: str, mimetype: str):
    try:
        body = catalog_graph_text(output)
    except NoData:
        return jsonify({"error": "no data yet: the first refresh is still running"}), 503
    response = Response(body, mimetype=mimetype)
    response.cache_control.max_age = 300
    return response


@dcat_routes.get("/catalog.jsonld")
def catalog_jsonld():
    return _answer("json-ld", "application/ld+json")


@dcat_routes.get("/catalog.ttl")
def catalog_turtle():
    return _answer("turtle", "text/turtle")
