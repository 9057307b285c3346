"""Text summaries of observations and the change against the week before (pure).

`series_summary` and `ranking_summary` describe a chart or a map for people who cannot see
it (figure_block links them with aria-describedby).

The week-over-week change compares two numbers that describe a week each: two points of a
7-day average series seven days apart (`change_between_averages`), or the means of irregular
measurements in two consecutive 7-day windows (`change_between_weeks`). A missing week gives
"no data", a week before of zero gives the change in numbers instead of a percentage, and a
change that rounds to nothing reads "unchanged": never a division by zero, never "+0%".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from data.catalog import Frequency
from layouts.i18n import ARROWS, describe_change, format_date, format_number, format_week, t

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


def _with_unit(value: float, unit: str, decimals: int, lang: str) -> str:
    number = format_number(value, lang, decimals=decimals)
    return f"{number} {unit}".strip() if unit else number


def period_text(period: object, frequency: Frequency, lang: str) -> str:
    """A period in words: 'week 6 van 2022' for weekly data, else the date ('10 februari 2022')."""
    return format_week(period, lang) if frequency == "week" else format_date(period, lang)


# Frequencies whose latest value is compared with the value one week earlier.
_WEEKLY_CHANGE = frozenset({"day", "week"})


def series_summary(
    title: str,
    area: str,
    periods: Sequence[dt.date],
    values: Sequence[float | None],
    *,
    unit: str,
    decimals: int,
    lang: str,
    frequency: Frequency = "day",
    archived_since: dt.date | None = None,
) -> str:
    """A text summary of one series for people who cannot see the chart: what, where, when,
    the latest value, the change against a week before (or the previous value for yearly
    data) and the highest value. `periods` are oldest first; missing values are skipped.

    >>> series_summary("Inwoners", "Emmen", [dt.date(2023, 1, 1), dt.date(2024, 1, 1)],
    ...                [108000, 109346], unit="inwoners", decimals=0, lang="nl",
    ...                frequency="year")  # doctest: +NORMALIZE_WHITESPACE
    'Inwoners in Emmen, van 1 januari 2023 tot en met 1 januari 2024. Laatste waarde,
     1 januari 2024: 109.346 inwoners. Dat is 1.346 meer dan op 1 januari 2023.
     Hoogste waarde: 109.346 inwoners, 1 januari 2024.'
    """
    points = [(p, float(v)) for p, v in zip(periods, values, strict=True) if _number(v) is not None]
    if not points:
        return t("a11y.summary_no_data", lang, title=title, area=area)
    when = {p: period_text(p, frequency, lang) for p, _ in points}
    (first, _), (last, last_value) = points[0], points[-1]
    sentences = [
        t("a11y.summary_range", lang, title=title, area=area, start=when[first], end=when[last]),
        t(
            "a11y.summary_latest",
            lang,
            date=when[last],
            value=_with_unit(last_value, unit, decimals, lang),
        ),
    ]
    by_period = dict(points)
    if frequency in _WEEKLY_CHANGE:
        week_before = by_period.get(last - WEEK)
        if week_before is not None:
            _, words = describe_change(last_value - week_before, lang, decimals)
            sentences.append(t("a11y.summary_change", lang, change=words))
    elif len(points) > 1:
        previous, previous_value = points[-2]
        delta = round(last_value - previous_value, decimals)
        key = "same" if delta == 0 else ("more" if delta > 0 else "less")
        sentences.append(
            t(
                f"a11y.summary_previous_{key}",
                lang,
                value=format_number(abs(delta), lang, decimals=decimals),
                date=when[previous],
            )
        )
    if len(points) > 1:
        peak, peak_value = max(points, key=lambda point: point[1])
        sentences.append(
            t(
                "a11y.summary_peak",
                lang,
                value=_with_unit(peak_value, unit, decimals, lang),
                date=when[peak],
            )
        )
    if archived_since is not None:
        sentences.append(t("a11y.summary_archived", lang, date=format_date(archived_since, lang)))
    return " ".join(sentences)


def ranking_summary(
    title: str,
    level: str,
    period: str,
    values: Mapping[str, float | None],
    *,
    unit: str,
    decimals: int,
    lang: str,
) -> str:
    """A text summary of a map or ranking: which area is highest and lowest, and how many
    areas have no data. `values` maps area names to values; `level` is e.g. 'wijk';
    `period` is already in words.
    """
    present = {name: float(v) for name, v in values.items() if _number(v) is not None}
    if not present:
        return t("a11y.ranking_no_data", lang, title=title, level=level, period=period)
    highest = max(present, key=lambda name: present[name])
    lowest = min(present, key=lambda name: present[name])
    sentences = [
        t("a11y.ranking_intro", lang, title=title, level=level, period=period),
        t(
            "a11y.ranking_highest",
            lang,
            area=highest,
            value=_with_unit(present[highest], unit, decimals, lang),
        ),
    ]
    if lowest != highest:
        sentences.append(
            t(
                "a11y.ranking_lowest",
                lang,
                area=lowest,
                value=_with_unit(present[lowest], unit, decimals, lang),
            )
        )
    missing = len(values) - len(present)
    if missing:
        sentences.append(t("a11y.ranking_missing", lang, count=missing, total=len(values)))
    return " ".join(sentences)
