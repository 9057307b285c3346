"""The catalog loads, and a broken catalog names the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from data.catalog import load_catalog
from data.yamlfile import YamlProblems

CATALOG = PROJECT_ROOT / "data" / "catalog.yaml"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = CATALOG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalog.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_catalog_loads_with_archived_dates_inherited():
    catalog = load_catalog(CATALOG)
    assert catalog.indicators["covid_cases_7d"].archived_since.isoformat() == "2023-03-31"
    assert catalog.indicators["covid_deaths"].archived_since.isoformat() == "2022-12-31"
    assert catalog.indicators["population"].archived_since is None
    assert all(d.files for d in catalog.datasets.values())


def test_unknown_key_is_an_error_naming_file_line_and_field(tmp_path):
    path = _broken(tmp_path, "    publisher: RIVM\n", "    publisher: RIVM\n    publsher: typo\n")
    with pytest.raises(YamlProblems) as error:
        load_catalog(path)
    [problem] = error.value.problems
    assert problem.file == str(path)
    assert problem.field == "datasets.rivm_cases.publsher"
    assert problem.message == "unknown field"
    assert path.read_text().splitlines()[problem.line - 1].strip() == "publsher: typo"


def test_broken_dataset_reference_is_an_error(tmp_path):
    path = _broken(tmp_path, "    dataset: rivm_hospital\n", "    dataset: rivm_hospitals\n")
    with pytest.raises(YamlProblems, match="unknown dataset 'rivm_hospitals'"):
        load_catalog(path)


def test_bad_cron_schedule_is_an_error(tmp_path):
    path = _broken(tmp_path, 'schedule: {cron: "15 16 * * *"}', 'schedule: {cron: "daily"}')
    with pytest.raises(YamlProblems, match="cron expression with 5 fields"):
        load_catalog(path)


def test_missing_required_field_is_named(tmp_path):
    path = _broken(tmp_path, "    decimals: 0\n", "\n")
    with pytest.raises(YamlProblems) as error:
        load_catalog(path)
    assert any(
        p.field.endswith(".decimals") and "missing" in p.message for p in error.value.problems
    )


# --- DCAT-AP-DONL fields ---------------------------------------------------------------


def test_every_shipped_dataset_has_its_donl_fields_from_the_value_lists():
    from data.donl import value_lists

    values = value_lists()
    for ds in load_catalog(CATALOG).datasets.values():
        assert ds.contact_point is not None and ds.contact_point.name, ds.id
        assert ds.themes and set(ds.themes) <= set(values.themes), ds.id
        assert ds.language and set(ds.language) <= set(values.languages), ds.id
        assert ds.authority in values.organisation_uris, ds.id
        assert ds.publisher_uri in values.organisation_uris, ds.id
        assert ds.licence_uri in values.licence_uris, ds.id
        assert ds.frequency in values.frequencies, ds.id


def test_a_dataset_without_donl_fields_gets_the_catalog_defaults():
    catalog = load_catalog(CATALOG)
    cases = catalog.datasets["rivm_cases"]
    assert cases.publisher_uri == catalog.dataset_defaults.publisher_uri.replace(
        "{home_organisation}", "http://standaarden.overheid.nl/owms/terms/Emmen"
    )
    assert cases.authority != cases.publisher_uri  # its own: RIVM, not the municipality


def test_home_municipality_is_the_organisation_of_another_home():
    catalog = load_catalog(CATALOG, "GM0106")
    assert catalog.datasets["geo_wijken"].spatial == [
        "http://standaarden.overheid.nl/owms/terms/Assen"
    ]
    assert catalog.datasets["rivm_cases"].publisher_uri.endswith("/Assen")


def test_home_without_an_organisation_uri_is_an_error_naming_the_value_list(tmp_path):
    with pytest.raises(YamlProblems, match=r"not in data/donl_values\.yaml `municipalities`"):
        load_catalog(CATALOG, "GM0363")


def test_theme_outside_the_donl_list_is_an_error(tmp_path):
    path = _broken(tmp_path, "owms/terms/Zorg_en_gezondheid", "owms/terms/Corona")
    with pytest.raises(YamlProblems, match=r"datasets\.rivm_cases\.themes: '.*Corona' is not in"):
        load_catalog(path)


def test_frequency_outside_the_donl_list_is_an_error(tmp_path):
    path = _broken(tmp_path, "frequency/DAILY", "frequency/EVERY_NOW_AND_THEN")
    with pytest.raises(YamlProblems, match=r"frequency: '.*EVERY_NOW_AND_THEN' is not in"):
        load_catalog(path)


def test_contact_point_needs_an_email_or_url(tmp_path):
    path = _broken(tmp_path, ', url: "{website}"}', "}")
    with pytest.raises(YamlProblems, match="needs an email or a url"):
        load_catalog(path)


def test_licence_without_a_donl_uri_is_an_error(tmp_path):
    path = _broken(tmp_path, 'licence: "CC BY 4.0"', 'licence: "All rights reserved"')
    path.write_text(
        path.read_text().replace(
            "https://creativecommons.org/licenses/by/4.0/deed.nl", "https://example.org/x", 1
        )
    )
    with pytest.raises(
        YamlProblems, match="licence_uri: no DONL licence for 'All rights reserved'"
    ):
        load_catalog(path)


def test_a_dataset_in_the_file_must_say_its_own_authority_and_frequency(tmp_path):
    path = _broken(
        tmp_path,
        '    frequency: "http://publications.europa.eu/resource/authority/frequency/WEEKLY"\n',
        "",
    )
    with pytest.raises(YamlProblems) as error:
        load_catalog(path)
    [problem] = error.value.problems
    assert problem.field == "datasets.rivm_sewage"
    assert "give 'frequency'" in problem.message
    assert path.read_text().splitlines()[problem.line - 1].strip() == "rivm_sewage:"
