"""The app as users run it: `python -m app` behind gunicorn, the clock's writer lock, metrics
of several gunicorn workers, and the limits and headers as a real HTTP client sees them."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
import requests
from werkzeug.security import generate_password_hash

from tests.conftest import REPO_ROOT, copy_data_dir, unavailable
from tests.servers import free_port, running_app, stop


@pytest.fixture(scope="module")
def served(refreshed_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    data_dir = copy_data_dir(refreshed_settings.data_dir, root / "data")
    with running_app(
        data_dir,
        root / "app.log",
        refreshed_settings.mirror,
        MMMETER_PROXY_HOPS="1",
        MMMETER_ADMIN_USER="onderzoek",
        MMMETER_ADMIN_PASSWORD_HASH=generate_password_hash("geheim"),
        MMMETER_SECRET_KEY="test-secret",
        MMMETER_STAFF_DATA_DIR=str(root / "staff"),
    ) as app:
        yield app


def test_python_m_app_serves_with_gunicorn_without_a_version_in_the_server_header(served):
    response = requests.get(f"{served.url}/", timeout=30)
    assert response.status_code == 200
    assert response.headers["Server"] == "gunicorn"
    log = served.log()
    assert "development server" not in log.lower() and "Werkzeug" not in log
    assert "Using worker: gthread" in log


def _open_admin_page(url: str, headers: dict) -> requests.Response:
    """The pages callback for /beheer, as the browser sends it (it sets the session cookie:
    the page holds a CSRF token)."""
    from tests.integration.test_hardening import PAGES_CALLBACK, _callback_body

    deps = requests.get(f"{url}/_dash-dependencies", timeout=30).json()
    dep = next(d for d in deps if PAGES_CALLBACK in d["output"])
    return requests.post(
        f"{url}/_dash-update-component",
        json=_callback_body(dep, ["/beheer", ""]),
        headers=headers,
        timeout=30,
    )


def test_behind_a_tls_proxy_the_session_cookie_is_secure_and_hsts_is_sent(served):
    over_tls = _open_admin_page(
        served.url, {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.4"}
    )
    assert over_tls.status_code == 200
    assert over_tls.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = over_tls.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    plain = _open_admin_page(served.url, {})
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in plain.headers["Set-Cookie"]
    assert "HttpOnly" in plain.headers["Set-Cookie"]


def _raw_exchange(url: str, request: bytes, wait: float = 10) -> tuple[bytes, float]:
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer, time.monotonic() - started


def test_a_huge_body_is_refused_before_it_is_sent(served):
    """Content-Length says 300 MB; the server answers 413 from the headers alone."""
    head = (
        "POST /_dash-update-component HTTP/1.1\r\n"
        f"Host: {served.url.removeprefix('http://')}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {300 * 1024 * 1024}\r\n\r\n"
    ).encode()
    answer, seconds = _raw_exchange(served.url, head + b"{")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert seconds < 5


def test_a_malformed_callback_gets_400_and_an_unknown_page_404(served):
    bad = requests.post(
        f"{served.url}/_dash-update-component",
        data="null",
        timeout=30,
        headers={"Content-Type": "application/json"},
    )
    assert bad.status_code == 400
    missing = requests.get(f"{served.url}/bestaat-niet", timeout=30)
    assert missing.status_code == 404 and "text/html" in missing.headers["Content-Type"]
    api = requests.get(f"{served.url}/api/v1/bestaat-niet", timeout=30)
    assert api.status_code == 404 and api.json()["status"] == 404


def test_healthz_and_readyz_answer(served):
    assert requests.get(f"{served.url}/healthz", timeout=30).json()["status"] == "ok"
    assert requests.get(f"{served.url}/readyz", timeout=30).json()["status"] == "ready"


def _counter(text: str, route: str) -> float:
    pattern = rf'mmmeter_requests_total\{{route="{re.escape(route)}",status="200"\}} (\S+)'
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


def test_metrics_add_up_the_requests_of_every_gunicorn_worker(refreshed_settings, tmp_path):
    data_dir = copy_data_dir(refreshed_settings.data_dir, tmp_path / "data")
    port = free_port()
    env = {
        **os.environ,
        "MMMETER_DATA_DIR": str(data_dir),
        "MMMETER_HOST": "127.0.0.1",
        "PROMETHEUS_MULTIPROC_DIR": "",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--config", "python:app.gunicorn_conf",
        "--workers", "2", "--bind", f"127.0.0.1:{port}", "app.main:server",
    ]  # fmt: skip
    with open(tmp_path / "gunicorn.log", "w") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None and time.monotonic() < deadline, (
                tmp_path / "gunicorn.log"
            ).read_text()
            time.sleep(0.3)
        for _ in range(40):  # new connections: both workers answer some
            requests.get(f"{url}/api/v1/indicators", timeout=30, headers={"Connection": "close"})
        for _ in range(6):
            scrape = requests.get(f"{url}/metrics", timeout=30, headers={"Connection": "close"})
            assert _counter(scrape.text, "/api/v1/indicators") == 40
        assert "mmmeter_store_version_age_seconds" in scrape.text
    finally:
        stop(process)


@contextmanager
def _clock(data_dir, log_path, **extra):
    env = {
        **os.environ,
        "MMMETER_DATA_DIR": str(data_dir),
        "MMMETER_REFRESH_ON_START": "0",
        "MMMETER_MIRROR": "",
        **extra,
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.scheduler"], cwd=REPO_ROOT, env=env, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield process
    finally:
        stop(process)


def _wait_for_text(path, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text():
        assert time.monotonic() < deadline, f"{text!r} not in:\n{path.read_text()}"
        time.sleep(0.2)


def _two_clocks(tmp_path, **extra):
    first_log, second_log = tmp_path / "clock1.log", tmp_path / "clock2.log"
    with _clock(tmp_path / "data", first_log, **extra) as first:
        _wait_for_text(first_log, "holding the writer lock")
        with _clock(tmp_path / "data", second_log, **extra):
            _wait_for_text(second_log, "standing by")
            assert "holding the writer lock" not in second_log.read_text()
            stop(first)
            _wait_for_text(second_log, "holding the writer lock", timeout=60)


def test_a_second_clock_stands_by_until_the_first_stops(tmp_path):
    _two_clocks(tmp_path)


@pytest.mark.redis
def test_with_redis_a_second_clock_stands_by_until_the_first_stops(tmp_path):
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed")
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        _two_clocks(tmp_path, REDIS_URL=f"redis://127.0.0.1:{port}/0")
    finally:
        stop(redis)
