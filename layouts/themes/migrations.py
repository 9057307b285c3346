"""Upgrade theme files written for an older schema_version, one version at a time.

Each migration turns a version-n document (plain data as read from YAML) into version n+1 and
can say where a field of the new document was in the old one, so that a problem found after the
upgrade still points at the line and the field name the staff member wrote. Every migration is
pinned by a before/after fixture in tests/fixtures/themes/migrations/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from layouts.themes.home import HOME_PROVINCE_WORD, HOME_WORD, replace_area_words
from layouts.themes.models import CURRENT_SCHEMA_VERSION

Location = tuple[str | int, ...]
OLDEST_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Migration:
    from_version: int
    summary: str
    upgrade: Callable[[dict], dict]
    old_location: Callable[[Location], Location]

    @property
    def to_version(self) -> int:
        return self.from_version + 1


def _rename_top_level(old: str, new: str) -> tuple[Callable[[dict], dict], Callable]:
    def upgrade(data: dict) -> dict:
        out = {}
        for key, value in data.items():  # keep the order of the keys
            out[new if key == old else key] = value
        return out

    def old_location(loc: Location) -> Location:
        return (old, *loc[1:]) if loc[:1] == (new,) else loc

    return upgrade, old_location


def _with_version(upgrade: Callable[[dict], dict], version: int) -> Callable[[dict], dict]:
    def run(data: dict) -> dict:
        out = upgrade(data)
        out["schema_version"] = version
        return out

    return run


_v1_upgrade, _v1_location = _rename_top_level("intro", "lead")

MIGRATIONS: dict[int, Migration] = {
    1: Migration(
        1,
        "the introduction under the title is called 'lead' (was 'intro')",
        _with_version(_v1_upgrade, 2),
        _v1_location,
    ),
}


# Version 2 files were written when the platform was Emmen's only: its code meant "this
# platform's municipality", and Drenthe's "its province".
V2_HOME, V2_HOME_PROVINCE = "GM0114", "PV22"


def _v2_home_words(data: dict) -> dict:
    words = {V2_HOME: HOME_WORD, V2_HOME_PROVINCE: HOME_PROVINCE_WORD}
    return replace_area_words(data, words)


MIGRATIONS[2] = Migration(
    2,
    f"the home municipality is '{HOME_WORD}' and its province '{HOME_PROVINCE_WORD}' "
    f"(were {V2_HOME} and {V2_HOME_PROVINCE})",
    _with_version(_v2_home_words, 3),
    lambda loc: loc,
)


class UnsupportedVersion(ValueError):
    pass


def supported_versions() -> range:
    return range(OLDEST_SCHEMA_VERSION, CURRENT_SCHEMA_VERSION + 1)


def check_version(value: object) -> int:
    """The schema_version of a file, or UnsupportedVersion saying what was expected."""
    known = supported_versions()
    expected = (
        f"this MMmeter reads schema_version {known.start} to {known.stop - 1} "
        f"(current: {CURRENT_SCHEMA_VERSION})"
    )
    if value is None:
        raise UnsupportedVersion(f"required field is missing; {expected}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnsupportedVersion(f"expected a whole number, got {value!r}; {expected}")
    if value not in known:
        raise UnsupportedVersion(f"unsupported schema_version {value}; {expected}")
    return value


def upgrade(data: dict) -> tuple[dict, list[Migration]]:
    """`data` upgraded to the current schema_version, and the migrations that were applied."""
    version = check_version(data.get("schema_version"))
    applied = []
    while version < CURRENT_SCHEMA_VERSION:
        migration = MIGRATIONS[version]
        data = migration.upgrade(data)
        applied.append(migration)
        version = migration.to_version
    return data, applied


def location_in_file(loc: Location, applied: list[Migration]) -> Location:
    """Where a field of the upgraded document was written in the original file."""
    for migration in reversed(applied):
        loc = migration.old_location(loc)
    return loc
