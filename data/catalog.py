"""The catalog: datasets (where data comes from) and indicators (what it means)."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from data import donl
from data.yamlfile import Problem, YamlProblems, read_yaml, validate_document

DEFAULT_HOME = "GM0114"  # Emmen
DEFAULT_WEBSITE = "https://www.emmen.nl"
Frequency = Literal["day", "week", "year", "measurement"]
# Who may see a dataset, indicator or theme: everyone, or only staff who are logged in.
Visibility = Literal["public", "internal"]
PUBLIC, INTERNAL = "public", "internal"
Aggregation = Literal["sum", "weighted_mean", "density", "none"]
AREA_UNITS = {"ha": 0.01, "km²": 1.0}  # to km², for densities


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Dutch (default) and English."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class Schedule(Strict):
    cron: str

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError("expected a cron expression with 5 fields, e.g. '15 16 * * *'")
        return value


class SourceFile(Strict):
    role: str
    url: str | None = None
    mirror: str | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> SourceFile:
        if not self.url and not self.mirror:
            raise ValueError("a file needs a url, a mirror path, or both")
        return self


class ContactPoint(Strict):
    """Who answers questions about a dataset (DCAT-AP-DONL contact point: a name and an email
    address or a web address)."""

    name: str = Field(min_length=1)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    # "{website}": the site's website (site.website, MMMETER_WEBSITE), filled in when shown
    url: str | None = Field(default=None, pattern=r"^(https?://|\{website\}$)")

    @model_validator(mode="after")
    def _reachable(self) -> ContactPoint:
        if not self.email and not self.url:
            raise ValueError("a contact point needs an email or a url")
        return self


class DonlFields(Strict):
    """The DCAT-AP-DONL 1.1 fields of a dataset, as URIs from the value lists in
    data/donl_values.yaml (checked at load). A dataset that leaves one out gets the catalog's
    `dataset_defaults`."""

    contact_point: ContactPoint | None = None
    themes: list[str] | None = None
    keywords: list[str] | None = None
    language: list[str] | None = None
    spatial: list[str] | None = None
    # authority: the organisation responsible for the data (the source holder); publisher_uri:
    # the organisation that publishes it here (the home municipality).
    authority: str | None = None
    publisher_uri: str | None = None
    licence_uri: str | None = None  # found from `licence` / `licence_url` when left out
    frequency: str | None = None


DONL_FIELDS = tuple(DonlFields.model_fields)


class Dataset(DonlFields):
    id: str = ""
    title: Text
    publisher: str
    owner: str
    licence: str
    licence_url: str
    landing_page: str
    format: str
    schedule: Schedule
    files: list[SourceFile] = Field(min_length=1)
    archived_since: dt.date | None = None
    level: Literal["nl", "pv", "gm", "wk", "bu", "rwzi"] | None = None
    period: dt.date | None = None
    schematic_in_mirror: bool = False
    # The municipality whose wijken and buurten the dataset covers (usually "{home}"): rows of
    # other municipalities in a national file are left out.
    area: str | None = Field(default=None, pattern=r"^GM\d{4}$")
    visibility: Visibility = PUBLIC


class MapClasses(Strict):
    method: Literal["quantile", "equal_interval", "fixed"]
    classes: int | None = Field(default=None, ge=2, le=9)
    breaks: list[float] | None = None

    @model_validator(mode="after")
    def _complete(self) -> MapClasses:
        if self.method == "fixed":
            if not self.breaks or sorted(self.breaks) != self.breaks:
                raise ValueError("method 'fixed' needs 'breaks', ascending")
        elif self.classes is None:
            raise ValueError(f"method '{self.method}' needs 'classes'")
        return self


class Display(Strict):
    """How a value is written for people: divided by `scale`, with `unit` (sewage: 954 × 100
    miljard rather than 95,400,000,000,000)."""

    scale: float = Field(gt=0)
    unit: Text


class Indicator(Strict):
    id: str = ""
    title: Text
    unit: Text
    decimals: int = Field(ge=0, le=6)
    definition: Text
    dataset: list[str]
    frequency: Frequency
    higher_is_better: bool | None
    levels: list[Literal["nl", "pv", "gm", "wk", "bu", "rwzi"]]
    archived_since: dt.date | None = None
    map: MapClasses = MapClasses(method="quantile", classes=5)
    # How figures of several areas combine into one (data/aggregation.py): `sum` (counts that
    # add up: a total is no reference for its parts, and merged gemeenten are summed),
    # `weighted_mean` (shares and averages, weighted by the indicator `weight`, their
    # denominator), `density` (Σ `numerator` / Σ `per_area`, an area indicator in ha or km²)
    # or `none` (cannot be combined). The old `additive: true` is read as `aggregation: sum`.
    aggregation: Aggregation = "none"
    weight: str | None = None
    numerator: str | None = None
    per_area: str | None = None
    # A combined figure whose base (the summed weight, or the numerator of a density) is below
    # this is not shown, as the source does for small areas (CBS: shares of fewer than 50
    # inhabitants). None: the source publishes every figure.
    disclosure_limit: int | None = Field(default=None, ge=1)
    display: Display | None = None
    # How the pipeline computes this indicator from another (data/derive.py): `mean_7d`, the
    # trailing 7-day mean (the day and the 6 days before), or `per_100k`, per 100,000
    # inhabitants.
    derived_from: str | None = None
    derivation: Literal["mean_7d", "per_100k"] | None = None
    # Internal also when one of its datasets, or an indicator it is computed from (derived_from,
    # weight, numerator, per_area), is internal (set when the catalog is loaded).
    visibility: Visibility = PUBLIC

    @field_validator("dataset", mode="before")
    @classmethod
    def _as_list(cls, value):
        return [value] if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _additive_is_sum(cls, data):
        """Catalogs before `aggregation` said `additive: true` for counts: read it as `sum`."""
        if not isinstance(data, dict) or "additive" not in data:
            return data
        data = dict(data)
        additive = data.pop("additive")
        rule = data.get("aggregation")
        if additive is True and rule not in (None, "sum"):
            raise ValueError(f"'additive: true' contradicts 'aggregation: {rule}'; give only one")
        if additive is True:
            data["aggregation"] = "sum"
        elif additive is not False:
            raise ValueError("'additive' is true or false (better: 'aggregation: sum')")
        return data

    @model_validator(mode="after")
    def _rule_fields(self) -> Indicator:
        needs = {"weighted_mean": ("weight",), "density": ("numerator", "per_area")}
        wanted = needs.get(self.aggregation, ())
        for name in ("weight", "numerator", "per_area"):
            given = getattr(self, name) is not None
            if name in wanted and not given:
                raise ValueError(f"'aggregation: {self.aggregation}' needs '{name}'")
            if name not in wanted and given:
                raise ValueError(f"'{name}' is only for aggregation {needs_of(name)}")
        return self

    @property
    def additive(self) -> bool:
        """Counts that add up over areas (`aggregation: sum`)."""
        return self.aggregation == "sum"


def needs_of(field: str) -> str:
    return {"weight": "weighted_mean", "numerator": "density", "per_area": "density"}[field]


def shown_value(indicator: Indicator, value: float | None) -> float | None:
    """`value` as the indicator is written for people (its display scale)."""
    if value is None or indicator.display is None:
        return value
    return value / indicator.display.scale


def shown_unit(indicator: Indicator, lang: str) -> str:
    return (indicator.display.unit if indicator.display else indicator.unit).get(lang)


class Site(Strict):
    title: Text
    owner: str
    home: str = Field(default=DEFAULT_HOME, pattern=r"^GM\d{4}$")  # override: MMMETER_HOME
    website: str = Field(default=DEFAULT_WEBSITE, pattern=r"^https?://")  # MMMETER_WEBSITE


class Catalog(Strict):
    schema_version: Literal[1]
    site: Site
    dataset_defaults: DonlFields = DonlFields()
    datasets: dict[str, Dataset]
    indicators: dict[str, Indicator]
    # Ids of the internal indicators `visible(staff=False)` left out (never shown; the theme
    # check uses them to say a public theme uses an internal indicator without naming it).
    _withheld: frozenset[str] = PrivateAttr(default=frozenset())

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data):
        """Every dataset gets the DONL fields it leaves out from `dataset_defaults`."""
        if not isinstance(data, dict) or not isinstance(data.get("datasets"), dict):
            return data
        defaults = data.get("dataset_defaults") or {}
        if isinstance(defaults, DonlFields):
            defaults = defaults.model_dump()
        if not isinstance(defaults, dict):
            return data
        datasets = {}
        for key, ds in data["datasets"].items():
            if isinstance(ds, Dataset):
                ds = ds.model_dump()
            if isinstance(ds, dict):
                filled = {k: v for k, v in defaults.items() if v is not None and ds.get(k) is None}
                ds = {**ds, **filled}
            datasets[key] = ds
        return {**data, "datasets": datasets}

    @model_validator(mode="after")
    def _donl(self) -> Catalog:
        values = donl.value_lists()
        found = [
            f"datasets.{key}.{p}"
            for key, ds in self.datasets.items()
            for p in donl.problems(ds, values)
        ]
        if found:
            raise ValueError("DCAT-AP-DONL: " + "; ".join(found))
        for ds in self.datasets.values():
            if ds.licence_uri is None:
                uri = values.licence_for(ds.licence_url, ds.licence)
                object.__setattr__(ds, "licence_uri", uri)
        return self

    @model_validator(mode="after")
    def _references(self) -> Catalog:
        for ind_id, ind in self.indicators.items():
            for ds in ind.dataset:
                if ds not in self.datasets:
                    raise ValueError(f"indicators.{ind_id}.dataset: unknown dataset '{ds}'")
        return self

    @model_validator(mode="after")
    def _derivations(self) -> Catalog:
        for ind_id, ind in self.indicators.items():
            if (ind.derived_from is None) != (ind.derivation is None):
                raise ValueError(f"indicators.{ind_id}: give derived_from and derivation together")
            if ind.derived_from is not None and ind.derived_from not in self.indicators:
                raise ValueError(
                    f"indicators.{ind_id}.derived_from: unknown indicator '{ind.derived_from}'"
                )
        return self

    @model_validator(mode="after")
    def _aggregation_references(self) -> Catalog:
        """The indicators an aggregation rule names exist and fit: a weight or numerator is a
        count (`sum`), an area is in ha or km²."""
        for ind_id, ind in self.indicators.items():
            for name in ("weight", "numerator", "per_area"):
                ref = getattr(ind, name)
                if ref is None:
                    continue
                where = f"indicators.{ind_id}.{name}"
                if ref not in self.indicators:
                    raise ValueError(f"{where}: unknown indicator '{ref}'")
                other = self.indicators[ref]
                if other.aggregation != "sum":
                    raise ValueError(f"{where}: '{ref}' is no count (give it 'aggregation: sum')")
                if name == "per_area" and other.unit.nl not in AREA_UNITS:
                    raise ValueError(
                        f"{where}: '{ref}' has unit '{other.unit.nl}'; "
                        f"an area is in {' or '.join(AREA_UNITS)}"
                    )
        return self

    @model_validator(mode="after")
    def _ids(self) -> Catalog:
        for key, ds in self.datasets.items():
            object.__setattr__(ds, "id", key)
        for key, ind in self.indicators.items():
            object.__setattr__(ind, "id", key)
            if ind.archived_since is None:
                dates = [self.datasets[d].archived_since for d in ind.dataset]
                if dates and all(dates):
                    object.__setattr__(ind, "archived_since", max(dates))
        return self

    @model_validator(mode="after")
    def _inherited_visibility(self) -> Catalog:
        """An indicator of an internal dataset, or computed from an internal indicator (derived
        from it, or combined over areas with it as weight, numerator or area), is internal."""
        changed = True
        while changed:
            changed = False
            for ind in self.indicators.values():
                if ind.visibility == INTERNAL:
                    continue
                parents = [self.datasets[d].visibility for d in ind.dataset]
                for ref in (ind.derived_from, ind.weight, ind.numerator, ind.per_area):
                    if ref is not None:
                        parents.append(self.indicators[ref].visibility)
                if INTERNAL in parents:
                    object.__setattr__(ind, "visibility", INTERNAL)
                    changed = True
        return self

    @property
    def has_internal(self) -> bool:
        return any(d.visibility == INTERNAL for d in self.datasets.values()) or any(
            i.visibility == INTERNAL for i in self.indicators.values()
        )

    def visible(self, staff: bool) -> Catalog:
        """The catalog a visitor may see: all of it for staff who are logged in, else only the
        public datasets and indicators (the one rule every page, API and download follows)."""
        return self if staff or not self.has_internal else self._public

    @cached_property
    def _public(self) -> Catalog:
        public = Catalog.model_validate(
            {
                **self.model_dump(exclude={"datasets", "indicators"}),
                "datasets": {
                    k: d.model_dump() for k, d in self.datasets.items() if d.visibility == PUBLIC
                },
                "indicators": {
                    k: i.model_dump() for k, i in self.indicators.items() if i.visibility == PUBLIC
                },
            }
        )
        withheld = {k for k, i in self.indicators.items() if i.visibility == INTERNAL}
        public._withheld = frozenset(withheld | self._withheld)
        return public

    @cached_property
    def fingerprint(self) -> str:
        """Changes with anything in the catalog (a visibility, a title): part of the shared
        cache keys, so an entry made for an older catalog is never served for this one."""
        text = self.model_dump_json() + ",".join(sorted(self._withheld))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def withheld_indicators(self) -> frozenset[str]:
        """Indicators this catalog leaves out because they are internal (see `visible`)."""
        return self._withheld

    @cached_property
    def indicator_ids(self) -> list[str]:
        return list(self.indicators)

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def derived(self, indicator_id: str, derivation: str) -> Indicator | None:
        """The indicator computed from `indicator_id` by `derivation` (covid_cases, mean_7d ->
        covid_cases_7d), if the catalog has one."""
        for indicator in self.indicators.values():
            if indicator.derived_from == indicator_id and indicator.derivation == derivation:
                return indicator
        return None

    @cached_property
    def additive_ids(self) -> frozenset[str]:
        return frozenset(i for i, ind in self.indicators.items() if ind.additive)

    def primary_dataset(self, indicator_id: str) -> Dataset:
        return self.datasets[self.indicators[indicator_id].dataset[0]]

    def named(self, names: dict[str, str], province: str | None) -> Catalog:
        """This catalog with the name placeholders ({home_name} ...) filled in."""
        values = home_placeholders(self.site.home, names, province)
        named = Catalog.model_validate(resolve_placeholders(self.model_dump(), values))
        named._withheld = self._withheld
        return named

    def with_indicators(self, extra: dict[str, Indicator], datasets: dict[str, Dataset]) -> Catalog:
        """A catalog with staff-added datasets and indicators merged in."""
        return Catalog.model_validate(
            {
                "schema_version": self.schema_version,
                "site": self.site.model_dump(),
                "dataset_defaults": self.dataset_defaults.model_dump(),
                "datasets": {k: v.model_dump() for k, v in {**self.datasets, **datasets}.items()},
                "indicators": {k: v.model_dump() for k, v in {**self.indicators, **extra}.items()},
            }
        )


def home_placeholders(home: str, names: dict[str, str] | None = None, province=None) -> dict:
    """The values of the placeholders catalog, messages and themes may use for the home
    municipality: {home} GM0114, {home_number} 0114, {home_name} Emmen, {home_province} PV22,
    {home_province_name} Drenthe (names only where the area registry is known)."""
    names = names or {}
    values = {"{home}": home, "{home_number}": home[2:]}
    organisation = donl.value_lists().municipalities.get(home)
    if organisation:  # else it stays, and the DONL check says what to add
        values[donl.HOME_ORGANISATION] = organisation
    if home in names:
        values["{home_name}"] = names[home]
    if province:
        values["{home_province}"] = province
        values["{home_province_name}"] = names.get(province, province)
    return values


def _substitute(value, values: dict[str, str]):
    if isinstance(value, str):
        for placeholder, text in values.items():
            value = value.replace(placeholder, text)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, values) for v in value]
    return value


def resolve_placeholders(data: dict, values: dict[str, str]) -> dict:
    """`data` (a catalog document) with every placeholder in `values` filled in."""
    return _substitute(data, values)


def load_catalog(path: Path | str, home: str | None = None) -> Catalog:
    """Load and validate the catalog; raise YamlProblems naming file, line and field.

    `home` (MMMETER_HOME) overrides `site.home`; the {home} and {home_number} placeholders in
    URLs and dataset fields are filled in with it. Name placeholders ({home_name}) stay until a
    Reader knows the area registry (Catalog.named).
    """
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise YamlProblems([Problem(str(path), 1, "", "expected a mapping at the top level")])
    site = doc.data.get("site")
    if isinstance(site, dict):
        code = home or site.get("home") or DEFAULT_HOME
        doc.data = resolve_placeholders(
            {**doc.data, "site": {**site, "home": code}}, home_placeholders(str(code))
        )
    _own_donl_fields(doc)
    return validate_document(doc, Catalog)


# The DONL fields every dataset in the catalog file says itself: they differ per source, so a
# default would be wrong for a new one (staff datasets, made in code, get `dataset_defaults`).
OWN_DONL_FIELDS = ("authority", "themes", "spatial", "frequency")


def _own_donl_fields(doc) -> None:
    datasets = doc.data.get("datasets")
    if not isinstance(datasets, dict):
        return
    found = [
        doc.problem(("datasets", key), f"give '{name}' (DCAT-AP-DONL; see data/donl_values.yaml)")
        for key, ds in datasets.items()
        if isinstance(ds, dict)
        for name in OWN_DONL_FIELDS
        if ds.get(name) in (None, [], "")
    ]
    if found:
        raise YamlProblems(found)
