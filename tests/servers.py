"""The app as users run it (`python -m app`) on a free port of 127.0.0.1, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.conftest import REPO_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_app(
    data_dir: Path, log_path: Path, mirror: str | None = None, timeout: float = 60, **settings
) -> Iterator[RunningApp]:
    """`python -m app` on `data_dir` (scheduler off, no refresh at start) until the block ends.

    `settings` are more MMMETER_* variables, e.g. MMMETER_THEMES_DIR="...". Fails with the
    app's log when it does not answer /readyz with 200 within `timeout` seconds.
    """
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "MMMETER_HOST": "127.0.0.1",
        "MMMETER_DATA_DIR": str(data_dir),
        "MMMETER_MIRROR": mirror or "",
        "MMMETER_SCHEDULER": "0",
        "MMMETER_REFRESH_ON_START": "0",
        **settings,
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    app = RunningApp(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_healthy(app, timeout)
        yield app
    finally:
        stop(process)


def _wait_until_healthy(app: RunningApp, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{app.url}/readyz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not up yet, or slow on a busy machine
            pass
        if app.process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the app did not start:\n{app.log()}")
        time.sleep(0.3)
