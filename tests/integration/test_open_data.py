"""The open-data addresses through the app, on a store refreshed from the real data: the
DCAT-AP-DONL catalogue, the CKAN action API and /api/v1/datasets."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from app.context import reader as current_reader
from data.dcat import REQUIRED_DATASET_FIELDS, REQUIRED_DISTRIBUTION_FIELDS
from data.donl import value_lists


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


def test_catalog_repeat_with_its_etag_is_a_304(client):
    first = client.get("/catalog.ttl")
    again = client.get("/catalog.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/catalog.jsonld", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200  # another format, another tag


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


# --- CKAN action API --------------------------------------------------------------------


def _action(client, name, **params):
    response = client.get(f"/api/3/action/{name}", query_string=params)
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)[:200]
    assert body["help"].endswith(f"help_show?name={name}")
    return response.status_code, body


def test_package_list_names_every_dataset(client):
    status, body = _action(client, "package_list")
    assert status == 200 and body["success"] is True
    assert body["result"] == list(_catalog(client).datasets)


def test_every_package_has_the_required_donl_fields_from_the_value_lists(client):
    values = value_lists()
    file_types = {f.uri for f in values.file_types.values()}
    for name in _action(client, "package_list")[1]["result"]:
        status, body = _action(client, "package_show", id=name)
        assert status == 200
        package = body["result"]
        for field in REQUIRED_DATASET_FIELDS:
            assert package.get(field), f"{name}: no {field}"
        assert set(package["theme"]) <= set(values.themes)
        assert set(package["language"]) <= set(values.languages)
        assert package["metadata_language"] in values.languages
        assert package["license_id"] in values.licence_uris
        assert package["authority"] in values.organisation_uris
        assert package["publisher"] in values.organisation_uris
        assert package["frequency"] in values.frequencies
        assert set(package["spatial_value"]) <= values.spatial_uris
        assert package["resources"] and package["num_resources"] == len(package["resources"])
        for resource in package["resources"]:
            for field in REQUIRED_DISTRIBUTION_FIELDS:
                assert resource.get(field), f"{name}/{resource['id']}: no {field}"
            assert resource["format"] in file_types
            assert resource["license_id"] in values.licence_uris
            assert set(resource["language"]) <= set(values.languages)


def test_package_show_by_identifier_is_the_same_package(client):
    by_name = _action(client, "package_show", id="rivm_cases")[1]["result"]
    by_identifier = _action(client, "package_show", id=by_name["identifier"])[1]["result"]
    assert by_identifier == by_name
    assert by_name["tags"] and {"name": "corona"}.items() <= by_name["tags"][0].items()


def test_package_search_finds_by_title_and_keyword_accent_insensitively(client):
    _, body = _action(client, "package_search", q="rioolwater")
    assert [p["name"] for p in body["result"]["results"]] == ["rivm_sewage"]
    _, body = _action(client, "package_search", q="ZIEKENHUISOPNAMES")
    assert "rivm_hospital" in [p["name"] for p in body["result"]["results"]]
    _, accented = _action(client, "package_search", q="grénzen")
    _, plain = _action(client, "package_search", q="grenzen")
    assert accented["result"]["count"] == plain["result"]["count"] >= 4


def test_package_search_pages_with_rows_and_start(client):
    everything = _action(client, "package_search", rows=1000)[1]["result"]
    assert everything["count"] == len(_catalog(client).datasets) == len(everything["results"])
    names = [p["name"] for p in everything["results"]]
    page = _action(client, "package_search", rows=3, start=2)[1]["result"]
    assert page["count"] == everything["count"]
    assert [p["name"] for p in page["results"]] == names[2:5]
    assert len(_action(client, "package_search")[1]["result"]["results"]) == 10  # the default


def test_bad_ckan_requests_are_json_errors_not_500(client):
    cases = [
        ("package_show", {"id": "nope"}, 404, "Not Found Error"),
        ("package_show", {}, 400, "Validation Error"),
        ("package_search", {"rows": "1001"}, 400, "Validation Error"),
        ("package_search", {"rows": "-1"}, 400, "Validation Error"),
        ("package_search", {"start": "abc"}, 400, "Validation Error"),
        ("package_search", {"q": "x" * 501}, 400, "Validation Error"),
        ("package_list", {"limit": "10000"}, 400, "Validation Error"),
        ("package_create", {}, 400, "Bad Request"),
    ]
    for name, params, status, kind in cases:
        code, body = _action(client, name, **params)
        assert (code, body["success"], body["error"]["__type"]) == (status, False, kind), (
            name,
            params,
        )
