"""Pages in-process, without a browser: the Reader of a store, and a page's text."""

from __future__ import annotations

import json

import plotly
from flask import Flask

from app.context import CONFIG_KEY
from app.main import build_runtime
from data.reader import Reader


def server_for(settings) -> Flask:
    """A Flask app set up as create_app sets it up for `settings` (no Dash, no scheduler)."""
    server = Flask("page-test")
    server.config[CONFIG_KEY] = build_runtime(settings)
    return server


def reader_for(settings) -> Reader:
    """The Reader of the current version of `settings`' store."""
    return build_runtime(settings).reader()


def text_of(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
