"""An own selection of wijken or buurten as it travels in the address
(`/buurten/selectie?gebieden=WK011401,WK011402`): parsing it, bounded, and writing it back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PARAM = "gebieden"
LEVEL_PARAM = "niveau"
MAX_AREAS = 100  # more than the home municipality's 83 buurten; a selection stays readable
MAX_CHARS = MAX_AREAS * 12  # BU01145301 and a comma: what is longer is cut off, not parsed
SELECTABLE_LEVELS = ("wk", "bu")
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class SelectionRequest:
    """What the address asked for, with what could not be used said separately."""

    codes: tuple[str, ...]  # known areas of one level, in the order given, each once
    level: str  # "wk" or "bu"
    unknown: tuple[str, ...] = ()  # codes that are no wijk or buurt of the home municipality
    other_level: tuple[str, ...] = ()  # known codes of the other level (one level at a time)
    dropped: int = 0  # codes past MAX_AREAS

    @property
    def problems(self) -> bool:
        return bool(self.unknown or self.other_level or self.dropped)


def _as_text(value) -> str:
    if isinstance(value, list | tuple):  # a repeated query parameter
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def parse_selection(raw, level_of: Mapping[str, str], level: str | None = None) -> SelectionRequest:
    """The selection in `raw` (the `gebieden` value), given `level_of` (code -> "wk"/"bu") of
    the home municipality's areas. The level is `level` when it is selectable, else the level
    of the first known code, else wijken."""
    text = _as_text(raw)
    words = _SEPARATORS.split(text[:MAX_CHARS])
    if len(text) > MAX_CHARS:
        words = words[:-1]  # cut off in the middle, or the start of what is left out
    words = [w.upper() for w in words if w]
    words = list(dict.fromkeys(w[:16] for w in words))
    known = [w for w in words if w in level_of]
    unknown = tuple(w for w in words if w not in level_of)
    if level not in SELECTABLE_LEVELS:
        level = level_of[known[0]] if known else "wk"
    ours = [w for w in known if level_of[w] == level]
    other = tuple(w for w in known if level_of[w] != level)
    return SelectionRequest(
        codes=tuple(ours[:MAX_AREAS]),
        level=level,
        unknown=unknown,
        other_level=other,
        dropped=max(0, len(ours) - MAX_AREAS),
    )


def selection_query(codes, level: str) -> dict[str, str | None]:
    """The query of a selection, for the URL builder (None values are left out); the level
    is said only when no code says it."""
    return {
        PARAM: ",".join(codes) or None,
        LEVEL_PARAM: level if level != "wk" and not codes else None,
    }
