"""Refresh requests for the store's one writer (the clock, or `python -m app`'s scheduler).

A web worker never writes the store: an admin upload queues a request here and the writer's
queue job (app/scheduler.py) refreshes the datasets it names, writing its progress into the
same record, which the admin page shows. Where the requests live follows the store
(`queue_of`): beside a folder store in `<store>/queue/<id>.json` (each file replaced
atomically; one host, or a shared folder), and with DATABASE_URL in PostgreSQL, in the
tables `mmmeter_queue` and `mmmeter_queue_file` beside the store's own (data/pgqueue.py), so
a web host and a clock on another host share them. A request can carry the uploaded files:
the writer receives them (`work(..., receive=...)`) before it refreshes, so the upload
reaches a clock that does not share the web host's staff folder.

Every function takes the store backend (or, for the folder queue, its root folder).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from data.store import write_json_atomic

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
MAX_MESSAGES = 20
KEEP_FINISHED_S = 24 * 3600
_ID = re.compile(r"[0-9a-f]{32}")


class Queue(Protocol):
    """Where refresh requests live: records by id, and the files a request carries."""

    def put(self, record: dict, files: dict[str, bytes] | None = None) -> None: ...
    def get(self, request_id: str) -> dict | None: ...
    def records(self) -> list[dict]: ...
    def delete(self, request_id: str) -> None: ...
    def files(self, request_id: str) -> dict[str, bytes]: ...


class FolderQueue:
    """Requests as JSON files in `<store root>/queue` (the uploaded files stay in the staff
    folder of this host, where the writer reads them)."""

    def __init__(self, store_root: Path) -> None:
        self.folder = Path(store_root) / "queue"

    def _path(self, request_id: str) -> Path | None:
        return self.folder / f"{request_id}.json" if _ID.fullmatch(request_id) else None

    def put(self, record: dict, files: dict[str, bytes] | None = None) -> None:
        write_json_atomic(self.folder / f"{record['id']}.json", record)

    def get(self, request_id: str) -> dict | None:
        path = self._path(request_id)
        if path is None:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def records(self) -> list[dict]:
        if not self.folder.is_dir():
            return []
        return [r for r in (self.get(p.stem) for p in self.folder.glob("*.json")) if r]

    def delete(self, request_id: str) -> None:
        path = self._path(request_id)
        if path is not None:
            path.unlink(missing_ok=True)

    def files(self, request_id: str) -> dict[str, bytes]:
        return {}


def queue_of(where: Any) -> Queue:
    """The queue of a store backend (its own, e.g. PostgreSQL's) or of a folder store root."""
    if isinstance(where, str | Path):
        return FolderQueue(Path(where))
    own = getattr(where, "write_queue", None)
    return own() if own is not None else FolderQueue(where.root)


def queue_dir(store_root: Path) -> Path:
    return FolderQueue(store_root).folder


def enqueue(
    where: Any,
    datasets: list[str],
    *,
    by: str | None = None,
    files: dict[str, bytes] | None = None,
) -> str:
    """Ask the writer to refresh `datasets` (with the uploaded `files`); returns the id."""
    request_id = uuid.uuid4().hex
    record = {
        "id": request_id,
        "datasets": list(datasets),
        "by": by,
        "state": QUEUED,
        "queued_at": time.time(),
        "messages": [],
    }
    queue_of(where).put(record, files)
    return request_id


def read(where: Any, request_id: str | None) -> dict | None:
    """The request with this id (None: unknown, or not an id at all)."""
    if not isinstance(request_id, str) or not _ID.fullmatch(request_id):
        return None
    return queue_of(where).get(request_id)


def queued(where: Any) -> list[dict]:
    """Requests waiting for the writer, oldest first."""
    waiting = [r for r in queue_of(where).records() if r.get("state") == QUEUED]
    return sorted(waiting, key=lambda r: r["queued_at"])


def work(
    where: Any,
    refresh: Callable[[list[str], Callable[[str], None]], tuple[str | None, list[str]]],
    receive: Callable[[dict[str, bytes]], None] | None = None,
) -> list[str]:
    """Run every queued request through `refresh(datasets, progress) -> (version, failures)`,
    after `receive(files)` got the files it carries; returns the ids handled. Called by the
    writer only."""
    queue = queue_of(where)
    handled = [_run(queue, record, refresh, receive) for record in queued(where)]
    _forget_finished(queue)
    return handled


def _update(queue: Queue, record: dict, **changes) -> dict:
    record = {**record, **changes}
    queue.put(record)
    return record


def _run(queue: Queue, record: dict, refresh, receive) -> str:
    record_id = record["id"]
    _update(queue, record, state=RUNNING, started_at=time.time())
    messages: list[str] = []

    def progress(message: str) -> None:
        messages.append(message)
        current = queue.get(record_id) or record
        _update(queue, current, messages=messages[-MAX_MESSAGES:])

    try:
        files = queue.files(record_id)
        if files and receive is not None:
            receive(files)
        version, failures = refresh(record["datasets"], progress)
        outcome = {
            "state": FAILED if failures else DONE,
            "version": version,
            "reason": "; ".join(failures) or None,
        }
    except Exception as exc:  # the writer goes on with the next request
        outcome = {"state": FAILED, "reason": str(exc)}
    current = queue.get(record_id) or record
    _update(queue, current, **outcome, finished_at=time.time())
    return record_id


def _forget_finished(queue: Queue, now: float | None = None) -> None:
    now = now or time.time()
    for record in queue.records():
        finished = record.get("finished_at")
        if finished and now - finished > KEEP_FINISHED_S:
            queue.delete(record["id"])
