"""The store in PostgreSQL (`DATABASE_URL=postgresql://...`): the same versions as the file
store (data/store.py), in tables, so several web hosts and one clock share one store.

Tables (created when missing):
    mmmeter_version            one row per version: id, manifest, published
    mmmeter_current            one row: the version being served
    mmmeter_series             one indicator's observations, by the checksum of their Parquet
    mmmeter_observation        (series, area, period, value): rows of a series
    mmmeter_version_indicator  which series each indicator of a version has (unchanged
                               indicators share their series between versions)
    mmmeter_area               the area registry of a version
    mmmeter_geometry           the simplified map geometry of a version, per level
    mmmeter_file               the per-dataset outputs of a version (the input of the next
                               refresh: sources, checksums, staff metadata) and other files
    mmmeter_status             per dataset: last success / failure
    mmmeter_release            the release log: one record per version ever published
                               (data/releases.py), in the order they were published
    mmmeter_pin                versions a permalink names: never pruned
    mmmeter_queue(_file)       the writer's refresh requests (data/pgqueue.py)

A refresh still builds its version in a local staging folder (the pipeline is the same);
`publish` copies it in one transaction, runs `before_swap` (warming the cache), and then points
`mmmeter_current` at it and appends its release record in a second transaction, and prunes
in a third. Pruning and `pin` take the same transaction-level advisory lock, so a version is
either pinned before pruning looks or already gone. A reader learns a version only
from `mmmeter_current` (or a version id it was given), so it never sees a half-written one.
One refresh at a time across hosts: a PostgreSQL advisory lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from psycopg import sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from data.cache import LocalMemo
from data.pgqueue import SCHEMA as QUEUE_SCHEMA
from data.pgqueue import PostgresQueue
from data.store import (
    KEEP_HOURS,
    KEEP_VERSIONS,
    VERSION_ID,
    update_status_entry,
    utcnow,
    versions_to_prune,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS mmmeter_version (
    id serial PRIMARY KEY,
    version text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    published boolean NOT NULL DEFAULT false,
    manifest jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS mmmeter_current (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version_id integer NOT NULL REFERENCES mmmeter_version (id)
);
CREATE TABLE IF NOT EXISTS mmmeter_series (
    id serial PRIMARY KEY,
    sha256 text NOT NULL UNIQUE,
    areas text[] NOT NULL
);
CREATE TABLE IF NOT EXISTS mmmeter_observation (
    series integer NOT NULL REFERENCES mmmeter_series (id) ON DELETE CASCADE,
    area text NOT NULL,
    period timestamp,
    value double precision
);
CREATE INDEX IF NOT EXISTS mmmeter_observation_series_area
    ON mmmeter_observation (series, area, period);
CREATE TABLE IF NOT EXISTS mmmeter_version_indicator (
    version_id integer NOT NULL REFERENCES mmmeter_version (id) ON DELETE CASCADE,
    indicator text NOT NULL,
    series integer NOT NULL REFERENCES mmmeter_series (id),
    PRIMARY KEY (version_id, indicator)
);
CREATE INDEX IF NOT EXISTS mmmeter_version_indicator_series
    ON mmmeter_version_indicator (series);
CREATE TABLE IF NOT EXISTS mmmeter_area (
    version_id integer NOT NULL REFERENCES mmmeter_version (id) ON DELETE CASCADE,
    position integer NOT NULL,
    code text NOT NULL,
    name text,
    level text,
    parent text,
    PRIMARY KEY (version_id, position)
);
CREATE TABLE IF NOT EXISTS mmmeter_geometry (
    version_id integer NOT NULL REFERENCES mmmeter_version (id) ON DELETE CASCADE,
    level text NOT NULL,
    body json NOT NULL,
    PRIMARY KEY (version_id, level)
);
CREATE TABLE IF NOT EXISTS mmmeter_file (
    version_id integer NOT NULL REFERENCES mmmeter_version (id) ON DELETE CASCADE,
    path text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (version_id, path)
);
CREATE TABLE IF NOT EXISTS mmmeter_status (
    dataset text PRIMARY KEY,
    entry jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS mmmeter_release (
    id bigserial PRIMARY KEY,
    version text NOT NULL UNIQUE,
    record jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS mmmeter_pin (
    version text PRIMARY KEY,
    pinned_at text NOT NULL,
    links integer NOT NULL DEFAULT 0
);
"""
SCHEMA_LOCK = 0x6D6D_0001  # advisory lock keys (any constant the app alone uses)
REFRESH_LOCK = 0x6D6D_0002
PINS_LOCK = 0x6D6D_0003  # pin and prune: one at a time
POOL_SIZE = 10
AREA_COLUMNS = ["code", "name", "level", "parent"]
LOCAL_VERSIONS_KEPT = 2  # materialized version folders of the writer (version_dir)


