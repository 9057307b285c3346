"""The catalog as DCAT-AP-DONL 1.1 records (for data.overheid.nl) and as an RDF graph.

Pure functions: `records` turns the catalog and a few facts of the store (when each dataset was
last refreshed) into one `DatasetRecord` per dataset, with its distributions (the API's CSV and
JSON addresses); `graph` writes them as DCAT (rdflib). The CKAN action API (app/ckan.py) shows
the same records with CKAN's field names, so both say the same.

The metadata language of a dataset and of a distribution is the dct:language of a
dcat:CatalogRecord about it (DCAT-AP's place for facts about the metadata itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from data.catalog import Catalog, Dataset
from data.donl import ValueLists

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
OVERHEID = Namespace("http://standaarden.overheid.nl/owms/terms/")
IANA = "https://www.iana.org/assignments/media-types/"

# The fields DCAT-AP-DONL 1.1 requires (the CKAN names of ckanext-dcatdonl).
REQUIRED_DATASET_FIELDS = (
    "identifier",
    "title",
    "notes",
    "metadata_language",
    "language",
    "theme",
    "modified",
    "authority",
    "publisher",
    "contact_point_name",
    "license_id",
)
REQUIRED_DISTRIBUTION_FIELDS = (
    "url",
    "license_id",
    "name",
    "description",
    "language",
    "format",
    "metadata_language",
)


@dataclass(frozen=True)
class DistributionRecord:
    id: str
    url: str
    title: str
    description: str
    format: str  # a key of the value lists' file_types: CSV, JSON, GEOJSON
    format_uri: str
    mimetype: str
    licence: str
    language: tuple[str, ...]
    metadata_language: str


@dataclass(frozen=True)
class DatasetRecord:
    id: str
    identifier: str
    title: str
    title_en: str
    description: str
    landing_page: str
    metadata_language: str
    language: tuple[str, ...]
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    modified: str  # ISO 8601 date-time, UTC
    authority: str
    publisher: str
    contact_name: str
    contact_email: str | None
    contact_url: str | None
    licence: str
    frequency: str
    spatial: tuple[str, ...]
    spatial_schemes: tuple[str, ...]
    distributions: tuple[DistributionRecord, ...]


def dataset_address(base_url: str, dataset_id: str) -> str:
    """The address that identifies a dataset: its API document."""
    return f"{base_url}api/v1/datasets/{dataset_id}"


def _description(catalog: Catalog, dataset: Dataset) -> str:
    indicators = [i.title.nl for i in catalog.indicators.values() if i.dataset[0] == dataset.id]
    text = f"{dataset.title.nl}. Bron: {dataset.publisher}, licentie {dataset.licence}."
    if indicators:
        text += f" Cijfers: {', '.join(indicators)}."
    return text


def _distributions(
    catalog: Catalog, dataset: Dataset, base_url: str, home: str, values: ValueLists
) -> list[DistributionRecord]:
    language = tuple(dataset.language or ())
    metadata_language = language[0]

    def one(slug: str, url: str, title: str, description: str, kind: str) -> DistributionRecord:
        file_type = values.file_type(kind)
        return DistributionRecord(
            id=f"{dataset.id}-{slug}",
            url=url,
            title=title,
            description=description,
            format=kind,
            format_uri=file_type.uri,
            mimetype=file_type.mimetype,
            licence=dataset.licence_uri or "",
            language=language,
            metadata_language=metadata_language,
        )

    found = [
        one(
            "metadata-json",
            dataset_address(base_url, dataset.id),
            f"{dataset.title.nl} (beschrijving, JSON)",
            "Beschrijving van de dataset met zijn cijfers, periodes en gebiedsniveaus (JSON).",
            "JSON",
        )
    ]
    for indicator in catalog.indicators.values():
        if indicator.dataset[0] != dataset.id:
            continue
        for kind in ("CSV", "JSON"):
            query = urlencode({"indicator": indicator.id, "area": home, "format": kind.lower()})
            found.append(
                one(
                    f"{indicator.id}-{kind.lower()}",
                    f"{base_url}api/v1/observations?{query}",
                    f"{indicator.title.nl} ({kind})",
                    f"{indicator.definition.nl} Eenheid: {indicator.unit.nl}. Per gebied: "
                    "vervang area door een code uit /api/v1/areas.",
                    kind,
                )
            )
    if dataset.level and not any(i.dataset[0] == dataset.id for i in catalog.indicators.values()):
        found.append(
            one(
                "geometry-geojson",
                f"{base_url}api/v1/geometry/{dataset.level}",
                f"{dataset.title.nl} (GeoJSON)",
                "De vereenvoudigde grenzen die de kaarten tekenen (GeoJSON, WGS84).",
                "GEOJSON",
            )
        )
    return found


def records(
    catalog: Catalog,
    values: ValueLists,
    base_url: str,
    home: str,
    modified: dict[str, str],
    fallback_modified: str,
    website: str,
) -> list[DatasetRecord]:
    """One record per dataset of `catalog`. `base_url` ends in "/"; `modified` gives the last
    successful refresh per dataset id (ISO 8601), `fallback_modified` the time for the others;
    `website` (the municipality's) stands in for "{website}" in contact points."""
    out = []
    for dataset in catalog.datasets.values():
        contact = dataset.contact_point
        spatial = tuple(dataset.spatial or ())
        out.append(
            DatasetRecord(
                id=dataset.id,
                identifier=dataset_address(base_url, dataset.id),
                title=dataset.title.nl,
                title_en=dataset.title.en,
                description=_description(catalog, dataset),
                landing_page=dataset.landing_page,
                metadata_language=(dataset.language or ())[0],
                language=tuple(dataset.language or ()),
                themes=tuple(dataset.themes or ()),
                keywords=tuple(dataset.keywords or ()),
                modified=modified.get(dataset.id) or fallback_modified,
                authority=dataset.authority or "",
                publisher=dataset.publisher_uri or "",
                contact_name=contact.name if contact else "",
                contact_email=contact.email if contact else None,
                contact_url=(contact.url or "").replace("{website}", website) or None
                if contact
                else None,
                licence=dataset.licence_uri or "",
                frequency=dataset.frequency or "",
                spatial=spatial,
                spatial_schemes=tuple(values.spatial_scheme(s) for s in spatial),
                distributions=tuple(_distributions(catalog, dataset, base_url, home, values)),
            )
        )
    return out


def _metadata_record(g: Graph, about: URIRef, language: str, modified: str) -> None:
    record = BNode()
    g.add((record, RDF.type, DCAT.CatalogRecord))
    g.add((record, FOAF.primaryTopic, about))
    g.add((record, DCTERMS.language, URIRef(language)))
    g.add((record, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))


def graph(
    items: list[DatasetRecord], base_url: str, title: str, publisher: str, language: str
) -> Graph:
    """The DCAT catalogue of `items`."""
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("vcard", VCARD)
    g.bind("overheid", OVERHEID)
    catalog = URIRef(f"{base_url}catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal(title, lang="nl")))
    g.add((catalog, DCTERMS.description, Literal(f"Open data van {title}", lang="nl")))
    g.add((catalog, DCTERMS.publisher, URIRef(publisher)))
    g.add((catalog, DCTERMS.language, URIRef(language)))
    g.add((catalog, FOAF.homepage, URIRef(base_url)))
    for item in items:
        ds = URIRef(item.identifier)
        g.add((catalog, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.identifier, Literal(item.identifier)))
        g.add((ds, DCTERMS.title, Literal(item.title, lang="nl")))
        g.add((ds, DCTERMS.title, Literal(item.title_en, lang="en")))
        g.add((ds, DCTERMS.description, Literal(item.description, lang="nl")))
        g.add((ds, DCTERMS.modified, Literal(item.modified, datatype=XSD.dateTime)))
        g.add((ds, OVERHEID.authority, URIRef(item.authority)))
        g.add((ds, DCTERMS.publisher, URIRef(item.publisher)))
        g.add((ds, DCTERMS.license, URIRef(item.licence)))
        g.add((ds, DCTERMS.accrualPeriodicity, URIRef(item.frequency)))
        g.add((ds, DCAT.landingPage, URIRef(item.landing_page)))
        for language_uri in item.language:
            g.add((ds, DCTERMS.language, URIRef(language_uri)))
        for theme in item.themes:
            g.add((ds, DCAT.theme, URIRef(theme)))
        for keyword in item.keywords:
            g.add((ds, DCAT.keyword, Literal(keyword, lang="nl")))
        for place in item.spatial:
            g.add((ds, DCTERMS.spatial, URIRef(place)))
        contact = BNode()
        g.add((ds, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, Literal(item.contact_name)))
        if item.contact_email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{item.contact_email}")))
        if item.contact_url:
            g.add((contact, VCARD.hasURL, URIRef(item.contact_url)))
        _metadata_record(g, ds, item.metadata_language, item.modified)
        for dist in item.distributions:
            node = URIRef(f"{item.identifier}#{dist.id}")
            g.add((ds, DCAT.distribution, node))
            g.add((node, RDF.type, DCAT.Distribution))
            g.add((node, DCAT.accessURL, URIRef(dist.url)))
            g.add((node, DCTERMS.title, Literal(dist.title, lang="nl")))
            g.add((node, DCTERMS.description, Literal(dist.description, lang="nl")))
            g.add((node, DCTERMS.license, URIRef(dist.licence)))
            g.add((node, DCTERMS["format"], URIRef(dist.format_uri)))
            g.add((node, DCAT.mediaType, URIRef(f"{IANA}{dist.mimetype}")))
            for language_uri in dist.language:
                g.add((node, DCTERMS.language, URIRef(language_uri)))
            _metadata_record(g, node, dist.metadata_language, item.modified)
    return g
