"""/api/v1/observations beyond one series (several indicators and areas, levels, datasets,
every format, paging, conditional requests) and the zip packages, on the refreshed store."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile

import openpyxl
import pyarrow.parquet as pq
import pytest

URL = "/api/v1/observations"
WEEK = {"from": "2022-01-10", "to": "2022-01-16"}


def _get(client, **params):
    return client.get(URL, query_string=params)


def _json_rows(client, **params) -> list[dict]:
    response = _get(client, **params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["observations"]


def _key(row: dict) -> tuple:
    return (row.get("indicator"), row["area"], str(row["period"])[:10])


def _as_map(rows) -> dict:
    return {_key(r): (None if r["value"] in (None, "") else float(r["value"])) for r in rows}


SELECTION = {"indicator": "covid_cases_per_100k_7d", "area": "GM0114,GM0106,PV22", **WEEK}


@pytest.fixture(scope="module")
def expected(dash_app) -> dict:
    rows = _json_rows(dash_app.server.test_client(), **SELECTION)
    assert len(rows) == 3 * 7 and all(r["value"] is not None for r in rows)
    return _as_map(rows)


def test_csv_download_has_the_numbers_of_the_json_answer(client, expected):
    response = _get(client, **SELECTION, format="csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    assert _as_map(csv.DictReader(io.StringIO(text[1:]))) == expected


def test_dutch_csv_download_has_the_numbers_with_decimal_commas(client, expected):
    text = _get(client, **SELECTION, format="csv-nl").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert any("," in r["value"] for r in rows)
    assert _as_map({**r, "value": r["value"].replace(",", ".")} for r in rows) == expected


def test_xlsx_download_has_the_numbers_and_a_sheet_with_licence_and_version(client, expected):
    response = _get(client, **SELECTION, format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    header, *rows = list(book["gegevens"].iter_rows(values_only=True))
    found = [dict(zip(header, r, strict=True)) for r in rows]
    # a worksheet holds 15-16 significant digits (openpyxl writes %.16g), as Excel does
    got = _as_map({**r, "period": r["period"].date().isoformat()} for r in found)
    assert got == pytest.approx(expected, rel=1e-14)
    notes = dict(book["toelichting"].iter_rows(values_only=True))
    assert notes["Versie van de gegevens"] == response.headers["X-MMmeter-Version"]
    assert "CC BY 4.0" in notes["Licentie"] or "Public Domain" in notes["Licentie"]


def test_ndjson_download_has_the_numbers(client, expected):
    response = _get(client, **SELECTION, format="ndjson")
    assert response.mimetype == "application/x-ndjson"
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert _as_map(rows) == expected


def test_parquet_download_has_the_numbers_and_its_licence_in_the_file(client, expected):
    response = _get(client, **SELECTION, format="parquet")
    table = pq.read_table(io.BytesIO(response.data))
    rows = [{**r, "indicator": None} for r in table.to_pylist()]
    assert _as_map(rows) == expected
    meta = json.loads(table.schema.metadata[b"mmmeter"])
    assert meta["version"] == response.headers["X-MMmeter-Version"]
    assert {lic["name"] for lic in meta["licences"]} >= {"CC BY 4.0"}


def test_geojson_download_has_the_numbers_with_the_polygons_and_kadaster(client, expected):
    response = _get(client, **SELECTION, format="geojson")
    assert response.mimetype == "application/geo+json"
    doc = response.get_json()
    assert _as_map(f["properties"] for f in doc["features"]) == expected
    emmen = next(f for f in doc["features"] if f["properties"]["area"] == "GM0114")
    assert emmen["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert emmen["properties"]["name"] == "Emmen"
    assert "CBS, Kadaster" in doc["attribution"]
    assert "Kadaster" in response.headers["X-Attribution"]


def test_every_download_names_licence_attribution_and_version_in_its_headers(client):
    version = client.get("/healthz").get_json()["version"]
    for output in ("json", "csv", "csv-nl", "xlsx", "ndjson", "parquet", "geojson"):
        response = _get(client, **SELECTION, format=output)
        assert response.status_code == 200, output
        assert response.headers["X-MMmeter-Version"] == version
        assert response.headers["X-Licence"] and response.headers["X-Attribution"]
        assert 'rel="license"' in response.headers["Link"]
        if output != "json":
            assert "attachment" in response.headers["Content-Disposition"]


def test_several_indicators_give_each_row_its_indicator(client):
    rows = _json_rows(client, indicator="covid_cases,covid_deaths", area="GM0114", **WEEK)
    assert {r["indicator"] for r in rows} == {"covid_cases", "covid_deaths"}
    single = _json_rows(client, indicator="covid_deaths", area="GM0114", **WEEK)
    assert [r["value"] for r in rows if r["indicator"] == "covid_deaths"] == [
        r["value"] for r in single
    ]


def test_repeated_area_parameters_are_the_same_as_a_comma_list(client):
    repeated = client.get(f"{URL}?indicator=covid_cases&area=GM0114&area=GM0106&to=2020-03-05")
    assert repeated.get_json()["observations"] == _json_rows(
        client, indicator="covid_cases", area="GM0114,GM0106", to="2020-03-05"
    )


def test_a_whole_level_for_one_week_has_every_gemeente(client):
    response = _get(client, indicator="covid_cases", level="gm", **WEEK)
    rows = response.get_json()["observations"]
    assert len({r["area"] for r in rows}) == 342 and len(rows) == 342 * 7
    assert response.get_json()["next"] is None and "next" not in response.headers["Link"]


def test_a_dataset_gives_every_indicator_it_is_the_source_of(client):
    rows = _json_rows(client, dataset="rivm_cases", area="GM0114", **WEEK)
    indicators = {r["indicator"] for r in rows}
    assert {"covid_cases", "covid_cases_7d", "covid_cases_per_100k"} <= indicators
    assert "population" not in indicators


def test_pages_follow_next_links_to_every_row_exactly_once(client):
    params = {"indicator": "covid_cases", "level": "gm", **WEEK}
    whole = _json_rows(client, **params)
    response = _get(client, **params, limit=1000)
    pages, seen = 0, []
    while True:
        body = response.get_json()
        seen += body["observations"]
        pages += 1
        if body["next"] is None:
            assert 'rel="next"' not in response.headers["Link"]
            break
        assert f'<{body["next"]}>; rel="next"' in response.headers["Link"]
        response = client.get(body["next"])
    assert pages == 3 and seen == whole


def test_csv_pages_link_to_the_next_page_in_the_header(client):
    response = _get(client, indicator="covid_cases", level="gm", **WEEK, format="csv", limit=2000)
    assert response.get_data(as_text=True).count("\n") == 2001
    assert 'rel="next"' in response.headers["Link"]


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"indicator": "covid_cases", "area": "GM0114", "limit": "0"}, 400, "limit"),
        ({"indicator": "covid_cases", "area": "GM0114", "limit": "50001"}, 400, "limit"),
        ({"indicator": "covid_cases", "area": "GM0114", "limit": "many"}, 400, "limit"),
        ({"indicator": "covid_cases", "area": "GM0114", "cursor": "bm9wZQ"}, 400, "cursor"),
        ({"indicator": "covid_cases", "level": "xx"}, 400, "level"),
        ({"indicator": "covid_cases", "area": "GM0114", "level": "gm"}, 400, "area"),
        ({"indicator": "covid_cases", "dataset": "rivm_cases", "area": "GM0114"}, 400, None),
        ({"indicator": "covid_cases,nope", "area": "GM0114"}, 404, "indicator"),
        ({"indicator": "covid_cases", "area": "GM0114,GM9999"}, 404, "area"),
        ({"dataset": "nope"}, 404, "dataset"),
        ({"indicator": "covid_cases;drop", "area": "GM0114"}, 400, "indicator"),
        ({"indicator": "covid_cases", "area": "GM0114," * 1001}, 400, "area"),
    ],
)
def test_bad_parameters_are_json_errors_that_name_the_parameter(client, params, status, parameter):
    response = _get(client, **params)
    assert response.status_code == status
    body = response.get_json()
    assert body["status"] == status and body["error"]
    if parameter:
        assert body["parameter"] == parameter


def test_a_cursor_of_another_query_is_refused(client):
    first = _get(client, indicator="covid_cases", level="gm", **WEEK, limit=10).get_json()
    cursor = first["next"].rsplit("cursor=", 1)[1]
    other = _get(client, indicator="covid_deaths", level="gm", **WEEK, limit=10, cursor=cursor)
    assert other.status_code == 400 and other.get_json()["parameter"] == "cursor"


def test_last_modified_and_etag_give_304s(client):
    first = _get(client, **SELECTION, format="csv")
    assert first.headers["Last-Modified"]
    by_date = client.get(
        URL,
        query_string={**SELECTION, "format": "csv"},
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert by_date.status_code == 304
    by_tag = client.get(
        URL,
        query_string={**SELECTION, "format": "csv"},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert by_tag.status_code == 304 and by_tag.data == b""


def test_a_streamed_csv_is_gzipped_and_its_gzip_etag_still_gives_a_304(client):
    params = {"indicator": "covid_cases", "level": "gm", "format": "csv", "to": "2020-06-30"}
    response = client.get(URL, query_string=params, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    plain = gzip.decompress(response.data).decode()
    assert plain == _get(client, **params).get_data(as_text=True)
    again = client.get(
        URL,
        query_string=params,
        headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_an_xlsx_of_more_rows_than_a_download_holds_links_to_the_next_rows(client, monkeypatch):
    from app import observations_api

    monkeypatch.setitem(observations_api.PAGES, "xlsx", 100)
    response = _get(client, indicator="covid_cases", level="gm", **WEEK, format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book["gegevens"].max_row == 101
    notes = dict(book["toelichting"].iter_rows(values_only=True))
    assert f'<{notes["Volgende rijen"]}>; rel="next"' in response.headers["Link"]


def test_areas_of_an_unknown_level_is_a_400(client):
    response = client.get("/api/v1/areas?level=xx")
    assert response.status_code == 400 and response.get_json()["parameter"] == "level"
    provinces = client.get("/api/v1/areas?level=pv").get_json()["areas"]
    assert len(provinces) == 12 and {a["level"] for a in provinces} == {"pv"}


# --- zip packages -------------------------------------------------------------------------


def _zip(client, path) -> tuple[zipfile.ZipFile, object]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data)), response


def test_a_dataset_zip_holds_its_csv_metadata_and_a_dutch_readme(client):
    package, response = _zip(client, "/data/rivm_vaccination.zip")
    assert sorted(package.namelist()) == ["README.md", "metadata.json", "rivm_vaccination.csv"]
    readme = package.read("README.md").decode()
    version = response.headers["X-MMmeter-Version"]
    for words in ("Licentie", "Public Domain Mark", "Naamsvermelding", "RIVM", version):
        assert words in readme
    meta = json.loads(package.read("metadata.json"))
    assert meta["id"] == "rivm_vaccination" and meta["release"]["version"] == version
    indicators = [i["id"] for i in meta["download"]["indicators"]]
    for indicator in indicators:  # each with its definition
        definition = next(i for i in meta["download"]["indicators"] if i["id"] == indicator)
        assert f"`{indicator}`" in readme and definition["definition"]["nl"] in readme
    with package.open("rivm_vaccination.csv") as handle:
        rows = list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8-sig")))
    assert {r["indicator"] for r in rows} == set(indicators)
    emmen = [r for r in rows if r["indicator"] == indicators[0] and r["area"] == "GM0114"]
    assert _as_map({**r, "indicator": None} for r in emmen) == _as_map(
        _json_rows(client, indicator=indicators[0], area="GM0114")
    )


def test_the_catalogue_zip_has_a_folder_per_public_dataset(client):
    package, _ = _zip(client, "/data/catalogus.zip")
    names = set(package.namelist())
    index = json.loads(package.read("catalogus.json"))
    ids = [d["id"] for d in index["datasets"]]
    assert "rivm_cases" in ids
    for dataset_id in ids:
        assert {f"{dataset_id}/README.md", f"{dataset_id}/metadata.json"} <= names
    table = pq.read_table(io.BytesIO(package.read("rivm_cases/rivm_cases.parquet")))
    assert table.num_rows > 1_000_000


def test_a_geometry_dataset_zip_holds_its_areas_as_geojson(client):
    package, _ = _zip(client, "/data/geo_wijken.zip")
    wijken = json.loads(package.read("geo_wijken.geojson"))
    assert len(wijken["features"]) == 27 and wijken["attribution"] == "CBS, Kadaster"


def test_zips_answer_304_and_unknown_datasets_404(client):
    response = client.get("/data/geo_wijken.zip")
    again = client.get("/data/geo_wijken.zip", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    missing = client.get("/data/nope.zip")
    assert missing.status_code == 404 and missing.get_json()["status"] == 404


# --- the download links of the data pages --------------------------------------------------


def _download_links(component) -> list[str]:
    from tests.integration.pages import kind, prop, walk

    return [
        prop(c, "href")
        for c in walk(component)
        if kind(c) == "A"
        and prop(c, "download") is not None
        and str(prop(c, "href")).startswith(("/api/v1/observations", "/data/"))
    ]


def test_every_download_link_of_an_indicator_and_a_dataset_page_answers(client, emmen_reader):
    from layouts.pages import data_dataset, data_indicator

    pages = [
        data_indicator.layout(emmen_reader, "population", lang="nl"),
        data_dataset.layout(emmen_reader, "cbs_kwb_2024", lang="nl"),
    ]
    hrefs = sorted({h for page in pages for h in _download_links(page)})
    assert any("format=geojson" in h for h in hrefs) and any(h.endswith(".zip") for h in hrefs)
    for href in hrefs:
        response = client.get(href)
        assert response.status_code == 200, (href, response.get_json(silent=True))
        assert response.headers["X-MMmeter-Version"], href
