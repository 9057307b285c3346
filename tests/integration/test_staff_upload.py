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
from data.catalog import load_catalog
from data.store import Store
from tests.conftest import FIXTURES, copy_data_dir

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def settings(refreshed_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("staff-upload")
    copy_data_dir(refreshed_settings.data_dir, root / "data")
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


def admin_page(settings, lang: str = "nl"):
    """The admin page's layout as Dash builds it for a request."""
    from layouts.pages import admin

    return admin.layout(reader(), lang, settings_of=lambda: settings)


def text_of(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def upload(path) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode()


@pytest.fixture()
def refreshes(settings):
    """The refresh requests uploads put in the writer's queue (the web never refreshes)."""
    from data import writequeue

    def asked() -> list[list[str]]:
        return [r["datasets"] for r in writequeue.queued(settings.store_dir)]

    shutil.rmtree(writequeue.queue_dir(settings.store_dir), ignore_errors=True)
    return asked


def token() -> str:
    from app.security import csrf_token

    return csrf_token()


def test_without_credentials_in_the_environment_the_admin_is_disabled(refreshed_settings):

    with server_for(refreshed_settings).test_request_context("/beheer"):
        page = text_of(admin_page(refreshed_settings))
    assert "Het beheer staat uit" in page
    assert "MMMETER_ADMIN_USER, MMMETER_ADMIN_PASSWORD_HASH" in page
    assert "admin-password" not in page


def test_a_wrong_password_is_refused_and_the_right_one_logs_in(settings):
    from callbacks import admin as admin_callbacks
    from layouts.pages import admin

    with server_for(settings).test_request_context("/_dash-update-component"):
        page = admin_page(settings)
        assert "admin-password" in text_of(page)
        csrf = token()
        refused = text_of(admin_callbacks.log_in(1, 0, "onderzoek", "raden", csrf, "?lang=en"))
        assert "User name or password is wrong." in refused
        assert admin.SESSION_KEY not in session
        welcome = text_of(admin_callbacks.log_in(1, 0, "onderzoek", PASSWORD, csrf, ""))
        assert "Ingelogd als onderzoek." in welcome and "admin-csv" in welcome
        assert session[admin.SESSION_KEY] == "onderzoek"
        assert "admin-login-form" in text_of(admin_callbacks.log_out(1, csrf, ""))
        assert admin.SESSION_KEY not in session


def test_the_admin_page_carries_a_csrf_token_that_the_login_needs(settings):
    from callbacks import admin as admin_callbacks
    from layouts.pages import admin

    with server_for(settings).test_request_context("/_dash-update-component"):
        page = text_of(admin_page(settings))
        csrf = token()
        assert csrf in page
        for forged in (None, "", "forged", csrf[:-2] + "xx", 12):
            refused = text_of(admin_callbacks.log_in(1, 0, "onderzoek", PASSWORD, forged, ""))
            assert "Deze pagina is verlopen" in refused
        assert admin.SESSION_KEY not in session


def test_an_account_is_locked_after_five_failures_even_for_the_right_password(settings):
    from callbacks import admin as admin_callbacks
    from layouts.pages import admin

    locked = replace(settings, login_limit_account="5 per 15 minutes", admin_user="lockme")
    with server_for(locked).test_request_context("/_dash-update-component"):
        csrf = token()
        for _ in range(5):
            wrong = text_of(admin_callbacks.log_in(1, 0, "lockme", "raden", csrf, ""))
            assert "klopt niet" in wrong
        right = text_of(admin_callbacks.log_in(1, 0, "lockme", PASSWORD, csrf, ""))
        assert "Te veel mislukte pogingen" in right
        assert admin.SESSION_KEY not in session


def test_one_address_is_locked_out_after_its_limit_whatever_the_account(settings):
    from callbacks import admin as admin_callbacks

    limited = replace(settings, login_limit_address="3 per 15 minutes")
    with server_for(limited).test_request_context(
        "/_dash-update-component", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    ):
        csrf = token()
        for name in ("a1", "a2", "a3"):
            admin_callbacks.log_in(1, 0, name, "raden", csrf, "")
        refused = text_of(admin_callbacks.log_in(1, 0, "onderzoek", PASSWORD, csrf, ""))
        assert "Te veel mislukte pogingen" in refused
    with server_for(limited).test_request_context(
        "/_dash-update-component", environ_base={"REMOTE_ADDR": "192.0.2.8"}
    ):
        welcome = text_of(admin_callbacks.log_in(1, 0, "onderzoek", PASSWORD, token(), ""))
        assert "Ingelogd als onderzoek." in welcome


def test_an_upload_is_refused_unless_logged_in(settings, refreshes):
    from callbacks import admin as admin_callbacks

    csv = FIXTURES / "staff" / "woz_value.csv"
    with server_for(settings).test_request_context("/_dash-update-component"):
        result = admin_callbacks.submit(1, upload(csv), "woz_value.csv", upload(csv), token(), "")
    assert "Log eerst in." in text_of(result)
    assert not settings.staff_data_dir.exists() and refreshes() == []


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
                token(),
                "",
            )
        )
    assert "De dataset is afgewezen" in result
    assert "woz_value.csv: column area, line 4: 'WK9' is not an area code" in result
    assert "Er is niets veranderd." in result
    assert not settings.staff_data_dir.exists() or not any(settings.staff_data_dir.iterdir())
    assert refreshes() == []


