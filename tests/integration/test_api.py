"""The API contract of DESIGN.md, on a store refreshed from the real data over HTTP."""

from __future__ import annotations

import csv
import io
import itertools

import pytest

from app.context import reader as current_reader
from layouts.map_geometry import geometry_url
from layouts.pages import corona_map
from tests.integration.conftest import STORE_BACKENDS, backend_settings, serving


@pytest.fixture(params=STORE_BACKENDS)
def client(request, dash_app):
    """The app's client on the refreshed store, kept in Parquet files, then in PostgreSQL."""
    with serving(dash_app, backend_settings(request, request.param)) as client:
        yield client


def _values(client, indicator, area, **params):
    response = client.get(
        "/api/v1/observations", query_string={"indicator": indicator, "area": area, **params}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["observations"]


def test_emmen_positive_tests_sum_to_rivm_total(client):
    rows = _values(client, "covid_cases", "GM0114")
    assert sum(r["value"] for r in rows) == 48_053
    assert rows[0]["period"] == "2020-03-02"
    assert rows[-1]["period"] == "2023-03-31"


def test_drenthe_positive_tests_are_the_sum_of_its_gemeenten(client):
    assert sum(r["value"] for r in _values(client, "covid_cases", "PV22")) == 215_431


def test_country_positive_tests_and_deaths(client):
    assert sum(r["value"] for r in _values(client, "covid_cases", "NL01")) == 8_528_264
    assert sum(r["value"] for r in _values(client, "covid_deaths", "NL01")) == 22_941


def test_emmen_deaths_stop_after_2022(client):
    rows = _values(client, "covid_deaths", "GM0114")
    assert sum(r["value"] for r in rows) == 104
    assert rows[-1]["period"] <= "2022-12-31"


def test_seven_day_average_is_the_mean_of_the_day_and_six_before(client):
    daily = {r["period"]: r["value"] for r in _values(client, "covid_cases", "GM0114")}
    averaged = {r["period"]: r["value"] for r in _values(client, "covid_cases_7d", "GM0114")}
    days = sorted(daily)
    assert days[6] == min(averaged)  # first full window
    for end in (6, 300, 700, len(days) - 1):
        window = [daily[d] for d in days[end - 6 : end + 1]]
        assert averaged[days[end]] == pytest.approx(sum(window) / 7)


def test_per_100k_divides_by_the_population_of_the_observations_year(client):
    population = {r["period"]: r["value"] for r in _values(client, "population", "GM0114")}
    assert population["2020-01-01"] == 107_048
    assert population["2022-01-01"] == 107_856
    mean = {r["period"]: r["value"] for r in _values(client, "covid_cases_7d", "GM0114")}
    rate = {r["period"]: r["value"] for r in _values(client, "covid_cases_per_100k_7d", "GM0114")}
    # 2021 has no population of its own: the nearest earlier year (2020) divides it
    for day, year in (("2021-02-10", "2020"), ("2022-02-10", "2022"), ("2023-02-10", "2022")):
        assert rate[day] == pytest.approx(mean[day] / population[f"{year}-01-01"] * 100_000)


def test_hospital_admissions_by_date_of_admission(client):
    rows = _values(client, "covid_hospital_admissions", "GM0114")
    assert rows[-1]["period"] == "2024-02-27"
    assert sum(r["value"] for r in rows) > 0


def test_from_and_to_filter_periods(client):
    rows = _values(client, "covid_cases", "GM0114", **{"from": "2022-02-01", "to": "2022-02-07"})
    assert [r["period"] for r in rows] == [f"2022-02-0{d}" for d in range(1, 8)]


def test_csv_has_the_same_columns_and_numbers(client):
    response = client.get(
        "/api/v1/observations",
        query_string={
            "indicator": "covid_cases",
            "area": "GM0114",
            "format": "csv",
            "to": "2020-03-31",
        },
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == ["area", "period", "value"]
    json_rows = _values(client, "covid_cases", "GM0114", to="2020-03-31")
    assert [float(r["value"]) for r in rows] == [r["value"] for r in json_rows]


@pytest.mark.parametrize(
    ("params", "status", "needle"),
    [
        ({"indicator": "nope", "area": "GM0114"}, 404, "unknown indicator"),
        ({"indicator": "covid_cases", "area": "GM9999"}, 404, "unknown area"),
        ({"indicator": "covid_cases", "area": "GM0114", "from": "2022-13-01"}, 400, "from"),
        ({"indicator": "covid_cases", "area": "GM0114", "to": "yesterday"}, 400, "to"),
        (
            {
                "indicator": "covid_cases",
                "area": "GM0114",
                "from": "2022-02-01",
                "to": "2022-01-01",
            },
            400,
            "after",
        ),
        ({"indicator": "covid_cases", "area": "GM0114", "format": "xml"}, 400, "format"),
        ({"area": "GM0114"}, 400, "indicator"),
        ({"indicator": "covid_cases"}, 400, "area"),
    ],
)
def test_bad_parameters_give_json_errors_not_500(client, params, status, needle):
    response = client.get("/api/v1/observations", query_string=params)
    assert response.status_code == status
    assert needle in response.get_json()["error"]


def test_indicators_lists_the_catalog_with_archived_dates(client):
    indicators = {i["id"]: i for i in client.get("/api/v1/indicators").get_json()["indicators"]}
    assert indicators["covid_cases"]["archived_since"] == "2023-03-31"
    assert indicators["covid_deaths"]["archived_since"] == "2022-12-31"
    assert indicators["population"]["archived_since"] is None
    assert indicators["covid_cases"]["sources"][0]["publisher"] == "RIVM"


def test_healthz_reports_the_store_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["version"]


def test_wijk_figures_with_confidential_values_as_null(client):
    rows = _values(client, "age_0_14_pct", "WK011453")
    assert rows and rows[0]["value"] is None  # CBS -99999999: confidential
    assert _values(client, "population", "WK011453")[0]["value"] == 35
    assert _values(client, "population", "WK011401")


@pytest.mark.parametrize(
    ("query", "lang"), [("", "nl"), ("?lang=en", "en"), ("?lang=EN-gb", "en"), ("?lang=fr", "nl")]
)
def test_the_page_shell_names_the_language_before_any_script_runs(client, query, lang):
    page = client.get(f"/corona/GM0114{query}").get_data(as_text=True)
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in page


def _exterior_rings(collection: dict):
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        yield from (polygon[0] for polygon in polygons)


def _signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def test_map_geometry_is_served_once_per_version_and_cached_for_good(client):
    version = client.get("/healthz").get_json()["version"]
    response = client.get(f"/api/v1/geometry/wk?version={version}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    wijken = response.get_json()
    assert len(wijken["features"]) == 27
    assert all(_signed_area(ring) < 0 for ring in _exterior_rings(wijken))  # d3-geo winding
    again = client.get(
        f"/api/v1/geometry/wk?version={version}",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
    assert client.get("/api/v1/geometry/gm").headers["Cache-Control"] == "max-age=300"


@pytest.mark.parametrize(
    "query", ["gm?version=../../etc", "gm?version=20000101T000000000000Z", "xx"]
)
def test_unknown_geometry_is_a_json_404(client, query):
    response = client.get(f"/api/v1/geometry/{query}")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_the_map_pages_name_their_geometry_instead_of_carrying_it(client):
    with client.application.test_request_context("/corona/kaart"):
        reader = current_reader()
        url = geometry_url(reader, "gm")
        content = corona_map.load(reader, corona_map.parse_corona_map({}), "nl")
        figure = corona_map.map_figure(reader, content)
    assert figure["data"][0]["geojson"] == url
    assert url.startswith("/api/v1/geometry/gm?version=")
    assert len(client.get(url).get_json()["features"]) == 342


def test_an_observations_answer_has_an_etag_and_a_repeat_is_a_304(client):
    url = "/api/v1/observations?indicator=covid_cases&area=GM0114&from=2022-01-01&to=2022-01-31"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get(url + "&format=csv", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]
