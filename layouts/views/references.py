"""Which areas a map of smaller areas marks in its legend and names in its summary.

One rule for every map (the theme map block, /buurten, /corona/kaart):
- on a map of gemeenten the home municipality is marked where it lies among the others;
- the whole the areas lie in (`within`, else the home municipality for wijken and buurten,
  the Netherlands for gemeenten) is named as a yardstick, except for counts that add up (the
  catalog's `additive`): the total inhabitants of Emmen is no yardstick for one wijk.
"""

from __future__ import annotations

from data.catalog import Indicator

LEVELS_WITH_A_WHOLE = ("gm", "wk", "bu")
COUNTRY = "NL01"


def reference_area(indicator: Indicator, level: str, within: str | None, home: str) -> str | None:
    """The whole a map of `level` compares its areas with, or None (see the module text)."""
    if indicator.additive:
        return None
    if within:
        return within
    if level == "gm":
        return COUNTRY
    return home if level in LEVELS_WITH_A_WHOLE else None


def marked_area(level: str, within: str | None, home: str) -> str | None:
    """The area of the map itself marked in its legend: the home municipality on a map of
    gemeenten (the country's, or those of a province it lies in, which the caller checks)."""
    return home if level == "gm" else None


def reference_areas(indicator: Indicator, level: str, within: str | None, home: str) -> list[str]:
    """The marked area, then the whole: every area a map's legend and summary name."""
    found = [marked_area(level, within, home), reference_area(indicator, level, within, home)]
    return list(dict.fromkeys(code for code in found if code is not None))