def test_an_accepted_upload_is_written_to_the_staff_folder_and_queued_for_the_writer(
    settings, refreshes
):
    from callbacks import admin as admin_callbacks
    from layouts.pages import admin

    versions_before = Store(settings.store_dir).current_version()
    with server_for(settings).test_request_context("/_dash-update-component"):
        session[admin.SESSION_KEY] = "onderzoek"
        answer, job, poll_disabled = admin_callbacks.submit(
            1,
            upload(FIXTURES / "staff" / "housing_market.csv"),
            "housing_market.csv",
            upload(FIXTURES / "staff" / "housing_market.yaml"),
            token(),
            "?lang=en",
        )
        result = text_of(answer)
        progress = text_of(admin_callbacks.show_progress(1, job, "?lang=en"))
    assert "Dataset housing_market was accepted (24 figures)" in result
    assert "indicator sales, days_on_market" in result
    assert (settings.staff_data_dir / "housing_market.csv").read_bytes() == (
        FIXTURES / "staff" / "housing_market.csv"
    ).read_bytes()
    assert (settings.staff_data_dir / "housing_market.yaml").exists()
    assert refreshes() == [["housing_market"]]
    assert poll_disabled is False and "Waiting to be processed." in progress
    assert Store(settings.store_dir).current_version() == versions_before  # the web wrote nothing


def test_the_writer_refreshes_a_queued_upload_and_the_page_shows_it_done(settings, refreshes):
    from app.scheduler import work_queue
    from callbacks import admin as admin_callbacks
    from data import writequeue
    from layouts.pages import admin

    settings.staff_data_dir.mkdir(parents=True, exist_ok=True)
    for suffix in (".csv", ".yaml"):
        shutil.copy(FIXTURES / "staff" / f"woz_value{suffix}", settings.staff_data_dir)
    job = writequeue.enqueue(settings.store_dir, ["woz_value"], by="onderzoek")
    handled = work_queue(settings, load_catalog(settings.catalog_path))
    assert handled == [job]
    record = writequeue.read(settings.store_dir, job)
    assert record["state"] == writequeue.DONE, record
    assert record["version"] == Store(settings.store_dir).current_version()
    assert any("woz_value" in m for m in record["messages"])
    with server_for(settings).test_request_context("/_dash-update-component"):
        session[admin.SESSION_KEY] = "onderzoek"
        shown, finished = admin_callbacks.show_progress(3, job, "")
    assert finished is True
    assert f"Verwerkt en online in versie {record['version']}." in text_of(shown)