class PostgresStore:
    """The store backend of data.stores.StoreBackend in a PostgreSQL database."""

    def __init__(
        self,
        url: str,
        root: Path,
        keep_versions: int = KEEP_VERSIONS,
        keep_hours: float = KEEP_HOURS,
    ) -> None:
        self.url = url
        self.root = Path(root)  # local: clock lock, staging folders
        self.keep_versions = max(1, keep_versions)
        self.keep_hours = keep_hours
        self._pool: ConnectionPool | None = None
        self._pool_pid: int | None = None
        self._pool_lock = threading.Lock()
        self._immutable = LocalMemo(512)  # what a version holds never changes

    def __repr__(self) -> str:
        return f"PostgresStore({psycopg.conninfo.conninfo_to_dict(self.url).get('dbname')!r})"

    # --- connections ----------------------------------------------------------------------
    def _connection(self) -> contextlib.AbstractContextManager[psycopg.Connection]:
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():  # not across a fork
                self._pool = ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=POOL_SIZE,
                    kwargs={"autocommit": True},
                    open=True,
                    timeout=30,
                )
                self._pool_pid = os.getpid()
                with self._pool.connection() as conn, conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    conn.execute(SCHEMA)
                    conn.execute(QUEUE_SCHEMA)
            return self._pool.connection()

    def write_queue(self) -> PostgresQueue:
        """The writer's refresh requests, in this database (data/writequeue.py)."""
        return PostgresQueue(self._connection)

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None and self._pool_pid == os.getpid():
                self._pool.close()
            self._pool = None

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    def _version_id(self, version: str) -> int | None:
        """The row id of a (stored) version; remembered: ids are never reused."""
        found = self._immutable.get(("id", version))
        if found is None:
            rows = self._query("SELECT id FROM mmmeter_version WHERE version = %s", (version,))
            if not rows:
                return None
            found = rows[0][0]
            self._immutable.put(("id", version), found)
        return found

    # --- reading --------------------------------------------------------------------------
    def current_version(self) -> str | None:
        rows = self._query(
            "SELECT v.version FROM mmmeter_current c JOIN mmmeter_version v ON v.id = c.version_id"
        )
        return rows[0][0] if rows else None

    def versions(self) -> list[str]:
        """The published versions, oldest first (the release history)."""
        rows = self._query("SELECT version FROM mmmeter_version WHERE published ORDER BY version")
        return [row[0] for row in rows]

    def kept_versions(self) -> list[str]:
        """The published versions still in the store, oldest first."""
        return self.versions()

    def has_version(self, version: str) -> bool:
        """True when `version` is a published version still in the store."""
        if not isinstance(version, str) or not VERSION_ID.fullmatch(version):
            return False
        rows = self._query(
            "SELECT 1 FROM mmmeter_version WHERE version = %s AND published", (version,)
        )
        return bool(rows)

    def release_log(self) -> list[dict]:
        """The release records of every version ever published, in the order they were
        published (data/releases.py; read-only: callers copy to change)."""
        return [row[0] for row in self._query("SELECT record FROM mmmeter_release ORDER BY id")]

    def append_release(self, record: dict) -> None:
        with self._connection() as conn:
            _put_release(conn, record)

    def pins(self) -> dict[str, dict]:
        """Pinned versions (named by a permalink): version -> {pinned_at, links}."""
        rows = self._query("SELECT version, pinned_at, links FROM mmmeter_pin ORDER BY version")
        return {v: {"pinned_at": at, "links": links} for v, at, links in rows}

    def pin(self, version: str) -> bool:
        """Keep `version` for good (a permalink names it); False when it is not (or no longer)
        in the store. Under the pins lock, which pruning takes too: a version is either pinned
        before pruning looks, or already gone."""
        if not isinstance(version, str) or not VERSION_ID.fullmatch(version):
            return False
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (PINS_LOCK,))
            kept = conn.execute(
                "SELECT 1 FROM mmmeter_version WHERE version = %s AND published", (version,)
            ).fetchone()
            if kept is None:
                return False
            conn.execute(
                "INSERT INTO mmmeter_pin (version, pinned_at, links) VALUES (%s, %s, 1) "
                "ON CONFLICT (version) DO UPDATE SET links = mmmeter_pin.links + 1",
                (version, utcnow()),
            )
        return True

    def manifest(self, version: str | None = None) -> dict | None:
        version = version or self.current_version()
        if version is None:
            return None
        found = self._immutable.get(("manifest", version))
        if found is None:
            rows = self._query(
                "SELECT manifest FROM mmmeter_version WHERE version = %s", (version,)
            )
            if not rows:
                return None
            found = rows[0][0]
            self._immutable.put(("manifest", version), found)
        return found

    def status(self) -> dict:
        rows = self._query("SELECT dataset, entry FROM mmmeter_status ORDER BY dataset")
        return {"datasets": dict(rows)}

    def _series_of(self, version: str, indicator: str) -> int | None:
        key = ("series", version, indicator)
        found = self._immutable.get(key)
        if found is None:
            version_id = self._version_id(version)
            if version_id is None:
                return None
            rows = self._query(
                "SELECT series FROM mmmeter_version_indicator "
                "WHERE version_id = %s AND indicator = %s",
                (version_id, indicator),
            )
            if not rows:
                return None
            found = rows[0][0]
            self._immutable.put(key, found)
        return found

    def read_observations(
        self,
        version: str,
        indicator: str,
        areas: Sequence[str] | None = None,
        columns: Sequence[str] = ("area", "period", "value"),
        periods: Sequence | None = None,
    ) -> pd.DataFrame | None:
        series = self._series_of(version, indicator)
        if series is None:
            return None
        wanted = [c for c in columns if c in ("area", "period", "value")]
        query = sql.SQL("SELECT {} FROM mmmeter_observation WHERE series = %s").format(
            sql.SQL(", ").join(map(sql.Identifier, wanted))
        )
        params: list = [series]
        if areas is not None:
            query += sql.SQL(" AND area = ANY(%s)")
            params.append(list(areas))
        if periods is not None:
            query += sql.SQL(" AND period = ANY(%s)")
            params.append([pd.Timestamp(p).to_pydatetime() for p in periods])
        query += sql.SQL(" ORDER BY area, period")
        with self._connection() as conn, conn.cursor(binary=True) as cursor:
            rows = cursor.execute(query, params).fetchall()
        return _typed(pd.DataFrame(rows, columns=wanted))

    def observation_areas(self, version: str) -> dict[str, list[str]]:
        version_id = self._version_id(version)
        if version_id is None:
            return {}
        rows = self._query(
            "SELECT vi.indicator, s.areas FROM mmmeter_version_indicator vi "
            "JOIN mmmeter_series s ON s.id = vi.series WHERE vi.version_id = %s "
            "ORDER BY vi.indicator",
            (version_id,),
        )
        return dict(rows)

    def read_areas(self, version: str) -> pd.DataFrame | None:
        version_id = self._version_id(version)
        if version_id is None:
            return None
        rows = self._query(
            "SELECT code, name, level, parent FROM mmmeter_area WHERE version_id = %s "
            "ORDER BY position",
            (version_id,),
        )
        return pd.DataFrame(rows, columns=AREA_COLUMNS).astype("string")

    def read_geometry(self, version: str, level: str) -> dict | None:
        version_id = self._version_id(version)
        if version_id is None:
            return None
        rows = self._query(
            "SELECT body FROM mmmeter_geometry WHERE version_id = %s AND level = %s",
            (version_id, level),
        )
        return rows[0][0] if rows else None

    def read_version_file(self, version: str, path: str) -> bytes | None:
        """Another file the pipeline wrote into the version (e.g. `denominators.parquet`)."""
        version_id = self._version_id(version)
        if version_id is None:
            return None
        rows = self._query(
            "SELECT content FROM mmmeter_file WHERE version_id = %s AND path = %s",
            (version_id, path),
        )
        return bytes(rows[0][0]) if rows else None

    def read_dataset_observations(
        self, version: str, dataset_id: str, columns: Sequence[str]
    ) -> pd.DataFrame | None:
        content = self.read_version_file(version, f"datasets/{dataset_id}/observations.parquet")
        if content is None:
            return None
        return pd.read_parquet(io.BytesIO(content), columns=list(columns))

    def read_dataset_files(self, version: str | None, name: str) -> dict[str, bytes]:
        version = version or self.current_version()
        version_id = self._version_id(version) if version else None
        if version_id is None:
            return {}
        rows = self._query(
            "SELECT split_part(path, '/', 2), content FROM mmmeter_file "
            "WHERE version_id = %s AND path LIKE 'datasets/%%' AND split_part(path, '/', 3) = %s",
            (version_id, name),
        )
        return {dataset: bytes(content) for dataset, content in rows}

    def version_dir(self, version: str | None = None) -> Path | None:
        """A local folder with the files of `version` (per-dataset outputs, denominators):
        what the next refresh starts from. Written once per version and host."""
        version = version or self.current_version()
        version_id = self._version_id(version) if version else None
        if version_id is None:
            return None
        local = self.root / "pg-versions"
        folder = local / version
        if not folder.exists():
            local.mkdir(parents=True, exist_ok=True)
            tmp = local / f".{version}.{uuid.uuid4().hex}"
            rows = self._query(
                "SELECT path, content FROM mmmeter_file WHERE version_id = %s", (version_id,)
            )
            for path, content in rows:
                target = tmp / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bytes(content))
            (tmp / "datasets").mkdir(parents=True, exist_ok=True)
            try:
                os.replace(tmp, folder)
            except OSError:  # another process of this host wrote it meanwhile
                shutil.rmtree(tmp, ignore_errors=True)
        kept = sorted(p for p in local.iterdir() if not p.name.startswith("."))
        for old in kept[:-LOCAL_VERSIONS_KEPT]:
            if old.name != version:
                shutil.rmtree(old, ignore_errors=True)
        return folder

    # --- writing --------------------------------------------------------------------------
    @contextlib.contextmanager
    def refresh_lock(self) -> Iterator[None]:
        """One refresh at a time across every host that shares the database."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (REFRESH_LOCK,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (REFRESH_LOCK,))

    def remove_leftovers(self) -> list[str]:
        """Remove what a killed refresh left: local staging folders, unpublished versions
        (call with the refresh lock held)."""
        found: list[str] = []
        staging = self.root / "pg-staging"
        if staging.exists():
            for path in staging.iterdir():
                shutil.rmtree(path, ignore_errors=True)
                found.append(path.name)
        with self._connection() as conn:
            rows = conn.execute(
                "DELETE FROM mmmeter_version WHERE NOT published RETURNING version"
            ).fetchall()
        found += [f"unpublished version {row[0]}" for row in rows]
        if rows:
            self._drop_unused_series()
        return found

    def new_staging_dir(self) -> Path:
        folder = self.root / "pg-staging" / uuid.uuid4().hex
        folder.mkdir(parents=True)
        return folder

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def publish(
        self,
        staging: Path,
        manifest: dict,
        before_swap: Callable[[str], None] | None = None,
    ) -> str:
        """Copy the staging folder into the database (one transaction), run `before_swap`
        (the version is readable by its id, not yet current), then make it current and prune
        (a second transaction). If `before_swap` raises, the version is removed again."""
        version = manifest["version"]
        with self._connection() as conn, conn.transaction():
            version_id = conn.execute(
                "INSERT INTO mmmeter_version (version, manifest) VALUES (%s, %s) RETURNING id",
                (version, Jsonb(manifest)),
            ).fetchone()[0]
            _copy_observations(conn, version_id, staging / "observations")
            _copy_areas(conn, version_id, staging / "areas.parquet")
            for path in sorted((staging / "geometry").glob("*.geojson")):
                conn.execute(
                    "INSERT INTO mmmeter_geometry (version_id, level, body) VALUES (%s, %s, %s)",
                    (version_id, path.stem, path.read_text()),
                )
            _copy_files(conn, version_id, staging)
        if before_swap is not None:
            try:
                before_swap(version)
            except BaseException:
                self._delete_versions([version])
                raise
        with self._connection() as conn, conn.transaction():
            conn.execute("UPDATE mmmeter_version SET published = true WHERE id = %s", (version_id,))
            conn.execute(
                "INSERT INTO mmmeter_current (only_row, version_id) VALUES (true, %s) "
                "ON CONFLICT (only_row) DO UPDATE SET version_id = EXCLUDED.version_id",
                (version_id,),
            )
            if isinstance(manifest.get("release"), dict):
                _put_release(conn, manifest["release"])
        self.discard(staging)
        self._prune()
        return version

    def record_status(
        self,
        dataset_id: str,
        *,
        ok: bool,
        reason: str | None = None,
        kind: str | None = None,
        **extra,
    ) -> None:
        with self._connection() as conn, conn.transaction():
            row = conn.execute(
                "SELECT entry FROM mmmeter_status WHERE dataset = %s FOR UPDATE", (dataset_id,)
            ).fetchone()
            entry = update_status_entry(
                row[0] if row else {}, ok=ok, reason=reason, kind=kind, **extra
            )
            _put_status(conn, dataset_id, entry)

    def record_next_attempt(self, dataset_ids: list[str], when: str) -> None:
        with self._connection() as conn, conn.transaction():
            for dataset_id in dataset_ids:
                row = conn.execute(
                    "SELECT entry FROM mmmeter_status WHERE dataset = %s FOR UPDATE",
                    (dataset_id,),
                ).fetchone()
                _put_status(conn, dataset_id, {**(row[0] if row else {}), "next_attempt": when})

    def prunable(self, now=None) -> list[str]:
        """Versions no page shows any more: not current, not pinned by a permalink, not among
        the last `keep_versions`, older than `keep_hours`."""
        with self._connection() as conn:
            return _prunable(conn, self.keep_versions, self.keep_hours, now)

    def _prune(self) -> None:
        """Delete the prunable versions, under the pins lock (see `pin`)."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (PINS_LOCK,))
            gone = _prunable(conn, self.keep_versions, self.keep_hours)
            if gone:
                conn.execute("DELETE FROM mmmeter_version WHERE version = ANY(%s)", (gone,))
        if gone:
            self._drop_unused_series()

    def _delete_versions(self, versions: list[str]) -> None:
        if not versions:
            return
        with self._connection() as conn:
            conn.execute("DELETE FROM mmmeter_version WHERE version = ANY(%s)", (versions,))
        self._drop_unused_series()

    def _drop_unused_series(self) -> None:
        with self._connection() as conn:
            conn.execute(
                "DELETE FROM mmmeter_series s WHERE NOT EXISTS "
                "(SELECT 1 FROM mmmeter_version_indicator vi WHERE vi.series = s.id)"
            )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes of the file store's Parquet columns."""
    if "period" in frame:
        frame["period"] = pd.to_datetime(frame["period"]).astype("datetime64[ns]")
    if "value" in frame:
        frame["value"] = frame["value"].astype("float64")
    if "area" in frame:
        frame["area"] = frame["area"].astype(str)
    return frame


