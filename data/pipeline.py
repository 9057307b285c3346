"""Refresh: fetch -> parse -> validate -> normalize -> derive -> store, one dataset at a time.

A dataset that fails keeps its last good output (copied from the current version) and records
the reason; the new version is published only when it is complete.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data import observations as obs
from data import population, releases, staff
from data.alerts import send_alert
from data.catalog import Catalog, Dataset, load_catalog
from data.config import RefreshSettings as Settings
from data.derive import DERIVED, derive_all
from data.errors import SourceError
from data.fetch import FetchOptions, fetch, resolve_location
from data.formats import Normalized, RawFile, format_function
from data.parsers.csvtools import check_known_areas
from data.store import new_version_id, utcnow
from data.stores import StoreBackend, open_store
from geo.divisions import (
    dissolved_by,
    load_changes,
    recode_areas,
    successors,
    to_division,
    to_division_weighted,
)
from geo.registry import build_area_registry
from geo.simplify import simplify_level

Progress = Callable[[str], None]
log = logging.getLogger("mmmeter.refresh")

GEO_FIRST = "geo_areas"
DENOMINATORS = "denominators.parquet"  # per version: the population behind each rate


@dataclass
class DatasetResult:
    dataset: str
    status: str  # "updated", "unchanged", "failed", "kept", "skipped"
    reason: str | None = None
    rows: int = 0
    seconds: float = 0.0
    kind: str | None = None  # of a failure: data.errors.FAILURE_KINDS


@dataclass
class RefreshReport:
    version: str | None
    results: list[DatasetResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[DatasetResult]:
        return [r for r in self.results if r.status == "failed"]


def refresh(
    settings: Settings,
    catalog: Catalog | None = None,
    only: list[str] | None = None,
    progress: Progress | None = None,
    force: bool = False,
    before_publish: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Refresh `only` these datasets (default: all) and publish a new store version.

    Without `force`, files that did not change upstream (304, or the same checksum) are not
    parsed again, a file whose data came out the same (a byte order mark, an unused column)
    counts as unchanged, a file many times larger than its last good version is refused, and
    when no dataset changed no new version is published. `before_publish(version)` runs when
    the new version is stored in full but not yet current (app/warm.py warms its pages).
    """
    catalog = catalog or load_catalog(settings.catalog_path, settings.home)
    say = progress or (lambda message: None)
    unknown = sorted(set(only or []) - set(catalog.datasets) - staff.dataset_ids(settings))
    if unknown:
        raise ValueError(
            f"unknown dataset(s): {', '.join(unknown)}; known: {sorted(catalog.datasets)}"
        )
    store = open_store(settings)
    started = time.perf_counter()
    with store.refresh_lock():
        for leftover in store.remove_leftovers():
            say(f"removed {leftover.name}, left behind by a refresh that was stopped")
        previous = store.version_dir()
        prev_manifest = store.manifest() or {}
        staging = store.new_staging_dir()
        try:
            results = _refresh_datasets(
                settings,
                catalog,
                only,
                store,
                previous,
                {} if force else prev_manifest,
                staging,
                say,
                force,
            )
            catalog = staff.stage_datasets(settings, catalog, staging, previous, only, results, say)
            if not any(r.status == "updated" for r in results):
                store.discard(staging)
                if previous is None:
                    say("nothing could be fetched: the store stays empty")
                    return RefreshReport(None, results, time.perf_counter() - started)
                say(f"nothing changed: version {previous.name} stays")
                return RefreshReport(previous.name, results, time.perf_counter() - started)
            say("deriving indicators and building maps")
            counts = build_outputs(staging, catalog)
            manifest = _manifest(catalog, staging, results, counts)
            manifest["release"] = release_of(
                manifest, catalog, previous, prev_manifest, staging, store
            )
            version = store.publish(staging, manifest, before_publish)
        except BaseException:
            store.discard(staging)
            raise
    report = RefreshReport(version, results, time.perf_counter() - started)
    say(f"published version {version} in {report.seconds:.1f} s")
    return report


def _ordered(catalog: Catalog) -> list[Dataset]:
    """Geometry first: it tells which area codes exist."""
    return sorted(catalog.datasets.values(), key=lambda d: d.format != GEO_FIRST)


