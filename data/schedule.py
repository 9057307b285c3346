"""When refreshes run: the catalog's cron schedules, read in the platform's time zone."""

from __future__ import annotations

import datetime as dt

from apscheduler.triggers.cron import CronTrigger

TIMEZONE = "Europe/Amsterdam"


def parse_utc(timestamp: str | None) -> dt.datetime | None:
    """A store timestamp (2026-12-01T20:53:00Z) as an aware datetime; None if absent or bad."""
    if not timestamp:
        return None
    try:
        return dt.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


def next_run(cron: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The next time the cron expression `cron` fires after `now`."""
    now = now or dt.datetime.now(dt.UTC)
    trigger = CronTrigger.from_crontab(cron, timezone=TIMEZONE)
    return trigger.get_next_fire_time(None, now)


def next_attempt(cron: str, entry: dict, now: dt.datetime | None = None) -> dt.datetime | None:
    """When a dataset is tried again: the retry the scheduler planned after a failure
    (`next_attempt` in its status entry) if still ahead, else its next scheduled run."""
    now = now or dt.datetime.now(dt.UTC)
    scheduled = next_run(cron, now)
    retry = parse_utc(entry.get("next_attempt"))
    if retry is not None and retry >= now - dt.timedelta(minutes=1):
        return min(retry, scheduled) if scheduled else retry
    return scheduled
