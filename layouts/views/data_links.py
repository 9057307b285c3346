"""The addresses of the open-data pages and downloads (/data, /data/<dataset>,
/data/indicator/<id>, /data/<dataset>.zip, /api/v1/observations), made through the URL builder
(layouts/views/urls.py) so that they stay under the path prefix and the pinned version."""

from __future__ import annotations

from collections.abc import Mapping

from layouts.views.urls import OBSERVATIONS_API, api_href, href

CATALOGUE_PATH = "/data"
INDICATOR_PREFIX = "/data/indicator/"


def catalogue_href(lang: str, query: Mapping[str, object] | None = None) -> str:
    return href(CATALOGUE_PATH, query, lang)


def dataset_path(dataset_id: str) -> str:
    """The app path of a dataset's page (a sitemap entry; links use dataset_href)."""
    return f"{CATALOGUE_PATH}/{dataset_id}"


def indicator_path(indicator_id: str) -> str:
    return f"{INDICATOR_PREFIX}{indicator_id}"


def dataset_href(dataset_id: str, lang: str) -> str:
    return href(dataset_path(dataset_id), None, lang)


def indicator_href(indicator_id: str, lang: str) -> str:
    return href(indicator_path(indicator_id), None, lang)


def dataset_zip_href(dataset_id: str) -> str:
    return api_href(f"{CATALOGUE_PATH}/{dataset_id}.zip")


def observations_href(query: Mapping[str, object]) -> str:
    return api_href(OBSERVATIONS_API, query)
