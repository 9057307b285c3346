"""How many areas of each level have values, per indicator and per dataset, in the Reader's
store version (for the dataset and indicator pages under /data)."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.parquet as pq

from data.reader import Reader


def _codes(reader: Reader, path) -> set[str]:
    if not path.exists():
        return set()
    return {str(code) for code in pc.unique(pq.read_table(path, columns=["area"])["area"])}


def _by_level(reader: Reader, codes: set[str]) -> dict[str, int]:
    levels = reader.areas().set_index("code")["level"]
    counts = levels.reindex(sorted(codes)).dropna().value_counts()
    return {str(level): int(count) for level, count in counts.items()}


def indicator_area_counts(reader: Reader, indicator_id: str) -> dict[str, int]:
    """{level: number of areas with a row of `indicator_id`}; {} without data."""
    if reader.version is None:
        return {}
    path = reader.store.versions / reader.version / "observations" / f"{indicator_id}.parquet"
    return reader.memo(
        "coverage.indicator", (indicator_id,), lambda: _by_level(reader, _codes(reader, path))
    )


def dataset_area_counts(reader: Reader, dataset_id: str) -> dict[str, int]:
    """{level: number of areas} of a dataset: the areas of its own file and of the indicators
    it alone feeds (summed up to province and country, derived), or, for a boundary dataset,
    the areas of its level with a shape."""
    if reader.version is None:
        return {}

    def compute() -> dict[str, int]:
        root = reader.store.versions / reader.version
        codes = _codes(reader, root / "datasets" / dataset_id / "observations.parquet")
        catalog = reader.catalog
        for indicator in catalog.indicators.values():
            if indicator.dataset == [dataset_id]:
                codes |= _codes(reader, root / "observations" / f"{indicator.id}.parquet")
        dataset = catalog.datasets[dataset_id]
        if not codes and dataset.level:
            codes = set(reader.geometry_codes(dataset.level))
        return _by_level(reader, codes)

    return reader.memo("coverage.dataset", (dataset_id,), compute)