def _refresh_datasets(
    settings, catalog, only, store, previous, prev_manifest, staging, say, force=False
):
    options = FetchOptions(
        settings.fetch_timeout_s,
        settings.fetch_retries,
        settings.fetch_max_bytes,
        settings.fetch_backoff_s,
        settings.fetch_total_timeout_s,
    )
    prev_sources = prev_manifest.get("sources", {})
    results = []
    known_gm: set[str] | None = None
    for index, dataset in enumerate(_ordered(catalog), start=1):
        if dataset.format != GEO_FIRST and known_gm is None:
            known_gm = known_municipalities(staging)
        prefix = f"[{index}/{len(catalog.datasets)}] {dataset.id}"
        target = staging / "datasets" / dataset.id
        if only and dataset.id not in only:
            kept = _copy_previous(previous, dataset.id, target)
            results.append(DatasetResult(dataset.id, "kept" if kept else "skipped"))
            continue
        started = time.perf_counter()
        try:
            normalized, sources = _process(
                dataset, settings, options, prev_sources.get(dataset.id, {}), known_gm, staging
            )
            if normalized is None and _copy_previous(previous, dataset.id, target):
                result = DatasetResult(dataset.id, "unchanged")
            else:
                if normalized is None:  # unchanged upstream, but no earlier output to keep
                    normalized, sources = _process(
                        dataset, settings, options, {}, known_gm, staging
                    )
                _write_dataset(target, normalized, sources)
                result = DatasetResult(dataset.id, "updated", rows=len(normalized.observations))
                old = previous / "datasets" / dataset.id if previous is not None else None
                if not force and old is not None and same_data(old, target):
                    result = DatasetResult(
                        dataset.id, "unchanged", "same data as the version served"
                    )
            store.record_status(dataset.id, ok=True, rows=result.rows or None)
        except Exception as exc:  # one broken dataset must not stop the others
            if not isinstance(exc, SourceError):
                log.exception("unexpected error while refreshing %s", dataset.id)
                exc = SourceError(
                    dataset.id,
                    f"unexpected error in MMmeter while reading this dataset "
                    f"({type(exc).__name__}: {exc}); the file was not accepted",
                    "internal",
                )
            shutil.rmtree(target, ignore_errors=True)  # a half-written output is not kept
            kept = _copy_previous(previous, dataset.id, target)
            result = DatasetResult(dataset.id, "failed", exc.reason if not exc.source else str(exc))
            result.kind = exc.kind
            store.record_status(dataset.id, ok=False, reason=result.reason, kind=exc.kind)
            send_alert(settings.alert_webhook, dataset.id, result.reason, exc.kind, kept=kept)
            if kept:
                result.reason += " (last good version kept)"
        result.seconds = time.perf_counter() - started
        say(
            f"{prefix}: {result.status}"
            + (f" ({result.rows:,} rows)" if result.rows else "")
            + (f": {result.reason}" if result.reason else "")
            + f" [{result.seconds:.1f} s]"
        )
        results.append(result)
    return results


def known_municipalities(staging: Path) -> set[str] | None:
    """Gemeente codes of the boundaries (today's division) plus those of dissolved gemeenten."""
    codes: set[str] = set()
    for path in (staging / "datasets").glob("*/areas.parquet"):
        areas = pd.read_parquet(path)
        codes |= set(areas.loc[areas["level"] == "gm", "code"])
    if not codes:
        return None  # no boundaries at all: nothing to check against
    return codes | {change.old for change in load_changes()}


def _process(
    dataset: Dataset,
    settings: Settings,
    options: FetchOptions,
    prev_sources: dict,
    known_gm: set[str] | None = None,
    staging: Path | None = None,
):
    """Fetch every file of `dataset`; return (None, sources) when none changed, else parse."""
    fetched: dict[str, tuple] = {}
    for number, file in enumerate(dataset.files):
        location = resolve_location(file, settings.mirror)
        if location is None:
            continue
        key = f"{file.role}:{number}"
        prev = prev_sources.get(key, {})
        validators = {}
        if prev.get("location") == location:
            validators = {"etag": prev.get("etag"), "last_modified": prev.get("last_modified")}
        fetched[key] = (file, location, fetch(location, options, **validators))
    if not fetched:
        raise SourceError(dataset.id, "no file of this dataset is available from this source")
    changed = any(
        not result.not_modified
        and hashlib.sha256(result.content).hexdigest() != prev_sources.get(key, {}).get("sha256")
        for key, (_, _, result) in fetched.items()
    ) or any(  # the same file cut to another municipality (MMMETER_HOME changed)
        prev_sources.get(key, {}).get("area") != dataset.area for key in fetched
    )
    if not changed:
        return None, {key: prev_sources[key] for key in fetched}
    for key, (_, _, result) in fetched.items():
        _check_growth(result, prev_sources.get(key, {}), settings.max_growth, dataset.id)
    files: dict[str, list[RawFile]] = {}
    sources: dict[str, dict] = {}
    for key, (file, location, result) in fetched.items():
        if result.not_modified:  # another file changed: this one is needed in full too
            result = fetch(location, options)
        sources[key] = {
            "location": location,
            "etag": result.etag,
            "last_modified": result.last_modified,
            "sha256": hashlib.sha256(result.content).hexdigest(),
            "bytes": len(result.content),
            "fetched_at": utcnow(),
            "area": dataset.area,
        }
        files.setdefault(file.role, []).append(RawFile(file.role, location, result.content))
    normalized = format_function(dataset.format)(files, dataset)
    main = (files.get("main") or [next(iter(files.values()))[0]])[0].name
    _check_periods(normalized, dataset, main)
    check_known_areas(normalized.observations, known_gm, main)
    if staging is not None:
        for level in ("wk", "bu"):
            known = known_codes(staging, level)
            check_known_areas(normalized.observations, known, main, level=level)
    return normalized, sources


