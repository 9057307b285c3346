"""Catalog, fetching, parsing, validation, pipeline, store and queries."""
