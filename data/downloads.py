"""The download formats, as pure functions of observation tables (data/exports.py) and their
metadata: CSV (UTF-8 with BOM; `csv-nl` with `;` and decimal commas for Dutch Excel), NDJSON,
JSON, XLSX, Parquet and GeoJSON.

The streamed formats (CSV, NDJSON, Parquet) turn one table at a time into bytes, so an export
of any size holds one table in memory. Text cells that a spreadsheet would read as a formula
(starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading apostrophe; numbers
are written as numbers and never touched. Each format that has room for it carries the
licence, attribution and store version; the HTTP layer adds them as headers to all.
"""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-nl": "text/csv; charset=utf-8",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
EXTENSIONS = {"csv": "csv", "csv-nl": "csv", "json": "json", "ndjson": "ndjson"} | {
    "xlsx": "xlsx",
    "parquet": "parquet",
    "geojson": "geojson",
}
STREAMED = frozenset({"csv", "csv-nl", "ndjson", "parquet"})


class TooManyRows(ValueError):
    """The rows do not fit in the format (a worksheet's limit)."""


def neutralize(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _neutralized(strings: pa.Array) -> pa.Array:
    starts = pc.match_substring_regex(strings, _FORMULA_PATTERN)
    return pc.if_else(starts, pc.binary_join_element_wise("'", strings, ""), strings)


def _each_distinct(values: pa.Array, text) -> pa.Array:
    """`text(values)`, computed once per distinct value (codes and periods repeat a lot)."""
    encoded = values if pa.types.is_dictionary(values.type) else pc.dictionary_encode(values)
    return pc.take(text(encoded.dictionary), encoded.indices)


def _number_text(values: pa.Array, decimal_comma: bool, missing: str = "") -> pa.Array:
    # + 0.0 turns -0.0 into 0; the shortest text that reads back as the same number
    text = pc.cast(pc.add(values, 0.0), pa.string())
    if decimal_comma:
        text = pc.replace_substring(text, ".", ",")
    return pc.fill_null(text, missing)


def _csv_text(values: pa.Array, separator: str) -> pa.Array:
    def text(distinct: pa.Array) -> pa.Array:
        strings = _neutralized(pc.cast(distinct, pa.string()))
        needs_quotes = pc.match_substring_regex(strings, f"[\"{separator}\\n\\r']")
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(strings, '"', '""'), '"', "")
        return pc.if_else(needs_quotes, quoted, strings)

    return pc.fill_null(_each_distinct(values, text), "")


def _lines(fields: list[pa.Array], separator: str) -> bytes:
    """The rows of `fields` joined by `separator`, each ending in a newline: the data buffer
    of the joined strings, taken as it is."""
    *first, last = fields
    ended = pc.binary_join_element_wise(last, "\n", "")
    joined = pc.cast(pc.binary_join_element_wise(*first, ended, separator), pa.string())
    _, offsets, data = joined.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)
    start, end = bounds[joined.offset], bounds[joined.offset + len(joined)]
    return data[start:end].to_pybytes()


def _field(table: pa.Table, column: str, text) -> pa.Array:
    values = table[column].combine_chunks()
    return text(values, pa.types.is_floating(values.type))


def csv_chunks(
    tables: Iterable[pa.Table], columns: tuple[str, ...], *, dutch: bool = False
) -> Iterator[bytes]:
    """CSV in UTF-8 with a BOM: a header, then one chunk per table. `dutch`: `;` between
    fields and a decimal comma, as Dutch Excel reads it."""
    separator = ";" if dutch else ","

    def text(values: pa.Array, number: bool) -> pa.Array:
        return _number_text(values, dutch) if number else _csv_text(values, separator)

    yield (BOM + separator.join(columns) + "\n").encode()
    for table in tables:
        if table.num_rows:
            yield _lines([_field(table, c, text) for c in columns], separator)


def _json_strings(values: pa.Array) -> pa.Array:
    def text(distinct: pa.Array) -> pa.Array:
        strings = pc.cast(distinct, pa.string())
        return pa.array([None if s is None else json.dumps(s) for s in strings.to_pylist()])

    return pc.fill_null(_each_distinct(values, text), "null")


def ndjson_chunks(tables: Iterable[pa.Table], columns: tuple[str, ...]) -> Iterator[bytes]:
    """One JSON object per line, a chunk per table."""

    def text(values: pa.Array, number: bool) -> pa.Array:
        return _number_text(values, False, "null") if number else _json_strings(values)

    for table in tables:
        if not table.num_rows:
            continue
        pieces: list = []
        for index, column in enumerate(columns):
            pieces += [("{" if index == 0 else ",") + json.dumps(column) + ":"]
            pieces.append(_field(table, column, text))
        pieces.append("}")
        yield _lines([pc.binary_join_element_wise(*pieces, "")], "")


def rows(tables: Iterable[pa.Table], columns: tuple[str, ...]) -> list[dict]:
    """The rows as JSON-ready dicts (periods as YYYY-MM-DD, missing values as None)."""
    out: list[dict] = []
    for table in tables:
        values = []
        for column in columns:
            array = table[column]
            if pa.types.is_date(array.type):
                array = pc.cast(array, pa.string())
            values.append(array.to_pylist())
        out.extend(dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True))
    return out


