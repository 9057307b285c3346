"""Text summaries of observations and the change against the week before (pure).

The week-over-week change compares two numbers that describe a week each: two points of a
7-day average series seven days apart (`change_between_averages`), or the means of irregular
measurements in two consecutive 7-day windows (`change_between_weeks`). A missing week gives
"no data", a week before of zero gives the change in numbers instead of a percentage, and a
change that rounds to nothing reads "unchanged": never a division by zero, never "+0%".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from layouts.i18n import ARROWS, format_date, format_number, t

WEEK = dt.timedelta(days=7)
Direction = Literal["more", "less", "same"]


def _number(value: object) -> float | None:
    """`value` as a float, or None when it is missing (None, NaN, NA, inf)."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()


@dataclass(frozen=True)
class WeekChange:
    """The value of the week ending on `end` and of the week before (None when missing)."""

    end: dt.date
    current: float | None
    previous: float | None

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> float | None:
        """The change in percent of the week before; None when that is missing or zero."""
        if self.delta is None or self.previous == 0:
            return None
        return self.delta / abs(self.previous) * 100

    def direction(self, decimals: int = 0) -> Direction | None:
        """more/less/same as a reader sees it: a change that rounds to zero is 'same'.

        A percentage rounds to whole percents; a change from zero rounds to `decimals`.
        """
        if self.delta is None:
            return None
        percent = self.percent
        shown = round(percent) if percent is not None else round(self.delta, decimals)
        if shown == 0:
            return "same"
        return "more" if shown > 0 else "less"


def _points(frame: pd.DataFrame) -> pd.Series:
    """The non-missing values of a (period, value) frame, indexed by day."""
    if frame.empty:
        return pd.Series(dtype=float)
    values = pd.Series(
        pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float),
        index=pd.DatetimeIndex(frame["period"]),
    )
    return values[values.notna()].sort_index()


def change_between_averages(averages: pd.DataFrame, end=None) -> WeekChange | None:
    """Week-over-week change of a 7-day average series (columns period, value).

    The current week is the average on `end` (default: the last day with a value), the week
    before is the average seven days earlier. None when the series has no value at all.
    """
    points = _points(averages)
    if points.empty:
        return None
    day = points.index[-1] if end is None else pd.Timestamp(end)
    current = _number(points.get(day))
    previous = _number(points.get(day - pd.Timedelta(WEEK)))
    return WeekChange(_day(day), current, previous)


def change_between_weeks(measurements: pd.DataFrame, end=None) -> WeekChange | None:
    """Week-over-week change of irregular measurements (columns period, value).

    Compares the mean of the measurements in the seven days up to `end` (default: the last
    measurement) with the mean of the seven days before; a week without measurements is
    missing. None when there is no measurement at all.
    """
    points = _points(measurements)
    if points.empty:
        return None
    day = points.index[-1] if end is None else pd.Timestamp(end)
    week = pd.Timedelta(WEEK)

    def mean(first_excluded: pd.Timestamp, last: pd.Timestamp) -> float | None:
        inside = points[(points.index > first_excluded) & (points.index <= last)]
        return None if inside.empty else float(inside.mean())

    return WeekChange(_day(day), mean(day - week, day), mean(day - 2 * week, day - week))


def change_words(change: WeekChange | None, lang: str, decimals: int = 0) -> tuple[str, str]:
    """(arrow, words) for a change: ('▲', '12% meer dan de week ervoor').

    From zero the change is given in numbers ('3 meer dan de week ervoor'); a missing week
    before gives ('', 'geen gegevens over de week ervoor'). The arrow is decoration: show it
    aria-hidden next to the words.
    """
    if change is None or change.current is None:
        return "", t("common.no_data", lang)
    direction = change.direction(decimals)
    if direction is None:
        return "", t("change.no_previous", lang)
    if direction == "same":
        return ARROWS["same"], t("change.same", lang)
    if change.percent is not None:
        amount = f"{format_number(abs(change.percent), lang)}%"
    else:
        amount = format_number(abs(change.delta), lang, decimals)
    return ARROWS[direction], t(f"change.{direction}", lang, value=amount)


def week_sentence(
    template: str,
    change: WeekChange | None,
    lang: str,
    *,
    decimals: int,
    no_data: str,
    **fields: str,
) -> str:
    """One sentence about the latest week from a message `template`.

    The template gets {date} (last day of the week), {value} (the week's value with
    `decimals`), {change} (words for the change) and the extra `fields`. Without a value for
    the latest week, the `no_data` sentence is returned instead.
    """
    if change is None or change.current is None:
        return no_data
    return template.format(
        date=format_date(change.end, lang),
        value=format_number(change.current, lang, decimals),
        change=change_words(change, lang, decimals)[1],
        **fields,
    )


def list_values(items: Sequence[tuple[str, float | None]], lang: str, decimals: int) -> str:
    """[('Emmen', 1.4), ('Drenthe', None)] -> 'Emmen 1,4 en Drenthe geen gegevens'."""
    parts = [
        f"{name} {format_number(value, lang, decimals)}"
        if _number(value) is not None
        else f"{name} {t('common.no_data', lang)}"
        for name, value in items
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return t("common.list_and", lang, items=", ".join(parts[:-1]), last=parts[-1])
