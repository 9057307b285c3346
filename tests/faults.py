"""The fault matrix: a small mirror cut from the shared data, and every fault of issue 14.

`small_mirror()` reads ../shared/data and returns {mirror path: bytes}: the RIVM daily files
cut to the municipalities of Drenthe in the first quarter of 2021, the rest as it is. Nothing
of it is written to the repository.

`FAULTS` lists the faults in the order the matrix runs them; `expected(dataset, fault)`
says the right outcome of each cell.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from tests.conftest import SHARED_DATA
from tests.faultserver import Fault

SMALL_RIVM = {
    "rivm/COVID-19_aantallen_gemeente_per_dag_reconstructed.csv.gz": "Date_of_publication",
    "rivm/COVID-19_ziekenhuisopnames_reconstructed.csv.gz": "Date_of_statistics",
}
SMALL_FROM, SMALL_TO = "2021-01-01", "2021-03-31"
SEWAGE = "rivm/COVID-19_rioolwaterdata_v2_2022-03-21.csv.gz"


def _drenthe(cases: pd.DataFrame) -> set[str]:
    return set(cases.loc[cases["Province"] == "Drenthe", "Municipality_code"])


def _csv_bytes(df: pd.DataFrame, gz: bool) -> bytes:
    text = df.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8")
    return gzip.compress(text, mtime=0) if gz else text


def small_mirror(catalog) -> dict[str, bytes]:
    """Every mirror file of `catalog`, the large RIVM files cut small (see the module doc)."""
    files: dict[str, bytes] = {}
    for dataset in catalog.datasets.values():
        for file in dataset.files:
            if file.mirror:
                files[file.mirror] = (SHARED_DATA / file.mirror).read_bytes()
    read = {
        path: pd.read_csv(
            io.BytesIO(files[path]), sep=";", dtype=str, keep_default_na=False, compression="gzip"
        )
        for path in [*SMALL_RIVM, SEWAGE]
    }
    cases_path = next(iter(SMALL_RIVM))
    drenthe = _drenthe(read[cases_path])
    for path, date_column in SMALL_RIVM.items():
        df = read[path]
        keep = df["Municipality_code"].isin(drenthe) & df[date_column].between(SMALL_FROM, SMALL_TO)
        files[path] = _csv_bytes(df[keep], gz=True)
    sewage = read[SEWAGE]
    files[SEWAGE] = _csv_bytes(
        sewage[sewage["Date_measurement"].between(SMALL_FROM, SMALL_TO)], gz=True
    )
    return files


# ------------------------------------------------------------------------------------------
# the files each fault breaks: the main file of each dataset


@dataclass(frozen=True)
class Target:
    dataset: str
    path: str
    kind: str  # "csv" or "geojson"
    code: str  # the column (CSV) or property (GeoJSON) with the area code
    value: str | None  # a numeric column
    date: str | None  # a date column (None: the period comes from the catalog)
    future: str  # a value of `date` in the future
    unknown_code: str  # a well-formed area code that does not exist


CSV_TARGETS = {
    "rivm_cases": ("Municipality_code", "Total_reported", "Date_of_publication", "GM9999"),
    "rivm_hospital": ("Municipality_code", "Hospital_admission", "Date_of_statistics", "GM9999"),
    "rivm_sewage": ("RWZI_AWZI_code", "RNA_flow_per_100000", "Date_measurement", "99999"),
    "rivm_vaccination": (
        "Region_code",
        "Vaccination_coverage_completed",
        "Date_of_statistics",
        "GM9999",
    ),
    "cbs_regional_key_figures": ("RegioS", "TotaleBevolking_1", "Perioden", "GM9999"),
    "cbs_population_2022": ("Municipality_code", "population_count", None, "GM9999"),
    "cbs_wijk_2021": ("WK_CODE", "AANT_INW", "JAAR", "WK011499"),
    # a home wijk: rows of other municipalities are left out, their codes not checked
    "cbs_kwb_2024": ("WijkenEnBuurten", "AantalInwoners_5", None, "WK011499"),
}
GEO_UNKNOWN = {"gm": "GM9999", "pv": "PV99", "wk": "WK011499", "bu": "BU01149999"}
GEO_CODE_KEYS = ("code", "statcode", "gemeentecode", "wijkcode", "buurtcode", "provinciecode")


def _future(column: str | None) -> str:
    year = dt.date.today().year + 2
    if column == "Perioden":
        return f"{year}JJ00"
    if column == "JAAR":
        return str(year)
    return f"{year}-01-01"


def targets(catalog, files: dict[str, bytes]) -> dict[str, Target]:
    out = {}
    for dataset in catalog.datasets.values():
        path = next(f.mirror for f in dataset.files if f.role == "main")
        if dataset.format == "geo_areas":
            doc = json.loads(files[path])
            properties = doc["features"][0]["properties"]
            code = next(k for k in GEO_CODE_KEYS if k in properties)
            out[dataset.id] = Target(
                dataset.id, path, "geojson", code, None, None, "", GEO_UNKNOWN[dataset.level]
            )
        else:
            code, value, date, unknown = CSV_TARGETS[dataset.id]
            out[dataset.id] = Target(
                dataset.id, path, "csv", code, value, date, _future(date), unknown
            )
    return out


# ------------------------------------------------------------------------------------------
# content changes


def unpack(content: bytes) -> tuple[str, bool]:
    gz = content[:2] == b"\x1f\x8b"
    return (gzip.decompress(content) if gz else content).decode("utf-8").lstrip("\ufeff"), gz


def pack(text: str | bytes, gz: bool) -> bytes:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return gzip.compress(data, mtime=0) if gz else data


def _rows(text: str) -> tuple[list[str], list[list[str]]]:
    lines = text.rstrip("\n").split("\n")
    header = lines[0].rstrip("\r").split(";")
    return header, [line.rstrip("\r").split(";") for line in lines[1:]]


def _join(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(";".join(r) for r in [header, *rows]) + "\n"


def _set(text: str, column: str, value: str, like: str = "") -> str:
    """`value` in `column` of the first data line (file line 2), or of the first whose value
    in `column` starts with `like`."""
    header, rows = _rows(text)
    i = header.index(column)
    row = next(r for r in rows if r[i].startswith(like))
    row[i] = value
    return _join(header, rows)


def _without(text: str, column: str) -> str:
    header, rows = _rows(text)
    i = header.index(column)
    return _join(header[:i] + header[i + 1 :], [row[:i] + row[i + 1 :] for row in rows])


def csv_change(name: str, target: Target) -> Callable[[str], str] | None:
    c = target.code
    changes: dict[str, Callable[[str], str]] = {
        "wrong delimiter": lambda text: text.replace(";", ","),
        "renamed column": lambda text: text.replace(
            c, c.lower() if c.lower() != c else c + "_2", 1
        ),
        "missing column": lambda text: _without(text, c),
        "extra column": lambda text: _join(
            _rows(text)[0] + ["Opmerking"], [[*row, "x"] for row in _rows(text)[1]]
        ),
        "non-numeric value": lambda text: _set(text, target.value, "veel"),
        "negative count": lambda text: _set(text, target.value, "-7"),
        "duplicated row": lambda text: text.rstrip("\n") + "\n" + text.split("\n")[1] + "\n",
        "date in the future": lambda text: _set(text, target.date, target.future),
        # a wijk code of the home municipality: rows of others are left out unchecked
        "unknown area code": lambda text: _set(
            text,
            target.code,
            target.unknown_code,
            like=target.unknown_code[:6] if target.unknown_code.startswith("WK") else "",
        ),
        "ten times larger": lambda text: (
            text.split("\n", 1)[0] + "\n" + text.split("\n", 1)[1] * 10
        ),
    }
    if name == "date in the future" and target.date is None:
        return None
    return changes.get(name)


def _features(change: Callable[[list[dict], str], None]) -> Callable[[str, str], str]:
    def apply(text: str, code: str) -> str:
        doc = json.loads(text)
        change(doc["features"], code)
        return json.dumps(doc)

    return apply


def _rename(features, code):
    for f in features:
        f["properties"][code.upper()] = f["properties"].pop(code)


def _drop(features, code):
    for f in features:
        f["properties"].pop(code)


def _extra(features, code):
    for f in features:
        f["properties"]["opmerking"] = "x"


def _non_numeric(features, code):
    geometry = features[0]["geometry"]
    ring = (
        geometry["coordinates"][0]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"][0][0]
    )
    ring[0][0] = "veel"


GEO_CHANGES: dict[str, Callable[[str, str], str]] = {
    "renamed column": _features(_rename),
    "missing column": _features(_drop),
    "extra column": _features(_extra),
    "non-numeric value": _features(_non_numeric),
    "duplicated row": _features(lambda fs, code: fs.append(json.loads(json.dumps(fs[0])))),
    "ten times larger": _features(lambda fs, code: fs.extend(json.loads(json.dumps(fs)) * 9)),
}


def content_for(name: str, target: Target, good: bytes) -> bytes | None:
    """The broken content of `target` for the content fault `name` (None: does not apply)."""
    text, gz = unpack(good)
    if name == "unknown area code" and target.kind == "geojson":
        doc = json.loads(text)
        doc["features"][0]["properties"][target.code] = target.unknown_code
        return pack(json.dumps(doc), gz)
    if target.kind == "geojson":
        change = GEO_CHANGES.get(name)
        return pack(change(text, target.code), gz) if change else None
    change = csv_change(name, target)
    return pack(change(text), gz) if change else None


def cp1252(text: str) -> bytes:
    if text.isascii():
        text = text.replace("e", "ë", 1)
    return text.encode("cp1252")


def corrupt_gzip(data: bytes) -> bytes:
    packed = bytearray(gzip.compress(data, mtime=0))
    for i in range(20, min(60, len(packed) - 8)):
        packed[i] ^= 0x5A
    return bytes(packed)


# ------------------------------------------------------------------------------------------
# the faults


@dataclass(frozen=True)
class FaultCase:
    name: str
    # (target, good content, max_bytes) -> the Fault to serve; None: the fault does not apply
    make: Callable[[Target, bytes, int], Fault | None]
    refused: bool = False  # no server at all: the mirror URL points at a closed port


def _content(name: str) -> Callable[[Target, bytes, int], Fault | None]:
    def make(target: Target, good: bytes, max_bytes: int) -> Fault | None:
        content = content_for(name, target, good)
        return None if content is None else Fault(content=content)

    return make


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html lang='nl'><head><title>Onderhoud</title></head>"
    b"<body><h1>Deze dienst is tijdelijk niet beschikbaar</h1></body></html>\n"
)

FAULTS: list[FaultCase] = [
    FaultCase("identical content, new ETag", lambda t, g, m: Fault(etag='"new-etag"')),
    FaultCase("connection refused", lambda t, g, m: Fault(), refused=True),
    FaultCase("timeout", lambda t, g, m: Fault(delay_s=2.5)),
    FaultCase("slow drip", lambda t, g, m: Fault(drip=(64, 0.25), etag='"dripping"')),
    FaultCase("HTTP 500", lambda t, g, m: Fault.http_status(500)),
    FaultCase("HTTP 503 with Retry-After", lambda t, g, m: Fault.http_status(503, retry_after=1)),
    FaultCase("HTTP 404", lambda t, g, m: Fault.http_status(404)),
    FaultCase("HTML error page with 200", lambda t, g, m: Fault(content=HTML_PAGE)),
    FaultCase("truncated body", lambda t, g, m: Fault(cut_at=0.5, etag='"cut-off"')),
    FaultCase("corrupt gzip", lambda t, g, m: Fault(content=corrupt_gzip(unpack(g)[0].encode()))),
    FaultCase(
        "wrong encoding (cp1252)",
        lambda t, g, m: Fault(content=pack(cp1252(unpack(g)[0]), unpack(g)[1])),
    ),
    FaultCase("wrong delimiter", _content("wrong delimiter")),
    FaultCase("renamed column", _content("renamed column")),
    FaultCase("missing column", _content("missing column")),
    FaultCase("non-numeric value", _content("non-numeric value")),
    FaultCase("negative count", _content("negative count")),
    FaultCase("duplicated row", _content("duplicated row")),
    FaultCase("date in the future", _content("date in the future")),
    FaultCase("ten times larger", _content("ten times larger")),
    FaultCase("over the size limit", lambda t, g, m: Fault(content=b"x" * (m + 1))),
    FaultCase("empty file", lambda t, g, m: Fault(content=b"")),
    # accepted ones last: they publish a new version, the baseline of the cells after them
    FaultCase(
        "BOM",
        lambda t, g, m: Fault(content=pack(b"\xef\xbb\xbf" + unpack(g)[0].encode(), unpack(g)[1])),
    ),
    FaultCase("extra column", _content("extra column")),
    FaultCase("unknown area code", _content("unknown area code")),
]


@dataclass(frozen=True)
class Expected:
    outcome: str  # "rejected", "unchanged", "accepted" (same numbers), "accepted, changed"
    needles: tuple[str, ...] = ()  # all in the reason (rejected) or the notes
    why: str = ""  # for accepted cells: why that is right


NOT_APPLICABLE = {
    "wrong delimiter": "GeoJSON has no delimiter",
    "negative count": "boundaries have no counts",
    "date in the future": "no dates in this file",
}


def expected(target: Target, fault: str) -> Expected:
    geo = target.kind == "geojson"
    csv_line2 = "line 2" if not geo else ""
    table = {
        "identical content, new ETag": Expected(
            "unchanged", why="same bytes (same checksum): nothing to parse or publish"
        ),
        "connection refused": Expected("rejected", ("cannot connect", "refused")),
        "timeout": Expected("rejected", ("no answer within 1 s",)),
        "slow drip": Expected("rejected", ("download too slow",)),
        "HTTP 500": Expected("rejected", ("HTTP 500",)),
        "HTTP 503 with Retry-After": Expected("rejected", ("HTTP 503", "Retry-After 1 s")),
        "HTTP 404": Expected("rejected", ("HTTP 404",)),
        "HTML error page with 200": Expected("rejected", ("HTML page",)),
        "truncated body": Expected("rejected", ("broke off", "truncated")),
        "corrupt gzip": Expected("rejected", ("gzip stream is corrupt",)),
        "wrong encoding (cp1252)": Expected("rejected", ("not valid UTF-8", "Windows-1252")),
        "wrong delimiter": Expected("rejected", ("wrong delimiter",)),
        "renamed column": Expected(
            "rejected",
            ("is not a",) if geo else (f"missing column {target.code}", "renamed upstream?"),
        ),
        "missing column": Expected(
            "rejected", ("is not a",) if geo else (f"missing column {target.code}",)
        ),
        "non-numeric value": Expected(
            "rejected",
            ("feature 1", "unreadable polygon")
            if geo
            else (f"column {target.value}", csv_line2, "'veel' is not a number"),
        ),
        "negative count": Expected("rejected", (target.value, csv_line2, "-7")),
        "duplicated row": Expected(
            "rejected",
            ("repeats feature 1 exactly",) if geo else ("line", "repeats"),
        ),
        "date in the future": Expected("rejected", ("future",)),
        "ten times larger": Expected(
            "rejected", ("times the size of the last good one", "--force")
        ),
        "over the size limit": Expected("rejected", ("over the limit",)),
        "empty file": Expected("rejected", ("file is empty",)),
        "BOM": Expected(
            "accepted", why="a UTF-8 byte order mark is dropped; same data, so no new version"
        ),
        "extra column": Expected(
            "accepted", why="a column the parser does not use is ignored; same data, no new version"
        ),
        "unknown area code": Expected("rejected", (target.unknown_code, "unknown")),
    }
    if geo and fault == "unknown area code":
        return Expected(
            "accepted, changed",
            why="boundary files are the registry of area codes: a new code is a new area",
        )
    if target.dataset == "rivm_sewage" and fault == "unknown area code":
        return Expected(
            "accepted, changed",
            ("no municipality in the lookup", target.unknown_code),
            why="a new treatment plant is kept per plant and named in the notes "
            "(the plant lookup is from 2021)",
        )
    return table[fault]
