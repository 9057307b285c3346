"""The one place links are made: every page, API and download address the app emits.

A link to an app path goes under two prefixes the path itself does not know about:
- Dash's `requests_pathname_prefix` (the app served under a sub-path, `dash.get_relative_path`);
- `/v/<version>` when the request is pinned to a store version (a permalink), so that every link
  on a pinned page stays on that version.

`app/` says per request which version is pinned (`use_pinned_version`); layouts only ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from urllib.parse import parse_qs, urlencode

import dash

DEFAULT_LANG = "nl"
OBSERVATIONS_API = "/api/v1/observations"
PIN_PREFIX = "/v/"

_pinned: ContextVar[str | None] = ContextVar("mmmeter_pinned_version", default=None)


def use_pinned_version(version: str | None) -> None:
    """Pin (or unpin, with None) the links of this request to a store version."""
    _pinned.set(version)


def pinned_version() -> str | None:
    return _pinned.get()


def pinned_prefix(version: str | None) -> str:
    return f"{PIN_PREFIX}{version}" if version else ""


def _under_dash_prefix(path: str) -> str:
    try:
        return dash.get_relative_path(path)
    except AttributeError:  # no Dash app set up (command line, unit tests): no prefix
        return path


def _query_string(query: Mapping[str, object] | None) -> str:
    kept = {k: v for k, v in (query or {}).items() if v is not None and v != ""}
    return f"?{urlencode(kept)}" if kept else ""


def href(path: str, query: Mapping[str, object] | None = None, lang: str = DEFAULT_LANG) -> str:
    """A link to the app path `path` ("/corona/GM0114") with `query`, in `lang`."""
    if not path.startswith("/"):
        raise ValueError(f"app paths start with '/', got {path!r}")
    query = {k: v for k, v in (query or {}).items() if k != "lang"}
    if lang != DEFAULT_LANG:
        query["lang"] = lang
    return _under_dash_prefix(pinned_prefix(pinned_version()) + path) + _query_string(query)


def api_href(path: str, query: Mapping[str, object] | None = None) -> str:
    """An API or download address (`/api/v1/observations`, `/data/<id>.zip`) with `query`."""
    return href(path, query)


def parse_search(search: str | None) -> dict[str, str]:
    """A query string ("?a=1&b=2") as a mapping, the last value of a repeated key winning."""
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}


def same_view(pathname: str | None, search: str | None, lang: str) -> str:
    """The page the browser is on in `lang`: its pathname already carries the prefixes."""
    query = parse_search(search)
    query.pop("lang", None)
    if lang != DEFAULT_LANG:
        query["lang"] = lang
    return (pathname or "/") + _query_string(query)
