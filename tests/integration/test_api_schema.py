"""The OpenAPI document: valid OpenAPI 3.1, made from the models that check the parameters,
and the app keeps to it (schemathesis, in-process, on every endpoint); /api shows it."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api_params import MAX_LIMIT, ObservationsQuery

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_ENDPOINT = 20
NEGATIVE_EXAMPLES = 10
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def document(dash_app) -> dict:
    response = dash_app.server.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_openapi_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_the_documented_parameters_are_those_the_code_checks(document):
    parameters = {
        p["name"]: p for p in document["paths"]["/api/v1/observations"]["get"]["parameters"]
    }
    names = {f.alias or name for name, f in ObservationsQuery.model_fields.items()}
    assert set(parameters) == names
    assert parameters["limit"]["schema"]["maximum"] == MAX_LIMIT
    assert "geojson" in parameters["format"]["schema"]["enum"]


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_every_endpoint_keeps_to_the_document(dash_app):
    operations = _operations(dash_app.server)
    assert {"/api/v1/observations", "/data/{dataset_id}.zip"} <= {op.path for op in operations}
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_ENDPOINT,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def check(case):
            # identity: the checks read the body as the client gets it, uncompressed
            case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)

        check()


def test_invalid_parameters_are_answered_with_documented_errors_never_a_500(dash_app):
    """Schemathesis's negative cases: values outside each parameter's schema."""
    for operation in _operations(dash_app.server):
        if not operation.query and not operation.path_parameters:
            continue  # nothing to get wrong

        @settings(
            max_examples=NEGATIVE_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE))
        def check(case):
            case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=NEGATIVE_CHECKS)

        check()


def test_the_api_page_shows_every_endpoint_of_the_document_without_scripts(client, document):
    response = client.get("/api")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="nl">' in page and "<script" not in page
    for path in document["paths"]:
        assert f"GET {path}" in page
    assert "cursor" in page and "csv-nl" in page
    english = client.get("/api?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "API and downloads" in english