def json_document(meta: dict, observations: list[dict], next_url: str | None, **head) -> dict:
    """The JSON answer: `head` (indicator, unit, ...) first, then the version, licences,
    attribution, the observations and the address of the next page (None on the last)."""
    return {
        **head,
        "version": meta["version"],
        "licences": meta["licences"],
        "attribution": meta["attribution"],
        "observations": observations,
        "next": next_url,
    }


def geojson_document(
    observations: list[dict],
    geometries: dict[str, dict],
    names: dict[str, str],
    meta: dict,
    next_url: str | None,
) -> dict:
    """A FeatureCollection, one feature per observation with its area's polygon (RFC 7946
    winding), licence, attribution and version as members of the collection."""
    features = []
    for row in observations:
        geometry = geometries.get(row["area"])
        features.append(
            {
                "type": "Feature",
                "geometry": rfc7946(geometry) if geometry else None,
                "properties": {**row, "name": names.get(row["area"])},
            }
        )
    return {
        "type": "FeatureCollection",
        "version": meta["version"],
        "licences": meta["licences"],
        "attribution": meta["attribution"],
        "next": next_url,
        "features": features,
    }


def _signed_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring))


def _wound(ring: list, counterclockwise: bool) -> list:
    return ring if (_signed_area(ring) > 0) == counterclockwise else ring[::-1]


def rfc7946(geometry: dict) -> dict:
    """The geometry with exterior rings counterclockwise and holes clockwise (RFC 7946 3.1.6)."""

    def polygon(rings: list) -> list:
        return [_wound(ring, index == 0) for index, ring in enumerate(rings)]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        parts = [polygon(p) for p in geometry["coordinates"]]
        return {"type": "MultiPolygon", "coordinates": parts}
    return geometry


class ChunkSink(io.RawIOBase):
    """A write-only file that hands out what was written since the last `take`."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self._size += len(data)
        return len(data)

    def tell(self) -> int:
        return self._size

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def parquet_chunks(tables: Iterable[pa.Table], meta: dict) -> Iterator[bytes]:
    """A Parquet file, one row group per table, written as it goes; the metadata (licences,
    attribution, version, definitions) in the file's key-value metadata under `mmmeter`."""
    from data.exports import SCHEMA

    schema = SCHEMA.with_metadata({"mmmeter": json.dumps(meta, ensure_ascii=False)})
    sink = ChunkSink()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for table in tables:
            writer.write_table(table.cast(schema))
            yield sink.take()
    yield sink.take()


XLSX_MAX_ROWS = 100_000  # rows of one xlsx download (a page: the API links to the next)


def metadata_lines(meta: dict, lang: str = "nl") -> list[tuple[str, str]]:
    """The licence, source, version and definitions as (label, text) lines (Dutch by
    default), for the sheet of an XLSX download and the README of a zip."""
    words = LABELS[lang]
    lines = [
        (words["version"], meta["version"] or ""),
        (words["publisher"], meta["publisher"]),
        (words["attribution"], meta["attribution"]),
    ]
    lines += [(words["licence"], f"{lic['name']} ({lic['url']})") for lic in meta["licences"]]
    lines += [
        (words["source"], f"{s['title']}: {s['publisher']} ({s['landing_page']})")
        for s in meta["sources"]
    ]
    for indicator in meta["indicators"]:
        lines.append(
            (
                indicator["id"],
                f"{indicator['title'][lang]} ({indicator['unit'][lang]}): "
                f"{indicator['definition'][lang]}",
            )
        )
    return lines


LABELS = {
    "nl": {
        "version": "Versie van de gegevens",
        "publisher": "Uitgever",
        "attribution": "Naamsvermelding",
        "licence": "Licentie",
        "source": "Bron",
        "next": "Volgende rijen",
    },
    "en": {
        "version": "Data version",
        "publisher": "Publisher",
        "attribution": "Attribution",
        "licence": "Licence",
        "source": "Source",
        "next": "Next rows",
    },
}


def xlsx_bytes(tables: Iterable[pa.Table], columns: tuple[str, ...], meta: dict) -> bytes:
    """A workbook with the rows (sheet `gegevens`) and a sheet `toelichting` with licence,
    source, definitions, store version and (`meta["next"]`) the address of the next rows.
    Raises TooManyRows past XLSX_MAX_ROWS."""
    from openpyxl import Workbook

    kept, count = [], 0  # at most XLSX_MAX_ROWS rows: a few MB as Arrow tables
    for table in tables:
        count += table.num_rows
        if count > XLSX_MAX_ROWS:
            raise TooManyRows(f"more rows than an xlsx download holds ({XLSX_MAX_ROWS:,})")
        kept.append(table)
    book = Workbook(write_only=True)
    data = book.create_sheet("gegevens")
    data.append(list(columns))
    for table in kept:
        values = [table[c].to_pylist() for c in columns]
        for row in zip(*values, strict=True):
            data.append([_xlsx_cell(v) for v in row])
    notes = book.create_sheet("toelichting")
    lines = metadata_lines(meta)
    if meta.get("next"):
        lines.append((LABELS["nl"]["next"], meta["next"]))
    for label, text in lines:
        notes.append([neutralize(label), neutralize(text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value):
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
