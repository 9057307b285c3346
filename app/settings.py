"""Settings read from environment variables (documented in README.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.embeds import frame_ancestors_setting

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    port: int = 8050
    host: str = "127.0.0.1"
    data_dir: Path = PROJECT_ROOT / "var"
    mirror: str | None = None
    redis_url: str | None = None
    database_url: str | None = None  # postgresql://...: the store in PostgreSQL
    warm: bool = True  # build the main pages of a new version into the cache before publishing
    warm_seconds: float = 300.0  # at most this long
    catalog_path: Path = PROJECT_ROOT / "data" / "catalog.yaml"
    themes_dir: Path = PROJECT_ROOT / "layouts" / "themes"
    staff_data_dir: Path | None = None
    run_scheduler: bool = True
    refresh_on_start: bool = True
    stale_after_hours: float = 24.0
    fetch_timeout_s: float = 30.0
    fetch_retries: int = 3
    fetch_max_bytes: int = 512 * 1024 * 1024
    fetch_total_timeout_s: float = 600.0
    fetch_backoff_s: float = 1.0
    max_growth: float = 5.0
    alert_webhook: str | None = None
    retry_failed_minutes: float = 15.0
    admin_user: str | None = None
    admin_password_hash: str | None = None
    secret_key: str | None = None
    basemap: str | None = None
    threads: int = 8  # request threads of `python -m app` (one gunicorn worker)
    proxy_hops: int = 0  # reverse proxies in front that set X-Forwarded-* (TLS ends there)
    frame_ancestors: str = "*"  # who may embed the public pages (CSP frame-ancestors)
    max_request_bytes: int = 1024 * 1024  # request body limit, except a logged-in upload
    log_format: str = "text"  # "text" or "json"
    keep_versions: int = 5  # store versions kept besides those younger than keep_hours
    keep_versions_hours: float = 24.0
    login_limit_account: str = "5 per 15 minutes"  # failed logins per account, then lockout
    login_limit_address: str = "20 per 15 minutes"  # failed logins per client address
    metrics_token: str | None = None  # when set, /metrics wants `Authorization: Bearer <it>`
    clock_metrics_port: int | None = None  # the clock process serves /metrics on this port
    home: str | None = None  # CBS code of the home municipality; None: the catalog's site.home
    website: str | None = None  # the municipality's website; None: the catalog's site.website
    feed_webhooks: Path | None = None  # YAML file of webhooks per update feed (data/feed_webhooks)
    # Staff login through the municipality's identity provider (OpenID Connect; app/oidc.py)
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scopes: str = "openid email profile"
    oidc_allowed_domains: tuple[str, ...] = ()  # e-mail domains of staff; empty: any account

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _choice(value: str | None, allowed: tuple[str, ...], default: str) -> str:
    if not value:
        return default
    value = value.strip().lower()
    if value not in allowed:
        raise ValueError(f"expected one of {', '.join(allowed)}, got {value!r}")
    return value


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build Settings from `env` (defaults to os.environ)."""
    env = dict(os.environ if env is None else env)
    defaults = Settings()
    staff_dir = env.get("MMMETER_STAFF_DATA_DIR")
    return Settings(
        port=int(env.get("PORT", defaults.port)),
        host=env.get("MMMETER_HOST", defaults.host),
        data_dir=Path(env.get("MMMETER_DATA_DIR", defaults.data_dir)),
        mirror=env.get("MMMETER_MIRROR") or None,
        redis_url=env.get("REDIS_URL") or None,
        database_url=env.get("DATABASE_URL") or None,
        warm=_flag(env.get("MMMETER_WARM"), defaults.warm),
        warm_seconds=float(env.get("MMMETER_WARM_SECONDS", defaults.warm_seconds)),
        catalog_path=Path(env.get("MMMETER_CATALOG", defaults.catalog_path)),
        themes_dir=Path(env.get("MMMETER_THEMES_DIR", defaults.themes_dir)),
        staff_data_dir=Path(staff_dir) if staff_dir else None,
        run_scheduler=_flag(env.get("MMMETER_SCHEDULER"), defaults.run_scheduler),
        refresh_on_start=_flag(env.get("MMMETER_REFRESH_ON_START"), defaults.refresh_on_start),
        stale_after_hours=float(env.get("MMMETER_STALE_AFTER_HOURS", defaults.stale_after_hours)),
        fetch_timeout_s=float(env.get("MMMETER_FETCH_TIMEOUT", defaults.fetch_timeout_s)),
        fetch_retries=int(env.get("MMMETER_FETCH_RETRIES", defaults.fetch_retries)),
        fetch_max_bytes=int(env.get("MMMETER_FETCH_MAX_BYTES", defaults.fetch_max_bytes)),
        fetch_total_timeout_s=float(
            env.get("MMMETER_FETCH_TOTAL_TIMEOUT", defaults.fetch_total_timeout_s)
        ),
        fetch_backoff_s=float(env.get("MMMETER_FETCH_BACKOFF", defaults.fetch_backoff_s)),
        max_growth=float(env.get("MMMETER_MAX_GROWTH", defaults.max_growth)),
        alert_webhook=env.get("MMMETER_ALERT_WEBHOOK") or None,
        retry_failed_minutes=float(
            env.get("MMMETER_RETRY_FAILED_MINUTES", defaults.retry_failed_minutes)
        ),
        admin_user=env.get("MMMETER_ADMIN_USER") or None,
        admin_password_hash=env.get("MMMETER_ADMIN_PASSWORD_HASH") or None,
        secret_key=env.get("MMMETER_SECRET_KEY") or None,
        basemap=env.get("MMMETER_BASEMAP") or None,
        threads=int(env.get("MMMETER_THREADS", defaults.threads)),
        proxy_hops=int(env.get("MMMETER_PROXY_HOPS", defaults.proxy_hops)),
        frame_ancestors=frame_ancestors_setting(
            env.get("MMMETER_FRAME_ANCESTORS"), defaults.frame_ancestors
        ),
        max_request_bytes=int(env.get("MMMETER_MAX_REQUEST_BYTES", defaults.max_request_bytes)),
        log_format=_choice(env.get("MMMETER_LOG_FORMAT"), ("text", "json"), defaults.log_format),
        keep_versions=int(env.get("MMMETER_KEEP_VERSIONS", defaults.keep_versions)),
        keep_versions_hours=float(
            env.get("MMMETER_KEEP_VERSIONS_HOURS", defaults.keep_versions_hours)
        ),
        login_limit_account=env.get("MMMETER_LOGIN_LIMIT_ACCOUNT") or defaults.login_limit_account,
        login_limit_address=env.get("MMMETER_LOGIN_LIMIT_ADDRESS") or defaults.login_limit_address,
        metrics_token=env.get("MMMETER_METRICS_TOKEN") or None,
        clock_metrics_port=int(env["MMMETER_CLOCK_METRICS_PORT"])
        if env.get("MMMETER_CLOCK_METRICS_PORT")
        else None,
        home=(env.get("MMMETER_HOME") or "").strip().upper() or None,
        website=env.get("MMMETER_WEBSITE") or None,
        feed_webhooks=Path(env["MMMETER_FEED_WEBHOOKS"])
        if env.get("MMMETER_FEED_WEBHOOKS")
        else None,
        oidc_issuer=env.get("MMMETER_OIDC_ISSUER") or None,
        oidc_client_id=env.get("MMMETER_OIDC_CLIENT_ID") or None,
        oidc_client_secret=env.get("MMMETER_OIDC_CLIENT_SECRET") or None,
        oidc_scopes=env.get("MMMETER_OIDC_SCOPES") or defaults.oidc_scopes,
        oidc_allowed_domains=tuple(
            d.strip().lower()
            for d in (env.get("MMMETER_OIDC_ALLOWED_DOMAINS") or "").split(",")
            if d.strip()
        ),
    )
