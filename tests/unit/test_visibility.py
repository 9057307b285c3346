"""Public and internal: the one rule of what a visitor may see (Catalog.visible,
ThemeSet.visible), its validation, and the audience in every cache key."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from data.catalog import load_catalog
from data.reader import SiteSettings
from data.staff import merge_catalog, parse_meta
from data.yamlfile import YamlProblems
from layouts.themes.checks import INTERNAL_IN_PUBLIC, References
from layouts.themes.loader import declared_visibility, load_folder, load_theme_file
from tests.conftest import FIXTURES

CATALOG = PROJECT_ROOT / "data" / "catalog.yaml"
VISIBILITY = FIXTURES / "visibility"
INTERNAL_INDICATORS = {"jeugdzorg_intern", "peiling_klachten_geheim"}


def _with(tmp_path: Path, old: str, new: str) -> Path:
    text = CATALOG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalog.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalog():
    """The shipped catalog with the two staff datasets of the visibility fixtures."""
    metas = [
        (name, parse_meta((VISIBILITY / "staff" / f"{name}.yaml").read_bytes(), f"{name}.yaml"))
        for name in ("jeugdzorg_intern", "wijkpeiling")
    ]
    return merge_catalog(load_catalog(CATALOG), metas)


def test_everything_in_the_shipped_catalog_is_public_and_visible_to_anyone():
    shipped = load_catalog(CATALOG)
    assert not shipped.has_internal
    assert shipped.visible(staff=False) is shipped


def test_staff_see_the_whole_catalog(catalog):
    assert catalog.visible(staff=True) is catalog
    assert {"jeugdzorg_intern", "wijkpeiling"} <= set(catalog.datasets)
    assert set(catalog.indicators) >= INTERNAL_INDICATORS


def test_the_public_catalog_leaves_out_internal_datasets_and_indicators(catalog):
    public = catalog.visible(staff=False)
    assert "jeugdzorg_intern" not in public.datasets
    assert "wijkpeiling" in public.datasets  # a public dataset with one internal indicator
    assert "peiling_tevreden" in public.indicators
    assert not INTERNAL_INDICATORS & set(public.indicators)
    assert set(public.indicators) == {
        i for i, ind in catalog.indicators.items() if ind.visibility == "public"
    }
    assert public.withheld_indicators == INTERNAL_INDICATORS
    dumped = public.model_dump_json()
    assert "Zwanenveld" not in dumped and "Reigerbos" not in dumped


def test_the_public_catalog_is_built_once_per_catalog(catalog):
    assert catalog.visible(staff=False) is catalog.visible(staff=False)


def test_an_indicator_of_an_internal_dataset_is_internal(catalog):
    assert catalog.datasets["jeugdzorg_intern"].visibility == "internal"
    assert catalog.indicators["jeugdzorg_intern"].visibility == "internal"


def test_an_indicator_derived_from_an_internal_one_is_internal_too(tmp_path):
    path = _with(
        tmp_path,
        "  rivm_cases:\n",
        "  rivm_cases:\n    visibility: internal\n",
    )
    catalog = load_catalog(path)
    assert catalog.datasets["rivm_cases"].visibility == "internal"
    for indicator in ("covid_cases", "covid_cases_7d", "covid_cases_per_100k_7d"):
        assert catalog.indicators[indicator].visibility == "internal"
    public = catalog.visible(staff=False)
    assert "covid_cases_per_100k_7d" not in public.indicators
    assert "covid_hospital_admissions" in public.indicators  # another dataset: still public


def test_a_bad_visibility_in_the_catalog_names_file_line_and_field(tmp_path):
    path = _with(tmp_path, "  rivm_cases:\n", "  rivm_cases:\n    visibility: secret\n")
    with pytest.raises(YamlProblems) as error:
        load_catalog(path)
    [problem] = error.value.problems
    assert problem.file == str(path)
    assert problem.field == "datasets.rivm_cases.visibility"
    assert "'public' or 'internal'" in problem.message
    assert path.read_text().splitlines()[problem.line - 1].strip() == "visibility: secret"


def test_a_bad_visibility_in_a_staff_file_is_refused_with_its_line():
    from data.staff import StaffProblems

    text = (VISIBILITY / "staff" / "jeugdzorg_intern.yaml").read_text()
    with pytest.raises(StaffProblems) as error:
        parse_meta(text.replace("visibility: internal", "visibility: staff"), "x.yaml")
    [problem] = error.value.problems
    assert problem.startswith("x.yaml:13") and "visibility" in problem


def test_the_audience_is_part_of_every_cache_key():
    public, staff = SiteSettings(), SiteSettings(audience="staff")
    assert public.key() != staff.key()
    assert staff.staff and not public.staff


# --- themes ---------------------------------------------------------------------------------


def test_internal_themes_are_for_staff_only(catalog, tmp_path):
    themes = load_folder(VISIBILITY / "themes", References(catalog))
    staff_ids = {t.id for t in themes.visible(staff=True).valid}
    public_ids = {t.id for t in themes.visible(staff=False).valid}
    assert "zorgmonitor-intern" in staff_ids and "zorgmonitor-intern" not in public_ids
    assert "wijkpeiling" in public_ids
    assert themes.visible(staff=False).find("zorgmonitor-intern") is None


def test_a_public_theme_with_an_internal_indicator_is_an_error_that_does_not_name_it(catalog):
    for audience in (catalog, catalog.visible(staff=False)):  # as staff and anyone see it
        file = load_theme_file(VISIBILITY / "themes" / "peiling-lek.yaml", References(audience))
        assert not file.ok and file.visibility == "public"
        [problem] = file.errors
        assert problem.field == "blocks[0].indicators[1]" and problem.message == INTERNAL_IN_PUBLIC
        assert "peiling_klachten_geheim" not in str(problem) and "Reigerbos" not in str(problem)


def test_a_broken_internal_theme_stays_internal(catalog, tmp_path):
    text = (VISIBILITY / "themes" / "zorgmonitor-intern.yaml").read_text()
    path = tmp_path / "kapot.yaml"
    path.write_text(text.replace("level: wijk", "level: straat"), encoding="utf-8")
    file = load_theme_file(path, References(catalog))
    assert not file.ok and file.visibility == "internal"
    path.write_text(text.replace("blocks:", "blocks: [") + "\n", encoding="utf-8")  # no YAML
    file = load_theme_file(path, References(catalog))
    assert file.theme is None and file.visibility == "internal"


@pytest.mark.parametrize(
    ("data", "text", "expected"),
    [
        ({"id": "a"}, "", "public"),
        ({"visibility": "public"}, "", "public"),
        ({"visibility": "internal"}, "", "internal"),
        ({"visibility": "Public"}, "", "internal"),  # not "public": staff only
        (None, "id: a\nvisibility: internal\nblocks: [", "internal"),
        (None, "id: a\nvisibility: 'public'\nblocks: [", "public"),
        (None, "id: a\nblocks: [", "public"),
    ],
)
def test_the_declared_visibility_of_a_theme_file(data, text, expected):
    assert declared_visibility(data, text) == expected


def test_the_named_public_catalog_still_knows_what_it_withholds(catalog):
    named = catalog.visible(staff=False).named({"GM0114": "Emmen"}, "PV22")
    assert named.withheld_indicators == INTERNAL_INDICATORS


def test_a_cache_entry_made_for_staff_is_never_read_by_the_public(catalog, tmp_path):
    from data.cache import QueryCache
    from data.reader import Reader
    from data.store import Store

    cache, store = QueryCache(), Store(tmp_path)
    staff = Reader(store, "v1", catalog, SiteSettings(audience="staff"), cache)
    public = Reader(store, "v1", catalog.visible(staff=False), SiteSettings(), cache)
    for reader in (staff, public, staff):
        reader.memo("ids", (), lambda r=reader: sorted(r.catalog.indicators))
    assert "jeugdzorg_intern" in staff.memo("ids", (), lambda: [])
    assert "jeugdzorg_intern" not in public.memo("ids", (), lambda: [])


def test_a_cache_entry_made_for_an_older_catalog_is_not_served_for_a_new_one(tmp_path):
    """An operator makes a dataset internal and restarts: same store version, new catalog."""
    from data.cache import QueryCache
    from data.reader import Reader
    from data.store import Store

    before = load_catalog(CATALOG)
    internal = "  rivm_cases:\n    visibility: internal\n"
    after = load_catalog(_with(tmp_path, "  rivm_cases:\n", internal))
    cache, store = QueryCache(), Store(tmp_path)
    old = Reader(store, "v1", before, SiteSettings(), cache)
    old.memo("ids", (), lambda: list(before.datasets))
    public = Reader(store, "v1", after.visible(staff=False), SiteSettings(), cache)
    assert "rivm_cases" not in public.memo("ids", (), lambda: list(public.catalog.datasets))


def test_a_bad_visibility_in_a_theme_names_file_line_and_field(catalog, tmp_path):
    text = (VISIBILITY / "themes" / "wijkpeiling.yaml").read_text()
    path = tmp_path / "wijkpeiling.yaml"
    path.write_text(text.replace("order: 80\n", "order: 80\nvisibility: geheim\n"))
    file = load_theme_file(path, References(catalog))
    [problem] = file.errors
    assert problem.field == "visibility" and problem.line == 6
    assert "'public' or 'internal'" in problem.message and "'geheim'" in problem.message
    assert file.visibility == "internal"  # not "public": its page is for staff only


def test_an_indicator_combined_over_areas_with_an_internal_weight_is_internal(tmp_path):
    path = _with(
        tmp_path,
        "    aggregation: sum\n    map: {method: quantile, classes: 5}\n  men:\n",
        "    aggregation: sum\n    map: {method: quantile, classes: 5}\n"
        "    visibility: internal\n  men:\n",
    )
    catalog = load_catalog(path)
    assert catalog.indicators["population"].visibility == "internal"
    weighted = [i for i, ind in catalog.indicators.items() if ind.weight == "population"]
    assert weighted and all(catalog.indicators[i].visibility == "internal" for i in weighted)
    public = catalog.visible(staff=False)  # still a valid catalog: no rule names a missing one
    assert not {"population", *weighted} & set(public.indicators)
