"""Callback modules, registered with dash.callback on import (no module imports the app)."""

from callbacks import shell  # noqa: F401
