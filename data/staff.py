"""Staff datasets: a CSV plus a small YAML metadata file, validated like every upstream source.

A staff member puts `<id>.csv` and `<id>.yaml` in the staff folder (MMMETER_STAFF_DATA_DIR),
or uploads both on the admin page. The CSV has the columns `area`, `period` and `value` (one
indicator, whose id is the file name), or `area`, `period` and one column per indicator listed
under `indicators` in the YAML. Periods are years (2024) or dates (2024-01-01); area codes must be
known areas of the levels the YAML names; values are numbers (an empty cell is no figure).

During a refresh (`stage_datasets`, called from data/pipeline.py) every pair is validated against
the area registry of the version being built and written to the store like any dataset, with its
metadata beside it (`staff.json`), so the app's catalog follows the published data
(`catalog_with_published_staff`). A pair that fails keeps its last good version online.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from data import observations as obs
from data.catalog import PUBLIC, Catalog, Dataset, Indicator, MapClasses, Text, Visibility
from data.donl import value_lists
from data.errors import SourceError
from data.parsers.csvtools import (
    CODE_EXAMPLES,
    CODE_PATTERNS,
    check_pattern,
    check_unique,
    read_csv_strict,
    to_date,
    to_number,
)
from data.store import utcnow
from data.stores import StoreBackend, open_store
from data.yamlfile import YamlProblems, read_yaml, validate_document
from geo.divisions import load_changes, recode_areas

log = logging.getLogger(__name__)

STAFF_FORMAT = "staff_csv"
META_FILE = "staff.json"
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_META_BYTES = 64 * 1024
ID_PATTERN = r"[a-z][a-z0-9_]{1,59}"
# The municipality's words for area levels (in staff and theme files), and the store's codes.
LEVELS = {"land": "nl", "provincie": "pv", "gemeente": "gm", "wijk": "wk", "buurt": "bu"}
LEVEL_WORDS = {code: word for word, code in LEVELS.items()}
LevelWord = Literal["land", "provincie", "gemeente", "wijk", "buurt"]
KNOWN_LICENCES = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/deed.nl",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.nl",
    "Public Domain Mark 1.0": "https://creativecommons.org/publicdomain/mark/1.0/",
}


class StaffProblems(ValueError):
    """A staff dataset was rejected; `problems` says where (file, line, column) and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# ------------------------------------------------------------------------------------------
# metadata


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV/XLSX downloads).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _plain_text(value: str) -> str:
    """Text shown on pages and written into downloads: no formula, no control characters."""
    if value.startswith(FORMULA_START) or value.lstrip().startswith(FORMULA_START):
        raise ValueError(
            f"{value[:40]!r} looks like a spreadsheet formula; do not start with = + - or @"
        )
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    return value


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value[:80]!r} is not a web address (http:// or https://)")
    return value


PlainText = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_plain_text)]
WebUrl = Annotated[str, Field(max_length=2000), AfterValidator(_web_url)]


def _plain_texts(value: Text | None) -> Text | None:
    if value is not None:
        _plain_text(value.nl)
        _plain_text(value.en)
    return value


StaffText = Annotated[Text, AfterValidator(_plain_texts)]


class StaffIndicator(_Strict):
    title: StaffText
    unit: StaffText
    definition: StaffText
    decimals: int = Field(default=0, ge=0, le=6)
    higher_is_better: bool | None = None
    map: MapClasses | None = None
    visibility: Visibility = PUBLIC  # internal: only for staff who are logged in


