"""schema_version migrations: each pinned by a before/after fixture, one version at a time."""

from __future__ import annotations

import pytest
import yaml

from layouts.themes import migrations
from layouts.themes.models import CURRENT_SCHEMA_VERSION, Theme
from tests.conftest import FIXTURES

FIXTURE_DIR = FIXTURES / "themes" / "migrations"


def load(name: str) -> dict:
    return yaml.safe_load((FIXTURE_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", sorted(migrations.MIGRATIONS))
def test_each_migration_turns_its_before_fixture_into_its_after_fixture(version):
    migration = migrations.MIGRATIONS[version]
    before, after = load(f"v{version}_before.yaml"), load(f"v{version}_after.yaml")
    assert before["schema_version"] == version
    assert migration.upgrade(before) == after
    assert after["schema_version"] == migration.to_version


def test_every_version_below_the_current_one_has_a_migration():
    assert sorted(migrations.MIGRATIONS) == list(
        range(migrations.OLDEST_SCHEMA_VERSION, CURRENT_SCHEMA_VERSION)
    )


def test_upgrade_runs_every_step_to_the_current_version_and_the_result_validates():
    upgraded, applied = migrations.upgrade(load("v1_before.yaml"))
    assert [m.from_version for m in applied] == [1, 2]
    assert upgraded == migrations.MIGRATIONS[2].upgrade(load("v1_after.yaml"))
    assert upgraded["blocks"][1]["blocks"][0]["areas"] == ["home"]
    assert Theme.model_validate(upgraded).lead.nl == "Inleiding"


def test_a_current_file_is_left_as_it_is():
    after = load("v2_after.yaml")
    upgraded, applied = migrations.upgrade(after)
    assert upgraded == after and applied == []


def test_the_upgrade_does_not_change_the_data_it_was_given():
    before = load("v1_before.yaml")
    migrations.upgrade(before)
    assert before == load("v1_before.yaml")


def test_locations_in_the_upgraded_file_map_back_to_the_names_in_the_file():
    _, applied = migrations.upgrade(load("v1_before.yaml"))
    assert migrations.location_in_file(("lead", "en"), applied) == ("intro", "en")
    assert migrations.location_in_file(("blocks", 1, "blocks", 0), applied) == (
        "blocks",
        1,
        "blocks",
        0,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "required field is missing"),
        ("2", "expected a whole number, got '2'"),
        (True, "expected a whole number, got True"),
        (0, "unsupported schema_version 0"),
        (4, "unsupported schema_version 4"),
    ],
)
def test_unsupported_versions_say_which_versions_are_read(value, expected):
    with pytest.raises(migrations.UnsupportedVersion) as caught:
        migrations.check_version(value)
    assert str(caught.value).startswith(expected)
    assert str(caught.value).endswith("this MMmeter reads schema_version 1 to 3 (current: 3)")
