"""The load of bench/load.py: users who visit the main pages and the API without think time.

Run by bench/load.py (`locust --headless -f bench/locustfile.py ...`) with MMMETER_LOAD_MIX
naming the JSON file of requests it built from the running app: per page its path, the
pages-callback payload and map-callback payloads; and API addresses. A visit is what a
browser sends for one page: HTML, `/_dash-layout`, `/_dash-dependencies`, the pages callback,
on a map page two map switches, and one API answer.
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, constant, task

UPDATE = "/_dash-update-component"
with open(os.environ["MMMETER_LOAD_MIX"], encoding="utf-8") as handle:
    MIX = json.load(handle)


class Visitor(FastHttpUser):
    wait_time = constant(0)  # no think time
    network_timeout = 30.0
    connection_timeout = 10.0

    def _expect(self, response, name: str, allowed: tuple[int, ...] = (200,)) -> None:
        if response.status_code not in allowed:
            response.failure(f"{name}: HTTP {response.status_code}")

    def _get(self, address: str, name: str) -> None:
        with self.client.get(address, name=name, catch_response=True) as response:
            self._expect(response, name)

    def _post(self, payload: dict, name: str) -> None:
        with self.client.post(UPDATE, json=payload, name=name, catch_response=True) as response:
            self._expect(response, name, (200, 204))  # 204: nothing to update (PreventUpdate)

    @task
    def visit(self) -> None:
        page = random.choice(MIX["pages"])
        self._get(page["path"], "html")
        self._get("/_dash-layout", "_dash-layout")
        self._get("/_dash-dependencies", "_dash-dependencies")
        self._post(page["pages_payload"], f"pages callback {page['path']}")
        for name, payload in random.sample(page["map_payloads"], min(2, len(page["map_payloads"]))):
            self._post(payload, f"map callback {name}")
        self._get(random.choice(MIX["api"]), "api")
