"""/api/v1/datasets and /api/v1/datasets/<id>: every dataset of the catalog with its metadata
(the DCAT-AP-DONL fields too), indicators, temporal coverage, levels and last refresh."""

from __future__ import annotations

from flask import Blueprint, jsonify

from app.catalog_records import base_url
from app.context import reader
from data.dataset_facts import dataset_facts
from data.dcat import dataset_address

datasets_api = Blueprint("datasets_api", __name__)


def dataset_document(dataset_id: str) -> dict:
    r = reader()
    dataset = r.catalog.datasets[dataset_id]
    contact = dataset.contact_point
    return {
        "id": dataset.id,
        "url": dataset_address(base_url(), dataset.id),
        "title": dataset.title.model_dump(),
        "publisher": dataset.publisher,
        "owner": dataset.owner,
        "licence": dataset.licence,
        "licence_url": dataset.licence_url,
        "licence_uri": dataset.licence_uri,
        "landing_page": dataset.landing_page,
        "archived_since": dataset.archived_since.isoformat() if dataset.archived_since else None,
        "contact_point": _contact(contact, r.site.website),
        "themes": dataset.themes or [],
        "keywords": dataset.keywords or [],
        "language": dataset.language or [],
        "spatial": dataset.spatial or [],
        "authority": dataset.authority,
        "publisher_uri": dataset.publisher_uri,
        "frequency": dataset.frequency,
        "version": r.version,
        **dataset_facts(r, dataset_id),
    }


def _contact(contact, website: str) -> dict | None:
    if contact is None:
        return None
    found = contact.model_dump(exclude_none=True)
    if "url" in found:
        found["url"] = found["url"].replace("{website}", website)
    return found


@datasets_api.get("/api/v1/datasets")
def datasets():
    r = reader()
    return jsonify(
        {"version": r.version, "datasets": [dataset_document(d) for d in r.catalog.datasets]}
    )


@datasets_api.get("/api/v1/datasets/<dataset_id>")
def dataset(dataset_id: str):
    if dataset_id not in reader().catalog.datasets:
        return jsonify(
            {"error": f"unknown dataset '{dataset_id}'; see /api/v1/datasets", "status": 404}
        ), 404
    return jsonify(dataset_document(dataset_id))
