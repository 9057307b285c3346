"""How many areas of each level have values, per indicator and per dataset, in the Reader's
store version (for the dataset and indicator pages under /data)."""

from __future__ import annotations

from data.reader import Reader


def _indicator_codes(reader: Reader, indicator_id: str) -> set[str]:
    """The areas with a row of `indicator_id` (read through the store backend)."""
    return set(reader.indicator_areas().get(indicator_id, []))


def _dataset_codes(reader: Reader, dataset_id: str) -> set[str]:
    frame = reader.store.read_dataset_observations(reader.version, dataset_id, ["area"])
    return set() if frame is None else set(frame["area"].astype(str).unique())


def _by_level(reader: Reader, codes: set[str]) -> dict[str, int]:
    levels = reader.areas().set_index("code")["level"]
    counts = levels.reindex(sorted(codes)).dropna().value_counts()
    return {str(level): int(count) for level, count in counts.items()}


def indicator_area_counts(reader: Reader, indicator_id: str) -> dict[str, int]:
    """{level: number of areas with a row of `indicator_id`}; {} without data."""
    if reader.version is None:
        return {}
    return reader.memo(
        "coverage.indicator",
        (indicator_id,),
        lambda: _by_level(reader, _indicator_codes(reader, indicator_id)),
    )


def dataset_area_counts(reader: Reader, dataset_id: str) -> dict[str, int]:
    """{level: number of areas} of a dataset: the areas of its own file and of the indicators
    it alone feeds (summed up to province and country, derived), or, for a boundary dataset,
    the areas of its level with a shape."""
    if reader.version is None:
        return {}

    def compute() -> dict[str, int]:
        codes = _dataset_codes(reader, dataset_id)
        catalog = reader.catalog
        for indicator in catalog.indicators.values():
            if indicator.dataset == [dataset_id]:
                codes |= _indicator_codes(reader, indicator.id)
        dataset = catalog.datasets[dataset_id]
        if not codes and dataset.level:
            codes = set(reader.geometry_codes(dataset.level))
        return _by_level(reader, codes)

    return reader.memo("coverage.dataset", (dataset_id,), compute)
