"""The open-data addresses for harvesters and programs: /catalog.jsonld, /catalog.ttl
(app/dcat_routes.py), the CKAN action API /api/3/action/* (app/ckan.py) and /api/v1/datasets
(app/datasets_api.py)."""

from __future__ import annotations

from flask import Flask


def register_open_data(server: Flask) -> None:
    from app.ckan import ckan
    from app.datasets_api import datasets_api
    from app.dcat_routes import dcat_routes

    server.register_blueprint(dcat_routes)
    server.register_blueprint(datasets_api)
    server.register_blueprint(ckan)
