"""Staff login through the municipality's identity provider (OpenID Connect, Authlib), beside
the admin's own user and password.

Switched on by MMMETER_OIDC_ISSUER, MMMETER_OIDC_CLIENT_ID and MMMETER_OIDC_CLIENT_SECRET (and
MMMETER_SECRET_KEY, which signs the session). `/beheer/oidc/login` sends the browser to the
provider (authorization code flow, with state and nonce); `/beheer/oidc/callback` takes the
code back, has Authlib check the ID token (signature against the provider's keys, issuer,
audience, expiry, nonce) and, when the account's e-mail domain is allowed
(MMMETER_OIDC_ALLOWED_DOMAINS, comma-separated; empty: every account the provider signs in),
marks the session as staff. A staff session sees the internal datasets, indicators and themes
and may use the admin page, like the admin login.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, jsonify, redirect, session, url_for
from joserfc.errors import JoseError

from app.settings import Settings
from layouts.pages import admin
from layouts.views.urls import href

log = logging.getLogger(__name__)

CLIENT_NAME = "municipality"
LOGIN_PATH = "/beheer/oidc/login"
CALLBACK_PATH = "/beheer/oidc/callback"
MAX_CLAIM_CHARS = 320

EXTENSION = "mmmeter_oidc"
oidc_routes = Blueprint("oidc", __name__)


def allowed(settings: Settings, claims: dict) -> str | None:
    """The staff member's name (e-mail, else the subject) when the account may log in."""
    email = str(claims.get("email") or "")[:MAX_CLAIM_CHARS]
    subject = str(claims.get("sub") or "")[:MAX_CLAIM_CHARS]
    domains = settings.oidc_allowed_domains
    if domains:
        domain = email.rpartition("@")[2].lower()
        if not email or claims.get("email_verified") is False or domain not in domains:
            return None
    return email or subject or None


def init_oidc(server: Flask, settings: Settings) -> None:
    """Register the login routes when OIDC is configured (else nothing)."""
    if not admin.oidc_enabled(settings):
        return
    oauth = OAuth(server)  # one per app: it keeps the provider's metadata and keys
    oauth.register(
        CLIENT_NAME,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": settings.oidc_scopes, "timeout": 10},
    )
    server.extensions[EXTENSION] = (oauth, settings)
    server.register_blueprint(oidc_routes)


@oidc_routes.after_request
def _not_stored(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _client():
    return current_app.extensions[EXTENSION][0].create_client(CLIENT_NAME)


@oidc_routes.get(LOGIN_PATH)
def login():
    try:
        return _client().authorize_redirect(url_for("oidc.callback", _external=True))
    except (AuthlibBaseError, requests.RequestException) as exc:
        log.warning("OIDC provider unreachable for login: %s", exc)
        return jsonify({"error": "the identity provider does not answer", "status": 502}), 502


@oidc_routes.get(CALLBACK_PATH)
def callback():
    settings = current_app.extensions[EXTENSION][1]
    try:
        token = _client().authorize_access_token()
    except (AuthlibBaseError, JoseError) as exc:  # state, code or ID token refused
        log.warning("OIDC login refused: %s", exc)
        return jsonify({"error": "login refused by the identity provider", "status": 400}), 400
    except requests.RequestException as exc:
        log.warning("OIDC provider unreachable for the token: %s", exc)
        return jsonify({"error": "the identity provider does not answer", "status": 502}), 502
    name = allowed(settings, token.get("userinfo") or {})
    if name is None:
        log.warning("OIDC account not allowed as staff")
        return jsonify({"error": "this account may not log in here", "status": 403}), 403
    session.pop(admin.SESSION_KEY, None)
    session[admin.OIDC_SESSION_KEY] = name
    log.info("staff login through OIDC: %s", name)
    return redirect(href(admin.PATH))
