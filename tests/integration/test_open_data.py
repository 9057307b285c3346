"""The open-data addresses through the app, on a store refreshed from the real data: the
DCAT-AP-DONL catalogue, the CKAN action API and /api/v1/datasets."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from app.context import reader as current_reader


def _catalog(client):
    with client.application.test_request_context():
        return current_reader().catalog


def test_catalog_jsonld_parses_as_rdf_with_every_dataset(client):
    response = client.get("/catalog.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    g = Graph().parse(data=response.get_data(as_text=True), format="json-ld")
    found = {str(d).rsplit("/", 1)[-1] for d in g.subjects(RDF.type, DCAT.Dataset)}
    assert found == set(_catalog(client).datasets)
    # modified is the store's last successful refresh of the dataset
    status = client.get("/api/v1/status").get_json()["datasets"]
    ds = URIRef("http://localhost/api/v1/datasets/rivm_cases")
    assert str(g.value(ds, DCTERMS.modified)).startswith(status["rivm_cases"]["last_success"][:19])


def test_catalog_turtle_is_the_same_graph_as_the_jsonld(client):
    turtle = client.get("/catalog.ttl")
    assert turtle.status_code == 200
    assert turtle.mimetype == "text/turtle"
    a = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    b = Graph().parse(data=client.get("/catalog.jsonld").get_data(as_text=True), format="json-ld")
    assert isomorphic(a, b)


def test_distribution_access_urls_answer(client):
    g = Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    urls = sorted({str(u) for u in g.objects(None, DCAT.accessURL)})
    assert urls
    for url in urls[:: max(1, len(urls) // 12)]:  # a spread of them, not all 100
        response = client.get(url.removeprefix("http://localhost"))
        assert response.status_code == 200, url


# --- /api/v1/datasets -------------------------------------------------------------------


def test_datasets_lists_every_catalog_dataset(client):
    body = client.get("/api/v1/datasets").get_json()
    assert [d["id"] for d in body["datasets"]] == list(_catalog(client).datasets)
    assert body["version"] == client.get("/api/v1/status").get_json()["version"]


def test_dataset_has_coverage_levels_indicators_and_last_refresh(client):
    body = client.get("/api/v1/datasets/rivm_cases").get_json()
    emmen = client.get(
        "/api/v1/observations", query_string={"indicator": "covid_cases", "area": "GM0114"}
    ).get_json()["observations"]
    assert body["temporal_coverage"]["last_period"] == "2023-03-31" == emmen[-1]["period"]
    assert body["temporal_coverage"]["first_period"] <= emmen[0]["period"]
    assert {"gm", "pv", "nl"} <= set(body["levels"])
    ids = {i["id"] for i in body["indicators"]}
    assert {"covid_cases", "covid_cases_7d", "covid_deaths"} <= ids
    deaths = next(i for i in body["indicators"] if i["id"] == "covid_deaths")
    assert deaths["last_period"] <= "2022-12-31"  # RIVM stopped deaths per gemeente then
    status = client.get("/api/v1/status").get_json()["datasets"]["rivm_cases"]
    assert body["last_successful_refresh"] == status["last_success"]
    assert body["licence_uri"] == "http://creativecommons.org/publicdomain/mark/1.0/deed.nl"
    assert body["contact_point"]["name"]


def test_one_period_dataset_starts_and_ends_on_its_period(client):
    body = client.get("/api/v1/datasets/cbs_kwb_2024").get_json()
    assert body["temporal_coverage"] == {"first_period": "2024-01-01", "last_period": "2024-01-01"}
    assert "wk" in body["levels"]


def test_boundary_dataset_has_its_level_and_no_indicators(client):
    body = client.get("/api/v1/datasets/geo_wijken").get_json()
    assert body["indicators"] == [] and body["levels"] == ["wk"]
    assert body["temporal_coverage"] == {"first_period": None, "last_period": None}


def test_unknown_dataset_is_a_json_404(client):
    response = client.get("/api/v1/datasets/no_such_dataset")
    assert response.status_code == 404
    assert "no_such_dataset" in response.get_json()["error"]
