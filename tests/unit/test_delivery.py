"""Cache headers and the compressed-file cache (app/delivery.py)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.delivery import (
    IMMUTABLE,
    SHORT,
    StaticFileCache,
    cache_control_for,
    is_fingerprinted,
)


def test_fingerprinted_files_are_immutable_and_other_static_files_short():
    suite = "/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m1796158170.js"
    assert cache_control_for(suite, MultiDict()) == IMMUTABLE
    assert cache_control_for("/assets/2-site/x.css", MultiDict({"m": "17"})) == IMMUTABLE
    assert cache_control_for("/assets/plotly/p.js", MultiDict({"v": "ab12"})) == IMMUTABLE
    assert cache_control_for("/_favicon.ico", MultiDict({"v": "4.4.1"})) == IMMUTABLE
    plain_suite = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    assert cache_control_for(plain_suite, MultiDict()) == SHORT
    assert cache_control_for("/assets/2-site/x.css", MultiDict()) == SHORT
    assert cache_control_for("/assets/2-site/x.css", MultiDict({"m": ""})) == SHORT


def test_pages_and_api_keep_their_own_headers():
    for path in ("/", "/corona/GM0114", "/api/v1/indicators", "/_dash-update-component"):
        assert cache_control_for(path, MultiDict({"m": "1"})) is None
        assert not is_fingerprinted(path, MultiDict({"m": "1"}))


def test_compressed_cache_keeps_static_files_only_and_is_bounded():
    cache = StaticFileCache(max_entries=2)
    cache.set("br;", b"a page")  # no key: not a static file
    assert cache.get("br;") is None
    cache.set("br;/assets/a.js@1-1", b"a")
    cache.set("gzip;/assets/a.js@1-1", b"b")
    assert cache.get("br;/assets/a.js@1-1") == b"a"  # now the most recent
    cache.set("br;/assets/b.js@1-1", b"c")
    assert len(cache) == 2
    assert cache.get("gzip;/assets/a.js@1-1") is None  # the least recently used went
    assert cache.get("br;/assets/a.js@1-1") == b"a"
