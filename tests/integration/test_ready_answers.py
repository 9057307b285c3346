"""Ready answers (app/answers.py): an answer sent again from the cache is the answer the view
makes, and a new store version never gets an answer kept for an older one."""

from __future__ import annotations

import gzip
import shutil
from dataclasses import replace

import brotli
import pytest

from app.main import build_runtime
from app.warm import UPDATE, pages_payload
from data.store import Store, new_version_id
from tests.integration.conftest import serving_runtime

ADDRESSES = (
    "/corona/GM0114?lang=en",
    "/_dash-layout",
    "/_dash-dependencies",
    "/api/v1/observations?indicator=covid_cases&area=GM0114",
    "/api/v1/indicators",
)
ENCODINGS = ("", "gzip", "br")


@pytest.fixture()
def own_settings(refreshed_settings, tmp_path):
    """Settings of a store and cache of their own (empty at first)."""
    return replace(refreshed_settings, data_dir=tmp_path)


def _publish(settings, source_settings) -> str:
    source, store = Store(source_settings.store_dir), Store(settings.store_dir)
    staging = store.new_staging_dir()
    shutil.rmtree(staging)
    shutil.copytree(source.version_dir(), staging)
    return store.publish(staging, {**source.manifest(), "version": new_version_id()})


def _plain(response) -> bytes:
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(data)
    if encoding == "br":
        return brotli.decompress(data)
    return data


def _answers(dash_app):
    return dash_app.server.extensions["mmmeter_answers"]


def _requests(dash_app):
    """What a visit asks (the dependencies read with the app's own runtime, not the tested)."""
    dependencies = dash_app.server.test_client().get("/_dash-dependencies").get_json()
    page = pages_payload(dependencies, "/corona/GM0114", "nl")
    yield from (("GET", address, None) for address in ADDRESSES)
    yield "POST", UPDATE, page


def test_a_ready_answer_is_the_answer_the_view_makes(dash_app, refreshed_settings, own_settings):
    _publish(own_settings, refreshed_settings)
    fresh_worker, other_worker = build_runtime(own_settings), build_runtime(own_settings)
    visit = list(_requests(dash_app))
    with serving_runtime(dash_app, fresh_worker) as client:
        for method, address, body in visit:
            for encoding in ENCODINGS:
                headers = {"Accept-Encoding": encoding} if encoding else {}
                sent_before = _answers(dash_app).counts["sent"]
                made = client.open(address, method=method, json=body, headers=headers)
                ready = client.open(address, method=method, json=body, headers=headers)
                assert made.status_code == ready.status_code == 200, address
                assert _answers(dash_app).counts["sent"] == sent_before + 1, address
                assert _plain(ready) == _plain(made), (address, encoding)
                for name in ("Content-Type", "Content-Encoding", "ETag", "Cache-Control"):
                    assert ready.headers.get(name) == made.headers.get(name), (address, name)
                assert ready.headers["Content-Security-Policy"]  # the other hooks still run
    # A worker with nothing in its memory reads the answers the first one kept.
    with serving_runtime(dash_app, other_worker) as client:
        sent_before = _answers(dash_app).counts["sent"]
        again = client.get(ADDRESSES[3], headers={"Accept-Encoding": "gzip"})
        assert again.status_code == 200
        assert _answers(dash_app).counts["sent"] == sent_before + 1


def test_a_ready_get_answer_is_revalidated_with_its_etag(
    dash_app, refreshed_settings, own_settings
):
    _publish(own_settings, refreshed_settings)
    with serving_runtime(dash_app, build_runtime(own_settings)) as client:
        first = client.get("/_dash-layout", headers={"Accept-Encoding": "br"})
        etag = first.headers["ETag"]
        again = client.get(
            "/_dash-layout", headers={"Accept-Encoding": "br", "If-None-Match": etag}
        )
        assert again.status_code == 304
        assert again.get_data() == b""


def test_a_new_version_is_never_served_an_answer_of_the_old_one(
    dash_app, refreshed_settings, own_settings
):
    worker = build_runtime(own_settings)
    api = "/api/v1/observations?indicator=covid_cases&area=GM0114"
    first = _publish(own_settings, refreshed_settings)
    with serving_runtime(dash_app, worker) as client:
        for _ in range(2):  # made, then ready
            assert first in client.get("/_dash-layout").get_data(as_text=True)
            assert client.get(api).headers["X-MMmeter-Version"] == first
        second = _publish(own_settings, refreshed_settings)
        layout = client.get("/_dash-layout").get_data(as_text=True)
        assert second in layout and first not in layout
        assert client.get(api).headers["X-MMmeter-Version"] == second


def test_admin_and_unknown_pages_get_no_ready_answer(dash_app, refreshed_settings, own_settings):
    _publish(own_settings, refreshed_settings)
    with serving_runtime(dash_app, build_runtime(own_settings)) as client:
        dependencies = client.get("/_dash-dependencies").get_json()
        kept = _answers(dash_app).counts["kept"]
        for _ in range(2):
            assert client.get("/beheer").status_code == 200
            assert client.get("/bestaat-niet").status_code == 404
            admin = pages_payload(dependencies, "/beheer", "nl")
            assert client.post(UPDATE, json=admin).status_code == 200
        assert _answers(dash_app).counts["kept"] == kept


def test_every_pure_output_names_a_callback_of_the_app(dash_app):
    from callbacks.pure import PURE_OUTPUTS, first_output

    dash_app.server.test_client().get("/_dash-dependencies")  # Dash registers on first request
    registered = {first_output(output) for output in dash_app.callback_map}
    assert registered >= PURE_OUTPUTS, PURE_OUTPUTS - registered
    assert first_output("..a-graph.figure...a-legend.children..") == "a-graph.figure"
