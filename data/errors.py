"""Errors that users can act on: they say which file and what was expected."""

from __future__ import annotations


class CatalogError(ValueError):
    """The catalog (or a staff metadata file) is invalid."""


class SourceError(ValueError):
    """An upstream file was rejected whole; `reason` says why."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class FetchError(SourceError):
    """A file could not be fetched (network, HTTP status, size limit)."""
