"""Staff datasets (CSV + YAML): validated like upstream sources, rejected with line and column."""

from __future__ import annotations

import pandas as pd
import pytest

from app.settings import PROJECT_ROOT
from data import staff
from data.catalog import load_catalog
from tests.conftest import FIXTURES

STAFF = FIXTURES / "staff"
WIJKEN = {f"WK0114{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 21, 32)} | {
    f"WK0114{n}" for n in range(40, 54)
}
KNOWN = {"NL01", "PV22", "GM0114", "GM0106", *WIJKEN}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PROJECT_ROOT / "data" / "catalog.yaml")


def files(name: str) -> tuple[bytes, bytes]:
    return (STAFF / f"{name}.csv").read_bytes(), (STAFF / f"{name}.yaml").read_bytes()


def validate(name, csv_bytes, yaml_bytes, catalog, known=KNOWN, taken=None):
    return staff.validate_pair(
        name, csv_bytes, yaml_bytes, base=catalog, known_areas=known, taken=taken
    )


def rejected(name, csv_bytes, yaml_bytes, catalog, **kwargs) -> list[str]:
    with pytest.raises(staff.StaffProblems) as caught:
        validate(name, csv_bytes, yaml_bytes, catalog, **kwargs)
    return caught.value.problems


def test_long_form_becomes_one_indicator_named_like_the_file(catalog):
    dataset = validate("woz_value", *files("woz_value"), catalog)
    observations = dataset.observations
    assert set(observations["indicator"]) == {"woz_value"}
    assert len(observations) == 54  # 2 years x (Emmen + 26 wijken)
    emmen = observations[observations["area"] == "GM0114"].sort_values("period")
    assert emmen["period"].dt.strftime("%Y-%m-%d").tolist() == ["2023-01-01", "2024-01-01"]
    assert emmen["value"].tolist() == [200.0, 214.0]
    dataset_entry, indicators = dataset.catalog_entries()
    assert dataset_entry.publisher == "Gemeente Emmen, Onderzoek & Statistiek"
    assert dataset_entry.licence_url.startswith("https://creativecommons.org/licenses/by/4.0")
    assert indicators["woz_value"].levels == ["gm", "wk"]
    assert indicators["woz_value"].unit.en == "thousand euros"


def test_wide_form_with_semicolons_and_decimal_commas_gives_one_indicator_per_column(catalog):
    dataset = validate("housing_market", *files("housing_market"), catalog)
    by_indicator = dataset.observations.groupby("indicator")["value"]
    assert by_indicator.count().to_dict() == {"days_on_market": 12, "sales": 12}
    first = dataset.observations[dataset.observations["area"] == "WK011401"]
    assert sorted(first["value"].tolist()) == [29.8, 76.0]
    _, indicators = dataset.catalog_entries()
    assert indicators["days_on_market"].decimals == 1
    assert indicators["days_on_market"].higher_is_better is False


def test_the_catalog_takes_the_staff_indicators(catalog):
    dataset = validate("woz_value", *files("woz_value"), catalog)
    merged = staff.merge_catalog(catalog, [(dataset.id, dataset.meta)])
    assert merged.indicators["woz_value"].dataset == ["woz_value"]
    assert merged.datasets["woz_value"].format == staff.STAFF_FORMAT
    assert staff.without_staff(merged).indicators.keys() == catalog.indicators.keys()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("WK011402,2023", "WK011499,2023"),
            "woz_value.csv: column area, line 4: 'WK011499' is not a known area code of level "
            "gemeente, wijk (see /api/v1/areas)",
        ),
        (
            ("GM0114,2024,214", "BU01140100,2024,214"),
            "woz_value.csv: column area, line 29: 'BU01140100' is not an area code of level "
            "gemeente, wijk (like GM0114, WK011401)",
        ),
        (
            ("GM0114,2024,214", "GM0114,2024,2l4"),
            "woz_value.csv: column value, line 29: '2l4' is not a number",
        ),
        (
            ("WK011405,2024", "WK011405,2024-13-01"),
            "woz_value.csv: column period, line 34: '2024-13-01' is not a date like 2021-03-01",
        ),
        (
            ("WK011405,2024", "WK011405,mei 2024"),
            "woz_value.csv: column period, line 34: 'mei 2024' is not a year (2024) or a date",
        ),
        (
            ("WK011405,2024", "WK011404,2024"),
            "woz_value.csv: line 34 repeats an earlier row for area=WK011404, period=2024-01-01",
        ),
        (
            ("area,period,value", "area,period,waarde"),
            "woz_value.csv: missing column value; unexpected column 'waarde'",
        ),
        (
            ("area,period,value", "area,period,value,note"),
            "woz_value.csv: line 2 has 3 fields, expected 4",
        ),
    ],
)
def test_a_csv_with_an_error_is_rejected_naming_line_and_column(change, expected, catalog):
    csv_bytes, yaml_bytes = files("woz_value")
    broken = csv_bytes.decode().replace(*change, 1).encode()
    (problem,) = rejected("woz_value", broken, yaml_bytes, catalog)
    assert problem.startswith(expected)