def _series_table(path: Path) -> pa.Table:
    table = pq.read_table(path, columns=["area", "period", "value"])
    return table.set_column(0, "area", table["area"].cast(pa.string()))


def _series_csv(table: pa.Table, series: int) -> bytes:
    """The rows of one indicator as CSV for COPY (pyarrow writes it fast)."""
    table = pa.table(
        {
            "series": pa.repeat(pa.scalar(series, pa.int32()), len(table)),
            "area": table["area"],
            "period": table["period"].cast(pa.timestamp("us")),
            "value": table["value"],
        }
    )
    buffer = io.BytesIO()
    pa_csv.write_csv(table, buffer, pa_csv.WriteOptions(include_header=False))
    return buffer.getvalue()


def _prunable(conn: psycopg.Connection, keep_versions: int, keep_hours: float, now=None):
    """`versions_to_prune` over what `conn` sees (inside the pins lock when pruning)."""
    versions = [
        row[0]
        for row in conn.execute(
            "SELECT version FROM mmmeter_version WHERE published ORDER BY version"
        ).fetchall()
    ]
    current = conn.execute(
        "SELECT v.version FROM mmmeter_current c JOIN mmmeter_version v ON v.id = c.version_id"
    ).fetchone()
    pinned = {row[0] for row in conn.execute("SELECT version FROM mmmeter_pin").fetchall()}
    return versions_to_prune(
        versions, current[0] if current else None, keep_versions, keep_hours, now, pinned=pinned
    )


