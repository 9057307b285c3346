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
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.settings import Settings, load_settings
from data.catalog import Catalog, load_catalog
from data.schedule import TIMEZONE
from data.store import Store

log = logging.getLogger("mmmeter.scheduler")
RETRY_JOB_PREFIX = "retry-"
INITIAL_JOB = "initial-refresh"
STAFF_SYNC_JOB = "staff-sync"


def run_refresh(
    settings: Settings,
    catalog: Catalog,
    only: list[str] | None = None,
    scheduler: BaseScheduler | None = None,
) -> None:
    """Refresh `only` these datasets (all: None); with a `scheduler`, try the failed ones
    again after MMMETER_RETRY_FAILED_MINUTES; an empty store says in the log why."""
    from data.pipeline import refresh

    try:
        report = refresh(settings, catalog, only=only, progress=log.info)
    except Exception:  # a scheduler job must never die silently
        log.exception("refresh of %s failed", only or "all datasets")
        return
    for result in report.failed:
        log.warning("dataset %s failed: %s", result.dataset, result.reason)
    failed = [r.dataset for r in report.failed]
    if failed and scheduler is not None and settings.retry_failed_minutes > 0:
        schedule_retry(scheduler, settings, catalog, failed)
    store = Store(settings.store_dir)
    if failed and store.current_version() is None:
        log.error(empty_store_message(settings, catalog, store.status().get("datasets", {})))


def schedule_retry(
    scheduler: BaseScheduler, settings: Settings, catalog: Catalog, failed: list[str]
) -> dt.datetime:
    """One job that refreshes `failed` again in MMMETER_RETRY_FAILED_MINUTES; noted in the
    status, so pages can say when."""
    when = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=settings.retry_failed_minutes)
    scheduler.add_job(
        run_refresh,
        DateTrigger(when),
        args=[settings, catalog, sorted(failed)],
        kwargs={"scheduler": scheduler},
        id=RETRY_JOB_PREFIX + "+".join(sorted(failed)),
        name=f"retry {', '.join(sorted(failed))}",
        replace_existing=True,
        misfire_grace_time=3600,
    )
    Store(settings.store_dir).record_next_attempt(failed, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return when


def empty_store_message(settings: Settings, catalog: Catalog, status: dict) -> str:
    """What the log says when the store is still empty after a refresh: which sources failed
    and why, when MMmeter tries again, how to use a mirror, and where the status page is."""
    from layouts.refresh_status import source_states

    failed = [s for s in source_states(catalog, status, "en") if s.failing]
    lines = [f"MMmeter has no data yet: fetching failed for {len(failed)} source(s):"]
    lines += [f"  - {s.dataset}: {s.kind}; {s.reason}" for s in failed]
    moments = [s for s in failed if s.next_attempt_at]
    if moments:
        first = min(moments, key=lambda s: s.next_attempt_at)
        lines.append(f"It tries again on {first.next_attempt} (Europe/Amsterdam).")
    lines.append(
        "Without access to RIVM, CBS and PDOK, use a mirror: a folder or intranet URL laid out "
        "like the shared data, e.g. MMMETER_MIRROR=/path/to/data python -m app refresh "
        "(see README.md)."
    )
    lines.append(f"Status of every source: http://{settings.host}:{settings.port}/status")
    return "\n".join(lines)


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
            kwargs={"scheduler": scheduler},
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
            kwargs={"scheduler": scheduler},
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
