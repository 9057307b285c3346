"""The Dutch README of a dataset zip (data/packages.py), from a metadata document made here."""

from __future__ import annotations

from data.packages import readme

META = {
    "id": "cases",
    "title": {"nl": "Besmettingen", "en": "Cases"},
    "publisher": "RIVM",
    "landing_page": "https://example.org/cases",
    "frequency": "http://publications.europa.eu/resource/authority/frequency/DAILY",
    "temporal_coverage": {"first_period": "2020-03-02", "last_period": "2023-03-31"},
    "levels": ["gm", "nl"],
    "last_successful_refresh": "2026-12-01T21:06:29Z",
    "release": {"version": "20261201T210635303610Z", "created_at": "2026-12-01T21:06:35Z"},
    "download": {
        "version": "20261201T210635303610Z",
        "publisher": "Gemeente",
        "attribution": "RIVM; CBS",
        "licences": [{"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [],
        "indicators": [
            {
                "id": "cases_7d",
                "title": {"nl": "Besmettingen, 7 dagen", "en": "Cases, 7 days"},
                "unit": {"nl": "personen", "en": "people"},
                "definition": {"nl": "Gemiddelde van 7 dagen.", "en": "Mean of 7 days."},
                "derived_from": "cases",
                "derivation": "mean_7d",
            }
        ],
    },
}


def test_the_readme_names_licence_attribution_release_and_definitions_in_dutch():
    text = readme(META, "cases.csv")
    for words in (
        "# Besmettingen",
        "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)",
        "Naamsvermelding: RIVM; CBS",
        "20261201T210635303610Z",
        "Bijgewerkt: dagelijks",
        "2020-03-02 tot en met 2023-03-31",
        "`cases_7d` — Besmettingen, 7 dagen (personen): Gemiddelde van 7 dagen.",
        "Afgeleid van `cases` (mean_7d)",
        "`cases.csv`",
    ):
        assert words in text, words
    assert "geojson" not in text


def test_the_readme_of_a_geometry_dataset_names_its_geojson_and_kadaster():
    geometry_only = {**META, "download": {**META["download"], "indicators": []}}
    text = readme(geometry_only, "w.csv", "w.geojson")
    assert "`w.geojson`" in text and "CBS, Kadaster" in text
    assert "geen waarnemingen maar gebiedsindelingen" in text
