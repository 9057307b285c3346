"""Scheduled refreshes with APScheduler: in-process (single process) or as the `clock` process.

python -m app.scheduler      # the clock process of a multi-worker deployment (Procfile)

Either way the jobs run only while the process holds the writer lock (app/clocklock.py): a
second clock stands by and takes over when the first one stops. Besides the schedule, the
writer works through the refresh requests of admin uploads (data/writequeue.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.clocklock import WriterLock, writer_lock
from app.settings import Settings, load_settings
from data import writequeue
from data.catalog import Catalog, load_catalog
from data.schedule import TIMEZONE
from data.staff import ID_PATTERN
from data.stores import open_store

log = logging.getLogger("mmmeter.scheduler")
RETRY_JOB_PREFIX = "retry-"
INITIAL_JOB = "initial-refresh"
STAFF_SYNC_JOB = "staff-sync"
QUEUE_JOB = "write-queue"
QUEUE_EVERY_S = 2
WEBHOOK_JOB = "feed-webhooks"
WEBHOOK_EVERY_S = 30
RENEW_EVERY_S = 10


def refresh_and_count(settings: Settings, catalog: Catalog, only, progress):
    """The pipeline's refresh, its durations and failures counted in /metrics."""
    from app import metrics
    from app.warm import warmer
    from data.pipeline import refresh

    try:
        report = refresh(
            settings, catalog, only=only, progress=progress, before_publish=warmer(settings)
        )
    except Exception:
        metrics.count_refresh_error()
        raise
    metrics.observe_refresh(report)
    return report


def run_refresh(
    settings: Settings,
    catalog: Catalog,
    only: list[str] | None = None,
    scheduler: BaseScheduler | None = None,
) -> None:
    """Refresh `only` these datasets (all: None); with a `scheduler`, try the failed ones
    again after MMMETER_RETRY_FAILED_MINUTES; an empty store says in the log why."""
    try:
        report = refresh_and_count(settings, catalog, only, log.info)
    except Exception:  # a scheduler job must never die silently
        log.exception("refresh of %s failed", only or "all datasets")
        return
    for result in report.failed:
        log.warning("dataset %s failed: %s", result.dataset, result.reason)
    failed = [r.dataset for r in report.failed]
    if failed and scheduler is not None and settings.retry_failed_minutes > 0:
        schedule_retry(scheduler, settings, catalog, failed)
    store = open_store(settings)
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
    open_store(settings).record_next_attempt(failed, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
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


UPLOAD_NAME = re.compile(rf"(?P<id>{ID_PATTERN})\.(?P<suffix>csv|yaml)")


def work_queue(settings: Settings, catalog: Catalog) -> list[str]:
    """Refresh what admin uploads asked for (data/writequeue.py), one request at a time."""

    def refresh(datasets, progress):
        report = refresh_and_count(settings, catalog, datasets, progress)
        return report.version, [f"{r.dataset}: {r.reason}" for r in report.failed]

    return writequeue.work(
        open_store(settings), refresh, lambda files: receive_uploads(settings, files)
    )


def receive_uploads(settings: Settings, files: dict[str, bytes]) -> list[str]:
    """Put the files an upload's request carries (`<id>.csv`, `<id>.yaml`) into this host's
    staff folder, each pair whole; returns the dataset ids. Other names are ignored."""
    from data.staff import write_pair_atomically

    pairs: dict[str, dict[str, bytes]] = {}
    for name, content in files.items():
        found = UPLOAD_NAME.fullmatch(name)
        if found:
            pairs.setdefault(found["id"], {})[found["suffix"]] = content
    received = [dataset for dataset, pair in sorted(pairs.items()) if set(pair) == {"csv", "yaml"}]
    for dataset in received:
        pair = pairs[dataset]
        write_pair_atomically(settings.staff_data_dir, dataset, pair["csv"], pair["yaml"])
    return received


def is_stale(settings: Settings, now: dt.datetime | None = None) -> bool:
    """True when the store is empty or its newest version is older than the stale limit."""
    manifest = open_store(settings).manifest()
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
    scheduler.add_job(
        work_queue,
        IntervalTrigger(seconds=QUEUE_EVERY_S),
        args=[settings, catalog],
        id=QUEUE_JOB,
        name="refresh requests of admin uploads",
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )
    if settings.feed_webhooks is not None:
        from data.feed_webhooks import load_subscriptions, webhook_job

        scheduler.add_job(
            webhook_job,
            IntervalTrigger(seconds=WEBHOOK_EVERY_S),
            args=[open_store(settings), load_subscriptions(settings.feed_webhooks)],
            id=WEBHOOK_JOB,
            name="webhooks of the update feeds",
            coalesce=True,
            max_instances=1,
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


class Clock:
    """Runs the jobs while it holds the writer lock; otherwise stands by and asks again."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        lock: WriterLock | None = None,
        renew_every_s: float = RENEW_EVERY_S,
    ):
        self.settings = settings
        self.catalog = catalog
        self.lock = lock or writer_lock(settings)
        self.renew_every_s = renew_every_s
        self.stopping = threading.Event()
        self.leading = threading.Event()  # set while this clock runs the jobs

    def run(self) -> None:
        standing_by = False
        while not self.stopping.is_set():
            if not self.lock.acquire():
                if not standing_by:
                    log.info("another clock holds the writer lock: standing by")
                    standing_by = True
                self.stopping.wait(self.renew_every_s)
                continue
            standing_by = False
            self._lead()

    def _lead(self) -> None:
        scheduler = BackgroundScheduler(timezone=TIMEZONE)
        add_jobs(scheduler, self.settings, self.catalog)
        scheduler.start()
        self.leading.set()
        log.info("holding the writer lock: running %d jobs", len(scheduler.get_jobs()))
        try:
            while not self.stopping.wait(self.renew_every_s):
                if not self.lock.renew():
                    log.error("lost the writer lock: stopping the jobs, standing by")
                    break
        finally:
            self.leading.clear()
            scheduler.shutdown(wait=True)  # a refresh under way ends first
            self.lock.release()

    def stop(self) -> None:
        self.stopping.set()


def start_in_process(settings: Settings, catalog: Catalog) -> Clock | None:
    """Single-process mode: the clock in a background thread of the web process."""
    if not settings.run_scheduler:
        return None
    clock = Clock(settings, catalog)
    threading.Thread(target=clock.run, name="mmmeter-clock", daemon=True).start()
    return clock


def main() -> None:
    from app import logs, metrics

    settings = load_settings()
    logs.configure(settings.log_format)
    catalog = load_catalog(settings.catalog_path, settings.home)
    if settings.clock_metrics_port:
        metrics.serve_clock_metrics(settings, settings.clock_metrics_port)
    clock = Clock(settings, catalog)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: clock.stop())
    log.info("clock started")
    clock.run()


if __name__ == "__main__":
    main()
