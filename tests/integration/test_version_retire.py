"""A worker's memory: when it sees a newly published store version it drops the old version's
queries and ready answers (data/cache.py `seen_current`, called by app/context.py); and only
app/answers.py MAKERS of its threads make answers at once."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from app.answers import MAKERS
from app.main import build_runtime
from tests.integration.conftest import serving_runtime
from tests.integration.test_ready_answers import _answers, _publish

API = "/api/v1/observations?indicator=covid_cases&area=GM0114"
VISIT = ("/corona/GM0114", "/_dash-layout", API)


@pytest.fixture()
def own_settings(refreshed_settings, tmp_path):
    return replace(refreshed_settings, data_dir=tmp_path)


def _versions_in_process(dash_app, worker) -> tuple[set, set]:
    queries = {key[1][0] for key in worker.cache.local._entries}
    answers = {key[0] for key in _answers(dash_app).local(worker.cache)._entries}
    return queries, answers


def test_a_new_version_drops_the_old_versions_entries_from_the_worker(
    dash_app, refreshed_settings, own_settings
):
    worker = build_runtime(own_settings)
    first = _publish(own_settings, refreshed_settings)
    with serving_runtime(dash_app, worker) as client:
        for address in VISIT:
            assert client.get(address).status_code == 200
        assert _versions_in_process(dash_app, worker) == ({first}, {first})
        second = _publish(own_settings, refreshed_settings)
        for address in VISIT:
            assert client.get(address).status_code == 200
        assert _versions_in_process(dash_app, worker) == ({second}, {second})
        pinned = client.get(f"/v/{first}/corona/GM0114")  # a permalink still reads the old one
        assert pinned.status_code == 200


def test_a_request_that_makes_an_answer_waits_for_a_free_maker(
    dash_app, refreshed_settings, own_settings
):
    """At most MAKERS threads of a worker make answers at once; a ready answer never waits."""
    worker = build_runtime(own_settings)
    _publish(own_settings, refreshed_settings)
    makers = _answers(dash_app).makers
    done: list[int] = []
    with serving_runtime(dash_app, worker) as client:
        held = [makers.acquire(timeout=5) for _ in range(MAKERS)]  # every maker busy
        assert all(held)
        try:
            request = threading.Thread(target=lambda: done.append(client.get(API).status_code))
            request.start()
            request.join(timeout=0.5)
            assert request.is_alive() and not done  # waits: nothing to make it with
        finally:
            makers.release()
        request.join(timeout=30)
        assert done == [200]
        assert makers.acquire(timeout=5)  # all MAKERS held again
        try:
            assert client.get(API).status_code == 200  # ready now: sent without a maker
        finally:
            for _ in range(MAKERS):
                makers.release()
