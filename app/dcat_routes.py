"""/catalog.jsonld and /catalog.ttl: the DCAT-AP-DONL catalogue for data.overheid.nl."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, jsonify, request

from app.catalog_records import NoData, base_url, catalog_graph_text
from app.context import reader

dcat_routes = Blueprint("dcat_routes", __name__)


def _answer(output: str, mimetype: str):
    try:
        body = catalog_graph_text(output)
    except NoData:
        return jsonify({"error": "no data yet: the first refresh is still running"}), 503
    response = Response(body, mimetype=mimetype)
    # the catalogue changes with the store version (and the address it is served under)
    tag = f"{reader().version}|{base_url()}|{output}"
    response.set_etag(hashlib.sha256(tag.encode()).hexdigest()[:32])
    response.cache_control.max_age = 300
    return response.make_conditional(request)


@dcat_routes.get("/catalog.jsonld")
def catalog_jsonld():
    return _answer("json-ld", "application/ld+json")


@dcat_routes.get("/catalog.ttl")
def catalog_turtle():
    return _answer("turtle", "text/turtle")
