"""The DCAT-AP-DONL records of the request's catalog (data/dcat.py), for /catalog.* and the
CKAN action API: built once per store version and address of the site."""

from __future__ import annotations

from flask import request

from app.context import reader
from data import dcat
from data.donl import value_lists
from data.store import utcnow


class NoData(Exception):
    """No store version yet: the first refresh is still running."""


def base_url() -> str:
    return request.url_root if request.url_root.endswith("/") else request.url_root + "/"


def _iso(value: str | None) -> str | None:
    return value.replace("Z", "+00:00") if value else None


def current_records() -> list[dcat.DatasetRecord]:
    r = reader()
    if r.version is None:
        raise NoData
    root = base_url()

    def build() -> list[dcat.DatasetRecord]:
        status = r.store.status().get("datasets", {})
        modified = {k: _iso(v.get("last_success")) for k, v in status.items()}
        manifest = r.store.manifest(r.version) or {}
        fallback = _iso(manifest.get("created_at")) or _iso(utcnow())
        return dcat.records(
            r.catalog, value_lists(), root, r.home, modified, fallback, r.site.website
        )

    return r.memo("dcat.records", (root,), build)


def catalog_graph_text(output: str) -> str:
    """The DCAT catalogue as `output` ("json-ld" or "turtle")."""
    r = reader()
    root = base_url()
    items = current_records()

    def build() -> str:
        publisher = r.catalog.dataset_defaults.publisher_uri or ""
        language = (r.catalog.dataset_defaults.language or [""])[0]
        g = dcat.graph(items, root, r.catalog.site.title.nl, publisher, language)
        return g.serialize(format=output)

    return r.memo("dcat.graph", (root, output), build)