def _put_release(conn: psycopg.Connection, record: dict) -> None:
    """Append one release record (a version's record is logged once)."""
    conn.execute(
        "INSERT INTO mmmeter_release (version, record) VALUES (%s, %s) "
        "ON CONFLICT (version) DO NOTHING",
        (str(record.get("version")), Jsonb(record)),
    )


def _put_status(conn: psycopg.Connection, dataset_id: str, entry: dict) -> None:
    conn.execute(
        "INSERT INTO mmmeter_status (dataset, entry) VALUES (%s, %s) "
        "ON CONFLICT (dataset) DO UPDATE SET entry = EXCLUDED.entry",
        (dataset_id, Jsonb(entry)),
    )


def _copy_observations(conn: psycopg.Connection, version_id: int, folder: Path) -> None:
    """Each indicator's Parquet as a series; a series already stored (an indicator that did
    not change since an earlier version) is shared, not copied again."""
    for path in sorted(folder.glob("*.parquet")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        row = conn.execute("SELECT id FROM mmmeter_series WHERE sha256 = %s", (digest,)).fetchone()
        if row is None:
            table = _series_table(path)
            areas = sorted(pc.unique(table["area"]).to_pylist())
            series = conn.execute(
                "INSERT INTO mmmeter_series (sha256, areas) VALUES (%s, %s) RETURNING id",
                (digest, areas),
            ).fetchone()[0]
            with conn.cursor().copy(
                "COPY mmmeter_observation (series, area, period, value) FROM STDIN (FORMAT csv)"
            ) as copy:
                copy.write(_series_csv(table, series))
        else:
            series = row[0]
        conn.execute(
            "INSERT INTO mmmeter_version_indicator (version_id, indicator, series) "
            "VALUES (%s, %s, %s)",
            (version_id, path.stem, series),
        )


def _copy_areas(conn: psycopg.Connection, version_id: int, path: Path) -> None:
    if not path.exists():
        return
    table = pd.read_parquet(path)
    rows = [
        (version_id, position, *(None if pd.isna(v) else str(v) for v in values))
        for position, values in enumerate(table[AREA_COLUMNS].itertuples(index=False))
    ]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO mmmeter_area (version_id, position, code, name, level, parent) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


def _copy_files(conn: psycopg.Connection, version_id: int, staging: Path) -> None:
    """Every file but what has its own table (observations, areas, geometry)."""
    for path in sorted(staging.rglob("*")):
        relative = path.relative_to(staging)
        own_table = relative.parts[0] in ("observations", "geometry")
        if not path.is_file() or own_table or relative.as_posix() == "areas.parquet":
            continue
        conn.execute(
            "INSERT INTO mmmeter_file (version_id, path, content) VALUES (%s, %s, %s)",
            (version_id, relative.as_posix(), path.read_bytes()),
        )
