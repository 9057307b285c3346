"""Webhooks of the update feeds: the municipality's own systems hear of new figures.

Subscriptions live in a YAML file (`MMMETER_FEED_WEBHOOKS`), one per feed:

    - feed: gebied/WK011401        # or indicator/<id>, or versies (every release)
      url: https://intranet.example/hooks/mmmeter
      secret_env: MMMETER_HOOK_SECRET   # or `secret: ...`; signs every POST

After a version is published, `enqueue(store_root, record, subscriptions)` writes one delivery
per subscription whose feed the release touches to `<store>/webhooks/` (a few small files:
nothing is sent while the refresh runs). The clock's job `deliver_due` POSTs what is due, signed
`X-MMmeter-Signature: sha256=HMAC(secret, "<timestamp>.<body>")`, and retries a failure with
exponential backoff until MAX_ATTEMPTS; a receiver checks the signature and the timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

import requests
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from data import releases
from data.store import write_json_atomic
from data.yamlfile import read_yaml, validate_document

log = logging.getLogger("mmmeter.webhooks")

MAX_ATTEMPTS = 8
BACKOFF_S = 60.0  # before the second attempt; doubled each time, at most MAX_BACKOFF_S
MAX_BACKOFF_S = 6 * 3600.0
TIMEOUT_S = 10.0
MAX_SUBSCRIPTIONS = 200
SIGNATURE_HEADER = "X-MMmeter-Signature"
TIMESTAMP_HEADER = "X-MMmeter-Timestamp"
PENDING, DONE, FAILED = "pending", "done", "failed"


class Subscription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feed: str = Field(pattern=r"^(versies|indicator/[A-Za-z0-9_]{1,64}|gebied/[A-Z0-9]{2,16})$")
    url: str = Field(pattern=r"^https?://", max_length=2000)
    secret: str | None = Field(default=None, min_length=16)
    secret_env: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]{0,63}$")

    @model_validator(mode="after")
    def _one_secret(self) -> Subscription:
        if (self.secret is None) == (self.secret_env is None):
            raise ValueError("give exactly one of `secret` and `secret_env`")
        return self

    @property
    def key(self) -> str:
        """Names the subscription in a delivery file (the secret never goes there)."""
        return hashlib.sha256(f"{self.feed} {self.url}".encode()).hexdigest()[:16]

    def secret_value(self, env: Mapping[str, str] | None = None) -> str | None:
        if self.secret is not None:
            return self.secret
        return (os.environ if env is None else env).get(self.secret_env or "") or None


class Subscriptions(RootModel[list[Subscription]]):
    root: list[Subscription] = Field(max_length=MAX_SUBSCRIPTIONS)


def load_subscriptions(path: Path | None) -> list[Subscription]:
    """The subscriptions in `path` (None: none); a bad file raises YamlProblems (a ValueError)
    naming file, line and field."""
    if path is None:
        return []
    return validate_document(read_yaml(path), Subscriptions).root


def feed_payload(record: Mapping, feed: str) -> dict | None:
    """What a webhook of `feed` gets about the release `record`; None: it does not touch it."""
    kind, _, key = feed.partition("/")
    base = {"event": "new_figures", "feed": feed, "version": record["version"]}
    base["created_at"] = record.get("created_at")
    if kind == "versies":
        changed = releases.changed_datasets(record)
        return base | {"datasets": changed} if changed else None
    if kind == "indicator":
        found = releases.indicator_changes([record], key)
        return base | {"indicator": key, "change": found[0][1]} if found else None
    found = releases.area_changes([record], key)
    if not found:
        return None
    touched = found[0][1]
    summary = {d: sorted(e.get("indicators", {})) for d, e in touched.items()}
    return base | {"area": key, "datasets": summary}


def queue_dir(store_root: Path) -> Path:
    return Path(store_root) / "webhooks"


def enqueue(store_root: Path, record: Mapping, subscriptions: list[Subscription]) -> int:
    """One pending delivery per subscription the release touches; returns how many."""
    count = 0
    for subscription in subscriptions:
        payload = feed_payload(record, subscription.feed)
        if payload is None:
            continue
        delivery = {
            "id": uuid.uuid4().hex,
            "subscription": subscription.key,
            "url": subscription.url,
            "body": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            "state": PENDING,
            "attempts": 0,
            "next_at": time.time(),
            "last_error": None,
        }
        write_json_atomic(queue_dir(store_root) / f"{delivery['id']}.json", delivery)
        count += 1
    return count


def signature(secret: str, timestamp: str, body: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff_s(attempts: int) -> float:
    """Wait after the `attempts`-th failed attempt: 60 s, 120 s, 240 s, ... at most 6 hours."""
    return min(BACKOFF_S * 2 ** max(attempts - 1, 0), MAX_BACKOFF_S)


Post = Callable[..., requests.Response]


def deliver_due(
    store_root: Path,
    subscriptions: list[Subscription],
    *,
    now: float | None = None,
    post: Post = requests.post,
    env: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """POST every delivery that is due; count what was sent, retried later and given up."""
    now = time.time() if now is None else now
    by_key = {s.key: s for s in subscriptions}
    counts = {"sent": 0, "retry": 0, "failed": 0}
    folder = queue_dir(store_root)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            delivery = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, FileNotFoundError):
            continue
        if delivery.get("state") != PENDING or delivery.get("next_at", 0) > now:
            continue
        subscription = by_key.get(delivery.get("subscription"))
        secret = subscription.secret_value(env) if subscription else None
        if secret is None:
            error = "the subscription or its secret is gone"
        else:
            error = _post(post, delivery, secret, now)
        delivery["attempts"] += 1
        if error is None:
            path.unlink(missing_ok=True)
            counts["sent"] += 1
            continue
        delivery["last_error"] = error
        if delivery["attempts"] >= MAX_ATTEMPTS or secret is None:
            delivery["state"] = FAILED
            counts["failed"] += 1
            attempts = delivery["attempts"]
            log.warning(
                "webhook %s given up after %d attempts: %s", delivery["url"], attempts, error
            )
        else:
            delivery["next_at"] = now + backoff_s(delivery["attempts"])
            counts["retry"] += 1
        write_json_atomic(path, delivery)
    return counts


def _post(post: Post, delivery: dict, secret: str, now: float) -> str | None:
    timestamp = str(int(now))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "MMmeter-webhook",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, delivery["body"]),
        "X-MMmeter-Delivery": delivery["id"],
    }
    try:
        response = post(
            delivery["url"], data=delivery["body"].encode(), headers=headers, timeout=TIMEOUT_S
        )
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


def _cursor_path(store_root: Path) -> Path:
    return queue_dir(store_root) / "cursor"  # not *.json: not a delivery


def enqueue_new_releases(store, subscriptions: list[Subscription]) -> int:
    """Queue the deliveries of every release published since the last call (a refresh by the
    clock or by hand alike); the first call only notes where the log stands."""
    log_records = store.release_log()
    if not log_records:
        return 0
    cursor_path = _cursor_path(store.root)
    try:
        seen = json.loads(cursor_path.read_text(encoding="utf-8")).get("version")
    except (FileNotFoundError, json.JSONDecodeError):
        seen = None
    latest = max(r["version"] for r in log_records)
    count = 0
    if seen is not None:
        for record in sorted(log_records, key=lambda r: r["version"]):
            if record["version"] > seen:
                count += enqueue(store.root, record, subscriptions)
    write_json_atomic(cursor_path, {"version": latest})
    return count


def webhook_job(store, subscriptions: list[Subscription]) -> dict[str, int]:
    """The clock's job: queue what new releases touch, then send what is due."""
    queued = enqueue_new_releases(store, subscriptions)
    counts = deliver_due(store.root, subscriptions)
    if queued or any(counts.values()):
        log.info("feed webhooks: %d queued, %s", queued, counts)
    return {"queued": queued, **counts}
