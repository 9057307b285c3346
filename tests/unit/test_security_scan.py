"""bandit finds nothing in the app's code (a finding is fixed, or justified with `# nosec BXXX`
and its reason on the line). pip-audit needs the package index and runs in .ci/run."""

from __future__ import annotations

import subprocess
import sys

from app.settings import PROJECT_ROOT


def test_bandit_finds_no_security_issue():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-c", "pyproject.toml", "-r", "."],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
