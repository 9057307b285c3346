"""Logging of the app, the clock and gunicorn: plain lines or JSON (MMMETER_LOG_FORMAT=json)."""

from __future__ import annotations

import logging.config

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"


def logging_config(log_format: str) -> dict:
    """A `logging.config.dictConfig` dict; gunicorn takes the same one (`logconfig_dict`)."""
    if log_format == "json":
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": TEXT_FORMAT}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "root": {"level": "INFO", "handlers": ["default"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["default"], "propagate": False},
            # one line per request is for the proxy in front; /metrics counts requests here
            "gunicorn.access": {"level": "WARNING", "handlers": ["default"], "propagate": False},
        },
    }


def configure(log_format: str) -> None:
    logging.config.dictConfig(logging_config(log_format))
