"""Webhooks of the update feeds: signed POSTs to a real receiver on 127.0.0.1, retried with
backoff after failures, queued from the release log (a refresh never waits for them)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from data import feed_webhooks as hooks
from data.store import Store
from data.yamlfile import YamlProblems
from tests.conftest import LoopbackServer

SECRET = "s3cret-for-the-test-only"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server = self.server
        with server.lock:
            server.received.append((dict(self.headers), body))
            status = 503 if server.failures > 0 else 204
            server.failures -= 1
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Receiver(LoopbackServer):
    """Answers 503 to the first `failures` POSTs, then 204; keeps headers and bodies."""

    path = "/hook"

    def __init__(self, failures: int = 0):
        self.failures = failures

    def make_server(self):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        httpd.daemon_threads = True
        httpd.received, httpd.lock, httpd.failures = [], threading.Lock(), self.failures
        return httpd

    @property
    def received(self) -> list:
        with self._httpd.lock:
            return list(self._httpd.received)


def _record(version: str, areas: list[str]) -> dict:
    entry = {
        "status": "updated",
        "rows": 3,
        "added": 1,
        "changed": 0,
        "removed": 0,
        "areas": areas,
        "indicators": {"population": {"added": 1, "changed": 0, "removed": 0}},
    }
    return {"version": version, "created_at": "2026-12-01T12:00:00Z", "datasets": {"kwb": entry}}


def _publish(store: Store, record: dict) -> None:
    store.publish(store.new_staging_dir(), {"version": record["version"], "release": record})


def _subscriptions(url: str) -> list[hooks.Subscription]:
    return [
        hooks.Subscription(feed="gebied/WK011401", url=url, secret=SECRET),
        hooks.Subscription(feed="gebied/WK011402", url=url, secret=SECRET),
        hooks.Subscription(feed="indicator/population", url=url, secret_env="HOOK_SECRET"),
    ]


def test_a_release_is_posted_signed_to_the_feeds_it_touches_after_retries(tmp_path):
    store = Store(tmp_path)
    _publish(store, _record("20261201T100000000000Z", ["WK011401"]))
    with Receiver(failures=2) as receiver:
        subscriptions = _subscriptions(receiver.url)
        assert hooks.enqueue_new_releases(store, subscriptions) == 0  # the first call: history
        _publish(store, _record("20261201T110000000000Z", ["WK011401"]))
        assert hooks.enqueue_new_releases(store, subscriptions) == 2  # not WK011402
        env = {"HOOK_SECRET": SECRET}
        now = time.time() + 1
        first = hooks.deliver_due(store.root, subscriptions, now=now, env=env)
        assert first == {"sent": 0, "retry": 2, "failed": 0}
        # not due yet: the backoff holds them back
        assert hooks.deliver_due(store.root, subscriptions, now=now + 1, env=env)["sent"] == 0
        later = hooks.deliver_due(store.root, subscriptions, now=now + 60, env=env)
        assert later == {"sent": 2, "retry": 0, "failed": 0}
        received = receiver.received
    assert len(received) == 4  # two failed, two taken
    feeds = set()
    for headers, body in received[2:]:
        timestamp = headers[hooks.TIMESTAMP_HEADER]
        expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        assert headers[hooks.SIGNATURE_HEADER] == "sha256=" + expected.hexdigest()
        payload = json.loads(body)
        assert payload["version"] == "20261201T110000000000Z"
        feeds.add(payload["feed"])
    assert feeds == {"gebied/WK011401", "indicator/population"}
    assert list(hooks.queue_dir(store.root).glob("*.json")) == []  # delivered: removed


def test_a_receiver_that_never_answers_is_given_up_after_the_last_attempt(tmp_path):
    store = Store(tmp_path)
    subscriptions = [
        hooks.Subscription(feed="versies", url="http://127.0.0.1:9/closed", secret=SECRET)
    ]
    hooks.enqueue(store.root, _record("20261201T110000000000Z", ["GM0114"]), subscriptions)
    now = time.time() + 1
    for attempt in range(1, hooks.MAX_ATTEMPTS + 1):
        counts = hooks.deliver_due(store.root, subscriptions, now=now)
        now += hooks.backoff_s(attempt)
    assert counts == {"sent": 0, "retry": 0, "failed": 1}
    (delivery,) = [json.loads(p.read_text()) for p in hooks.queue_dir(store.root).glob("*.json")]
    assert delivery["state"] == hooks.FAILED and delivery["attempts"] == hooks.MAX_ATTEMPTS
    assert hooks.backoff_s(1) == 60 and hooks.backoff_s(2) == 120
    assert hooks.backoff_s(30) == hooks.MAX_BACKOFF_S


def test_the_subscriptions_file_is_checked_when_it_is_loaded(tmp_path):
    good = tmp_path / "hooks.yaml"
    good.write_text("- feed: versies\n  url: https://example.org/h\n  secret_env: HOOK_SECRET\n")
    assert hooks.load_subscriptions(good)[0].feed == "versies"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- feed: gebied/../x\n  url: ftp://x\n  secret: short\n")
    with pytest.raises(YamlProblems) as error:
        hooks.load_subscriptions(bad)
    assert "bad.yaml" in str(error.value) and "feed" in str(error.value)
