"""CBS statistics: StatLine tables (typed-data CSV or OData v3 JSON) and the wijk- en buurtkaart.

StatLine keys carry a running number (`AantalInwoners_5`) that changes between yearly tables,
so columns are matched by the key before the trailing `_<n>`.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd

from data.catalog import Dataset
from data.errors import SourceError
from data.formats import Normalized, RawFile, register
from data.observations import areas_frame, conform, empty
from data.parsers.csvtools import (
    CODE_PATTERNS,
    MAX_DECOMPRESSED_BYTES,
    ZIP_MAGIC,
    check_codes,
    check_no_duplicate_rows,
    check_pattern,
    check_unique,
    decompress,
    latest_allowed_date,
    prepare_text,
    read_csv_strict,
    to_number,
    year_start,
)
from geo.registry import municipality_of

STATLINE_MISSING = ("", ".")  # StatLine: empty or "." = no data
KWB_SENTINEL_MAX = -99_999_990  # -99999999, -99999997, ...: missing or confidential

# Wijk- en buurtkaart (shapefile/DBF) column -> indicator
KWB_SHAPEFILE_COLUMNS: dict[str, str] = {
    "AANT_INW": "population",
    "AANT_MAN": "men",
    "AANT_VROUW": "women",
    "BEV_DICHTH": "population_density",
    "AANTAL_HH": "households",
    "GEM_HH_GR": "household_size",
    "P_EENP_HH": "single_person_households_pct",
    "P_HH_Z_K": "households_without_children_pct",
    "P_HH_M_K": "households_with_children_pct",
    "P_00_14_JR": "age_0_14_pct",
    "P_15_24_JR": "age_15_24_pct",
    "P_25_44_JR": "age_25_44_pct",
    "P_45_64_JR": "age_45_64_pct",
    "P_65_EO_JR": "age_65_plus_pct",
    "P_WEST_AL": "migration_western_pct",
    "P_N_W_AL": "migration_nonwestern_pct",
    "OAD": "address_density",
    "STED": "urbanity",
    "OPP_TOT": "area_total",
    "OPP_LAND": "area_land",
    "OPP_WATER": "area_water",
}
# Columns of the 2021 v1 wijk layer that are known but not used (for "renamed?" messages).
KWB_SHAPEFILE_OTHER = [
    "WK_NAAM",
    "BU_NAAM",
    "GM_NAAM",
    "IND_WBI",
    "H2O",
    "POSTCODE",
    "DEK_PERC",
    "P_ONGEHUWD",
    "P_GEHUWD",
    "P_GESCHEID",
    "P_VERWEDUW",
    "P_MAROKKO",
    "P_ANT_ARU",
    "P_SURINAM",
    "P_TURKIJE",
    "P_OVER_NW",
    "JRSTATCODE",
    "JAAR",
    "Shape_Leng",
    "Shape_Area",
]

# StatLine key (without `_<n>`) -> indicator, for Kerncijfers wijken en buurten (85984NED ...)
KWB_STATLINE_KEYS: dict[str, str] = {
    "AantalInwoners": "population",
    "Mannen": "men",
    "Vrouwen": "women",
    "Bevolkingsdichtheid": "population_density",
    "Woningvoorraad": "dwellings",
    "OppervlakteTotaal": "area_total",
    "OppervlakteLand": "area_land",
    "OppervlakteWater": "area_water",
    "HuishoudensTotaal": "households",
    "GemiddeldeHuishoudensgrootte": "household_size",
    "Eenpersoonshuishoudens": "single_person_households_pct",
    "Omgevingsadressendichtheid": "address_density",
    "MateVanStedelijkheid": "urbanity",
}
PERCENTAGE_ONLY = {"single_person_households_pct"}

_KEY = re.compile(r"^(?P<key>.+)_(?P<n>\d+)$")


# ------------------------------------------------------------------------------------------
# reading


def _is_json(data: bytes) -> bool:
    return data.lstrip()[:1] in (b"{", b"[")


def _cell(value: object, source: str, record: int, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        raise SourceError(source, f"record {record}, {key}: unexpected value {value!r}")
    if isinstance(value, int | float):
        return repr(value)
    return str(value).strip()


def read_odata(data: bytes, source: str) -> pd.DataFrame:
    """An OData v3 JSON response (`{"value": [...]}`) to a frame of stripped strings.

    The index is the 1-based record number, named "record"; null becomes "".
    """
    try:
        doc = json.loads(data.decode("utf-8"))  # bytes would be sniffed as UTF-16/32
    except json.JSONDecodeError as exc:
        raise SourceError(
            source, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise SourceError(source, "JSON is nested too deeply to read") from None
    if isinstance(doc, dict) and ("odata.error" in doc or "error" in doc):
        error = doc.get("odata.error") or doc.get("error")
        raise SourceError(source, f"the OData service returned an error: {error}")
    if not isinstance(doc, dict) or not isinstance(doc.get("value"), list):
        raise SourceError(source, 'expected an OData JSON object with a "value" list')
    if doc.get("odata.nextLink"):
        raise SourceError(
            source,
            "OData response is only the first page (odata.nextLink present); "
            "the fetch must follow all pages",
        )
    records = doc["value"]
    if not records:
        raise SourceError(source, 'OData "value" list is empty')
    keys: list[str] = []
    for record in records:
        if not isinstance(record, dict):
            raise SourceError(source, 'every item in "value" must be an object')
        keys.extend(k for k in record if k not in keys)
    rows = {
        key: [_cell(r.get(key), source, i, key) for i, r in enumerate(records, start=1)]
        for key in keys
    }
    df = pd.DataFrame(rows, dtype="str")
    df.index = pd.RangeIndex(1, len(df) + 1, name="record")
    return df


def _statline_frame(raw: RawFile, required: list[str]) -> pd.DataFrame:
    """StatLine typed data as strings, from the OData JSON or the `;` CSV download."""
    data = prepare_text(raw.content, raw.name, kind="CSV or JSON")
    if _is_json(data):
        df = read_odata(data, raw.name)
        missing = [c for c in required if c not in df.columns]
        if missing:
            raise SourceError(raw.name, f"missing key(s) {', '.join(missing)} in the records")
    else:
        df = read_csv_strict(data, raw.name, required, ["ID"], optional_pattern=_KEY.pattern)
        df = df.apply(lambda column: column.str.strip())
    check_no_duplicate_rows(df, raw.name)
    return df


def _keys(columns: list[str], wanted: dict[str, str]) -> dict[str, list[str]]:
    """Indicator -> matching columns (in file order), matched on the key before `_<n>`."""
    found: dict[str, list[str]] = {}
    for column in columns:
        match = _KEY.match(column)
        key = match["key"] if match else column
        if key in wanted:
            found.setdefault(wanted[key], []).append(column)
    return found


def _one_file(files: dict[str, list[RawFile]], dataset: Dataset) -> RawFile:
    found = files.get("main") or []
    if len(found) != 1:
        raise SourceError(
            dataset.id or dataset.format, f"expected exactly one 'main' file, got {len(found)}"
        )
    return found[0]


def _parent_of(code: str) -> str | None:
    if code.startswith("BU"):
        return "WK" + code[2:8]
    if code.startswith("WK"):
        return "GM" + code[2:6]
    return None


def _long(wide: pd.DataFrame, codes: pd.Series, periods: pd.Series | pd.Timestamp) -> pd.DataFrame:
    """Wide indicator columns to observations, NaN values kept."""
    frames = [
        pd.DataFrame(
            {"indicator": indicator, "area": codes, "period": periods, "value": wide[indicator]}
        )
        for indicator in wide.columns
    ]
    return conform(pd.concat(frames, ignore_index=True)) if frames else empty()


# ------------------------------------------------------------------------------------------
# 70072NED Regionale kerncijfers


def _province_column(df: pd.DataFrame) -> str | None:
    """The `Code_<n>` column that holds province codes (PV20 ...), if the table has one."""
    for column in df.columns:
        if not column.startswith("Code_"):
            continue
        values = df[column][df[column] != ""]
        if len(values) and values.str.fullmatch(CODE_PATTERNS["pv"]).all():
            return column
    return None


@register("cbs_regional_key_figures")
def cbs_regional_key_figures(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """CBS 70072NED: inhabitants per municipality, from the typed-data CSV or OData JSON."""
    raw = _one_file(files, dataset)
    source = raw.name
    df = _statline_frame(raw, ["RegioS", "Perioden"])
    population_columns = _keys(list(df.columns), {"TotaleBevolking": "population"})
    if not population_columns:
        raise SourceError(source, "missing column TotaleBevolking_<n> (inhabitants)")
    population_column = population_columns["population"][0]

    codes = df["RegioS"]
    municipal = codes.str.startswith("GM")
    df = df[municipal]
    codes = codes[municipal]
    if df.empty:
        raise SourceError(source, "no municipality (GM) rows")
    check_codes(codes, "gm", "RegioS", source)
    check_pattern(df["Perioden"], r"\d{4}JJ00", "Perioden", source, "a year period like 2020JJ00")
    check_unique(df, ["RegioS", "Perioden"], source)
    values = to_number(
        df[population_column], population_column, source, missing=STATLINE_MISSING, minimum=0
    )
    has_data = values.notna()
    periods = pd.to_datetime(df["Perioden"].str[:4] + "-01-01").astype("datetime64[ns]")

    notes = []
    skipped = int((~has_data).sum())
    if skipped:
        notes.append(
            f"{source}: {skipped} municipality rows without {population_column} skipped "
            "(municipalities that no longer existed)"
        )
    observations = _population_rows(codes, periods, values, has_data)
    province = _province_column(df)
    areas = pd.DataFrame(
        {
            "code": codes[has_data],
            "name": None,
            "level": "gm",
            "parent": df.loc[has_data, province].replace("", None) if province else None,
        }
    ).drop_duplicates("code")
    return Normalized(
        observations=observations, areas=areas_frame(areas.reset_index(drop=True)), notes=notes
    )


# ------------------------------------------------------------------------------------------
# Population on 1 January per municipality: StatLine 03759ned, or the VWS dashboard's table


# StatLine 03759ned dimensions and the keys of their totals (all ages, sexes, marital states).
POPULATION_TOTALS = {"Geslacht": "T001038", "Leeftijd": "10000", "BurgerlijkeStaat": "T001019"}
VWS_POPULATION_COLUMNS = ["Municipality_code", "population_count"]
VWS_POPULATION_OPTIONAL = ["population_count_connected_to_rwzis"]


def _population_rows(codes, periods, values, has_data: pd.Series) -> pd.DataFrame:
    """Population observations of the municipalities that have a value."""
    return conform(
        pd.DataFrame(
            {
                "indicator": "population",
                "area": codes[has_data],
                "period": periods[has_data],
                "value": values[has_data],
            }
        )
    )


def _population_statline(
    df: pd.DataFrame, source: str
) -> tuple[pd.Series, pd.Series, str, pd.DataFrame]:
    """(codes, periods, value column, rows) of the municipal totals in a 03759ned extract."""
    found = _keys(list(df.columns), {"BevolkingOp1Januari": "population"})
    if not found:
        raise SourceError(source, "missing column BevolkingOp1Januari_<n> (inhabitants)")
    for dimension, total in POPULATION_TOTALS.items():
        if dimension in df.columns:
            df = df[df[dimension] == total]
    if df.empty:
        raise SourceError(
            source,
            "no rows with the totals "
            + ", ".join(f"{d} {t}" for d, t in POPULATION_TOTALS.items())
            + " (filter the query on them)",
        )
    df = df[df["RegioS"].str.startswith("GM")]
    if df.empty:
        raise SourceError(source, "no municipality (GM) rows")
    check_pattern(df["Perioden"], r"\d{4}JJ00", "Perioden", source, "a year period like 2022JJ00")
    periods = pd.to_datetime(df["Perioden"].str[:4] + "-01-01").astype("datetime64[ns]")
    return df["RegioS"], periods, found["population"][0], df


@register("cbs_population")
def cbs_population(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """Inhabitants on 1 January per municipality: a StatLine 03759ned extract (OData JSON or
    typed CSV, the totals of every dimension), or the VWS dashboard's population table
    (`Municipality_code;population_count;...`, the date from the catalog's `period:`)."""
    raw = _one_file(files, dataset)
    source = raw.name
    data = prepare_text(raw.content, source, kind="CSV or JSON")
    header = "" if _is_json(data) else data.split(b"\n", 1)[0].decode("utf-8")
    columns = header.split(";")
    if "Municipality_code" in columns or "population_count" in columns:  # the VWS table
        if dataset.period is None:
            raise SourceError(
                source, "the catalog entry needs 'period:' (this table has no period column)"
            )
        df = read_csv_strict(data, source, VWS_POPULATION_COLUMNS, VWS_POPULATION_OPTIONAL)
        codes = df["Municipality_code"].str.strip()
        periods = pd.Series(pd.Timestamp(dataset.period), index=df.index)
        column, code_column = "population_count", "Municipality_code"
        df = df.apply(lambda c: c.str.strip())
    else:
        df = _statline_frame(raw, ["RegioS", "Perioden"])
        codes, periods, column, df = _population_statline(df, source)
        code_column = "RegioS"
    check_codes(codes, "gm", code_column, source)
    values = to_number(df[column], column, source, missing=STATLINE_MISSING)
    negative = values < 0
    if negative.any():
        first = negative.idxmax()
        where = f"{df.index.name or 'row'} {first}"
        raise SourceError(source, f"{where}: {column} {df.at[first, column]!r} is negative")
    check_unique(pd.DataFrame({"code": codes, "period": periods}), ["code", "period"], source)
    has_data = values.notna()
    notes = []
    if (~has_data).any():
        skipped = int((~has_data).sum())
        notes.append(f"{source}: {skipped} municipality rows without {column} skipped")
    observations = _population_rows(codes, periods, values, has_data)
    areas = pd.DataFrame(
        {"code": codes[has_data], "name": None, "level": "gm", "parent": None}
    ).drop_duplicates("code")
    return Normalized(
        observations=observations, areas=areas_frame(areas.reset_index(drop=True)), notes=notes
    )


# ------------------------------------------------------------------------------------------
# Kerncijfers wijken en buurten (StatLine 85984NED and other years)


def _looks_like_percentage(values: pd.Series, households: pd.Series | None) -> bool:
    """True when values are shares: all within 0-100 while household counts are far larger."""
    present = values.dropna()
    if present.empty or present.min() < 0 or present.max() > 100:
        return False
    return households is not None and bool((households.dropna() > 1000).any())


@register("cbs_kwb_statline")
def cbs_kwb_statline(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """CBS Kerncijfers wijken en buurten: gemeente, wijk and buurt rows; no names."""
    raw = _one_file(files, dataset)
    source = raw.name
    if dataset.period is None:
        raise SourceError(
            source, "the catalog entry needs 'period:' (this table has no period column)"
        )
    df = _statline_frame(raw, ["WijkenEnBuurten"])
    found = _keys(list(df.columns), KWB_STATLINE_KEYS)
    if "population" not in found:
        raise SourceError(source, "missing column AantalInwoners_<n> (inhabitants)")

    check_unique(df, ["WijkenEnBuurten"], source)
    codes = df["WijkenEnBuurten"]
    national = codes.str.match(r"NL\d{2}$")
    df, codes = df[~national], codes[~national]
    check_pattern(
        codes,
        "|".join(CODE_PATTERNS[level] for level in ("gm", "wk", "bu")),
        "WijkenEnBuurten",
        source,
        "a gemeente, wijk or buurt code (like GM0114, WK011401, BU01140100)",
    )

    notes = []
    # Every row is checked, also those of other municipalities that are left out below.
    numbers = {
        column: to_number(df[column], column, source, missing=STATLINE_MISSING, minimum=0)
        for columns in found.values()
        for column in columns
    }
    if dataset.area:  # the gemeente row and its wijken and buurten (WK0114xx, BU0114xxxx)
        ours = codes.map(municipality_of) == dataset.area
        if (~ours).any():
            notes.append(f"{source}: {int((~ours).sum()):,} rows outside {dataset.area} left out")
        df, codes = df[ours], codes[ours]
        numbers = {column: values[ours] for column, values in numbers.items()}
    wide = pd.DataFrame(index=df.index)
    households = numbers[found["households"][0]] if "households" in found else None
    for indicator, columns in found.items():
        if indicator in PERCENTAGE_ONLY:
            shares = [c for c in columns if _looks_like_percentage(numbers[c], households)]
            if not shares:
                notes.append(
                    f"{source}: {', '.join(columns)} is not a percentage; "
                    f"no {indicator} from this table"
                )
                continue
            columns = shares
        if len(columns) > 1:
            notes.append(f"{source}: {indicator} from {columns[0]}, not {', '.join(columns[1:])}")
        wide[indicator] = numbers[columns[0]]

    has_data = wide.notna().any(axis=1)
    if (~has_data).any():
        notes.append(f"{source}: {int((~has_data).sum())} areas without any value skipped")
    wide, codes = wide[has_data], codes[has_data]
    observations = _long(wide, codes, pd.Timestamp(dataset.period))
    levels = codes.str[:2].str.lower()
    areas = pd.DataFrame(
        {"code": codes, "name": None, "level": levels, "parent": codes.map(_parent_of)}
    ).drop_duplicates("code")
    return Normalized(
        observations=observations, areas=areas_frame(areas.reset_index(drop=True)), notes=notes
    )


# ------------------------------------------------------------------------------------------
# Wijk- en buurtkaart (shapefile ZIP or its DBF as CSV)


def _zip_layers(content: bytes, source: str) -> dict[str, pd.DataFrame]:
    """Attribute tables of the wijk and buurt layers in a wijk- en buurtkaart ZIP."""
    import pyogrio

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise SourceError(source, f"not a readable ZIP archive (truncated?): {exc}") from None
    total = sum(m.file_size for m in members)
    if total > MAX_DECOMPRESSED_BYTES:
        raise SourceError(source, f"ZIP content is {total:,} bytes unpacked; refused")

    def pick(kind: str) -> tuple[zipfile.ZipInfo, str | None] | None:
        for member in members:
            name = PurePosixPath(member.filename).name.lower()
            if name.endswith(".dbf") and kind in name:
                return member, None
        for member in members:
            if member.filename.lower().endswith(".gpkg"):
                return member, {"wijk": "wijken", "buurt": "buurten"}[kind]
        return None

    layers: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory(prefix="kwb-") as tmp:
        for kind in ("wijk", "buurt"):
            chosen = pick(kind)
            if chosen is None:
                continue
            member, layer = chosen
            stem = PurePosixPath(member.filename).with_suffix("")
            wanted = [
                m
                for m in members
                if PurePosixPath(m.filename).with_suffix("") == stem
                and PurePosixPath(m.filename).suffix.lower() in {".dbf", ".cpg", ".gpkg"}
            ]
            for m in wanted:
                target = Path(tmp) / PurePosixPath(m.filename).name
                try:
                    target.write_bytes(archive.read(m))
                except (zipfile.BadZipFile, EOFError) as exc:
                    raise SourceError(
                        source, f"ZIP member {m.filename} is corrupt: {exc}"
                    ) from None
            path = Path(tmp) / PurePosixPath(member.filename).name
            try:
                if layer is not None and layer not in {
                    name for name, _ in pyogrio.list_layers(path)
                }:
                    continue
                table = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
            except Exception as exc:  # GDAL reports many kinds of damage
                raise SourceError(source, f"cannot read {member.filename}: {exc}") from None
            table.index = pd.RangeIndex(1, len(table) + 1, name="record")
            layers[kind] = pd.DataFrame(table)
    if "wijk" not in layers:
        names = ", ".join(m.filename for m in members[:10])
        raise SourceError(source, f"no wijk layer (wijk_*.dbf or a GeoPackage) in the ZIP: {names}")
    return layers


def _upper_columns(df: pd.DataFrame) -> pd.DataFrame:
    """GeoPackages since 2022 use lower-case names (wijkcode ...); map the known ones."""
    renames = {
        "wijkcode": "WK_CODE",
        "wijknaam": "WK_NAAM",
        "buurtcode": "BU_CODE",
        "buurtnaam": "BU_NAAM",
        "gemeentecode": "GM_CODE",
        "gemeentenaam": "GM_NAAM",
        "jaar": "JAAR",
    }
    df = df.rename(columns={c: renames.get(c, c) for c in df.columns})
    return df.rename(
        columns={c: c.upper() for c in df.columns if c.upper() in KWB_SHAPEFILE_COLUMNS}
    )


def _kwb_layer(df: pd.DataFrame, kind: str, source: str, dataset: Dataset) -> Normalized:
    code_column, name_column, level = (
        ("WK_CODE", "WK_NAAM", "wk") if kind == "wijk" else ("BU_CODE", "BU_NAAM", "bu")
    )
    for column in (code_column, "GM_CODE"):
        if column not in df.columns:
            raise SourceError(source, f"{kind} layer: missing column {column}")
    as_text = {c: df[c].astype("str").str.strip() for c in (code_column, "GM_CODE")}
    codes, gm = as_text[code_column], as_text["GM_CODE"]
    check_codes(codes, level, code_column, source)
    check_codes(gm, "gm", "GM_CODE", source)
    check_unique(pd.DataFrame({code_column: codes}), [code_column], source)
    wrong = codes.str[2:6] != gm.str[2:6]
    if wrong.any():
        first = wrong.idxmax()
        raise SourceError(
            source,
            f"{df.index.name or 'row'} {first}: {code_column} {codes[first]} "
            f"does not lie in GM_CODE {gm[first]}",
        )

    # Every row is checked, also those of other municipalities that are left out below:
    # a file with a broken row is not to be trusted.
    year_column = next((c for c in ("JAAR", "JRSTATCODE") if c in df.columns), None)
    if year_column is not None:
        periods = year_start(df[year_column].astype("str").str[:4], year_column, source)
        future = periods > pd.Timestamp(latest_allowed_date())
        if future.any():
            line = future.idxmax()
            raise SourceError(
                source,
                f"column {year_column}, {df.index.name or 'row'} {line}: "
                f"{df.at[line, year_column]!r} lies in the future",
            )
    elif dataset.period is not None:
        periods = pd.Series(pd.Timestamp(dataset.period), index=df.index)
    else:
        raise SourceError(source, "no JAAR column and no 'period:' in the catalog entry")

    wide = pd.DataFrame(index=df.index)
    absent = []
    for column, indicator in KWB_SHAPEFILE_COLUMNS.items():
        if column not in df.columns:
            absent.append(column)
            continue
        values = to_number(df[column], column, source)
        values = values.mask(values <= KWB_SENTINEL_MAX)
        to_number(values, column, source, minimum=0)  # refuses a negative that is no sentinel
        wide[indicator] = values
    notes = []
    if absent:
        notes.append(f"{source}: {kind} layer lacks {', '.join(absent)}")

    home = gm == dataset.area if dataset.area else pd.Series(True, index=gm.index)
    if (~home).any():
        notes.append(
            f"{source}: {int((~home).sum()):,} {kind} rows outside {dataset.area} left out"
        )
    df, codes, wide, periods = df[home], codes[home], wide[home], periods[home]
    if df.empty:
        return Normalized(notes=[*notes, f"{source}: no {kind} rows of {dataset.area}"])

    if name_column in df.columns:
        names = df[name_column].astype("str").str.strip()
        names = names.where(names.notna() & (names != ""), None)
    else:
        names = None
    parent = gm[home] if kind == "wijk" else codes.map(_parent_of)
    areas = pd.DataFrame({"code": codes, "name": names, "level": level, "parent": parent})
    return Normalized(
        observations=_long(wide, codes, periods),
        areas=areas_frame(areas.drop_duplicates("code").reset_index(drop=True)),
        notes=notes,
    )


@register("cbs_kwb_shapefile")
def cbs_kwb_shapefile(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """CBS wijk- en buurtkaart attributes: the ZIP (shapefile/GeoPackage) or the DBF as CSV."""
    raw = _one_file(files, dataset)
    source = raw.name
    content = decompress(raw.content, source)
    if content.startswith(ZIP_MAGIC):
        layers = {k: _upper_columns(v) for k, v in _zip_layers(content, source).items()}
    else:
        data = prepare_text(content, source)
        header = data.split(b"\n", 1)[0].decode("utf-8")
        kind = "buurt" if "BU_CODE" in header.split(";") else "wijk"
        code_column = "WK_CODE" if kind == "wijk" else "BU_CODE"
        df = read_csv_strict(
            data,
            source,
            [code_column, "GM_CODE", "AANT_INW"],
            ["WK_CODE", *KWB_SHAPEFILE_COLUMNS, *KWB_SHAPEFILE_OTHER],
        )
        layers = {kind: df}
    parts = [_kwb_layer(df, kind, source, dataset) for kind, df in layers.items()]
    return Normalized(
        observations=conform(pd.concat([p.observations for p in parts], ignore_index=True)),
        areas=areas_frame(pd.concat([p.areas for p in parts], ignore_index=True)),
        notes=[n for p in parts for n in p.notes],
    )
