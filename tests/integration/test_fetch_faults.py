"""data.fetch against the fault server: kinds of failure, Retry-After, a deadline per file."""

from __future__ import annotations

import time

import pytest

from data.errors import FetchError
from data.fetch import FetchOptions, fetch, retry_after_s
from tests.faultserver import Fault, FaultServer, closed_port_url

BODY = b"Version;Date_of_report\n" + b"1;2022-01-01\n" * 200
QUICK = FetchOptions(timeout_s=1.0, retries=1, backoff_s=0.01, total_timeout_s=1.0)


@pytest.fixture()
def server():
    with FaultServer({"f.csv": BODY}) as running:
        yield running


def _failure(url: str, options: FetchOptions = QUICK) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, options)
    return caught.value


def test_retry_after_is_waited_for_before_the_retry(server):
    server.break_file("f.csv", Fault.http_status(503, retry_after=1))
    started = time.perf_counter()
    error = _failure(server.url + "f.csv")
    assert time.perf_counter() - started >= 1.0
    assert server.requests["f.csv"] == 2
    assert error.kind == "server" and "Retry-After 1 s" in error.reason


def test_a_retry_after_beyond_five_minutes_is_not_waited_for(server):
    server.break_file("f.csv", Fault.http_status(503, retry_after=3600))
    started = time.perf_counter()
    _failure(server.url + "f.csv")
    assert time.perf_counter() - started < 5 and server.requests["f.csv"] == 1


def test_a_server_that_drips_is_cut_off_at_the_deadline_for_one_file(server):
    server.break_file("f.csv", Fault(drip=(16, 0.2)))
    started = time.perf_counter()
    error = _failure(server.url + "f.csv")
    assert time.perf_counter() - started < 3
    assert error.kind == "timeout" and "download too slow" in error.reason


def test_kinds_of_failure_name_what_went_wrong(server):
    assert _failure(closed_port_url() + "f.csv").kind == "network"
    server.break_file("f.csv", Fault(delay_s=1.5))
    assert _failure(server.url + "f.csv").kind == "timeout"
    server.break_file("f.csv", Fault.http_status(404))
    assert _failure(server.url + "f.csv").kind == "not_found"
    server.break_file("f.csv", Fault(cut_at=0.5))
    cut = _failure(server.url + "f.csv")
    assert cut.kind == "network" and "truncated" in cut.reason
    small = FetchOptions(timeout_s=1.0, retries=0, max_bytes=100)
    server.break_file("f.csv", None)
    assert _failure(server.url + "f.csv", small).kind == "too_large"


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_s("120") == 120.0
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 60) == 60.0
    assert retry_after_s("soon") is None and retry_after_s(None) is None
