"""The own selection in the address (layouts/views/selection.py): parsed, bounded, written back."""

from __future__ import annotations

from layouts.views.selection import MAX_AREAS, MAX_CHARS, parse_selection, selection_query

LEVELS = {"WK011401": "wk", "WK011402": "wk", "BU01140100": "bu", "BU01140101": "bu"}


def test_codes_are_read_in_order_once_whatever_the_case_and_separators():
    got = parse_selection(" wk011402;WK011401,,WK011402 ", LEVELS)
    assert got.codes == ("WK011402", "WK011401") and got.level == "wk" and not got.problems


def test_unknown_codes_and_codes_of_the_other_level_are_set_apart():
    got = parse_selection("BU01140100,WK011401,GM0114,<b>", LEVELS)
    assert got.level == "bu" and got.codes == ("BU01140100",)
    assert got.unknown == ("GM0114", "<B>") and got.other_level == ("WK011401",)


def test_a_repeated_parameter_counts_as_one_list():
    assert parse_selection(["WK011401", "WK011402"], LEVELS).codes == ("WK011401", "WK011402")


def test_the_level_comes_from_the_address_when_nothing_is_chosen():
    assert parse_selection(None, LEVELS, "bu").level == "bu"
    assert parse_selection("", LEVELS, "xx").level == "wk"


def test_a_selection_is_bounded_in_areas_and_characters():
    many = {f"BU0114{i:04d}": "bu" for i in range(MAX_AREAS + 20)}
    got = parse_selection(",".join(many), many)
    assert len(got.codes) == MAX_AREAS and got.dropped == 9 and not got.unknown
    # 109 whole codes fit in MAX_CHARS; the rest, and the code cut in two, are not read
    assert len(",".join(many)) > MAX_CHARS
    huge = parse_selection("WK011401," + "X" * 10_000_000, LEVELS)
    assert huge.codes == ("WK011401",) and all(len(code) <= 16 for code in huge.unknown)


def test_the_query_names_the_codes_and_the_level_only_when_no_code_says_it():
    assert selection_query(("WK011401", "WK011402"), "wk") == {
        "gebieden": "WK011401,WK011402",
        "niveau": None,
    }
    assert selection_query((), "bu") == {"gebieden": None, "niveau": "bu"}
