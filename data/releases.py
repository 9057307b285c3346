"""Store versions as releases: what changed per dataset against the version before.

`diff_observations(old, new)` is the one rule (a pure function over two observation frames): rows
added, changed and removed, keyed on (indicator, area, period), the row count, the last period
and a checksum of the rows. `release_record` applies it per dataset (and per indicator, with
the areas that got new or changed figures, for the update feeds) and gives the record that goes
into the version's manifest (`release`) and the store's append-only release log.

The log outlives pruning: `release_history(store, dataset_id)` and `release(store, version)`
read it (and, for a version whose log line a crash lost, its manifest). The store only has to
offer `append_release(record)`, `release_log()` and `manifest(version)`; nothing here knows
how a store keeps its files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

KEYS = ["indicator", "area", "period"]
MAX_AREAS = 5000  # areas listed per dataset and release (more: the list is cut, said so)
RELATIVE_TOLERANCE = 1e-9  # a recomputed mean that differs in its last bits is not a change


@dataclass(frozen=True)
class Change:
    """What changed between two versions of a set of observations."""

    rows: int
    added: int
    changed: int
    removed: int
    checksum: str
    first_period: str | None
    last_period: str | None
    previous_last_period: str | None
    areas: list[str] = field(default_factory=list)  # with added, changed or removed rows

    @property
    def new_last_period(self) -> bool:
        return self.last_period is not None and (
            self.previous_last_period is None or self.last_period > self.previous_last_period
        )

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def as_dict(self, *, with_areas: bool = True) -> dict:
        out = asdict(self)
        out["new_last_period"] = self.new_last_period
        if not with_areas:
            out.pop("areas")
        return out


def _plain(frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is None or frame.empty:
        empty = {k: pd.Series(dtype=object) for k in ("indicator", "area")}
        return pd.DataFrame(empty | {"period": pd.Series(dtype="datetime64[ns]"), "value": []})
    out = frame[[*KEYS, "value"]]
    return out.assign(
        period=pd.to_datetime(out["period"]).astype("datetime64[ns]"),
        value=out["value"].astype("float64"),
    ).reset_index(drop=True)


def _period(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _row_keys(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of (indicator, area, period), from the values themselves (a
    categorical hashes like its strings), so two frames' keys compare."""
    return pd.util.hash_pandas_object(frame[KEYS], index=False, categorize=True).to_numpy()


def checksum(frame: pd.DataFrame | None) -> str:
    """sha256 of the sorted row hashes (keys and value): the same observations give the same
    checksum, whatever their order, dtypes or the file they came in."""
    plain = _plain(frame)
    rows = pd.util.hash_pandas_object(plain, index=False, categorize=True).to_numpy()
    return "sha256:" + hashlib.sha256(np.sort(rows).tobytes()).hexdigest()


