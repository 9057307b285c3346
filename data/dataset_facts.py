"""What a store version holds of one dataset: its indicators, the first and last period, the
levels with values, and its last successful refresh (for /api/v1/datasets)."""

from __future__ import annotations

import pandas as pd

from data.reader import Reader


def _span(column: pd.Series) -> tuple[str | None, str | None]:
    first, last = column.min(), column.max()
    if pd.isna(first):
        return None, None
    return first.date().isoformat(), last.date().isoformat()


def indicator_span(reader: Reader, indicator_id: str) -> tuple[str | None, str | None]:
    """The first and last period of `indicator_id` in the Reader's version (ISO dates), over
    every dataset that feeds it."""

    def compute() -> tuple[str | None, str | None]:
        frame = reader.store.read_observations(reader.version, indicator_id, columns=["period"])
        return (None, None) if frame is None else _span(frame["period"])

    return (
        (None, None)
        if reader.version is None
        else reader.memo("facts.span", (indicator_id,), compute)
    )


def dataset_content(reader: Reader, dataset_id: str) -> dict:
    """What the dataset's own file in the Reader's version holds: the span of each indicator,
    of the whole dataset, and the area levels with values."""

    def compute() -> dict:
        table = reader.store.read_dataset_observations(
            reader.version, dataset_id, ["indicator", "area", "period"]
        )
        if table is None:
            return {"indicators": {}, "span": (None, None), "levels": []}
        indicator = table["indicator"].astype(str)
        spans = {
            name: _span(periods) for name, periods in table["period"].groupby(indicator, sort=False)
        }
        registry = reader.areas().set_index("code")["level"]
        codes = table["area"].astype(str).unique().tolist()
        levels = sorted(set(registry.reindex(codes).dropna()))
        return {"indicators": spans, "span": _span(table["period"]), "levels": levels}

    if reader.version is None:
        return {"indicators": {}, "span": (None, None), "levels": []}
    return reader.memo("facts.dataset", (dataset_id,), compute)


def dataset_facts(reader: Reader, dataset_id: str) -> dict:
    """The facts of one dataset of the Reader's catalog (a KeyError for an unknown id)."""
    catalog = reader.catalog
    dataset = catalog.datasets[dataset_id]
    indicators = [i for i in catalog.indicators.values() if dataset_id in i.dataset]
    content = dataset_content(reader, dataset_id)
    levels_with_values = reader.indicator_levels()
    # an indicator from this dataset's file spans what the file holds; a derived one (7-day
    # mean, per 100,000) spans its own series
    spans = [content["indicators"].get(i.id) or indicator_span(reader, i.id) for i in indicators]
    first, last = content["span"]
    if first is None:
        firsts = [s[0] for s in spans if s[0]]
        lasts = [s[1] for s in spans if s[1]]
        first, last = (min(firsts), max(lasts)) if firsts else (None, None)
    # levels in its file, and those its own indicators are added up to (gemeente -> country)
    own = {
        lv
        for i in indicators
        if i.dataset == [dataset_id]
        for lv in levels_with_values.get(i.id, [])
    }
    levels = sorted(set(content["levels"]) | own) or ([dataset.level] if dataset.level else [])
    status = reader.store.status().get("datasets", {}).get(dataset_id, {})
    return {
        "indicators": [
            {
                "id": i.id,
                # the dataset is its main source (else it is one of its inputs, e.g. the
                # population of a rate per 100,000)
                "primary": i.dataset[0] == dataset_id,
                "title": i.title.model_dump(),
                "unit": i.unit.model_dump(),
                "frequency": i.frequency,
                "levels": levels_with_values.get(i.id, []),
                "first_period": span[0],
                "last_period": span[1],
            }
            for i, span in zip(indicators, spans, strict=True)
        ],
        "temporal_coverage": {
            "first_period": first,
            "last_period": last,
        },
        "levels": levels,
        "last_successful_refresh": status.get("last_success"),
        "last_failure": status.get("last_failure"),
    }
