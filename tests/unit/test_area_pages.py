"""Which page shows an area, and the area a page address names (?gebied=) for theme blocks
that follow it (layouts/views/area_pages.py, layouts/blocks/common.shown_areas)."""

from __future__ import annotations

import pytest

from layouts.blocks.common import shown_areas
from layouts.views.area_pages import area_in_query, area_in_search, area_path

NAMES = {"GM0114": "Emmen", "GM0106": "Assen", "GM1900": "Súdwest-Fryslân", "WK011401": "Wijk 01"}


@pytest.mark.parametrize(
    ("code", "home", "path"),
    [
        ("GM0114", "GM0114", "/corona"),
        ("GM0106", "GM0114", "/corona/GM0106"),
        ("GM0114", "GM0106", "/corona/GM0114"),
        ("WK011401", "GM0114", "/buurten/WK011401"),
        ("BU01140101", "GM0114", "/buurten/BU01140101"),
        ("PV22", "GM0114", None),
        ("NL01", "GM0114", None),
    ],
)
def test_each_kind_of_area_has_its_own_page(code, home, path):
    assert area_path(code, home) == path


@pytest.mark.parametrize("typed", ["GM0106", "gm0106", "assen", "ASSEN"])
def test_the_address_names_an_area_by_code_or_name(typed):
    assert area_in_query({"gebied": typed}, NAMES) == "GM0106"
    assert area_in_search(f"?lang=en&gebied={typed}", NAMES) == "GM0106"


def test_the_address_names_an_area_whatever_its_accents():
    assert area_in_search("?gebied=sudwest%20fryslan", NAMES) == "GM1900"


@pytest.mark.parametrize(
    "query", [{}, {"gebied": ""}, {"gebied": "Atlantis"}, {"gebied": "x" * 101}, {"gebied": 3}]
)
def test_no_or_an_unknown_area_in_the_address_changes_nothing(query):
    assert area_in_query(query, NAMES) is None
    assert shown_areas(["GM0114", "NL01"], True, area_in_query(query, NAMES)) == ["GM0114", "NL01"]


def test_a_repeated_parameter_counts_its_last_value():
    assert area_in_query({"gebied": ["emmen", "assen"]}, NAMES) == "GM0106"


def test_the_area_of_the_address_takes_the_place_of_the_first_area_only_when_asked():
    assert shown_areas(["GM0114", "PV22", "NL01"], True, "GM0106") == ["GM0106", "PV22", "NL01"]
    assert shown_areas(["GM0114", "PV22", "NL01"], False, "GM0106") == ["GM0114", "PV22", "NL01"]
    assert shown_areas(["GM0114", "PV22"], True, "PV22") == ["PV22"]  # not listed twice
