"""The period presets of every trend: one vocabulary, one rule for the first day shown.

'1y', '3m' and '1m' are calendar months back from the last day with figures ('1m' on
31 March 2023 starts on 1 March 2023), on the corona page and in theme trend blocks alike.
"""

from __future__ import annotations

import datetime as dt

PRESETS = ("all", "1y", "3m", "1m")
PRESET_MONTHS = {"1y": 12, "3m": 3, "1m": 1}


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def preset_start(preset: str, last: dt.date) -> dt.date | None:
    """The first day shown by `preset` for a series whose last day is `last` (None: all).

    '1m' on 31 March 2023 -> 1 March 2023; '1y' -> 1 April 2022.
    """
    months = PRESET_MONTHS.get(preset)
    if months is None:
        return None
    year, month = divmod(last.year * 12 + last.month - 1 - months, 12)
    month += 1
    day = min(last.day, _days_in_month(year, month))
    return dt.date(year, month, day) + dt.timedelta(days=1)
