"""What a map page shows, as URL query parameters, so that a copied link reopens the view (pure).

    /corona/kaart?indicator=covid_hospital_admissions_per_100k_7d&week=2022-W06&zoom=PV22
    /buurten?level=wk&indicator=age_65_plus_pct&year=2021&lang=en

Defaults are left out of the URL. Unknown or malformed values fall back to the default, so an
edited or truncated link still opens a page. Weeks are ISO weeks ("2022-W06"); a map of a week
shows the 7-day average on the last day of that week that has data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pandas as pd

from layouts.i18n import DEFAULT_LANG, normalize_lang

CORONA_MAP_INDICATORS = (
    "covid_cases_per_100k_7d",
    "covid_hospital_admissions_per_100k_7d",
    "covid_deaths_per_100k_7d",
)
COUNTRY = "NL01"
ZOOM_PATTERN = re.compile(r"NL01|PV(2[0-9]|3[01])")  # the country or a province
LEVELS = ("wk", "bu")
DEFAULT_NEIGHBOURHOOD_INDICATOR = "population"

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
_INDICATOR = re.compile(r"[a-z0-9_]{1,80}")
_YEAR = re.compile(r"\d{4}")

Query = Mapping[str, str | Sequence[str] | None]


def _single(value: str | Sequence[str] | None) -> str | None:
    """Dash passes a repeated query parameter as a list: the last one wins."""
    if value is None or isinstance(value, str):
        return value
    return value[-1] if len(value) else None


def _query(params: dict[str, str], lang: str) -> str:
    if normalize_lang(lang) != DEFAULT_LANG:
        params["lang"] = normalize_lang(lang)
    return f"?{urlencode(params)}" if params else ""


# Weeks -------------------------------------------------------------------------------------


def iso_week(day: object) -> str:
    """The ISO week holding `day`: 1 January 2021 -> '2020-W53'."""
    year, week, _ = pd.Timestamp(day).isocalendar()
    return f"{year:04d}-W{week:02d}"


def parse_week(text: str | None) -> str | None:
    """'2022-W06', '2022w6', '2022-W6' -> '2022-W06'; anything else (or week 54) -> None."""
    match = _WEEK.fullmatch((text or "").strip())
    if not match:
        return None
    year, week = int(match.group(1)), int(match.group(2))
    try:
        dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return f"{year:04d}-W{week:02d}"


@dataclass(frozen=True)
class Week:
    key: str  # ISO week, '2022-W06'
    end: pd.Timestamp  # the last day of the week that has data


def weeks_of(periods: Sequence[object]) -> list[Week]:
    """One Week per ISO week in `periods` (days), oldest first, each with its last day."""
    last: dict[str, pd.Timestamp] = {}
    for period in periods:
        day = pd.Timestamp(period)
        if pd.isna(day):
            continue
        key = iso_week(day)
        if key not in last or day > last[key]:
            last[key] = day
    return [Week(key, last[key]) for key in sorted(last)]


def week_index(weeks: Sequence[Week], key: str | None) -> int:
    """Where `key` is in `weeks`: None -> the latest; a week outside the range -> the nearest
    end; a week in a gap -> the week before it. `weeks` must not be empty."""
    if not weeks:
        raise ValueError("no weeks to choose from")
    if key is None:
        return len(weeks) - 1
    keys = [w.key for w in weeks]
    if key in keys:
        return keys.index(key)
    before = [i for i, k in enumerate(keys) if k < key]
    return before[-1] if before else 0


# Municipality map --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoronaMapState:
    indicator: str = CORONA_MAP_INDICATORS[0]
    week: str | None = None  # None: the latest week with data
    zoom: str = COUNTRY  # NL01 (the Netherlands) or PV22 (Drenthe)


def parse_corona_map(query: Query) -> CoronaMapState:
    """The municipality map's state from the URL query (as Dash passes it to a layout)."""
    indicator = _single(query.get("indicator"))
    zoom = (_single(query.get("zoom")) or "").upper()
    return CoronaMapState(
        indicator=indicator if indicator in CORONA_MAP_INDICATORS else CORONA_MAP_INDICATORS[0],
        week=parse_week(_single(query.get("week"))),
        zoom=zoom if ZOOM_PATTERN.fullmatch(zoom) else COUNTRY,
    )


def corona_map_query(state: CoronaMapState, lang: str = DEFAULT_LANG) -> str:
    """'?indicator=...&week=2022-W06&zoom=PV22&lang=en', defaults left out ('' for none)."""
    params: dict[str, str] = {}
    if state.indicator != CORONA_MAP_INDICATORS[0]:
        params["indicator"] = state.indicator
    if state.week is not None:
        params["week"] = state.week
    if state.zoom != COUNTRY:
        params["zoom"] = state.zoom
    return _query(params, lang)


# Neighbourhood map -------------------------------------------------------------------------


@dataclass(frozen=True)
class NeighbourhoodMapState:
    level: str = LEVELS[0]
    indicator: str = DEFAULT_NEIGHBOURHOOD_INDICATOR
    year: int | None = None  # None: the latest year with data

    def with_indicator_from(self, indicators: Sequence[str]) -> NeighbourhoodMapState:
        """This state, or with the default (else the first) of `indicators` when its
        indicator is not among them."""
        if not indicators or self.indicator in indicators:
            return self
        default = DEFAULT_NEIGHBOURHOOD_INDICATOR
        return replace(self, indicator=default if default in indicators else indicators[0])

    def with_year_from(self, years: Sequence[int]) -> NeighbourhoodMapState:
        """This state with its year if `years` has it, else the latest of `years` (or None)."""
        if self.year in years:
            return self
        return replace(self, year=max(years) if years else None)


def parse_neighbourhood_map(query: Query) -> NeighbourhoodMapState:
    """The neighbourhood map's state from the URL query; the indicator and year are only
    checked for form here (which exist depends on the data: see `valid_for`)."""
    level = (_single(query.get("level")) or "").lower()
    indicator = (_single(query.get("indicator")) or "").strip()
    year = (_single(query.get("year")) or "").strip()
    return NeighbourhoodMapState(
        level=level if level in LEVELS else LEVELS[0],
        indicator=indicator if _INDICATOR.fullmatch(indicator) else DEFAULT_NEIGHBOURHOOD_INDICATOR,
        year=int(year) if _YEAR.fullmatch(year) else None,
    )


def neighbourhood_map_query(state: NeighbourhoodMapState, lang: str = DEFAULT_LANG) -> str:
    """'?level=bu&indicator=...&year=2021&lang=en', defaults left out."""
    params: dict[str, str] = {}
    if state.level != LEVELS[0]:
        params["level"] = state.level
    if state.indicator != DEFAULT_NEIGHBOURHOOD_INDICATOR:
        params["indicator"] = state.indicator
    if state.year is not None:
        params["year"] = str(state.year)
    return _query(params, lang)
