"""One alert per failed dataset refresh: a log line, and a JSON POST to a webhook if set.

Retries inside one fetch raise no alert; only the refresh's final outcome does.
"""

from __future__ import annotations

import logging

import requests

from data.store import utcnow

log = logging.getLogger("mmmeter.alerts")
WEBHOOK_TIMEOUT_S = 5.0


def alert_payload(dataset_id: str, reason: str, kind: str, kept: bool) -> dict:
    outcome = "the last good version stays online" if kept else "there is no earlier version"
    return {
        "event": "dataset_refresh_failed",
        "dataset": dataset_id,
        "kind": kind,
        "reason": reason,
        "last_good_version_kept": kept,
        "at": utcnow(),
        "text": f"MMmeter: refresh of {dataset_id} failed ({kind}): {reason}; {outcome}",
    }


def send_alert(webhook: str | None, dataset_id: str, reason: str, kind: str, *, kept: bool) -> dict:
    """Log the failure once and POST it to `webhook`; a webhook that fails is only logged."""
    payload = alert_payload(dataset_id, reason, kind, kept)
    log.error("ALERT %s", payload["text"])
    if webhook:
        try:
            response = requests.post(webhook, json=payload, timeout=WEBHOOK_TIMEOUT_S)
            response.raise_for_status()
        except requests.RequestException as exc:
            log.warning("alert webhook %s did not take the alert: %s", webhook, exc)
    return payload
