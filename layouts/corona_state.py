"""The corona page's view state and its URL: parse, validate, serialize (pure, no Dash).

The municipality is in the path (`/corona/GM0114`, or a name: `/corona/aa-en-hunze`); the rest
of the view is in the query, so a copied link reopens the same view:

    /corona/GM0114?view=per100k&period=3m&metric=hospital&compare=GM0106,GM1680&lang=en
    /corona/GM0114?from=2021-10&to=2022-03            (a custom range of whole months)

Defaults are left out of the URL. Unknown or malformed values fall back to the default, so an
edited or truncated link still opens a page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlencode

from layouts.i18n import DEFAULT_LANG, normalize_lang
from layouts.views.area_search import find_area
from layouts.views.periods import PRESETS, preset_start

BASE_PATH = "/corona"
VIEWS = ("absolute", "per100k")
METRICS = ("cases", "hospital", "deaths")
MAX_COMPARE = 5

_MUNICIPALITY_CODE = re.compile(r"GM\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class CoronaState:
    """What the page shows besides the municipality.

    `period` is a preset, or None when `months` holds a custom range of whole months
    (first, last; both 'YYYY-MM', inclusive).
    """

    view: str = "absolute"
    metric: str = "cases"
    period: str | None = "all"
    months: tuple[str, str] | None = None
    compare: tuple[str, ...] = ()
    lang: str = DEFAULT_LANG

    def with_preset(self, preset: str) -> CoronaState:
        return replace(self, period=preset if preset in PRESETS else "all", months=None)

    def with_months(self, first: str, last: str) -> CoronaState:
        months = _month_range(first, last)
        if months is None:
            return replace(self, period="all", months=None)
        return replace(self, period=None, months=months)


def _single(value: str | Sequence[str] | None) -> str | None:
    """Dash passes a repeated query parameter as a list: the last one wins."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value[-1] if len(value) else None


def _month_range(first: str | None, last: str | None) -> tuple[str, str] | None:
    parsed = [_parse_month(first), _parse_month(last)]
    if None in parsed:
        return None
    low, high = sorted(parsed)
    return (f"{low[0]:04d}-{low[1]:02d}", f"{high[0]:04d}-{high[1]:02d}")


def _parse_month(text: str | None) -> tuple[int, int] | None:
    match = _MONTH.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 1 <= month <= 12 and year >= 1900 else None


def parse_compare(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """'GM0106,gm1680' -> ('GM0106', 'GM1680'): well-formed codes, in order, no repeats."""
    if value is None:
        return ()
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    codes = [p.strip().upper() for p in parts]
    wanted = [c for c in dict.fromkeys(codes) if _MUNICIPALITY_CODE.fullmatch(c)]
    return tuple(wanted[:MAX_COMPARE])


def parse_state(query: Mapping[str, str | Sequence[str]]) -> CoronaState:
    """The state from URL query parameters (as Dash passes them to a page layout)."""
    view = _single(query.get("view"))
    metric = _single(query.get("metric"))
    period = _single(query.get("period"))
    state = CoronaState(
        view=view if view in VIEWS else "absolute",
        metric=metric if metric in METRICS else "cases",
        compare=parse_compare(query.get("compare")),
        lang=normalize_lang(_single(query.get("lang"))),
    )
    first, last = _single(query.get("from")), _single(query.get("to"))
    if first is not None or last is not None:
        custom = state.with_months(first or last or "", last or first or "")
        if custom.months is not None:
            return custom
    return state.with_preset(period or "all")


def to_query(state: CoronaState) -> str:
    """The query string for `state`, defaults left out: '' or '?view=per100k&...'."""
    params: dict[str, str] = {}
    if state.view != "absolute":
        params["view"] = state.view
    if state.metric != "cases":
        params["metric"] = state.metric
    if state.months is not None:
        params["from"], params["to"] = state.months
    elif state.period not in (None, "all"):
        params["period"] = state.period
    if state.compare:
        params["compare"] = ",".join(state.compare)
    if state.lang != DEFAULT_LANG:
        params["lang"] = state.lang
    return f"?{urlencode(params, safe=',')}" if params else ""


def page_path(code: str, home: str) -> str:
    """The page of a municipality: '/corona' for the home municipality, else '/corona/GMxxxx'."""
    return BASE_PATH if code == home else f"{BASE_PATH}/{code}"


def resolve_municipality(
    text: str | None, names: Mapping[str, str], home: str | None = None
) -> str | None:
    """The code of the municipality `text` names: a code ('gm0114') or a name ('Emmen').

    `names` maps the known municipality codes to their names. None (no text) is `home`, the
    home municipality; text that names no known municipality gives None.
    """
    if text is None or not text.strip("/ "):
        return home if home in names else None
    raw = unquote(text).strip("/ ")
    return find_area(raw, names)


def month_number(day: dt.date) -> int:
    """Months since year 0: a whole number per month, for a month slider."""
    return day.year * 12 + day.month - 1


def month_label(number: int) -> str:
    """month_number's inverse as 'YYYY-MM'."""
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def month_bounds(months: tuple[str, str]) -> tuple[dt.date, dt.date]:
    """('2021-10', '2022-03') -> (1 October 2021, 31 March 2022)."""
    (y1, m1), (y2, m2) = _parse_month(months[0]), _parse_month(months[1])
    first = dt.date(y1, m1, 1)
    following = dt.date(y2 + m2 // 12, m2 % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def window(state: CoronaState, last: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The (first, last) day to show of a series ending on `last`; None means open.

    A preset counts back from the end of each series (so 'last month' of an archived series is
    its final month); a custom range is the same for every series.
    """
    if state.months is not None:
        return month_bounds(state.months)
    if last is None or state.period in (None, "all"):
        return None, None
    return preset_start(state.period, last), last


def state_from_controls(
    *,
    view: str | None,
    preset: str | None,
    months: Sequence[int] | None,
    metric: str | None,
    compare: Sequence[str] | None,
    lang: str | None,
) -> CoronaState:
    """The state the page's controls show (validated like a URL): a chosen preset wins over
    the slider, whose `months` are month numbers (see month_number)."""
    query: dict[str, str] = {
        "view": view or "",
        "metric": metric or "",
        "compare": ",".join(compare or ()),
        "lang": lang or "",
    }
    if preset:
        query["period"] = preset
    elif months and len(months) == 2:
        query["from"], query["to"] = month_label(int(months[0])), month_label(int(months[1]))
    return parse_state(query)
