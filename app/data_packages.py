"""/data/<dataset>.zip and /data/catalogus.zip: the dataset packages of data/packages.py,
streamed. Flask routes, so they answer before Dash's page router (the /data pages are Dash
pages); ETag and Last-Modified from the store version, as the API's answers."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, jsonify, request

from app.context import reader
from app.datasets_api import dataset_document
from data import packages
from data.store import version_time

data_packages = Blueprint("data_packages", __name__)
CATALOGUE = "catalogus"
MAX_AGE_S = 300


def _error(status: int, message: str):
    return jsonify({"error": message, "status": status}), status


def _etag(name: str) -> str:
    """The package's version: the store version and what the request's catalog lets it see
    (a staff member's catalogue holds internal datasets an anonymous visitor's does not)."""
    current = reader()
    visible = repr((sorted(current.catalog.datasets), sorted(current.catalog.indicators)))
    return f"{name}-{current.version}-{hashlib.sha256(visible.encode()).hexdigest()[:12]}"


def _conditional(name: str):
    """A 304 when the client has this package of the current version, else None."""
    current = reader()
    etag = _etag(name)
    tags = request.if_none_match
    has = tags and (tags.contains(etag) or any(t.partition(":")[0] == etag for t in tags.as_set()))
    if not tags and request.if_modified_since is not None:
        has = version_time(current.version).replace(microsecond=0) <= request.if_modified_since
    if has:
        response = Response(status=304)
        response.set_etag(etag)
        return response
    return None


def _package(name: str, chunks) -> Response:
    version = reader().version
    response = Response(chunks, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    response.headers["X-MMmeter-Version"] = version
    response.set_etag(_etag(name))
    response.last_modified = version_time(version)
    response.cache_control.max_age = MAX_AGE_S
    return response


@data_packages.get("/data/<dataset_id>.zip")
def dataset_package(dataset_id: str):
    current = reader()
    if dataset_id == CATALOGUE:
        return catalogue_package()
    if dataset_id not in current.catalog.datasets:
        return _error(404, f"unknown dataset '{dataset_id}'; see /api/v1/datasets")
    if current.version is None:
        return _error(503, "no data yet: the first refresh is still running")
    not_modified = _conditional(dataset_id)
    if not_modified is not None:
        return not_modified
    document = dataset_document(dataset_id)
    return _package(dataset_id, packages.dataset_zip(current, dataset_id, document))


def catalogue_package():
    current = reader()
    if current.version is None:
        return _error(503, "no data yet: the first refresh is still running")
    not_modified = _conditional(CATALOGUE)
    if not_modified is not None:
        return not_modified
    documents = {d: dataset_document(d) for d in current.catalog.datasets}
    index = {
        "title": current.catalog.site.title.nl,
        "publisher": current.catalog.site.owner,
        "version": current.version,
        "datasets": list(documents.values()),
    }
    return _package(CATALOGUE, packages.catalogue_zip(current, documents, index))
