"""Prometheus metrics at /metrics: request latency per route, refresh duration and failures per
dataset, and the state of the store (age of the version, last success and failure per dataset).

Under gunicorn (PROMETHEUS_MULTIPROC_DIR, set by app/gunicorn_conf.py) every worker writes its
samples to files there and a scrape adds up all workers. The store figures are read at scrape
time, so every worker and the clock report the same.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from data import writequeue

REQUEST_SECONDS = Histogram(
    "mmmeter_request_duration_seconds",
    "Time to answer a request, by route",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30),
)
REQUESTS = Counter(
    "mmmeter_requests_total", "Requests answered, by route and status", ["route", "status"]
)
REFRESH_SECONDS = Histogram(
    "mmmeter_refresh_duration_seconds",
    "Time to fetch, check and store a dataset in a refresh",
    ["dataset"],
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600),
)
REFRESH_FAILURES = Counter(
    "mmmeter_refresh_failures_total",
    "Datasets rejected by a refresh (their last good version stays); 'all': the refresh broke",
    ["dataset"],
)

metrics_api = Blueprint("metrics", __name__)


def observe_refresh(report) -> None:
    for result in report.results:
        if result.status in ("updated", "unchanged", "failed"):
            REFRESH_SECONDS.labels(result.dataset).observe(result.seconds)
        if result.status == "failed":
            REFRESH_FAILURES.labels(result.dataset).inc()


def count_refresh_error() -> None:
    REFRESH_FAILURES.labels("all").inc()


def _timestamp(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return moment.timestamp()


class StoreCollector(Collector):
    """The store as it is at scrape time."""

    def __init__(self, store, datasets: set[str] | None = None):
        self.store = store
        self.datasets = datasets  # None: every dataset of the store

    def collect(self):
        manifest = self.store.manifest() or {}
        created = _timestamp(manifest.get("created_at"))
        age = GaugeMetricFamily(
            "mmmeter_store_version_age_seconds", "Age of the store version being served"
        )
        if created is not None:
            age.add_metric([], time.time() - created)
        yield age
        success = GaugeMetricFamily(
            "mmmeter_dataset_last_success_timestamp_seconds",
            "When a dataset was last refreshed without problems",
            labels=["dataset"],
        )
        failure = GaugeMetricFamily(
            "mmmeter_dataset_last_failure_timestamp_seconds",
            "When a refresh last rejected a dataset",
            labels=["dataset"],
        )
        for name, entry in sorted(self.store.status().get("datasets", {}).items()):
            if self.datasets is not None and name not in self.datasets:
                continue
            for family, key in ((success, "last_success"), (failure, "last_failure")):
                moment = _timestamp(entry.get(key))
                if moment is not None:
                    family.add_metric([name], moment)
        yield success
        yield failure
        queue = GaugeMetricFamily(
            "mmmeter_write_queue_length", "Refresh requests of admin uploads waiting"
        )
        queue.add_metric([], len(writequeue.queued(self.store)))
        yield queue


class _Default(Collector):
    """The process-wide registry (one process: no multiprocess folder)."""

    def collect(self):
        yield from REGISTRY.collect()


def scrape_registry(store, datasets: set[str] | None = None) -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Default())
    registry.register(StoreCollector(store, datasets))
    return registry


@metrics_api.get("/metrics")
def metrics_view():
    from app.context import CONFIG_KEY

    base = current_app.config[CONFIG_KEY]
    token = base.settings.metrics_token
    datasets = None
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if not hmac.compare_digest(given.encode(), token.encode()):
            abort(401)
    else:  # open to anyone: only the datasets the visitor may see (no internal ones)
        from app.context import reader

        datasets = set(reader().catalog.datasets)
    body = generate_latest(scrape_registry(base.store, datasets))
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def _route() -> str:
    """A bounded label: the URL rule, a page's path template, or a callback's output."""
    from app.errors import callback_name, page_of

    rule = request.url_rule.rule if request.url_rule else None
    if rule is None:
        return "(unmatched)"
    if rule.endswith("_dash-update-component"):
        return "callback " + (callback_name() or "(unknown)")
    if rule in ("/", "/<path:path>"):
        page = page_of(request.path)
        return "page " + (page or "(not found)")
    return rule


def init_metrics(server: Flask) -> None:
    server.register_blueprint(metrics_api)

    @server.before_request
    def _start_timer():
        g.mmmeter_started = time.perf_counter()

    @server.after_request
    def _observe(response):
        started = g.pop("mmmeter_started", None)
        if started is not None:
            route = _route()
            REQUEST_SECONDS.labels(route, request.method).observe(time.perf_counter() - started)
            REQUESTS.labels(route, str(response.status_code)).inc()
        return response


def serve_clock_metrics(settings, port: int) -> None:
    """The clock process's own /metrics (refresh figures and the store) on `port`."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry()
    registry.register(_Default())
    from data.stores import open_store

    registry.register(StoreCollector(open_store(settings)))
    start_http_server(port, addr=settings.host, registry=registry)