def _differs(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    both_nan = np.isnan(old) & np.isnan(new)
    close = np.isclose(old, new, rtol=RELATIVE_TOLERANCE, atol=0.0)
    return ~(both_nan | close)


def _areas(frame: pd.DataFrame, mask: np.ndarray) -> set[str]:
    """The area codes of the rows in `mask` (through a categorical's codes: millions of rows
    share a few hundred codes)."""
    if not mask.any():
        return set()
    area = frame["area"]
    if isinstance(area.dtype, pd.CategoricalDtype):
        codes = np.unique(area.cat.codes.to_numpy()[mask])
        return {str(code) for code in area.cat.categories.take(codes[codes >= 0])}
    return {str(a) for a in pd.unique(area.to_numpy()[mask])}


def diff_observations(old: pd.DataFrame | None, new: pd.DataFrame | None) -> Change:
    """Rows of `new` not in `old` (added), in both with another value (changed), in `old` only
    (removed); `old` None: everything is added (the first release). Rows are matched on
    (indicator, area, period), which the pipeline keeps unique."""
    before, after = _plain(old), _plain(new)
    if before.empty:  # the first release of these rows: no keys to match
        position = np.full(len(after), -1)
    else:
        position = pd.Index(_row_keys(before)).get_indexer(_row_keys(after))
    matched = position >= 0
    changed = np.zeros(len(after), dtype=bool)
    changed[matched] = _differs(
        before["value"].to_numpy()[position[matched]], after["value"].to_numpy()[matched]
    )
    kept_old = np.zeros(len(before), dtype=bool)
    kept_old[position[matched]] = True
    areas = _areas(after, changed | ~matched) | _areas(before, ~kept_old)
    return Change(
        rows=len(after),
        added=int((~matched).sum()),
        changed=int(changed.sum()),
        removed=int((~kept_old).sum()),
        checksum=checksum(after),
        first_period=_period(after["period"].min()) if len(after) else None,
        last_period=_period(after["period"].max()) if len(after) else None,
        previous_last_period=_period(before["period"].max()) if len(before) else None,
        areas=sorted(areas),
    )


def unchanged(frame: pd.DataFrame, previous: Mapping | None = None) -> Change:
    """The Change of a dataset whose observations are those of the version before (its checksum
    reused from that version's record when there is one)."""
    plain = _plain(frame)
    last = _period(plain["period"].max()) if len(plain) else None
    return Change(
        rows=len(plain),
        added=0,
        changed=0,
        removed=0,
        checksum=(previous or {}).get("checksum") or checksum(plain),
        first_period=_period(plain["period"].min()) if len(plain) else None,
        last_period=last,
        previous_last_period=last,
    )


Load = Callable[[], pd.DataFrame | None]


def release_record(
    version: str,
    created_at: str,
    previous: Mapping | None,
    datasets: Mapping[str, tuple[str, Load, Load]],
    indicators: Mapping[str, tuple[Load, Load]],
    datasets_of: Mapping[str, list[str]],
) -> dict:
    """The release of `version`: per dataset (`datasets`: id -> (refresh status, loader of the
    previous observations, loader of the new ones)) what changed, with per indicator of that
    dataset (`indicators`: id -> (old, new) loaders of the derived observations, only those
    whose file changed; `datasets_of`: indicator -> its catalog datasets) the counts and the
    areas whose figures changed. `previous` is the release record of the version before."""
    before = (previous or {}).get("datasets", {})
    per_dataset: dict[str, dict] = {}
    for dataset_id, (status, load_old, load_new) in sorted(datasets.items()):
        new = load_new()
        if new is None:
            continue
        earlier = before.get(dataset_id)
        if status == "updated" or earlier is None:
            change = diff_observations(load_old() if earlier is not None else None, new)
        else:
            change = unchanged(new, earlier)
        entry = change.as_dict(with_areas=False)
        entry.update(status=status, indicators={}, areas=[], areas_truncated=False)
        per_dataset[dataset_id] = entry
    for indicator_id, (load_old, load_new) in sorted(indicators.items()):
        change = diff_observations(load_old(), load_new())
        if not change.any:
            continue
        owners = [d for d in datasets_of.get(indicator_id, []) if d in per_dataset]
        updated = [d for d in owners if per_dataset[d]["status"] == "updated"]
        for dataset_id in updated or owners[:1]:
            entry = per_dataset[dataset_id]
            entry["indicators"][indicator_id] = change.as_dict(with_areas=False)
            entry["areas"] = sorted(set(entry["areas"]) | set(change.areas))
    for entry in per_dataset.values():
        if len(entry["areas"]) > MAX_AREAS:
            entry["areas"], entry["areas_truncated"] = entry["areas"][:MAX_AREAS], True
    return {
        "version": version,
        "created_at": created_at,
        "previous": (previous or {}).get("version"),
        "datasets": per_dataset,
    }


def changed_datasets(record: Mapping) -> list[str]:
    """The datasets of a release with added, changed or removed rows."""
    return [
        d
        for d, e in record.get("datasets", {}).items()
        if e.get("added") or e.get("changed") or e.get("removed") or e.get("indicators")
    ]


# --- readers over any store with release_log() and manifest(version) -----------------------


def releases(store) -> list[dict]:
    """Every release the store knows, oldest first: its log, plus the release records in the
    manifests of kept versions that the log lacks (a crash between publish and the log line)."""
    found: dict[str, dict] = {}
    for record in store.release_log():
        found[record["version"]] = record
    for version in _kept_versions(store):
        if version not in found:
            manifest = store.manifest(version) or {}
            if isinstance(manifest.get("release"), dict):
                found[version] = manifest["release"]
    return [found[v] for v in sorted(found)]


def _kept_versions(store) -> Iterable[str]:
    kept = getattr(store, "kept_versions", None)
    return kept() if kept else []


def release(store, version: str) -> dict | None:
    """The release record of `version` (None: the store never had it)."""
    for record in reversed(releases(store)):
        if record["version"] == version:
            return record
    return None


def release_history(store, dataset_id: str) -> list[dict]:
    """Every release `dataset_id` was in, newest first: version, date and its entry (rows,
    checksum, added, changed, removed, last period)."""
    history = []
    for record in releases(store):
        entry = record.get("datasets", {}).get(dataset_id)
        if entry is not None:
            when = {"version": record["version"], "created_at": record["created_at"]}
            history.append(when | entry)
    return history[::-1]


def latest_release(store) -> dict | None:
    found = releases(store)
    return found[-1] if found else None


def visible(
    record: Mapping, dataset_ids: Iterable[str], indicator_ids: Iterable[str] | None = None
) -> dict:
    """`record` with only the datasets in `dataset_ids` and the indicators in `indicator_ids`
    (those the reader's catalog shows: internal ones stay with staff)."""
    keep = set(dataset_ids)
    shown = None if indicator_ids is None else set(indicator_ids)
    datasets = {}
    for dataset_id, entry in record.get("datasets", {}).items():
        if dataset_id not in keep:
            continue
        if shown is not None and entry.get("indicators"):
            indicators = {i: c for i, c in entry["indicators"].items() if i in shown}
            entry = {**entry, "indicators": indicators}
        datasets[dataset_id] = entry
    return {**record, "datasets": datasets}


def indicator_changes(records: Iterable[Mapping], indicator_id: str) -> list[tuple[Mapping, dict]]:
    """(release, change of `indicator_id`) for each release that changed it, newest first."""
    found = []
    for record in records:
        for entry in record.get("datasets", {}).values():
            change = entry.get("indicators", {}).get(indicator_id)
            if change:
                found.append((record, change))
                break
    return sorted(found, key=lambda pair: pair[0]["version"], reverse=True)


def area_changes(records: Iterable[Mapping], code: str) -> list[tuple[Mapping, dict[str, dict]]]:
    """(release, {dataset: entry}) for each release with new or changed figures for the area
    `code`, newest first."""
    found = []
    for record in records:
        touched = {
            d: e for d, e in record.get("datasets", {}).items() if code in (e.get("areas") or [])
        }
        if touched:
            found.append((record, touched))
    return sorted(found, key=lambda pair: pair[0]["version"], reverse=True)
