"""Scheduler jobs follow the catalog; a stale or empty store gets a refresh at start."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from apscheduler.schedulers.background import BackgroundScheduler

from app.scheduler import (
    INITIAL_JOB,
    QUEUE_JOB,
    STAFF_SYNC_JOB,
    add_jobs,
    is_stale,
    start_in_process,
)
from app.settings import load_settings
from data.catalog import load_catalog
from data.store import Store


def _settings(tmp_path, **changes):
    return replace(load_settings({}), data_dir=tmp_path, **changes)


def _store_created_at(tmp_path, created_at: str) -> None:
    store = Store(_settings(tmp_path).store_dir)
    staging = store.new_staging_dir()
    store.publish(staging, {"version": "20200101T000000000000Z", "created_at": created_at})


def test_one_job_per_dataset_on_its_cron_schedule_and_a_first_refresh(tmp_path):
    settings = _settings(tmp_path)
    catalog = load_catalog(settings.catalog_path)
    scheduler = BackgroundScheduler(timezone="Europe/Amsterdam")
    add_jobs(scheduler, settings, catalog)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert INITIAL_JOB in jobs  # empty store
    assert set(jobs) - {INITIAL_JOB, QUEUE_JOB} == {f"refresh-{d}" for d in catalog.datasets}
    trigger = str(jobs["refresh-rivm_cases"].trigger)
    assert "hour='16'" in trigger and "minute='15'" in trigger
    assert jobs["refresh-rivm_cases"].args[2] == ["rivm_cases"]


def test_a_staff_folder_gets_a_sync_job_every_minute(tmp_path):
    settings = _settings(tmp_path, staff_data_dir=tmp_path / "staff")
    scheduler = BackgroundScheduler(timezone="Europe/Amsterdam")
    add_jobs(scheduler, settings, load_catalog(settings.catalog_path))
    job = scheduler.get_job(STAFF_SYNC_JOB)
    assert job.trigger.interval == dt.timedelta(minutes=1)
    assert job.func.settings is settings


def test_no_staff_folder_no_sync_job(tmp_path):
    scheduler = BackgroundScheduler()
    settings = _settings(tmp_path)
    add_jobs(scheduler, settings, load_catalog(settings.catalog_path))
    assert scheduler.get_job(STAFF_SYNC_JOB) is None


def test_fresh_store_gets_no_refresh_at_start(tmp_path):
    _store_created_at(tmp_path, dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    settings = _settings(tmp_path)
    assert not is_stale(settings)
    scheduler = BackgroundScheduler()
    add_jobs(scheduler, settings, load_catalog(settings.catalog_path))
    assert INITIAL_JOB not in {job.id for job in scheduler.get_jobs()}


def test_store_older_than_the_limit_is_stale(tmp_path):
    _store_created_at(tmp_path, "2026-01-01T00:00:00Z")
    settings = _settings(tmp_path, stale_after_hours=24)
    now = dt.datetime(2026, 1, 1, 23, tzinfo=dt.UTC)
    assert not is_stale(settings, now)
    assert is_stale(settings, now + dt.timedelta(hours=2))


def test_web_workers_of_a_scaled_deployment_run_no_scheduler(tmp_path):
    settings = _settings(tmp_path, run_scheduler=False)
    assert start_in_process(settings, load_catalog(settings.catalog_path)) is None
