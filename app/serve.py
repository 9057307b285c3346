"""`python -m app`: the app behind gunicorn, one worker with threads, scheduler in that worker.

This is the single-process deployment (one store writer: the worker's scheduler). Scaled out,
gunicorn runs N workers without a scheduler and a separate clock writes (see Procfile).
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from app import gunicorn_conf
from app.settings import Settings

HOOKS = ("on_starting", "post_fork", "child_exit", "on_exit")
OPTIONS = (
    "logconfig_dict",
    "worker_class",
    "threads",
    "timeout",
    "graceful_timeout",
    "keepalive",
    "control_socket_disable",
    "limit_request_line",
    "limit_request_fields",
    "limit_request_field_size",
)


class SingleProcessServer(BaseApplication):
    def __init__(self, settings: Settings):
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name in OPTIONS + HOOKS:
            self.cfg.set(name, getattr(gunicorn_conf, name))
        self.cfg.set("bind", [f"{self.settings.host}:{self.settings.port}"])
        self.cfg.set("workers", 1)
        self.cfg.set("threads", self.settings.threads)

    def load(self):
        """Runs in the worker (no preload): the app, and the schedule when MMMETER_SCHEDULER=1."""
        from app.main import create_app

        return create_app(self.settings, start_background=True).server


def serve(settings: Settings) -> None:
    SingleProcessServer(settings).run()
