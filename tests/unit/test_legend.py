import json
import math

import pytest
from plotly.utils import PlotlyJSONEncoder

from data.catalog import Indicator
from geo.palettes import palette
from layouts.figures.choropleth import map_view
from layouts.figures.legend import (
    Reference,
    area_count_text,
    class_label,
    format_bound,
    legend_rows,
    map_legend,
    method_text,
    unplaced_references,
)

CODES = [f"GM{i:04d}" for i in range(1, 9)]
NAMES = {code: f"Gemeente {code}" for code in CODES}


def _indicator(decimals: int = 1, **map_spec) -> Indicator:
    return Indicator.model_validate(
        {
            "title": {"nl": "Positief geteste mensen", "en": "Positive tests"},
            "unit": {"nl": "per 100.000 inwoners", "en": "per 100,000 inhabitants"},
            "decimals": decimals,
            "definition": {"nl": "-", "en": "-"},
            "dataset": "x",
            "frequency": "day",
            "higher_is_better": False,
            "levels": ["gm"],
            "map": map_spec or {"method": "fixed", "breaks": [5, 10, 25]},
        }
    )


@pytest.mark.parametrize(
    "lower, upper, last, lang, expected",
    [
        (None, 5.0, False, "nl", "minder dan 5"),
        (5.0, 10.0, False, "nl", "5 tot 10"),
        (25.0, None, True, "nl", "25 of meer"),
        (1185.0, 11935.0, True, "nl", "1.185 tot en met 11.935"),
        (2.0, 2.0, True, "nl", "2"),
        (None, 0.05, False, "en", "less than 0.05"),
        (0.05, 0.1, False, "en", "0.05 to less than 0.1"),
        (1185.0, 11935.0, True, "en", "1,185 to 11,935"),
    ],
)
def test_class_labels_in_words(lower, upper, last, lang, expected):
    assert class_label(lower, upper, last=last, decimals=2, lang=lang) == expected


def test_bounds_show_no_more_decimals_than_they_have():
    assert format_bound(5.0, 1, "nl") == "5"
    assert format_bound(2.8, 1, "nl") == "2,8"
    assert format_bound(0.46924, 1, "nl") == "0,5"  # at most the indicator's decimals
    assert format_bound(0.05, 2, "en") == "0.05"


def test_area_counts_use_singular_and_plural():
    assert area_count_text(1, "gm", "nl") == "1 gemeente"
    assert area_count_text(23, "gm", "nl") == "23 gemeenten"
    assert area_count_text(4, "wk", "en") == "4 districts"


def test_fixed_breaks_give_one_row_more_than_breaks_with_counts_and_no_data():
    values = dict(zip(CODES, [1.0, 2.0, 7.0, 12.0, 30.0, 40.0, math.nan, None], strict=True))
    view = map_view(CODES, values, NAMES, _indicator(), "nl")
    rows = legend_rows(view, _indicator(), "gm", "nl")
    assert [r.label for r in rows] == [
        "minder dan 5",
        "5 tot 10",
        "10 tot 25",
        "25 of meer",
        "Geen gegevens of geheim",
    ]
    assert [r.count for r in rows] == [2, 1, 1, 2, 2]
    assert rows[-1].count_text == "2 gemeenten"
    assert [r.colour for r in rows] == [*palette("sequential", 4), None]
    assert rows[-1].no_data and not rows[0].no_data


def test_no_data_row_only_when_some_area_has_none():
    values = dict.fromkeys(CODES, 3.0)
    rows = legend_rows(map_view(CODES, values, NAMES, _indicator(), "nl"), _indicator(), "gm", "nl")
    assert not any(r.no_data for r in rows)


def test_references_are_marked_in_their_class():
    values = dict(zip(CODES, [1.0, 2.0, 7.0, 12.0, 30.0, 40.0, 3.0, 4.0], strict=True))
    view = map_view(CODES, values, NAMES, _indicator(), "nl")
    rows = legend_rows(
        view,
        _indicator(),
        "gm",
        "nl",
        [Reference("Emmen", 7.25), Reference("Nederland", 26.0), Reference("Leeg", None)],
    )
    assert rows[1].markers == ("Emmen: 7,3",)
    assert rows[3].markers == ("Nederland: 26,0",)
    assert rows[0].markers == rows[2].markers == ()


def test_a_reference_outside_the_quantile_classes_is_not_marked_but_named():
    indicator = _indicator(decimals=0, method="quantile", classes=4)
    values = dict(zip(CODES, [100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0], strict=True))
    view = map_view(CODES, values, NAMES, indicator, "nl")
    total = Reference("Emmen", 109346.0)  # the municipality's total, not one of its districts
    mean = Reference("Gemiddelde", view.classification.mean)
    rows = legend_rows(view, indicator, "wk", "nl", [total, mean])
    assert all("Emmen" not in m for r in rows for m in r.markers)
    assert any("Gemiddelde: 450" in m for r in rows for m in r.markers)
    assert unplaced_references(view, [total, mean]) == [total]
    assert "kwantielen" in method_text(indicator, view, "wk", "nl")
    assert "wijken" in method_text(indicator, view, "wk", "nl")


def test_legend_html_names_unit_classes_and_is_labelled():
    values = dict(zip(CODES, [1.0, 2.0, 7.0, 12.0, 30.0, 40.0, math.nan, 3.0], strict=True))
    view = map_view(CODES, values, NAMES, _indicator(), "en")
    legend = map_legend(view, _indicator(), "gm", "en", legend_id="x-legend")
    text = json.dumps(legend, cls=PlotlyJSONEncoder)
    assert "per 100,000 inhabitants" in text
    assert "less than 5" in text and "25 or more" in text
    assert "No data or confidential" in text and "1 municipality" in text
    assert '"aria-labelledby": "x-legend-title"' in text
    assert "mm-swatch-none" in text
