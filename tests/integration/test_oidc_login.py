"""Staff login through an OpenID Connect provider (app/oidc.py), against a small provider of
our own on 127.0.0.1: discovery, authorization code, token endpoint, signed ID token, keys."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from app.context import CONFIG_KEY, reader, staff_request
from app.main import build_runtime
from app.oidc import init_oidc
from app.settings import Settings
from tests.conftest import LoopbackServer

CLIENT_ID, CLIENT_SECRET = "mmmeter", "provider-test-secret"


class Provider(LoopbackServer):
    """An OIDC provider that signs in whoever `account` names, with the key `signing_key`."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.signing_key = self.key
        self.account = {"sub": "u1", "email": "a.jansen@emmen.nl", "email_verified": True}
        self.codes: dict[str, str] = {}  # code -> nonce
        self.nonce_override: str | None = None

    def make_server(self):
        return make_server("127.0.0.1", 0, self.app(), threaded=True)

    def issuer(self) -> str:
        return self.url.rstrip("/")

    def app(self) -> Flask:
        app = Flask("provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            base = self.issuer()
            return jsonify(
                {
                    "issuer": base,
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "jwks_uri": f"{base}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )

        @app.get("/jwks")
        def jwks():
            return jsonify({"keys": [self.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize():
            args = request.args
            assert args["client_id"] == CLIENT_ID and args["response_type"] == "code"
            code = uuid.uuid4().hex
            self.codes[code] = args.get("nonce", "")
            query = urlencode({"code": code, "state": args["state"]})
            return redirect(f"{args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
                return jsonify({"error": "invalid_client"}), 401
            nonce = self.codes.pop(request.form.get("code", ""), None)
            if nonce is None:
                return jsonify({"error": "invalid_grant"}), 400
            now = int(time.time())
            claims = {
                "iss": self.issuer(),
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": self.nonce_override or nonce,
                **self.account,
            }
            header = {"alg": "RS256", "kid": "k1"}
            id_token = jwt.encode(header, claims, self.signing_key)
            return jsonify(
                {
                    "access_token": "at",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": id_token,
                }
            )

        return app


@pytest.fixture()
def provider():
    with Provider() as running:
        yield running


def app_for(provider: Provider, tmp_path, **extra) -> Flask:
    settings = replace(
        Settings(),
        data_dir=tmp_path,
        secret_key="oidc-test-secret",
        oidc_issuer=provider.issuer(),
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        **extra,
    )
    server = Flask("oidc-app")
    server.secret_key = settings.secret_key
    server.config[CONFIG_KEY] = build_runtime(settings)
    init_oidc(server, settings)

    @server.get("/whoami")
    def whoami():
        return jsonify({"staff": staff_request(), "audience": reader().site.audience})

    return server


def log_in(client, tamper=None):
    """The browser's way through the login: our app, the provider, our callback."""
    start = client.get("/beheer/oidc/login")
    assert start.status_code == 302
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    parts = urlsplit(back.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    if tamper:
        query = tamper(query)
    return client.get(f"{parts.path}?{urlencode(query)}")


def test_a_staff_member_logs_in_through_the_identity_provider(provider, tmp_path):
    client = app_for(provider, tmp_path).test_client()
    assert client.get("/whoami").get_json() == {"staff": False, "audience": "public"}
    done = log_in(client)
    assert done.status_code == 302 and urlsplit(done.headers["Location"]).path == "/beheer"
    assert client.get("/whoami").get_json() == {"staff": True, "audience": "staff"}


def test_a_forged_state_is_refused(provider, tmp_path):
    client = app_for(provider, tmp_path).test_client()
    refused = log_in(client, lambda q: {**q, "state": "forged"})
    assert refused.status_code == 400
    assert client.get("/whoami").get_json()["staff"] is False


def test_an_id_token_signed_with_another_key_is_refused(provider, tmp_path):
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    client = app_for(provider, tmp_path).test_client()
    assert log_in(client).status_code == 400
    assert client.get("/whoami").get_json()["staff"] is False


def test_an_id_token_for_another_login_is_refused(provider, tmp_path):
    provider.nonce_override = "replayed"
    client = app_for(provider, tmp_path).test_client()
    assert log_in(client).status_code == 400
    assert client.get("/whoami").get_json()["staff"] is False


def test_an_account_outside_the_allowed_domains_is_refused(provider, tmp_path):
    provider.account = {"sub": "u2", "email": "someone@example.org", "email_verified": True}
    client = app_for(provider, tmp_path, oidc_allowed_domains=("emmen.nl",)).test_client()
    assert log_in(client).status_code == 403
    assert client.get("/whoami").get_json()["staff"] is False


def test_an_unreachable_provider_is_a_502_not_a_500(tmp_path):
    with Provider() as gone:
        server = app_for(gone, tmp_path)
    response = server.test_client().get("/beheer/oidc/login")
    assert response.status_code == 502
