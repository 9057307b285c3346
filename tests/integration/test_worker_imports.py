"""A web worker imports what serving needs: the identity provider's client (Authlib and its
cryptography), geometry parsing (shapely) and the Atom writer (feedgen, lxml) come in only when
used. Together they were some 23 MB of every worker's memory."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("authlib", "cryptography", "joserfc", "shapely", "feedgen", "lxml")
PROBE = f"""
import json, sys
from app.main import create_app
create_app(start_background=False)
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""


def test_a_web_worker_without_oidc_does_not_import_the_heavy_optional_parts(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MMMETER_DATA_DIR": str(tmp_path),
        "MMMETER_SCHEDULER": "0",
        "MMMETER_REFRESH_ON_START": "0",
    }
    for name in ("MMMETER_OIDC_ISSUER", "MMMETER_OIDC_CLIENT_ID", "MMMETER_OIDC_CLIENT_SECRET"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
