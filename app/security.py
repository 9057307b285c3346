"""Request limits, security headers, cookies, CSRF and Origin checks, login rate limits.

- Every request body is limited before it is read: `MMMETER_MAX_REQUEST_BYTES`, and for a
  logged-in admin's callback the staff upload limit (two files, base64 in JSON).
- Every response carries a Content-Security-Policy whose script-src lists the hashes of Dash's
  inline scripts (`Dash.csp_hashes()`), frame-ancestors ('none' on the admin page,
  MMMETER_FRAME_ANCESTORS elsewhere), X-Content-Type-Options, Referrer-Policy,
  Permissions-Policy and, over TLS, HSTS. Behind a reverse proxy (MMMETER_PROXY_HOPS) ProxyFix
  takes scheme, host and client address from its X-Forwarded-* headers.
- The session cookie is HttpOnly, SameSite=Lax and Secure whenever the request came over TLS.
- A POST from another origin is refused (Origin / Sec-Fetch-Site); admin actions also carry a
  CSRF token (Flask-WTF's signed, time-limited token bound to the session).
- Failed admin logins are counted per account and per client address (the `limits` library,
  in Redis when REDIS_URL is set); past the limit the login is refused without waiting.
"""

from __future__ import annotations

import math
import threading
from urllib.parse import urlsplit

from dash import Dash
from flask import Flask, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from app.settings import Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


def upload_request_bytes() -> int:
    """The largest callback request of an admin upload: both files base64-encoded, plus JSON."""
    from data.staff import MAX_CSV_BYTES, MAX_META_BYTES

    return math.ceil((MAX_CSV_BYTES + MAX_META_BYTES) * 4 / 3) + 64 * 1024


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its cookie Secure whenever the request came over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(
    script_hashes: list[str], frame_ancestors: str, extra_origins: list[str]
) -> str:
    extra = " ".join(extra_origins)
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        # Dash components and plotly set style attributes and add <style> rules.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"'self' data: blob: {extra}".strip(),
        "font-src": "'self' data:",
        "connect-src": f"'self' {extra}".strip(),
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def is_admin_path(path: str) -> bool:
    from dash import strip_relative_path

    from layouts.pages.admin import PATH

    return (strip_relative_path(path) or "") == PATH.strip("/")


def init_security(server: Flask, app: Dash, settings: Settings) -> None:
    if settings.proxy_hops:
        hops = settings.proxy_hops
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    server.session_interface = SessionInterface()
    server.config.update(
        MAX_CONTENT_LENGTH=max(settings.max_request_bytes, upload_request_bytes()),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    from layouts.pages import admin

    tile_origins = [o for o in [_origin(settings.basemap or "")] if o]
    hashes: list[str] = []
    hashes_lock = threading.Lock()  # gunicorn threads: the first responses come at once

    def script_hashes() -> list[str]:
        with hashes_lock:
            if not hashes:
                hashes.extend(app.csp_hashes())
        return hashes

    @server.before_request
    def _limit_and_check_origin():
        limit = settings.max_request_bytes
        if request.method == "POST" and session.get(admin.SESSION_KEY):
            limit = max(limit, upload_request_bytes())
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            return jsonify({"error": f"request body over {limit:,} bytes", "status": 413}), 413
        if request.method in UNSAFE_METHODS and not same_origin():
            return jsonify({"error": "cross-origin request refused", "status": 403}), 403
        return None

    @server.after_request
    def _headers(response):
        admin = is_admin_path(request.path)
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(
            script_hashes(), "'none'" if admin else settings.frame_ancestors, tile_origins
        )
        if admin:
            headers["X-Frame-Options"] = "DENY"
            headers["Cache-Control"] = "no-store"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if request.is_secure:
            headers["Strict-Transport-Security"] = HSTS
        return response


def same_origin() -> bool:
    """False when the browser says the request comes from another site."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if origin is None:  # not sent by every client; admin actions also need the CSRF token
        return True
    return origin == f"{request.scheme}://{request.host}"


# ---- CSRF ----------------------------------------------------------------------------------


def csrf_token() -> str:
    from flask_wtf.csrf import generate_csrf

    return generate_csrf()


def csrf_ok(token) -> bool:
    from flask_wtf.csrf import ValidationError, validate_csrf

    if not isinstance(token, str) or not token:
        return False
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


# ---- login rate limits ---------------------------------------------------------------------


class LoginLimiter:
    """Failed logins per account and per address in a moving window; past either limit the
    login is refused, also with the right password, until the window has moved on."""

    def __init__(self, storage_uri: str, per_account: str, per_address: str):
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.per_account = parse(per_account)
        self.per_address = parse(per_address)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimiter:
        storage = settings.redis_url or "memory://"
        return cls(storage, settings.login_limit_account, settings.login_limit_address)

    def _keys(self, account: str, address: str):
        return (
            (self.per_account, "mmmeter-login-account", account.lower()[:200]),
            (self.per_address, "mmmeter-login-address", address),
        )

    def locked(self, account: str, address: str) -> bool:
        return any(
            not self._limiter.test(item, *key) for item, *key in self._keys(account, address)
        )

    def failed(self, account: str, address: str) -> None:
        for item, *key in self._keys(account, address):
            self._limiter.hit(item, *key)

    def succeeded(self, account: str, address: str) -> None:
        """A good login under the limits forgets the earlier failures of the account."""
        item, *key = self._keys(account, address)[0]
        self._limiter.clear(item, *key)


_limiters: dict[tuple, LoginLimiter] = {}


def login_limiter(settings: Settings) -> LoginLimiter:
    key = (settings.redis_url, settings.login_limit_account, settings.login_limit_address)
    if key not in _limiters:
        _limiters[key] = LoginLimiter.from_settings(settings)
    return _limiters[key]


def client_address() -> str:
    return request.remote_addr or "unknown"
