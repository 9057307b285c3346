"""Fetch upstream files over HTTP (timeouts, retries, conditional GET, size limit) or a mirror."""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests
import urllib3.exceptions

from data.catalog import SourceFile
from data.errors import FetchError

USER_AGENT = "MMmeter/0.1 (gemeente Emmen open data; +https://www.emmen.nl)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER_S = 300.0  # a longer Retry-After is not waited for: the next refresh tries again
CHUNK = 1 << 16


class _BrokenOff(requests.ConnectionError):
    """The connection closed or failed while the body was coming (retried)."""


@dataclass(frozen=True)
class FetchOptions:
    timeout_s: float = 30.0  # per connect / per read
    retries: int = 3
    max_bytes: int = 512 * 1024 * 1024
    backoff_s: float = 1.0
    total_timeout_s: float = 600.0  # one whole download, so a server that drips cannot hang us


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


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


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
    last_problem, last_kind, wait = "", "network", None
    for attempt in range(options.retries + 1):
        if attempt:
            pause = options.backoff_s * 2 ** (attempt - 1)
            time.sleep(max(pause, wait or 0.0))
        wait = None
        try:
            with session.get(
                location, headers=headers, timeout=options.timeout_s, stream=True
            ) as response:
                if response.status_code == 304:
                    return Fetched(location, None, etag, last_modified)
                if response.status_code in RETRY_STATUS:
                    last_problem = f"HTTP {response.status_code} {response.reason}"
                    last_kind = "server"
                    wait = retry_after_s(response.headers.get("Retry-After"))
                    if wait is not None:
                        last_problem += f" (Retry-After {wait:.0f} s)"
                        if wait > MAX_RETRY_AFTER_S:
                            break
                    continue
                if response.status_code != 200:
                    kind = "not_found" if response.status_code in (404, 410) else "http"
                    raise FetchError(
                        location, f"HTTP {response.status_code} {response.reason}", kind
                    )
                content = _read_limited(response, location, options)
                return Fetched(
                    location,
                    content,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        except requests.Timeout as exc:
            last_problem, last_kind = f"no answer within {options.timeout_s:g} s ({exc})", "timeout"
        except _BrokenOff as exc:
            last_problem, last_kind = str(exc), "network"
        except requests.ConnectionError as exc:
            last_problem, last_kind = f"cannot connect: {_cause(exc)}", "network"
        except requests.RequestException as exc:
            raise FetchError(location, f"request failed: {exc}", "network") from exc
    attempts = attempt + 1
    raise FetchError(location, f"gave up after {attempts} attempts: {last_problem}", last_kind)


def _cause(exc: Exception) -> str:
    """The innermost reason of a requests/urllib3 connection error, without the wrapping."""
    inner: BaseException = exc
    while True:
        nxt = (inner.args[0] if inner.args else None) if not inner.__cause__ else inner.__cause__
        if isinstance(nxt, BaseException) and nxt is not inner:
            inner = nxt
            continue
        reason = getattr(inner, "reason", None)
        if isinstance(reason, BaseException) and reason is not inner:
            inner = reason
            continue
        return str(inner)


def _read_limited(response: requests.Response, location: str, options: FetchOptions) -> bytes:
    """The body, refusing it when over `max_bytes`, cut short, or slower than the deadline."""
    max_bytes = options.max_bytes
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            location,
            f"file is {int(declared)} bytes, over the limit of {max_bytes}",
            "too_large",
        )
    deadline = time.monotonic() + options.total_timeout_s
    chunks, size = [], 0
    raw = response.raw
    try:
        while True:
            chunk = raw.read1(CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(
                    location, f"file is over the limit of {max_bytes} bytes", "too_large"
                )
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError(
                    location,
                    f"download too slow: {size:,} bytes after {options.total_timeout_s:g} s "
                    "(the limit for one file); stopped",
                    "timeout",
                )
    except urllib3.exceptions.ReadTimeoutError as exc:  # retried like a timeout at the start
        raise requests.Timeout(f"the download stalled: {_cause(exc)}") from None
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise _BrokenOff(
            f"the download broke off after {size:,} bytes"
            + (f" of {int(declared):,} (truncated)" if declared and declared.isdigit() else "")
            + f": {_cause(exc)}"
        ) from None
    content = b"".join(chunks)
    encoded = response.headers.get("Content-Encoding", "identity") != "identity"
    if declared and declared.isdigit() and not encoded and int(declared) != len(content):
        raise FetchError(
            location, f"truncated: got {len(content):,} of {int(declared):,} bytes", "network"
        )
    return content


def _read_local(path: str, max_bytes: int) -> Fetched:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise FetchError(
                path, f"file is {size} bytes, over the limit of {max_bytes}", "too_large"
            )
        return Fetched(path, file.read_bytes(), None, None)
    except FileNotFoundError:
        raise FetchError(path, "file not found in the mirror", "not_found") from None
    except OSError as exc:
        raise FetchError(path, f"cannot read: {exc}") from exc
