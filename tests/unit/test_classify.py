import math

import numpy as np
import pandas as pd
import pytest

from geo.classify import LegendEntry, classify, legend_entries

INF = math.inf


def test_quantile_bounds_on_one_to_ten():
    c = classify(pd.Series(range(1, 11)), "quantile", classes=5)
    assert c.bounds == [(1, 2.8), (2.8, 4.6), (4.6, 6.4), (6.4, 8.2), (8.2, 10)]
    assert c.counts == [2, 2, 2, 2, 2]
    assert list(c.classes) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert c.mean == 5.5


def test_quantile_merges_duplicate_bounds():
    c = classify(pd.Series([0, 0, 0, 0, 0, 0, 1, 2, 3, 4]), "quantile", classes=3)
    assert c.bounds == [(0, 1), (1, 4)]
    assert c.counts == [6, 4]


def test_quantile_never_leaves_a_class_empty():
    # linear quantiles give [0, 1.33, 2, 3]; the class [1.33, 2) would hold nothing
    c = classify(pd.Series([0, 1, 1, 2, 2, 2, 3, 3]), "quantile", classes=3)
    assert c.bounds == [(0, 2), (2, 3)]
    assert c.counts == [3, 5]


def test_fewer_distinct_values_than_classes_gives_one_class_per_value():
    c = classify(pd.Series([3, 1, 1, 2, 1]), "quantile", classes=5)
    assert c.bounds == [(1, 1), (2, 2), (3, 3)]
    assert c.counts == [3, 1, 1]
    assert list(c.classes) == [2, 0, 0, 1, 0]


@pytest.mark.parametrize("method", ["quantile", "equal_interval"])
def test_all_equal_values_make_one_class(method):
    c = classify(pd.Series([4.0, 4.0, 4.0]), method, classes=5)
    assert c.bounds == [(4, 4)]
    assert c.counts == [3]
    assert list(c.classes) == [0, 0, 0]


def test_equal_interval_with_negative_values():
    c = classify(pd.Series([-10, -4, 0, 3, 10]), "equal_interval", classes=4)
    assert c.bounds == [(-10, -5), (-5, 0), (0, 5), (5, 10)]
    assert c.counts == [1, 1, 2, 1]
    assert list(c.classes) == [0, 1, 2, 2, 3]


def test_equal_interval_keeps_empty_classes():
    c = classify(pd.Series([0.0, 10.0]), "equal_interval", classes=5)
    assert c.bounds == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    assert c.counts == [1, 0, 0, 0, 1]


def test_fixed_breaks_make_open_ended_first_and_last_classes():
    values = pd.Series([1, 5, 7, 10, 50, np.nan])
    c = classify(values, "fixed", breaks=[5, 10])
    assert c.bounds == [(-INF, 5), (5, 10), (10, INF)]
    assert c.counts == [1, 2, 2]
    assert list(c.classes) == [0, 1, 1, 2, 2, None]


def test_fixed_breaks_give_the_same_legend_whatever_the_data():
    a = classify(pd.Series([6.0]), "fixed", breaks=[5, 10, 25])
    b = classify(pd.Series([-3.0, 400.0]), "fixed", breaks=[5, 10, 25])
    assert a.bounds == b.bounds
    assert a.counts == [0, 1, 0, 0]
    assert b.counts == [1, 0, 0, 1]


def test_nan_values_have_no_class_and_do_not_count():
    values = pd.Series([1.0, np.nan, 3.0, None, np.inf], index=["GM1", "GM2", "GM3", "GM4", "GM5"])
    c = classify(values, "quantile", classes=4)
    assert c.classes.to_dict() == {"GM1": 0, "GM2": None, "GM3": 1, "GM4": None, "GM5": None}
    assert c.no_data == 3
    assert sum(c.counts) == 2
    assert c.mean == 2.0


def test_nullable_and_text_values_are_read_as_numbers():
    c = classify(pd.Series([1, None, 3], dtype="Int64"), "quantile", classes=2)
    assert c.no_data == 1
    assert classify(pd.Series(["1.5", "x"]), "quantile", classes=2).counts == [1]


def test_no_values_at_all():
    c = classify(pd.Series([np.nan, np.nan]), "quantile", classes=5)
    assert c.bounds == []
    assert c.counts == []
    assert list(c.classes) == [None, None]
    assert c.mean is None
    assert legend_entries(c) == [LegendEntry(None, None, 2, no_data=True)]


def test_class_of_a_new_value_follows_the_same_rule():
    c = classify(pd.Series([1, 5, 7, 10, 50]), "fixed", breaks=[5, 10])
    assert [c.class_of(v) for v in (-1, 5, 9.99, 10, 1e9, None)] == [0, 1, 1, 2, 2, None]


def test_legend_entries_give_bounds_counts_and_no_data():
    c = classify(pd.Series([1, 5, 7, 10, 50, np.nan]), "fixed", breaks=[5, 10])
    assert legend_entries(c) == [
        LegendEntry(None, 5, 1),
        LegendEntry(5, 10, 2),
        LegendEntry(10, None, 2),
        LegendEntry(None, None, 1, no_data=True),
    ]


@pytest.mark.parametrize(
    ("method", "classes", "breaks", "message"),
    [
        ("quantile", None, None, "needs 'classes'"),
        ("equal_interval", 0, None, "needs 'classes'"),
        ("fixed", None, None, "needs 'breaks'"),
        ("fixed", None, [], "at least one finite break"),
        ("jenks", 5, None, "unknown classification method"),
    ],
)
def test_incomplete_settings_are_rejected(method, classes, breaks, message):
    with pytest.raises(ValueError, match=message):
        classify(pd.Series([1.0, 2.0]), method, classes=classes, breaks=breaks)