def _check_growth(result, previous: dict, max_growth: float, dataset_id: str) -> None:
    """Refuse a file many times larger than its last good version (an upstream mistake?)."""
    old = previous.get("bytes")
    if result.not_modified or not old or not max_growth:
        return
    new = len(result.content)
    if new > max_growth * old:
        raise SourceError(
            result.location,
            f"file is {new / old:.1f} times the size of the last good one ({new:,} bytes, was "
            f"{old:,}; the limit is {max_growth:g} times, MMMETER_MAX_GROWTH); refused as a "
            f"probable upstream error. If the new file is right, accept it with: "
            f"python -m app refresh --force {dataset_id}",
            "content",
        )


def known_codes(staging: Path, level: str) -> set[str] | None:
    """Codes of `level` that boundary datasets (with geometry) name; None when there are none."""
    codes: set[str] = set()
    for folder in (staging / "datasets").glob("*"):
        if not (folder / "geometry" / f"{level}.geojson").exists():
            continue
        areas = pd.read_parquet(folder / "areas.parquet")
        codes |= set(areas.loc[areas["level"] == level, "code"])
    return codes or None


def _check_periods(normalized: Normalized, dataset: Dataset, source: str) -> None:
    if normalized.observations.empty:
        return
    latest = normalized.observations["period"].max()
    today = dt.date.today()
    if latest > pd.Timestamp(today) + pd.Timedelta(days=1):
        raise SourceError(
            source,
            f"observations dated in the future: period {latest.date()} of "
            f"{dataset.id} lies after today ({today})",
        )


def _write_dataset(target: Path, normalized: Normalized, sources: dict) -> None:
    target.mkdir(parents=True)
    obs.conform(normalized.observations).to_parquet(target / "observations.parquet", index=False)
    obs.areas_frame(normalized.areas).to_parquet(target / "areas.parquet", index=False)
    if normalized.geometry:
        (target / "geometry").mkdir()
        for level, collection in normalized.geometry.items():
            (target / "geometry" / f"{level}.geojson").write_text(json.dumps(collection))
    meta = {"sources": sources, "notes": normalized.notes}
    (target / "sources.json").write_text(json.dumps(meta, indent=2))


DATA_FILES = ("observations.parquet", "areas.parquet")


def same_data(old: Path, new: Path) -> bool:
    """True when two dataset outputs hold the same observations, areas and geometry (a file
    that changed only in form, e.g. a byte order mark or an unused column, needs no version)."""
    if not old.exists():
        return False
    for name in DATA_FILES:
        if not pd.read_parquet(old / name).equals(pd.read_parquet(new / name)):
            return False
    old_geo = sorted(p.name for p in (old / "geometry").glob("*.geojson"))
    new_geo = sorted(p.name for p in (new / "geometry").glob("*.geojson"))
    return old_geo == new_geo and all(
        (old / "geometry" / n).read_bytes() == (new / "geometry" / n).read_bytes() for n in old_geo
    )


def _copy_previous(previous: Path | None, dataset_id: str, target: Path) -> bool:
    source = previous / "datasets" / dataset_id if previous else None
    if source is None or not source.exists():
        return False
    shutil.copytree(source, target, copy_function=_link_or_copy)
    return True


def _link_or_copy(src, dst):
    try:
        Path(dst).hardlink_to(src)
    except OSError:
        shutil.copy2(src, dst)


