"""The release history of a dataset on its page (/data/<dataset>): every store version it was
in, with date, row count, checksum and what changed (data/releases.py). The section is made
with the release notes (layouts/pages/releases.py); None while the store has no release, and
the page leaves the section out then.
"""

from __future__ import annotations

from layouts.pages.releases import release_history_section

__all__ = ["release_history_section"]