def test_an_extra_column_is_named_with_what_to_do(catalog):
    csv_bytes, yaml_bytes = files("woz_value")
    lines = csv_bytes.decode().splitlines()
    extra = "\n".join([lines[0] + ",note"] + [line + "," for line in lines[1:]]) + "\n"
    (problem,) = rejected("woz_value", extra.encode(), yaml_bytes, catalog)
    assert problem == (
        "woz_value.csv: unexpected column(s) 'note'; for several indicators, list them under "
        "'indicators' in the YAML file"
    )


def test_empty_cells_are_no_figure_and_a_file_without_any_figure_is_rejected(catalog):
    _, yaml_bytes = files("woz_value")
    some = b"area,period,value\nGM0114,2024,214\nWK011401,2024,\n"
    assert len(validate("woz_value", some, yaml_bytes, catalog).observations) == 1
    (problem,) = rejected("woz_value", b"area,period,value\nGM0114,2024,\n", yaml_bytes, catalog)
    assert problem == "woz_value.csv: no figures: every value cell is empty"


def test_a_csv_over_the_size_limit_is_refused_before_it_is_read(catalog, monkeypatch):
    monkeypatch.setattr(staff, "MAX_CSV_BYTES", 100)
    csv_bytes, yaml_bytes = files("woz_value")
    (problem,) = rejected("woz_value", csv_bytes, yaml_bytes, catalog)
    assert problem.startswith("woz_value.csv: file is ") and "the limit is 100 bytes" in problem


def test_a_csv_that_is_not_utf8_says_so(catalog):
    _, yaml_bytes = files("woz_value")
    latin1 = b"area,period,value\nGM0114,2024,214\n" + "WK011401,2024,1\n# é".encode("latin-1")
    (problem,) = rejected("woz_value", latin1, yaml_bytes, catalog)
    assert "not valid UTF-8" in problem and "line 4" in problem


def test_without_a_registry_only_the_form_of_area_codes_is_checked(catalog):
    csv_bytes, yaml_bytes = files("woz_value")
    broken = csv_bytes.decode().replace("WK011402,2023", "WK011499,2023", 1).encode()
    assert len(validate("woz_value", broken, yaml_bytes, catalog, known=None).observations) == 54


def test_metadata_problems_name_line_and_field(catalog):
    yaml_text = (
        "title: Woningwaarde\n"
        "source: Gemeente Emmen\n"
        "licence: Eigen licentie\n"
        "level: wijken\n"
        "unit: {nl: euro, en: euro}\n"
        "colour: blue\n"
    )
    problems = rejected("woz_value", b"", yaml_text.encode(), catalog)
    assert problems == [
        "woz_value.yaml:1 title: Input should be a valid dictionary or instance of Text",
        "woz_value.yaml:4 level[0]: Input should be 'land', 'provincie', 'gemeente', 'wijk' "
        "or 'buurt'",
        "woz_value.yaml:6 colour: unknown field",
    ]


def test_metadata_says_what_a_one_or_many_indicator_file_needs(catalog):
    yaml_text = (
        "title: {nl: a, en: b}\nsource: s\nlicence: CC BY 4.0\nlevel: wijk\n"
        "unit: {nl: euro, en: euro}\n"
    )
    (problem,) = rejected("woz_value", b"", yaml_text.encode(), catalog)
    assert problem == (
        "woz_value.yaml:1: give 'unit' and 'definition' (one indicator: CSV columns area, "
        "period, value), or 'indicators' with one entry per CSV column"
    )


