"""Theme files: validation with file:line and field, references, warnings, folders, reloading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from data.catalog import Indicator, load_catalog
from layouts.themes.checks import References
from layouts.themes.loader import (
    FolderCache,
    check_paths,
    format_report,
    load_folder,
    load_theme_file,
)
from tests.conftest import FIXTURES

THEMES = FIXTURES / "themes"
SHIPPED = PROJECT_ROOT / "layouts" / "themes"
AREAS = {
    "NL01": "Nederland",
    "PV22": "Drenthe",
    "GM0114": "Emmen",
    "GM0106": "Assen",
    "WK011401": "Wijk 01 Nieuw-Weerdinge",
    "BU01140100": "Nieuw-Weerdinge",
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PROJECT_ROOT / "data" / "catalog.yaml")


@pytest.fixture()
def refs(catalog):
    return References(catalog)


@pytest.fixture()
def store_refs(catalog):
    """References as with a store: areas known, population has no figures per buurt."""
    levels = {ind: list(i.levels) for ind, i in catalog.indicators.items()}
    levels["population"] = ["nl", "pv", "gm", "wk"]
    return References(
        catalog, AREAS, levels, frozenset({"pv", "gm", "wk", "bu"}), home_province="PV22"
    )


def theme_text(blocks: str, **top) -> str:
    head = {
        "schema_version": "2",
        "id": "proef",
        "title": "{nl: Proef, en: Test}",
        **top,
    }
    lines = [f"{k}: {v}" for k, v in head.items()]
    return "\n".join(lines) + "\nblocks:\n" + blocks


def messages(file) -> list[str]:
    return [str(p) for p in file.errors]


def test_the_issue_example_in_schema_version_1_works_exactly_as_written(store_refs):
    file = load_theme_file(THEMES / "issue_example_v1.yaml", store_refs)
    assert file.ok, messages(file)
    assert file.theme.id == "bevolking"
    assert file.theme.lead.nl == "Hoeveel mensen wonen er in Emmen, en waar?"
    assert [b.type for b in file.theme.blocks] == [
        "tiles",
        "map",
        "ranking",
        "trend",
        "table",
        "text",
    ]


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_themes_have_no_errors_and_no_warnings(path, catalog):
    file = load_theme_file(path, References(catalog))
    assert file.ok and not file.warnings, messages(file) + [str(w) for w in file.warnings]


def test_shipped_themes_are_the_three_of_the_issue_and_the_start_page(catalog):
    themes = load_folder(SHIPPED, References(catalog)).valid
    assert [t.id for t in themes] == ["corona", "bevolking", "huishoudens-wonen", "start"]
    assert [t.id for t in themes if not t.nav] == ["start"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "unknown_block_type.yaml",
            "unknown_block_type.yaml:7 blocks[1]: unknown block type 'chart'; expected one of: "
            "tiles, trend, map, ranking, table, text, row",
        ),
        (
            "unknown_indicator.yaml",
            "unknown_indicator.yaml:12 blocks[2].indicator: unknown indicator 'woz_waarde'",
        ),
        ("yaml_syntax.yaml", "yaml_syntax.yaml:4: YAML syntax error: did not find expected ','"),
        (
            "missing_title.yaml",
            "missing_title.yaml:1 title: required field is missing; expected a text in Dutch "
            "and English",
        ),
        (
            "wrong_schema_version.yaml",
            "wrong_schema_version.yaml:1 schema_version: unsupported schema_version 7; this "
            "MMmeter reads schema_version 1 to 3 (current: 3)",
        ),
    ],
)
def test_broken_theme_file_names_file_line_field_and_what_was_expected(name, expected, refs):
    file = load_theme_file(THEMES / "broken" / name, refs)
    assert not file.ok
    assert len(file.errors) == 1
    assert str(file.errors[0]).startswith("tests/fixtures/themes/broken/")
    assert expected in str(file.errors[0])


def test_unknown_indicator_suggests_the_closest_id_as_in_the_issue(catalog):
    woz = Indicator.model_validate(
        {
            "title": {"nl": "WOZ-waarde", "en": "WOZ value"},
            "unit": {"nl": "euro", "en": "euro"},
            "decimals": 0,
            "definition": {"nl": "WOZ", "en": "WOZ"},
            "dataset": "cbs_kwb_2024",
            "frequency": "year",
            "higher_is_better": None,
            "levels": ["wk"],
        }
    )
    with_woz = catalog.with_indicators({"woz_value": woz}, {})
    text = theme_text(
        "  - type: text\n"
        "    body: {nl: a, en: b}\n"
        "  - type: table\n"
        "    indicator: dwellings\n"
        "    level: wijk\n"
        "  - type: map\n"
        "    level: wijk\n"
        "    # the WOZ value of each district\n"
        "    title: {nl: WOZ-waarde, en: WOZ value}\n"
        "    indicator: woz_waarde\n"
    )
    file = load_theme_file("layouts/themes/wonen.yaml", References(with_woz), text=text)
    assert messages(file) == [
        "layouts/themes/wonen.yaml:14 blocks[2].indicator: unknown indicator 'woz_waarde'; "
        "did you mean 'woz_value'?"
    ]


def test_every_problem_of_a_file_is_reported_not_only_the_first(refs):
    text = theme_text(
        "  - type: tiles\n"
        "    indicators: [population]\n"
        "    colour: red\n"
        "  - type: map\n"
        "    indicator: population\n"
        "    level: district\n",
        title="{nl: Proef}",
    )
    found = messages(load_theme_file("t.yaml", refs, text=text))
    assert found == [
        "t.yaml:3 title.en: required field is missing",
        "t.yaml:7 blocks[0].colour: unknown field 'colour' (this block takes: title, "
        "indicators, area, area_from_url)",
        "t.yaml:10 blocks[1].level: expected 'land', 'provincie', 'gemeente', 'wijk' or "
        "'buurt', got 'district'",
    ]


def test_unknown_field_suggests_the_field_meant(refs):
    text = theme_text("  - type: trend\n    indicator: population\n    area: [GM0114]\n")
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert problem.line == 7
    assert problem.message.startswith("unknown field 'area'; did you mean 'areas'?")


def test_a_row_cannot_hold_a_row(refs):
    text = theme_text("  - type: row\n    blocks:\n      - type: row\n        blocks: []\n")
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert problem.field == "blocks[0].blocks[0]"
    assert "a row cannot hold another row" in problem.message


def test_problems_inside_a_row_point_at_the_inner_block(refs):
    text = theme_text(
        "  - type: row\n"
        "    blocks:\n"
        "      - type: text\n"
        "        body: {nl: a, en: b}\n"
        "      - type: trend\n"
        "        indicator: populatoin\n"
    )
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert str(problem) == (
        "t.yaml:10 blocks[0].blocks[1].indicator: unknown indicator 'populatoin'; "
        "did you mean 'population'?"
    )


def test_table_needs_indicator_or_indicators_not_both(refs):
    text = theme_text(
        "  - type: table\n    indicator: population\n    indicators: [men]\n    level: wijk\n"
    )
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert "either 'indicator' (one) or 'indicators' (a list), not both" in problem.message


def test_theme_id_must_be_usable_in_an_address(refs):
    text = theme_text("  - type: text\n    body: {nl: a, en: b}\n", id="'Mijn Thema'")
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert problem.field == "id"
    assert "lowercase letters, digits and hyphens" in problem.message


def test_unknown_area_is_an_error_with_the_code_to_use(store_refs):
    text = theme_text(
        "  - type: trend\n    indicator: population\n    areas: [GM0114, Drenthe, GM0115]\n"
    )
    found = messages(load_theme_file("t.yaml", store_refs, text=text))
    assert found == [
        "t.yaml:7 blocks[0].areas[1]: unknown area 'Drenthe'; use the CBS code: PV22 (Drenthe)",
        "t.yaml:7 blocks[0].areas[2]: unknown area 'GM0115'; did you mean GM0114 (Emmen)?",
    ]


def test_without_a_store_area_codes_are_checked_by_their_form(refs):
    text = theme_text("  - type: tiles\n    indicators: [population]\n    area: Emmen\n")
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert problem.field == "blocks[0].area"
    assert "has no known form" in problem.message


def test_a_level_without_figures_is_a_warning_and_the_theme_is_served(store_refs):
    text = theme_text(
        "  - type: map\n    indicator: population\n    level: buurt\n"
        "  - type: ranking\n    indicator: households\n    level: provincie\n"
    )
    file = load_theme_file("t.yaml", store_refs, text=text)
    assert file.ok
    assert [str(w) for w in file.warnings] == [
        "t.yaml:7 blocks[0].level: indicator 'population' has no figures per buurt in the "
        "current data; the block will say so until they arrive",
        "t.yaml:10 blocks[1].level: indicator 'households' has no figures per provincie in the "
        "catalog (it has: gemeente, wijk, buurt); the block will say so",
    ]


def test_within_must_be_an_area_above_the_level(store_refs):
    text = theme_text(
        "  - type: map\n    indicator: population\n    level: gemeente\n    within: WK011401\n"
    )
    (problem,) = load_theme_file("t.yaml", store_refs, text=text).errors
    assert problem.field == "blocks[0].within"
    assert "not an area that holds areas per gemeente" in problem.message


def test_a_period_without_figures_is_a_warning_naming_the_nearest(catalog):
    periods = {("population", "wk"): ["2021-01-01", "2024-01-01"]}
    refs = References(catalog, periods=lambda ind, level: periods.get((ind, level), []))
    text = theme_text(
        "  - type: map\n    indicator: population\n    level: wijk\n    period: 2023\n"
    )
    file = load_theme_file("t.yaml", refs, text=text)
    assert file.ok
    (warning,) = file.warnings
    assert warning.field == "blocks[0].period"
    assert "for 2023-01-01; nearest: 2021-01-01 or 2024-01-01" in warning.message


def test_a_v1_file_reports_the_field_names_it_was_written_with(refs):
    text = (
        "schema_version: 1\nid: oud\ntitle: {nl: Oud, en: Old}\n"
        "intro: {nl: Inleiding}\nblocks:\n  - type: text\n    body: {nl: a, en: b}\n"
    )
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert str(problem) == "t.yaml:4 intro.en: required field is missing"


def test_a_mapping_is_expected_at_the_top(refs):
    (problem,) = load_theme_file("t.yaml", refs, text="- a\n- b\n").errors
    assert "expected a mapping with schema_version, id, title and blocks" in problem.message


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_file_leaves_the_other_themes_served(tmp_path, refs):
    for broken in (THEMES / "broken").glob("*.yaml"):
        write(tmp_path, broken.name, broken.read_text())
    write(tmp_path, "goed.yaml", theme_text("  - type: text\n    body: {nl: a, en: b}\n"))
    themes = load_folder(tmp_path, refs)
    assert [t.id for t in themes.valid] == ["proef"]
    assert len(themes.broken) == 5
    assert themes.find("proef").ok
    assert not themes.find("yaml_syntax").ok  # found by file name when the id cannot be read
    assert not themes.find("wonen").ok  # and by its id
    assert themes.find("bestaat-niet") is None


def test_two_files_with_the_same_id_the_second_is_an_error(tmp_path, refs):
    text = theme_text("  - type: text\n    body: {nl: a, en: b}\n")
    write(tmp_path, "a.yaml", text)
    write(tmp_path, "b.yaml", text)
    themes = load_folder(tmp_path, refs)
    assert [t.id for t in themes.valid] == ["proef"]
    (problem,) = themes.find("b").errors
    assert problem.line == 2
    assert problem.message.startswith("id 'proef' is also used by ")
    assert problem.message.endswith("a.yaml; each theme needs its own id")


def test_valid_themes_are_sorted_by_order_then_id(tmp_path, refs):
    body = "  - type: text\n    body: {nl: a, en: b}\n"
    write(tmp_path, "z.yaml", theme_text(body, id="zeta", order="5"))
    write(tmp_path, "a.yaml", theme_text(body, id="alfa", order="50"))
    write(tmp_path, "m.yaml", theme_text(body, id="mu"))  # order 100
    write(tmp_path, "notes.txt", "not a theme")
    assert [t.id for t in load_folder(tmp_path, refs).valid] == ["zeta", "alfa", "mu"]


def test_folder_cache_reads_again_when_a_file_changes_or_is_added(tmp_path, refs):
    cache = FolderCache()
    body = "  - type: text\n    body: {nl: a, en: b}\n"
    path = write(tmp_path, "a.yaml", theme_text(body, id="alfa"))
    calls = []

    def make_refs():
        calls.append(1)
        return refs

    first = cache.get(tmp_path, ("v1",), make_refs)
    assert cache.get(tmp_path, ("v1",), make_refs) is first
    assert len(calls) == 1
    path.write_text(theme_text(body, id="alfa", title="{nl: Anders, en: Other}"))
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert cache.get(tmp_path, ("v1",), make_refs).valid[0].title.nl == "Anders"
    write(tmp_path, "b.yaml", theme_text(body, id="beta"))
    assert [t.id for t in cache.get(tmp_path, ("v1",), make_refs).valid] == ["alfa", "beta"]
    cache.get(tmp_path, ("v2",), make_refs)  # a new store version: references change
    assert len(calls) == 4


def test_check_paths_reports_an_id_already_used_in_the_folder(tmp_path, refs):
    body = "  - type: text\n    body: {nl: a, en: b}\n"
    folder = tmp_path / "themes"
    folder.mkdir()
    write(folder, "bestaand.yaml", theme_text(body, id="wonen"))
    new = write(tmp_path, "nieuw.yaml", theme_text(body, id="wonen"))
    (file,) = check_paths([new], folder, refs)
    assert "id 'wonen' is also used by" in str(file.errors[0])
    lines, errors, warnings = format_report([file])
    assert lines == [str(file.errors[0])]
    assert (errors, warnings) == (1, 0)


def test_check_paths_without_files_checks_the_whole_folder(tmp_path, refs):
    body = "  - type: text\n    body: {nl: a, en: b}\n"
    write(tmp_path, "a.yaml", theme_text(body, id="alfa"))
    write(tmp_path, "b.yaml", "schema_version: 2\n")
    files = check_paths([], tmp_path, refs)
    assert [f.path.name for f in files] == ["a.yaml", "b.yaml"]
    _, errors, warnings = format_report(files)
    assert errors == 3 and warnings == 0  # b.yaml lacks id, title and blocks


def test_a_bug_while_checking_one_file_is_that_files_problem_only(tmp_path, refs, monkeypatch):
    from layouts.themes import loader

    body = "  - type: text\n    body: {nl: a, en: b}\n"
    write(tmp_path, "a.yaml", theme_text(body, id="alfa"))
    write(tmp_path, "b.yaml", theme_text(body, id="beta"))
    real = loader.check_references

    def failing(theme, references):
        if theme.id == "beta":
            raise RuntimeError("boom")
        return real(theme, references)

    monkeypatch.setattr(loader, "check_references", failing)
    themes = load_folder(tmp_path, refs)
    assert [t.id for t in themes.valid] == ["alfa"]
    assert "could not be checked (RuntimeError('boom'))" in str(themes.find("b").errors[0])


def test_a_per_100k_switch_needs_a_counterpart_per_100000(refs):
    fine = theme_text("  - type: trend\n    indicator: covid_cases_7d\n    per_100k_toggle: true\n")
    assert load_theme_file("t.yaml", refs, text=fine).ok
    text = theme_text("  - type: trend\n    indicator: population\n    per_100k_toggle: true\n")
    (problem,) = load_theme_file("t.yaml", refs, text=text).errors
    assert "blocks[0].per_100k_toggle" in str(problem)
    assert "no counterpart per 100,000" in problem.message


# --- map block controls: level switch and week slider --------------------------------------


DAILY = "covid_cases_per_100k_7d"


def map_block(options: str, level: str = "wijk", indicator: str = "population") -> str:
    return f"  - type: map\n    indicator: {indicator}\n    level: {level}\n{options}"


def test_a_level_switch_lists_distinct_levels_including_the_blocks_own(refs):
    text = theme_text(map_block("    level_switch: [wijk, buurt]\n"))
    fine = load_theme_file("t.yaml", refs, text=text)
    assert fine.ok and fine.theme.blocks[0].level_switch == ["wijk", "buurt"]
    without = theme_text(map_block("    level_switch: [gemeente, buurt]\n"))
    (problem,) = load_theme_file("t.yaml", refs, text=without).errors
    assert "t.yaml:8 blocks[0].level_switch" in str(problem) and "'wijk'" in str(problem)
    twice = theme_text(map_block("    level_switch: [wijk, wijk]\n"))
    (problem,) = load_theme_file("t.yaml", refs, text=twice).errors
    assert "listed twice: wijk" in str(problem)
    unknown = theme_text(map_block("    level_switch: [wijk, straat]\n"))
    (problem,) = load_theme_file("t.yaml", refs, text=unknown).errors
    assert "blocks[0].level_switch" in str(problem)


def test_a_level_switch_warns_of_a_level_the_indicator_has_no_figures_for(refs):
    block = map_block("    level_switch: [gemeente, wijk]\n", "gemeente", DAILY)
    text = theme_text(block)
    loaded = load_theme_file("t.yaml", refs, text=text)
    assert loaded.ok
    assert any("level_switch[1]" in str(w) and "per wijk" in str(w) for w in loaded.warnings)


def test_the_level_switch_state_is_the_block_at_one_of_its_levels(refs):
    text = theme_text(map_block("    level_switch: [wijk, buurt]\n"))
    block = load_theme_file("t.yaml", refs, text=text).theme.blocks[0]
    assert block.at_level("buurt").level_code == "bu"
    assert block.at_level("buurt").indicator == block.indicator
    assert block.at_level("gemeente") is None  # not offered by this block
    plain = load_theme_file("t.yaml", refs, text=theme_text(map_block(""))).theme.blocks[0]
    assert plain.at_level("wijk") is None


def test_a_week_slider_needs_daily_or_weekly_figures_on_a_gemeente_map(refs):
    daily = map_block("    week_slider: true\n", "gemeente", "covid_cases_per_100k_7d")
    assert load_theme_file("t.yaml", refs, text=theme_text(daily)).ok
    yearly = map_block("    week_slider: true\n", "gemeente", "population")
    (problem,) = load_theme_file("t.yaml", refs, text=theme_text(yearly)).errors
    assert "t.yaml:8 blocks[0].week_slider" in str(problem) and "per year" in str(problem)
    per_wijk = map_block("    week_slider: true\n", "wijk", "covid_cases_per_100k_7d")
    (problem,) = load_theme_file("t.yaml", refs, text=theme_text(per_wijk)).errors
    assert "blocks[0].week_slider" in str(problem) and "gemeente" in str(problem)
    fixed = map_block("    period: 2022-02-14\n    week_slider: true\n", "gemeente", DAILY)
    (problem,) = load_theme_file("t.yaml", refs, text=theme_text(fixed)).errors
    assert "blocks[0].week_slider" in str(problem) and "period" in str(problem)