class StaffMeta(_Strict):
    title: StaffText
    source: PlainText
    licence: PlainText
    licence_url: WebUrl | None = None
    landing_page: WebUrl | None = None
    level: list[LevelWord] = Field(min_length=1)
    frequency: Literal["day", "week", "year"] = "year"
    unit: StaffText | None = None
    definition: StaffText | None = None
    decimals: int | None = Field(default=None, ge=0, le=6)
    higher_is_better: bool | None = None
    map: MapClasses | None = None
    indicators: dict[str, StaffIndicator] | None = None
    # internal: the dataset and its indicators are shown only to staff who are logged in
    visibility: Visibility = PUBLIC

    @field_validator("level", mode="before")
    @classmethod
    def _as_list(cls, value):
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_or_many(self) -> StaffMeta:
        single = [
            name
            for name in ("unit", "definition", "decimals", "higher_is_better", "map")
            if getattr(self, name) is not None
        ]
        if self.indicators is None and (self.unit is None or self.definition is None):
            raise ValueError(
                "give 'unit' and 'definition' (one indicator: CSV columns area, period, value), "
                "or 'indicators' with one entry per CSV column"
            )
        if self.indicators is not None and single:
            raise ValueError(
                f"with 'indicators', give {', '.join(single)} per indicator, not at the top"
            )
        if self.indicators is not None:
            bad = [i for i in self.indicators if not re.fullmatch(ID_PATTERN, i)]
            if bad:
                raise ValueError(
                    f"indicator id(s) {', '.join(repr(b) for b in bad)}: use lowercase letters, "
                    "digits and underscores, starting with a letter"
                )
        if self.licence_url is None and self.licence not in KNOWN_LICENCES:
            raise ValueError(
                f"give 'licence_url' for licence '{self.licence}' "
                f"(known without it: {', '.join(KNOWN_LICENCES)})"
            )
        return self

    @property
    def level_codes(self) -> list[str]:
        return [LEVELS[w] for w in dict.fromkeys(self.level)]

    def indicator_specs(self, dataset_id: str) -> dict[str, StaffIndicator]:
        """Indicator id -> its metadata (one indicator named like the dataset, or the list)."""
        if self.indicators is not None:
            return dict(self.indicators)
        if self.unit is None or self.definition is None:  # _one_or_many rules it out
            raise ValueError("a single-indicator dataset needs 'unit' and 'definition'")
        single = StaffIndicator(
            title=self.title,
            unit=self.unit,
            definition=self.definition,
            decimals=self.decimals or 0,
            higher_is_better=self.higher_is_better,
            map=self.map,
        )
        return {dataset_id: single}

    @property
    def is_wide(self) -> bool:
        return self.indicators is not None


def parse_meta(text: str | bytes, name: str) -> StaffMeta:
    """Validate a metadata file; StaffProblems lists every problem with its line and field."""
    if isinstance(text, bytes):
        if len(text) > MAX_META_BYTES:
            raise StaffProblems([f"{name}: file is larger than {MAX_META_BYTES:,} bytes"])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise StaffProblems([f"{name}: not valid UTF-8 (save the file as UTF-8)"]) from None
    try:
        doc = read_yaml(name, text)
        if not isinstance(doc.data, dict):
            raise StaffProblems([f"{name}:1: expected a mapping of fields (title, source, ...)"])
        return validate_document(doc, StaffMeta)
    except YamlProblems as exc:
        raise StaffProblems([str(p) for p in exc.problems]) from None


# ------------------------------------------------------------------------------------------
# CSV


def _separator(raw: bytes) -> str:
    """Comma, or semicolon as Excel writes in Dutch settings."""
    first = raw.split(b"\n", 1)[0]
    return ";" if first.count(b";") > first.count(b",") else ","


def _periods(series: pd.Series, source: str) -> pd.Series:
    text = series.str.strip()
    check_pattern(
        text, r"\d{4}|\d{4}-\d{2}-\d{2}", "period", source, "a year (2024) or a date (2024-01-01)"
    )
    as_date = text.where(text.str.len() == 10, text + "-01-01")
    return to_date(as_date.rename(series.name), "period", source)


def _check_areas(
    codes: pd.Series, level_codes: list[str], known: Iterable[str] | None, source: str
) -> None:
    words = ", ".join(LEVEL_WORDS[c] for c in level_codes)
    pattern = "|".join(CODE_PATTERNS[c] for c in level_codes)
    like = ", ".join(CODE_EXAMPLES[c] for c in level_codes)
    what = f"an area code of level {words} (like {like})"
    check_pattern(codes, pattern, "area", source, what)
    if known is not None:
        known_of_level = sorted(c for c in known if re.fullmatch(pattern, c))
        check_pattern(
            codes,
            "|".join(re.escape(c) for c in known_of_level) or "(?!)",
            "area",
            source,
            f"a known area code of level {words} (see /api/v1/areas)",
        )


