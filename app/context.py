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
    return current_app.config[CONFIG_KEY]
