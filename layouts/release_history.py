"""The release history of a dataset on its page (/data/<dataset>): every store version it was
in, with date, row count, checksum and what changed.

PLACEHOLDER for the releases work (issue 11, data/releases.py): `release_history_section`
returns the section for the dataset page, or None while there is nothing to show; the page
leaves the section out when it is None.
"""

from __future__ import annotations

from dash import html

from data.reader import Reader


def release_history_section(reader: Reader, dataset_id: str, lang: str) -> html.Section | None:
    return None
