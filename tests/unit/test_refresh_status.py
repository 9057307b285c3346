"""Source states in words: dates as people read them, kinds of failure, next attempts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from apscheduler.schedulers.background import BackgroundScheduler

from app.scheduler import RETRY_JOB_PREFIX, empty_store_message, schedule_retry
from app.settings import load_settings
from data.catalog import load_catalog
from data.schedule import next_attempt, next_run
from data.store import Store
from layouts.refresh_status import failure_words, format_moment, source_states

SETTINGS = load_settings({})
CATALOG = load_catalog(SETTINGS.catalog_path)
NOW = dt.datetime(2026, 12, 1, 20, 53, tzinfo=dt.UTC)


def test_moments_are_written_in_dutch_time_as_people_read_them():
    assert format_moment("2026-12-01T20:53:00Z", "nl") == "1 december 2026 om 21:53"
    assert format_moment("2026-07-01T20:53:00Z", "en") == "1 July 2026 at 22:53"  # summer time
    assert format_moment(None, "nl") == "–"
    assert format_moment("not a time", "en") == "–"


def test_failure_kinds_are_plain_words_in_both_languages():
    assert failure_words("network", "nl").startswith("geen netwerkverbinding")
    assert failure_words("timeout", "en").startswith("no answer in time")
    assert failure_words(None, "en") == failure_words("content", "en")


def test_the_next_attempt_is_the_planned_retry_or_else_the_schedule():
    cron = "15 16 * * *"  # 16:15 Amsterdam = 15:15 UTC
    assert next_run(cron, NOW) == dt.datetime(2026, 12, 2, 15, 15, tzinfo=dt.UTC)
    retry = {"next_attempt": "2026-12-01T21:08:00Z"}
    assert next_attempt(cron, retry, NOW) == dt.datetime(2026, 12, 1, 21, 8, tzinfo=dt.UTC)
    stale = {"next_attempt": "2026-11-30T21:08:00Z"}
    assert next_attempt(cron, stale, NOW) == next_run(cron, NOW)


def test_a_source_whose_latest_attempt_failed_is_failing_with_its_reason_and_retry():
    status = {
        "rivm_cases": {
            "last_success": "2026-11-30T15:15:00Z",
            "last_failure": "2026-12-01T15:15:00Z",
            "last_failure_reason": "HTTP 503",
            "last_failure_kind": "server",
            "failing": True,
            "next_attempt": "2026-12-01T21:08:00Z",
        },
        "rivm_hospital": {"last_success": "2026-12-01T15:20:00Z", "failing": False},
    }
    states = {s.dataset: s for s in source_states(CATALOG, status, "nl", NOW)}
    cases = states["rivm_cases"]
    assert cases.failing and cases.reason == "HTTP 503"
    assert cases.kind == "fout bij de server van de bron"
    assert cases.next_attempt == "1 december 2026 om 22:08"
    assert cases.last_success == "30 november 2026 om 16:15"
    assert not states["rivm_hospital"].failing
    assert states["rivm_hospital"].next_attempt == "–"
    assert not states["geo_wijken"].failing  # never tried yet


def test_a_failed_refresh_is_retried_once_and_the_status_says_when(tmp_path):
    settings = replace(SETTINGS, data_dir=tmp_path, retry_failed_minutes=15)
    store = Store(settings.store_dir)
    store.record_status("rivm_cases", ok=False, reason="no route", kind="network")
    scheduler = BackgroundScheduler(timezone="Europe/Amsterdam")
    scheduler.start(paused=True)
    try:
        schedule_retry(scheduler, settings, CATALOG, ["rivm_cases"])
        when = schedule_retry(scheduler, settings, CATALOG, ["rivm_cases"])  # replaces it
        [job] = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
    assert job.id == RETRY_JOB_PREFIX + "rivm_cases" and job.args[2] == ["rivm_cases"]
    assert abs((when - dt.datetime.now(dt.UTC)).total_seconds() - 15 * 60) < 60
    entry = store.status()["datasets"]["rivm_cases"]
    assert entry["next_attempt"] == when.strftime("%Y-%m-%dT%H:%M:%SZ")
    message = empty_store_message(settings, CATALOG, store.status()["datasets"])
    assert "- rivm_cases: no network connection" in message and "no route" in message
    assert "It tries again on " in message and "MMMETER_MIRROR=" in message
