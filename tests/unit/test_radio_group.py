"""Radio groups: one named group per control, input ids unique on the page."""

from __future__ import annotations

from layouts.components import radio_group

OPTIONS = [{"label": "1 maand", "value": "1m"}, {"label": "Alles", "value": "all"}]


def _radios(fieldset):
    legend, items = fieldset.children
    return legend, items


def test_a_group_has_a_legend_and_one_name_for_its_buttons():
    legend, items = _radios(radio_group("Periode", "corona-range", OPTIONS, "all"))
    assert legend.children == "Periode"
    assert items.name == "corona-range"
    assert items.value == "all"
    assert [o["value"] for o in items.options] == ["1m", "all"]


def test_pattern_matching_ids_get_input_ids_of_their_own():
    first = radio_group(
        "Periode", {"type": "theme-trend-range", "block": "corona-1"}, OPTIONS, "1m"
    )
    second = radio_group(
        "Periode", {"type": "theme-trend-range", "block": "corona-2"}, OPTIONS, "1m"
    )
    first_ids = [o["input_id"] for o in _radios(first)[1].options]
    second_ids = [o["input_id"] for o in _radios(second)[1].options]
    assert first_ids == ["corona-1-theme-trend-range-1m", "corona-1-theme-trend-range-all"]
    assert not set(first_ids) & set(second_ids)
    assert _radios(first)[1].name != _radios(second)[1].name