def parse_csv(
    raw: bytes,
    name: str,
    meta: StaffMeta,
    dataset_id: str,
    known_areas: Iterable[str] | None,
) -> pd.DataFrame:
    """Observations (indicator, area, period, value) of a staff CSV, or StaffProblems."""
    if len(raw) > MAX_CSV_BYTES:
        raise StaffProblems(
            [f"{name}: file is {len(raw):,} bytes; the limit is {MAX_CSV_BYTES:,} bytes"]
        )
    specs = meta.indicator_specs(dataset_id)
    value_columns = list(specs) if meta.is_wide else ["value"]
    sep = _separator(raw)
    try:
        table = read_csv_strict(raw, name, ["area", "period", *value_columns], sep=sep)
        extra = [c for c in table.columns if c not in {"area", "period", *value_columns}]
        if extra:
            listed = ", ".join(repr(c) for c in extra)
            hint = (
                "; list each indicator column under 'indicators' in the YAML file"
                if meta.is_wide
                else "; for several indicators, list them under 'indicators' in the YAML file"
            )
            raise SourceError(name, f"unexpected column(s) {listed}{hint}")
        table["area"] = table["area"].str.strip()
        _check_areas(table["area"], meta.level_codes, known_areas, name)
        periods = _periods(table["period"], name)
        check_unique(table.assign(period=periods.dt.strftime("%Y-%m-%d")), ["area", "period"], name)
        frames = []
        for column in value_columns:
            text = table[column].str.strip()
            if sep == ";":
                text = text.str.replace(",", ".", regex=False)  # decimal comma (Dutch Excel)
            values = to_number(text.rename(column), column, name)
            indicator = dataset_id if column == "value" else column
            keep = values.notna()
            frames.append(
                obs.frame(
                    [indicator] * int(keep.sum()),
                    table.loc[keep, "area"].tolist(),
                    periods[keep].tolist(),
                    values[keep].tolist(),
                )
            )
    except SourceError as exc:
        raise StaffProblems([str(exc)]) from None
    result = obs.conform(pd.concat(frames, ignore_index=True))
    if result.empty:
        raise StaffProblems([f"{name}: no figures: every value cell is empty"])
    return result


# ------------------------------------------------------------------------------------------
# a dataset (CSV + YAML)


@dataclass(frozen=True)
class StaffDataset:
    id: str
    meta: StaffMeta
    observations: pd.DataFrame = field(repr=False)

    def catalog_entries(self) -> tuple[Dataset, dict[str, Indicator]]:
        return catalog_entries(self.id, self.meta)


def catalog_entries(dataset_id: str, meta: StaffMeta) -> tuple[Dataset, dict[str, Indicator]]:
    licence_url = meta.licence_url or KNOWN_LICENCES[meta.licence]
    levels = meta.level_codes
    dataset = Dataset(
        id=dataset_id,
        title=meta.title,
        publisher=meta.source,
        owner=meta.source,
        licence=meta.licence,
        licence_url=licence_url,
        landing_page=meta.landing_page or licence_url,
        format=STAFF_FORMAT,
        schedule={"cron": "0 * * * *"},
        files=[
            {"role": "main", "mirror": f"staff/{dataset_id}.csv"},
            {"role": "meta", "mirror": f"staff/{dataset_id}.yaml"},
        ],
        level=levels[0] if len(levels) == 1 else None,
        frequency=value_lists().staff_frequencies.get(meta.frequency),
        visibility=meta.visibility,
    )
    indicators = {
        ind_id: Indicator(
            id=ind_id,
            title=spec.title,
            unit=spec.unit,
            decimals=spec.decimals,
            definition=spec.definition,
            dataset=[dataset_id],
            frequency=meta.frequency,
            higher_is_better=spec.higher_is_better,
            levels=levels,
            map=spec.map or MapClasses(method="quantile", classes=5),
            visibility=spec.visibility if meta.visibility == PUBLIC else meta.visibility,
        )
        for ind_id, spec in meta.indicator_specs(dataset_id).items()
    }
    return dataset, indicators


