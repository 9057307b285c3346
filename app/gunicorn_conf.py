"""gunicorn settings and hooks of MMmeter, for both ways of serving it:

    gunicorn --config python:app.gunicorn_conf app.main:server   # Procfile `web:`, N workers
    python -m app                                                 # app/serve.py, one worker

The hooks give prometheus-client a fresh multiprocess folder per master (every worker writes its
metrics there and /metrics adds them up), log as MMMETER_LOG_FORMAT says, and make each
worker's allocators give memory back (app/memory.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile

from app.logs import logging_config
from app.settings import load_settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_OWN_DIR = "MMMETER_OWN_METRICS_DIR"  # set when the folder is ours to remove at exit

_settings = load_settings()
logconfig_dict = logging_config(_settings.log_format)
worker_class = "gthread"
threads = _settings.threads
timeout = 60
graceful_timeout = 30
keepalive = 5
control_socket_disable = True  # one per user by default: several instances would share it
# Request line and headers stay small; bodies are limited by the app (app/security.py).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190


def on_starting(server) -> None:
    if not os.environ.get(MULTIPROC_ENV):
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="mmmeter-metrics-")
        os.environ[_OWN_DIR] = os.environ[MULTIPROC_ENV]


def post_fork(server, worker) -> None:
    from app.memory import lean_allocators

    lean_allocators()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    own = os.environ.get(_OWN_DIR)
    if own:
        shutil.rmtree(own, ignore_errors=True)
