"""Interface text in Dutch (default) and English, and locale-aware numbers and dates.

All text a page shows comes from layouts/messages/{nl,en}.yaml through `t`. Nested YAML keys
are addressed with dots: `t("nav.home", "en")`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date as babel_format_date
from babel.dates import get_month_names
from babel.numbers import format_decimal

from data.yamlfile import Problem, YamlProblems, read_yaml

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")
DEFAULT_LANG: Lang = "nl"
LOCALES: dict[Lang, str] = {"nl": "nl_NL", "en": "en_GB"}
MESSAGES_DIR = Path(__file__).with_name("messages")
NO_DATA = "–"  # en dash; pair it with t("common.no_data") for screen readers
ARROWS = {"more": "▲", "less": "▼", "same": "="}  # decorative: mark them aria-hidden


def normalize_lang(value: object) -> Lang:
    """'en', 'EN', 'en-GB', 'en_US,nl;q=0.5' -> 'en'; anything else, None included -> 'nl'."""
    if not isinstance(value, str):
        return DEFAULT_LANG
    head = value.strip().lower().replace("_", "-").split(",")[0].split(";")[0].split("-")[0]
    return head if head in LANGS else DEFAULT_LANG  # type: ignore[return-value]


def _flatten(doc, node: Any, path: tuple[str, ...], out: dict[str, str], problems: list) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                problems.append(
                    doc.problem(path, f"key {key!r} is not text; quote it in the YAML file")
                )
                continue
            _flatten(doc, value, (*path, key), out, problems)
        return
    dotted = ".".join(path)
    if not isinstance(node, str):
        problems.append(doc.problem(path, f"message must be text, found {type(node).__name__}"))
    elif dotted in out:
        problems.append(doc.problem(path, f"key {dotted!r} is defined twice"))
    else:
        out[dotted] = node


@cache
def catalog(lang: Lang) -> dict[str, str]:
    """The messages of `lang` as a flat {dotted key: text} dict (read once per process)."""
    path = MESSAGES_DIR / f"{lang}.yaml"
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise YamlProblems([Problem(str(path), 1, "", "expected a mapping of message keys")])
    messages: dict[str, str] = {}
    problems: list[Problem] = []
    _flatten(doc, doc.data, (), messages, problems)
    if problems:
        raise YamlProblems(problems)
    return messages


# The names of the home municipality and its province ({home_name}, {home_province_name} in
# messages), set by app/ for each request from its Reader (use_site_names).
_site_names: ContextVar[dict[str, str] | None] = ContextVar("site_names", default=None)


def use_site_names(home_name: str, home_province_name: str) -> None:
    """Fill {home_name} and {home_province_name} in the messages of this request (or thread)."""
    _site_names.set({"home_name": home_name, "home_province_name": home_province_name})


def t(key: str, lang: str, **params: Any) -> str:
    """The text for `key` in `lang`, with `params` filled in by str.format.

    An unknown key raises KeyError naming the file and the closest existing keys.
    """
    code = normalize_lang(lang)
    messages = catalog(code)
    try:
        text = messages[key]
    except KeyError:
        close = difflib.get_close_matches(key, messages, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no message {key!r} in {MESSAGES_DIR / code}.yaml{hint}") from None
    names = _site_names.get() or {}
    if not params:  # a template (filled in later): only the site's names go in now
        for name, value in names.items():
            text = text.replace("{" + name + "}", value)
        return text
    return text.format_map(_Params({**names, **params}))


class _Params(dict):
    """Message parameters; a site name not set (outside a request) stays a placeholder."""

    def __missing__(self, key: str) -> str:
        if key in ("home_name", "home_province_name"):
            return "{" + key + "}"
        raise KeyError(key)


def missing_keys() -> dict[Lang, set[str]]:
    """For each language, the keys another language has and it lacks (empty when in sync)."""
    keys = {lang: set(catalog(lang)) for lang in LANGS}
    every = set().union(*keys.values())
    return {lang: every - keys[lang] for lang in LANGS}


def _decimal(value: object) -> Decimal | None:
    """`value` as a Decimal, or None when it is missing (None, NaN, pandas NA, inf)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if not math.isfinite(float(value)):  # type: ignore[arg-type]
            return None
        return Decimal(str(value))
    except (TypeError, ValueError, InvalidOperation):
        return None


