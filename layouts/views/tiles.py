"""The tile view model: one headline figure of one area.

A `Tile` holds what a tile says: its title, the value and unit at the indicator's display scale
from the catalog (`shown_value`/`shown_unit`: sewage as "954 × 100 miljard", not
"95.400.000.000.000 virusdeeltjes"), the date line, the change against the week before, and the
archived label. `latest_tile` is the latest value of an indicator (theme tiles blocks),
`week_tile` a week's value against the week before (/corona). `layouts/components.tile_card`
draws every tile from one; `load_latest_tile` and `load_week_tile` read theirs from a Reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from data.catalog import Indicator, shown_unit, shown_value
from data.reader import Reader
from layouts.figures.summary import (
    WeekChange,
    change_between_averages,
    change_between_weeks,
    change_words,
)
from layouts.i18n import format_date, format_number, t

DATE_KEY = "common.date_of_data"


@dataclass(frozen=True)
class Tile:
    indicator: str
    title: str
    value: float | None  # at the display scale
    value_text: str | None  # the value written out, with the indicator's decimals
    unit: str
    decimals: int
    date: dt.date | None
    date_line: str | None  # "Stand van 14 maart 2022"; None without a value
    change: WeekChange | None  # at the display scale
    change_line: tuple[str, str] | None  # (arrow, words), with a change only
    archived: str | None  # "Gearchiveerd sinds ..." for an indicator no longer updated


def _archived(indicator: Indicator, lang: str) -> str | None:
    if indicator.archived_since is None:
        return None
    return t("common.archived", lang, date=format_date(indicator.archived_since, lang))


def _tile(indicator, lang, title, value, date, date_key, change) -> Tile:
    return Tile(
        indicator=indicator.id,
        title=title or indicator.title.get(lang),
        value=value,
        value_text=None if value is None else format_number(value, lang, indicator.decimals),
        unit=shown_unit(indicator, lang),
        decimals=indicator.decimals,
        date=date,
        date_line=None if value is None else t(date_key, lang, date=format_date(date, lang)),
        change=change,
        change_line=None if change is None else change_words(change, lang, indicator.decimals),
        archived=_archived(indicator, lang),
    )


def latest_tile(
    indicator: Indicator,
    lang: str,
    latest: tuple | None,
    *,
    title: str | None = None,
    date_key: str = DATE_KEY,
) -> Tile:
    """The latest value `latest` = (date, value) of `indicator` (None: no figures)."""
    date, value = (latest[0], latest[1]) if latest is not None else (None, None)
    return _tile(indicator, lang, title, shown_value(indicator, value), date, date_key, None)


def week_tile(
    indicator: Indicator,
    lang: str,
    change: WeekChange | None,
    *,
    title: str | None = None,
    date_key: str = DATE_KEY,
) -> Tile:
    """The value of the latest week against the week before (`change`, in stored units)."""
    if change is not None:
        change = replace(
            change,
            current=shown_value(indicator, change.current),
            previous=shown_value(indicator, change.previous),
        )
    value = None if change is None else change.current
    date = None if change is None else change.end
    return _tile(indicator, lang, title, value, date, date_key, change)


def load_latest_tile(reader: Reader, indicator_id: str, area: str, lang: str) -> Tile:
    indicator = reader.catalog.indicators[indicator_id]
    return latest_tile(indicator, lang, reader.latest(indicator_id, area))


def week_change(indicator: Indicator, frame: pd.DataFrame) -> WeekChange | None:
    """This week against the week before: a 7-day mean on its last day against seven days
    earlier, irregular measurements as the mean of each week."""
    if indicator.frequency == "measurement":
        return change_between_weeks(frame)
    return change_between_averages(frame)


def load_week_tile(
    reader: Reader, indicator_id: str, area: str, lang: str, *, title: str, date_key: str
) -> Tile:
    indicator = reader.catalog.indicators[indicator_id]
    change = week_change(indicator, reader.series(indicator_id, (area,)))
    return week_tile(indicator, lang, change, title=title, date_key=date_key)
