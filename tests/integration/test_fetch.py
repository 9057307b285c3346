"""data.fetch against a real HTTP server on 127.0.0.1: retries, conditional GET, limits."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from data.catalog import SourceFile
from data.errors import FetchError
from data.fetch import FetchOptions, fetch, resolve_location

BODY = b"Version;Date_of_report\n1;2022-01-01\n"
FAST = FetchOptions(timeout_s=2.0, retries=2, max_bytes=1024, backoff_s=0.01)


class ScriptedHandler(http.server.BaseHTTPRequestHandler):
    """Answers each request with the next scripted response of the server."""

    def do_GET(self):
        self.server.requests.append(dict(self.headers))
        status, headers, body, delay = self.server.script.pop(0)
        time.sleep(delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body and self.command == "GET":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture()
def scripted() -> Iterator:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHandler)
    server.script, server.requests = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/file.csv"
    yield server
    server.shutdown()
    server.server_close()


def ok(body=BODY, **headers):
    return (200, {"Content-Length": str(len(body)), **headers}, body, 0)


def test_retries_server_errors_with_backoff_then_succeeds(scripted):
    scripted.script += [(503, {}, b"", 0), (502, {}, b"", 0), ok()]
    assert fetch(scripted.url, FAST).content == BODY
    assert len(scripted.requests) == 3


def test_gives_up_after_the_retries_and_says_why(scripted):
    scripted.script += [(503, {}, b"", 0)] * 3
    with pytest.raises(FetchError, match="gave up after 3 attempts: HTTP 503"):
        fetch(scripted.url, FAST)


def test_client_errors_are_not_retried(scripted):
    scripted.script += [(404, {}, b"", 0)]
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(scripted.url, FAST)
    assert len(scripted.requests) == 1


def test_conditional_get_sends_validators_and_handles_304(scripted):
    scripted.script += [ok(ETag='"v1"', **{"Last-Modified": "Mon, 21 Mar 2022 10:00:00 GMT"})]
    first = fetch(scripted.url, FAST)
    scripted.script += [(304, {}, b"", 0)]
    second = fetch(scripted.url, FAST, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified
    assert scripted.requests[1]["If-None-Match"] == '"v1"'
    assert scripted.requests[1]["If-Modified-Since"] == "Mon, 21 Mar 2022 10:00:00 GMT"


def test_declared_size_over_the_limit_is_refused(scripted):
    scripted.script += [(200, {"Content-Length": "5000"}, b"", 0)]
    with pytest.raises(FetchError, match="over the limit of 1024"):
        fetch(scripted.url, FAST)


def test_streamed_size_over_the_limit_is_refused(scripted):
    scripted.script += [(200, {}, b"x" * 4096, 0)]  # no Content-Length: counted while reading
    with pytest.raises(FetchError, match="over the limit"):
        fetch(scripted.url, FAST)


def test_slow_server_times_out_and_is_retried(scripted):
    scripted.script += [(200, {}, BODY, 3.0), ok()]
    assert (
        fetch(scripted.url, FetchOptions(timeout_s=0.5, retries=1, backoff_s=0.01)).content == BODY
    )


def test_local_mirror_file_missing_is_a_clear_error(tmp_path):
    with pytest.raises(FetchError, match="not found in the mirror"):
        fetch(str(tmp_path / "nope.csv"), FAST)


def test_mirror_location_is_the_files_path_in_the_mirror():
    file = SourceFile(role="main", url="https://data.rivm.nl/x.csv", mirror="rivm/x.csv.gz")
    assert resolve_location(file, None) == "https://data.rivm.nl/x.csv"
    assert resolve_location(file, "/srv/mirror") == "/srv/mirror/rivm/x.csv.gz"
    assert (
        resolve_location(file, "http://intranet/mirror") == "http://intranet/mirror/rivm/x.csv.gz"
    )
    assert resolve_location(SourceFile(role="h", url="https://x"), "/srv/mirror") is None
