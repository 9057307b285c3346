"""Scheduled refreshes with APScheduler: in-process (single process) or as the `clock` process.

python -m app.scheduler      # the clock process of a multi-worker deployment (Procfile)
"""

from __future__ import annotations

import datetime as dt
import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.settings import Settings, load_settings
from data.catalog import Catalog, load_catalog
from data.store import Store

log = logging.getLogger("mmmeter.scheduler")
TIMEZONE = "Europe/Amsterdam"
INITIAL_JOB = "initial-refresh"
STAFF_SYNC_JOB = "staff-sync"


def run_refresh(settings: Settings, catalog: Catalog, only: list[str] | None = None) -> None:
    from data.pipeline import refresh

    try:
        report = refresh(settings, catalog, only=only, progress=log.info)
        for result in report.failed:
            log.warning("dataset %s failed: %s", result.dataset, result.reason)
    except Exception:  # a scheduler job must never die silently
        log.exception("refresh of %s failed", only or "all datasets")


def is_stale(settings: Settings, now: dt.datetime | None = None) -> bool:
    """True when the store is empty or its newest version is older than the stale limit."""
    manifest = Store(settings.store_dir).manifest()
    if not manifest:
        return True
    created = dt.datetime.strptime(manifest["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.UTC
    )
    now = now or dt.datetime.now(dt.UTC)
    return now - created > dt.timedelta(hours=settings.stale_after_hours)


def add_jobs(scheduler: BaseScheduler, settings: Settings, catalog: Catalog) -> None:
    """One job per dataset on its catalog schedule, a refresh now when the store is stale, and
    (with a staff folder) a check every minute for staff datasets added, changed or removed."""
    for dataset in catalog.datasets.values():
        scheduler.add_job(
            run_refresh,
            CronTrigger.from_crontab(dataset.schedule.cron, timezone=TIMEZONE),
            args=[settings, catalog, [dataset.id]],
            id=f"refresh-{dataset.id}",
            name=f"refresh {dataset.id}",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
            replace_existing=True,
        )
    if settings.staff_data_dir is not None:
        from data.staff import FolderSync

        scheduler.add_job(
            FolderSync(settings),
            IntervalTrigger(minutes=1),
            id=STAFF_SYNC_JOB,
            name="staff folder sync",
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
    if settings.refresh_on_start and is_stale(settings):
        scheduler.add_job(
            run_refresh,
            args=[settings, catalog, None],
            id=INITIAL_JOB,
            name="initial refresh (store empty or stale)",
            replace_existing=True,
        )


def start_in_process(settings: Settings, catalog: Catalog) -> BackgroundScheduler | None:
    """Single-process mode: run the schedule in a background thread of the web process."""
    if not settings.run_scheduler:
        return None
    scheduler = BackgroundScheduler(timezone=TIMEZONE)
    add_jobs(scheduler, settings, catalog)
    scheduler.start()
    return scheduler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    catalog = load_catalog(settings.catalog_path, settings.home)
    scheduler = BlockingScheduler(timezone=TIMEZONE)
    add_jobs(scheduler, settings, catalog)
    log.info("clock started with %d jobs", len(scheduler.get_jobs()))
    scheduler.start()


if __name__ == "__main__":
    main()
