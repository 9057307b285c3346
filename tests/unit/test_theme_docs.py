"""docs/themes.md documents every field of every theme and staff model, and no field that is not."""

from __future__ import annotations

import re

import pytest

from data.staff import StaffIndicator, StaffMeta
from layouts.themes.models import BLOCK_MODELS, Theme
from tests.conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs" / "themes.md"
SECTIONS = {
    "theme": Theme,
    **BLOCK_MODELS,
    "staff": StaffMeta,
    "staff-indicator": StaffIndicator,
}


def section(name: str) -> str:
    """The text after the marker `<!-- fields: name -->` up to the next heading."""
    text = DOCS.read_text(encoding="utf-8")
    marker = f"<!-- fields: {name} -->"
    assert marker in text, f"docs/themes.md has no section marked {marker}"
    rest = text.split(marker, 1)[1]
    return re.split(r"\n#{1,6} ", rest, maxsplit=1)[0]


def table_fields(text: str) -> set[str]:
    """The field names in the first column of the section's tables."""
    return set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.MULTILINE))


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_field_of_the_model_is_in_its_docs_table(name):
    documented = table_fields(section(name))
    missing = set(SECTIONS[name].model_fields) - documented
    assert not missing, f"docs/themes.md section '{name}' does not document {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_the_docs_table_names_no_field_the_model_does_not_have(name):
    extra = table_fields(section(name)) - set(SECTIONS[name].model_fields)
    assert not extra, f"docs/themes.md section '{name}' documents unknown fields {sorted(extra)}"


def test_every_block_type_has_a_section():
    text = DOCS.read_text(encoding="utf-8")
    for block_type in BLOCK_MODELS:
        assert f"### `{block_type}`" in text


def test_the_docs_name_the_current_schema_version():
    from layouts.themes.models import CURRENT_SCHEMA_VERSION

    assert f"De huidige versie is **{CURRENT_SCHEMA_VERSION}**" in DOCS.read_text(encoding="utf-8")
