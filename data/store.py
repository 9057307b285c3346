"""The versioned store: Parquet + manifest per version, swapped in atomically.

Layout under the store root:
    versions/<version>/manifest.json
    versions/<version>/datasets/<dataset>/{observations,areas}.parquet, geometry/<level>.geojson
    versions/<version>/observations/<indicator>.parquet   base + derived, sorted by area, period
    versions/<version>/areas.parquet                      the area registry
    versions/<version>/geometry/<level>.geojson           simplified for maps
    current -> versions/<version>                         a symlink, replaced atomically
    status.json                                           per dataset: last success / failure
    releases.jsonl                                        append-only: what each version changed
    pins.json                                             versions a permalink names
Web workers only read, except `pin` (a permalink being made); one refresh at a time writes
(guarded by a lock file).

Pruning keeps every version a page may still show: the current one, the last `keep_versions`,
all younger than `keep_hours` (a page opened yesterday still finds its map geometry) and every
pinned one. A file that is the same as in the version before is a hard link to it, so a kept
version costs only the files that changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import filecmp
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path

import pandas as pd

from data.cache import LocalMemo

KEEP_VERSIONS = 5
KEEP_HOURS = 24.0
STAGING_MAX_AGE_S = 6 * 3600
_release_logs = LocalMemo(4)  # parsed release logs, per file state
VERSION_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}")  # what a version may be called


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_json_atomic(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


class Store:
    def __init__(
        self, root: Path, keep_versions: int = KEEP_VERSIONS, keep_hours: float = KEEP_HOURS
    ):
        self.root = Path(root)
        self.keep_versions = max(1, keep_versions)
        self.keep_hours = keep_hours
        self.versions = self.root / "versions"
        self.current_link = self.root / "current"
        self.status_path = self.root / "status.json"
        self.releases_path = self.root / "releases.jsonl"
        self.pins_path = self.root / "pins.json"

    # --- reading -------------------------------------------------------------------------
    def current_version(self) -> str | None:
        try:
            return Path(os.readlink(self.current_link)).name
        except (FileNotFoundError, OSError):
            return None

    def version_dir(self, version: str | None = None) -> Path | None:
        version = version or self.current_version()
        return self.versions / version if version else None

    def manifest(self, version: str | None = None) -> dict | None:
        folder = self.version_dir(version)
        if folder is None:
            return None
        try:
            return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def kept_versions(self) -> list[str]:
        """The published versions still in the store, oldest first."""
        if not self.versions.exists():
            return []
        return sorted(p.name for p in self.versions.iterdir() if not p.name.startswith("."))

    def has_version(self, version: str) -> bool:
        """True when `version` is a published version still in the store."""
        if not isinstance(version, str) or not VERSION_ID.fullmatch(version):
            return False
        return (self.versions / version / "manifest.json").is_file()

    def release_log(self) -> list[dict]:
        """The release records of every version ever published, oldest first (data/releases.py);
        parsed once per state of the file and process (read-only: callers copy to change)."""
        try:
            stat = self.releases_path.stat()
        except FileNotFoundError:
            return []
        key = (str(self.releases_path), stat.st_size, stat.st_mtime_ns)
        found = _release_logs.get(key)
        if found is None:
            found = []
            for line in self.releases_path.read_text(encoding="utf-8").splitlines():
                with contextlib.suppress(json.JSONDecodeError):  # a line a crash cut short
                    found.append(json.loads(line))
            _release_logs.put(key, found)
        return found

    def append_release(self, record: dict) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
        with self._locked("releases.lock"), open(self.releases_path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def pins(self) -> dict[str, dict]:
        """Pinned versions (named by a permalink): version -> {pinned_at, links}."""
        try:
            return json.loads(self.pins_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def pin(self, version: str) -> bool:
        """Keep `version` for good (a permalink names it); False when it is not (or no longer)
        in the store. Under the pins lock, which pruning takes too: a version is either pinned
        before pruning looks, or already gone."""
        with self._locked("pins.lock"):
            if not self.has_version(version):
                return False
            pins = self.pins()
            entry = pins.setdefault(version, {"pinned_at": utcnow(), "links": 0})
            entry["links"] = int(entry.get("links", 0)) + 1
            write_json_atomic(self.pins_path, pins)
            return True

    def status(self) -> dict:
        try:
            return json.loads(self.status_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"datasets": {}}

    # --- what a version holds (the reading side of data.stores.StoreBackend) ---------------
    def _file(self, version: str, *parts: str) -> Path:
        return self.versions.joinpath(version, *parts)

    def read_observations(
        self,
        version: str,
        indicator: str,
        areas: Sequence[str] | None = None,
        columns: Sequence[str] = ("area", "period", "value"),
        periods: Sequence | None = None,
    ) -> pd.DataFrame | None:
        """Observations of `indicator` (of `areas` and `periods`, default all), or None when it
        has none."""
        path = self._file(version, "observations", f"{indicator}.parquet")
        if not path.exists():
            return None
        filters = [] if areas is None else [("area", "in", list(areas))]
        if periods is not None:
            filters.append(("period", "in", [pd.Timestamp(p) for p in periods]))
        return pd.read_parquet(path, columns=list(columns), filters=filters or None)

    def observation_areas(self, version: str) -> dict[str, list[str]]:
        """The area codes with observations, per indicator."""
        return {
            path.stem: pd.read_parquet(path, columns=["area"])["area"].unique().astype(str).tolist()
            for path in sorted(self._file(version, "observations").glob("*.parquet"))
        }

    def read_areas(self, version: str) -> pd.DataFrame | None:
        path = self._file(version, "areas.parquet")
        return pd.read_parquet(path) if path.exists() else None

    def read_geometry(self, version: str, level: str) -> dict | None:
        path = self._file(version, "geometry", f"{level}.geojson")
        return json.loads(path.read_text()) if path.is_file() else None

    def read_dataset_observations(
        self, version: str, dataset_id: str, columns: Sequence[str]
    ) -> pd.DataFrame | None:
        """The observations of one dataset's own output (before deriving)."""
        path = self._file(version, "datasets", dataset_id, "observations.parquet")
        return pd.read_parquet(path, columns=list(columns)) if path.exists() else None

    def read_version_file(self, version: str, path: str) -> bytes | None:
        """Another file the pipeline wrote into the version (e.g. `denominators.parquet`)."""
        target = self._file(version, *path.split("/"))
        return target.read_bytes() if target.is_file() and ".." not in path else None

    def read_dataset_files(self, version: str | None, name: str) -> dict[str, bytes]:
        """The file `name` of every dataset output that has one, by dataset id."""
        folder = self.version_dir(version)
        if folder is None:
            return {}
        return {p.parent.name: p.read_bytes() for p in sorted(folder.glob(f"datasets/*/{name}"))}

    # --- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self, name: str) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / name, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def refresh_lock(self) -> contextlib.AbstractContextManager[None]:
        """One refresh at a time, across processes (CLI, scheduler, app start)."""
        return self._locked("refresh.lock")

    def remove_leftovers(self) -> list[Path]:
        """Remove what a refresh that was killed left behind (call with the refresh lock held).

        Only one refresh at a time holds the lock, so every staging folder and temporary file
        found then belongs to a refresh that died; the published versions are untouched.
        """
        found: list[Path] = []
        if self.versions.exists():
            found += [
                p for p in self.versions.iterdir() if p.name.startswith((".staging-", ".trash-"))
            ]
        if self.root.exists():
            found += list(self.root.glob(".current-*"))
            found += list(self.root.glob(".*.tmp"))
        for path in found:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return found

    def new_staging_dir(self) -> Path:
        self.versions.mkdir(parents=True, exist_ok=True)
        path = self.versions / f".staging-{uuid.uuid4().hex}"
        path.mkdir()
        return path

    def publish(
        self, staging: Path, manifest: dict, before_swap: Callable[[str], None] | None = None
    ) -> str:
        """Write the manifest, move the staging dir to its version name, swap `current`.

        `before_swap(version)` runs when the version is complete and readable by its id but not
        yet current (to warm the cache with its pages); if it raises, nothing is published.
        """
        version = manifest["version"]
        previous = self.version_dir()
        if previous is not None and previous.exists():
            share_unchanged_files(previous, staging)
        write_json_atomic(staging / "manifest.json", manifest)
        final = self.versions / version
        os.replace(staging, final)
        if before_swap is not None:
            try:
                before_swap(version)
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
        tmp_link = self.root / f".current-{uuid.uuid4().hex}"
        os.symlink(Path("versions") / version, tmp_link)
        os.replace(tmp_link, self.current_link)
        if isinstance(manifest.get("release"), dict):
            self.append_release(manifest["release"])
        self._prune()
        return version

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def record_status(
        self,
        dataset_id: str,
        *,
        ok: bool,
        reason: str | None = None,
        kind: str | None = None,
        **extra,
    ) -> None:
        """Record one attempt: `last_success`, or `last_failure` with its reason and kind
        (data.errors.FAILURE_KINDS); `failing` says whether the latest attempt failed."""
        status = self.status()
        entry = status.setdefault("datasets", {}).setdefault(dataset_id, {})
        update_status_entry(entry, ok=ok, reason=reason, kind=kind, **extra)
        write_json_atomic(self.status_path, status)

    def record_next_attempt(self, dataset_ids: list[str], when: str) -> None:
        """When the scheduler tries these (failed) datasets again, as a UTC timestamp."""
        status = self.status()
        for dataset_id in dataset_ids:
            status.setdefault("datasets", {}).setdefault(dataset_id, {})["next_attempt"] = when
        write_json_atomic(self.status_path, status)

    def prunable(self, now: dt.datetime | None = None) -> list[str]:
        """Versions no page shows any more: not current, not pinned by a permalink, not among
        the last `keep_versions`, older than `keep_hours`."""
        return versions_to_prune(
            self.kept_versions(),
            self.current_version(),
            self.keep_versions,
            self.keep_hours,
            now,
            pinned=self.pins(),
        )

    def _prune(self) -> None:
        with self._locked("pins.lock"):
            for version in self.prunable():
                # Renamed first, so that a crash mid-way never leaves half a version readable.
                trash = self.versions / f".trash-{version}"
                os.replace(self.versions / version, trash)
                shutil.rmtree(trash, ignore_errors=True)
        for stale in self.versions.glob(".staging-*"):
            age = dt.datetime.now().timestamp() - stale.stat().st_mtime
            if age > STAGING_MAX_AGE_S:
                shutil.rmtree(stale, ignore_errors=True)


