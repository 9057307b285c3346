"""The download formats of data/downloads.py, on small tables made here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data import downloads
from data.exports import SCHEMA, page

COLUMNS = ("indicator", "area", "period", "value")
META = {
    "version": "20260101T000000000000Z",
    "publisher": "Gemeente",
    "attribution": "RIVM; CBS, Kadaster",
    "licences": [{"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}],
    "sources": [],
    "indicators": [
        {
            "id": "x",
            "title": {"nl": "Iks", "en": "Ex"},
            "unit": {"nl": "aantal", "en": "count"},
            "definition": {"nl": "Een definitie.", "en": "A definition."},
        }
    ],
}


def table(areas, values, indicator="x", start=dt.date(2022, 1, 1)) -> pa.Table:
    return pa.table(
        {
            "indicator": [indicator] * len(areas),
            "area": areas,
            "period": [start + dt.timedelta(days=i) for i in range(len(areas))],
            "value": values,
        },
        schema=SCHEMA,
    )


def csv_rows(data: bytes, delimiter=",") -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


INJECTIONS = ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://e.x","y")']


@pytest.mark.parametrize("cell", INJECTIONS)
def test_csv_cells_that_start_a_formula_get_an_apostrophe(cell):
    rows = csv_rows(b"".join(downloads.csv_chunks([table([cell], [1.0])], COLUMNS)))
    assert rows[1][1] == "'" + cell


@pytest.mark.parametrize("cell", INJECTIONS)
def test_xlsx_text_cells_never_become_formulas(cell):
    book = openpyxl.load_workbook(
        io.BytesIO(downloads.xlsx_bytes([table([cell], [1.0])], COLUMNS, META))
    )
    value = book["gegevens"]["B2"]
    assert value.data_type == "s" and value.value == "'" + cell


def test_negative_numbers_stay_numbers_in_csv_and_xlsx():
    rows = csv_rows(b"".join(downloads.csv_chunks([table(["GM0001"], [-3.5])], COLUMNS)))
    assert rows[1][3] == "-3.5"
    book = openpyxl.load_workbook(
        io.BytesIO(downloads.xlsx_bytes([table(["GM0001"], [-3.5])], COLUMNS, META))
    )
    assert book["gegevens"]["D2"].value == -3.5


def test_dutch_csv_has_semicolons_and_decimal_commas_and_quotes_what_needs_it():
    rows = downloads.csv_chunks(
        [table(["GM0001", "a;b", 'say "x"'], [1234.5, None, -0.0])], COLUMNS, dutch=True
    )
    data = b"".join(rows)
    assert data.decode().splitlines()[1] == "x;GM0001;2022-01-01;1234,5"
    parsed = csv_rows(data, ";")
    assert parsed[0] == list(COLUMNS)
    assert parsed[2][1:] == ["a;b", "2022-01-02", ""]
    assert parsed[3][1:] == ['say "x"', "2022-01-03", "0"]


def test_csv_numbers_read_back_as_the_same_floats():
    values = [0.1, 1 / 3, 95_400_000_000_000.0, 1e-05, 12.0]
    rows = csv_rows(b"".join(downloads.csv_chunks([table(["A"] * 5, values)], COLUMNS)))
    assert [float(r[3]) for r in rows[1:]] == values


def test_ndjson_lines_are_json_objects_with_escaped_text_and_null_for_missing():
    data = b"".join(downloads.ndjson_chunks([table(['a"\\\n', "B"], [2.5, None])], COLUMNS))
    lines = [json.loads(line) for line in data.decode().splitlines()]
    assert lines[0] == {"indicator": "x", "area": 'a"\\\n', "period": "2022-01-01", "value": 2.5}
    assert lines[1]["value"] is None


def test_parquet_streams_a_row_group_per_table_and_carries_the_metadata():
    chunks = list(downloads.parquet_chunks([table(["A"], [1.0]), table(["B"], [2.0])], META))
    assert len(chunks) >= 3  # bytes are handed out as each table is written
    file = pq.ParquetFile(io.BytesIO(b"".join(chunks)))
    assert file.metadata.num_row_groups == 2
    assert json.loads(file.schema_arrow.metadata[b"mmmeter"])["licences"] == META["licences"]
    assert file.read()["value"].to_pylist() == [1.0, 2.0]


def test_xlsx_has_a_sheet_with_licence_source_definitions_and_version():
    book = openpyxl.load_workbook(
        io.BytesIO(downloads.xlsx_bytes([table(["A"], [1.0])], COLUMNS, META))
    )
    assert book.sheetnames == ["gegevens", "toelichting"]
    notes = {row[0]: row[1] for row in book["toelichting"].iter_rows(values_only=True)}
    assert notes["Versie van de gegevens"] == META["version"]
    assert notes["Licentie"].startswith("CC BY 4.0")
    assert notes["Naamsvermelding"] == "RIVM; CBS, Kadaster"
    assert "Een definitie." in notes["x"]


def test_xlsx_refuses_more_rows_than_it_holds(monkeypatch):
    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 2)
    with pytest.raises(downloads.TooManyRows):
        downloads.xlsx_bytes([table(["A", "B", "C"], [1.0, 2.0, 3.0])], COLUMNS, META)


def test_geojson_outer_rings_are_counterclockwise_and_holes_clockwise():
    clockwise = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
    hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]  # counterclockwise
    wound = downloads.rfc7946({"type": "Polygon", "coordinates": [clockwise, hole]})
    outer, inner = wound["coordinates"]
    assert downloads._signed_area(outer) > 0 and downloads._signed_area(inner) < 0


def test_geojson_has_one_feature_per_row_with_its_area_polygon_and_the_licence():
    rows = downloads.rows([table(["A", "B"], [1.0, None])], COLUMNS)
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    doc = downloads.geojson_document(rows, {"A": square}, {"A": "Aa"}, META, None)
    assert [f["properties"]["area"] for f in doc["features"]] == ["A", "B"]
    assert doc["features"][0]["properties"]["name"] == "Aa"
    assert doc["features"][1]["geometry"] is None  # no polygon known: still the row
    assert doc["attribution"] == META["attribution"] and doc["version"] == META["version"]


def test_a_page_skips_the_offset_and_stops_at_the_limit_across_tables():
    tables = [table(["A", "B", "C"], [1.0, 2.0, 3.0]), table(["D", "E"], [4.0, 5.0])]
    got = [v for t in page(iter(tables), 2, 2) for v in t["value"].to_pylist()]
    assert got == [3.0, 4.0]
    rest = [v for t in page(iter(tables), 4, None) for v in t["value"].to_pylist()]
    assert rest == [5.0]
