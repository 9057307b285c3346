"""Pages in-process, without a browser: a Flask app holding a store, and a page's text."""

from __future__ import annotations

import json

import plotly
from flask import Flask

from app.context import CONFIG_KEY, Runtime
from data.cache import init_cache
from data.catalog import load_catalog
from data.store import Store


def server_for(settings) -> Flask:
    """A Flask app whose runtime reads `settings`' store (as create_app sets it up)."""
    server = Flask("page-test")
    server.config[CONFIG_KEY] = Runtime(
        settings, load_catalog(settings.catalog_path), Store(settings.store_dir)
    )
    init_cache(server, settings)
    return server


def text_of(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
