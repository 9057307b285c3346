"""The query cache: a shared flask-caching backend with an in-process layer, keyed on the code."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from dash import html

from data.cache import (
    LocalMemo,
    QueryCache,
    code_fingerprint,
    filesystem_backend,
    weigh_result,
)
from layouts.wire import as_sent

calls: list[tuple] = []


def frame_of(cache: QueryCache, version: str, size: int, *, local: bool = True) -> pd.DataFrame:
    def compute():
        calls.append(("frame_of", version, size))
        return pd.DataFrame({"value": np.arange(size, dtype="float64")})

    return cache.get("frame_of", (version, size), compute, local=local)


def _cache(tmp_path, name: str) -> QueryCache:
    return QueryCache(filesystem_backend(tmp_path / name))


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


def test_a_result_is_computed_once_and_then_served_from_the_process(tmp_path):
    cache = _cache(tmp_path, "one")
    first = frame_of(cache, "v1", 3)
    again = frame_of(cache, "v1", 3)
    assert calls == [("frame_of", "v1", 3)]
    assert again["value"].tolist() == [0.0, 1.0, 2.0]
    assert len(cache.local) == 1
    frame_of(cache, "v2", 3)  # another store version is another question
    assert calls[-1] == ("frame_of", "v2", 3)
    assert first is not again  # every caller gets its own (copy-on-write) frame


def test_a_caller_changing_its_frame_does_not_change_the_cache(tmp_path):
    cache = _cache(tmp_path, "one")
    mine = frame_of(cache, "v1", 2)
    mine["value"] = [9.0, 9.0]
    mine["extra"] = 1
    fresh = frame_of(cache, "v1", 2)
    assert fresh["value"].tolist() == [0.0, 1.0]
    assert "extra" not in fresh.columns


def test_the_shared_cache_serves_a_new_process_layer(tmp_path):
    frame_of(_cache(tmp_path, "one"), "v1", 2)
    second_worker = _cache(tmp_path, "one")  # same backend folder, empty process layer
    assert frame_of(second_worker, "v1", 2)["value"].tolist() == [0.0, 1.0]
    assert calls == [("frame_of", "v1", 2)]


def test_two_caches_in_one_process_never_share_results(tmp_path):
    frame_of(_cache(tmp_path, "one"), "v1", 2)
    frame_of(_cache(tmp_path, "two"), "v1", 2)
    assert calls == [("frame_of", "v1", 2), ("frame_of", "v1", 2)]


def test_big_results_can_stay_out_of_the_process_layer(tmp_path):
    cache = _cache(tmp_path, "one")
    assert frame_of(cache, "v1", 3, local=False)["value"].tolist() == [0.0, 1.0, 2.0]
    assert frame_of(cache, "v1", 3, local=False)["value"].tolist() == [0.0, 1.0, 2.0]
    assert len(cache.local) == 0
    assert calls == [("frame_of", "v1", 3)]


def test_a_cache_without_a_shared_backend_still_memoizes_in_the_process():
    cache = QueryCache()
    frame_of(cache, "v1", 1)
    frame_of(cache, "v1", 1)
    assert calls == [("frame_of", "v1", 1)]


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


def test_a_byte_bounded_process_layer_forgets_the_oldest_until_it_fits():
    memo = LocalMemo(size=100, max_bytes=10, weigh=len)
    memo.put("a", b"1234")
    memo.put("b", b"5678")
    memo.put("c", b"90ab")  # 12 bytes: "a" goes
    assert (memo.get("a"), memo.get("b"), memo.get("c"), memo.bytes) == (None, b"5678", b"90ab", 8)
    memo.put("huge", b"x" * 11)  # heavier than the whole bound: not kept, nothing evicted
    assert (memo.get("huge"), len(memo), memo.bytes) == (None, 2, 8)
    memo.put("b", b"")  # replacing an entry replaces its weight
    assert memo.bytes == 4


def test_query_results_in_the_process_are_bounded_by_their_bytes_not_only_their_count():
    cache = QueryCache(local_entries=100, local_bytes=3_000_000)
    big = pd.DataFrame({"value": np.arange(200_000, dtype="float64")})  # 1.6 MB
    assert 1_600_000 <= weigh_result(big) < 1_700_000
    cache.get("big", ("v1", 1), lambda: big)
    cache.get("big", ("v1", 2), lambda: big.copy())  # 3.2 MB together: the first goes
    assert len(cache.local) == 1 and cache.local.bytes <= 3_000_000
    cache.get("big", ("v1", 1), lambda: big)
    assert cache.computed["big"] == 3  # no shared backend: the first was computed again


def test_a_result_that_is_not_a_table_weighs_its_objects():
    tree = as_sent(html.Div([html.P("x" * 10_000) for _ in range(5)]))
    assert 50_000 <= weigh_result(tree) < 60_000
    assert weigh_result({"values": np.zeros(1000)}) >= 8000


def test_components_and_dataclasses_weigh_what_they_hold():
    @dataclasses.dataclass
    class View:
        figure: dict
        panel: html.Div

    view = View({"z": np.zeros(10_000)}, html.Div([html.P("x" * 20_000)]))
    assert 100_000 <= weigh_result(view) < 110_000
    assert weigh_result(html.Div([html.P("x" * 20_000)])) >= 20_000


def test_a_full_folder_cache_drops_its_oldest_entries_in_bulk(tmp_path, monkeypatch):
    backend = filesystem_backend(tmp_path / "cache", entries=10)
    scans = []
    list_dir = type(backend)._list_dir
    monkeypatch.setattr(type(backend), "_list_dir", lambda self: scans.append(1) or list_dir(self))
    for n in range(30):
        backend.set(f"k{n}", n)
    assert len(scans) <= 30 // 3  # not a scan of the folder on every write once it is full
    kept = [n for n in range(30) if backend.get(f"k{n}") is not None]
    assert 8 <= len(kept) <= 11
    assert kept == list(range(30 - len(kept), 30))  # the most recently written stay
