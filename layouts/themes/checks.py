"""Check a theme against what exists: indicators in the catalog, areas in the registry, levels.

Unknown indicators and areas are errors (the block cannot be drawn). A level for which an
indicator has no figures is a warning: the page still works and says so in the block.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from data.catalog import DEFAULT_HOME, INTERNAL, Catalog, home_placeholders
from data.staff import LEVEL_WORDS, LEVELS
from geo.registry import level_of
from layouts.themes.home import HOME_PROVINCE_WORD, HOME_WORD
from layouts.themes.models import (
    LevelBlock,
    RowBlock,
    Theme,
    TilesBlock,
    TrendBlock,
)
from layouts.views.families import per_100k_of

Location = tuple[str | int, ...]
HOME_WORDS = (HOME_WORD, HOME_PROVINCE_WORD)
LEVEL_ORDER = {"nl": 0, "pv": 1, "gm": 2, "wk": 3, "bu": 4, "rwzi": 5}


@dataclass(frozen=True)
class References:
    """What a theme may refer to. `areas`/`levels`/`maps` are None when the store is empty."""

    catalog: Catalog
    areas: dict[str, str] | None = None  # code -> name
    levels: dict[str, list[str]] | None = None  # indicator -> level codes that have values
    maps: frozenset[str] | None = None  # level codes that have map geometry
    periods: Callable[[str, str], list] | None = None  # (indicator, level) -> its periods
    home: str = DEFAULT_HOME  # what `home` in a theme file stands for
    home_province: str | None = None  # and `home_province`

    def placeholders(self) -> dict[str, str]:
        """Text placeholders for the home municipality ({home_name} -> Emmen ...)."""
        return home_placeholders(self.home, self.areas, self.home_province)


@dataclass(frozen=True)
class Finding:
    loc: Location
    message: str
    severity: Literal["error", "warning"] = "error"


def _level_words(codes) -> str:
    return ", ".join(LEVEL_WORDS.get(code, code) for code in codes) or "none"


def unknown_indicator_message(indicator_id: str, known) -> str:
    close = difflib.get_close_matches(indicator_id, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else "; see /api/v1/indicators for the ids"
    return f"unknown indicator '{indicator_id}'{hint}"


def unknown_area_message(code: str, areas: dict[str, str] | None) -> str | None:
    """None when `code` is a known area (or, without a registry, a well-formed code)."""
    if areas is None:
        try:
            level_of(code)
        except ValueError as exc:
            return str(exc)
        return None
    if code in areas:
        return None
    by_name = {str(name).casefold(): c for c, name in areas.items() if name}
    if code.casefold() in by_name:
        found = by_name[code.casefold()]
        return f"unknown area '{code}'; use the CBS code: {found} ({areas[found]})"
    close = difflib.get_close_matches(code, list(areas), n=1, cutoff=0.7)
    if close:
        return f"unknown area '{code}'; did you mean {close[0]} ({areas[close[0]] or '?'})?"
    return f"unknown area '{code}'; see /api/v1/areas for the codes"


# Says neither the id nor the title: the page of a broken public theme is shown to anyone.
INTERNAL_IN_PUBLIC = (
    "this indicator is internal, and a public theme cannot show it; give the theme "
    "'visibility: internal' or choose a public indicator"
)


def _indicator_entries(block, loc: Location) -> list[tuple[Location, str]]:
    if getattr(block, "indicators", None) is not None:
        return [((*loc, "indicators", i), ind) for i, ind in enumerate(block.indicators)]
    if getattr(block, "indicator", None) is not None:
        return [((*loc, "indicator"), block.indicator)]
    return []


def _indicator_findings(block, loc: Location, refs: References) -> list[Finding]:
    findings = []
    for where, ind in _indicator_entries(block, loc):
        if ind in refs.catalog.withheld_indicators:
            findings.append(Finding(where, INTERNAL_IN_PUBLIC))
        elif ind not in refs.catalog.indicators:
            findings.append(Finding(where, unknown_indicator_message(ind, refs.catalog.indicators)))
    return findings


def _visibility_findings(theme: Theme, refs: References) -> list[Finding]:
    """A public theme that uses an internal indicator (as staff see the catalog)."""
    if theme.visibility == INTERNAL:
        return []
    indicators = refs.catalog.indicators
    return [
        Finding(where, INTERNAL_IN_PUBLIC)
        for _, loc, block in theme.numbered_blocks()
        if not isinstance(block, RowBlock)
        for where, ind in _indicator_entries(block, loc)
        if ind in indicators and indicators[ind].visibility == INTERNAL
    ]


def _area_findings(block, loc: Location, refs: References) -> list[Finding]:
    if isinstance(block, TilesBlock):
        entries = [((*loc, "area"), block.area)]
    elif isinstance(block, TrendBlock):
        entries = [((*loc, "areas", i), a) for i, a in enumerate(block.areas)]
    else:
        return []
    findings = []
    for where, code in entries:
        if code in HOME_WORDS:  # left as written only when no store says what it stands for
            continue
        problem = unknown_area_message(code, refs.areas)
        if problem:
            findings.append(Finding(where, problem))
            continue
        area_level = level_of(code)
        for ind in block.indicator_ids:
            indicator = refs.catalog.indicators.get(ind)
            if indicator is None:
                continue
            if area_level not in indicator.levels:
                message = (
                    f"indicator '{ind}' has no figures per {_level_words([area_level])} "
                    f"(it has: {_level_words(indicator.levels)}); the block will say so"
                )
            elif refs.levels is not None and area_level not in refs.levels.get(ind, []):
                message = (
                    f"indicator '{ind}' has no figures per {_level_words([area_level])} in the "
                    "current data; the block will say so until they arrive"
                )
            else:
                continue
            findings.append(Finding(where, message, "warning"))
    return findings


def _level_findings(block: LevelBlock, loc: Location, refs: References) -> list[Finding]:
    findings = []
    code = block.level_code
    if block.within is not None and block.within not in HOME_WORDS:
        problem = unknown_area_message(block.within, refs.areas)
        if problem is None and LEVEL_ORDER[level_of(block.within)] >= LEVEL_ORDER.get(code, 0):
            problem = f"'{block.within}' is not an area that holds areas per {block.level}"
        if problem:
            findings.append(Finding((*loc, "within"), problem))
    for ind in block.indicator_ids:
        indicator = refs.catalog.indicators.get(ind)
        if indicator is None:
            continue
        if code not in indicator.levels:
            message = (
                f"indicator '{ind}' has no figures per {block.level} in the catalog "
                f"(it has: {_level_words(indicator.levels)}); the block will say so"
            )
        elif refs.levels is not None and code not in refs.levels.get(ind, []):
            message = (
                f"indicator '{ind}' has no figures per {block.level} in the current data; "
                "the block will say so until they arrive"
            )
        else:
            continue
        findings.append(Finding((*loc, "level"), message, "warning"))
    if block.period is not None and refs.periods is not None:
        findings += _period_findings(block, loc, refs.periods)
    if block.type == "map" and refs.maps is not None and code not in refs.maps:
        findings.append(
            Finding(
                (*loc, "level"),
                f"there are no map boundaries per {block.level}; the block shows the table only",
                "warning",
            )
        )
    return findings


def _period_findings(block: LevelBlock, loc: Location, periods) -> list[Finding]:
    findings = []
    wanted = pd.Timestamp(block.period)
    for ind in block.indicator_ids:
        available = [pd.Timestamp(p) for p in periods(ind, block.level_code)]
        if not available or wanted in available:
            continue
        nearest = sorted(available, key=lambda p: abs(p - wanted))[:2]
        listed = " or ".join(p.date().isoformat() for p in sorted(nearest))
        findings.append(
            Finding(
                (*loc, "period"),
                f"indicator '{ind}' has no figures per {block.level} for "
                f"{dt.date.isoformat(block.period)}; nearest: {listed}",
                "warning",
            )
        )
    return findings


def _toggle_findings(block, loc: Location, refs: References) -> list[Finding]:
    """A per-100,000 switch needs the indicator per 100,000 in the catalog."""
    if not getattr(block, "per_100k_toggle", False):
        return []
    if block.indicator not in refs.catalog.indicators:
        return []  # reported as an unknown indicator
    if per_100k_of(refs.catalog, block.indicator) is None:
        message = f"indicator '{block.indicator}' has no counterpart per 100,000 in the catalog"
        return [Finding((*loc, "per_100k_toggle"), message)]
    return []


def _map_control_findings(block, loc: Location, refs: References) -> list[Finding]:
    """A week slider needs daily or weekly figures; every level of a level switch needs
    figures (a warning: the map says so) in the catalog."""
    indicator = refs.catalog.indicators.get(getattr(block, "indicator", None) or "")
    if indicator is None:
        return []  # reported as an unknown indicator
    findings = []
    if getattr(block, "week_slider", False) and indicator.frequency not in ("day", "week"):
        message = (
            f"indicator '{indicator.id}' has figures per {indicator.frequency}, not per day or "
            "week; a week slider needs daily or weekly figures"
        )
        findings.append(Finding((*loc, "week_slider"), message))
    for i, word in enumerate(getattr(block, "level_switch", None) or []):
        if LEVELS[word] not in indicator.levels:
            message = (
                f"indicator '{indicator.id}' has no figures per {word} in the catalog "
                f"(it has: {_level_words(indicator.levels)}); the map will say so"
            )
            findings.append(Finding((*loc, "level_switch", i), message, "warning"))
    return findings


def check_block(block, loc: Location, refs: References) -> list[Finding]:
    if isinstance(block, RowBlock):
        return [
            finding
            for j, inner in enumerate(block.blocks)
            for finding in check_block(inner, (*loc, "blocks", j), refs)
        ]
    findings = _indicator_findings(block, loc, refs) + _area_findings(block, loc, refs)
    findings += _toggle_findings(block, loc, refs) + _map_control_findings(block, loc, refs)
    if isinstance(block, LevelBlock):
        findings += _level_findings(block, loc, refs)
    return findings


def check_references(theme: Theme, refs: References) -> list[Finding]:
    """Every reference problem of `theme`, errors and warnings, in file order."""
    findings = [
        finding
        for i, block in enumerate(theme.blocks)
        for finding in check_block(block, ("blocks", i), refs)
    ]
    # sorted by block (a stable sort keeps the order within one)
    return sorted(_visibility_findings(theme, refs) + findings, key=lambda f: f.loc[:2])
