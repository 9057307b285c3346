"""Callbacks whose answer depends only on their request body and the request's Reader (store
version, site settings, catalog): app/answers.py keeps their answers as the bytes sent and
sends them again without running the callback. A callback belongs here only when it reads
nothing else (no session, cookie, header, clock or store write): the map switches do.

Each entry is the callback's first output, `component-id.property`.
"""

from __future__ import annotations

from layouts.pages import corona_map, neighbourhoods

PURE_OUTPUTS = frozenset(
    {
        f"{corona_map.IDS.graph}.figure",  # /corona/kaart: week, topic, zoom
        f"{neighbourhoods.IDS.graph}.figure",  # /buurten: level, topic, year
    }
)


def first_output(output: str) -> str:
    """`..a.children...b.data..` (several outputs) or `a.children` -> `a.children`."""
    return output.strip(".").split("...", 1)[0]
