"""Refresh requests for the store's one writer (the clock, or `python -m app`'s scheduler).

A web worker never writes the store: an admin upload puts `<store>/queue/<id>.json` here and
the writer's queue job (app/scheduler.py) refreshes the datasets it names, writing its progress
into the same file, which the admin page shows. Each file is replaced atomically.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from data.store import write_json_atomic

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
MAX_MESSAGES = 20
KEEP_FINISHED_S = 24 * 3600
_ID = re.compile(r"[0-9a-f]{32}")


def queue_dir(store_root: Path) -> Path:
    return Path(store_root) / "queue"


def _path(store_root: Path, request_id: str) -> Path | None:
    return queue_dir(store_root) / f"{request_id}.json" if _ID.fullmatch(request_id) else None


def enqueue(store_root: Path, datasets: list[str], *, by: str | None = None) -> str:
    """Ask the writer to refresh `datasets`; returns the request id."""
    folder = queue_dir(store_root)
    folder.mkdir(parents=True, exist_ok=True)
    request_id = uuid.uuid4().hex
    record = {
        "id": request_id,
        "datasets": list(datasets),
        "by": by,
        "state": QUEUED,
        "queued_at": time.time(),
        "messages": [],
    }
    write_json_atomic(folder / f"{request_id}.json", record)
    return request_id


def read(store_root: Path, request_id: str | None) -> dict | None:
    """The request with this id (None: unknown, or not an id at all)."""
    path = _path(store_root, request_id) if isinstance(request_id, str) else None
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _update(store_root: Path, record: dict, **changes) -> dict:
    record = {**record, **changes}
    write_json_atomic(queue_dir(store_root) / f"{record['id']}.json", record)
    return record


def queued(store_root: Path) -> list[dict]:
    """Requests waiting for the writer, oldest first."""
    folder = queue_dir(store_root)
    if not folder.is_dir():
        return []
    records = [read(store_root, p.stem) for p in folder.glob("*.json")]
    waiting = [r for r in records if r and r.get("state") == QUEUED]
    return sorted(waiting, key=lambda r: r["queued_at"])


def work(
    store_root: Path,
    refresh: Callable[[list[str], Callable[[str], None]], tuple[str | None, list[str]]],
) -> list[str]:
    """Run every queued request through `refresh(datasets, progress) -> (version, failures)`;
    returns the ids handled. Called by the writer only."""
    handled = [_run(store_root, record, refresh) for record in queued(store_root)]
    _forget_finished(store_root)
    return handled


def _run(store_root: Path, record: dict, refresh) -> str:
    record_id = record["id"]
    _update(store_root, record, state=RUNNING, started_at=time.time())
    messages: list[str] = []

    def progress(message: str) -> None:
        messages.append(message)
        current = read(store_root, record_id) or record
        _update(store_root, current, messages=messages[-MAX_MESSAGES:])

    try:
        version, failures = refresh(record["datasets"], progress)
        outcome = {
            "state": FAILED if failures else DONE,
            "version": version,
            "reason": "; ".join(failures) or None,
        }
    except Exception as exc:  # the writer goes on with the next request
        outcome = {"state": FAILED, "reason": str(exc)}
    current = read(store_root, record_id) or record
    _update(store_root, current, **outcome, finished_at=time.time())
    return record_id


def _forget_finished(store_root: Path, now: float | None = None) -> None:
    now = now or time.time()
    for path in queue_dir(store_root).glob("*.json"):
        record = read(store_root, path.stem)
        finished = record and record.get("finished_at")
        if finished and now - finished > KEEP_FINISHED_S:
            path.unlink(missing_ok=True)
