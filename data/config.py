"""What a refresh needs to know, as plain values. app/settings.py fills these from the
environment; data/ never reads the environment or imports app/."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class RefreshSettings(Protocol):
    catalog_path: Path
    store_dir: Path  # the file store; with database_url: local work folders only
    database_url: str | None  # postgresql://...: the store lives in PostgreSQL
    mirror: str | None
    home: str | None  # overrides the catalog's site.home
    staff_data_dir: Path | None
    fetch_timeout_s: float
    fetch_retries: int
    fetch_max_bytes: int
    fetch_total_timeout_s: float
    fetch_backoff_s: float
    max_growth: float
    alert_webhook: str | None
