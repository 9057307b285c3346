"""Fetch upstream files over HTTP (timeouts, retries, conditional GET, size limit) or a mirror."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

from data.catalog import SourceFile
from data.errors import FetchError

USER_AGENT = "MMmeter/0.1 (gemeente Emmen open data; +https://www.emmen.nl)"
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class FetchOptions:
    timeout_s: float = 30.0
    retries: int = 3
    max_bytes: int = 512 * 1024 * 1024
    backoff_s: float = 1.0


@dataclass(frozen=True)
class Fetched:
    location: str
    content: bytes | None  # None when the server said 304 Not Modified
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.content is None


def resolve_location(file: SourceFile, mirror: str | None) -> str | None:
    """Where to read `file`: its upstream URL, or its path in the mirror (None: not there)."""
    if not mirror:
        return file.url
    if file.mirror is None:
        return None
    if mirror.startswith(("http://", "https://")):
        return urljoin(mirror.rstrip("/") + "/", file.mirror)
    return str(Path(mirror) / file.mirror)


def fetch(
    location: str,
    options: FetchOptions,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    session: requests.Session | None = None,
) -> Fetched:
    """Fetch `location` (URL or local path); raise FetchError with the reason when it fails."""
    if not location.startswith(("http://", "https://")):
        return _read_local(location, options.max_bytes)
    session = session or requests.Session()
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    last_problem = ""
    for attempt in range(options.retries + 1):
        if attempt:
            time.sleep(options.backoff_s * 2 ** (attempt - 1))
        try:
            with session.get(
                location, headers=headers, timeout=options.timeout_s, stream=True
            ) as response:
                if response.status_code == 304:
                    return Fetched(location, None, etag, last_modified)
                if response.status_code in RETRY_STATUS:
                    last_problem = f"HTTP {response.status_code} {response.reason}"
                    continue
                if response.status_code != 200:
                    raise FetchError(location, f"HTTP {response.status_code} {response.reason}")
                content = _read_limited(response, location, options.max_bytes)
                return Fetched(
                    location,
                    content,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        except (requests.ConnectionError, requests.Timeout) as exc:
            last_problem = f"{type(exc).__name__}: {exc}"
        except requests.RequestException as exc:
            raise FetchError(location, f"request failed: {exc}") from exc
    raise FetchError(location, f"gave up after {options.retries + 1} attempts: {last_problem}")


def _read_limited(response: requests.Response, location: str, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(location, f"file is {int(declared)} bytes, over the limit of {max_bytes}")
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(location, f"file is over the limit of {max_bytes} bytes")
        chunks.append(chunk)
    content = b"".join(chunks)
    encoded = response.headers.get("Content-Encoding", "identity") != "identity"
    if declared and declared.isdigit() and not encoded and int(declared) != len(content):
        raise FetchError(location, f"truncated: got {len(content)} of {declared} bytes")
    return content


def _read_local(path: str, max_bytes: int) -> Fetched:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise FetchError(path, f"file is {size} bytes, over the limit of {max_bytes}")
        return Fetched(path, file.read_bytes(), None, None)
    except FileNotFoundError:
        raise FetchError(path, "file not found in the mirror") from None
    except OSError as exc:
        raise FetchError(path, f"cannot read: {exc}") from exc
