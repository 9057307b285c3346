"""What a request needs: the app's settings and one Reader (set up by create_app).

`reader()` is the only place that touches Flask's request globals for data: within a request it
is built once, so every part of one answer sees the same store version and catalog, also when a
refresh publishes a new version meanwhile. Layouts and blocks receive the Reader as an argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from flask import current_app, g, has_request_context, request

from app.settings import Settings
from data.cache import LocalMemo, QueryCache
from data.catalog import Catalog
from data.reader import Reader, SiteSettings
from data.staff import catalog_with_published_staff
from data.stores import StoreBackend


@dataclass(frozen=True)
class Runtime:
    """What the running app was built with (one per app, kept in its Flask config)."""

    settings: Settings
    catalog: Catalog
    store: StoreBackend
    cache: QueryCache
    site: SiteSettings

    def reader(
        self, version: str | None = None, *, staff: bool = False, pinned: bool = False
    ) -> Reader:
        """A Reader of `version` (default: the store's current one) with the catalog of that
        version: the base catalog extended with the staff datasets published in it, its
        {home_name} placeholders filled in from that version's area registry, and without
        the internal datasets and indicators unless `staff` (logged in) may see them.
        `pinned`: for a permalink (`/v/<version>/...`), whose pages link under the pin (a
        cache key apart)."""
        if not version:
            version = self.store.current_version()
            self.cache.seen_current(version)  # a new version: old entries leave this process
        full = catalog_with_published_staff(self.catalog, self.store, version)
        site = replace(self.site, audience="staff") if staff else self.site
        site = replace(site, pinned=True) if pinned else site
        plain = Reader(self.store, version, full.visible(staff), site, self.cache)
        return Reader(self.store, version, _named(plain), site, self.cache)


_named_catalogs = LocalMemo(16)  # per process: a few versions and sites at a time


def _named(reader: Reader) -> Catalog:
    """The Reader's catalog with the home municipality's names filled in (kept per process)."""
    if reader.version is None:
        return reader.catalog
    key = (id(reader.catalog), reader.version, reader.site.key())
    found = _named_catalogs.get(key)
    if found is None:
        found = reader.catalog.named(reader.area_names(), reader.home_province)
        _named_catalogs.put(key, found)
    return found


CONFIG_KEY = "MMMETER_RUNTIME"
_reading: ContextVar[str | None] = ContextVar("mmmeter_reading_version", default=None)


@contextmanager
def reading_version(version: str) -> Iterator[None]:
    """Requests handled in this thread within the block read store `version` (published or
    not yet: app/warm.py warms a new version before it becomes current)."""
    token = _reading.set(version)
    try:
        yield
    finally:
        _reading.reset(token)


PINNED_KEY = "mmmeter.pinned_version"  # in the WSGI environ of a /v/<version>/... request


def pinned_version() -> str | None:
    """The store version this request's address pins (`/v/<version>/...`), or None."""
    return request.environ.get(PINNED_KEY) if has_request_context() else None


def runtime() -> Runtime:
    return current_app.config[CONFIG_KEY]


def staff_request() -> bool:
    """Whether this request comes from staff logged in (the admin login, or the identity
    provider through OIDC): they see the internal datasets, indicators and themes."""
    from layouts.pages.admin import logged_in

    if not has_request_context():
        return False
    settings = runtime().settings
    return bool(settings.secret_key) and logged_in(settings)


def reader() -> Reader:
    """The Reader of this request (built on first use, for its visitor: public, or staff when
    logged in), or of the current version for the public outside a request."""
    if has_request_context():
        if "mmmeter_reader" not in g:
            pinned = request.environ.get(PINNED_KEY)  # app/permalinks.py
            g.mmmeter_reader = runtime().reader(
                pinned or _reading.get(), staff=staff_request(), pinned=pinned is not None
            )
        return g.mmmeter_reader
    return runtime().reader()