def load_dataset_outputs(staging: Path) -> tuple[list[pd.DataFrame], list[pd.DataFrame], dict]:
    """Observations, areas (those of geometry datasets first) and geometry of every dataset."""
    observations, areas, geometry = [], [], {}
    for folder in sorted((staging / "datasets").glob("*")):
        observations.append(pd.read_parquet(folder / "observations.parquet"))
        has_geometry = (folder / "geometry").exists()
        frame = pd.read_parquet(folder / "areas.parquet")
        areas.insert(0, frame) if has_geometry else areas.append(frame)
        for path in sorted((folder / "geometry").glob("*.geojson")):
            geometry[path.stem] = json.loads(path.read_text())
    return observations, areas, geometry


def build_outputs(staging: Path, catalog: Catalog) -> dict[str, int]:
    """Registry, derived indicators and map geometry from the per-dataset outputs, all in
    today's municipal division (data/municipal_changes.yaml)."""
    observations, areas, geometry = load_dataset_outputs(staging)
    changes, today = load_changes(), dt.date.today()
    registry = build_area_registry([recode_areas(part, changes, today) for part in areas])
    base = to_current_division(obs.concat(observations), catalog.additive_ids, changes, today)
    denominators = rate_denominators(base, registry)
    derived = derive_all(base, registry, denominators)
    derived = derived[derived["indicator"].isin(catalog.indicators)]
    counts = _write_observations(staging / "observations", derived)
    registry.to_parquet(staging / "areas.parquet", index=False)
    denominators.to_parquet(staging / DENOMINATORS, index=False)
    (staging / "geometry").mkdir(exist_ok=True)
    for level, collection in geometry.items():
        simplified = simplify_level(collection, level)
        (staging / "geometry" / f"{level}.geojson").write_text(
            json.dumps(simplified, separators=(",", ":"))
        )
    return counts


