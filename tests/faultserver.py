"""A real HTTP server on 127.0.0.1 that serves a mirror and breaks chosen files on purpose.

    with FaultServer(files) as server:           # files: {"rivm/x.csv.gz": b"...", ...}
        server.break_file("rivm/x.csv.gz", Fault.status(503, retry_after=1))
        ... MMMETER_MIRROR=server.url ...
        server.requests["rivm/x.csv.gz"]           # how many GETs it got (retries included)

Every file gets an ETag (a hash of its content) and answers a matching If-None-Match with
304, like a real web server. A `Fault` says how one file is served instead: a status code,
a delay before the headers (a timeout), a slow drip, a body cut off after its declared
length, a different ETag, or other content (`content=`, made by the caller).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import LoopbackServer


@dataclass(frozen=True)
class Fault:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None  # served instead of the file (None: the file itself)
    delay_s: float = 0.0  # before the status line: a server that does not answer
    drip: tuple[int, float] | None = None  # (bytes, seconds): that many bytes per interval
    cut_at: float | None = None  # send this share of the body, then close (Content-Length full)
    etag: str | None = None  # a new ETag; If-None-Match with the old one no longer matches

    @classmethod
    def http_status(cls, status: int, retry_after: int | None = None) -> Fault:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return cls(status=status, headers=headers, content=b"")


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:16] + '"'


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = self.path.lstrip("/").split("?", 1)[0]
        with self.server.lock:
            self.server.requests[path] += 1
            fault = self.server.faults.get(path)
            content = self.server.files.get(path)
        fault = fault or Fault()
        if fault.delay_s:
            time.sleep(fault.delay_s)
        if fault.status != 200 or content is None:
            self._empty(fault.status if content is not None else 404, fault.headers)
            return
        body = fault.content if fault.content is not None else content
        etag = fault.etag or etag_of(body)
        if self.headers.get("If-None-Match") == etag:
            self._empty(304, {"ETag": etag})
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        for name, value in fault.headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(TimeoutError, BrokenPipeError, ConnectionResetError):
            self._body(body, fault)  # the client may give up, as it should

    def _empty(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _body(self, body: bytes, fault: Fault) -> None:
        if fault.cut_at is not None:
            self.wfile.write(body[: int(len(body) * fault.cut_at)])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault.drip is not None:
            size, interval = fault.drip
            deadline = time.monotonic() + 30  # never keep a thread busy for long
            for start in range(0, len(body), size):
                self.wfile.write(body[start : start + size])
                self.wfile.flush()
                if time.monotonic() > deadline:
                    break
                time.sleep(interval)
            return
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, bytes]
    faults: dict[str, Fault]
    requests: Counter
    lock: threading.Lock


class FaultServer(LoopbackServer):
    """Serve `files` (mirror path -> bytes) on 127.0.0.1; `break_file` sets a fault per path."""

    def __init__(self, files: dict[str, bytes]):
        self._files = dict(files)

    def make_server(self) -> _Server:
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.files = self._files
        httpd.faults = {}
        httpd.requests = Counter()
        httpd.lock = threading.Lock()
        return httpd

    @property
    def requests(self) -> Counter:
        return self._httpd.requests

    def break_file(self, path: str, fault: Fault | None) -> None:
        """Serve `path` with `fault` from now on (None: serve it as it is again)."""
        with self._httpd.lock:
            if fault is None:
                self._httpd.faults.pop(path, None)
            else:
                self._httpd.faults[path] = fault


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


class _HookHandler(BaseHTTPRequestHandler):
    server: _HookServer

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20))
        with self.server.lock:
            self.server.received.append(json.loads(body or b"null"))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _HookServer(ThreadingHTTPServer):
    daemon_threads = True
    received: list
    lock: threading.Lock


class WebhookReceiver(LoopbackServer):
    """A real HTTP endpoint on 127.0.0.1 that keeps every JSON body POSTed to it."""

    path = "/alerts"

    def make_server(self) -> _HookServer:
        httpd = _HookServer(("127.0.0.1", 0), _HookHandler)
        httpd.received = []
        httpd.lock = threading.Lock()
        return httpd

    def received(self, dataset: str | None = None) -> list[dict]:
        with self._httpd.lock:
            return [p for p in self._httpd.received if dataset is None or p["dataset"] == dataset]
