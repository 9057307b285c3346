"""Which observations a download or an API answer holds, read in bounded batches.

A `Selection` names indicators, areas (or a whole level, or every area) and a period range; its
rows are read from the Reader's store version one Parquet row group at a time
(`batches`), row groups that cannot hold a wanted area or period are skipped on their
statistics, so a full export never holds more than one row group in memory. `metadata` says
what the rows are: licences, attribution, definitions and the store version, for every format
(data/downloads.py) to carry.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from data.reader import Reader
from data.store import Store

GEOMETRY_ATTRIBUTION = "CBS, Kadaster"
BACKEND_BATCH_ROWS = 20_000
SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("area", pa.string()),
        ("period", pa.date32()),
        ("value", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Selection:
    """What to export: `indicators` in this order; `areas` None means every area."""

    indicators: tuple[str, ...]
    areas: tuple[str, ...] | None = None
    start: dt.date | None = None
    end: dt.date | None = None


def observations_path(reader: Reader, indicator: str) -> Path | None:
    """The Parquet file of `indicator` in a folder store (None: not there, or another
    store backend, read through `read_observations`)."""
    if reader.version is None or not isinstance(reader.store, Store):
        return None
    path = reader.store.versions / reader.version / "observations" / f"{indicator}.parquet"
    return path if path.exists() else None


def level_codes(reader: Reader, level: str) -> tuple[str, ...]:
    def compute() -> tuple[str, ...]:
        registry = reader.areas()
        return tuple(sorted(registry.loc[registry["level"] == level, "code"].astype(str)))

    return reader.memo("exports.level_codes", (level,), compute)


def dataset_indicators(reader: Reader, dataset_id: str) -> tuple[str, ...]:
    """The indicators a dataset is the main source of (derived ones included)."""
    return tuple(i.id for i in reader.catalog.indicators.values() if i.dataset[0] == dataset_id)


def _stat(statistics, name: str):
    return getattr(statistics, name) if statistics is not None and statistics.has_min_max else None


def _wanted_row_groups(file: pq.ParquetFile, selection: Selection, codes: list[str] | None):
    names = file.schema_arrow.names
    area_at, period_at = names.index("area"), names.index("period")
    start = dt.datetime.combine(selection.start, dt.time()) if selection.start else None
    end = dt.datetime.combine(selection.end, dt.time()) if selection.end else None
    for index in range(file.metadata.num_row_groups):
        group = file.metadata.row_group(index)
        low, high = (_stat(group.column(area_at).statistics, n) for n in ("min", "max"))
        if codes is not None and low is not None and high is not None:
            at = bisect.bisect_left(codes, low)
            if at == len(codes) or codes[at] > high:
                continue
        first, last = (_stat(group.column(period_at).statistics, n) for n in ("min", "max"))
        if start is not None and last is not None and last < start:
            continue
        if end is not None and first is not None and first > end:
            continue
        yield index


def _area_mask(area: pa.Array, codes: pa.Array) -> pa.Array:
    if pa.types.is_dictionary(area.type):  # decide once per distinct code
        wanted = pc.is_in(pc.cast(area.dictionary, pa.string()), value_set=codes)
        return pc.fill_null(pc.take(wanted, area.indices), False)
    return pc.is_in(pc.cast(area, pa.string()), value_set=codes)


def _filtered(table: pa.Table, indicator: str, selection: Selection, codes) -> pa.Table:
    """The rows of one row group that the selection wants, in the export schema."""
    period = table["period"].combine_chunks()
    masks = []
    if codes is not None:
        masks.append(_area_mask(table["area"].combine_chunks(), codes))
    if selection.start is not None:
        start = pa.scalar(dt.datetime.combine(selection.start, dt.time()), period.type)
        masks.append(pc.greater_equal(period, start))
    if selection.end is not None:
        end = pa.scalar(dt.datetime.combine(selection.end, dt.time()), period.type)
        masks.append(pc.less_equal(period, end))
    if masks:
        mask = masks[0]
        for other in masks[1:]:
            mask = pc.and_(mask, other)
        table = table.filter(mask)
    value = table["value"]
    # NaN (CBS: confidential) is written as a missing value in every format
    value = pc.if_else(pc.is_nan(value), pa.scalar(None, pa.float64()), value)
    return pa.table(
        {
            "indicator": pa.array([indicator] * table.num_rows, pa.string()),
            "area": pc.cast(table["area"], pa.string()),
            "period": pc.cast(table["period"], pa.date32()),
            "value": value,
        },
        schema=SCHEMA,
    )


def batches(reader: Reader, selection: Selection) -> Iterator[pa.Table]:
    """The selected rows (indicator, area, period, value) in tables of at most one row group,
    per indicator in the selection's order, then by area and period (the files' order)."""
    codes = sorted(selection.areas) if selection.areas is not None else None
    value_set = pa.array(codes, pa.string()) if codes is not None else None
    for indicator in selection.indicators:
        path = observations_path(reader, indicator)
        if path is None:
            yield from _backend_batches(reader, indicator, selection, codes, value_set)
            continue
        file = pq.ParquetFile(path)
        for index in _wanted_row_groups(file, selection, codes):
            group = file.read_row_group(index, columns=["area", "period", "value"])
            rows = _filtered(group, indicator, selection, value_set)
            if rows.num_rows:
                yield rows


def _backend_batches(reader, indicator, selection, codes, value_set) -> Iterator[pa.Table]:
    """The same from a store backend without files (PostgreSQL): its rows of the selected
    areas in one frame, handed out BACKEND_BATCH_ROWS at a time."""
    if reader.version is None:
        return
    frame = reader.store.read_observations(reader.version, indicator, codes)
    if frame is None or frame.empty:
        return
    frame = frame.sort_values(["area", "period"], kind="stable")
    for start in range(0, len(frame), BACKEND_BATCH_ROWS):
        part = frame.iloc[start : start + BACKEND_BATCH_ROWS]
        table = pa.table(
            {
                "area": pa.array(part["area"].astype(str).to_numpy(), pa.string()),
                "period": pa.array(part["period"].to_numpy("datetime64[ns]")),
                "value": pa.array(part["value"].to_numpy("float64")),
            }
        )
        rows = _filtered(table, indicator, selection, value_set)
        if rows.num_rows:
            yield rows


def page(tables: Iterator[pa.Table], offset: int, limit: int | None) -> Iterator[pa.Table]:
    """Rows `offset` to `offset + limit` of `tables` (all after `offset` when limit is None)."""
    skipped = 0
    left = limit
    for table in tables:
        if skipped < offset:
            if skipped + table.num_rows <= offset:
                skipped += table.num_rows
                continue
            table = table.slice(offset - skipped)
            skipped = offset
        if left is not None:
            if left <= 0:
                return
            table = table.slice(0, left)
            left -= table.num_rows
        if table.num_rows:
            yield table


def metadata(reader: Reader, indicators: tuple[str, ...], *, geometry: bool = False) -> dict:
    """What every download says about its rows: store version, licences, attribution and the
    definition of each indicator (Dutch and English)."""
    catalog = reader.catalog
    datasets = []
    for indicator_id in indicators:
        for dataset_id in catalog.indicators[indicator_id].dataset:
            if dataset_id not in datasets:
                datasets.append(dataset_id)
    sources = [
        {
            "dataset": d.id,
            "title": d.title.nl,
            "publisher": d.publisher,
            "licence": d.licence,
            "licence_url": d.licence_url,
            "landing_page": d.landing_page,
        }
        for d in (catalog.datasets[i] for i in datasets)
    ]
    publishers = list(dict.fromkeys(s["publisher"] for s in sources))
    if geometry and GEOMETRY_ATTRIBUTION not in publishers:
        publishers.append(GEOMETRY_ATTRIBUTION)
    licences = list(dict.fromkeys((s["licence"], s["licence_url"]) for s in sources))
    return {
        "version": reader.version,
        "publisher": catalog.site.owner,
        "attribution": "; ".join(publishers),
        "licences": [{"name": name, "url": url} for name, url in licences],
        "sources": sources,
        "indicators": [indicator_definition(catalog.indicators[i]) for i in indicators],
    }


def indicator_definition(indicator) -> dict:
    """What a download and the API say of an indicator: its data dictionary entry."""
    return {
        "id": indicator.id,
        "title": indicator.title.model_dump(),
        "unit": indicator.unit.model_dump(),
        "decimals": indicator.decimals,
        "definition": indicator.definition.model_dump(),
        "frequency": indicator.frequency,
        "derived_from": indicator.derived_from,
        "derivation": indicator.derivation,
        "archived_since": indicator.archived_since.isoformat()
        if indicator.archived_since
        else None,
    }
