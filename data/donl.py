"""The DCAT-AP-DONL 1.1 value lists MMmeter uses (data/donl_values.yaml) and the checks of the
catalog's DONL fields against them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from data.yamlfile import read_yaml, validate_document

VALUES_PATH = Path(__file__).resolve().parent / "donl_values.yaml"
HOME_ORGANISATION = "{home_organisation}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Licence(_Strict):
    uri: str
    aliases: list[str] = []


class FileType(_Strict):
    uri: str
    mimetype: str


class ValueLists(_Strict):
    schema_version: int
    licences: list[Licence]
    themes: list[str]
    languages: list[str]
    frequencies: list[str]
    staff_frequencies: dict[str, str]
    file_types: dict[str, FileType]
    organisations: list[str]
    spatial_schemes: dict[str, str]
    municipalities: dict[str, str]
    countries: list[str]

    @property
    def licence_uris(self) -> set[str]:
        return {licence.uri for licence in self.licences}

    @property
    def organisation_uris(self) -> set[str]:
        return set(self.organisations) | set(self.municipalities.values())

    @property
    def spatial_uris(self) -> set[str]:
        return set(self.countries) | set(self.municipalities.values())

    def licence_for(self, *names: str | None) -> str | None:
        """The DONL licence URI a licence name or its human page stands for."""
        for name in names:
            for licence in self.licences:
                if name and (name == licence.uri or name in licence.aliases):
                    return licence.uri
        return None

    def spatial_scheme(self, uri: str) -> str:
        kind = "land" if uri in self.countries else "gemeente"
        return self.spatial_schemes[kind]

    def file_type(self, name: str) -> FileType:
        return self.file_types[name]


@cache
def value_lists(path: Path = VALUES_PATH) -> ValueLists:
    return validate_document(read_yaml(path), ValueLists)


def problems(dataset, values: ValueLists) -> list[str]:
    """What is missing from or not in the value lists among the DONL fields of a dataset
    (a data.catalog.Dataset after its defaults were filled in)."""
    found = []
    if dataset.contact_point is None:
        found.append("contact_point: missing")
    if not dataset.themes:
        found.append("themes: give at least one theme")
    found += [
        f"themes: '{t}' is not in the DONL theme list"
        for t in dataset.themes or []
        if t not in values.themes
    ]
    if not dataset.language:
        found.append("language: missing")
    found += [
        f"language: '{v}' is not in the DONL language list"
        for v in dataset.language or []
        if v not in values.languages
    ]
    for name in ("authority", "publisher_uri"):
        value = getattr(dataset, name)
        if not value:
            found.append(f"{name}: missing")
        elif value not in values.organisation_uris:
            hint = (
                " (the home municipality is not in data/donl_values.yaml `municipalities`)"
                if value == HOME_ORGANISATION
                else ""
            )
            found.append(f"{name}: '{value}' is not in the DONL organisation list{hint}")
    found += [
        f"spatial: '{s}' is not a DONL municipality or country"
        for s in dataset.spatial or []
        if s not in values.spatial_uris
    ]
    if values.licence_for(dataset.licence_uri, dataset.licence_url, dataset.licence) is None:
        found.append(f"licence_uri: no DONL licence for '{dataset.licence_uri or dataset.licence}'")
    if not dataset.frequency:
        found.append("frequency: missing")
    elif dataset.frequency not in values.frequencies:
        found.append(f"frequency: '{dataset.frequency}' is not in the DONL frequency list")
    return found
