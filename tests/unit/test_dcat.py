"""The DCAT-AP-DONL catalogue of the shipped catalog: every dataset and distribution carries
the fields DONL 1.1 requires, with values from the DONL value lists, and the JSON-LD and Turtle
parse as the same RDF graph."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, Namespace

from app.settings import PROJECT_ROOT
from data import dcat
from data.catalog import load_catalog
from data.donl import value_lists

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
OVERHEID = Namespace("http://standaarden.overheid.nl/owms/terms/")
BASE = "https://mmmeter.example/"
MODIFIED = "2026-11-30T16:20:00+00:00"
WEBSITE = "https://www.assen.nl"

# DCAT-AP-DONL 1.1, required for a dataset: identifier, title, description, metadata language,
# language, theme, modified, authority, publisher, contact point name, licence.
DATASET_REQUIRED = {
    "identifier": DCTERMS.identifier,
    "title": DCTERMS.title,
    "description": DCTERMS.description,
    "language": DCTERMS.language,
    "theme": DCAT.theme,
    "modified": DCTERMS.modified,
    "authority": OVERHEID.authority,
    "publisher": DCTERMS.publisher,
    "licence": DCTERMS.license,
    "contact point": DCAT.contactPoint,
}
# ... and for a distribution: access URL, licence, title, description, language, format,
# metadata language.
DISTRIBUTION_REQUIRED = {
    "access URL": DCAT.accessURL,
    "licence": DCTERMS.license,
    "title": DCTERMS.title,
    "description": DCTERMS.description,
    "language": DCTERMS.language,
    "format": DCTERMS["format"],
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PROJECT_ROOT / "data" / "catalog.yaml")


@pytest.fixture(scope="module")
def items(catalog):
    return dcat.records(
        catalog, value_lists(), BASE, "GM0114", {"rivm_cases": MODIFIED}, MODIFIED, WEBSITE
    )


@pytest.fixture(scope="module")
def parsed(items):
    text = dcat.graph(items, BASE, "MMmeter", items[0].publisher, items[0].language[0]).serialize(
        format="json-ld"
    )
    return Graph().parse(data=text, format="json-ld")


def _metadata_language(g: Graph, node) -> set:
    records = set(g.subjects(FOAF.primaryTopic, node))
    assert all((r, RDF.type, DCAT.CatalogRecord) in g for r in records)
    return {lang for r in records for lang in g.objects(r, DCTERMS.language)}


def test_one_dcat_dataset_per_catalog_dataset(catalog, parsed):
    datasets = set(parsed.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {URIRef(dcat.dataset_address(BASE, d)) for d in catalog.datasets}
    [cat] = parsed.subjects(RDF.type, DCAT.Catalog)
    assert set(parsed.objects(cat, DCAT.dataset)) == datasets


def test_every_dataset_has_the_required_donl_fields_with_listed_values(parsed):
    values = value_lists()
    for ds in parsed.subjects(RDF.type, DCAT.Dataset):
        for name, predicate in DATASET_REQUIRED.items():
            assert parsed.value(ds, predicate) is not None, f"{ds}: no {name}"
        assert {str(t) for t in parsed.objects(ds, DCAT.theme)} <= set(values.themes)
        assert {str(t) for t in parsed.objects(ds, DCTERMS.language)} <= set(values.languages)
        assert str(parsed.value(ds, DCTERMS.license)) in values.licence_uris
        assert str(parsed.value(ds, OVERHEID.authority)) in values.organisation_uris
        assert str(parsed.value(ds, DCTERMS.publisher)) in values.organisation_uris
        assert str(parsed.value(ds, DCTERMS.accrualPeriodicity)) in values.frequencies
        assert {str(s) for s in parsed.objects(ds, DCTERMS.spatial)} <= values.spatial_uris
        contact = parsed.value(ds, DCAT.contactPoint)
        assert str(parsed.value(contact, VCARD.fn)).strip(), f"{ds}: no contact point name"
        assert {str(x) for x in _metadata_language(parsed, ds)} <= set(values.languages)
        assert _metadata_language(parsed, ds), f"{ds}: no metadata language"


def test_every_distribution_has_the_required_donl_fields_with_listed_values(parsed):
    values = value_lists()
    file_types = {f.uri for f in values.file_types.values()}
    distributions = set(parsed.subjects(RDF.type, DCAT.Distribution))
    assert distributions
    for dist in distributions:
        for name, predicate in DISTRIBUTION_REQUIRED.items():
            assert parsed.value(dist, predicate) is not None, f"{dist}: no {name}"
        assert str(parsed.value(dist, DCTERMS["format"])) in file_types
        assert str(parsed.value(dist, DCTERMS.license)) in values.licence_uris
        assert {str(x) for x in parsed.objects(dist, DCTERMS.language)} <= set(values.languages)
        assert _metadata_language(parsed, dist), f"{dist}: no metadata language"
        assert str(parsed.value(dist, DCAT.accessURL)).startswith(f"{BASE}api/v1/")
    assert all(
        parsed.value(ds, DCAT.distribution) for ds in parsed.subjects(RDF.type, DCAT.Dataset)
    )


def test_indicators_are_offered_as_csv_and_json_observations(catalog, items):
    cases = next(i for i in items if i.id == "rivm_cases")
    urls = {d.url for d in cases.distributions}
    assert f"{BASE}api/v1/observations?indicator=covid_cases&area=GM0114&format=csv" in urls
    assert f"{BASE}api/v1/observations?indicator=covid_cases&area=GM0114&format=json" in urls


def test_modified_is_the_last_refresh_of_the_dataset_else_the_fallback(items):
    by_id = {i.id: i for i in items}
    assert by_id["rivm_cases"].modified == MODIFIED
    other = dcat.records(
        load_catalog(PROJECT_ROOT / "data" / "catalog.yaml"),
        value_lists(),
        BASE,
        "GM0114",
        {},
        "2020-01-01T00:00:00+00:00",
        WEBSITE,
    )
    assert {i.modified for i in other} == {"2020-01-01T00:00:00+00:00"}


def test_turtle_and_json_ld_are_the_same_graph(items, parsed):
    g = dcat.graph(items, BASE, "MMmeter", items[0].publisher, items[0].language[0])
    turtle = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    from rdflib.compare import isomorphic

    assert isomorphic(turtle, parsed)


def test_contact_point_is_the_sites_website(items):
    assert {i.contact_url for i in items} == {WEBSITE}
