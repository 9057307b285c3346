"""Zip packages: one dataset (its observations as CSV, `metadata.json` and a Dutch README with
licence, attribution, definitions and the store version) and the whole catalogue (a folder per
dataset with the same files, its observations as Parquet, and a catalogue index).

The zip is written as it streams: every CSV entry is filled one row group at a time and the
bytes are handed out as they are made, so a package of any size holds one row group (and the
deflate window) in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterator

from data.downloads import ChunkSink, csv_chunks, parquet_chunks, rfc7946
from data.exports import (
    GEOMETRY_ATTRIBUTION,
    Selection,
    batches,
    dataset_indicators,
    metadata,
)
from data.reader import Reader

COLUMNS = ("indicator", "area", "period", "value")
COLUMNS_NL = {
    "indicator": "de indicator (zie Indicatoren hieronder)",
    "area": "de CBS-code van het gebied (NL01, PV22, GM0114, WK011401, BU01140101, ...)",
    "period": "de begindatum van de periode (JJJJ-MM-DD)",
    "value": "de waarde; leeg: onbekend of geheim",
}
FILE_KINDS = {
    "csv": "CSV in UTF-8 met BOM, komma als scheidingsteken, punt als decimaalteken",
    "parquet": "Apache Parquet; licentie, bron en definities ook in de metadata van het bestand",
}
COMPRESS_LEVEL = 1  # CSV shrinks ~8x already at level 1; higher levels cost far more time

FREQUENCIES_NL = {
    "DAILY": "dagelijks",
    "WEEKLY": "wekelijks",
    "MONTHLY": "maandelijks",
    "ANNUAL": "jaarlijks",
    "IRREG": "onregelmatig",
    "NEVER": "niet meer",
}


def dataset_metadata(reader: Reader, dataset_id: str, document: dict) -> dict:
    """`document` (the API's description of the dataset) with what the download says about
    its rows: licences, attribution, definitions and store version."""
    indicators = dataset_indicators(reader, dataset_id)
    manifest = reader.store.manifest(reader.version) or {}
    return {
        **document,
        "release": {"version": reader.version, "created_at": manifest.get("created_at")},
        "download": metadata(reader, indicators),
        "columns": {
            "indicator": "indicator id (see indicators)",
            "area": "CBS area code (NL01, PV22, GM0114, WK011401, BU01140101, ...)",
            "period": "start date of the period (YYYY-MM-DD)",
            "value": "the value; empty: unknown or confidential",
        },
    }


def readme(meta: dict, data_file: str, geometry_file: str | None = None) -> str:
    """The Dutch README of a dataset package (Markdown)."""
    download = meta["download"]
    title = meta["title"]["nl"] if isinstance(meta.get("title"), dict) else meta["id"]
    frequency = str(meta.get("frequency") or "").rsplit("/", 1)[-1]
    coverage = meta.get("temporal_coverage") or {}
    lines = [
        f"# {title}",
        "",
        f"Dataset `{meta['id']}`, gepubliceerd door {download['publisher']}.",
        "",
        "## Licentie en naamsvermelding",
        "",
    ]
    lines += [f"- Licentie: [{lic['name']}]({lic['url']})" for lic in download["licences"]]
    lines += [
        f"- Naamsvermelding: {download['attribution']}",
        f"- Bron: {meta.get('publisher', '')}, {meta.get('landing_page', '')}",
        "",
        "## Versie",
        "",
        f"- Versie van de gegevens (release): {meta['release']['version']}",
        f"- Gemaakt op: {meta['release']['created_at'] or 'onbekend'}",
        f"- Laatst bijgewerkt bij de bron: {meta.get('last_successful_refresh') or 'onbekend'}",
        f"- Bijgewerkt: {FREQUENCIES_NL.get(frequency, frequency or 'onbekend')}",
        f"- Periode: {coverage.get('first_period') or '?'} tot en met "
        f"{coverage.get('last_period') or '?'}",
        f"- Gebiedsniveaus: {', '.join(meta.get('levels') or []) or 'geen'}",
        "",
        "## Bestanden",
        "",
        f"- `{data_file}`: de waarnemingen ({FILE_KINDS[data_file.rsplit('.', 1)[1]]}), kolommen:",
    ]
    lines += [f"  - `{name}`: {text}" for name, text in COLUMNS_NL.items()]
    lines += [
        "- `metadata.json`: deze beschrijving, machineleesbaar.",
    ]
    if geometry_file:
        lines.append(
            f"- `{geometry_file}`: de grenzen van de gebieden, vereenvoudigd zoals de kaarten"
            f" ze tekenen (naamsvermelding: {GEOMETRY_ATTRIBUTION})."
        )
    lines += [
        "",
        "## Indicatoren",
        "",
    ]
    for indicator in download["indicators"]:
        derived = (
            f" Afgeleid van `{indicator['derived_from']}` ({indicator['derivation']})."
            if indicator.get("derived_from")
            else ""
        )
        lines.append(
            f"- `{indicator['id']}` — {indicator['title']['nl']} ({indicator['unit']['nl']}): "
            f"{indicator['definition']['nl']}{derived}"
        )
    if not download["indicators"]:
        lines.append("Deze dataset levert geen waarnemingen maar gebiedsindelingen (geometrie).")
    return "\n".join(lines) + "\n"


def _write_dataset(zf, sink: ChunkSink, reader, dataset_id, meta, prefix="", kind="csv"):
    data_file = f"{dataset_id}.{kind}"
    geometry = dataset_geometry(reader, dataset_id, meta)
    geometry_file = f"{dataset_id}.geojson" if geometry is not None else None
    zf.writestr(f"{prefix}README.md", readme(meta, data_file, geometry_file))
    zf.writestr(f"{prefix}metadata.json", json.dumps(meta, ensure_ascii=False, indent=2))
    if geometry is not None:
        zf.writestr(f"{prefix}{geometry_file}", json.dumps(geometry, ensure_ascii=False))
    yield sink.take()
    rows = batches(reader, Selection(dataset_indicators(reader, dataset_id)))
    if kind == "csv":
        chunks, compression = csv_chunks(rows, COLUMNS), zipfile.ZIP_DEFLATED
    else:  # Parquet is compressed already
        chunks, compression = parquet_chunks(rows, meta["download"]), zipfile.ZIP_STORED
    info = zipfile.ZipInfo(f"{prefix}{data_file}", date_time=_date_time(meta))
    info.compress_type = compression
    with zf.open(info, "w", force_zip64=True) as entry:
        for chunk in chunks:
            entry.write(chunk)
            yield sink.take()
    yield sink.take()


def dataset_geometry(reader: Reader, dataset_id: str, meta: dict) -> dict | None:
    """The areas of a geometry dataset (its `level`) as GeoJSON in RFC 7946 winding, with
    licence, attribution and version, or None for a dataset without geometry."""
    level = reader.catalog.datasets[dataset_id].level
    collection = reader.geometry(level) if level else None
    if not collection:
        return None
    download = meta["download"]
    return {
        "type": "FeatureCollection",
        "version": download["version"],
        "licences": [{"name": meta.get("licence"), "url": meta.get("licence_url")}],
        "attribution": GEOMETRY_ATTRIBUTION,
        "features": [
            {**feature, "geometry": rfc7946(feature["geometry"])}
            for feature in collection["features"]
        ],
    }


def _date_time(meta: dict) -> tuple:
    created = (meta.get("release") or {}).get("created_at") or "1980-01-01T00:00:00Z"
    stamp = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
    return stamp.timetuple()[:6]


def _zip(sink: ChunkSink) -> zipfile.ZipFile:
    return zipfile.ZipFile(
        sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    )


def dataset_zip(reader: Reader, dataset_id: str, document: dict) -> Iterator[bytes]:
    """The bytes of `<dataset>.zip`, as they are made."""
    sink = ChunkSink()
    meta = dataset_metadata(reader, dataset_id, document)
    with _zip(sink) as zf:
        yield from _write_dataset(zf, sink, reader, dataset_id, meta)
    yield sink.take()


def catalogue_zip(reader: Reader, documents: dict[str, dict], index: dict) -> Iterator[bytes]:
    """The bytes of `catalogus.zip`: `catalogus.json` (`index`), a README, and a folder per
    dataset of `documents` (id -> the API's description) with its package."""
    sink = ChunkSink()
    with _zip(sink) as zf:
        zf.writestr("catalogus.json", json.dumps(index, ensure_ascii=False, indent=2))
        zf.writestr("README.md", catalogue_readme(index, list(documents)))
        for dataset_id, document in documents.items():
            meta = dataset_metadata(reader, dataset_id, document)
            yield from _write_dataset(
                zf, sink, reader, dataset_id, meta, f"{dataset_id}/", kind="parquet"
            )
    yield sink.take()


def catalogue_readme(index: dict, dataset_ids: list[str]) -> str:
    lines = [
        f"# {index.get('title', 'Catalogus')}",
        "",
        f"Alle openbare datasets, versie van de gegevens {index.get('version')}.",
        "Elke map bevat de waarnemingen (Apache Parquet), `metadata.json` en een README met"
        " licentie, naamsvermelding en definities. Dezelfde gegevens als CSV: het zipbestand"
        " van elke dataset.",
        "",
    ]
    lines += [f"- `{d}/`" for d in dataset_ids]
    return "\n".join(lines) + "\n"
