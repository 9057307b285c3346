"""The weeks a map can be moved through: the ISO weeks an indicator has figures for.

/corona/kaart's week slider and the theme map block's `week_slider` both read their weeks
(`weeks_with_figures`, pure over the periods) and the labels under the slider from here.
Daily figures are shown at the last day of each week that has data.
"""

from __future__ import annotations

from collections.abc import Sequence

from layouts.i18n import format_week
from layouts.map_state import Week, week_index, weeks_of

__all__ = ["Week", "week_at", "week_index", "week_range", "week_words", "weeks_with_figures"]


def weeks_with_figures(periods: Sequence[object]) -> list[Week]:
    """The slider's weeks for an indicator's periods (days or week ends), oldest first."""
    return weeks_of(periods)


def week_at(weeks: Sequence[Week], position: int | None) -> Week | None:
    """The week at a slider position (None: the latest); out of range -> the nearest end."""
    if not weeks:
        return None
    if position is None:
        return weeks[-1]
    return weeks[min(max(int(position), 0), len(weeks) - 1)]


def week_words(week: Week, lang: str) -> str:
    return format_week(week.end, lang)


def week_range(weeks: Sequence[Week], lang: str) -> tuple[str, str]:
    """The first and last week in words, shown under the slider's ends."""
    return week_words(weeks[0], lang), week_words(weeks[-1], lang)
