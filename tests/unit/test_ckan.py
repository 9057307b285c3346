"""The CKAN packages and the search of the CKAN action API (data/ckan.py)."""

from __future__ import annotations

import pytest

from app.settings import PROJECT_ROOT
from data import ckan, dcat
from data.catalog import load_catalog
from data.donl import value_lists

BASE = "https://mmmeter.example/"


@pytest.fixture(scope="module")
def items():
    catalog = load_catalog(PROJECT_ROOT / "data" / "catalog.yaml")
    modified = "2026-11-30T16:20:00+00:00"
    return dcat.records(
        catalog, value_lists(), BASE, "GM0114", {}, modified, "https://www.emmen.nl"
    )


def test_package_carries_every_required_donl_field_and_its_resources(items):
    for item in items:
        package = ckan.package_dict(item)
        assert all(package[f] for f in dcat.REQUIRED_DATASET_FIELDS), item.id
        assert package["name"] == item.id and package["identifier"] == item.identifier
        assert [r["url"] for r in package["resources"]] == [d.url for d in item.distributions]
        for resource in package["resources"]:
            assert all(resource[f] for f in dcat.REQUIRED_DISTRIBUTION_FIELDS), resource["id"]
            assert resource["package_id"] == item.id


def test_keywords_are_tags(items):
    cases = next(i for i in items if i.id == "rivm_cases")
    assert [t["name"] for t in ckan.package_dict(cases)["tags"]] == list(cases.keywords)


def test_folding_drops_case_and_accents():
    assert ckan.folded("Reële Überschrift ÇA") == "reele uberschrift ca"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("rioolwater", {"rivm_sewage"}),
        ("Rioolwater corona", {"rivm_sewage"}),  # every word must match
        ("rioolwater vaccinatie", set()),
        ("85984NED", {"cbs_kwb_2024"}),  # in the title
        ("vaccination", {"rivm_vaccination"}),  # the English title counts too
    ],
)
def test_search_matches_every_word(items, q, expected):
    assert {i.id for i in ckan.search(items, q)} == expected


@pytest.mark.parametrize("q", ["", "  ", "*:*"])
def test_empty_query_finds_everything(items, q):
    assert ckan.search(items, q) == items