def check_ids(dataset_id: str, meta: StaffMeta, base: Catalog, taken: dict[str, str]) -> None:
    """Dataset and indicator ids must be new: not in the catalog, not in another staff file.

    `taken` maps indicator ids of other staff datasets to their dataset id.
    """
    problems = []
    if not re.fullmatch(ID_PATTERN, dataset_id):
        problems.append(
            f"file name '{dataset_id}': use lowercase letters, digits and underscores, starting "
            "with a letter (the file name is the dataset id)"
        )
    if dataset_id in base.datasets:
        problems.append(f"dataset id '{dataset_id}' is already a catalog dataset; rename the files")
    for ind_id in meta.indicator_specs(dataset_id):
        if ind_id in base.indicators:
            problems.append(
                f"indicator '{ind_id}' already exists in the catalog; choose another id"
            )
        elif taken.get(ind_id, dataset_id) != dataset_id:
            problems.append(
                f"indicator '{ind_id}' is already defined by staff dataset '{taken[ind_id]}'"
            )
    if problems:
        raise StaffProblems(problems)


def validate_pair(
    dataset_id: str,
    csv_bytes: bytes,
    yaml_bytes: bytes,
    *,
    base: Catalog,
    known_areas: Iterable[str] | None,
    taken: dict[str, str] | None = None,
) -> StaffDataset:
    """Validate one CSV + YAML pair; StaffProblems says what is wrong (line, column, field)."""
    meta = parse_meta(yaml_bytes, f"{dataset_id}.yaml")
    check_ids(dataset_id, meta, base, taken or {})
    observations = parse_csv(csv_bytes, f"{dataset_id}.csv", meta, dataset_id, known_areas)
    return StaffDataset(dataset_id, meta, observations)


# ------------------------------------------------------------------------------------------
# the staff folder


@dataclass(frozen=True)
class FolderEntry:
    id: str
    csv: Path | None
    yaml: Path | None


def folder_entries(folder: Path | None) -> list[FolderEntry]:
    """The pairs of the staff folder by dataset id (a file without its partner included)."""
    if folder is None or not Path(folder).is_dir():
        return []
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith(".") or path.suffix not in (".csv", ".yaml", ".yml"):
            continue
        kind = "csv" if path.suffix == ".csv" else "yaml"
        found.setdefault(path.stem, {})[kind] = path
    return [FolderEntry(k, v.get("csv"), v.get("yaml")) for k, v in sorted(found.items())]


def dataset_ids(settings) -> set[str]:
    """Staff dataset ids a refresh may name: those in the folder and those published (to remove).

    For `refresh(settings, only=[...])` and `python -m app refresh <id>`.
    """
    published = {dataset_id for dataset_id, _ in published_staff_metas(open_store(settings))}
    return published | {entry.id for entry in folder_entries(settings.staff_data_dir)}


