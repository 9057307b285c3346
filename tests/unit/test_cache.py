"""The query cache: shared flask-caching backend with an in-process layer, keyed on the code."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from dash import html
from flask import Flask

from app.settings import load_settings
from data.cache import LocalMemo, code_fingerprint, init_cache, local_layer, memoize
from layouts.wire import as_sent

calls: list[tuple] = []


@memoize()
def frame_of(version: str, size: int) -> pd.DataFrame:
    calls.append(("frame_of", version, size))
    return pd.DataFrame({"value": np.arange(size, dtype="float64")})


@memoize(local=False)
def shared_only(version: str) -> list[int]:
    calls.append(("shared_only", version))
    return [1, 2, 3]


def _app(tmp_path, name: str) -> Flask:
    server = Flask(name)
    settings = replace(load_settings({}), data_dir=tmp_path / name)
    init_cache(server, settings)
    return server


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


def test_a_result_is_computed_once_and_then_served_from_the_process(tmp_path):
    with _app(tmp_path, "one").app_context():
        first = frame_of("v1", 3)
        again = frame_of("v1", 3)
        assert calls == [("frame_of", "v1", 3)]
        assert again["value"].tolist() == [0.0, 1.0, 2.0]
        assert len(local_layer()) == 1
        frame_of("v2", 3)  # another store version is another question
        assert calls[-1] == ("frame_of", "v2", 3)
        assert first is not again  # every caller gets its own (copy-on-write) frame


def test_a_caller_changing_its_frame_does_not_change_the_cache(tmp_path):
    with _app(tmp_path, "one").app_context():
        mine = frame_of("v1", 2)
        mine["value"] = [9.0, 9.0]
        mine["extra"] = 1
        fresh = frame_of("v1", 2)
        assert fresh["value"].tolist() == [0.0, 1.0]
        assert "extra" not in fresh.columns


def test_the_shared_cache_serves_a_new_process_layer(tmp_path):
    server = _app(tmp_path, "one")
    with server.app_context():
        frame_of("v1", 2)
        local_layer()._entries.clear()  # a second worker: same backend, empty process layer
        assert frame_of("v1", 2)["value"].tolist() == [0.0, 1.0]
    assert calls == [("frame_of", "v1", 2)]


def test_two_apps_in_one_process_never_share_results(tmp_path):
    with _app(tmp_path, "one").app_context():
        frame_of("v1", 2)
    with _app(tmp_path, "two").app_context():
        frame_of("v1", 2)
    assert calls == [("frame_of", "v1", 2), ("frame_of", "v1", 2)]


def test_big_results_can_stay_out_of_the_process_layer(tmp_path):
    with _app(tmp_path, "one").app_context():
        assert shared_only("v1") == [1, 2, 3]
        assert shared_only("v1") == [1, 2, 3]
        assert len(local_layer()) == 0
    assert calls == [("shared_only", "v1")]


def test_the_process_layer_forgets_the_least_recently_used():
    memo = LocalMemo(size=2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "b" is now the oldest
    memo.put("c", 3)
    assert memo.get("b") is None
    assert (memo.get("a"), memo.get("c"), len(memo)) == (1, 3, 2)


def test_the_code_fingerprint_changes_with_the_code(tmp_path):
    (tmp_path / "data").mkdir()
    source = tmp_path / "data" / "queries.py"
    source.write_text("VALUE = 1\n")
    before = code_fingerprint(tmp_path)
    (tmp_path / "data" / "notes.txt").write_text("not code")
    code_fingerprint.cache_clear()
    assert code_fingerprint(tmp_path) == before
    source.write_text("VALUE = 2\n")
    code_fingerprint.cache_clear()
    assert code_fingerprint(tmp_path) != before
    code_fingerprint.cache_clear()


def test_components_are_kept_as_dash_sends_them():
    sent = as_sent(html.Div([html.Span("a", className="x"), np.array([1.5, 2.0])], id="d"))
    assert sent == {
        "type": "Div",
        "namespace": "dash_html_components",
        "props": {
            "children": [
                {
                    "type": "Span",
                    "namespace": "dash_html_components",
                    "props": {"children": "a", "className": "x"},
                },
                [1.5, 2.0],
            ],
            "id": "d",
        },
    }
