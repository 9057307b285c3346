"""Shared test settings and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
# The read-only data folder beside the repo (see shared/data/SOURCES.md).
SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def shared_file(relative: str) -> Path:
    """A file in SHARED_DATA; skips the calling test when the folder is not there."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared data file {relative} not available")
    return path