def _read_limited(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise StaffProblems([f"{path.name}: file is {size:,} bytes; the limit is {limit:,} bytes"])
    return path.read_bytes()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_dataset(target: Path, dataset: StaffDataset, sources: dict) -> None:
    """Store outputs of a staff dataset, laid out like every dataset (see data/store.py)."""
    target.mkdir(parents=True)
    dataset.observations.to_parquet(target / "observations.parquet", index=False)
    obs.areas_frame([]).to_parquet(target / "areas.parquet", index=False)
    meta = {"sources": sources, "notes": []}
    (target / "sources.json").write_text(json.dumps(meta, indent=2))
    staff = {"id": dataset.id, "meta": dataset.meta.model_dump(mode="json", exclude_none=True)}
    (target / META_FILE).write_text(json.dumps(staff, indent=2, ensure_ascii=False))


def _staging_area_codes(staging: Path) -> set[str] | None:
    """Codes of the area registry of the version being built (None: no areas at all), in
    today's municipal division like the published registry."""
    from geo.registry import build_area_registry

    parts = []
    changes, today = load_changes(), dt.date.today()
    for path in sorted((staging / "datasets").glob("*/areas.parquet")):
        frame = recode_areas(pd.read_parquet(path), changes, today)
        has_geometry = (path.parent / "geometry").exists()
        parts.insert(0, frame) if has_geometry else parts.append(frame)
    if not any(len(p) for p in parts):
        return None
    return set(build_area_registry(parts)["code"].astype(str))


def _copy_previous(previous: Path | None, dataset_id: str, target: Path) -> bool:
    source = previous / "datasets" / dataset_id if previous else None
    if source is None or not (source / META_FILE).exists():
        return False
    shutil.copytree(source, target)
    return True


def without_staff(catalog: Catalog) -> Catalog:
    """`catalog` without staff datasets and their indicators (the base they are checked on)."""
    staff = {k for k, d in catalog.datasets.items() if d.format == STAFF_FORMAT}
    if not staff:
        return catalog
    return Catalog.model_validate(
        {
            "schema_version": catalog.schema_version,
            "site": catalog.site.model_dump(),
            "dataset_defaults": catalog.dataset_defaults.model_dump(),
            "datasets": {k: v.model_dump() for k, v in catalog.datasets.items() if k not in staff},
            "indicators": {
                k: v.model_dump()
                for k, v in catalog.indicators.items()
                if not set(v.dataset) & staff
            },
        }
    )


def stage_datasets(
    settings,
    catalog: Catalog,
    staging: Path,
    previous: Path | None,
    only: list[str] | None,
    results: list,
    say: Callable[[str], None] = lambda message: None,
) -> Catalog:
    """Validate the staff folder into `staging`; append a result per dataset to `results`.

    Returns `catalog` with the staged staff datasets and indicators merged in. Called by
    data/pipeline.py's refresh after the upstream datasets, whose areas form the registry that
    the staff area codes are checked against.
    """
    from data.pipeline import DatasetResult

    base = without_staff(catalog)
    entries = folder_entries(settings.staff_data_dir)
    published = {dataset_id for dataset_id, _ in _read_staff_metas(previous)}
    for gone in sorted(published - {entry.id for entry in entries}):
        if not only or gone in only:  # publish the version without it
            results.append(DatasetResult(gone, "updated", "removed from the staff folder"))
            say(f"staff dataset {gone}: removed from the staff folder")
    if not entries:
        return base
    store = open_store(settings)
    known = _staging_area_codes(staging)
    taken: dict[str, str] = {}
    for entry in entries:
        target = staging / "datasets" / entry.id
        own_folder = entry.id not in base.datasets  # else check_ids rejects it below
        if only and entry.id not in only:
            kept = own_folder and _copy_previous(previous, entry.id, target)
            results.append(DatasetResult(entry.id, "kept" if kept else "skipped"))
            continue
        try:
            if entry.csv is None or entry.yaml is None:
                missing = f"{entry.id}.yaml" if entry.yaml is None else f"{entry.id}.csv"
                raise StaffProblems([f"{missing} is missing: a staff dataset is a CSV + YAML pair"])
            csv_bytes = _read_limited(entry.csv, MAX_CSV_BYTES)
            yaml_bytes = _read_limited(entry.yaml, MAX_META_BYTES)
            sources = {
                "main:0": _source(entry.csv, csv_bytes),
                "meta:1": _source(entry.yaml, yaml_bytes),
            }
            if _same_files(previous, entry.id, sources) and _copy_previous(
                previous, entry.id, target
            ):
                result = DatasetResult(entry.id, "unchanged")
            else:
                dataset = validate_pair(
                    entry.id, csv_bytes, yaml_bytes, base=base, known_areas=known, taken=taken
                )
                write_dataset(target, dataset, sources)
                result = DatasetResult(entry.id, "updated", rows=len(dataset.observations))
            store.record_status(entry.id, ok=True, rows=result.rows or None)
            for ind_id in _read_staff_metas_of(target):
                taken[ind_id] = entry.id
        except (StaffProblems, OSError) as exc:
            reason = "; ".join(exc.problems) if isinstance(exc, StaffProblems) else str(exc)
            kept = own_folder and _copy_previous(previous, entry.id, target)
            if kept:
                reason += " (last good version kept)"
            result = DatasetResult(entry.id, "failed", reason)
            store.record_status(entry.id, ok=False, reason=reason)
        say(
            f"staff dataset {entry.id}: {result.status}"
            + (f": {result.reason}" if result.reason else "")
        )
        results.append(result)
    return catalog_with_staged_staff(base, staging)


def _same_files(previous: Path | None, dataset_id: str, sources: dict) -> bool:
    """True when the previous version was built from files with the same checksums."""
    path = previous / "datasets" / dataset_id / "sources.json" if previous else None
    if path is None or not path.exists():
        return False
    recorded = json.loads(path.read_text())["sources"]
    return {k: v["sha256"] for k, v in recorded.items()} == {
        k: v["sha256"] for k, v in sources.items()
    }


def _read_staff_metas_of(folder: Path) -> list[str]:
    """Indicator ids of the staff dataset written in `folder`."""
    path = folder / META_FILE
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(StaffMeta.model_validate(data["meta"]).indicator_specs(data["id"]))


def _source(path: Path, data: bytes) -> dict:
    return {
        "location": str(path),
        "etag": None,
        "last_modified": None,
        "sha256": _sha256(data),
        "bytes": len(data),
        "fetched_at": utcnow(),
    }


# ------------------------------------------------------------------------------------------
# the catalog with staff datasets


def _read_staff_metas(version_dir: Path | None) -> list[tuple[str, StaffMeta]]:
    if version_dir is None:
        return []
    out = []
    for path in sorted((version_dir / "datasets").glob(f"*/{META_FILE}")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append((data["id"], StaffMeta.model_validate(data["meta"])))
    return out


def published_staff_metas(
    store: StoreBackend, version: str | None = None
) -> list[tuple[str, StaffMeta]]:
    """The staff datasets published in store `version` (default: the current one)."""
    out = []
    for _, raw in sorted(store.read_dataset_files(version, META_FILE).items()):
        data = json.loads(raw.decode("utf-8"))
        out.append((data["id"], StaffMeta.model_validate(data["meta"])))
    return out


def merge_catalog(base: Catalog, metas: list[tuple[str, StaffMeta]]) -> Catalog:
    if not metas:
        return base
    datasets, indicators = {}, {}
    for dataset_id, meta in metas:
        if dataset_id in base.datasets:
            continue
        dataset, inds = catalog_entries(dataset_id, meta)
        datasets[dataset_id] = dataset
        indicators.update({k: v for k, v in inds.items() if k not in base.indicators})
    return base.with_indicators(indicators, datasets)


def catalog_with_staged_staff(base: Catalog, staging: Path) -> Catalog:
    return merge_catalog(base, _read_staff_metas(staging))


_published: dict[tuple[int, str], Catalog] = {}
_published_lock = threading.Lock()


def catalog_with_published_staff(
    base: Catalog, store: StoreBackend, version: str | None = None
) -> Catalog:
    """`base` with the staff datasets of store `version` (default: the current one),
    memoized per version."""
    version = version or store.current_version()
    if version is None:
        return base
    key = (id(base), version)
    with _published_lock:
        cached = _published.get(key)
    if cached is not None:
        return cached
    merged = merge_catalog(base, published_staff_metas(store, version))
    with _published_lock:
        if len(_published) > 8:
            _published.clear()
        _published[key] = merged
    return merged


# ------------------------------------------------------------------------------------------
# uploads and refreshes


def write_pair_atomically(folder: Path, dataset_id: str, csv_bytes: bytes, yaml_bytes: bytes):
    """Put `<id>.csv` and `<id>.yaml` in the staff folder; each file appears whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for suffix, data in ((".yaml", yaml_bytes), (".csv", csv_bytes)):
            tmp = folder / f".{dataset_id}{suffix}.{uuid.uuid4().hex}.tmp"
            tmp.write_bytes(data)
            staged.append((tmp, folder / f"{dataset_id}{suffix}"))
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def changed_datasets(settings) -> list[str]:
    """Staff datasets added, edited or removed since the current store version was built."""
    current = open_store(settings).version_dir()
    in_folder = {entry.id for entry in folder_entries(settings.staff_data_dir)}
    changed = sorted(d for d, _ in _read_staff_metas(current) if d not in in_folder)
    for entry in folder_entries(settings.staff_data_dir):
        recorded = {}
        if current is not None and (current / "datasets" / entry.id / "sources.json").exists():
            sources = json.loads((current / "datasets" / entry.id / "sources.json").read_text())
            recorded = {v["location"]: v["sha256"] for v in sources["sources"].values()}
        for path in (entry.csv, entry.yaml):
            if path is None or recorded.get(str(path)) != _sha256(path.read_bytes()):
                changed.append(entry.id)
                break
    return changed


def refresh_now(settings, dataset_ids: list[str]) -> None:
    from data.pipeline import refresh

    try:
        report = refresh(settings, only=dataset_ids, progress=log.info)
        for result in report.failed:
            log.warning("staff dataset %s failed: %s", result.dataset, result.reason)
    except Exception:  # a background refresh must never die silently
        log.exception("refresh of staff dataset(s) %s failed", dataset_ids)


def folder_fingerprint(settings, dataset_ids: list[str]) -> tuple:
    """What the staff folder holds for `dataset_ids`: file names with their sha256."""
    wanted = set(dataset_ids)
    return tuple(
        (entry.id, str(path), _sha256(path.read_bytes()))
        for entry in folder_entries(settings.staff_data_dir)
        if entry.id in wanted
        for path in (entry.csv, entry.yaml)
        if path is not None
    )


class FolderSync:
    """Scheduler job (every minute): refresh the staff datasets added, changed or removed.

    A dataset that was rejected stays different from the store until staff fix it; the same
    files are not tried again every minute, only when they change (the reason is in the status).
    """

    def __init__(self, settings) -> None:
        self.settings = settings
        self.last_attempt: tuple | None = None

    def __call__(self) -> list[str]:
        """Refresh what changed; returns the dataset ids it refreshed."""
        try:
            changed = changed_datasets(self.settings)
            attempt = (tuple(changed), folder_fingerprint(self.settings, changed))
        except OSError:  # a file replaced while it was read: the next run sees it whole
            log.exception("could not compare the staff folder with the store")
            return []
        if not changed or attempt == self.last_attempt:
            return []
        self.last_attempt = attempt
        refresh_now(self.settings, changed)
        return changed


def check_upload(
    csv_name: str,
    csv_bytes: bytes,
    yaml_bytes: bytes,
    *,
    catalog: Catalog,
    known_areas: Iterable[str] | None,
) -> StaffDataset:
    """Validate an uploaded pair; the CSV's file name (without .csv) is the dataset id.

    `catalog` may hold the published staff datasets: their indicator ids are taken, except
    those of the dataset being replaced.
    """
    if not csv_name.lower().endswith(".csv"):
        raise StaffProblems([f"{csv_name}: expected a .csv file"])
    dataset_id = Path(csv_name).stem
    staff_sets = {k for k, d in catalog.datasets.items() if d.format == STAFF_FORMAT}
    taken = {
        ind_id: indicator.dataset[0]
        for ind_id, indicator in catalog.indicators.items()
        if indicator.dataset[0] in staff_sets and indicator.dataset[0] != dataset_id
    }
    return validate_pair(
        dataset_id,
        csv_bytes,
        yaml_bytes,
        base=without_staff(catalog),
        known_areas=known_areas,
        taken=taken,
    )
