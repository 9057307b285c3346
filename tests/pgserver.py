"""A throwaway PostgreSQL server for tests: `initdb` + `pg_ctl` in a temporary folder, on a
free port of 127.0.0.1 (as the `postgres` user when the tests run as root: PostgreSQL refuses
to run as root). `MMMETER_TEST_DATABASE_URL` names an existing server instead."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port

ENV_URL = "MMMETER_TEST_DATABASE_URL"
INITDB_OPTIONS = ["--no-sync", "-E", "UTF8"]
# A throwaway cluster needs no durability: no fsync, no full-page images, little WAL, no
# checkpoint in the middle of a bulk load (the store's publish copies a million rows).
SPEED_OPTIONS = " ".join(
    f"-c {setting}"
    for setting in (
        "fsync=off",
        "synchronous_commit=off",
        "full_page_writes=off",
        "wal_level=minimal",
        "max_wal_senders=0",
        "max_wal_size=4GB",
        "checkpoint_timeout=1h",
        "shared_buffers=256MB",
    )
)


def server_binaries() -> Path | None:
    """The folder of initdb and pg_ctl (Debian keeps them out of PATH), or None."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def throwaway_server() -> Iterator[str]:
    """A new cluster for as long as the block lasts; yields the URL of its `postgres` db."""
    binaries = server_binaries()
    if binaries is None:
        raise FileNotFoundError("initdb not found (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="mmmeter-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    run = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=folder)
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "mmmeter",
                    *INITDB_OPTIONS,
                ]
            ),
            **run,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {SPEED_OPTIONS}"
        subprocess.run(
            _as_server_user(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "-l",
                    str(folder / "server.log"),
                    "start",
                ]
            ),
            **run,
        )
        try:
            yield f"postgresql://mmmeter@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                **run,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def database_server() -> Iterator[str]:
    """The server of MMMETER_TEST_DATABASE_URL, else a throwaway one."""
    if os.environ.get(ENV_URL):
        yield os.environ[ENV_URL]
        return
    with throwaway_server() as url:
        yield url


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server, dropped when the block ends."""
    import uuid

    import psycopg
    from psycopg import conninfo, sql

    name = f"mmmeter_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield conninfo.make_conninfo(server_url, dbname=name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
