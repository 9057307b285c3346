"""The header marks the one navigation entry the page belongs to."""

from __future__ import annotations

import pytest

from layouts.shell import active_path

NAV = ["/", "/corona/kaart", "/corona", "/buurten", "/thema/corona", "/thema/bevolking"]


@pytest.mark.parametrize(
    ("pathname", "expected"),
    [
        ("/", "/"),
        (None, "/"),
        ("/corona", "/corona"),
        ("/corona/GM0114", "/corona"),
        ("/corona/kaart", "/corona/kaart"),
        ("/buurten/WK011401", "/buurten"),
        ("/thema/bevolking", "/thema/bevolking"),
        ("/thema", None),
        ("/toegankelijkheid", None),
        ("/coronavirus", None),
    ],
)
def test_the_longest_matching_entry_is_the_current_page(pathname, expected):
    assert active_path(pathname, NAV) == expected
