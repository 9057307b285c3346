"""Errors that users can act on: they say which file and what was expected."""

from __future__ import annotations

# What went wrong, in words for people (layouts/messages: status.kind.<kind>).
FAILURE_KINDS = (
    "network",  # no connection: refused, unknown host, reset
    "timeout",  # no answer in time, or a download that dripped past the deadline
    "server",  # HTTP 5xx / 429 (after the retries)
    "not_found",  # HTTP 404 / 410, or not in the mirror folder
    "http",  # another HTTP status
    "too_large",  # over the size limit
    "content",  # the file came, but was rejected by a check (default)
    "internal",  # a bug in MMmeter while reading the file
)


class CatalogError(ValueError):
    """The catalog (or a staff metadata file) is invalid."""


class SourceError(ValueError):
    """An upstream file was rejected whole; `reason` says why, `kind` what sort of fault."""

    kind = "content"

    def __init__(self, source: str, reason: str, kind: str | None = None):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        if kind is not None:
            self.kind = kind


class FetchError(SourceError):
    """A file could not be fetched (network, HTTP status, size limit)."""

    kind = "http"
