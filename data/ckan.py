"""The DCAT-AP-DONL records (data/dcat.py) as CKAN packages with the field names of
ckanext-dcatdonl, the shape data.overheid.nl's harvester reads from municipal CKAN portals,
and the search over them. Pure functions."""

from __future__ import annotations

import unicodedata

from data.dcat import DatasetRecord, DistributionRecord


def resource_dict(dataset: DatasetRecord, dist: DistributionRecord, position: int) -> dict:
    return {
        "id": dist.id,
        "package_id": dataset.id,
        "position": position,
        "name": dist.title,
        "url": dist.url,
        "description": dist.description,
        "format": dist.format_uri,
        "mimetype": f"https://www.iana.org/assignments/media-types/{dist.mimetype}",
        "language": list(dist.language),
        "metadata_language": dist.metadata_language,
        "license_id": dist.licence,
        "state": "active",
    }


def package_dict(dataset: DatasetRecord) -> dict:
    resources = [resource_dict(dataset, d, i) for i, d in enumerate(dataset.distributions)]
    tags = [{"name": k, "display_name": k, "state": "active"} for k in dataset.keywords]
    package = {
        "id": dataset.id,
        "name": dataset.id,
        "type": "dataset",
        "state": "active",
        "private": False,
        "title": dataset.title,
        "notes": dataset.description,
        "url": dataset.landing_page,
        "identifier": dataset.identifier,
        "metadata_language": dataset.metadata_language,
        "language": list(dataset.language),
        "theme": list(dataset.themes),
        "modified": dataset.modified,
        "metadata_modified": dataset.modified,
        "authority": dataset.authority,
        "publisher": dataset.publisher,
        "contact_point_name": dataset.contact_name,
        "license_id": dataset.licence,
        "frequency": dataset.frequency,
        "spatial_scheme": list(dataset.spatial_schemes),
        "spatial_value": list(dataset.spatial),
        "access_rights": "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
    }
    if dataset.contact_email:
        package["contact_point_email"] = dataset.contact_email
    if dataset.contact_url:
        package["contact_point_website"] = dataset.contact_url
    return package


def folded(text: str) -> str:
    """`text` lower-cased without accents (zoeken: "reële" finds "reele")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _haystack(dataset: DatasetRecord) -> str:
    return folded(
        " ".join(
            [dataset.id, dataset.title, dataset.title_en, dataset.description, *dataset.keywords]
        )
    )


def search(items: list[DatasetRecord], q: str) -> list[DatasetRecord]:
    """The records that contain every word of `q` (all of them for an empty q or "*:*")."""
    words = [] if q.strip() in ("", "*:*") else folded(q).split()
    return [d for d in items if all(w in _haystack(d) for w in words)]