def to_current_division(
    base: pd.DataFrame,
    additive_ids: frozenset[str],
    changes: list | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Re-code gemeente figures of dissolved gemeenten to today's division: additive ones
    (the catalog's counts and populations; RIVM's history files, frozen in October 2021, are in
    the 2021 division) are summed; any other (shares, rates, means) becomes the mean of the
    parts weighted by their inhabitants (`_part_weights`)."""
    changes = load_changes() if changes is None else changes
    today = today or dt.date.today()
    gone = dissolved_by(changes, today)
    # only rows of dissolved gemeenten and of those they went to can change
    affected = gone | {new for code in gone for new in successors(code, changes, today)}
    touched = obs.has_prefix(base["area"], "GM") & base["area"].isin(sorted(affected))
    if not base["area"].isin(sorted(gone)).any():
        return base
    other = touched & ~base["indicator"].isin(sorted(additive_ids))
    summed = touched & ~other
    parts = [base[~touched]]
    if summed.any():
        parts.append(to_division(base[summed], changes, today))
    if other.any():
        weights = _part_weights(base, gone)
        parts.append(to_division_weighted(base[other], changes, today, weights))
    return obs.concat(parts)


def _part_weights(base: pd.DataFrame, gone: set[str]) -> pd.Series:
    """Inhabitants by gemeente code in the last year that still has figures for dissolved
    gemeenten (one year for all parts, in the division of that year)."""
    pop = base[(base["indicator"] == "population") & obs.has_prefix(base["area"], "GM")]
    pop = pop.dropna(subset=["value"]).assign(area=lambda f: f["area"].astype(str))
    years = pop.loc[pop["area"].isin(gone), "period"]
    if years.empty:
        return pd.Series(dtype="float64")
    chosen = pop[pop["period"] == years.max()]
    return chosen.groupby("area")["value"].last()


def rate_denominators(base: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """The population each area divides by in each year of the data (data/population.py)."""
    if base.empty:
        return pd.DataFrame(columns=population.COLUMNS)
    years = base["period"].dt.year
    parents = registry.loc[registry["level"] == "gm"].set_index("code")["parent"]
    return population.denominators(
        population.municipal_vintages(base), parents, range(years.min(), years.max() + 1)
    )


def _write_observations(folder: Path, derived: pd.DataFrame) -> dict[str, int]:
    """One Parquet file per indicator, rows sorted by area and period (row groups then let a
    query for one area read little)."""
    folder.mkdir(parents=True, exist_ok=True)
    indicator = derived["indicator"].cat
    area = derived["area"].cat
    order = np.lexsort(
        (derived["period"].to_numpy(), area.codes.to_numpy(), indicator.codes.to_numpy())
    )
    sorted_codes = indicator.codes.to_numpy()[order]
    bounds = np.flatnonzero(np.diff(sorted_codes)) + 1
    counts = {}
    for rows in np.split(order, bounds):
        if not len(rows):
            continue
        part = derived.take(rows)
        name = str(part["indicator"].iloc[0])
        part = part.assign(area=part["area"].cat.remove_unused_categories())
        part.to_parquet(folder / f"{name}.parquet", index=False, row_group_size=20_000)
        counts[name] = len(part)
    return dict(sorted(counts.items()))


def _manifest(catalog: Catalog, staging: Path, results: list[DatasetResult], counts: dict) -> dict:
    sources = {}
    for folder in (staging / "datasets").glob("*"):
        meta = json.loads((folder / "sources.json").read_text())
        sources[folder.name] = meta["sources"]
    denominators = pd.read_parquet(staging / DENOMINATORS)
    rates = {rate for ids in DERIVED.values() for rate in ids[1:]}
    rate_years = {
        year
        for name in counts
        if name in rates
        for year in pd.read_parquet(
            staging / "observations" / f"{name}.parquet", columns=["period"]
        )["period"].dt.year.unique()
    }
    return {
        "version": new_version_id(),
        "created_at": utcnow(),
        "row_counts": counts,
        "rate_population_years": population.years_used(denominators, rate_years),
        "total_rows": sum(counts.values()),
        "sources": sources,
        "datasets": {r.dataset: {"status": r.status, "reason": r.reason} for r in results},
    }


def _parquet_loader(path: Path | None) -> Callable[[], pd.DataFrame | None]:
    def load() -> pd.DataFrame | None:
        return pd.read_parquet(path) if path is not None and path.exists() else None

    return load


def release_of(
    manifest: dict,
    catalog: Catalog,
    previous: Path | None,
    prev_manifest: dict,
    staging: Path,
    store: StoreBackend,
) -> dict:
    """What this version changes against the one before (data/releases.py), per dataset and
    per indicator. The previous indicators are read through `store.read_observations` (the
    PostgreSQL store keeps them in tables, not in `previous`); where `previous` has the file
    of an indicator with the same bytes as the new one, it is not read at all."""
    old_root = previous if previous is not None and previous.exists() else None
    old_version = old_root.name if old_root else None  # version_dir is named by the version
    statuses = {name: entry["status"] for name, entry in manifest["datasets"].items()}
    datasets = {}
    for folder in sorted((staging / "datasets").glob("*")):
        old = old_root / "datasets" / folder.name / "observations.parquet" if old_root else None
        datasets[folder.name] = (
            statuses.get(folder.name, "unchanged"),
            _parquet_loader(old),
            _parquet_loader(folder / "observations.parquet"),
        )
    new_files = {p.stem: p for p in (staging / "observations").glob("*.parquet")}
    old_names = _stored_indicators(store, old_version, old_root)
    indicators = {}
    for name in sorted(set(new_files) | old_names):
        new = new_files.get(name)
        old_file = old_root / "observations" / f"{name}.parquet" if old_root else None
        if (
            new is not None
            and old_file is not None
            and old_file.is_file()
            and filecmp.cmp(old_file, new, shallow=False)
        ):
            continue
        load_old = _stored_loader(store, old_version, name) if name in old_names else _none
        indicators[name] = (load_old, _parquet_loader(new))
    datasets_of = {i: list(ind.dataset) for i, ind in catalog.indicators.items()}
    before = prev_manifest.get("release") if old_root else None
    return releases.release_record(
        manifest["version"], manifest["created_at"], before, datasets, indicators, datasets_of
    )


def _stored_indicators(store: StoreBackend, version: str | None, folder: Path | None) -> set[str]:
    """The indicators with observations in a stored version: from its files where it has them
    (the file store), else from the store (one query in PostgreSQL)."""
    if version is None or folder is None:
        return set()
    if (folder / "observations").is_dir():
        return {p.stem for p in (folder / "observations").glob("*.parquet")}
    return set(store.observation_areas(version))


def _none() -> None:
    return None


def _stored_loader(
    store: StoreBackend, version: str, indicator: str
) -> Callable[[], pd.DataFrame | None]:
    """The observations of `indicator` in a stored version, with their indicator column (the
    store answers area, period and value)."""

    def load() -> pd.DataFrame | None:
        frame = store.read_observations(version, indicator)
        return None if frame is None else frame.assign(indicator=indicator)

    return load
