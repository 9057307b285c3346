"""Aggregation rules in the catalog and the combination of areas' figures (data/aggregation.py),
against values computed by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from data.aggregation import (
    combine,
    combine_density,
    combine_sum,
    combine_weighted_mean,
    inputs_of,
)
from data.catalog import Indicator, load_catalog
from data.yamlfile import YamlProblems

CATALOG_FILE = Path(__file__).resolve().parents[2] / "data" / "catalog.yaml"


def indicator(**rule) -> Indicator:
    return Indicator(
        id=rule.pop("id", "x"),
        title={"nl": "x", "en": "x"},
        unit=rule.pop("unit", {"nl": "%", "en": "%"}),
        decimals=0,
        definition={"nl": "x", "en": "x"},
        dataset=["d"],
        frequency="year",
        higher_is_better=None,
        levels=["wk"],
        **rule,
    )


# Rules -------------------------------------------------------------------------------------


def test_sum_adds_the_parts():
    got = combine_sum(["a", "b", "c"], {"a": 10, "b": 25, "c": 5})
    assert got.status == "ok" and got.value == 40 and got.complete


def test_sum_leaves_out_and_names_a_secret_part():
    got = combine_sum(["a", "b", "c"], {"a": 10, "b": math.nan})
    assert got.value == 10 and got.used == ("a",) and got.missing == ("b", "c")
    assert not got.complete


def test_weighted_mean_weighs_each_share_by_its_denominator():
    # 20 % of 100 and 50 % of 300: (20 + 150) / 400 = 42.5 %, not the plain mean 35 %
    got = combine_weighted_mean(["a", "b"], {"a": 20, "b": 50}, {"a": 100, "b": 300})
    assert got.value == pytest.approx(42.5) and got.base == 400


def test_weighted_mean_without_a_weight_leaves_the_part_out():
    got = combine_weighted_mean(["a", "b"], {"a": 20, "b": 50}, {"a": 100})
    assert got.value == pytest.approx(20) and got.missing == ("b",)


def test_density_divides_the_summed_numerator_by_the_summed_area():
    # 1,000 inhabitants on 200 ha and 3,000 on 600 ha: 4,000 / 8 km² = 500 per km²
    got = combine_density(["a", "b"], {"a": 1000, "b": 3000}, {"a": 200, "b": 600}, "ha")
    assert got.value == pytest.approx(500)
    km2 = combine_density(["a", "b"], {"a": 1000, "b": 3000}, {"a": 2, "b": 6}, "km²")
    assert km2.value == pytest.approx(500)


def test_density_is_not_the_mean_of_the_densities():
    # 100 per km² on 10 km² and 1,000 per km² on 1 km²: 2,000 / 11 km², not 550
    got = combine_density(["a", "b"], {"a": 1000, "b": 1000}, {"a": 1000, "b": 100}, "ha")
    assert got.value == pytest.approx(2000 / 11)


def test_a_share_of_a_base_below_the_disclosure_limit_is_suppressed():
    got = combine_weighted_mean(["a", "b"], {"a": 20, "b": 40}, {"a": 20, "b": 25}, limit=50)
    assert got.status == "suppressed" and got.value is None and got.base == 45
    shown = combine_weighted_mean(["a", "b"], {"a": 20, "b": 40}, {"a": 20, "b": 30}, limit=50)
    assert shown.status == "ok" and shown.value == pytest.approx(32)


def test_a_count_below_the_disclosure_limit_is_suppressed():
    assert combine_sum(["a"], {"a": 4}, limit=5).status == "suppressed"
    assert combine_sum(["a"], {"a": 5}, limit=5).value == 5


def test_an_indicator_that_cannot_be_combined_says_so():
    got = combine(indicator(aggregation="none"), ["a", "b"], {"x": {"a": 1, "b": 2}})
    assert got.status == "not_combinable" and got.value is None


def test_no_part_with_figures_gives_no_data():
    assert combine_sum(["a"], {}).status == "no_data"
    assert combine_weighted_mean(["a"], {"a": 3}, {"a": 0}).status == "no_data"


def test_combine_follows_the_indicators_rule():
    share = indicator(aggregation="weighted_mean", weight="pop")
    values = {"x": {"a": 10, "b": 30}, "pop": {"a": 300, "b": 100}}
    assert combine(share, ["a", "b"], values).value == pytest.approx(15)
    assert inputs_of(share) == ("x", "pop")
    dense = indicator(aggregation="density", numerator="pop", per_area="land")
    got = combine(dense, ["a", "b"], {"pop": {"a": 300, "b": 100}, "land": {"a": 100, "b": 100}})
    assert got.value == pytest.approx(200)


# Catalog -----------------------------------------------------------------------------------


def test_additive_true_is_read_as_aggregation_sum():
    assert indicator(additive=True).aggregation == "sum"
    assert indicator(additive=True).additive
    assert indicator(additive=False).aggregation == "none"


def test_additive_contradicting_the_aggregation_is_refused():
    with pytest.raises(ValidationError, match="contradicts"):
        indicator(additive=True, aggregation="weighted_mean", weight="p")


def test_a_weighted_mean_needs_its_weight():
    with pytest.raises(ValidationError, match="needs 'weight'"):
        indicator(aggregation="weighted_mean")
    with pytest.raises(ValidationError, match="only for aggregation weighted_mean"):
        indicator(aggregation="sum", weight="population")


def _catalog_with(tmp_path, change) -> Path:
    doc = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    change(doc["indicators"])
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_an_unknown_weight_indicator_is_an_error_naming_it(tmp_path):
    def change(indicators):
        indicators["age_0_14_pct"]["weight"] = "inhabitants_typo"

    with pytest.raises(YamlProblems, match="inhabitants_typo"):
        load_catalog(_catalog_with(tmp_path, change))


def test_a_weight_that_is_no_count_is_an_error(tmp_path):
    def change(indicators):
        indicators["age_0_14_pct"]["weight"] = "household_size"

    with pytest.raises(YamlProblems, match=r"household_size.*no count"):
        load_catalog(_catalog_with(tmp_path, change))


def test_a_density_area_must_be_in_hectares_or_square_kilometres(tmp_path):
    def change(indicators):
        indicators["population_density"]["per_area"] = "households"

    with pytest.raises(YamlProblems, match="an area is in ha or km²"):
        load_catalog(_catalog_with(tmp_path, change))


def test_every_catalog_indicator_declares_its_aggregation_rule():
    raw = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))["indicators"]
    silent = [i for i, entry in raw.items() if "aggregation" not in entry]
    assert not silent, f"give these an 'aggregation' rule: {silent}"


def test_catalog_counts_are_summed_and_shares_weighted_by_their_denominator():
    catalog = load_catalog(CATALOG_FILE)
    by_rule = {i: (ind.aggregation, ind.weight) for i, ind in catalog.indicators.items()}
    assert by_rule["population"] == ("sum", None)
    assert by_rule["age_65_plus_pct"] == ("weighted_mean", "population")
    assert by_rule["single_person_households_pct"] == ("weighted_mean", "households")
    assert by_rule["covid_cases_per_100k"] == ("weighted_mean", "population")
    assert catalog.indicator("population_density").per_area == "area_land"
    assert by_rule["urbanity"][0] == "none"
