"""How responses travel: compressed (Brotli or gzip) and with the right Cache-Control.

- Every text response is compressed by flask-compress. Static files (Dash's component suites,
  /assets, the favicon) are compressed once per process and kept in a small bounded cache keyed
  by the file itself, so the same file is not compressed again on every request.
- A fingerprinted file (Dash's `name.v4_4_1m1712.js` component suites, `/assets/x.css?m=...`,
  `?v=...`) never changes at its address: `public, max-age=31536000, immutable`.
- Other static files get a short lifetime and an ETag, so a browser revalidates them cheaply.
  Pages, callbacks and API answers keep the headers their views set.
"""

from __future__ import annotations

from pathlib import Path

from dash.fingerprint import check_fingerprint
from flask import Flask, Request, Response, request
from flask_compress import Compress

from data.cache import LocalMemo

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
SUITES_PREFIX = "/_dash-component-suites/"
ASSETS_PREFIX = "/assets/"
FAVICON_PATH = "/_favicon.ico"
# Query parameters that carry a file's version (Dash writes ?m=<mtime> on assets, ?v= on the
# favicon; the plotly bundle is addressed with ?v=<content hash>).
FINGERPRINT_PARAMS = ("m", "v")
# Compressed static files kept per process: two encodings of each file the app serves.
CACHE_ENTRIES = 256
NO_CACHE_KEY = ""


class StaticFileCache:
    """A bounded, thread-safe LRU of compressed static files (flask-compress's cache backend).

    flask-compress asks the backend for every response it compresses; keys of responses that
    are not static files end in NO_CACHE_KEY and are neither stored nor found. The LRU is the
    one the query cache keeps in each process (data.cache.LocalMemo).
    """

    def __init__(self, max_entries: int = CACHE_ENTRIES) -> None:
        self.max_entries = max_entries
        self._memo = LocalMemo(max_entries)

    def get(self, key: str) -> bytes | None:
        return None if _uncacheable(key) else self._memo.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not _uncacheable(key):
            self._memo.put(key, value)

    def __len__(self) -> int:
        return len(self._memo)


def _uncacheable(key: str) -> bool:
    # flask-compress builds keys as f"{algorithm};{cache_key(request)}".
    return key.partition(";")[2] == NO_CACHE_KEY


def is_static(path: str) -> bool:
    return path.startswith((SUITES_PREFIX, ASSETS_PREFIX)) or path == FAVICON_PATH


def is_fingerprinted(path: str, args) -> bool:
    """Whether the address names one version of a file (so it may be cached for good)."""
    if path.startswith(SUITES_PREFIX):
        return check_fingerprint(path.removeprefix(SUITES_PREFIX))[1]
    if path.startswith(ASSETS_PREFIX) or path == FAVICON_PATH:
        return any(args.get(name) for name in FINGERPRINT_PARAMS)
    return False


def cache_control_for(path: str, args) -> str | None:
    """The Cache-Control a static file gets; None for everything else (views set their own)."""
    if not is_static(path):
        return None
    return IMMUTABLE if is_fingerprinted(path, args) else SHORT


def static_cache_key(assets_folder: Path):
    """flask-compress's COMPRESS_CACHE_KEY: one key per static file and version, else ''.

    The key names the file, not the address: fingerprints and query strings are dropped (any
    number of them answer with the same bytes), and an /assets file's size and modification
    time are part of it, so an edited asset is compressed again. Only GET requests for static
    files are cached; flask-compress only asks for 2xx answers.
    """
    root = assets_folder.resolve()

    def key(req: Request) -> str:
        path = req.path
        if req.method != "GET" or not is_static(path):
            return NO_CACHE_KEY
        if path.startswith(SUITES_PREFIX):
            return SUITES_PREFIX + check_fingerprint(path.removeprefix(SUITES_PREFIX))[0]
        if path.startswith(ASSETS_PREFIX):
            file = (root / path.removeprefix(ASSETS_PREFIX)).resolve()
            if not file.is_relative_to(root) or not file.is_file():
                return NO_CACHE_KEY
            stat = file.stat()
            return f"{path}@{stat.st_size}-{stat.st_mtime_ns}"
        return path

    return key


def init_delivery(server: Flask, assets_folder: Path) -> Compress:
    """Compression and cache headers for `server` (call before Dash registers its routes)."""
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        # A streamed answer (a full CSV export) keeps its compressor for as long as it runs:
        # gzip's is a few hundred KB, brotli's (at its 4 MB window) some 25 MB per download.
        COMPRESS_ALGORITHM_STREAMING=["gzip"],
        COMPRESS_BR_LEVEL=5,
        COMPRESS_LEVEL=6,
        COMPRESS_CACHE_BACKEND=StaticFileCache,
        COMPRESS_CACHE_KEY=static_cache_key(assets_folder),
    )
    compress = Compress(server)
    # flask-compress's text types, and the open-data downloads and catalogues.
    compress.compress_mimetypes_set |= {
        "text/csv",
        "application/geo+json",
        "application/ld+json",
        "application/x-ndjson",
    }

    # Registered after Compress, so Flask runs it before the compression hook.
    @server.after_request
    def _static_headers(response: Response) -> Response:
        value = cache_control_for(request.path, request.args)
        if value is None or response.status_code >= 400:
            return response
        if response.is_streamed and request.method == "GET":
            # A file sent by send_file streams from disk; read it whole (static files are a
            # few MB at most) so flask-compress compresses it once and serves it from its cache.
            response.direct_passthrough = False
            response.make_sequence()
        response.headers["Cache-Control"] = value
        if value == SHORT and not response.get_etag()[0] and response.status_code == 200:
            response.add_etag()
            response.make_conditional(request)
        return response

    return compress
