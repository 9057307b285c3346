"""The write queue (data/writequeue.py) in PostgreSQL, beside the store's mmmeter_* tables:
a web host queues an admin upload's refresh request with its files, and the clock on any
other host that shares the database finds, runs and reports on it.

    mmmeter_queue        one row per request: id, queued_at, the record (JSON)
    mmmeter_queue_file   the files a request carries (the uploaded CSV and YAML)

The tables are made with the store's schema (data/pgstore.py SCHEMA).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import psycopg
from psycopg.types.json import Jsonb

SCHEMA = """
CREATE TABLE IF NOT EXISTS mmmeter_queue (
    id text PRIMARY KEY,
    queued_at double precision NOT NULL,
    record jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS mmmeter_queue_file (
    request_id text NOT NULL REFERENCES mmmeter_queue (id) ON DELETE CASCADE,
    name text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (request_id, name)
);
"""

Connect = Callable[[], contextlib.AbstractContextManager[psycopg.Connection]]


class PostgresQueue:
    """data.writequeue.Queue on the connections of a PostgresStore."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def put(self, record: dict, files: dict[str, bytes] | None = None) -> None:
        """Insert or replace the record; files (of a new request) in the same transaction."""
        with self._connect() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO mmmeter_queue (id, queued_at, record) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record",
                (record["id"], float(record["queued_at"]), Jsonb(record)),
            )
            for name, content in (files or {}).items():
                conn.execute(
                    "INSERT INTO mmmeter_queue_file (request_id, name, content) "
                    "VALUES (%s, %s, %s) ON CONFLICT (request_id, name) "
                    "DO UPDATE SET content = EXCLUDED.content",
                    (record["id"], name, content),
                )

    def get(self, request_id: str) -> dict | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT record FROM mmmeter_queue WHERE id = %s", (request_id,)
            ).fetchone()
        return row[0] if row else None

    def records(self) -> list[dict]:
        with self._connect() as conn:
            rows = conn.execute("SELECT record FROM mmmeter_queue ORDER BY queued_at").fetchall()
        return [row[0] for row in rows]

    def delete(self, request_id: str) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM mmmeter_queue WHERE id = %s", (request_id,))

    def files(self, request_id: str) -> dict[str, bytes]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT name, content FROM mmmeter_queue_file WHERE request_id = %s ORDER BY name",
                (request_id,),
            ).fetchall()
        return {name: bytes(content) for name, content in rows}
