"""Shared test fixtures: the shared data folder, a real HTTP file server, a refreshed store."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import threading
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
# The read-only data folder beside the repo (see shared/data/SOURCES.md).
SHARED_DATA = (REPO_ROOT / ".." / "shared" / "data").resolve()


def unavailable(reason: str) -> None:
    """Skip the calling test on a developer machine that lacks a part; fail it under CI
    (CI=true), where everything the tests need is installed: a skip there hides a gap."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def copy_data_dir(source: Path, destination: Path) -> Path:
    """A private copy of a data folder (its store), without its query cache: the session's
    in-process app writes that cache while tests copy, and a cache file renamed away mid-copy
    failed the copy. The cache is derived data; the copy's app fills its own."""

    def skip_cache(folder: str, names: list[str]) -> list[str]:
        return ["cache"] if Path(folder) == source and "cache" in names else []

    shutil.copytree(source, destination, symlinks=True, ignore=skip_cache)
    return destination


def shared_file(relative: str) -> Path:
    """A file in SHARED_DATA; skips (fails under CI) the calling test when it is not there."""
    path = SHARED_DATA / relative
    if not path.exists():
        unavailable(f"shared data file {relative} not available")
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class LoopbackServer:
    """A real HTTP server on 127.0.0.1, in a thread, for as long as the `with` block lasts.

    Subclasses build the server (`make_server`); `url` is its address once started.
    """

    path = "/"
    url = ""

    def make_server(self) -> ThreadingHTTPServer:
        raise NotImplementedError

    def __enter__(self):
        self._httpd = self.make_server()
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}{self.path}"
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


class FileServer(LoopbackServer):
    """Serve a folder over HTTP on 127.0.0.1 (a real server, like an intranet mirror).

    SimpleHTTPRequestHandler answers If-Modified-Since with 304, so conditional GETs work.
    """

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def make_server(self) -> ThreadingHTTPServer:
        handler = partial(_QuietHandler, directory=str(self.root))
        return ThreadingHTTPServer(("127.0.0.1", 0), handler)


@pytest.fixture(scope="session")
def mirror_server():
    if not SHARED_DATA.exists():
        unavailable("shared data folder not available")
    with FileServer(SHARED_DATA) as server:
        yield server


@pytest.fixture(scope="session")
def refreshed_settings(mirror_server, tmp_path_factory):
    """Settings whose store was refreshed once from the shared data served over HTTP."""
    from app.settings import Settings
    from data.pipeline import refresh

    settings = replace(
        Settings(),
        data_dir=tmp_path_factory.mktemp("mmmeter-data"),
        mirror=mirror_server.url,
        run_scheduler=False,
        refresh_on_start=False,
        fetch_retries=0,
    )
    report = refresh(settings)
    assert not report.failed, [(r.dataset, r.reason) for r in report.failed]
    return settings


@pytest.fixture(scope="session")
def dash_app(refreshed_settings):
    """The app in this process (one per session: Dash's page registry is global)."""
    from app.main import create_app

    return create_app(refreshed_settings, start_background=False)


@pytest.fixture()
def client(dash_app):
    return dash_app.server.test_client()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server (MMMETER_TEST_DATABASE_URL, or a throwaway cluster)."""
    from tests.pgserver import database_server, server_binaries

    if not os.environ.get("MMMETER_TEST_DATABASE_URL") and server_binaries() is None:
        unavailable("PostgreSQL is not installed (apt-get install postgresql)")
    stack = contextlib.ExitStack()
    try:
        url = stack.enter_context(database_server())
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        unavailable(f"PostgreSQL could not be started: {exc} {detail.decode(errors='replace')}")
    with stack:
        yield url


@pytest.fixture(scope="session")
def postgres_settings(refreshed_settings, postgres_server, tmp_path_factory):
    """Settings of a PostgreSQL store (a database of its own), refreshed once from the shared
    data like `refreshed_settings`."""
    from data.pipeline import refresh
    from data.stores import open_store
    from tests.pgserver import fresh_database

    with fresh_database(postgres_server) as url:
        settings = replace(
            refreshed_settings, data_dir=tmp_path_factory.mktemp("mmmeter-pg"), database_url=url
        )
        report = refresh(settings)
        assert not report.failed, [(r.dataset, r.reason) for r in report.failed]
        yield settings
        open_store(settings).close()
