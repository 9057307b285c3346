"""Permalink addresses: /v/<version> taken off and put on, under Dash's requests prefix."""

from __future__ import annotations

import pytest

from app.permalinks import pinned_config
from layouts.permalink import permalink_path, split_pinned, stand_label, strip_pinned

V = "20261201T194613248575Z"


def test_split_pinned_finds_the_version_and_the_rest():
    assert split_pinned(f"/v/{V}/corona/GM0114") == (V, "/corona/GM0114")
    assert split_pinned(f"/v/{V}") == (V, "/")
    assert split_pinned("/corona/GM0114") == (None, "/corona/GM0114")
    assert split_pinned("/versies/v/x") == (None, "/versies/v/x")


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        (f"/v/{V}/corona/GM0114", "/", "/corona/GM0114"),
        (f"/app/v/{V}/corona", "/app/", "/app/corona"),
        ("/app/corona", "/app/", "/app/corona"),
        (None, "/", "/"),
    ],
)
def test_strip_pinned_keeps_dashs_prefix(path, base, expected):
    assert strip_pinned(path, base) == expected


def test_a_permalink_replaces_an_earlier_pin_and_keeps_the_query_state():
    old = "20250101T000000000000Z"
    assert permalink_path(V, f"/v/{old}/corona/GM0114", "?view=per100k") == (
        f"/v/{V}/corona/GM0114?view=per100k"
    )
    assert permalink_path(V, "/app/buurten/WK011401", "", "/app/") == f"/app/v/{V}/buurten/WK011401"
    assert len(permalink_path(V, "/", "?" + "a" * 10_000)) < 2200  # the state is bounded


def test_the_label_names_the_day_of_the_version_in_dutch_and_english():
    assert stand_label(V, "nl") == "Stand per 1 december 2026"
    assert stand_label(V, "en") == "As of 1 December 2026"


def test_only_a_pinned_page_sends_dash_its_requests_under_the_pin():
    config = {"requests_pathname_prefix": "/app/", "url_base_pathname": None}
    assert pinned_config(config, None) is config
    assert pinned_config(config, V)["requests_pathname_prefix"] == f"/app/v/{V}/"