def update_status_entry(
    entry: dict, *, ok: bool, reason: str | None = None, kind: str | None = None, **extra
) -> dict:
    """One attempt recorded in a dataset's status entry (the rule of every store backend)."""
    now = utcnow()
    if ok:
        entry.update(last_success=now, failing=False, **extra)
    else:
        entry.update(
            last_failure=now, last_failure_reason=reason, last_failure_kind=kind, failing=True
        )
    entry.pop("next_attempt", None)
    return entry


def versions_to_prune(
    versions: list[str],
    current: str | None,
    keep_versions: int,
    keep_hours: float,
    now: dt.datetime | None = None,
    pinned: Collection[str] = (),
) -> list[str]:
    """Of `versions`, those no page shows any more: not current, not pinned by a permalink,
    not among the last `keep_versions`, older than `keep_hours` (the rule of every store
    backend)."""
    now = now or dt.datetime.now(dt.UTC)
    old = sorted(versions)[: -max(1, keep_versions)]
    limit = dt.timedelta(hours=keep_hours)
    return [v for v in old if v != current and v not in pinned and now - version_time(v) > limit]


def share_unchanged_files(previous: Path, staging: Path) -> int:
    """Replace each file of `staging` that has the same bytes as the file of that name in
    `previous` by a hard link to it (Parquet and GeoJSON are written deterministically, so an
    unchanged dataset or indicator gives the same bytes); returns the bytes saved."""
    saved = 0
    for path in staging.rglob("*"):
        if not path.is_file() or path.is_symlink() or path.name == "manifest.json":
            continue
        old = previous / path.relative_to(staging)
        try:
            same_inode = old.stat().st_ino == path.stat().st_ino
        except FileNotFoundError:
            continue
        if same_inode or not filecmp.cmp(old, path, shallow=False):
            continue
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.link")
        try:
            tmp.hardlink_to(old)
        except OSError:  # another file system, or no hard links: keep the copy
            continue
        saved += path.stat().st_size
        os.replace(tmp, path)
    return saved


VERSION_FORMAT = "%Y%m%dT%H%M%S%fZ"


def new_version_id() -> str:
    return dt.datetime.now(dt.UTC).strftime(VERSION_FORMAT)


def version_time(version: str) -> dt.datetime:
    """When a version was made (its id is the time; an id of another form: long ago)."""
    try:
        return dt.datetime.strptime(version, VERSION_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