def test_an_unknown_licence_needs_its_address(catalog):
    _, yaml_bytes = files("woz_value")
    text = yaml_bytes.decode().replace("licence: CC BY 4.0", "licence: Eigen licentie")
    (problem,) = rejected("woz_value", b"", text.encode(), catalog)
    assert "give 'licence_url' for licence 'Eigen licentie'" in problem


def test_ids_may_not_take_catalog_ids_or_those_of_other_staff_datasets(catalog):
    csv_bytes, yaml_bytes = files("woz_value")
    assert rejected("population", csv_bytes, yaml_bytes, catalog) == [
        "indicator 'population' already exists in the catalog; choose another id"
    ]
    assert rejected("rivm_cases", csv_bytes, yaml_bytes, catalog) == [
        "dataset id 'rivm_cases' is already a catalog dataset; rename the files"
    ]
    assert rejected(
        "woz_value", csv_bytes, yaml_bytes, catalog, taken={"woz_value": "other_set"}
    ) == ["indicator 'woz_value' is already defined by staff dataset 'other_set'"]
    assert rejected("WOZ waarde", csv_bytes, yaml_bytes, catalog)[0].startswith(
        "file name 'WOZ waarde': use lowercase letters"
    )


def test_an_upload_takes_its_id_from_the_csv_name_and_may_replace_itself(catalog):
    csv_bytes, yaml_bytes = files("woz_value")
    dataset = staff.check_upload(
        "woz_value.csv", csv_bytes, yaml_bytes, catalog=catalog, known_areas=KNOWN
    )
    published = staff.merge_catalog(catalog, [(dataset.id, dataset.meta)])
    again = staff.check_upload(
        "woz_value.csv", csv_bytes, yaml_bytes, catalog=published, known_areas=KNOWN
    )
    assert again.id == "woz_value"
    with pytest.raises(staff.StaffProblems) as caught:
        staff.check_upload("woz.xlsx", csv_bytes, yaml_bytes, catalog=catalog, known_areas=KNOWN)
    assert caught.value.problems == ["woz.xlsx: expected a .csv file"]


def test_a_pair_is_written_whole_and_leaves_no_temporary_files(tmp_path):
    staff.write_pair_atomically(tmp_path / "staff", "woz_value", b"a,b\n", b"title: x\n")
    assert sorted(p.name for p in (tmp_path / "staff").iterdir()) == [
        "woz_value.csv",
        "woz_value.yaml",
    ]
    staff.write_pair_atomically(tmp_path / "staff", "woz_value", b"new\n", b"new: 1\n")
    assert (tmp_path / "staff" / "woz_value.csv").read_bytes() == b"new\n"
    assert len(list((tmp_path / "staff").iterdir())) == 2


def test_folder_entries_pair_csv_and_yaml_by_name(tmp_path):
    for name in ("a.csv", "a.yaml", "b.csv", "c.yml", ".hidden.csv", "notes.txt"):
        (tmp_path / name).write_text("x")
    entries = {
        e.id: (e.csv is not None, e.yaml is not None) for e in staff.folder_entries(tmp_path)
    }
    assert entries == {"a": (True, True), "b": (True, False), "c": (False, True)}
    assert staff.folder_entries(None) == []
    assert staff.folder_entries(tmp_path / "missing") == []


def test_staged_dataset_is_written_like_every_dataset(tmp_path, catalog):
    dataset = validate("woz_value", *files("woz_value"), catalog)
    target = tmp_path / "datasets" / "woz_value"
    staff.write_dataset(target, dataset, {"main:0": {"sha256": "x"}})
    assert sorted(p.name for p in target.iterdir()) == [
        "areas.parquet",
        "observations.parquet",
        "sources.json",
        "staff.json",
    ]
    stored = pd.read_parquet(target / "observations.parquet")
    assert len(stored) == 54
    merged = staff.catalog_with_staged_staff(catalog, tmp_path)
    assert "woz_value" in merged.indicators


def test_staff_dataset_in_the_catalog_gets_its_donl_frequency_and_the_defaults(catalog):
    dataset = validate("woz_value", *files("woz_value"), catalog)
    entry, indicators = dataset.catalog_entries()
    merged = catalog.with_indicators(indicators, {entry.id: entry}).datasets[entry.id]
    assert merged.frequency == "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    assert merged.authority == "http://standaarden.overheid.nl/owms/terms/Emmen"
    assert merged.licence_uri == "http://creativecommons.org/licenses/by/4.0/deed.nl"
    assert merged.contact_point is not None and merged.themes