def _round(value: Decimal, decimals: int) -> Decimal:
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # no "-0"


def format_number(value: object, lang: str, decimals: int = 0) -> str:
    """1234.5 -> nl '1.234,5', en '1,234.5' (with decimals=1); missing -> '–'.

    Rounds half up (2.5 -> 3), as statistics are usually published.
    """
    number = _decimal(value)
    if number is None:
        return NO_DATA
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(
        _round(number, decimals), format=pattern, locale=LOCALES[normalize_lang(lang)]
    )


def format_percent_change(pct: object, lang: str, decimals: int = 0) -> str:
    """A change in percent, signed: 12.5 -> nl '+12,5%', en '+12.5%' (decimals=1); 0 -> '0%'.

    `pct` is already in percent (12.5 means 12.5%, not 1250%). Missing -> '–'.
    """
    number = _decimal(pct)
    if number is None:
        return NO_DATA
    rounded = _round(number, decimals)
    sign = "+" if rounded > 0 else ""
    return f"{sign}{format_number(rounded, lang, decimals)}%"


def describe_change(delta: object, lang: str, decimals: int = 0) -> tuple[str, str]:
    """(arrow, words) for a change against the week before.

    12 -> ('▲', '12 meer dan de week ervoor'); -3 -> ('▼', '3 minder dan de week ervoor');
    0 -> ('=', 'gelijk aan de week ervoor'). Missing -> ('', 'geen gegevens').
    Show the arrow aria-hidden next to the words; the words alone carry the meaning.
    """
    number = _decimal(delta)
    if number is None:
        return "", t("common.no_data", lang)
    rounded = _round(number, decimals)
    if not rounded:
        return ARROWS["same"], t("change.same", lang)
    direction = "more" if rounded > 0 else "less"
    value = format_number(abs(rounded), lang, decimals)
    return ARROWS[direction], t(f"change.{direction}", lang, value=value)


def _as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # pandas.Timestamp is a datetime too
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    raise TypeError(f"expected a date, datetime or 'YYYY-MM-DD' string, got {value!r}")


def month_names(lang: str) -> list[str]:
    """The months in words, January first: nl 'januari', ..., en 'January', ..."""
    names = get_month_names("wide", locale=LOCALES[normalize_lang(lang)])
    return [names[month] for month in range(1, 13)]


def _short_month(month: int, lang: Lang) -> str:
    locale = LOCALES[lang]
    short = get_month_names("abbreviated", locale=locale)[month]
    if lang == "nl" and short != get_month_names("wide", locale=locale)[month]:
        return f"{short}."  # Dutch abbreviations take a full stop: feb., mrt.; mei stays mei
    return short


def format_date(date: object, lang: str, style: Literal["long", "short"] = "long") -> str:
    """10 Feb 2022 -> long: nl '10 februari 2022', en '10 February 2022';
    short: nl '10 feb. 2022', en '10 Feb 2022'. Accepts date, datetime or 'YYYY-MM-DD'.
    Missing -> '–'.
    """
    day = _as_date(date)
    if day is None:
        return NO_DATA
    code = normalize_lang(lang)
    if style == "long":
        return babel_format_date(day, "d MMMM y", locale=LOCALES[code])
    if style == "short":
        return f"{day.day} {_short_month(day.month, code)} {day.year}"
    raise ValueError(f"unknown date style {style!r}; use 'long' or 'short'")


def format_week(date: object, lang: str) -> str:
    """The ISO week holding `date`: nl 'week 6 van 2022', en 'week 6 of 2022'.

    The year is the ISO week-year: 1 January 2021 is in 'week 53 van 2020'.
    """
    day = _as_date(date)
    if day is None:
        return NO_DATA
    year, week, _ = day.isocalendar()
    return t("time.week_of_year", lang, week=week, year=year)
