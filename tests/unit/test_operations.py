"""JSON logs, refresh metrics and the writer's queue as plain functions."""

from __future__ import annotations

import io
import json
import logging
import logging.config

from prometheus_client import REGISTRY

from app import metrics
from app.logs import logging_config
from data import writequeue
from data.pipeline import DatasetResult, RefreshReport


def test_json_logs_write_one_object_per_line_with_level_and_logger():
    config = logging_config("json")
    stream = io.StringIO()
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        logging.getLogger("mmmeter.test").warning("dataset %s failed", "rivm_cases")
    finally:
        logging.config.dictConfig(logging_config("text"))
    record = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert record["level"] == "WARNING" and record["logger"] == "mmmeter.test"
    assert record["message"] == "dataset rivm_cases failed"


def _sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_refresh_counts_duration_and_failures_per_dataset():
    failures = _sample("mmmeter_refresh_failures_total", dataset="metrics_test_b")
    count = _sample("mmmeter_refresh_duration_seconds_count", dataset="metrics_test_a")
    report = RefreshReport(
        "v1",
        [
            DatasetResult("metrics_test_a", "updated", seconds=1.5),
            DatasetResult("metrics_test_b", "failed", "bad column", seconds=0.2),
            DatasetResult("metrics_test_c", "skipped"),
        ],
    )
    metrics.observe_refresh(report)
    assert _sample("mmmeter_refresh_duration_seconds_count", dataset="metrics_test_a") == count + 1
    assert _sample("mmmeter_refresh_failures_total", dataset="metrics_test_b") == failures + 1
    assert _sample("mmmeter_refresh_duration_seconds_count", dataset="metrics_test_c") == 0


def test_the_queue_records_a_broken_refresh_as_failed_and_goes_on(tmp_path):
    first = writequeue.enqueue(tmp_path, ["a"])
    second = writequeue.enqueue(tmp_path, ["b"])

    def refresh(datasets, progress):
        progress(f"refreshing {datasets[0]}")
        if datasets == ["a"]:
            raise RuntimeError("upstream is down")
        return "v2", []

    assert writequeue.work(tmp_path, refresh) == [first, second]
    broken, done = writequeue.read(tmp_path, first), writequeue.read(tmp_path, second)
    assert broken["state"] == writequeue.FAILED and broken["reason"] == "upstream is down"
    assert done["state"] == writequeue.DONE and done["version"] == "v2"
    assert done["messages"] == ["refreshing b"]
    assert writequeue.queued(tmp_path) == []


def test_a_request_id_that_is_not_one_reads_as_unknown(tmp_path):
    for bad in ("../../etc/passwd", "", None, 5, "a" * 32):
        assert writequeue.read(tmp_path, bad) is None
