"""The geometry the maps draw, as a file of its own at an address that names the store version.

A map figure refers to its geometry by URL (plotly.js fetches a `geojson` given as a string
and keeps it), so switching week, topic or level never sends polygons again, and a browser
that has drawn a level once takes it from its cache: the address changes only with the data.
"""

from __future__ import annotations

import json
import re

from data.reader import Reader, memoized
from layouts.figures.choropleth import clockwise
from layouts.views.urls import api_href

PATH = "/api/v1/geometry/{level}"
VERSION_PATTERN = re.compile(r"\d{8}T\d{12}Z")


def geometry_url(reader: Reader, level: str) -> str | None:
    """Where the map geometry of `level` in the current store version is served."""
    version = reader.version
    if version is None or reader.geometry(level) is None:
        return None
    return api_href(PATH.format(level=level), {"version": version})


def geometry_json(reader: Reader, level: str, version: str) -> bytes | None:
    """The map geometry of `level` in store `version` (kept versions too: a page opened
    before a refresh still draws), as JSON; None when there is none."""
    if not VERSION_PATTERN.fullmatch(version):
        return None
    pinned = reader.at(version)
    if pinned.geometry(level) is None:
        return None
    return _geometry_json(pinned, level)


@memoized()
def _geometry_json(reader: Reader, level: str) -> bytes:
    # the polygons as the queries read them, turned to the winding plotly's d3-geo takes
    turned = clockwise(reader.geometry(level))
    return json.dumps(turned, separators=(",", ":")).encode()
