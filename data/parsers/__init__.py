"""One parser module per upstream publisher; importing this package registers the formats."""

from data.parsers import cbs, geojson, rivm  # noqa: F401
