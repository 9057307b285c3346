"""Strict CSV reading, shared by every CSV parser: each bad file is rejected whole, with a reason.

The parametrized tests run the same damage (truncation, wrong delimiter, encoding, ...) through
every CSV-based format, starting from a small good fixture of that format.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from data.catalog import load_catalog
from data.errors import SourceError
from data.formats import Normalized, RawFile, format_function
from data.parsers import csvtools
from data.parsers.csvtools import (
    check_known_areas,
    decompress,
    read_csv_strict,
    to_date,
    to_number,
)
from tests.conftest import FIXTURES

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog.yaml")


@dataclass
class Spec:
    """One CSV format and the columns its damage tests poke at."""

    dataset: str
    fixture: str
    number_column: str
    code_column: str
    date_column: str | None
    bad_code: str = "GM114"
    bad_date: str = "2021-02-30"
    sep: str = ";"
    not_a_number: str = "not a number"
    role: str = "main"
    others: dict[str, str] = field(default_factory=dict)

    def run(self, content: bytes, name: str = "upstream.csv") -> Normalized:
        files = {self.role: [RawFile(self.role, name, content)]}
        for role, fixture in self.others.items():
            files[role] = [RawFile(role, fixture, (FIXTURES / fixture).read_bytes())]
        dataset = CATALOG.datasets[self.dataset]
        return format_function(dataset.format)(files, dataset)

    def rows(self) -> list[list[str]]:
        text = (FIXTURES / self.fixture).read_text(encoding="utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=self.sep))

    def write(self, rows: list[list[str]], sep: str | None = None) -> bytes:
        return "".join((sep or self.sep).join(r) + "\n" for r in rows).encode("utf-8")


SEWAGE_LOOKUPS = {"plants": "rivm/rwzi_per_gmcode.csv", "plant_names": "rivm/rwzi_awzi.csv"}
SPECS = {
    "rivm_cases": Spec(
        "rivm_cases",
        "rivm/cases_live_2022.csv",
        "Total_reported",
        "Municipality_code",
        "Date_of_publication",
    ),
    "rivm_hospital": Spec(
        "rivm_hospital",
        "rivm/hospital.csv",
        "Hospital_admission",
        "Municipality_code",
        "Date_of_statistics",
    ),
    "rivm_sewage": Spec(
        "rivm_sewage",
        "rivm/sewage_v2.csv",
        "RNA_flow_per_100000",
        "RWZI_AWZI_code",
        "Date_measurement",
        bad_code="30X2",
        others=SEWAGE_LOOKUPS,
    ),
    "rivm_sewage_plants": Spec(
        "rivm_sewage",
        "rivm/rwzi_per_gmcode.csv",
        "RWZI_CODE",
        "GM_CODE",
        None,
        sep=",",
        not_a_number="not a treatment plant code",
        role="plants",
        others={"main": "rivm/sewage_v2.csv", "plant_names": "rivm/rwzi_awzi.csv"},
    ),
    "rivm_vaccination": Spec(
        "rivm_vaccination",
        "rivm/vaccination.csv",
        "Vaccination_coverage_partly",
        "Region_code",
        "Date_of_statistics",
    ),
    "cbs_regional_key_figures": Spec(
        "cbs_regional_key_figures",
        "cbs/70072NED_typed.csv",
        "TotaleBevolking_1",
        "RegioS",
        "Perioden",
        bad_date="2020XX00",
    ),
    "cbs_kwb_shapefile": Spec(
        "cbs_wijk_2021",
        "cbs/kwb_wijk_dbf.csv",
        "AANT_INW",
        "WK_CODE",
        "JAAR",
        bad_code="WK0114O1",
        bad_date="20x1",
    ),
    "cbs_kwb_statline": Spec(
        "cbs_kwb_2024",
        "cbs/kwb_statline_typed.csv",
        "AantalInwoners_5",
        "WijkenEnBuurten",
        None,
        bad_code="WK01141",
    ),
}
WITH_DATES = [k for k, s in SPECS.items() if s.date_column]


def _column(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def _reject(spec: Spec, content: bytes, *needles: str) -> SourceError:
    with pytest.raises(SourceError) as caught:
        spec.run(content, name="bad.csv")
    error = caught.value
    assert error.source == "bad.csv"
    for needle in needles:
        assert needle in error.reason, error.reason
    return error


@pytest.mark.parametrize("key", SPECS)
def test_good_fixture_parses(key):
    spec = SPECS[key]
    result = spec.run(spec.write(spec.rows()))
    assert len(result.observations) > 0
    assert list(result.observations.columns) == ["indicator", "area", "period", "value"]


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_truncated_last_row(key):
    spec = SPECS[key]
    content = spec.write(spec.rows()).rstrip(b"\n")
    last_line_start = content.rfind(b"\n") + 1
    cut = content.index(spec.sep.encode(), last_line_start)  # mid-row: fields are missing
    lines = content.count(b"\n") + 1
    _reject(spec, content[:cut], "truncated", f"line ({lines})")


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_truncated_gzip_stream(key):
    spec = SPECS[key]
    packed = gzip.compress(spec.write(spec.rows()))
    _reject(spec, packed[: len(packed) - 12], "gzip", "truncated")


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_reads_gzip_transparently(key):
    spec = SPECS[key]
    plain = spec.run(spec.write(spec.rows()))
    packed = spec.run(gzip.compress(spec.write(spec.rows())))
    pd.testing.assert_frame_equal(plain.observations, packed.observations)


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_names_a_missing_column(key):
    spec = SPECS[key]
    rows = spec.rows()
    index = _column(rows, spec.code_column)
    rows = [r[:index] + r[index + 1 :] for r in rows]
    error = _reject(spec, spec.write(rows), "missing column", spec.code_column)
    assert "unexpected" not in error.reason


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_names_missing_and_unexpected_column_when_renamed(key):
    spec = SPECS[key]
    rows = spec.rows()
    rows[0][_column(rows, spec.code_column)] = "Gemeentecode"
    _reject(spec, spec.write(rows), f"missing column {spec.code_column}", "'Gemeentecode'")


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_wrong_delimiter(key):
    spec = SPECS[key]
    wrong = "," if spec.sep == ";" else ";"
    _reject(spec, spec.write(spec.rows(), sep=wrong), "delimiter", repr(spec.sep))


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_latin1_bytes(key):
    spec = SPECS[key]
    rows = spec.rows()
    name = _column(rows, spec.code_column) - 1 if spec.code_column != rows[0][0] else 1
    rows[2][name] = rows[2][name] + "é"  # e.g. a name saved by Excel as Windows-1252
    broken = spec.write(rows).decode("utf-8").encode("cp1252")
    _reject(spec, broken, "not valid UTF-8", "line 3", "Windows-1252")


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_names_line_column_and_value_of_a_non_number(key):
    spec = SPECS[key]
    rows = spec.rows()
    rows[2][_column(rows, spec.number_column)] = "12a"
    _reject(spec, spec.write(rows), spec.number_column, "line 3", "'12a'", spec.not_a_number)


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_a_malformed_area_code_naming_the_line(key):
    spec = SPECS[key]
    rows = spec.rows()
    rows[3][_column(rows, spec.code_column)] = spec.bad_code
    _reject(spec, spec.write(rows), spec.code_column, "line 4", repr(spec.bad_code))


@pytest.mark.parametrize("key", WITH_DATES)
def test_csv_parser_rejects_a_bad_date_naming_the_line(key):
    spec = SPECS[key]
    rows = spec.rows()
    rows[2][_column(rows, spec.date_column)] = spec.bad_date
    _reject(spec, spec.write(rows), spec.date_column, "line 3", repr(spec.bad_date))


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_an_empty_file(key):
    _reject(SPECS[key], b"", "empty")


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_a_header_without_rows(key):
    spec = SPECS[key]
    _reject(spec, spec.write(spec.rows()[:1]), "no data rows")


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_an_html_error_page(key):
    page = b"\n<!DOCTYPE html>\n<html><head><title>503</title></head><body>Busy</body></html>\n"
    _reject(SPECS[key], page, "got an HTML page, not CSV")


@pytest.mark.parametrize("key", SPECS)
def test_csv_parser_rejects_a_line_with_extra_fields(key):
    spec = SPECS[key]
    rows = spec.rows()
    rows[2].append("extra")
    _reject(spec, spec.write(rows), "line 3 has", "fields")


# ------------------------------------------------------------------------------------------
# the helpers themselves


def test_read_csv_strict_indexes_rows_by_file_line():
    df = read_csv_strict(b"a;b\n1;2\n3;4\n", "x.csv", ["a", "b"])
    assert df.index.name == "line"
    assert list(df.index) == [2, 3]
    assert df.loc[3, "b"] == "4"


def test_read_csv_strict_keeps_empty_cells_as_empty_strings():
    df = read_csv_strict(b"a;b\n1;\n", "x.csv", ["a", "b"])
    assert df.loc[2, "b"] == ""


def test_read_csv_strict_strips_the_utf8_bom():
    df = read_csv_strict(b"\xef\xbb\xbfa;b\n1;2\n", "x.csv", ["a", "b"])
    assert list(df.columns) == ["a", "b"]


def test_read_csv_strict_accepts_crlf_line_ends():
    df = read_csv_strict(b"a;b\r\n1;2\r\n", "x.csv", ["a", "b"])
    assert df.loc[2, "b"] == "2"


def test_read_csv_strict_rejects_a_blank_line_in_the_middle():
    with pytest.raises(SourceError, match="line 3 is empty"):
        read_csv_strict(b"a;b\n1;2\n\n3;4\n", "x.csv", ["a", "b"])


def test_read_csv_strict_rejects_duplicate_columns():
    with pytest.raises(SourceError, match="duplicate column"):
        read_csv_strict(b"a;a\n1;2\n", "x.csv", ["a"])


def test_read_csv_strict_allows_extra_columns_when_nothing_is_missing():
    df = read_csv_strict(b"a;b;new\n1;2;3\n", "x.csv", ["a", "b"])
    assert "new" in df.columns


def test_read_csv_strict_rejects_a_zip_archive():
    with pytest.raises(SourceError, match="ZIP archive"):
        read_csv_strict(b"PK\x03\x04rest", "x.csv", ["a"])


def test_decompress_refuses_more_than_the_size_cap():
    packed = gzip.compress(b"0" * 10_000)
    assert decompress(packed, "x.gz", limit=10_000) == b"0" * 10_000
    with pytest.raises(SourceError, match="larger than 9,999 bytes"):
        decompress(packed, "x.gz", limit=9_999)


def test_decompressed_size_cap_is_one_gibibyte():
    assert csvtools.MAX_DECOMPRESSED_BYTES == 1 << 30


def test_decompress_rejects_a_corrupt_gzip_stream():
    packed = bytearray(gzip.compress(b"a;b\n1;2\n" * 100))
    packed[20:30] = b"\xff" * 10
    with pytest.raises(SourceError, match="gzip"):
        decompress(bytes(packed), "x.gz")


def test_to_number_turns_missing_markers_into_nan_and_names_bad_values():
    series = pd.Series(["1", "", ".", "2.5"], index=pd.Index([2, 3, 4, 5], name="line"))
    values = to_number(series, "v", "x.csv", missing=("", "."))
    assert values.isna().tolist() == [False, True, True, False]
    with pytest.raises(SourceError, match=r"column v, line 4: '\.' is not a number"):
        to_number(series, "v", "x.csv")


def test_to_number_rejects_a_decimal_comma_and_infinity():
    index = pd.Index([2], name="line")
    with pytest.raises(SourceError, match="'1,5' is not a number"):
        to_number(pd.Series(["1,5"], index=index), "v", "x.csv")
    with pytest.raises(SourceError, match="not a finite number"):
        to_number(pd.Series(["inf"], index=index), "v", "x.csv")


def test_to_date_rejects_impossible_dates_and_other_formats():
    index = pd.Index([2, 3], name="line")
    assert to_date(pd.Series(["2021-03-01", "2024-02-29"], index=index), "d", "x")[3].day == 29
    with pytest.raises(SourceError, match="line 3: '2021-02-29'"):
        to_date(pd.Series(["2021-03-01", "2021-02-29"], index=index), "d", "x")
    with pytest.raises(SourceError, match="line 2: '01-03-2021'"):
        to_date(pd.Series(["01-03-2021", "2021-03-01"], index=index), "d", "x")
    with pytest.raises(SourceError, match="line 3: ''"):
        to_date(pd.Series(["2021-03-01", ""], index=index), "d", "x")


def test_check_known_areas_rejects_a_well_formed_but_unknown_municipality_naming_the_line():
    df = read_csv_strict(b"code;v\nGM0114;1\nGM9999;2\n", "x.csv", ["code", "v"])
    check_known_areas(df, None, "x.csv", column="code")  # no registry: nothing to check
    check_known_areas(df, {"GM0114", "GM9999"}, "x.csv", column="code")
    with pytest.raises(SourceError, match=r"GM9999 \(first on line 3\)"):
        check_known_areas(df, {"GM0114"}, "x.csv", column="code")


def test_check_known_areas_on_observations_ignores_other_levels():
    dataset = CATALOG.datasets["rivm_cases"]
    content = (FIXTURES / "rivm/cases_live_2022.csv").read_bytes().replace(b"GM1900", b"GM9999")
    result = format_function("rivm_cases")({"main": [RawFile("main", "c.csv", content)]}, dataset)
    check_known_areas(result.observations, {"GM0114", "GM9999"}, "c.csv")
    with pytest.raises(SourceError, match=r"unknown gm code.*GM9999"):
        check_known_areas(result.observations, {"GM0114"}, "c.csv")
    plants = pd.DataFrame({"area": ["3022"]})
    check_known_areas(plants, {"GM0114"}, "s.csv")
