"""What a request needs: settings, catalog and store of the running app (set by create_app)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from app.settings import Settings
from data.catalog import Catalog
from data.store import Store


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    catalog: Catalog
    store: Store


CONFIG_KEY = "MMMETER_RUNTIME"


def runtime() -> Runtime:
    """The app's runtime, its catalog extended with the published staff datasets."""
    from dataclasses import replace

    from data.staff import catalog_with_published_staff

    base = current_app.config[CONFIG_KEY]
    return replace(base, catalog=catalog_with_published_staff(base.catalog, base.store))
