"""What a request needs: settings, catalog and store of the running app (set by create_app)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, has_request_context

from app.settings import Settings
from data.catalog import Catalog
from data.store import Store


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    catalog: Catalog
    store: Store
    version: str | None = None  # the store version this runtime was read at (None: not yet)


CONFIG_KEY = "MMMETER_RUNTIME"


def runtime() -> Runtime:
    """The app's runtime, its catalog extended with the published staff datasets.

    Within a request it is looked up once: every part of one answer sees the same store
    version and catalog, also when a refresh publishes a new version meanwhile.
    """
    if has_request_context():
        if "mmmeter_runtime" not in g:
            g.mmmeter_runtime = _current_runtime()
        return g.mmmeter_runtime
    return _current_runtime()


def _current_runtime() -> Runtime:
    from dataclasses import replace

    from data.staff import catalog_with_published_staff

    base = current_app.config[CONFIG_KEY]
    version = base.store.current_version()
    catalog = catalog_with_published_staff(base.catalog, base.store, version)
    return replace(base, catalog=catalog, version=version)
