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
