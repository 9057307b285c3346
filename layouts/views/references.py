"""Which area a map of smaller areas marks in its legend and names in its summary: the area
they lie in (`within`, else the home municipality), except for counts that add up (the
catalog's `additive`): the total inhabitants of Emmen is no yardstick for one wijk."""

from __future__ import annotations

from data.catalog import Indicator

LEVELS_WITH_A_WHOLE = ("gm", "wk", "bu")


def reference_area(indicator: Indicator, level: str, within: str | None, home: str) -> str | None:
    """The area whose value a map of `level` compares its areas with, or None."""
    if indicator.additive:
        return None
    if within:
        return within
    return home if level in LEVELS_WITH_A_WHOLE else None
