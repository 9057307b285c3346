import csv
import io
import math
import random

import pytest

from layouts.figures.ranking import (
    TableSort,
    format_values,
    rank_areas,
    rank_text,
    ranking_csv,
    ranking_figure,
    ranking_table,
    ranking_table_html,
    sort_areas,
)
from layouts.i18n import format_number

NAMES = {"A": "Angelslo", "B": "Bargeres", "C": "Centrum", "D": "Delftlanden", "E": "Erica"}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_format_values_writes_numbers_exactly_as_format_number(lang, decimals):
    rng = random.Random(7)
    values = [rng.uniform(-1e6, 1e6) for _ in range(300)]
    values += [rng.uniform(-2, 2) for _ in range(300)]
    values += [0.0, -0.0, -0.004, 0.005, 0.015, 2.5, 1234.5, 999999.995, 1e9, 12.345]
    values += [None, math.nan, math.inf, float("-inf")]
    expected = [format_number(v, lang, decimals=decimals) for v in values]
    assert format_values(values, lang, decimals) == expected


def test_format_values_uses_dutch_and_english_separators():
    assert format_values([1234.56], "nl", 1) == ["1.234,6"]
    assert format_values([1234.56], "en", 1) == ["1,234.6"]


def test_rank_one_is_the_highest_value_and_missing_values_come_last():
    rows = rank_areas({"A": 5.0, "B": None, "C": 9.0, "D": 1.0}, NAMES, 0, "nl")
    assert [(r.code, r.rank) for r in rows] == [("C", 1), ("A", 2), ("D", 3), ("B", None)]
    assert rows[-1].value_text == "–"


def test_ties_share_the_best_rank_and_are_marked():
    rows = rank_areas({"A": 5.0, "B": 7.0, "C": 5.0, "D": 1.0}, NAMES, 0, "nl")
    ranks = {r.code: (r.rank, r.tied) for r in rows}
    assert ranks == {"B": (1, False), "A": (2, True), "C": (2, True), "D": (4, False)}
    assert [r.code for r in rows] == ["B", "A", "C", "D"]  # ties by name
    tied = next(r for r in rows if r.code == "A")
    assert rank_text(tied, 4, "nl") == "rang 2 van 4 (gedeeld)"
    assert rank_text(tied, 4, "en") == "rank 2 of 4 (tied)"


def test_nan_counts_as_no_value():
    rows = rank_areas({"A": math.nan, "B": 2.0}, NAMES, 0, "nl")
    assert [(r.code, r.rank) for r in rows] == [("B", 1), ("A", None)]


def test_sorting_by_name_value_and_rank_keeps_missing_values_last():
    rows = rank_areas({"A": 3.0, "B": None, "C": 1.0, "E": 2.0}, NAMES, 0, "nl")
    assert [r.code for r in sort_areas(rows, "value")] == ["C", "E", "A", "B"]
    assert [r.code for r in sort_areas(rows, "value", descending=True)] == ["A", "E", "C", "B"]
    assert [r.code for r in sort_areas(rows, "rank", descending=True)] == ["C", "E", "A", "B"]
    assert [r.code for r in sort_areas(rows, "name")] == ["A", "B", "C", "E"]
    with pytest.raises(ValueError, match="unknown sort key"):
        sort_areas(rows, "colour")  # type: ignore[arg-type]


def test_table_sort_flips_on_the_same_column_and_starts_values_high_first():
    sort = TableSort()
    assert sort.toggled("rank") == TableSort("rank", True)
    assert sort.toggled("name") == TableSort("name", False)
    assert sort.toggled("value") == TableSort("value", True)
    assert sort.toggled("nonsense") == TableSort("rank", True)


def test_csv_has_full_precision_values_and_ranks_in_rank_order():
    rows = rank_areas({"A": 1.25, "B": None, "C": 10.5}, NAMES, 1, "nl")
    lines = list(csv.reader(io.StringIO(ranking_csv(rows, indicator="x", period="2024-01-01"))))
    assert lines[0] == ["indicator", "area", "name", "period", "value", "rank"]
    assert lines[1:] == [
        ["x", "C", "Centrum", "2024-01-01", "10.5", "1"],
        ["x", "A", "Angelslo", "2024-01-01", "1.25", "2"],
        ["x", "B", "Bargeres", "2024-01-01", "", ""],
    ]


def test_ranking_figure_has_one_bar_per_area_with_a_value_highest_first():
    rows = rank_areas({"A": 3.0, "B": None, "C": 7.0}, NAMES, 0, "nl")
    figure = ranking_figure(rows, {"A": "#111111", "C": "#222222"}, unit="inwoners", lang="nl")
    bar = figure.data[0]
    assert list(bar.y) == ["Centrum", "Angelslo"]
    assert list(bar.x) == [7.0, 3.0]
    assert list(bar.marker.color) == ["#222222", "#111111"]
    assert list(bar.text) == ["7", "3"]


def _cells(component) -> list:
    """All Th/Td of a table component, as (tag, props)."""
    found = []

    def walk(node):
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        if hasattr(node, "children"):
            if type(node).__name__ in ("Th", "Td"):
                found.append(node)
            walk(node.children)

    walk(component)
    return found


def test_sortable_table_marks_the_sorted_column_for_screen_readers():
    rows = rank_areas({"A": 3.0, "C": 7.0}, NAMES, 0, "nl")
    table = ranking_table(
        rows,
        caption="Inwoners per wijk",
        area_header="Wijk",
        value_header="Waarde",
        lang="nl",
        sort=TableSort("name", True),
        sort_id_type="sort",
    )
    headers = [c for c in _cells(table) if getattr(c, "scope", None) == "col"]
    assert [h.to_plotly_json()["props"].get("aria-sort") for h in headers] == [
        "none",
        "descending",
        "none",
    ]
    row_headers = [c for c in _cells(table) if getattr(c, "scope", None) == "row"]
    assert [h.children for h in row_headers] == ["Centrum", "Angelslo"]  # names, Z to A


def test_table_markup_escapes_names_and_lists_areas_in_rank_order():
    names = {"A": "Wijk <1> & Co", "C": "Centrum", "B": "Bargeres"}
    rows = rank_areas({"A": 3.0, "B": None, "C": 7.0}, names, 0, "nl")
    markup = ranking_table_html(
        rows,
        caption="Inwoners per wijk",
        caption_id="x-caption",
        area_header="Wijk",
        value_header="Waarde (inwoners)",
        lang="nl",
        href=lambda code: f"/buurten/{code}",
    )
    assert '<caption id="x-caption">Inwoners per wijk</caption>' in markup
    assert "Wijk &lt;1&gt; &amp; Co" in markup and "<1>" not in markup
    order = [markup.index(name) for name in ("Centrum", "Wijk &lt;1&gt;", "Bargeres")]
    assert order == sorted(order)
    assert '<a href="/buurten/C">Centrum</a>' in markup
    assert "geen gegevens" in markup  # Bargeres has no value
    assert markup.count("<tr>") == 4  # header and three areas
