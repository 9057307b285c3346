"""The app as deployed: CLI, first start on an empty store, gunicorn workers, Redis cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import requests

from tests.conftest import REPO_ROOT, copy_data_dir, unavailable
from tests.servers import free_port


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "MMMETER_HOST": "127.0.0.1", **extra}


def _wait_for(url: str, process: subprocess.Popen, status: int = 200, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}")
        try:
            response = requests.get(url, timeout=30)
            if response.status_code == status:
                return response
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer {status} within {timeout} s")


def _stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        out, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out or ""


def test_refresh_command_prints_progress_and_status_reports_each_dataset(
    refreshed_settings, tmp_path
):
    data_dir = copy_data_dir(refreshed_settings.data_dir, tmp_path / "data")
    env = _env(MMMETER_DATA_DIR=str(data_dir), MMMETER_MIRROR=refreshed_settings.mirror)
    result = subprocess.run(
        [sys.executable, "-m", "app", "refresh", "rivm_vaccination"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "rivm_vaccination: unchanged" in result.stdout
    assert "nothing changed" in result.stdout
    status = subprocess.run(
        [sys.executable, "-m", "app", "status"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0
    assert "rivm_vaccination" in status.stdout and "last success" in status.stdout


def test_refresh_command_rejects_an_unknown_dataset(refreshed_settings, tmp_path):
    env = _env(MMMETER_DATA_DIR=str(tmp_path), MMMETER_MIRROR=refreshed_settings.mirror)
    result = subprocess.run(
        [sys.executable, "-m", "app", "refresh", "woz"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown dataset(s): woz" in result.stderr


def test_first_start_serves_pages_while_it_fills_the_empty_store(mirror_server, tmp_path):
    port = free_port()
    env = _env(
        PORT=str(port), MMMETER_DATA_DIR=str(tmp_path / "data"), MMMETER_MIRROR=mirror_server.url
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "app"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        starting = _wait_for(f"{url}/readyz", process, status=503, timeout=60)
        assert starting.json()["status"] == "starting"
        alive = requests.get(f"{url}/healthz", timeout=10)
        assert alive.status_code == 200 and alive.json()["status"] in ("starting", "ok")
        assert requests.get(f"{url}/", timeout=10).status_code == 200
        _wait_for(f"{url}/readyz", process, status=200, timeout=240)
        rows = requests.get(
            f"{url}/api/v1/observations",
            params={"indicator": "covid_cases", "area": "PV22"},
            timeout=30,
        ).json()["observations"]
        assert sum(r["value"] for r in rows) == 215_431
    finally:
        _stop(process)


def test_gunicorn_workers_serve_and_never_refresh(refreshed_settings, tmp_path):
    if shutil.which("gunicorn") is None:
        unavailable("gunicorn is not installed")
    data_dir = copy_data_dir(refreshed_settings.data_dir, tmp_path / "data")
    before = sorted(p.name for p in (data_dir / "store" / "versions").iterdir())
    port = free_port()
    env = _env(
        MMMETER_DATA_DIR=str(data_dir),
        MMMETER_MIRROR=refreshed_settings.mirror,
        MMMETER_SCHEDULER="0",
        MMMETER_STALE_AFTER_HOURS="0",  # stale: a web worker that refreshed would show it
    )
    process = subprocess.Popen(
        ["gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app.main:server"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", process, timeout=90)
        for _ in range(6):
            assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
        time.sleep(2)
    finally:
        _stop(process)
    assert sorted(p.name for p in (data_dir / "store" / "versions").iterdir()) == before


def test_queries_are_cached_in_redis_when_redis_url_is_set(refreshed_settings, tmp_path):
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        unavailable("redis-server is not installed")
    import redis

    redis_port, app_port = free_port(), free_port()
    redis_process = subprocess.Popen(
        [
            redis_server,
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    data_dir = copy_data_dir(refreshed_settings.data_dir, tmp_path / "data")
    env = _env(
        PORT=str(app_port),
        MMMETER_DATA_DIR=str(data_dir),
        MMMETER_SCHEDULER="0",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
    )
    app = subprocess.Popen(
        [sys.executable, "-m", "app"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        client = redis.Redis(port=redis_port)
        _wait_for(f"http://127.0.0.1:{app_port}/healthz", app)
        params = {"indicator": "covid_cases_7d", "area": "GM0114"}
        url = f"http://127.0.0.1:{app_port}/api/v1/observations"
        first = requests.get(url, params=params, timeout=30).json()
        keys = client.keys("mmmeter:*")
        assert keys, "no query result was cached in Redis"
        assert 0 < client.ttl(keys[0]) <= 48 * 3600  # entries expire with their version
        second = requests.get(url, params=params, timeout=30).json()
        assert first == second
    finally:
        _stop(app)
        redis_process.terminate()
        redis_process.wait(timeout=10)
