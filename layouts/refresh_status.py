"""The state of each data source in words people read: dates like '1 december 2026 om 21:08'
(Europe/Amsterdam), what went wrong ('geen netwerkverbinding'), when it is tried again.

Pure functions of the store's status entries and the catalog; the status page, the no-data
notice and `python -m app status` use them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from data.catalog import Catalog
from data.schedule import TIMEZONE, next_attempt, parse_utc
from layouts.i18n import LOCALES, NO_DATA, normalize_lang, t

ZONE = ZoneInfo(TIMEZONE)
PATTERNS = {"nl": "d MMMM y 'om' HH:mm", "en": "d MMMM y 'at' HH:mm"}
STATES = ("updated", "unchanged", "failed", "kept", "skipped")


def format_moment(when: dt.datetime | str | None, lang: str) -> str:
    """A moment as people read it, in Dutch time: nl '1 december 2026 om 21:08'."""
    if isinstance(when, str):
        when = parse_utc(when)
    if when is None:
        return NO_DATA
    code = normalize_lang(lang)
    return format_datetime(when.astimezone(ZONE), PATTERNS[code], locale=LOCALES[code])


def failure_words(kind: str | None, lang: str) -> str:
    """What sort of failure, in plain words: 'geen netwerkverbinding', 'fout bij de server'."""
    return t(f"status.kind.{kind or 'content'}", lang)


def state_words(state: str | None, lang: str) -> str:
    return t(f"status.states.{state}", lang) if state in STATES else NO_DATA


@dataclass(frozen=True)
class SourceState:
    dataset: str
    title: str
    failing: bool
    last_success: str
    last_failure: str
    kind: str  # in words
    reason: str  # technical, as recorded
    next_attempt: str
    next_attempt_at: dt.datetime | None = None


def source_states(
    catalog: Catalog, status: dict, lang: str, now: dt.datetime | None = None
) -> list[SourceState]:
    """One SourceState per catalog dataset, from the store's status.json `datasets`."""
    states = []
    for dataset in catalog.datasets.values():
        entry = status.get(dataset.id, {})
        failing = bool(
            entry.get("failing", entry.get("last_failure") and not entry.get("last_success"))
        )
        when = next_attempt(dataset.schedule.cron, entry, now) if failing else None
        states.append(
            SourceState(
                dataset=dataset.id,
                title=dataset.title.get(lang) or dataset.id,
                failing=failing,
                last_success=format_moment(entry.get("last_success"), lang),
                last_failure=format_moment(entry.get("last_failure"), lang),
                kind=failure_words(entry.get("last_failure_kind"), lang)
                if entry.get("last_failure")
                else "",
                reason=entry.get("last_failure_reason") or "",
                next_attempt=format_moment(when, lang) if when else NO_DATA,
                next_attempt_at=when,
            )
        )
    return states
