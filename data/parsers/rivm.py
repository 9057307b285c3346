"""RIVM open data (data.rivm.nl/covid-19): cases, hospital admissions, sewage, vaccination.

All files are `;`-separated UTF-8. Every known upstream layout is accepted (see
shared/data/SOURCES.md); anything else is refused whole with a SourceError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from data.catalog import Dataset
from data.errors import SourceError
from data.formats import Normalized, RawFile, register
from data.observations import areas_frame, conform, empty
from data.parsers.csvtools import (
    check_codes,
    check_no_duplicate_rows,
    check_pattern,
    check_unique,
    latest_allowed_date,
    read_csv_strict,
    to_date,
    to_number,
)
from geo.divisions import Change, load_changes, main_successor

# RIVM province names (the per-day file, both spellings of Friesland) -> CBS province code.
PROVINCE_CODES: dict[str, str] = {
    "Groningen": "PV20",
    "Friesland": "PV21",
    "Fryslân": "PV21",
    "Drenthe": "PV22",
    "Overijssel": "PV23",
    "Flevoland": "PV24",
    "Gelderland": "PV25",
    "Utrecht": "PV26",
    "Noord-Holland": "PV27",
    "Zuid-Holland": "PV28",
    "Zeeland": "PV29",
    "Noord-Brabant": "PV30",
    "Limburg": "PV31",
}

CASES_REQUIRED = [
    "Date_of_publication",
    "Municipality_code",
    "Municipality_name",
    "Province",
    "Total_reported",
    "Deceased",
]
CASES_OPTIONAL = [
    "Version",
    "Date_of_report",
    "Security_region_code",
    "Security_region_name",
    "Municipal_health_service",
    "ROAZ_region",
    "Hospital_admission",  # absent from the live file after 2021-10-04
]
HOSPITAL_REQUIRED = [
    "Date_of_statistics",
    "Municipality_code",
    "Municipality_name",
    "Hospital_admission",
]
HOSPITAL_OPTIONAL = [
    "Version",
    "Date_of_report",
    "Security_region_code",
    "Security_region_name",
    "Hospital_admission_notification",
]
# Deceased after 2022 is empty (or, per another loader, 9999): no observation for that day.
DECEASED_MISSING = ("", "9999")

SEWAGE_REQUIRED = ["Date_measurement", "RWZI_AWZI_code", "RWZI_AWZI_name"]
SEWAGE_OPTIONAL = [
    "Version",
    "Date_of_report",
    "RNA_per_ml",
    "RNA_flow_per_100000",
    # 2020 layout, without flow per 100,000 inhabitants:
    "X_coordinate",
    "Y_coordinate",
    "Postal_code",
    "Security_region_code",
    "Security_region_name",
    "Percentage_in_security_region",
    "Representative_measurement",
]
SEWAGE_2020_MARKERS = {"Representative_measurement", "Percentage_in_security_region"}
PLANT_CODE = r"\d{1,6}"
PLANT_CODE_WHAT = "a treatment plant code (digits, like 3022)"

VACCINATION_REQUIRED = [
    "Date_of_statistics",
    "Region_level",
    "Region_code",
    "Region_name",
    "Vaccination_coverage_partly",
    "Vaccination_coverage_completed",
    "Age_group",
]
VACCINATION_OPTIONAL = ["Version", "Date_of_report", "Birth_year"]
AGE_GROUPS = {"12+": "12plus", "18+": "18plus", "12-17": "12_17"}
COVERAGE_MISSING = ("", "9999")


@dataclass
class _Part:
    """What one file yields: wide values per (code, date), areas, notes."""

    values: pd.DataFrame
    areas: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _one(files: dict[str, list[RawFile]], role: str, dataset: Dataset) -> RawFile:
    found = files.get(role) or []
    if len(found) != 1:
        raise SourceError(
            dataset.id or dataset.format,
            f"expected exactly one '{role}' file, got {len(found)}",
        )
    return found[0]


def _optional(files: dict[str, list[RawFile]], role: str) -> list[RawFile]:
    return list(files.get(role) or [])


def _municipal_daily(
    raw: RawFile,
    *,
    required: list[str],
    optional: list[str],
    date_column: str,
    indicators: dict[str, str],
    missing: dict[str, tuple[str, ...]],
    with_province: bool,
    corrections: bool = False,
) -> _Part:
    """One RIVM per-municipality per-day file to values (code, date, indicator columns).

    With `corrections` (counts by date of publication), a negative number is a correction of
    earlier days and allowed, as long as no municipality's running total drops below zero.
    """
    source = raw.name
    df = read_csv_strict(raw.content, source, required, optional)
    check_no_duplicate_rows(df, source)
    dates = to_date(df[date_column], date_column, source, not_after=latest_allowed_date())
    codes = df["Municipality_code"].str.strip()
    unknown = codes == ""
    check_codes(codes[~unknown], "gm", "Municipality_code", source)
    values = pd.DataFrame({"code": codes, "date": dates})
    for column, indicator in indicators.items():
        values[indicator] = to_number(
            df[column],
            column,
            source,
            missing=missing.get(column, ("",)),
            minimum=None if corrections else 0,
        )
        if corrections:
            _check_running_total(values, indicator, column, source)

    notes = []
    if unknown.any():
        left = values[unknown]
        sums = ", ".join(
            f"{left[ind].sum():,.0f} {ind}" for ind in indicators.values() if ind in left
        )
        notes.append(
            f"{source}: {int(unknown.sum()):,} rows without Municipality_code (RIVM's "
            f"'unknown municipality') left out: {sums}"
        )
    values = values[~unknown]

    known = df[~unknown]
    areas = pd.DataFrame(
        {"code": codes[~unknown], "name": known["Municipality_name"].str.strip(), "level": "gm"}
    )
    if with_province:
        province = known["Province"].str.strip()
        parent = province.map(PROVINCE_CODES)
        bad = parent.isna() & (province != "")
        if bad.any():
            line = bad.idxmax()
            raise SourceError(
                source,
                f"column Province, line {line}: unknown province {province.loc[line]!r}; "
                f"expected one of {', '.join(sorted(PROVINCE_CODES))}",
            )
        areas["parent"] = parent
    else:
        areas["parent"] = None
    areas = areas.drop_duplicates("code", keep="last")
    return _Part(values, areas, notes)


def _check_running_total(values: pd.DataFrame, indicator: str, column: str, source: str) -> None:
    """Refuse a negative correction that removes more than was reported before it."""
    present = values[["code", "date", indicator]].dropna()
    present = present[present["code"] != ""]
    if present.empty or not (present[indicator] < 0).any():
        return
    ordered = present.sort_values(["code", "date"], kind="stable")
    running = ordered.groupby("code", sort=False)[indicator].cumsum()
    below = running < -0.5
    if not below.any():
        return
    line = below.idxmax()
    raise SourceError(
        source,
        f"column {column}, line {line}: {values.at[line, indicator]:g} is a negative count "
        f"that brings the running total of {values.at[line, 'code']} below zero "
        f"({running[line]:g} on {values.at[line, 'date'].date()}); a correction can only "
        "remove what was reported before",
    )


def _combine(main: _Part, history: list[_Part]) -> _Part:
    """Main file first; history rows only for dates the main file does not have."""
    frames = [main.values]
    main_dates = pd.Index(main.values["date"].unique())
    for part in history:
        frames.append(part.values[~part.values["date"].isin(main_dates)])
    values = pd.concat(frames, ignore_index=True)
    areas = pd.concat([main.areas, *(p.areas for p in history)], ignore_index=True)
    areas = areas.drop_duplicates("code", keep="first")
    notes = main.notes + [n for p in history for n in p.notes]
    return _Part(values, areas, notes)


def _observations(values: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Sum duplicates per (code, date), then one observation per non-empty value."""
    summed = values.groupby(["code", "date"], sort=True)[indicators].sum(min_count=1)
    frames = []
    for indicator in indicators:
        column = summed[indicator].dropna()
        frames.append(
            pd.DataFrame(
                {
                    "indicator": indicator,
                    "area": column.index.get_level_values("code"),
                    "period": column.index.get_level_values("date"),
                    "value": column.to_numpy(),
                }
            )
        )
    return conform(pd.concat(frames, ignore_index=True)) if frames else empty()


