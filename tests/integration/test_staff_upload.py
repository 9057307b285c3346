"""The admin page: login with credentials from the environment; uploads checked first."""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import replace

import plotly
import pytest
from flask import Flask, session
from werkzeug.security import generate_password_hash

from app.context import CONFIG_KEY, reader
from app.main import build_runtime
from data import staff
from tests.conftest import FIXTURES

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def settings(refreshed_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("staff-upload")
    shutil.copytree(refreshed_settings.data_dir, root / "data", symlinks=True)
    return replace(
        refreshed_settings,
        data_dir=root / "data",
        staff_data_dir=root / "staff",
        admin_user="onderzoek",
        admin_password_hash=generate_password_hash(PASSWORD),
        secret_key="test-secret",
    )


def server_for(settings) -> Flask:
    server = Flask("admin-test")
    server.secret_key = settings.secret_key
    server.config[CONFIG_KEY] = build_runtime(settings)
    return server


def text_of(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def upload(path) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode()


@pytest.fixture()
def refreshes(monkeypatch):
    """Refreshes the accepted upload asked for (not run: the refresh has its own tests)."""
    calls = []
    monkeypatch.setattr(staff, "refresh_in_background", lambda s, ids: calls.append(ids))
    return calls


def test_without_credentials_in_the_environment_the_admin_is_disabled(refreshed_settings):
    from layouts.pages import admin

    with server_for(refreshed_settings).test_request_context("/beheer"):
        page = text_of(admin.layout(reader(), lang="nl", settings_of=lambda: refreshed_settings))
    assert "Het beheer staat uit" in page
    assert "MMMETER_ADMIN_USER, MMMETER_ADMIN_PASSWORD_HASH" in page
    assert "admin-password" not in page


def test_a_wrong_password_is_refused_and_the_right_one_logs_in(settings, monkeypatch):
    from callbacks import admin as admin_callbacks
    from layouts.pages import admin

    monkeypatch.setattr(admin_callbacks, "FAILED_LOGIN_DELAY_S", 0)
    with server_for(settings).test_request_context("/_dash-update-component"):
        page = admin.layout(reader(), lang="nl", settings_of=lambda: settings)
        assert "admin-password" in text_of(page)
        refused = text_of(admin_callbacks.log_in(1, 0, "onderzoek", "raden", "?lang=en"))
        assert "User name or password is wrong." in refused
        assert admin.SESSION_KEY not in session
        welcome = text_of(admin_callbacks.log_in(1, 0, "onderzoek", PASSWORD, ""))
        assert "Ingelogd als onderzoek." in welcome and "admin-csv" in welcome
        assert session[admin.SESSION_KEY] == "onderzoek"
        assert "admin-login-form" in text_of(admin_callbacks.log_out(1, ""))
        assert admin.SESSION_KEY not in session


def test_an_upload_is_refused_unless_logged_in(settings, refreshes):
    from callbacks import admin as admin_callbacks

    csv = FIXTURES / "staff" / "woz_value.csv"
    with server_for(settings).test_request_context("/_dash-update-component"):
        result = admin_callbacks.submit(1, upload(csv), "woz_value.csv", upload(csv), "")
    assert "Log eerst in." in text_of(result)
    assert not settings.staff_data_dir.exists() and refreshes == []


def test_a_rejected_upload_says_line_and_column_and_changes_nothing(settings, refreshes, tmp_path):
    from callbacks import admin as admin_callbacks
    from layouts.pages import admin

    bad = tmp_path / "woz_value.csv"
    bad.write_bytes(
        (FIXTURES / "staff" / "woz_value.csv").read_bytes().replace(b"WK011402,2023", b"WK9,2023")
    )
    with server_for(settings).test_request_context("/_dash-update-component"):
        session[admin.SESSION_KEY] = "onderzoek"
        result = text_of(
            admin_callbacks.submit(
                1,
                upload(bad),
                "woz_value.csv",
                upload(FIXTURES / "staff" / "woz_value.yaml"),
                "",
            )
        )
    assert "De dataset is afgewezen" in result
    assert "woz_value.csv: column area, line 4: 'WK9' is not an area code" in result
    assert "Er is niets veranderd." in result
    assert not settings.staff_data_dir.exists() or not any(settings.staff_data_dir.iterdir())
    assert refreshes == []


def test_an_accepted_upload_is_written_to_the_staff_folder_and_refreshed(settings, refreshes):
    from callbacks import admin as admin_callbacks
    from layouts.pages import admin

    with server_for(settings).test_request_context("/_dash-update-component"):
        session[admin.SESSION_KEY] = "onderzoek"
        result = text_of(
            admin_callbacks.submit(
                1,
                upload(FIXTURES / "staff" / "housing_market.csv"),
                "housing_market.csv",
                upload(FIXTURES / "staff" / "housing_market.yaml"),
                "?lang=en",
            )
        )
    assert "Dataset housing_market was accepted (24 figures)" in result
    assert "indicator sales, days_on_market" in result
    assert (settings.staff_data_dir / "housing_market.csv").read_bytes() == (
        FIXTURES / "staff" / "housing_market.csv"
    ).read_bytes()
    assert (settings.staff_data_dir / "housing_market.yaml").exists()
    assert refreshes == [["housing_market"]]