def _daily_format(files: dict[str, list[RawFile]], dataset: Dataset, **spec) -> Normalized:
    main = _municipal_daily(_one(files, "main", dataset), **spec)
    history = [_municipal_daily(raw, **spec) for raw in _optional(files, "history")]
    part = _combine(main, history)
    indicators = list(spec["indicators"].values())
    return Normalized(
        observations=_observations(part.values, indicators),
        areas=areas_frame(part.areas),
        notes=part.notes,
    )


@register("rivm_cases")
def rivm_cases(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """COVID-19_aantallen_gemeente_per_dag.csv (+ the _tm_03102021 history file)."""
    return _daily_format(
        files,
        dataset,
        required=CASES_REQUIRED,
        optional=CASES_OPTIONAL,
        date_column="Date_of_publication",
        indicators={"Total_reported": "covid_cases", "Deceased": "covid_deaths"},
        missing={"Deceased": DECEASED_MISSING},
        with_province=True,
        corrections=True,
    )


@register("rivm_hospital")
def rivm_hospital(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """COVID-19_ziekenhuisopnames.csv: NICE admissions by date of admission."""
    return _daily_format(
        files,
        dataset,
        required=HOSPITAL_REQUIRED,
        optional=HOSPITAL_OPTIONAL,
        date_column="Date_of_statistics",
        indicators={"Hospital_admission": "covid_hospital_admissions"},
        missing={},
        with_province=False,
    )


# ------------------------------------------------------------------------------------------
# sewage


def _plant_lookup(raw: RawFile) -> pd.DataFrame:
    df = read_csv_strict(raw.content, raw.name, ["RWZI_CODE", "GM_CODE"], sep=",")
    plants = df["RWZI_CODE"].str.strip()
    gm = df["GM_CODE"].str.strip()
    check_pattern(plants, PLANT_CODE, "RWZI_CODE", raw.name, PLANT_CODE_WHAT)
    check_codes(gm, "gm", "GM_CODE", raw.name)
    return pd.DataFrame({"plant": plants, "gm": gm}).drop_duplicates()


def _plant_names(raw: RawFile) -> pd.Series:
    df = read_csv_strict(raw.content, raw.name, ["RWZI_AWZI_CODE", "RWZI_AWZI_NAME"], sep=",")
    plants = df["RWZI_AWZI_CODE"].str.strip()
    check_pattern(plants, PLANT_CODE, "RWZI_AWZI_CODE", raw.name, PLANT_CODE_WHAT)
    names = pd.Series(df["RWZI_AWZI_NAME"].str.strip().to_numpy(), index=plants.to_numpy())
    return names[~names.index.duplicated(keep="first")]


def plants_to_division(
    lookup: pd.DataFrame, changes: list[Change], target_date: dt.date
) -> tuple[pd.DataFrame, list[str]]:
    """The plant lookup (plant, gm) with each municipality dissolved by `target_date` replaced
    by the one it became part of (for a split: the successor with the largest share), and
    a line per re-coded plant ("1044: GM0010 -> GM1979")."""
    current = {code: main_successor(code, changes, target_date) for code in lookup["gm"].unique()}
    new = lookup["gm"].map(current)
    moved = lookup[new != lookup["gm"]]
    lines = [f"{row.plant}: {row.gm} -> {current[row.gm]}" for row in moved.itertuples()]
    return lookup.assign(gm=new).drop_duplicates(), lines


@register("rivm_sewage")
def rivm_sewage(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """COVID-19_rioolwaterdata.csv (versions 1, 2 and the 2020 layout) plus plant lookups."""
    raw = _one(files, "main", dataset)
    source = raw.name
    notes: list[str] = []
    df = read_csv_strict(raw.content, source, SEWAGE_REQUIRED, SEWAGE_OPTIONAL)
    check_no_duplicate_rows(df, source)
    dates = to_date(
        df["Date_measurement"], "Date_measurement", source, not_after=latest_allowed_date()
    )
    plants = df["RWZI_AWZI_code"].str.strip()
    check_pattern(plants, PLANT_CODE, "RWZI_AWZI_code", source, PLANT_CODE_WHAT)

    if "RNA_flow_per_100000" in df.columns:
        flow = to_number(df["RNA_flow_per_100000"], "RNA_flow_per_100000", source, minimum=0)
    elif set(df.columns) >= SEWAGE_2020_MARKERS:
        flow = pd.Series(float("nan"), index=df.index)
        notes.append(
            f"{source}: 2020 layout without RNA_flow_per_100000 (only RNA_per_ml); "
            "no sewage_rna_per_100k observations from this file"
        )
    else:
        extra = [c for c in df.columns if c not in SEWAGE_REQUIRED + SEWAGE_OPTIONAL]
        reason = "missing column RNA_flow_per_100000"
        if extra:
            reason += f"; unexpected columns {', '.join(extra)} (renamed upstream?)"
        raise SourceError(source, reason)

    measured = pd.DataFrame({"plant": plants, "date": dates, "value": flow}).dropna()
    per_plant = measured.groupby(["plant", "date"], as_index=False)["value"].mean()

    lookup = pd.DataFrame({"plant": pd.Series(dtype="str"), "gm": pd.Series(dtype="str")})
    plant_files = _optional(files, "plants")
    for lookup_file in plant_files:
        lookup = pd.concat([lookup, _plant_lookup(lookup_file)], ignore_index=True)
    if not plant_files:
        notes.append("no 'plants' lookup file: no sewage values per municipality")
    lookup, recoded = plants_to_division(lookup.drop_duplicates(), load_changes(), dt.date.today())
    if recoded:
        notes.append(f"plant lookup re-coded to today's municipal division: {'; '.join(recoded)}")

    names_from_file = pd.Series(df["RWZI_AWZI_name"].str.strip().to_numpy(), index=plants)
    names_from_file = names_from_file[names_from_file != ""]
    names = names_from_file[~names_from_file.index.duplicated(keep="last")]
    for names_file in _optional(files, "plant_names"):
        extra_names = _plant_names(names_file)
        names = pd.concat([names, extra_names[~extra_names.index.isin(names.index)]])

    per_gm = (
        per_plant.merge(lookup, on="plant", how="inner")
        .groupby(["gm", "date"], as_index=False)["value"]
        .mean()
    )
    unmapped = sorted(set(per_plant["plant"]) - set(lookup["plant"]))
    if unmapped and plant_files:
        notes.append(
            f"{len(unmapped)} treatment plant(s) with measurements but no municipality in the "
            f"lookup: {', '.join(unmapped[:10])}{' ...' if len(unmapped) > 10 else ''}"
        )

    observations = conform(
        pd.concat(
            [
                pd.DataFrame(
                    {
                        "indicator": "sewage_rna_per_100k",
                        "area": per_plant["plant"],
                        "period": per_plant["date"],
                        "value": per_plant["value"],
                    }
                ),
                pd.DataFrame(
                    {
                        "indicator": "sewage_rna_per_100k",
                        "area": per_gm["gm"],
                        "period": per_gm["date"],
                        "value": per_gm["value"],
                    }
                ),
            ],
            ignore_index=True,
        )
    )

    parents = lookup.drop_duplicates("plant").set_index("plant")["gm"]
    codes = sorted(set(plants), key=lambda c: (len(c), c))
    areas = areas_frame(
        [
            {
                "code": code,
                "name": names.get(code),
                "level": "rwzi",
                "parent": parents.get(code),
            }
            for code in codes
        ]
    )
    return Normalized(observations=observations, areas=areas, notes=notes)


# ------------------------------------------------------------------------------------------
# vaccination


def _coverage(series: pd.Series, column: str, source: str) -> pd.Series:
    """RIVM coverage strings: integers, '>=95' -> 95, '<=5' -> 5, '9999' or empty -> NaN."""
    text = series.str.strip().str.replace(r"^(>=|<=)\s*", "", regex=True)
    values = to_number(text, column, source, missing=COVERAGE_MISSING)
    bad = (values < 0) | (values > 100)
    if bad.any():
        line = bad.idxmax()
        raise SourceError(
            source,
            f"column {column}, line {line}: {series.loc[line]!r} is not a percentage (0-100)",
        )
    return values


def _vaccination_file(raw: RawFile) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    source = raw.name
    df = read_csv_strict(raw.content, source, VACCINATION_REQUIRED, VACCINATION_OPTIONAL)
    df = df[df["Region_level"].str.strip() == "Gemeente"]
    if df.empty:
        raise SourceError(source, "no rows with Region_level 'Gemeente'")
    codes = df["Region_code"].str.strip()
    check_codes(codes, "gm", "Region_code", source)
    dates = to_date(
        df["Date_of_statistics"], "Date_of_statistics", source, not_after=latest_allowed_date()
    )
    age = df["Age_group"].str.strip()
    check_unique(
        pd.DataFrame({"Region_code": codes, "Age_group": age, "date": dates}),
        ["Region_code", "Age_group", "date"],
        source,
    )
    notes = []
    unknown = sorted(set(age) - set(AGE_GROUPS))
    if unknown:
        notes.append(f"{source}: age group(s) {', '.join(unknown)} ignored")
    keep = age.isin(list(AGE_GROUPS))
    frames = []
    for column, dose in (
        ("Vaccination_coverage_partly", "partly"),
        ("Vaccination_coverage_completed", "completed"),
    ):
        values = _coverage(df[column], column, source)
        frames.append(
            pd.DataFrame(
                {
                    "indicator": "vaccination_" + dose + "_" + age[keep].map(AGE_GROUPS),
                    "area": codes[keep],
                    "period": dates[keep],
                    "value": values[keep],
                }
            )
        )
    observations = pd.concat(frames).dropna(subset=["value"])
    areas = pd.DataFrame(
        {"code": codes, "name": df["Region_name"].str.strip(), "level": "gm", "parent": None}
    ).drop_duplicates("code")
    return observations, areas, notes


@register("rivm_vaccination")
def rivm_vaccination(files: dict[str, list[RawFile]], dataset: Dataset) -> Normalized:
    """COVID-19_vaccinatiegraad_per_gemeente_per_week_leeftijd.csv; each edition is one week."""
    raws = [_one(files, "main", dataset), *_optional(files, "edition")]
    parts = [_vaccination_file(raw) for raw in raws]
    observations = pd.concat([p[0] for p in parts], ignore_index=True)
    observations = observations.drop_duplicates(["indicator", "area", "period"], keep="first")
    areas = pd.concat([p[1] for p in parts], ignore_index=True).drop_duplicates("code")
    return Normalized(
        observations=conform(observations),
        areas=areas_frame(areas),
        notes=[n for p in parts for n in p[2]],
    )
